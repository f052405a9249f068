package sshserver

import (
	"reflect"
	"runtime/debug"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// noticeMsg puts a line at the bottom of a session's screen, over the app,
// for what the server has to say (it is going down). The app gets one line
// less while it shows.
type noticeMsg string

// frame wraps a session's app model: it shows the server's notices, and it
// turns a panic in the app (Init, Update, View or a command) into the end of
// that session instead of a crash of the program, reporting it through fail.
type frame struct {
	app    tea.Model
	fail   func(r any, stack []byte) // called once per panic, from any goroutine
	width  int
	height int
	notice string
	last   tea.View             // the last view that rendered, shown if View panics
	onView func(content string) // tests: sees every frame the program renders
	sized  chan struct{}        // closed at the first size (see windowMiddleware); nil after
}

var noticeStyle = lipgloss.NewStyle().Reverse(true).Bold(true)

func (f *frame) Init() (cmd tea.Cmd) {
	defer f.catch(&cmd)
	return f.wrap(f.app.Init())
}

func (f *frame) Update(msg tea.Msg) (m tea.Model, cmd tea.Cmd) {
	m = f // set first: a panic in the app must still return the frame
	defer f.catch(&cmd)
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		f.width, f.height = msg.Width, msg.Height
		if f.sized != nil {
			close(f.sized)
			f.sized = nil
		}
		return f, f.forward(f.appSize())
	case noticeMsg:
		f.notice = string(msg)
		return f, f.forward(f.appSize())
	}
	return f, f.forward(msg)
}

func (f *frame) forward(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	f.app, cmd = f.app.Update(msg)
	return f.wrap(cmd)
}

// appSize is the window the app may draw in: the notice takes the last line.
func (f *frame) appSize() tea.WindowSizeMsg {
	h := f.height
	if f.notice != "" && h > 1 {
		h--
	}
	return tea.WindowSizeMsg{Width: f.width, Height: h}
}

func (f *frame) View() (v tea.View) {
	defer func() {
		if r := recover(); r != nil {
			f.fail(r, debug.Stack())
			v = f.last
		}
	}()
	v = f.app.View()
	if f.notice != "" && f.height > 1 {
		lines := strings.Split(v.Content, "\n")
		for len(lines) < f.height-1 {
			lines = append(lines, "")
		}
		lines = append(lines[:f.height-1], noticeStyle.Render(ansi.Truncate(f.notice, f.width, "…")))
		v.Content = strings.Join(lines, "\n")
	}
	f.last = v
	if f.onView != nil {
		f.onView(v.Content)
	}
	return v
}

// catch ends the session on a panic in Init or Update.
func (f *frame) catch(cmd *tea.Cmd) {
	if r := recover(); r != nil {
		f.fail(r, debug.Stack())
		*cmd = nil
	}
}

// wrap guards a command, and the commands of a batch or a sequence it
// returns, the same way: commands run on their own goroutines, where a panic
// would otherwise reach Bubble Tea's handler (which prints to the server's
// stderr and ends the session as if the user had quit).
func (f *frame) wrap(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				f.fail(r, debug.Stack())
				msg = nil
			}
		}()
		msg = cmd()
		// A batch or a sequence is a slice of commands (tea.Sequence's type
		// is unexported): the same type comes back, each command guarded.
		v := reflect.ValueOf(msg)
		if v.Kind() != reflect.Slice || v.Type().Elem() != cmdType {
			return msg
		}
		wrapped := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			wrapped.Index(i).Set(reflect.ValueOf(f.wrap(v.Index(i).Interface().(tea.Cmd))))
		}
		return wrapped.Interface()
	}
}

var cmdType = reflect.TypeFor[tea.Cmd]()
