package ui

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// Field draws the value of a one-line text field in width cells, with the
// cursor before rune pos. It scrolls sideways to keep the cursor in view and
// shows a character that must not reach the terminal (a control, a
// bidirectional override, a soft hyphen: see sanitize.Rune) as U+FFFD, one
// cell for each character held, so the terminal's cursor lines up with the
// text. cursorX is the cursor's
// column within the field.
func (s *Styles) Field(value string, pos, width int) (line string, cursorX int) {
	if width <= 0 {
		return "", 0
	}
	runes := []rune(value)
	pos = min(max(pos, 0), len(runes))
	for i, r := range runes {
		runes[i] = sanitize.Rune(r)
	}
	cells := clusterCells(runes)
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
	for start < pos && start > 0 && cells[start] == 0 {
		start++ // not from the middle of a cluster, which would draw apart
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

// clusterCells is the cells each character takes: a grapheme cluster (a
// letter and its accents, an emoji and its modifiers) as wide as the
// terminal draws it, counted on its first character, its others none.
func clusterCells(runes []rune) []int {
	cells := make([]int, len(runes))
	text := string(runes)
	for i := 0; text != ""; {
		cluster, w := ansi.FirstGraphemeCluster(text, ansi.GraphemeWidth)
		cells[i] = w
		i += utf8.RuneCountInString(cluster)
		text = text[len(cluster):]
	}
	return cells
}
