package fleet

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/track"
)

// Concurrency of a batch: how many creates may be on the wire at once.
const (
	DefaultConcurrency = 4
	MaxConcurrency     = 32
)

// Pacing of the creates sent again. The SDK has already retried a create
// a few times before its error reaches the batch; the batch then waits as
// the tracker waits after failed polls (track.Backoff), from a shorter
// start, and caps the wait well under the minute in which a resend still
// claims the snapshot its lost answer made (see awsclient.SDK.CreateSnapshot).
const (
	ResendInterval   = time.Second
	MaxResendBackoff = 16 * time.Second
	// MaxSends is how many times one create is sent in a row without an
	// answer that settles it before it counts as failed (RetryFailed sends
	// it again, under the same identifier).
	MaxSends = 8
)

// Idle is what Wait returns when nothing will be sent until an answer
// arrives or RetryFailed is called.
const Idle time.Duration = -1

// Status is where one item of a batch stands.
type Status int

// Statuses of an item.
const (
	StatusWaiting   Status = iota // not sent yet, or waiting to be sent again
	StatusSending                 // its create is on the wire
	StatusCreating                // AWS took the create: the snapshot is being made
	StatusAvailable               // the snapshot is available
	StatusFailed                  // refused, or the snapshot ended in a failure state
)

var statusNames = [...]string{"waiting", "sending", "creating", "available", "failed"}

// String names the status as the multi-progress view and the scripts show
// it.
func (s Status) String() string {
	if s >= 0 && int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Batch sends the creates of a plan and follows their snapshots. It is not
// safe for concurrent use: one goroutine (the TUI's Update, the script's
// loop) drives it.
type Batch struct {
	// ID names the batch in every create it sends (CreateSnapshotInput.Batch).
	ID string
	// Rand spreads the waits before a resend (jitter), in [0, 1); nil: no
	// jitter.
	Rand func() float64

	tags        []awsclient.Tag
	concurrency int
	entries     []*entry
	byID        map[string]*entry
	pauseUntil  time.Time // no send before, after throttling
	throttleRun int       // throttled answers since the last success
	throttled   int       // throttled answers in all
}

// entry is the state of one item.
type entry struct {
	item   Item
	status Status
	// refused is set for an item the plan did not allow: it is never sent.
	refused bool
	// resend says an earlier send's outcome is unknown: every later send
	// of the item is a resend, so that its lost answer's snapshot is
	// claimed, never a second one made.
	resend    bool
	notBefore time.Time
	sends     int // sends in a row without a settling answer
	err       error
	sentAt    time.Time // the first send
	snap      awsclient.Snapshot
	track     *track.Snapshot
}

// NewBatch prepares the creates of items, concurrency (clamped to 1 to
// MaxConcurrency; 0: DefaultConcurrency) at a time, each with tags and
// batchID. An item that is not Sendable is failed at once with its reason
// and never sent.
func NewBatch(items []Item, concurrency int, tags []awsclient.Tag, batchID string) *Batch {
	if concurrency <= 0 {
		concurrency = DefaultConcurrency
	}
	b := &Batch{ID: batchID, tags: tags, concurrency: min(concurrency, MaxConcurrency),
		byID: make(map[string]*entry, len(items))}
	for _, it := range items {
		e := &entry{item: it}
		if !it.Sendable() {
			e.status, e.refused, e.err = StatusFailed, true, errors.New(unsendable(it))
		}
		b.entries = append(b.entries, e)
		b.byID[it.ID] = e
	}
	return b
}

// Tags are the tags every create of the batch sends.
func (b *Batch) Tags() []awsclient.Tag { return b.tags }

// unsendable says why the plan did not allow an item.
func unsendable(it Item) string {
	if it.Blocked != "" {
		return it.Blocked
	}
	var msgs []string
	for _, p := range awsclient.Blocking(it.Problems) {
		msgs = append(msgs, p.String())
	}
	return strings.Join(msgs, "; ")
}

// Next returns the creates to send now: waiting items whose wait is over,
// as many as leave at most the concurrency on the wire; none while the
// batch backs off after throttling. Each is on the wire from now until
// Answered is called for it.
func (b *Batch) Next(now time.Time) []awsclient.CreateSnapshotInput {
	if now.Before(b.pauseUntil) {
		return nil
	}
	slots := b.concurrency - b.count(StatusSending)
	var out []awsclient.CreateSnapshotInput
	for _, e := range b.entries {
		if slots <= 0 {
			break
		}
		if e.status != StatusWaiting || now.Before(e.notBefore) {
			continue
		}
		e.status = StatusSending
		e.sends++
		if e.sentAt.IsZero() {
			e.sentAt = now
		}
		out = append(out, b.input(e))
		slots--
	}
	return out
}

// input is the create of an entry. An elastic cluster's create names the
// cluster by ARN (awsclient.ElasticARN tells it): send it with
// CreateElasticSnapshot.
func (b *Batch) input(e *entry) awsclient.CreateSnapshotInput {
	cluster := e.item.Cluster.ID
	if e.item.Cluster.Type == awsclient.TypeElastic {
		cluster = e.item.Cluster.ARN
	}
	return awsclient.CreateSnapshotInput{ClusterID: cluster, SnapshotID: e.item.ID,
		Tags: b.tags, Resend: e.resend, Since: e.sentAt, Batch: b.ID}
}

func (b *Batch) count(s Status) int {
	n := 0
	for _, e := range b.entries {
		if e.status == s {
			n++
		}
	}
	return n
}

// Answered takes the answer to the create of item id: the snapshot, or the
// error. Throttling makes the whole batch back off, then that create is
// sent again; an answer that was lost (awsclient.OutcomeUnknown) makes it
// be sent again as a resend, which claims the snapshot the lost answer
// made rather than making a second; any other error fails the item with
// that reason and the others go on. An answer for an item with no create on
// the wire is dropped.
func (b *Batch) Answered(id string, snap awsclient.Snapshot, err error, now time.Time) {
	e, ok := b.byID[id]
	if !ok || e.status != StatusSending {
		return
	}
	if err == nil {
		b.throttleRun = 0
		e.sends, e.err = 0, nil
		if snap.ClusterID == "" {
			snap.ClusterID = e.item.Cluster.ID
		}
		if snap.ID == "" {
			snap.ID = e.item.ID
		}
		e.snap = snap
		e.track = track.Follow(snap, e.sentAt)
		e.status = StatusCreating
		e.settle()
		return
	}
	unknown := awsclient.OutcomeUnknown(err)
	e.resend = e.resend || unknown
	e.err = err
	kind := awsclient.KindOf(err)
	if kind == awsclient.KindThrottled {
		b.throttled++
		b.throttleRun++
		b.pauseUntil = later(b.pauseUntil, now.Add(b.wait(b.throttleRun)))
	}
	if !unknown && !kind.Retryable() || e.sends >= MaxSends {
		e.status, e.sends = StatusFailed, 0
		return
	}
	e.status = StatusWaiting
	e.notBefore = now.Add(b.wait(e.sends))
}

func (b *Batch) wait(failures int) time.Duration { return Backoff(failures, b.Rand) }

// Backoff is the wait before a call is made again after failures in a row
// (1 or more) that may pass: throttling, a lost answer. rand spreads it
// (see Batch.Rand). The script's other calls of a batch (the checks that
// no snapshot has an identifier already) wait alike.
func Backoff(failures int, rand func() float64) time.Duration {
	return track.Jitter(track.Backoff(ResendInterval, MaxResendBackoff, failures-1), track.DefaultJitter, rand)
}

// NewBatchID names a batch for the audit: when it was sent, in UTC, and a
// random part (rand in [0, 1); nil: none), so that two batches of the same
// second are told apart.
func NewBatchID(now time.Time, rand func() float64) string {
	n := 0
	if rand != nil {
		n = int(rand() * 0x10000)
	}
	return fmt.Sprintf("fleet-%s-%04x", now.UTC().Format("20060102T150405Z"), n)
}

func later(a, c time.Time) time.Time {
	if c.After(a) {
		return c
	}
	return a
}

// Polled takes a poll's answer about item id's snapshot: its progress, or
// the poll's error. KindSnapshotNotFound says the snapshot is gone (the
// caller's tracker decides when a missing snapshot is gone rather than not
// yet listed) and fails the item; any other error is kept for the view and
// changes nothing else.
func (b *Batch) Polled(id string, snap awsclient.Snapshot, err error, now time.Time) {
	e, ok := b.byID[id]
	if !ok || e.status != StatusCreating {
		return
	}
	if err != nil {
		if awsclient.KindOf(err) == awsclient.KindSnapshotNotFound {
			e.status, e.err = StatusFailed, fmt.Errorf("snapshot %s no longer exists: %w", id, err)
		}
		return
	}
	if snap.ClusterID == "" {
		snap.ClusterID = e.snap.ClusterID
	}
	e.snap = snap
	e.track.Observe(snap, now)
	e.settle()
}

// settle moves a snapshot that is done to its end.
func (e *entry) settle() {
	switch {
	case e.track.Failed():
		e.status = StatusFailed
		e.err = fmt.Errorf("snapshot %s ended %s", e.item.ID, e.track.Status)
	case e.track.Done():
		e.status = StatusAvailable
	}
}

// RetryFailed sends the failed items again, under the same identifiers:
// those AWS refused and those whose snapshot failed (AWS says whether the
// identifier is free again). An item the plan did not allow stays failed.
// It returns how many will be sent again.
func (b *Batch) RetryFailed() int {
	n := 0
	for _, e := range b.entries {
		if e.status != StatusFailed || e.refused {
			continue
		}
		e.status, e.notBefore, e.sends, e.track = StatusWaiting, time.Time{}, 0, nil
		n++
	}
	return n
}

// Wait is how long from now until Next has a create to send: 0 when it has
// one now, Idle when it has none until an answer arrives (or RetryFailed).
func (b *Batch) Wait(now time.Time) time.Duration {
	if b.count(StatusSending) >= b.concurrency {
		return Idle
	}
	var first time.Time
	found := false
	for _, e := range b.entries {
		if e.status == StatusWaiting && (!found || e.notBefore.Before(first)) {
			first, found = e.notBefore, true
		}
	}
	if !found {
		return Idle
	}
	return max(later(first, b.pauseUntil).Sub(now), 0)
}

// Row is one item as the multi-progress view shows it.
type Row struct {
	Item   Item
	Status Status
	// Percent is the snapshot's progress, 0 to 100.
	Percent int
	// Elapsed is the time since its create was first sent, until it ended.
	Elapsed time.Duration
	// ETA is the estimated time left, when HasETA (see track.Snapshot.ETA).
	ETA    time.Duration
	HasETA bool
	// Err is why it failed (StatusFailed), or the last failure after which
	// it is sent again (StatusWaiting), if any.
	Err error
	// Resend says an earlier send's outcome was unknown: the next send
	// claims that send's snapshot if it exists.
	Resend bool
	// Snapshot is the snapshot as AWS last described it; zero until the
	// create's answer arrived.
	Snapshot awsclient.Snapshot
}

// Rows are the items in the plan's order.
func (b *Batch) Rows(now time.Time) []Row {
	out := make([]Row, len(b.entries))
	for i, e := range b.entries {
		out[i] = e.row(now)
	}
	return out
}

// Row is one item by identifier.
func (b *Batch) Row(id string, now time.Time) (Row, bool) {
	e, ok := b.byID[id]
	if !ok {
		return Row{}, false
	}
	return e.row(now), true
}

func (e *entry) row(now time.Time) Row {
	r := Row{Item: e.item, Status: e.status, Err: e.err, Resend: e.resend, Snapshot: e.snap}
	switch {
	case e.track != nil:
		r.Percent = e.track.Percent
		r.Elapsed = e.track.Elapsed(now)
		r.ETA, r.HasETA = e.track.ETA(now)
	case !e.sentAt.IsZero():
		r.Elapsed = max(now.Sub(e.sentAt), 0)
	}
	return r
}

// Summary is the batch as its overall line shows it.
type Summary struct {
	Total     int
	Available int
	Failed    int
	Creating  int // AWS is making the snapshot
	Pending   int // waiting to be sent, or on the wire
	// Done says every item has ended, available or failed.
	Done bool
	// Slowest is the longest estimate of time left among the snapshots in
	// progress, when HasSlowest.
	Slowest    time.Duration
	HasSlowest bool
	// Throttled counts the creates AWS answered with throttling.
	Throttled int
	// Failures are the failed items in the plan's order, with their reason.
	Failures []Row
}

// Summary is the batch now.
func (b *Batch) Summary(now time.Time) Summary {
	s := Summary{Total: len(b.entries), Throttled: b.throttled}
	for _, e := range b.entries {
		r := e.row(now)
		switch e.status {
		case StatusAvailable:
			s.Available++
		case StatusFailed:
			s.Failed++
			s.Failures = append(s.Failures, r)
		case StatusCreating:
			s.Creating++
			if r.HasETA && (!s.HasSlowest || r.ETA > s.Slowest) {
				s.Slowest, s.HasSlowest = r.ETA, true
			}
		default:
			s.Pending++
		}
	}
	s.Done = s.Available+s.Failed == s.Total
	return s
}

// Unanswered are the creates whose snapshot may exist without the batch
// knowing it: those on the wire, and those waiting to be sent again after
// an answer was lost. Quitting now leaves them to be checked by hand.
func (b *Batch) Unanswered() []awsclient.CreateSnapshotInput {
	var out []awsclient.CreateSnapshotInput
	for _, e := range b.entries {
		if e.status == StatusSending || e.resend && (e.status == StatusWaiting || e.status == StatusFailed && !e.refused) {
			out = append(out, b.input(e))
		}
	}
	return out
}
