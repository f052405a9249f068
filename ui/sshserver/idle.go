package sshserver

import (
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// idleWatch calls expire once no input has arrived for timeout. Input is
// what the user sends (keys, mouse, paste): output and SSH keepalives do not
// keep a session alive. One timer at a time, re-armed lazily when it fires
// early, so that a keystroke costs an atomic store and nothing more.
type idleWatch struct {
	timeout   time.Duration
	now       func() time.Time
	afterFunc func(time.Duration, func()) (stop func() bool)
	expire    func()

	last atomic.Int64 // UnixNano of the last input

	mu      sync.Mutex
	cancel  func() bool
	stopped bool
}

func (w *idleWatch) start() {
	w.touch()
	w.arm(w.timeout)
}

func (w *idleWatch) touch() { w.last.Store(w.now().UnixNano()) }

func (w *idleWatch) arm(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.stopped {
		w.cancel = w.afterFunc(d, w.fire)
	}
}

func (w *idleWatch) fire() {
	idle := w.now().Sub(time.Unix(0, w.last.Load()))
	if idle >= w.timeout {
		w.expire()
		return
	}
	w.arm(w.timeout - idle)
}

func (w *idleWatch) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
	if w.cancel != nil {
		w.cancel()
	}
}

// activityReader is the program's input, noting each read as activity.
type activityReader struct {
	r io.Reader
	w *idleWatch
}

func (a *activityReader) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 {
		a.w.touch()
	}
	return n, err
}
