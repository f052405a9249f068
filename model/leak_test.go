package model

import (
	"bytes"
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
	"go.uber.org/goleak"
)

// owned is a real Bubble Tea program writing to a buffer the test owns,
// with no terminal input: keys are sent as messages.
type owned struct {
	t    *testing.T
	p    *tea.Program
	out  *syncBuffer
	done chan error
}

// syncBuffer is what the program writes, safe to read while it writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runOwned runs m at w×h, its colours and environment pinned.
func runOwned(t *testing.T, m *Model, w, h int) *owned {
	t.Helper()
	o := &owned{t: t, out: &syncBuffer{}, done: make(chan error, 1)}
	o.p = tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(o.out), tea.WithWindowSize(w, h),
		tea.WithColorProfile(colorprofile.TrueColor), tea.WithEnvironment([]string{"TERM=xterm-256color"}),
		tea.WithoutSignalHandler(), tea.WithFilter(answerProbes(m)))
	go func() {
		_, err := o.p.Run()
		o.done <- err
	}()
	return o
}

func (o *owned) await(what string, pred func(*Model) bool) {
	o.t.Helper()
	awaitProbe(o.t, o.p.Send, 10*time.Second, what, pred)
}

func (o *owned) press(keys ...string) {
	for _, k := range keys {
		o.p.Send(keyMsg(k))
	}
}

func (o *owned) typeText(s string) {
	for _, r := range s {
		o.p.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// wait waits for the program to end.
func (o *owned) wait() {
	o.t.Helper()
	select {
	case err := <-o.done:
		if err != nil {
			o.t.Fatalf("the program ended with %v", err)
		}
	case <-time.After(10 * time.Second):
		o.t.Fatal("the program did not end")
	}
}

// TestProgramQuitLeaksNothing: a program on real timers, started and quit
// from the list (nothing in flight), leaves no goroutine behind; one quit
// with a snapshot in flight (a poll due in seconds, the spinner and the
// clock ticking) leaves none once its Context ends, as an SSH session's
// does.
func TestProgramQuitLeaksNothing(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	idle := runOwned(t, New(Config{Client: populated(), Now: func() time.Time { return t0 }}), 100, 24)
	idle.await("listed", func(m *Model) bool { return len(m.list.rows) == 7 && !m.busy() })
	idle.press("j", "?", "?", "q")
	idle.wait()
	goleak.VerifyNone(t, ignore)

	ctx, cancel := context.WithCancel(context.Background())
	busy := runOwned(t, New(Config{Client: populated(), Now: func() time.Time { return t0 }, Context: ctx}), 100, 24)
	busy.await("listed", func(m *Model) bool { return len(m.list.rows) == 7 })
	busy.press("s", "enter", "enter")
	busy.await("tracking", func(m *Model) bool { return m.screen == screenProgress && m.progress.ticking })
	busy.press("q", "y")
	busy.wait()
	cancel()
	goleak.VerifyNone(t, ignore)
}

// TestContextEndStopsCallsAndTimers: when the model's Context ends, a call
// that hangs and the timers pending (the spinner, a listing's retry) end at
// once, not at their deadlines.
func TestContextEndStopsCallsAndTimers(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	b := newBlocking(populated())
	defer b.free()
	ctx, cancel := context.WithCancel(context.Background())
	o := runOwned(t, New(Config{Client: b, Context: ctx, CallTimeout: time.Hour}), 100, 24)
	o.await("the call hanging, the spinner turning", func(m *Model) bool { return b.calls.Load() == 1 && m.spinning })
	o.p.Quit()
	o.wait()
	cancel()
	goleak.VerifyNone(t, ignore)
}

// TestSwitchingRegionsLeaksNothing: on the real stack (an endpoint per
// region, started on demand, as --demo does), switching region and to two
// regions with a snapshot in flight in the first, then quitting, leaves no
// goroutine behind once the endpoints and the model's Context end.
func TestSwitchingRegionsLeaksNothing(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	var calls atomic.Int32
	worlds := emulator.NewRegions(emulator.Options{SnapshotDuration: time.Hour}, emulator.DemoFleetFor)
	connect := func(_, region string) (awsclient.Client, error) {
		if region == "" {
			region = emulator.DefaultRegion
		}
		url, err := worlds.URL(region)
		if err != nil {
			return nil, err
		}
		c, err := awsclient.NewLocal(awsclient.Options{Region: region, EndpointURL: url})
		return &inFlight{Client: c, n: &calls}, err
	}
	first, err := connect("", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	o := runOwned(t, New(Config{Client: first, Connect: connect, Demo: true, Context: ctx}), 120, 30)
	o.await("listed", func(m *Model) bool { return len(m.list.rows) > 0 && !m.list.loading })
	o.press("s", "enter")
	o.await("checked", func(m *Model) bool { return showing(m, stageConfirm) && m.flow.guard.known })
	o.press("enter")
	o.await("tracking", func(m *Model) bool { return m.screen == screenProgress })
	o.press("esc", ":")
	o.typeText("region eu-west-1")
	o.press("enter")
	o.await("switched", func(m *Model) bool {
		return m.switching == "" && len(m.active) == 1 && m.active[0].target.Region == "eu-west-1" && !m.list.loading && len(m.list.rows) > 0
	})
	o.press(":")
	o.typeText("region us-east-1,eu-west-1")
	o.press("enter")
	o.await("two regions", func(m *Model) bool { return m.switching == "" && len(m.active) == 2 && !m.list.loading })
	o.press("q", "y")
	o.wait()
	cancel()
	// The calls in flight (discovery, a poll) end with the Context. (They
	// must be over before goleak looks: v1.3.0 cannot parse the deep
	// stacks of the SDK's middleware that Go 1.26 prints with frames
	// elided.)
	for deadline := time.Now().Add(5 * time.Second); calls.Load() > 0; {
		if time.Now().After(deadline) {
			t.Fatalf("%d calls still in flight after the model's Context ended", calls.Load())
		}
		runtime.Gosched()
	}
	worlds.Close()
	goleak.VerifyNone(t, ignore)
}

// inFlight counts the calls under way through a client.
type inFlight struct {
	awsclient.Client
	n *atomic.Int32
}

func (c *inFlight) track() func() { c.n.Add(1); return func() { c.n.Add(-1) } }

func (c *inFlight) Clusters() awsclient.Pages[awsclient.Cluster] {
	return inFlightPages[awsclient.Cluster]{c.Client.Clusters(), c}
}
func (c *inFlight) Instances(id string) awsclient.Pages[awsclient.Instance] {
	return inFlightPages[awsclient.Instance]{c.Client.Instances(id), c}
}
func (c *inFlight) Snapshots(id string) awsclient.Pages[awsclient.Snapshot] {
	return inFlightPages[awsclient.Snapshot]{c.Client.Snapshots(id), c}
}
func (c *inFlight) Snapshot(ctx context.Context, id string, typ ...string) (awsclient.Snapshot, error) {
	defer c.track()()
	return c.Client.Snapshot(ctx, id, typ...)
}
func (c *inFlight) CreateSnapshot(ctx context.Context, in awsclient.CreateSnapshotInput) (awsclient.Snapshot, error) {
	defer c.track()()
	return c.Client.CreateSnapshot(ctx, in)
}
func (c *inFlight) Tags(ctx context.Context, arn string) ([]awsclient.Tag, error) {
	defer c.track()()
	return c.Client.Tags(ctx, arn)
}

type inFlightPages[T any] struct {
	awsclient.Pages[T]
	c *inFlight
}

func (p inFlightPages[T]) Next(ctx context.Context) ([]T, error) {
	defer p.c.track()()
	return p.Pages.Next(ctx)
}
