// Package track follows cluster snapshots until they are available or have
// failed: what each one's progress, status, elapsed time and estimated time
// left are, and when to ask AWS again. It does no I/O and knows nothing of
// terminals, so that the TUI and a scripted `--wait` share it: the caller
// makes the calls it asks for and reports what they returned.
//
// Polling costs one DescribeDBClusterSnapshots call per cluster per interval,
// however many of that cluster's snapshots are followed: one snapshot is
// described by identifier, several by listing the cluster's snapshots.
package track

import (
	"errors"
	"iter"
	"math"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/stamp"
)

// Defaults of a Tracker.
const (
	DefaultInterval   = 5 * time.Second
	DefaultJitter     = 0.2 // ±20% of each delay
	DefaultMaxBackoff = time.Minute
	// missingLimit is how many polls in a row may not find a snapshot before
	// it counts as deleted: a listing may lag just after a create.
	missingLimit = 3
)

// Snapshot is one followed snapshot.
type Snapshot struct {
	ID        string
	ClusterID string
	ARN       string
	Type      string // automated or manual, as AWS said
	Status    string
	Percent   int
	Started   time.Time // when following began (the create, for ours)
	Finished  time.Time // when it was seen available or failed
	// Err is the last failure to poll it; nil once a poll succeeds.
	Err error
	// Gone is set when AWS no longer knows the snapshot.
	Gone bool

	firstPct int       // the percent when following began
	stillAt  time.Time // the last time it was seen at firstPct
	movedAt  time.Time // when the percent last changed after moving
	missing  int
	observed bool
}

// Done reports whether the snapshot will not change any more.
func (s *Snapshot) Done() bool { return !s.Finished.IsZero() }

// Failed reports whether it ended in a failure status or disappeared.
func (s *Snapshot) Failed() bool { return s.Gone || awsclient.SnapshotFailed(s.Status) }

// Elapsed is the time since following began, until it finished.
func (s *Snapshot) Elapsed(now time.Time) time.Duration {
	end := now
	if s.Done() {
		end = s.Finished
	}
	return max(end.Sub(s.Started), 0)
}

// etaMinMove is how many points the percent must have moved before an
// estimate means anything: one point in a few seconds says little.
const etaMinMove = 3

// ETA estimates the time left, from the rate at which the percent has moved
// since it first left its starting value. ok is false until it has moved
// (PercentProgress can sit at 0 for a while) and once the snapshot is done.
func (s *Snapshot) ETA(now time.Time) (left time.Duration, ok bool) {
	if s.Done() || s.Percent-s.firstPct < etaMinMove || s.movedAt.IsZero() {
		return 0, false
	}
	spent := s.movedAt.Sub(s.stillAt)
	if spent <= 0 {
		return 0, false
	}
	perPoint := float64(spent) / float64(s.Percent-s.firstPct)
	total := time.Duration(perPoint * float64(100-s.Percent))
	return max(total-now.Sub(s.movedAt), 0), true
}

// Follow starts following s, as returned by the create (or a describe),
// from started, outside a Tracker: for a caller that polls by itself and
// reports each answer to Observe.
func Follow(s awsclient.Snapshot, started time.Time) *Snapshot {
	snap := &Snapshot{ID: s.ID, ClusterID: s.ClusterID, Started: started}
	snap.Observe(s, started)
	return snap
}

// Observe records what a poll returned for s; it reports whether the
// percent or the status changed, and whether the snapshot finished.
func (s *Snapshot) Observe(got awsclient.Snapshot, now time.Time) (changed, finished bool) {
	s.missing, s.Err = 0, nil
	pct := min(max(got.PercentProgress, 0), 100)
	if awsclient.SnapshotAvailable(got.Status) { // an elastic snapshot's ACTIVE too: that API has no percent
		pct = 100
	}
	if got.ARN != "" {
		s.ARN = got.ARN
	}
	if got.Type != "" {
		s.Type = got.Type
	}
	changed = !s.observed || pct != s.Percent || got.Status != s.Status
	switch {
	case !s.observed:
		s.firstPct, s.stillAt = pct, now
	case pct == s.firstPct:
		s.stillAt = now
	case pct != s.Percent:
		s.movedAt = now
	}
	s.observed = true
	s.Percent, s.Status = pct, got.Status
	if awsclient.SnapshotDone(got.Status) {
		s.Finished = now
		return changed, true
	}
	return changed, false
}

// Request is the call a poll makes: describe one snapshot by identifier, or
// list a cluster's snapshots and pick out the wanted ones.
type Request struct {
	Cluster  string
	Snapshot string   // one snapshot: describe it (DescribeDBClusterSnapshots by id)
	Type     string   // the snapshot's type, which describing an automated one needs
	Want     []string // several: list the cluster's snapshots until all are found
}

// Outcome is what a poll changed and when to poll that cluster again.
type Outcome struct {
	Changed  []*Snapshot // percent or status changed (finished ones too)
	Finished []*Snapshot // became available or failed (or disappeared)
	// Continue is false when nothing of the cluster is left in flight: stop
	// polling it.
	Continue bool
	Next     time.Duration // when to poll again
	// Err is the poll's failure, if it failed; Throttled says it was AWS
	// throttling.
	Err       error
	Throttled bool
}

// Note says, for a status line, why the next poll is late; empty when the
// poll succeeded.
func (o Outcome) Note() string {
	if o.Err == nil {
		return ""
	}
	in := " Checking again in " + seconds(o.Next) + "."
	if o.Throttled {
		return "AWS is throttling requests: polling less often." + in
	}
	var ae *awsclient.Error
	if errors.As(o.Err, &ae) {
		return ae.Sentence() + in
	}
	return o.Err.Error() + "." + in
}

func seconds(d time.Duration) string {
	d = d.Round(time.Second)
	return d.String()
}

// poller is one cluster's poll loop.
type poller struct {
	seq      stamp.Seq // numbers the loops; a tick of an older one is stale
	running  bool      // a loop is scheduled or its call is underway
	inFlight bool      // its call is underway
	failures int       // in a row
}

// Tracker follows snapshots and schedules their polls, one loop a cluster.
type Tracker struct {
	Interval   time.Duration
	Jitter     float64        // fraction of each delay, either way
	MaxBackoff time.Duration  // the longest delay after failures
	Rand       func() float64 // in [0, 1); nil: no jitter

	snaps   []*Snapshot
	byID    map[string]*Snapshot
	pollers map[string]*poller
}

// New returns a tracker with the default interval, jitter and backoff.
func New(interval time.Duration, rand func() float64) *Tracker {
	if interval <= 0 {
		interval = DefaultInterval
	}
	return &Tracker{Interval: interval, Jitter: DefaultJitter, MaxBackoff: DefaultMaxBackoff, Rand: rand}
}

// Get returns a followed snapshot by identifier.
func (t *Tracker) Get(id string) (*Snapshot, bool) {
	s, ok := t.byID[id]
	return s, ok
}

// InFlight is every followed snapshot not yet done, in the order following
// began.
func (t *Tracker) InFlight() []*Snapshot {
	var out []*Snapshot
	for _, s := range t.snaps {
		if !s.Done() {
			out = append(out, s)
		}
	}
	return out
}

// Calling reports whether a poll's call is underway for any cluster.
func (t *Tracker) Calling() bool {
	for _, p := range t.pollers {
		if p.inFlight {
			return true
		}
	}
	return false
}

// Add starts following s, as returned by the create (or a describe), from
// started. When its cluster has no poll loop yet, start is true: the caller
// schedules a poll stamped seq after delay. Adding a snapshot already
// followed changes nothing.
func (t *Tracker) Add(s awsclient.Snapshot, started time.Time) (seq stamp.Seq, delay time.Duration, start bool) {
	if t.byID == nil {
		t.byID, t.pollers = map[string]*Snapshot{}, map[string]*poller{}
	}
	snap, ok := t.byID[s.ID]
	if !ok {
		snap = Follow(s, started)
		t.snaps = append(t.snaps, snap)
		t.byID[s.ID] = snap
	}
	if snap.Done() {
		return 0, 0, false // already finished (a tiny cluster, or an emulator): nothing to poll
	}
	p := t.poller(s.ClusterID)
	if p.running {
		return p.seq, 0, false
	}
	p.running, p.failures = true, 0
	return p.seq.Next(), t.delay(t.Interval), true
}

func (t *Tracker) poller(cluster string) *poller {
	p, ok := t.pollers[cluster]
	if !ok {
		p = &poller{}
		t.pollers[cluster] = p
	}
	return p
}

// Begin is called when a poll of cluster is due, with the seq it was
// scheduled with. It returns the call to make, or false when the tick is
// stale (an older loop), a call is already underway, or nothing of the
// cluster is left in flight.
func (t *Tracker) Begin(cluster string, seq stamp.Seq) (Request, bool) {
	p, ok := t.pollers[cluster]
	if !ok || !p.seq.Fresh(seq) || !p.running || p.inFlight {
		return Request{}, false
	}
	req := Request{Cluster: cluster}
	for s := range t.live(cluster) {
		req.Want = append(req.Want, s.ID)
	}
	switch len(req.Want) {
	case 0:
		p.running = false
		return Request{}, false
	case 1:
		req.Snapshot, req.Type, req.Want = req.Want[0], t.byID[req.Want[0]].Type, nil
	}
	p.inFlight = true
	return req, true
}

// Now restarts cluster's poll loop at once (the user asked to check now):
// it returns the new seq for a poll to make immediately, or false when a
// call is already underway or nothing is in flight there. Ticks of the old
// loop become stale.
func (t *Tracker) Now(cluster string) (seq stamp.Seq, ok bool) {
	p, found := t.pollers[cluster]
	if !found || p.inFlight || !t.pending(cluster) {
		return 0, false
	}
	p.running, p.failures = true, 0
	return p.seq.Next(), true
}

// Observe records the answer to the Request that Begin returned for
// cluster: the snapshots found (for a listing, all those of the pages read)
// or the call's error. A snapshot that AWS says does not exist, or that a
// complete listing lacks, counts as missing; missing several polls in a row
// it is finished as gone.
func (t *Tracker) Observe(cluster string, req Request, got []awsclient.Snapshot, err error, now time.Time) Outcome {
	p := t.poller(cluster)
	p.inFlight = false
	var o Outcome
	var ae *awsclient.Error
	notFound := errors.As(err, &ae) && ae.Kind == awsclient.KindSnapshotNotFound
	if err != nil && !notFound {
		p.failures++
		o.Err = err
		o.Throttled = ae != nil && ae.Kind == awsclient.KindThrottled
		for s := range t.live(cluster) {
			s.Err = err
		}
	} else {
		p.failures = 0
		seen := make(map[string]bool, len(got))
		for _, g := range got {
			s, ok := t.byID[g.ID]
			if !ok || s.Done() || s.ClusterID != cluster {
				continue
			}
			seen[g.ID] = true
			changed, finished := s.Observe(g, now)
			if changed {
				o.Changed = append(o.Changed, s)
			}
			if finished {
				o.Finished = append(o.Finished, s)
			}
		}
		asked := req.Want
		if req.Snapshot != "" {
			asked = []string{req.Snapshot}
		}
		for _, id := range asked {
			s, ok := t.byID[id]
			if !ok || seen[id] || s.Done() {
				continue
			}
			s.missing++
			if s.missing >= missingLimit {
				s.Gone, s.Finished = true, now
				o.Changed = append(o.Changed, s)
				o.Finished = append(o.Finished, s)
			}
		}
	}
	if o.Continue = t.pending(cluster); !o.Continue {
		p.running = false
		return o
	}
	o.Next = t.delay(t.backoff(p.failures))
	return o
}

// live yields cluster's snapshots still in flight, in the order following
// began.
func (t *Tracker) live(cluster string) iter.Seq[*Snapshot] {
	return func(yield func(*Snapshot) bool) {
		for _, s := range t.snaps {
			if s.ClusterID == cluster && !s.Done() && !yield(s) {
				return
			}
		}
	}
}

// pending reports whether anything of cluster is still in flight.
func (t *Tracker) pending(cluster string) bool {
	for range t.live(cluster) {
		return true
	}
	return false
}

func (t *Tracker) backoff(failures int) time.Duration {
	return Backoff(t.Interval, t.MaxBackoff, failures)
}

func (t *Tracker) delay(d time.Duration) time.Duration { return Jitter(d, t.Jitter, t.Rand) }

// Backoff is the wait after failures in a row: interval doubled for each,
// up to maxBackoff (0: no cap) and never below interval. A tracker's polls
// and a fleet's resends after throttling back off alike.
func Backoff(interval, maxBackoff time.Duration, failures int) time.Duration {
	d := interval
	if failures > 0 {
		d = time.Duration(float64(interval) * math.Pow(2, float64(min(failures, 16))))
		if maxBackoff > 0 {
			d = min(d, max(maxBackoff, interval))
		}
	}
	return d
}

// Jitter spreads d by the fraction jitter either way, rand in [0, 1) (nil:
// d as it is), so that many clients (or clusters) do not call in step.
func Jitter(d time.Duration, jitter float64, rand func() float64) time.Duration {
	if rand == nil || jitter <= 0 {
		return d
	}
	f := 1 + jitter*(2*rand()-1)
	return time.Duration(float64(d) * f)
}
