package ui

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

func TestDefaultKeysDoNotClash(t *testing.T) {
	if a, b, k, ok := DefaultKeyMap().Clash(); ok {
		t.Fatalf("%s and %s share %q", a, b, k)
	}
	km := DefaultKeyMap()
	for _, name := range Actions {
		if km.action(name) == nil || len(km.action(name).Keys()) == 0 {
			t.Errorf("action %q has no binding", name)
		}
	}
}

func TestRebind(t *testing.T) {
	km := DefaultKeyMap()
	if err := km.Rebind("snapshot", []string{"S", "ctrl+s"}); err != nil {
		t.Fatal(err)
	}
	if !key.Matches(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}, km.Snapshot) ||
		key.Matches(tea.KeyPressMsg{Code: 's', Text: "s"}, km.Snapshot) {
		t.Fatal("the new keys replace the old")
	}
	if h := km.Snapshot.Help(); h.Key != "S/ctrl+s" || h.Desc != "snapshot" {
		t.Fatalf("help %+v", h)
	}
	if _, _, _, ok := km.Clash(); ok {
		t.Fatal("no clash expected")
	}
	for _, c := range []struct {
		action string
		keys   []string
		want   string
	}{
		{"explode", []string{"x"}, `unknown action "explode"`},
		{"copy", nil, "no key given"},
		{"copy", []string{"ctrl+"}, `unknown key name "ctrl+"`},
		{"copy", []string{"banana"}, `unknown key name "banana"`},
		{"copy", []string{" "}, `unknown key name " "`},
		{"copy", []string{"f21"}, `unknown key name "f21"`},
	} {
		err := km.Rebind(c.action, c.keys)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Rebind(%q, %q) = %v, want %q", c.action, c.keys, err, c.want)
		}
	}
	for _, ok := range []string{"x", ":", "€", "f2", "alt+shift+x", "ctrl+space", "enter", "pgdown"} {
		if err := km.Rebind("copy", []string{ok}); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	// Two actions on one key, or a main action on a movement key: a clash.
	km = DefaultKeyMap()
	_ = km.Rebind("copy", []string{"s"})
	if a, b, k, ok := km.Clash(); !ok || k != "s" || !(a == "snapshot" && b == "copy") {
		t.Fatalf("clash %q %q %q %v", a, b, k, ok)
	}
	km = DefaultKeyMap()
	_ = km.Rebind("sort", []string{"j"})
	if a, b, k, ok := km.Clash(); !ok || k != "j" || a != "down" || b != "sort" {
		t.Fatalf("clash %q %q %q %v", a, b, k, ok)
	}
}

func TestThemes(t *testing.T) {
	for _, name := range []string{"auto", "dark", "light", "high-contrast"} {
		th, err := ParseTheme(name)
		if err != nil || th.String() != name {
			t.Fatalf("%q: %v %v", name, th, err)
		}
	}
	if _, err := ParseTheme("neon"); err == nil || !strings.Contains(err.Error(), "high-contrast") {
		t.Fatalf("neon: %v", err)
	}
	if !ThemeHighContrast.Follows() || ThemeDark.Follows() || !ThemeAuto.Follows() {
		t.Fatal("Follows")
	}
	// High contrast differs from the normal palette and keeps muted text
	// as strong as the rest on both backgrounds.
	for _, dark := range []bool{true, false} {
		hc, normal := ThemeHighContrast.Styles(dark), NewStyles(dark)
		if hc.Dark != dark || hc.Muted == normal.Muted || hc.Good == normal.Good {
			t.Errorf("dark=%v: high contrast looks like the normal theme", dark)
		}
		if got := hc.Status("available", 0); !strings.Contains(got, "● available") {
			t.Errorf("dark=%v: status %q lost its glyph and word", dark, got)
		}
	}
	if s := ThemeLight.Styles(true); s.Dark {
		t.Fatal("light on a dark terminal is still light")
	}
}
