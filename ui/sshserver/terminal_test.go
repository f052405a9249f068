package sshserver

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// Each session is its own terminal: colour profile, background and size
// come from its client, not from the server or the other sessions.

var foregroundColour = regexp.MustCompile(`\x1b\[[0-9;]*38;[25];`)

func TestEachSessionHasItsOwnColourProfile(t *testing.T) {
	alice := newKey(t, "alice")
	h := start(t, fullConfig(t, alice))
	colour := openTerminal(t, h.dialKey(t, "colour", alice), 100, 30, "xterm-256color", "", nil)
	plain := openTerminal(t, h.dialKey(t, "plain", alice), 100, 30, "xterm-256color", "", map[string]string{"NO_COLOR": "1"})
	colour.waitText(t, "user-profiles-dev")
	plain.waitText(t, "user-profiles-dev")
	if !foregroundColour.MatchString(colour.raw()) {
		t.Error("the colour terminal received no colour")
	}
	if m := foregroundColour.FindString(plain.raw()); m != "" {
		t.Errorf("the NO_COLOR terminal received colour: %q", m)
	}
}

func TestEachSessionDetectsItsBackground(t *testing.T) {
	alice := newKey(t, "alice")
	h := start(t, fullConfig(t, alice))
	openTerminal(t, h.dialKey(t, "light", alice), 100, 30, "xterm-256color", "rgb:ffff/ffff/ffff", nil)
	openTerminal(t, h.dialKey(t, "dark", alice), 100, 30, "xterm-256color", "rgb:0000/0000/0000", nil)
	// The same screen, drawn in two palettes: if a session ignored its
	// terminal's answer (or took the other's), the two would be equal.
	h.screens.until(t, "the same list in two palettes", func() bool {
		l, d := h.screens.get("light"), h.screens.get("dark")
		return strings.Contains(l, "user-profiles-dev") && l == d && h.screens.getRaw("light") != h.screens.getRaw("dark")
	})
}

func TestResizeFollowsTheClient(t *testing.T) {
	alice := newKey(t, "alice")
	h := start(t, fullConfig(t, alice))
	sess := h.dialKey(t, "alice", alice)
	openTUI(t, sess, 120, 30)
	h.screens.until(t, "a 120-column list", func() bool { return widest(h.screens.get("alice")) == 120 })
	if err := sess.WindowChange(16, 60); err != nil {
		t.Fatal(err)
	}
	h.screens.until(t, "a 60x16 list", func() bool {
		s := h.screens.get("alice")
		return strings.Contains(s, "IDENTIFIER") && widest(s) == 60 && strings.Count(s, "\n")+1 == 16
	})
}

func widest(s string) int {
	w := 0
	for _, l := range strings.Split(s, "\n") {
		w = max(w, ansi.StringWidth(l))
	}
	return w
}
