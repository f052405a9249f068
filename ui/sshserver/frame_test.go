package sshserver

import (
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// bomb panics where it is told to.
type bomb struct{ in string }

func (b bomb) Init() tea.Cmd { return nil }
func (b bomb) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg {
	case "update":
		panic("in update")
	case "cmd":
		return b, func() tea.Msg { panic("in cmd") }
	case "batch":
		return b, tea.Batch(func() tea.Msg { return nil }, func() tea.Msg { panic("in batch") })
	case "sequence":
		return b, tea.Sequence(func() tea.Msg { return nil },
			tea.Batch(func() tea.Msg { return nil }, func() tea.Msg { panic("in a batch in a sequence") }),
			func() tea.Msg { panic("in sequence") })
	case "view":
		return bomb{in: "view"}, nil
	}
	return b, nil
}
func (b bomb) View() tea.View {
	if b.in == "view" {
		panic("in view")
	}
	return tea.NewView("line one\nline two\nline three")
}

func TestFrameTurnsPanicsIntoFailures(t *testing.T) {
	var got []string
	f := &frame{app: bomb{}, fail: func(r any, stack []byte) { got = append(got, r.(string)) }}
	f.Update(tea.WindowSizeMsg{Width: 20, Height: 3})
	good := f.View()

	if m, _ := f.Update("update"); m != f {
		t.Fatalf("Update returned %v after a panic, want the frame", m)
	}
	_, cmd := f.Update("cmd")
	if msg := cmd(); msg != nil {
		t.Errorf("panicking command returned %v", msg)
	}
	_, cmd = f.Update("batch")
	for _, c := range cmd().(tea.BatchMsg) {
		c()
	}
	f.Update("view")
	if v := f.View(); v.Content != good.Content {
		t.Errorf("View after a panic = %q, want the last good view %q", v.Content, good.Content)
	}
	want := []string{"in update", "in cmd", "in batch", "in view"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("failures reported: %q, want %q", got, want)
	}
}

// runAll runs cmd as Bubble Tea does: the commands of a batch or a
// sequence (whose type is unexported: a slice of commands) each in turn.
func runAll(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	v := reflect.ValueOf(cmd())
	if v.Kind() != reflect.Slice || v.Type().Elem() != reflect.TypeFor[tea.Cmd]() {
		return
	}
	for i := range v.Len() {
		runAll(v.Index(i).Interface().(tea.Cmd))
	}
}

// The commands of a sequence, and of a batch inside one, are guarded like
// those of a batch (the model copies to the clipboard with tea.Sequence).
func TestFrameGuardsSequences(t *testing.T) {
	var got []string
	f := &frame{app: bomb{}, fail: func(r any, stack []byte) { got = append(got, r.(string)) }}
	f.Update(tea.WindowSizeMsg{Width: 20, Height: 3})
	_, cmd := f.Update("sequence")
	// Still a sequence, so that Bubble Tea keeps running it in order.
	nop := func() tea.Msg { return nil }
	if got, want := reflect.TypeOf(cmd()), reflect.TypeOf(tea.Sequence(nop, nop)()); got != want {
		t.Errorf("the guarded sequence is a %v, want %v", got, want)
	}
	runAll(cmd)
	want := []string{"in a batch in a sequence", "in sequence"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("failures reported: %q, want %q", got, want)
	}
}

func TestFrameNoticeTakesTheLastLine(t *testing.T) {
	f := &frame{app: bomb{}, fail: func(any, []byte) {}}
	f.Update(tea.WindowSizeMsg{Width: 20, Height: 3})
	f.Update(noticeMsg("The server is shutting down now"))
	lines := strings.Split(f.View().Content, "\n")
	if len(lines) != 3 || lines[0] != "line one" || lines[1] != "line two" ||
		!strings.Contains(lines[2], "The server is shutt…") {
		t.Errorf("view with a notice = %q", lines)
	}
}

func TestSessionFilter(t *testing.T) {
	if got := sessionFilter(nil, tea.WindowSizeMsg{Width: 0, Height: 0}); got != nil {
		t.Errorf("a 0x0 window passed: %v", got)
	}
	if got := sessionFilter(nil, tea.WindowSizeMsg{Width: 120, Height: 0}); got != nil {
		t.Errorf("a 120x0 window passed: %v", got)
	}
	if got := sessionFilter(nil, tea.WindowSizeMsg{Width: 120, Height: 40}); got != (tea.WindowSizeMsg{Width: 120, Height: 40}) {
		t.Errorf("a real window became %v", got)
	}
	if got := sessionFilter(nil, tea.SuspendMsg{}); got != (tea.ResumeMsg{}) {
		t.Errorf("suspend became %v, want resume", got)
	}
}
