package model

import (
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// copy puts a cluster's or snapshot's identifier (or its ARN) on the
// clipboard of the terminal the user sits at, and says what was copied.
func (m *Model) copy(arn bool, what, id, arnText string) tea.Cmd {
	text, label := id, "identifier"
	if arn {
		text, label = arnText, "ARN"
	}
	if text == "" {
		m.status = "No ARN is known for " + what + " " + id + "."
		return nil
	}
	m.notice, m.noticeGood = "Copied the "+what+" "+label+" "+text+" to the clipboard.", true
	return clipboard(text, m.env)
}

// screenChunk is the longest string sequence GNU Screen passes on.
const screenChunk = 768

// clipboard sets the clipboard with OSC 52, which works wherever the
// terminal the user sits at supports it, across SSH: the program writes it
// like any other output (tea.SetClipboard). Inside tmux, which keeps OSC 52
// to itself unless `set -g set-clipboard on`, the same sequence goes again
// wrapped for tmux's passthrough (needs `set -g allow-passthrough on`);
// inside GNU Screen, wrapped for Screen. env is the terminal's environment
// (the SSH client's over SSH), where TMUX and STY say which.
func clipboard(text string, env tea.EnvMsg) tea.Cmd {
	cmds := []tea.Cmd{tea.SetClipboard(text)}
	for _, p := range passthroughs(ansi.SetSystemClipboard(text), env) {
		cmds = append(cmds, tea.Raw(p))
	}
	return tea.Sequence(cmds...)
}

// passthroughs are seq wrapped for the multiplexers env says the terminal
// runs in, to reach the terminal around them.
func passthroughs(seq string, env tea.EnvMsg) []string {
	var out []string
	if env.Getenv("TMUX") != "" {
		out = append(out, ansi.TmuxPassthrough(seq))
	}
	if env.Getenv("STY") != "" {
		out = append(out, ansi.ScreenPassthrough(seq, screenChunk))
	}
	return out
}
