package model

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// copied runs the app in a real program whose terminal has env, presses
// keys on the list once it is loaded, and returns what the program wrote
// after them, once it holds every one of want (or fails the test).
func copied(t *testing.T, env []string, keys []string, want ...string) string {
	t.Helper()
	m := New(Config{Client: populated(), Now: func() time.Time { return t0 }, After: (&timers{}).after})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 16),
		teatest.WithProgramOptions(tea.WithEnvironment(env), tea.WithColorProfile(colorprofile.TrueColor)))
	t.Cleanup(func() { _ = tm.Quit() })
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return strings.Contains(string(b), "orders-staging") },
		teatest.WithDuration(5*time.Second))
	for _, k := range keys {
		tm.Send(keyMsg(k))
	}
	var seen string
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		seen = string(b)
		for _, w := range append(want, "to the clipboard") {
			if !strings.Contains(seen, w) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(5*time.Second))
	return seen
}

// TestCopyWritesOSC52 checks the bytes that reach the terminal: OSC 52 with
// the identifier (or ARN) in base64, for the system clipboard; inside tmux
// the same again in tmux's passthrough (ESC doubled inside DCS tmux; ...
// ST), inside GNU Screen in Screen's.
func TestCopyWritesOSC52(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	osc := "\x1b]52;c;" + b64("orders-prod") + "\x07"
	tmux := "\x1bPtmux;\x1b\x1b]52;c;" + b64("orders-prod") + "\x07\x1b\\"
	screen := "\x1bP\x1b]52;c;" + b64("orders-prod") + "\x07\x1b\\"

	copied(t, []string{"TERM=xterm-256color"}, []string{"y"}, osc)
	copied(t, []string{"TERM=screen-256color", "TMUX=/tmp/tmux-1000/default,4242,0"}, []string{"y"}, osc, tmux)
	copied(t, []string{"TERM=screen", "STY=4242.pts-0.host"}, []string{"y"}, osc, screen)
	copied(t, []string{"TERM=xterm-256color"}, []string{"Y"}, "\x1b]52;c;"+b64("arn:aws:rds:us-east-1:123456789012:cluster:orders-prod")+"\x07")
}

// The wrapped sequences, exactly: none outside a multiplexer; tmux's DCS
// with every ESC doubled; Screen's DCS in chunks it accepts.
func TestPassthroughs(t *testing.T) {
	seq := "\x1b]52;c;b3JkZXJzLXByb2Q=\x07"
	env := func(kv ...string) tea.EnvMsg { return tea.EnvMsg(kv) }
	if got := passthroughs(seq, env("TERM=xterm-256color")); len(got) != 0 {
		t.Fatalf("plain terminal: %q", got)
	}
	if got := passthroughs(seq, env("TMUX=/tmp/tmux-0/default,1,0")); len(got) != 1 || got[0] != "\x1bPtmux;\x1b\x1b]52;c;b3JkZXJzLXByb2Q=\x07\x1b\\" {
		t.Fatalf("tmux: %q", got)
	}
	long := "\x1b]52;c;" + strings.Repeat("A", 1000) + "\x07"
	got := passthroughs(long, env("STY=1.pts-0.host"))
	if len(got) != 1 || !strings.HasPrefix(got[0], "\x1bP\x1b]52;c;") || strings.Count(got[0], "\x1b\\\x1bP") != 1 || !strings.HasSuffix(got[0], "\x07\x1b\\") {
		t.Fatalf("screen: %q", got)
	}
	if got := passthroughs(seq, env("TMUX=x", "STY=y")); len(got) != 2 {
		t.Fatalf("tmux in screen: %q", got)
	}
}
