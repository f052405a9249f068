package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// Field draws the value of a one-line text field in width cells, with the
// cursor before rune pos. It scrolls sideways to keep the cursor in view and
// shows a character that must not reach the terminal (a control, a
// bidirectional override) as U+FFFD, one cell for each character held, so
// the terminal's cursor lines up with the text. cursorX is the cursor's
// column within the field.
func (s *Styles) Field(value string, pos, width int) (line string, cursorX int) {
	if width <= 0 {
		return "", 0
	}
	runes := []rune(value)
	pos = min(max(pos, 0), len(runes))
	cells := make([]int, len(runes))
	for i, r := range runes {
		r = sanitize.Rune(r)
		runes[i] = r
		cells[i] = runeWidth(r)
	}
	// The first rune shown: as early as lets the cursor (one cell after the
	// text before it) fit.
	start, before := 0, 0
	for i := 0; i < pos; i++ {
		before += cells[i]
	}
	for start < pos && before+1 > width {
		before -= cells[start]
		start++
	}
	var b strings.Builder
	used := 0
	for i := start; i < len(runes) && used+cells[i] <= width; i++ {
		b.WriteRune(runes[i])
		used += cells[i]
	}
	if used < width {
		b.WriteString(strings.Repeat(" ", width-used))
	}
	return s.Input.Render(b.String()), min(before, width-1)
}

func runeWidth(r rune) int {
	if r < 0x7f {
		return 1
	}
	return ansi.StringWidth(string(r))
}
