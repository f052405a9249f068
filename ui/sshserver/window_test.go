package sshserver

import (
	"fmt"
	"io"
	"math"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
	"pgregory.net/rapid"
)

// sizeLog records the window sizes each session's app is given, in order.
type sizeLog struct {
	broadcast
	mu   sync.Mutex
	seen [][]tea.WindowSizeMsg // by app, in the order the apps were built
}

// wrap builds apps with newApp that report their sizes to l.
func (l *sizeLog) wrap(newApp func(AppConfig) tea.Model) func(AppConfig) tea.Model {
	return func(a AppConfig) tea.Model {
		l.mu.Lock()
		i := len(l.seen)
		l.seen = append(l.seen, nil)
		l.mu.Unlock()
		return sized{Model: newApp(a), log: l, i: i}
	}
}

func (l *sizeLog) sizes(i int) []tea.WindowSizeMsg {
	l.mu.Lock()
	defer l.mu.Unlock()
	if i >= len(l.seen) {
		return nil
	}
	return append([]tea.WindowSizeMsg(nil), l.seen[i]...)
}

// last is the size app i was last given.
func (l *sizeLog) last(i int) tea.WindowSizeMsg {
	s := l.sizes(i)
	if len(s) == 0 {
		return tea.WindowSizeMsg{}
	}
	return s[len(s)-1]
}

type sized struct {
	tea.Model
	log *sizeLog
	i   int
}

func (s sized) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m, ok := msg.(tea.WindowSizeMsg); ok {
		s.log.mu.Lock()
		s.log.seen[s.i] = append(s.log.seen[s.i], m)
		s.log.mu.Unlock()
		s.log.wake()
	}
	m, cmd := s.Model.Update(msg)
	return sized{Model: m, log: s.log, i: s.i}, cmd
}

// still is an app that draws one line and does nothing.
type still struct{}

func (still) Init() tea.Cmd                         { return nil }
func (s still) Update(tea.Msg) (tea.Model, tea.Cmd) { return s, nil }
func (still) View() tea.View                        { return tea.NewView("docsnap") }

// dialWindow opens a session as user with a PTY of w x h through a
// connection of its own, which close ends. The session's output goes to
// out (nil: discarded); its input comes from in (nil: none).
func dialWindow(t testing.TB, h *harness, user string, w, ht int, in io.Reader, out io.Writer) (sess *gossh.Session, close func()) {
	t.Helper()
	k := newKey(t, user)
	conn, err := gossh.Dial("tcp", h.addr, &gossh.ClientConfig{User: user, Auth: []gossh.AuthMethod{gossh.PublicKeys(k.signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey()}) //nolint:gosec // a test server on loopback
	if err != nil {
		t.Fatal(err)
	}
	sess, err = conn.NewSession()
	if err == nil {
		sess.Stdin, sess.Stdout = in, out
		err = sess.RequestPty("xterm-256color", ht, w, gossh.TerminalModes{})
	}
	if err == nil {
		err = sess.Shell()
	}
	if err != nil {
		conn.Close()
		t.Fatalf("session of %dx%d: %v", w, ht, err)
	}
	return sess, func() { conn.Close() }
}

// waitSpotted waits until sp has seen its mark.
func waitSpotted(t testing.TB, sp *spotter) {
	t.Helper()
	select {
	case <-sp.seen:
	case <-time.After(waitLimit):
		t.Fatalf("gave up waiting for the client to receive %q", sp.mark)
	}
}

// heapBudget is what ten sessions asking for huge windows may leave on the
// server's heap, everything else of the test process included.
const heapBudget = 256 << 20

// TestHugeWindowsAreCapped: ten demo visitors asking for 10000x10000
// windows, at connect and again by resizing, are drawn at the cap, and the
// heap stays small; once they leave, their memory is returned.
func TestHugeWindowsAreCapped(t *testing.T) {
	var log sizeLog
	h := start(t, Config{Demo: true, Backend: demoBackend(), NewApp: log.wrap(realApp)})
	serving := ignoreCurrent(t)
	before := heapInUse()
	var sessions []*gossh.Session
	var ends []func()
	for i := range 10 {
		user := fmt.Sprintf("visitor%d", i)
		// On the client's screen: drawn, screen buffers and all.
		drawn := newSpotter(listMark)
		sess, end := dialWindow(t, h, user, 10000, 10000, nil, drawn)
		defer end()
		sessions, ends = append(sessions, sess), append(ends, end)
		waitSpotted(t, drawn)
		// Opened one at a time, checked after each: without the cap the
		// first one alone takes gigabytes.
		if heap := heapInUse(); heap > heapBudget {
			t.Fatalf("%d MiB of heap with %d sessions at 10000x10000", heap>>20, i+1)
		}
	}
	for _, sess := range sessions {
		// Over the cap, and within what Bubble Tea takes as a window (it
		// drops sizes over 4096 or a million cells): both come out capped.
		for _, size := range [][2]int{{10000, 10000}, {4000, 100}} {
			if err := sess.WindowChange(size[1], size[0]); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := tea.WindowSizeMsg{Width: maxWidth, Height: 100}
	log.until(t, "every session resized to 400x100", func() bool {
		for i := range sessions {
			if log.last(i) != want {
				return false
			}
		}
		return true
	})
	for i := range sessions {
		for _, s := range log.sizes(i) {
			if s.Width > maxWidth || s.Height > maxHeight {
				t.Errorf("session %d was given a %dx%d window", i, s.Width, s.Height)
			}
		}
	}
	heap := heapInUse()
	t.Logf("heap with ten sessions asking for 10000x10000: %.1f MiB (%.1f MiB more than before they came)",
		float64(heap)/(1<<20), (float64(heap)-float64(before))/(1<<20))
	if heap > heapBudget {
		t.Errorf("%d MiB of heap with ten sessions at 10000x10000, want under %d MiB", heap>>20, heapBudget>>20)
	}

	// Each client closes its session and keeps its connection, as a
	// multiplexing client does: the session ends all the same.
	for _, sess := range sessions {
		sess.Close()
	}
	h.logs.until(t, "every session to end", func() bool { return h.srv.Sessions() == 0 })
	for _, end := range ends {
		end()
	}
	if err := findLeaks(t, serving); err != nil {
		t.Fatalf("the sessions ended, and left behind: %v", err)
	}
	after := heapInUse()
	t.Logf("heap once they left: %.1f MiB", float64(after)/(1<<20))
	if after > before+(8<<20) {
		t.Errorf("%.1f MiB of heap still held once the sessions ended (%.1f MiB before they came)",
			float64(after)/(1<<20), float64(before)/(1<<20))
	}
}

// ptyOnly is a session with a PTY whose window changes the test sends.
type ptyOnly struct {
	ssh.Session
	changes chan ssh.Window
}

func (p *ptyOnly) Pty() (ssh.Pty, <-chan ssh.Window, bool) {
	return ssh.Pty{Window: ssh.Window{Width: 100, Height: 30}}, p.changes, true
}

// TestResizesWaitForTheFirstSize: the SSH library puts the PTY request's
// window first in the session's changes, and the program sends that size to
// itself from a goroutine of its own. The middleware forwarded it as well, so
// the app was given it twice, and on a slow machine the program's own copy
// came after a resize and undid it (the property below hung on CI waiting for
// its last resize). Now the first is not forwarded, and resizes wait until
// the program has its first size.
func TestResizesWaitForTheFirstSize(t *testing.T) {
	var s Server
	sess := &ptyOnly{changes: make(chan ssh.Window, 1)}
	s.states.Store(sess, &session{})
	sess.changes <- ssh.Window{Width: 100, Height: 30} // as the library does
	got := make(chan ssh.Window)
	started := make(chan *cappedSession)
	handlerDone := make(chan struct{})
	go func() {
		defer close(handlerDone)
		s.windowMiddleware(func(c ssh.Session) {
			capped := c.(*cappedSession)
			started <- capped
			for w := range capped.windows {
				got <- w
				if w.Width == 0 {
					return
				}
			}
		})(sess)
	}()
	capped := <-started
	sess.changes <- ssh.Window{Width: 120, Height: 40}
	select {
	case w := <-got:
		t.Fatalf("%dx%d reached the program before it had its first size", w.Width, w.Height)
	case sess.changes <- ssh.Window{Width: 0, Height: 0}:
		// The middleware took the resize from the (one-slot) channel and
		// is holding it: nothing can have been forwarded yet.
	}
	close(capped.sized) // what the frame does at its first size
	for _, want := range []ssh.Window{{Width: 120, Height: 40}, {}} {
		if w := <-got; w != want {
			t.Fatalf("the program was given %dx%d, want %dx%d", w.Width, w.Height, want.Width, want.Height)
		}
	}
	<-handlerDone
}

// sentinel is the last resize of each case of the property below, a size
// the case draws nowhere else: once the app has it, every earlier one has
// arrived.
var sentinel = tea.WindowSizeMsg{Width: 17, Height: 5}

// TestWindowSizesNeverExceedTheCap: whatever sizes a client asks for, at
// connect and by resizing, its app is given each one (but those with a zero
// side, which RFC 4254 says to ignore) at most maxWidth x maxHeight, and
// drawn at the cap when it asked for more.
func TestWindowSizesNeverExceedTheCap(t *testing.T) {
	var log sizeLog
	h := start(t, Config{Demo: true, Backend: demoBackend(), NewApp: log.wrap(func(AppConfig) tea.Model { return still{} })})
	side := rapid.OneOf(rapid.IntRange(0, 3), rapid.IntRange(0, 2*maxWidth), rapid.IntRange(0, 1<<20),
		rapid.SampledFrom([]int{maxHeight, maxHeight + 1, maxWidth, maxWidth + 1, 4096, 4097, math.MaxUint32}))
	window := rapid.Custom(func(t *rapid.T) tea.WindowSizeMsg {
		return tea.WindowSizeMsg{Width: side.Draw(t, "width"), Height: side.Draw(t, "height")}
	}).Filter(func(w tea.WindowSizeMsg) bool { return w != sentinel })
	capped := func(w tea.WindowSizeMsg) tea.WindowSizeMsg {
		return tea.WindowSizeMsg{Width: min(w.Width, maxWidth), Height: min(w.Height, maxHeight)}
	}
	app := 0
	rapid.Check(t, func(rt *rapid.T) {
		first := window.Draw(rt, "first")
		resizes := rapid.SliceOfN(window, 0, 6).Draw(rt, "resizes")
		i := app
		app++
		sess, end := dialWindow(t, h, fmt.Sprintf("case%d", i), first.Width, first.Height, nil, nil)
		defer func() {
			end()
			h.logs.until(t, "the session to end", func() bool { return h.srv.Sessions() == 0 })
		}()
		log.until(t, "the first size", func() bool { return len(log.sizes(i)) > 0 })
		for _, w := range append(resizes, sentinel) {
			if err := sess.WindowChange(w.Height, w.Width); err != nil {
				rt.Fatal(err)
			}
		}
		log.until(t, "the last resize", func() bool { return log.last(i) == sentinel })

		allowed := map[tea.WindowSizeMsg]bool{sentinel: true}
		if first.Width > 0 && first.Height > 0 {
			allowed[capped(first)] = true
		} else {
			allowed[tea.WindowSizeMsg{Width: defaultWidth, Height: defaultHeight}] = true
		}
		for _, w := range resizes {
			allowed[capped(w)] = true
		}
		seen := map[tea.WindowSizeMsg]bool{}
		for _, s := range log.sizes(i) {
			seen[s] = true
			if s.Width > maxWidth || s.Height > maxHeight || !allowed[s] {
				rt.Fatalf("the app was given %dx%d (asked: %v, then %v)", s.Width, s.Height, first, resizes)
			}
		}
		for _, w := range resizes {
			if c := capped(w); c.Width > 0 && c.Height > 0 && !seen[c] {
				rt.Fatalf("a resize to %dx%d never reached the app as %dx%d", w.Width, w.Height, c.Width, c.Height)
			}
		}
	})
}

// BenchmarkSessionAtTheCap reports the server's heap for one demo session
// with a window of maxWidth x maxHeight, its cluster list on screen.
//
//	go test -run '^$' -bench SessionAtTheCap -benchtime 5x ./ui/sshserver/
func BenchmarkSessionAtTheCap(b *testing.B) {
	h := start(b, Config{Demo: true, Backend: demoBackend(), NewApp: realApp})
	var total float64
	for b.Loop() {
		before := heapInUse()
		drawn := newSpotter(listMark)
		_, end := dialWindow(b, h, "visitor", maxWidth, maxHeight, nil, drawn)
		waitSpotted(b, drawn)
		total += float64(heapInUse()) - float64(before)
		end()
		h.logs.until(b, "the session to end", func() bool { return h.srv.Sessions() == 0 })
	}
	b.ReportMetric(total/float64(b.N)/(1<<20), "MiB/session")
	b.ReportMetric(0, "ns/op")
}
