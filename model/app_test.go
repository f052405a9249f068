package model

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// app is the model running in a real Bubble Tea program (teatest), with an
// in-memory client, a settable clock and recorded timers.
type app struct {
	t     *testing.T
	tm    *teatest.TestModel
	fake  *fakeClient
	clock *emulator.Clock
	timer *timers
}

// probe asks the running program, from inside its event loop, whether the
// model is in a state: reading the model from the test goroutine would race.
type probe struct {
	pred  func(*Model) bool
	reply chan bool
}

type appOption func(*Config)

// start runs the model at w×h with the colour profile and environment
// pinned, so that nothing of the host leaks into what is drawn.
func start(t *testing.T, f *fakeClient, w, h int, opts ...appOption) *app {
	t.Helper()
	a := &app{t: t, fake: f, clock: emulator.NewClock(t0), timer: &timers{}}
	return a.run(f, w, h, opts...)
}

// run starts the program with client, the app's clock and timers.
func (a *app) run(client awsclient.Client, w, h int, opts ...appOption) *app {
	t := a.t
	cfg := Config{Client: client, Now: a.clock.Now, After: a.timer.after, Rand: func() float64 { return 0.5 }}
	for _, o := range opts {
		o(&cfg)
	}
	m := New(cfg)
	a.tm = teatest.NewTestModel(t, m,
		teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(
			tea.WithColorProfile(colorprofile.TrueColor),
			tea.WithEnvironment([]string{"TERM=xterm-256color"}),
			tea.WithFilter(answerProbes(m)),
		))
	t.Cleanup(func() { _ = a.tm.Quit() })
	return a
}

// answerProbes is the program filter that answers probes about m.
func answerProbes(m *Model) func(tea.Model, tea.Msg) tea.Msg {
	return func(_ tea.Model, msg tea.Msg) tea.Msg {
		if p, ok := msg.(probe); ok {
			p.reply <- p.pred(m)
			return nil
		}
		return msg
	}
}

// await waits until the model reaches a state (the fake answers at once;
// this only waits for the program's goroutines to deliver).
func (a *app) await(what string, pred func(*Model) bool) {
	a.t.Helper()
	awaitProbe(a.t, a.tm.Send, 5*time.Second, what, pred)
}

// awaitProbe asks a program, through send, whether its model is in a state
// until it is, for at most limit.
func awaitProbe(tb testing.TB, send func(tea.Msg), limit time.Duration, what string, pred func(*Model) bool) {
	tb.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		reply := make(chan bool, 1)
		send(probe{pred: pred, reply: reply})
		if <-reply {
			return
		}
		time.Sleep(time.Millisecond)
	}
	tb.Fatalf("the model never reached: %s", what)
}

func (a *app) loaded() {
	a.t.Helper()
	a.await("clusters loaded", func(m *Model) bool { return m.list.loaded && !m.list.loading && !m.list.globalWaiting && m.width > 0 })
}

// press sends keys by name ("enter", "tab", "ctrl+n") or single characters.
func (a *app) press(keys ...string) {
	for _, k := range keys {
		a.tm.Send(keyMsg(k))
	}
}

func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "ctrl+a", "ctrl+c", "ctrl+n", "ctrl+d", "ctrl+r", "ctrl+u":
		return tea.KeyPressMsg{Code: rune(k[5]), Mod: tea.ModCtrl}
	}
	r := []rune(k)
	if len(r) != 1 {
		panic("unknown key " + k)
	}
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

// typeText types s character by character.
func (a *app) typeText(s string) { a.tm.Type(s) }

// final stops the program and returns the model as it ended.
func (a *app) final() *Model {
	a.t.Helper()
	_ = a.tm.Quit()
	return a.tm.FinalModel(a.t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
}

// view is the frame as plain text, checked for size: never wider than the
// window, exactly as tall.
func view(t *testing.T, m *Model) string {
	t.Helper()
	content := m.View().Content
	checkFrame(t, content, m.width, m.height)
	return ansi.Strip(content)
}

func checkFrame(t *testing.T, content string, w, h int) {
	t.Helper()
	lines := strings.Split(content, "\n")
	if content == "" {
		lines = nil
	}
	if w > 0 && h > 0 && len(lines) != h && (w >= minWidth && h >= minHeight) {
		t.Errorf("%dx%d: the frame has %d lines", w, h, len(lines))
	}
	if len(lines) > max(h, 0) {
		t.Errorf("%dx%d: the frame has %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("%dx%d: line %d is %d wide: %q", w, h, i, lw, ansi.Strip(l))
		}
	}
}

// goldenView compares the plain frame with testdata/<test>.golden.
func goldenView(t *testing.T, m *Model) {
	t.Helper()
	golden.RequireEqual(t, trimRight(view(t, m)))
}

// goldenColour compares the frame with its escape sequences (colours and
// attributes), for the few states where they carry meaning.
func goldenColour(t *testing.T, m *Model) {
	t.Helper()
	checkFrame(t, m.View().Content, m.width, m.height)
	golden.RequireEqual(t, m.View().Content)
}

// trimRight drops trailing spaces of each line, which padding leaves and
// editors strip.
func trimRight(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}

func stripANSI(s string) string { return ansi.Strip(s) }
