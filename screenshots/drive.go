package main

import (
	"fmt"
	"reflect"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// driver runs a model the way a Bubble Tea program does, but in one
// goroutine and in a fixed order: every command runs at once and its
// message goes back into Update, and timers wait on a manual clock until
// time is advanced. Nothing sleeps, and nothing depends on the scheduler.
type driver struct {
	m     tea.Model
	clock *emulator.Clock
	due   []timer // scheduled through After, in the order scheduled
	seq   int
}

type timer struct {
	at  time.Time
	seq int
	msg tea.Msg
}

// after is model.Config.After: it records the message for advance to
// deliver when the clock reaches it.
func (d *driver) after(delay time.Duration, msg tea.Msg) tea.Cmd {
	d.seq++
	d.due = append(d.due, timer{at: d.clock.Now().Add(delay), seq: d.seq, msg: msg})
	return nil
}

// start sizes the window and runs Init.
func (d *driver) start(width, height int) {
	d.send(tea.WindowSizeMsg{Width: width, Height: height})
	d.run(d.m.Init())
}

// send delivers msg and everything the commands it returns lead to.
func (d *driver) send(msg tea.Msg) {
	queue := []tea.Msg{msg}
	for len(queue) > 0 {
		msg, queue = queue[0], queue[1:]
		var cmd tea.Cmd
		d.m, cmd = d.m.Update(msg)
		queue = append(queue, d.exec(cmd)...)
	}
}

func (d *driver) run(cmd tea.Cmd) {
	for _, msg := range d.exec(cmd) {
		d.send(msg)
	}
}

var cmdType = reflect.TypeFor[tea.Cmd]()

// exec runs a command and returns its messages. A batch or a sequence (a
// slice of commands; tea.Sequence's type is unexported) runs its commands
// in their order: a batch has no order, and this is one of its orders.
func (d *driver) exec(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if msg == nil {
		return nil
	}
	v := reflect.ValueOf(msg)
	if v.Kind() != reflect.Slice || v.Type().Elem() != cmdType {
		return []tea.Msg{msg}
	}
	var out []tea.Msg
	for i := range v.Len() {
		out = append(out, d.exec(v.Index(i).Interface().(tea.Cmd))...)
	}
	return out
}

// advance moves the clock forward by span, delivering each timer when the
// clock reaches it, earliest first.
func (d *driver) advance(span time.Duration) {
	end := d.clock.Now().Add(span)
	for {
		i := d.next()
		if i < 0 || d.due[i].at.After(end) {
			break
		}
		t := d.due[i]
		d.due = slices.Delete(d.due, i, i+1)
		if wait := t.at.Sub(d.clock.Now()); wait > 0 {
			d.clock.Advance(wait)
		}
		d.send(t.msg)
	}
	if rest := end.Sub(d.clock.Now()); rest > 0 {
		d.clock.Advance(rest)
	}
}

// next is the index of the earliest timer, -1 if none.
func (d *driver) next() int {
	best := -1
	for i, t := range d.due {
		if best < 0 || t.at.Before(d.due[best].at) || t.at.Equal(d.due[best].at) && t.seq < d.due[best].seq {
			best = i
		}
	}
	return best
}

// until advances the clock one timer at a time until cond holds, giving up
// after limit of virtual time.
func (d *driver) until(what string, limit time.Duration, cond func() bool) error {
	end := d.clock.Now().Add(limit)
	for !cond() {
		i := d.next()
		if i < 0 || d.due[i].at.After(end) {
			return fmt.Errorf("never reached: %s", what)
		}
		d.advance(d.due[i].at.Sub(d.clock.Now()))
	}
	return nil
}

// Keys as a terminal sends them.
const (
	enter = "\r"
	tab   = "\t"
	esc   = "\x1b"
	ctrlN = "\x0e" // a new tag row
	ctrlU = "\x15" // clears a field
	ctrlA = "\x01" // marks every cluster shown
)

// keys types what a terminal sends for some key presses, decoded as Bubble
// Tea decodes its input. An escape goes alone: followed by more, it would
// be an alt.
func (d *driver) keys(input string) {
	var dec uv.EventDecoder
	for buf := []byte(input); len(buf) > 0; {
		n, ev := dec.Decode(buf)
		if n == 0 {
			panic(fmt.Sprintf("screenshots: cannot decode keys %q", buf))
		}
		buf = buf[n:]
		if k, ok := ev.(uv.KeyPressEvent); ok {
			d.send(tea.KeyPressMsg(k))
		}
	}
}

// view is the model's frame with its colours and, where the frame puts the
// terminal's cursor, the sequences that show it there (as a program's
// renderer writes them after the frame).
func (d *driver) view() string {
	v := d.m.View()
	if v.Cursor == nil {
		return v.Content
	}
	return v.Content + ansi.CursorPosition(v.Cursor.X+1, v.Cursor.Y+1) + ansi.ShowCursor
}
