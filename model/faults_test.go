package model

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// The faults an operator meets on a bad day, through the local endpoint's fault injection and
// the real SDK client (with its own retries) over HTTP: throttling on half
// the calls, a 5xx on a fifth, connections dropped after the action ran,
// and answers cut off halfway through their body.
var hostileNetwork = emulator.Faults{Throttle: 0.5, Server5xx: 0.2, Drop: 0.1}

func cutEvery(n int64) (*cutter, func(http.Handler) http.Handler) {
	c := &cutter{every: n}
	return c, func(h http.Handler) http.Handler { c.next = h; return c }
}

// TestFaultsListLoadsWithRetryNotice: under the faults, the cluster list
// still loads, all of it and DocumentDB only; each time a page fails after
// the SDK's retries the screen says the model retries it and when, and the
// model does.
func TestFaultsListLoadsWithRetryNotice(t *testing.T) {
	cut, wrap := cutEvery(5)
	// The faults are drawn request by request: the elastic listing, sent
	// at the same time, would make which request gets which a race.
	s := newStack(t, docdbFleet(450), stackOpts{emulator: emulator.Options{Faults: hostileNetwork, Seed: 11}, wrap: wrap,
		model: []appOption{func(c *Config) { c.Client = noElastic{c.Client} }}})
	notices := 0
	for step := 0; ; step++ {
		var retry []scheduled
		var loading bool
		var scr string
		s.await("the listing done or paused", func(m *Model) bool {
			loading, retry = m.list.loading, due[listRetryMsg](s.timer)
			scr = ansiFree(m)
			return !loading || len(retry) > 0
		})
		if !loading {
			break
		}
		if !strings.Contains(scr, "; retrying in ") || !strings.Contains(scr, "(r retries now)") {
			t.Fatalf("a page waits to be retried and the screen does not say so:\n%s", scr)
		}
		notices++
		if step > 40 {
			t.Fatal("the listing never ended")
		}
		s.clock.Advance(retry[0].d)
		for _, r := range retry { // each listing paused (instance-based, elastic)
			s.tm.Send(r.msg)
		}
	}
	m := s.final()
	if n := len(m.list.rows); n != 450 || m.list.err != nil {
		t.Fatalf("%d rows (err %v), want the 450 DocumentDB clusters", n, m.list.err)
	}
	for _, r := range m.list.rows {
		if r.id == "aurora-1" {
			t.Fatal("an Aurora cluster is listed")
		}
	}
	if notices == 0 || cut.cut.Load() == 0 {
		t.Fatalf("%d retry notices and %d cut answers: the faults did not bite (change the seed)", notices, cut.cut.Load())
	}
	t.Logf("%d pages retried by the model after the SDK's retries; %d DescribeDBClusters calls; %d answers cut",
		notices, s.world.Calls("DescribeDBClusters"), cut.cut.Load())
}

// TestFaultsEachConfirmedSubmitCreatesOneSnapshot: under the faults, with
// the first create's every attempt dropped after the endpoint ran it,
// three snapshots are confirmed once each (and retried with ctrl+r while
// the form says they failed): the endpoint ends with exactly those three,
// no screen ever says already-exists, and each one's progress, polled
// through the same faults, reaches 100%.
func TestFaultsEachConfirmedSubmitCreatesOneSnapshot(t *testing.T) {
	cut, wrap := cutEvery(7)
	s := newStack(t, docdbFleet(3), stackOpts{emulator: emulator.Options{Faults: hostileNetwork, Seed: 5,
		SnapshotDuration: time.Minute}, wrap: wrap})
	s.loadedThroughFaults()
	s.world.DropNext("CreateDBClusterSnapshot", 3) // the SDK's three attempts: all answers lost

	confirms, retries := 0, 0
	ids := []string{"snap-a", "snap-b", "snap-c"}
	for i, id := range ids {
		s.press("g")
		for range i {
			s.press("j")
		}
		s.press("s", "ctrl+u")
		s.typeText(id)
		s.press("enter")
		s.await("the confirmation, its check done", func(m *Model) bool { return showing(m, stageConfirm) && m.flow.guard.known })
		var protected bool
		var name string
		s.await("", func(m *Model) bool { protected, name = m.flow.guard.typing(), m.flow.guard.name; return true })
		if protected { // its tags could not be read through the faults
			s.typeText(name)
		}
		s.press("enter")
		confirms++
		for {
			var screen screen
			var scr string
			s.await("the create's answer", func(m *Model) bool {
				screen, scr = m.screen, ansiFree(m)
				return !m.flow.submitting && (screen == screenProgress || showing(m, stageForm) && m.flow.createErr != nil)
			})
			if strings.Contains(scr, "already exists") {
				t.Fatalf("a false already-exists:\n%s", scr)
			}
			if screen == screenProgress {
				break
			}
			if i == 0 && retries == 0 && !strings.Contains(scr, " may have been created") {
				t.Fatalf("the lost create does not say the snapshot may exist:\n%s", scr)
			}
			retries++
			if retries > 30 {
				t.Fatal("the create never went through")
			}
			s.press("ctrl+r")
		}
		s.press("esc")
	}
	if n := int(s.client.creates.Load()); n != confirms+retries {
		t.Fatalf("the model asked for %d creates: %d confirmed and %d ctrl+r", n, confirms, retries)
	}

	// Time passes; every poll the model schedules is delivered, through
	// the same faults, until nothing is in flight.
	s.followUntilDone(ids...)

	s.world.SetFaults(emulator.Faults{})
	var made []string
	for _, c := range []string{"svc-0000", "svc-0001", "svc-0002"} {
		snaps, err := awsclient.All(context.Background(), s.client.Snapshots(c))
		if err != nil {
			t.Fatal(err)
		}
		for _, sn := range snaps {
			if sn.Type == awsclient.SnapshotManual {
				made = append(made, sn.ID)
				if sn.Status != awsclient.StatusAvailable {
					t.Errorf("%s is %s at the endpoint", sn.ID, sn.Status)
				}
			}
		}
	}
	slices.Sort(made)
	if !slices.Equal(made, ids) {
		t.Fatalf("manual snapshots at the endpoint %v, want exactly %v", made, ids)
	}
	if n := s.world.Calls("CreateDBClusterSnapshot"); n < confirms+retries || n > 3*(confirms+retries) {
		t.Fatalf("%d creates reached the endpoint for %d sends of the model", n, confirms+retries)
	}
	t.Logf("%d confirmed, %d ctrl+r; %d CreateDBClusterSnapshot calls at the endpoint; %d answers cut",
		confirms, retries, s.world.Calls("CreateDBClusterSnapshot"), cut.cut.Load())
}

// loadedThroughFaults delivers the listing's retries until it is done.
func (s *stack) loadedThroughFaults() {
	s.t.Helper()
	for range 40 {
		var loading bool
		var retry []scheduled
		s.await("the listing done or paused", func(m *Model) bool {
			loading, retry = m.list.loading, due[listRetryMsg](s.timer)
			return !loading || len(retry) > 0
		})
		if !loading {
			return
		}
		s.clock.Advance(retry[0].d)
		for _, r := range retry { // each listing paused (instance-based, elastic)
			s.tm.Send(r.msg)
		}
	}
	s.t.Fatal("the listing never ended")
}

// followUntilDone advances the clock to each poll the model schedules and
// delivers it, until every snapshot of ids is done; each must end
// available at 100%, its percent never going back.
func (s *stack) followUntilDone(ids ...string) {
	s.t.Helper()
	last := map[string]int{}
	for step := 0; ; step++ {
		var polls []scheduled
		var done, calling bool
		s.await("polls scheduled, or all done", func(m *Model) bool {
			done, calling = true, m.calling()
			for _, id := range ids {
				_, sn, ok := m.tracked(id)
				if !ok || !sn.Done() {
					done = false
				}
				if ok {
					if sn.Percent < last[id] {
						s.t.Errorf("%s went back from %d%% to %d%%", id, last[id], sn.Percent)
					}
					last[id] = sn.Percent
				}
			}
			if calling {
				return false
			}
			s.timer.mu.Lock()
			for _, sc := range s.timer.got {
				if _, ok := sc.msg.(pollMsg); ok {
					polls = append(polls, sc)
				}
			}
			s.timer.mu.Unlock()
			return done || len(polls) > 0
		})
		if done {
			break
		}
		if step > 200 {
			s.t.Fatalf("still in flight after %d polls: %v", step, last)
		}
		polls = due[pollMsg](s.timer)
		next := polls[0].d
		for _, p := range polls {
			next = min(next, p.d)
		}
		s.clock.Advance(next)
		for _, p := range polls {
			s.tm.Send(p.msg)
		}
	}
	s.await("each available at 100%", func(m *Model) bool {
		for _, id := range ids {
			if _, sn, _ := m.tracked(id); sn.Percent != 100 || sn.Status != awsclient.StatusAvailable {
				s.t.Errorf("%s ended %s at %d%%", id, sn.Status, sn.Percent)
			}
		}
		return true
	})
}

// noElastic is a client whose account has no elastic cluster: it lists
// none without a request.
type noElastic struct{ awsclient.Client }

func (noElastic) ElasticClusters() awsclient.Pages[awsclient.Cluster] { return emptyPages{} }

type emptyPages struct{}

func (emptyPages) More() bool                                        { return false }
func (emptyPages) Next(context.Context) ([]awsclient.Cluster, error) { return nil, nil }
