package model

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// stack is the model in a real Bubble Tea program, talking through the real
// SDK client over HTTP to the local endpoint on 127.0.0.1, whose manual
// clock the model shares: time passes when the test advances it, and the
// timers the model schedules are delivered by the test.
type stack struct {
	*app
	world   *emulator.Server
	handler http.Handler
	ep      *emulator.Endpoint
	addr    string // host:port, to listen on again
	client  *counting
}

type stackOpts struct {
	emulator emulator.Options
	wrap     func(http.Handler) http.Handler // in front of the endpoint
	client   func(*awsclient.Options)
	model    []appOption
	w, h     int
}

func newStack(t *testing.T, fleet emulator.Fleet, o stackOpts) *stack {
	t.Helper()
	s := &stack{app: &app{t: t, clock: emulator.NewClock(t0), timer: &timers{}}}
	o.emulator.Now = s.clock.Now
	if o.emulator.Seed == 0 {
		o.emulator.Seed = 7
	}
	s.world = emulator.New(o.emulator)
	s.world.Load(fleet)
	s.handler = s.world
	if o.wrap != nil {
		s.handler = o.wrap(s.world)
	}
	s.listen("127.0.0.1:0")
	t.Cleanup(func() { s.ep.Close() })
	co := awsclient.Options{EndpointURL: s.ep.URL, RetryMaxBackoff: time.Millisecond, Now: s.clock.Now}
	if o.client != nil {
		o.client(&co)
	}
	sdk, err := awsclient.NewLocal(co)
	if err != nil {
		t.Fatal(err)
	}
	s.client = &counting{Client: sdk}
	if o.w == 0 {
		o.w, o.h = 120, 30
	}
	s.run(s.client, o.w, o.h, o.model...)
	return s
}

// listen serves the endpoint on addr.
func (s *stack) listen(addr string) {
	s.t.Helper()
	ep, err := emulator.Listen(addr, s.handler)
	if err != nil {
		s.t.Fatal(err)
	}
	s.ep, s.addr = ep, strings.TrimPrefix(ep.URL, "http://")
}

// counting counts the creates the model asks its client for.
type counting struct {
	awsclient.Client
	creates atomic.Int32
}

func (c *counting) CreateSnapshot(ctx context.Context, in awsclient.CreateSnapshotInput) (awsclient.Snapshot, error) {
	c.creates.Add(1)
	return c.Client.CreateSnapshot(ctx, in)
}

// due returns and forgets the scheduled messages of type T, with their
// delays.
func due[T tea.Msg](t *timers) []scheduled {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []scheduled
	keep := t.got[:0]
	for _, s := range t.got {
		if _, ok := s.msg.(T); ok {
			out = append(out, s)
		} else {
			keep = append(keep, s)
		}
	}
	t.got = keep
	return out
}

// screen is the frame as plain text, read inside the program.
func (a *app) screen() string {
	a.t.Helper()
	var s string
	a.await("a frame", func(m *Model) bool { s = ansiFree(m); return true })
	return s
}

// cutter cuts every n-th answer halfway through its body: the headers say
// the whole length, half of it arrives, and the connection closes, as when
// a network drops mid-response. The action has run.
type cutter struct {
	next  http.Handler
	every int64
	seen  atomic.Int64
	cut   atomic.Int64
}

func (c *cutter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if c.seen.Add(1)%c.every != 0 {
		c.next.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	c.next.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body[:len(body)/2])
	rc := http.NewResponseController(w)
	if conn, _, err := rc.Hijack(); err == nil {
		conn.Close()
		c.cut.Add(1)
	}
}

// docdbFleet is n available DocumentDB clusters, and an Aurora one that the
// listing must leave out.
func docdbFleet(n int) emulator.Fleet {
	var f emulator.Fleet
	for i := range n {
		f.Clusters = append(f.Clusters, emulator.ClusterSpec{ID: fmt.Sprintf("svc-%04d", i), Engine: awsclient.Engine,
			EngineVersion: "5.0.0", Status: "available", StorageGiB: 100, Age: 100 * 24 * time.Hour})
	}
	f.Clusters = append(f.Clusters, emulator.ClusterSpec{ID: "aurora-1", Engine: "aurora-postgresql", Status: "available"})
	return f
}

// blocking is a fake whose calls hang until released (or their deadline
// passes), for tests of a stuck network.
type blocking struct {
	*fakeClient
	release chan struct{}
	once    sync.Once
	calls   atomic.Int32
}

func newBlocking(f *fakeClient) *blocking {
	return &blocking{fakeClient: f, release: make(chan struct{})}
}

func (b *blocking) free() { b.once.Do(func() { close(b.release) }) }

func (b *blocking) wait(ctx context.Context) error {
	b.calls.Add(1)
	select {
	case <-b.release:
		return nil
	case <-ctx.Done():
		return &awsclient.Error{Kind: awsclient.KindTimeout, Op: "call", Err: ctx.Err()}
	}
}

func (b *blocking) Clusters() awsclient.Pages[awsclient.Cluster] {
	return &blockingPages{Pages: b.fakeClient.Clusters(), b: b}
}

func (b *blocking) Snapshot(ctx context.Context, id string, typ ...string) (awsclient.Snapshot, error) {
	if err := b.wait(ctx); err != nil {
		return awsclient.Snapshot{}, err
	}
	return b.fakeClient.Snapshot(ctx, id, typ...)
}

func (b *blocking) CreateSnapshot(ctx context.Context, in awsclient.CreateSnapshotInput) (awsclient.Snapshot, error) {
	if err := b.wait(ctx); err != nil {
		return awsclient.Snapshot{}, err
	}
	return b.fakeClient.CreateSnapshot(ctx, in)
}

type blockingPages struct {
	awsclient.Pages[awsclient.Cluster]
	b *blocking
}

func (p *blockingPages) Next(ctx context.Context) ([]awsclient.Cluster, error) {
	if err := p.b.wait(ctx); err != nil {
		return nil, err
	}
	return p.Pages.Next(ctx)
}
