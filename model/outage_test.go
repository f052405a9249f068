package model

import (
	"strings"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// TestEndpointAwayAndBack: the endpoint goes away for 30 s (its listener
// closed) while a snapshot is tracked and comes back on the same port.
// Meanwhile each poll fails, the progress screen says why and when it
// checks again, polling goes on by itself with a growing pause, and the
// list's r says it retries; once the endpoint is back, tracking resumes
// without a key pressed and reaches 100%, and the list's r works.
func TestEndpointAwayAndBack(t *testing.T) {
	s := newStack(t, docdbFleet(3), stackOpts{emulator: emulator.Options{SnapshotDuration: 2 * time.Minute},
		client: func(o *awsclient.Options) { o.CallTimeout = 5 * time.Second }})
	s.loaded()
	s.press("s", "ctrl+u")
	s.typeText("outage-snap")
	s.press("enter")
	s.await("the confirmation, its check done", func(m *Model) bool { return showing(m, stageConfirm) && m.flow.guard.known })
	s.press("enter")
	s.await("the progress screen", func(m *Model) bool { return m.screen == screenProgress })
	s.pollOnce()
	before := s.percent("outage-snap")

	s.ep.Close()
	down := s.clock.Now()
	var delays []time.Duration
	for s.clock.Now().Sub(down) < 30*time.Second {
		d := s.pollOnce()
		delays = append(delays, d)
		scr := s.screen()
		for _, want := range []string{"could not be reached", "Checking again in", "Press r to check"} {
			if !strings.Contains(scr, want) {
				t.Fatalf("while the endpoint is away the progress screen lacks %q:\n%s", want, scr)
			}
		}
	}
	if len(delays) < 2 || delays[len(delays)-1] <= delays[0] {
		t.Fatalf("polls while away came after %v: want polling to go on, less often", delays)
	}

	// The list, refreshed while the endpoint is away, keeps its rows and
	// says it retries.
	s.press("esc", "r")
	s.await("the refresh paused, its rows kept", func(m *Model) bool {
		scr := ansiFree(m)
		return strings.Contains(scr, "could not be reached, or it closed the connection; retrying in 4s") &&
			strings.Contains(scr, "svc-0000") && strings.Contains(scr, "outage-snap")
	})
	var retry []scheduled
	s.await("both of the region's listings paused", func(m *Model) bool {
		retry = append(retry, due[listRetryMsg](s.timer)...)
		return len(retry) == 2
	})

	// Back on the same port, 30 s later: the next poll succeeds by itself.
	s.listen(s.addr)
	s.pollOnce()
	s.await("tracking resumed", func(m *Model) bool {
		_, sn, _ := m.tracked("outage-snap")
		return sn.Err == nil && sn.Percent > before && m.progress.watching.sc.notes[sn.ClusterID] == ""
	})
	s.clock.Advance(retry[0].d)
	for _, r := range retry { // both of the region's listings, instance-based and elastic
		s.tm.Send(r.msg)
	}
	s.await("the refresh done", func(m *Model) bool { return !m.list.loading && len(m.list.rows) == 3 && m.list.err == nil })
	calls := s.world.Calls("DescribeDBClusters")
	s.press("r")
	s.await("r lists again", func(m *Model) bool {
		return !m.list.loading && s.world.Calls("DescribeDBClusters") == calls+1 && !strings.Contains(ansiFree(m), "retrying")
	})
	s.followUntilDone("outage-snap")
}

// pollOnce advances the clock to the poll the model scheduled, delivers
// it, waits for its answer and returns the delay it had.
func (s *stack) pollOnce() time.Duration {
	s.t.Helper()
	var polls []scheduled
	s.await("a poll scheduled", func(m *Model) bool {
		polls = append(polls, due[pollMsg](s.timer)...)
		return len(polls) > 0 && !m.calling()
	})
	s.clock.Advance(polls[0].d)
	for _, p := range polls {
		s.tm.Send(p.msg)
	}
	s.await("the poll answered", func(m *Model) bool { return !m.calling() && m.hasPollScheduledOrDone(s.timer) })
	return polls[0].d
}

// hasPollScheduledOrDone reports whether the poll that was sent has been
// answered: a next poll is scheduled, or nothing is left in flight.
func (m *Model) hasPollScheduledOrDone(t *timers) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, s := range t.got {
		if _, ok := s.msg.(pollMsg); ok {
			return true
		}
	}
	return len(m.inFlight(false)) == 0
}

func (s *stack) percent(id string) int {
	var p int
	s.await("", func(m *Model) bool { _, sn, _ := m.tracked(id); p = sn.Percent; return true })
	return p
}

// TestPollingBudgetAtTheEndpoint: three snapshots of one cluster and one of
// another, found being created, cost exactly two DescribeDBClusterSnapshots
// a poll interval, counted by the endpoint.
func TestPollingBudgetAtTheEndpoint(t *testing.T) {
	creating := func(id string, elapsed float64) emulator.SnapshotSpec {
		return emulator.SnapshotSpec{ID: id, Type: awsclient.SnapshotManual, Elapsed: elapsed}
	}
	fleet := emulator.Fleet{Clusters: []emulator.ClusterSpec{
		{ID: "three", Engine: awsclient.Engine, EngineVersion: "5.0.0", Status: "backing-up", StorageGiB: 100,
			Snapshots: []emulator.SnapshotSpec{creating("three-a", 0.5), creating("three-b", 0.6), creating("three-c", 0.7),
				{Type: awsclient.SnapshotAutomated, Age: 24 * time.Hour}}},
		{ID: "one", Engine: awsclient.Engine, EngineVersion: "5.0.0", Status: "backing-up", StorageGiB: 100,
			Snapshots: []emulator.SnapshotSpec{creating("one-a", 0.5), {Type: awsclient.SnapshotAutomated, Age: 24 * time.Hour}}},
		{ID: "idle", Engine: awsclient.Engine, EngineVersion: "5.0.0", Status: "available", StorageGiB: 100},
	}}
	s := newStack(t, fleet, stackOpts{emulator: emulator.Options{SnapshotDuration: time.Hour}})
	s.loaded()
	s.await("the four snapshots found and followed", func(m *Model) bool { return len(m.inFlight(false)) == 4 })
	for interval := range 5 {
		var polls []scheduled
		s.await("both clusters' polls scheduled", func(m *Model) bool {
			polls = append(polls, due[pollMsg](s.timer)...)
			return len(polls) == 2 && !m.calling()
		})
		if polls[0].d != polls[1].d {
			t.Fatalf("the clusters' polls are due in %v and %v", polls[0].d, polls[1].d)
		}
		before := s.world.Calls("DescribeDBClusterSnapshots")
		s.clock.Advance(polls[0].d)
		for _, p := range polls {
			s.tm.Send(p.msg)
		}
		s.await("both answered", func(m *Model) bool { return !m.calling() && len(s.timer.pollsPending()) == 2 })
		if n := s.world.Calls("DescribeDBClusterSnapshots") - before; n != 2 {
			t.Fatalf("interval %d: %d DescribeDBClusterSnapshots calls for 3+1 snapshots of 2 clusters, want 2", interval, n)
		}
	}
	s.await("progress seen", func(m *Model) bool {
		for _, f := range m.inFlight(false) {
			if f.snap.Percent == 0 || f.snap.Err != nil {
				t.Errorf("%s at %d%% (%v)", f.snap.ID, f.snap.Percent, f.snap.Err)
			}
		}
		return true
	})
}

// pollsPending is the polls scheduled and not delivered.
func (t *timers) pollsPending() []scheduled {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []scheduled
	for _, s := range t.got {
		if _, ok := s.msg.(pollMsg); ok {
			out = append(out, s)
		}
	}
	return out
}
