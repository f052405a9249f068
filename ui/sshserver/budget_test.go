package sshserver

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"
)

// TestPerformanceBudgets is the SSH server's share of the README's
// performance budgets (the Performance section's table), run as its
// own CI step (DOCSNAP_BUDGETS=1, without -race; under -race it holds too,
// as TestFiftyConcurrentDemoSessions does, only slower): 50 concurrent demo
// sessions on 2 cores all reach the cluster list (runDemoLoad fails the run
// otherwise), with the memory per session reported. Once with in-process
// clients, once with 50 OpenSSH processes (the server's heap alone). Then
// the heap of one session at the window cap, against capSessionBudget.
//
//	DOCSNAP_BUDGETS=1 go test -p 1 -run '^TestPerformanceBudgets$' -count=1 -v ./model/ ./ui/sshserver/
func TestPerformanceBudgets(t *testing.T) {
	if os.Getenv("DOCSNAP_BUDGETS") != "1" {
		t.Skip("skipped: the performance budgets run as their own CI step (DOCSNAP_BUDGETS=1, without -race)")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2)) // "on 2 cores", wherever CI runs
	bt := flag.Lookup("test.benchtime")
	defer bt.Value.Set(bt.Value.String())
	if err := bt.Value.Set("1x"); err != nil {
		t.Fatal(err)
	}
	measure := func(t *testing.T, name string, run func(*testing.B)) {
		start := time.Now()
		r := testing.Benchmark(run)
		if r.N == 0 {
			t.Fatalf("%d sessions (%s) did not all reach the cluster list; run it alone to see why: "+
				"go test -run '^$' -bench 'DemoSessions/%s' -benchtime 1x -cpu 2 ./ui/sshserver/", loadSessions, name, name)
		}
		fmt.Printf("%d concurrent demo sessions on 2 cores (%s): %.0f of %d on the cluster list, %.0f KiB of heap per session, "+
			"first frame p50 %.0f ms, p95 %.0f ms (BenchmarkDemoSessions/%s, %v)\n",
			loadSessions, name, r.Extra["sessions-on-list"], loadSessions, r.Extra["KiB/session"],
			r.Extra["ms-first-frame-p50"], r.Extra["ms-first-frame-p95"], name, time.Since(start).Round(10*time.Millisecond))
	}
	t.Run("go-client", func(t *testing.T) { measure(t, "go-client", benchDemoGoClient) })
	t.Run("openssh", func(t *testing.T) {
		need(t, "ssh")
		measure(t, "openssh", benchDemoOpenSSH)
	})
	t.Run("session-at-the-cap", func(t *testing.T) {
		r := testing.Benchmark(BenchmarkSessionAtTheCap)
		got := r.Extra["MiB/session"]
		fmt.Printf("one demo session at the window cap (%dx%d): %.1f MiB of heap, budget %d MiB (BenchmarkSessionAtTheCap)\n",
			maxWidth, maxHeight, got, capSessionBudget>>20)
		if r.N == 0 || got > 2*float64(capSessionBudget>>20) {
			t.Errorf("a session at the window cap: %.1f MiB of heap, budget %d MiB: broken by more than 2x", got, capSessionBudget>>20)
		}
	})
}

// capSessionBudget is the heap one session at the window cap may take: its
// screen buffers and its demo world.
const capSessionBudget = 16 << 20
