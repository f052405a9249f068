package sshserver

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestPerformanceBudgets is issue 7's budget for the SSH server, run as its
// own CI step (DOCSNAP_BUDGETS=1, without -race): 50 concurrent demo
// sessions on 2 cores all reach the cluster list (runDemoLoad fails the run
// otherwise), with the memory per session reported. Once with in-process
// clients, once with 50 OpenSSH processes (the server's heap alone).
//
//	DOCSNAP_BUDGETS=1 go test -run '^TestPerformanceBudgets$' -count=1 ./model/ ./ui/sshserver/
func TestPerformanceBudgets(t *testing.T) {
	if os.Getenv("DOCSNAP_BUDGETS") != "1" {
		t.Skip("skipped: the performance budgets run as their own CI step (DOCSNAP_BUDGETS=1, without -race)")
	}
	if raceEnabled() {
		t.Skip("skipped: the race detector slows everything several times over; measure the budgets without -race")
	}
	need(t, "ssh")
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2)) // "on 2 cores", wherever CI runs
	bt := flag.Lookup("test.benchtime")
	defer bt.Value.Set(bt.Value.String())
	if err := bt.Value.Set("1x"); err != nil {
		t.Fatal(err)
	}
	for _, v := range []struct {
		name string
		run  func(*testing.B)
	}{{"go-client", benchDemoGoClient}, {"openssh", benchDemoOpenSSH}} {
		start := time.Now()
		r := testing.Benchmark(v.run)
		if r.N == 0 {
			t.Errorf("%d sessions (%s) did not all reach the cluster list; run it alone to see why: "+
				"go test -run '^$' -bench 'DemoSessions/%s' -benchtime 1x -cpu 2 ./ui/sshserver/", loadSessions, v.name, v.name)
			continue
		}
		fmt.Printf("%d concurrent demo sessions on 2 cores (%s): %.0f of %d on the cluster list, %.0f KiB of heap per session, "+
			"first frame p50 %.0f ms, p95 %.0f ms (BenchmarkDemoSessions/%s, %v)\n",
			loadSessions, v.name, r.Extra["sessions-on-list"], loadSessions, r.Extra["KiB/session"],
			r.Extra["ms-first-frame-p50"], r.Extra["ms-first-frame-p95"], v.name, time.Since(start).Round(10*time.Millisecond))
	}
}

func raceEnabled() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-race" {
			return s.Value == "true"
		}
	}
	return false
}
