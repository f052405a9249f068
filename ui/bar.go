package ui

import "strings"

// Bar draws a progress bar of width cells for percent (0 to 100), filled
// cells and empty ones told apart by glyph as well as colour. It is drawn
// from the value alone, never animated, so that a frame shows the state.
func (s *Styles) Bar(percent, width int) string {
	if width <= 0 {
		return ""
	}
	percent = ClampPercent(percent)
	full := percent * width / 100
	return s.BarFull.Render(strings.Repeat("█", full)) + s.BarEmpty.Render(strings.Repeat("░", width-full))
}

// Indeterminate draws a bar for a progress that has no percent: the same
// width, in a pattern no percent is drawn with (and static, as Bar is).
func (s *Styles) Indeterminate(width int) string {
	if width <= 0 {
		return ""
	}
	return s.BarEmpty.Render(strings.Repeat("▚", width))
}

// BarWithPercent draws a bar followed by the percentage, in width cells.
func (s *Styles) BarWithPercent(percent, width int) string {
	const label = 5 // " 100%"
	if width < label+2 {
		return Fit(Percent(percent), width)
	}
	return s.Bar(percent, width-label) + PadLeft(Percent(percent), label)
}

// Percent formats a percentage: "37%".
func Percent(p int) string {
	return itoa(ClampPercent(p)) + "%"
}

// ClampPercent brings a percentage AWS reported into 0 to 100, as every
// screen and the scriptable commands' JSON show it: AWS documents no other
// values, and a bar cannot draw them.
func ClampPercent(p int) int {
	return min(max(p, 0), 100)
}
