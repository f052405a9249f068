package model

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// TestStuckCallNeverBlocksInput: while the listing's call hangs, the
// program goes on handling keys, resizes and the filter (each command runs
// in its own goroutine), and q quits at once; the hung call is released
// afterwards.
func TestStuckCallNeverBlocksInput(t *testing.T) {
	b := newBlocking(populated())
	defer b.free()
	a := &app{t: t, clock: emulator.NewClock(t0), timer: &timers{}}
	a.run(b, 100, 20)
	a.await("the listing's call hanging", func(*Model) bool { return b.calls.Load() == 1 })

	a.press("?")
	a.await("help shown while the call hangs", func(m *Model) bool { return m.showHelp && m.list.loading })
	a.tm.Send(tea.WindowSizeMsg{Width: 60, Height: 12})
	a.await("the resize taken", func(m *Model) bool { return m.width == 60 && m.height == 12 })
	a.press("?", "/")
	a.typeText("ord")
	a.await("the filter typed while the call hangs", func(m *Model) bool {
		return m.list.filtering && m.list.input.Value() == "ord" && m.list.loading &&
			strings.Contains(ansiFree(m), "Listing DocumentDB clusters")
	})
	a.press("esc", "q")
	done := make(chan struct{})
	go func() {
		a.tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("q did not quit while a call hangs")
	}
	if b.calls.Load() != 1 {
		t.Fatalf("%d calls", b.calls.Load())
	}
}

// TestStuckCallEndsAtItsDeadline: a call that never answers ends at the
// model's call timeout, as a timeout the screen explains and retries; the
// screen never stays on "loading" for good.
func TestStuckCallEndsAtItsDeadline(t *testing.T) {
	b := newBlocking(populated())
	defer b.free()
	a := &app{t: t, clock: emulator.NewClock(t0), timer: &timers{}}
	a.run(b, 100, 20, func(c *Config) { c.CallTimeout = 50 * time.Millisecond })
	a.await("the timeout shown, a retry scheduled", func(m *Model) bool {
		return strings.Contains(ansiFree(m), "The request timed out; retrying in 4s") && len(due[listRetryMsg](a.timer)) == 1
	})
	b.free()
	a.press("r")
	a.await("listed", func(m *Model) bool { return len(m.list.rows) == 7 && !m.list.loading })
}

// TestFaultsLatencyAgainstCallTimeout: an endpoint that answers 2 s late
// (real time: that is the point) against a client call timeout of 1 s:
// the listing times out well before the answer would come, says it retries,
// and loads once the endpoint is quick again. Then with answers 300 ms late
// and no timeout in the way, a confirmation pressed four times while the
// create is on its way sends one create.
func TestFaultsLatencyAgainstCallTimeout(t *testing.T) {
	started := time.Now()
	s := newStack(t, docdbFleet(3), stackOpts{
		emulator: emulator.Options{Faults: emulator.Faults{Latency: 2 * time.Second}},
		client:   func(o *awsclient.Options) { o.CallTimeout = time.Second },
	})
	var retry []scheduled
	s.await("the timeout and the retry", func(m *Model) bool {
		retry = append(retry, due[listRetryMsg](s.timer)...)
		// Both of the region's listings, instance-based and elastic.
		return len(retry) == 2 && strings.Contains(ansiFree(m), "The request timed out; retrying in 4s")
	})
	if d := time.Since(started); d > 1900*time.Millisecond {
		t.Fatalf("the timeout showed after %v: the 1 s call timeout did not hold", d)
	}
	s.world.SetFaults(emulator.Faults{})
	s.clock.Advance(retry[0].d)
	for _, r := range retry {
		s.tm.Send(r.msg)
	}
	s.await("listed", func(m *Model) bool { return len(m.list.rows) == 3 && !m.list.loading })

	s.world.SetFaults(emulator.Faults{Latency: 300 * time.Millisecond})
	s.press("s", "enter")
	s.await("the confirmation, its check done", func(m *Model) bool { return showing(m, stageConfirm) && m.flow.guard.known })
	s.press("enter", "enter", "enter", "enter")
	s.await("the progress screen", func(m *Model) bool { return m.screen == screenProgress })
	if n, sent := s.world.Calls("CreateDBClusterSnapshot"), s.client.creates.Load(); n != 1 || sent != 1 {
		t.Fatalf("%d creates at the endpoint, %d sent by the model, for one confirmation pressed four times", n, sent)
	}
}

// deadlines is a fake that records, for every call, whether its context
// had a deadline within the model's call timeout.
type deadlines struct {
	*fakeClient
	limit time.Duration
	mu    sync.Mutex
	seen  map[string]int
	bad   []string
}

func (d *deadlines) record(ctx context.Context, call string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.seen[call]++
	if dl, ok := ctx.Deadline(); !ok || time.Until(dl) > d.limit {
		d.bad = append(d.bad, call)
	}
}

type deadlinePages[T any] struct {
	awsclient.Pages[T]
	d    *deadlines
	call string
}

func (p deadlinePages[T]) Next(ctx context.Context) ([]T, error) {
	p.d.record(ctx, p.call)
	return p.Pages.Next(ctx)
}

func (d *deadlines) Clusters() awsclient.Pages[awsclient.Cluster] {
	return deadlinePages[awsclient.Cluster]{d.fakeClient.Clusters(), d, "DescribeDBClusters"}
}
func (d *deadlines) Instances(id string) awsclient.Pages[awsclient.Instance] {
	return deadlinePages[awsclient.Instance]{d.fakeClient.Instances(id), d, "DescribeDBInstances"}
}
func (d *deadlines) Snapshots(id string) awsclient.Pages[awsclient.Snapshot] {
	return deadlinePages[awsclient.Snapshot]{d.fakeClient.Snapshots(id), d, "DescribeDBClusterSnapshots (listing)"}
}
func (d *deadlines) GlobalClusters() awsclient.Pages[awsclient.GlobalCluster] {
	return deadlinePages[awsclient.GlobalCluster]{d.fakeClient.GlobalClusters(), d, "DescribeGlobalClusters"}
}
func (d *deadlines) Snapshot(ctx context.Context, id string, typ ...string) (awsclient.Snapshot, error) {
	d.record(ctx, "DescribeDBClusterSnapshots (one)")
	return d.fakeClient.Snapshot(ctx, id, typ...)
}
func (d *deadlines) CreateSnapshot(ctx context.Context, in awsclient.CreateSnapshotInput) (awsclient.Snapshot, error) {
	d.record(ctx, "CreateDBClusterSnapshot")
	return d.fakeClient.CreateSnapshot(ctx, in)
}
func (d *deadlines) Tags(ctx context.Context, arn string) ([]awsclient.Tag, error) {
	d.record(ctx, "ListTagsForResource")
	return d.fakeClient.Tags(ctx, arn)
}

// TestEveryCallHasADeadline drives every screen that calls AWS (the list
// and its tag filter, discovery of snapshots being taken, the cluster
// screen, the form's protection check, the create, polls of one snapshot
// and of several, --watch) and checks that each call of each kind ran under
// a deadline no later than the model's call timeout: no command of
// cmds.go can hang a screen.
func TestEveryCallHasADeadline(t *testing.T) {
	const limit = 7 * time.Second
	d := &deadlines{fakeClient: populated(), limit: limit, seen: map[string]int{}}
	d.describe["orders-prod-hourly-check"] = awsclient.Snapshot{ID: "orders-prod-hourly-check", ClusterID: "orders-prod",
		Status: "creating", PercentProgress: 42}
	hs := newHarness(t, d.fakeClient, 120, 30, func(c *Config) {
		c.Client, c.CallTimeout, c.Watch = d, limit, "orders-prod-hourly-check"
	})
	hs.press("esc", "/")
	hs.typeText("tag:team")
	hs.press("esc", "enter")               // the cluster screen of orders-prod
	hs.press("esc", "s", "enter", "enter") // the form's check, the create
	hs.polls()                             // two snapshots of orders-prod: a listing
	hs.clock.Advance(time.Minute)
	d.setProgress("orders-prod-hourly-check", "available", 100)
	hs.polls()
	hs.polls() // one left: described by identifier
	for _, call := range []string{"DescribeDBClusters", "DescribeGlobalClusters", "DescribeDBInstances", "DescribeDBClusterSnapshots (listing)",
		"DescribeDBClusterSnapshots (one)", "CreateDBClusterSnapshot", "ListTagsForResource"} {
		if d.seen[call] == 0 {
			t.Errorf("no %s call was made: the test misses a command", call)
		}
	}
	if len(d.bad) > 0 {
		t.Fatalf("calls without a deadline within %v: %v (of %v)", limit, d.bad, d.seen)
	}
}
