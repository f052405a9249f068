//go:build unix

package model

import (
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// The idle budget needs the process's CPU time, which getrusage gives.
// Bubble Tea v2.1.1's renderer wakes at every frame (60 a second) for the
// program's whole life, drawing or not, and a bare program idles above the
// CPU budget on its own (about 100 ms in 10 s on 2 KVM cores): until the
// framework sleeps when idle (github.com/charmbracelet/bubbletea/issues/1796), the CPU figure
// is reported against that floor, and what docsnap itself controls is held
// to zero: no byte written, no message to the model.
func init() {
	// In the quick run the window is 2 s, and the CPU budget scaled to it.
	const quick = 2 * time.Second
	budgets = append(budgets, budget{"BenchmarkIdle", idle(quick), "1x", []limit{
		{what: "idle, nothing in flight: bytes written in 2 s", metric: "bytes", max: 0},
		{what: "idle, nothing in flight: messages to the model in 2 s", metric: "updates", max: 0},
		{what: "idle, nothing in flight: CPU in 2 s (20 ms per 10 s)", metric: "cpu-ms", max: 20 * quick.Seconds() / 10,
			floor: "cpu-ms-bare"},
	}})
}

// BenchmarkIdle is 10 s of a real program with 10,000 clusters listed
// through the real SDK client, nothing in flight and nobody typing: the
// bytes it writes to the terminal, the messages its model receives, and
// the CPU time the whole process spends (user and system, every thread:
// the program, its renderer, the runtime, the idle endpoint), per window.
// cpu-ms-bare is the same window of a bare Bubble Tea program showing a
// still frame of the same size, measured first: the framework's own floor
// (its renderer wakes at every frame of its frame rate, drawing or not).
//
//	go test -run '^$' -bench 'Idle' -benchtime 1x ./model/
func BenchmarkIdle(b *testing.B) { idle(10 * time.Second)(b) }

func idle(window time.Duration) func(*testing.B) {
	return func(b *testing.B) {
		ep := endpoint(b, 10_000)
		bare := bareCPU(b, window)
		pr := runProgram(b, New(Config{Client: sdkClient(b, ep.URL)}), 120, 40, newTerminal())
		// GeneratedFleet has clusters backing up: the listing ends by
		// looking for their snapshots, which must have answered too.
		rows := listed(10_000)
		pr.await("10,000 clusters listed, nothing in flight, nothing ticking", func(m *Model) bool {
			return m.list.loaded && len(m.list.rows) == rows && !m.busy() && !m.spinning && !m.progress.ticking &&
				pr.discoveries.Load() == 1 && len(m.inFlight(false)) == 0
		})
		pr.settle()
		runtime.GC()
		var written, updates int64
		var cpu time.Duration
		for b.Loop() {
			n0, u0, c0 := pr.term.written(), pr.msgs.Load(), processCPU(b)
			time.Sleep(window) // the window is the measurement
			written += int64(pr.term.written() - n0)
			updates += pr.msgs.Load() - u0
			cpu += processCPU(b) - c0
		}
		n := float64(b.N)
		b.ReportMetric(float64(written)/n, "bytes")
		b.ReportMetric(float64(updates)/n, "updates")
		b.ReportMetric(float64(cpu.Microseconds())/1e3/n, "cpu-ms")
		b.ReportMetric(float64(bare.Microseconds())/1e3, "cpu-ms-bare")
		b.ReportMetric(0, "ns/op")
	}
}

// bareCPU is the process's CPU time over window while a bare Bubble Tea
// program shows a still 120x40 frame, with the same options.
func bareCPU(b *testing.B, window time.Duration) time.Duration {
	term := newTerminal()
	frame := strings.TrimSuffix(strings.Repeat(strings.Repeat("docsnap ", 15)+"\n", 40), "\n")
	p := tea.NewProgram(still(frame), pinned(term, 120, 40)...)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = p.Run()
	}()
	defer func() { p.Quit(); <-done }()
	for term.written() == 0 { // the first frame
		time.Sleep(time.Millisecond)
	}
	runtime.GC() // none of the setup's collection in the window
	c0 := processCPU(b)
	time.Sleep(window)
	return processCPU(b) - c0
}

// still is a model that never changes.
type still string

func (s still) Init() tea.Cmd                       { return nil }
func (s still) Update(tea.Msg) (tea.Model, tea.Cmd) { return s, nil }
func (s still) View() tea.View {
	v := tea.NewView(string(s))
	v.AltScreen = true
	return v
}

// processCPU is the CPU time the process has used, user and system.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
