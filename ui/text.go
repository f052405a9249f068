package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// Ellipsis ends text cut to fit.
const Ellipsis = "…"

func itoa(n int) string { return strconv.Itoa(n) }

// Width is the number of terminal cells s takes (escape sequences take none).
func Width(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// Truncate cuts s to at most width cells, ending it with an ellipsis when it
// was cut.
func Truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if Width(s) <= width {
		return s
	}
	if width == 1 {
		return Ellipsis
	}
	out := ansi.Truncate(s, width, Ellipsis)
	// ansi.Truncate (x/ansi v0.11.9) counts a character before a variation
	// selector (`\` then U+FE0F) one cell narrower than ansi.StringWidth
	// does, and the terminal draws it: cut shorter until it fits.
	for w := width - 1; w > 0 && Width(out) > width; w-- {
		out = ansi.Truncate(s, w, Ellipsis)
	}
	return out
}

// Fit truncates s to width cells and pads it with spaces to exactly width.
func Fit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	s = Truncate(s, width)
	if w := Width(s); w < width {
		s += strings.Repeat(" ", width-w)
	}
	return s
}

// PadLeft truncates s to width cells and right-aligns it in width.
func PadLeft(s string, width int) string {
	if width <= 0 {
		return ""
	}
	s = Truncate(s, width)
	if w := Width(s); w < width {
		s = strings.Repeat(" ", width-w) + s
	}
	return s
}

// Wrap breaks plain text into lines of at most width cells, at spaces where
// it can and inside words where it must. It returns at least one line.
func Wrap(s string, width int) []string {
	if width <= 0 {
		return []string{""}
	}
	if Width(s) <= width {
		return []string{s}
	}
	w := ansi.Hardwrap(ansi.Wordwrap(s, width, ""), width, true)
	return strings.Split(w, "\n")
}

// Duration formats a duration for people, to the second: "45s", "3m05s",
// "1h02m".
func Duration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	d = d.Round(time.Second)
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	switch {
	case h > 0:
		return itoa(h) + "h" + two(m) + "m"
	case m > 0:
		return itoa(m) + "m" + two(s) + "s"
	}
	return itoa(s) + "s"
}

func two(n int) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
}
