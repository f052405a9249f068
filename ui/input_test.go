package ui

import (
	"testing"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// Deleting the word forward works at every cursor position, the last
// character included (where bubbles' own panics).
func TestEditDeleteWordForward(t *testing.T) {
	for _, c := range []struct {
		value string
		pos   int
		want  string
	}{
		{"orders prod", 0, " prod"},
		{"orders prod", 6, "orders"},
		{"orders prod", 10, "orders pro"},
		{"日本語", 2, "日本"},
		{"a", 0, ""},
		{"ab", 2, "ab"},
	} {
		for _, k := range []tea.KeyPressMsg{{Code: 'd', Mod: tea.ModAlt}, {Code: tea.KeyDelete, Mod: tea.ModAlt}, {Code: tea.KeyDelete, Mod: tea.ModCtrl}} {
			in := textinput.New()
			in.Focus()
			in.SetValue(c.value)
			in.SetCursor(c.pos)
			Edit(&in, k)
			if got := in.Value(); got != c.want {
				t.Errorf("%s in %q at %d: %q, want %q", k, c.value, c.pos, got, c.want)
			}
			if in.Position() > len([]rune(in.Value())) {
				t.Errorf("%s in %q at %d: cursor at %d of %q", k, c.value, c.pos, in.Position(), in.Value())
			}
		}
	}
}
