package sshserver

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	gossh "golang.org/x/crypto/ssh"
)

// ticker is an app whose screen changes every millisecond.
type ticker int

type tickMsg struct{}

func tick() tea.Cmd { return tea.Tick(time.Millisecond, func(time.Time) tea.Msg { return tickMsg{} }) }

func (ticker) Init() tea.Cmd { return tick() }
func (n ticker) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tickMsg); ok {
		return n + 1, tick()
	}
	return n, nil
}
func (n ticker) View() tea.View { return tea.NewView(fmt.Sprintf("tick %d", int(n))) }

// writeTimes records when each write (a frame, for a small screen) arrived.
type writeTimes struct {
	mu sync.Mutex
	at []time.Time
}

func (w *writeTimes) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.at = append(w.at, time.Now())
	w.mu.Unlock()
	return len(p), nil
}

// TestFPSBoundsTheFrames: a session's screen is drawn at most FPS times a
// second, however often its app changes it.
func TestFPSBoundsTheFrames(t *testing.T) {
	const fps = 4
	h := start(t, Config{Demo: true, FPS: fps, Backend: demoBackend(), NewApp: func(AppConfig) tea.Model { return ticker(0) }})
	_, sess := dialConn(t, h, "ticks", newKey(t, "ticks"))
	frames := &writeTimes{}
	sess.Stdout = frames
	if err := sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	// A few hundred changes of the screen, which takes a few hundred
	// milliseconds.
	h.screens.until(t, "300 ticks", func() bool {
		n, _ := strconv.Atoi(strings.TrimPrefix(h.screens.get("ticks"), "tick "))
		return n >= 300
	})
	end := time.Now()
	frames.mu.Lock()
	defer frames.mu.Unlock()
	if len(frames.at) == 0 {
		t.Fatal("no frame arrived")
	}
	elapsed := end.Sub(frames.at[0])
	n := 0
	for _, at := range frames.at {
		if !at.After(end) {
			n++
		}
	}
	if limit := int(elapsed.Seconds()*fps) + 3; n > limit {
		t.Errorf("%d frames in %v at %d fps, want at most %d", n, elapsed.Round(time.Millisecond), fps, limit)
	}
}

// idleSessions is how many sessions BenchmarkIdleSessions keeps open, and
// idleWindow how long it measures them for.
const (
	idleSessions = 10
	idleWindow   = 2 * time.Second
)

// BenchmarkIdleSessions reports the CPU time the server spends per idle
// session (its cluster list on screen, no input), at the default frame rate
// and at Bubble Tea's own 60: the process's CPU time over idleWindow, which
// the in-process clients add nothing to while nothing is drawn.
//
//	go test -run '^$' -bench IdleSessions -benchtime 3x -cpu 2 ./ui/sshserver/
func BenchmarkIdleSessions(b *testing.B) {
	for _, fps := range []int{DefaultFPS, 60} {
		b.Run(fmt.Sprintf("fps=%d", fps), func(b *testing.B) { benchIdle(b, fps) })
	}
}

func benchIdle(b *testing.B, fps int) {
	h := start(b, Config{Demo: true, FPS: fps, Backend: demoBackend(), NewApp: realApp})
	for range idleSessions {
		drawn := newSpotter(listMark)
		_, end := dialWindow(b, h, "idle", 120, 40, nil, drawn)
		b.Cleanup(end)
		waitSpotted(b, drawn)
	}
	var cpu time.Duration
	for b.Loop() {
		before := cpuTime(b)
		time.Sleep(idleWindow) // the measurement itself: idle sessions, nothing to wait for
		cpu += cpuTime(b) - before
	}
	perSecond := cpu.Seconds() / (float64(b.N) * idleWindow.Seconds())
	b.ReportMetric(perSecond*1000/idleSessions, "ms-cpu/s/session")
	b.ReportMetric(0, "ns/op")
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// writeSignal tells, through seen, that a write arrived.
type writeSignal struct {
	*spotter
	seen chan struct{}
}

func (w writeSignal) Write(p []byte) (int, error) {
	select {
	case w.seen <- struct{}{}:
	default:
	}
	return w.spotter.Write(p)
}

// BenchmarkKeyEcho reports how long a key takes to come back as a redrawn
// screen, over SSH on loopback, at the default frame rate and at 60: the
// other side of the trade the frame rate makes. A key waits for the next
// frame: half a frame on average, a whole one at worst.
//
//	go test -run '^$' -bench KeyEcho -benchtime 200x -cpu 2 ./ui/sshserver/
func BenchmarkKeyEcho(b *testing.B) {
	for _, fps := range []int{DefaultFPS, 60} {
		b.Run(fmt.Sprintf("fps=%d", fps), func(b *testing.B) {
			h := start(b, Config{Demo: true, FPS: fps, Backend: demoBackend(), NewApp: realApp})
			out := writeSignal{spotter: newSpotter(listMark), seen: make(chan struct{}, 1)}
			in, keys := io.Pipe()
			_, end := dialWindow(b, h, "echo", 120, 40, in, out)
			b.Cleanup(end)
			waitSpotted(b, out.spotter)
			var times []time.Duration
			down := true
			// A key comes at any moment of a frame, not just after one:
			// a pause of a random part of a frame before each press.
			jitter := rand.New(rand.NewPCG(1, 2))
			frame := time.Second / time.Duration(fps)
			for b.Loop() {
				time.Sleep(time.Duration(jitter.Int64N(int64(frame))))
				key := "\x1b[B" // the cursor moves down, then up: the screen changes every time
				if !down {
					key = "\x1b[A"
				}
				down = !down
				select {
				case <-out.seen:
				default:
				}
				t0 := time.Now()
				if _, err := keys.Write([]byte(key)); err != nil {
					b.Fatal(err)
				}
				select {
				case <-out.seen:
					times = append(times, time.Since(t0))
				case <-time.After(waitLimit):
					b.Fatal("no frame after a key")
				}
			}
			b.ReportMetric(float64(percentile(times, 50).Microseconds())/1000, "ms-echo-p50")
			b.ReportMetric(float64(percentile(times, 95).Microseconds())/1000, "ms-echo-p95")
			b.ReportMetric(0, "ns/op")
		})
	}
}
