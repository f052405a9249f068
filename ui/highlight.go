package ui

import "strings"

// Highlight fits text to width cells like Fit, painting bytes [start, end)
// of it with hi and the rest with base; a highlight that falls in the part
// cut off is cut with it. start and end must be on character boundaries.
func Highlight(text string, start, end, width int, base, hi Paint) string {
	if width <= 0 {
		return ""
	}
	fitted := Fit(text, width)
	shown := len(text)
	if Width(text) > width {
		// The part of text kept before the ellipsis.
		shown = len(strings.TrimSuffix(strings.TrimRight(fitted, " "), Ellipsis))
	}
	start, end = min(max(start, 0), shown), min(max(end, 0), shown)
	if start >= end {
		return base.Render(fitted)
	}
	return base.Render(fitted[:start]) + hi.Render(fitted[start:end]) + base.Render(fitted[end:])
}
