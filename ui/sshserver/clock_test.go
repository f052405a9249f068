package sshserver

import (
	"sync"
	"testing"
	"time"
)

// fakeClock stands in for time.Now and time.AfterFunc: timers fire only
// when the test says so.
type fakeClock struct {
	broadcast
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at      time.Time
	f       func()
	stopped bool
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	t := &fakeTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	c.mu.Unlock()
	c.wake()
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		was := !t.stopped
		t.stopped = true
		return was
	}
}

// install makes s use the clock.
func (c *fakeClock) install(s *Server) {
	s.now, s.afterFunc = c.Now, c.AfterFunc
}

// pending is the number of armed timers.
func (c *fakeClock) pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if !t.stopped {
			n++
		}
	}
	return n
}

// advance moves the clock and fires the timers now due, in order.
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	var due []*fakeTimer
	for _, t := range c.timers {
		if !t.stopped && !t.at.After(c.now) {
			t.stopped = true
			due = append(due, t)
		}
	}
	c.mu.Unlock()
	for _, t := range due {
		t.f()
	}
}

func TestIdleWatchCountsInputOnly(t *testing.T) {
	c := newFakeClock()
	expired := 0
	w := &idleWatch{timeout: 15 * time.Minute, now: c.Now, afterFunc: c.AfterFunc, expire: func() { expired++ }}
	w.start()
	c.advance(10 * time.Minute)
	w.touch() // a key at 10m
	c.advance(5 * time.Minute)
	if expired != 0 {
		t.Fatal("expired 5 minutes after a key press")
	}
	if c.pending() != 1 {
		t.Fatalf("%d timers armed, want 1", c.pending())
	}
	c.advance(10*time.Minute - time.Second)
	if expired != 0 {
		t.Fatal("expired a second early")
	}
	c.advance(time.Second)
	if expired != 1 {
		t.Fatalf("expired %d times at 15 minutes without input, want 1", expired)
	}
	w.stop()
	if c.pending() != 0 {
		t.Error("a timer is still armed after stop")
	}
}
