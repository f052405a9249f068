package ui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// Edit passes an edit (a key press, a paste) to a text input. Bubbles
// v2.2.1's word-forward delete (alt+d, alt+delete, ctrl+delete) reads past
// the value when the cursor is on its last character, and panics: there,
// deleting the word forward is deleting that character, done here instead.
// With the real cursor, the input returns no command.
func Edit(in *textinput.Model, msg tea.Msg) {
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, in.KeyMap.DeleteWordForward) {
		v := []rune(in.Value())
		if n := len(v); n > 0 && in.Position() == n-1 {
			in.SetValue(string(v[:n-1]))
			in.SetCursor(n - 1)
			return
		}
	}
	*in, _ = in.Update(msg)
}
