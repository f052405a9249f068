package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/filter"
	"github.com/docsnap/docsnap/model/fleet"
	stampseq "github.com/docsnap/docsnap/model/stamp"
	"github.com/docsnap/docsnap/model/track"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// fleetFlags are the flags of `snapshot create --clusters`: a snapshot of
// every cluster a filter chooses, sent by model/fleet as the TUI sends
// them.
type fleetFlags struct {
	clusters    string
	name        string
	concurrency int
	dryRun      bool
}

func addFleetFlags(c *command) *fleetFlags {
	f := &fleetFlags{}
	c.fs.StringVar(&f.clusters, "clusters", "", "snapshot every cluster that `FILTER` chooses, in the TUI's filter syntax (words of the identifier, status:, engine:, region:, tag:key=value, ! to negate), instead of CLUSTER")
	c.fs.StringVar(&f.name, "name", fleet.DefaultTemplate, "with --clusters: the identifier `TEMPLATE` of each snapshot, from {cluster}, {region}, {date} (YYYY-MM-DD) and {time} (HHMM), both in UTC")
	c.fs.IntVar(&f.concurrency, "concurrency", fleet.DefaultConcurrency, fmt.Sprintf("with --clusters: at most `N` creates on the wire at once (1 to %d)", fleet.MaxConcurrency))
	c.fs.BoolVar(&f.dryRun, "dry-run", false, "with --clusters: print each snapshot identifier and its problems, and send nothing")
	return f
}

// fleetOnly are the flags that mean something only with --clusters.
var fleetOnly = []string{"name", "concurrency", "dry-run"}

// runFleet takes a snapshot of every cluster that f.clusters chooses.
func (c *command) runFleet(ctx context.Context, f *fleetFlags, out outputFlag, tags []awsclient.Tag, wait bool, timeout time.Duration) int {
	switch {
	case strings.TrimSpace(f.clusters) == "":
		return c.bad("--clusters needs a filter, such as status:available or tag:env=prod")
	case f.concurrency < 1 || f.concurrency > fleet.MaxConcurrency:
		return c.bad(fmt.Sprintf("--concurrency %d: want 1 to %d", f.concurrency, fleet.MaxConcurrency))
	case f.dryRun && wait:
		return c.bad("--dry-run sends nothing, so there is nothing to wait for: leave out --wait")
	}
	problems := append(fleet.CheckTemplate(f.name), awsclient.ValidateTags(tags)...)
	if code, ok := c.checked(problems); !ok {
		return code
	}

	conn, code, ok := c.connect(ctx)
	if !ok {
		return code
	}
	defer conn.close()
	if !f.dryRun && awsclient.IsReadOnly(conn.Client) {
		// The read-only client refuses before anything leaves the machine,
		// in its own words: asked once, not once per cluster.
		_, err := conn.Client.CreateSnapshot(ctx, awsclient.CreateSnapshotInput{})
		return c.fail(ctx, err)
	}
	targets, err := c.chooseClusters(ctx, conn, f.clusters)
	if err != nil {
		return c.fail(ctx, err)
	}
	if len(targets) == 0 {
		fmt.Fprintf(c.env.Stderr, "%s: no DocumentDB cluster in %s matches %q. Nothing was sent to AWS.\n",
			c.fs.Name(), sanitize.String(conn.Client.Target().Region), sanitize.String(f.clusters))
		return ExitInvalid
	}
	now := c.env.Now()
	var existsErr error
	items := fleet.Plan(f.name, targets, now, func(_, id string) bool {
		if existsErr != nil {
			return false
		}
		found, err := c.snapshotExists(ctx, conn, id)
		existsErr = err
		return found
	})
	if existsErr != nil {
		return c.fail(ctx, existsErr)
	}
	sendable, blocked := fleet.Sendable(items)
	if f.dryRun {
		return c.printPlan(out, items, sendable, blocked)
	}
	if !sendable {
		c.planProblems(items)
		fmt.Fprintf(c.env.Stderr, "%d of %d clusters cannot be snapshotted as planned: fix the template or the filter. Nothing was sent to AWS.\n",
			blocked, len(items))
		return ExitInvalid
	}
	c.planProblems(items) // the warnings
	b := fleet.NewBatch(items, f.concurrency, tags, fleet.NewBatchID(now, c.env.Rand))
	b.Rand = c.env.Rand
	fmt.Fprintf(c.env.Stderr, "Batch %s: %d snapshots, %d at a time.\n", b.ID, len(items), f.concurrency)
	code = c.sendFleet(ctx, conn, b, f.concurrency, wait, timeout)
	return c.printFleet(out, b, code)
}

// chooseClusters lists the clusters and keeps those the filter matches, as
// the TUI's list does; tags are read only for the clusters that the rest
// of the filter lets through.
func (c *command) chooseClusters(ctx context.Context, conn Conn, text string) ([]fleet.Target, error) {
	clusters, err := awsclient.All(ctx, conn.Client.Clusters())
	if err != nil {
		return nil, err
	}
	q := filter.Parse(text)
	for _, p := range q.Problems {
		fmt.Fprintf(c.env.Stderr, "%s: --clusters: %s\n", c.fs.Name(), sanitize.String(p))
	}
	var x filter.Index
	var targets []fleet.Target
	for i, cl := range clusters {
		x.Add(filter.Record{ID: cl.ID, Status: cl.Status, Engine: cl.EngineVersion, Region: cl.Region})
		if q.NeedsTags() && x.Match(i, q.WithoutTags()) {
			var tags []awsclient.Tag
			err := c.retryThrottled(ctx, func() (err error) {
				tags, err = conn.Client.Tags(ctx, cl.ARN)
				return err
			})
			if err != nil {
				return nil, err
			}
			ft := make([]filter.Tag, len(tags))
			for k, t := range tags {
				ft[k] = filter.Tag{Key: t.Key, Value: t.Value}
			}
			x.SetTags(i, ft)
		}
		if x.Match(i, q) {
			targets = append(targets, fleet.Target{Cluster: cl})
		}
	}
	return targets, nil
}

// snapshotExists reports whether a snapshot has the identifier id already.
func (c *command) snapshotExists(ctx context.Context, conn Conn, id string) (bool, error) {
	err := c.retryThrottled(ctx, func() error {
		_, err := conn.Client.Snapshot(ctx, id)
		return err
	})
	switch awsclient.KindOf(err) {
	case awsclient.KindSnapshotNotFound:
		return false, nil
	case awsclient.KindUnknown:
		if err == nil {
			return true, nil
		}
	}
	return false, err
}

// retryThrottled makes a read again while AWS throttles it, waiting as the
// batch waits before a resend, up to fleet.MaxSends times.
func (c *command) retryThrottled(ctx context.Context, call func() error) error {
	for failures := 1; ; failures++ {
		err := call()
		if awsclient.KindOf(err) != awsclient.KindThrottled || failures >= fleet.MaxSends {
			return err
		}
		if err := c.env.Sleep(ctx, fleet.Backoff(failures, c.env.Rand)); err != nil {
			return err
		}
	}
}

// planJSON is one item of a --dry-run's --output json.
type planJSON struct {
	ClusterID  string   `json:"clusterId"`
	Region     string   `json:"region"`
	SnapshotID string   `json:"snapshotId"`
	Sendable   bool     `json:"sendable"`
	Problems   []string `json:"problems"`
	Warnings   []string `json:"warnings"`
}

// itemProblems are an item's blocking problems and its warnings, as
// sentences to print.
func itemProblems(it fleet.Item) (problems, warnings []string) {
	problems, warnings = []string{}, []string{}
	if it.Blocked != "" {
		problems = append(problems, sanitize.String(it.Blocked))
	}
	for _, p := range it.Problems {
		if p.Warning {
			warnings = append(warnings, sanitize.String(p.String()))
		} else {
			problems = append(problems, sanitize.String(p.String()))
		}
	}
	return problems, warnings
}

// printPlan prints what a --dry-run would send: ExitOK when all of it would
// be, ExitInvalid when something stops it.
func (c *command) printPlan(out outputFlag, items []fleet.Item, sendable bool, blocked int) int {
	code := ExitOK
	if !sendable {
		code = ExitInvalid
	}
	if out == "json" {
		docs := make([]planJSON, len(items))
		for i, it := range items {
			ps, ws := itemProblems(it)
			docs[i] = planJSON{ClusterID: sanitize.String(it.Cluster.ID), Region: sanitize.String(it.Region),
				SnapshotID: sanitize.String(it.ID), Sendable: it.Sendable(), Problems: ps, Warnings: ws}
		}
		if w := c.written(writeJSON(c.env.Stdout, docs)); w != ExitOK {
			return w
		}
	} else {
		t := &table{heads: []string{"CLUSTER", "REGION", "SNAPSHOT", "PROBLEMS"}, right: make([]bool, 4), status: -1}
		for _, it := range items {
			ps, ws := itemProblems(it)
			for i := range ws {
				ws[i] = "warning: " + ws[i]
			}
			say := strings.Join(append(ps, ws...), "; ")
			if say == "" {
				say = "none"
			}
			t.add(sanitize.String(it.Cluster.ID), sanitize.String(it.Region), sanitize.String(it.ID), say)
		}
		if w := c.written(t.write(c.env.Stdout, c.env.paintsFor(c.env.Stdout), false)); w != ExitOK {
			return w
		}
	}
	if sendable {
		fmt.Fprintf(c.env.Stderr, "All %d snapshots would be sent. Nothing was sent (--dry-run).\n", len(items))
	} else {
		fmt.Fprintf(c.env.Stderr, "%d of %d clusters cannot be snapshotted as planned. Nothing was sent (--dry-run).\n", blocked, len(items))
	}
	return code
}

// planProblems says on stderr every problem and warning of the plan, one
// line each, naming the cluster.
func (c *command) planProblems(items []fleet.Item) {
	for _, it := range items {
		ps, ws := itemProblems(it)
		for _, p := range ps {
			fmt.Fprintf(c.env.Stderr, "%s: cluster %s: %s\n", c.fs.Name(), sanitize.String(it.Cluster.ID), p)
		}
		for _, w := range ws {
			fmt.Fprintf(c.env.Stderr, "%s: cluster %s: warning: %s\n", c.fs.Name(), sanitize.String(it.Cluster.ID), w)
		}
	}
}

// fleetAnswer is the answer to one call a batch's loop made: a create (in)
// or a poll of a cluster (req).
type fleetAnswer struct {
	in      awsclient.CreateSnapshotInput
	poll    bool
	cluster string
	req     track.Request
	snap    awsclient.Snapshot
	err     error
}

// pollState is a cluster's poll loop in the tracker, and when it is due.
type pollState struct {
	seq     stampseq.Seq
	at      time.Time
	running bool // its call is on the wire
}

// sendFleet sends the batch's creates, at most concurrency at a time, and
// with wait follows every snapshot until all have ended, with at most
// concurrency calls, creates and polls, on the wire. It returns the
// exit status: ExitOK when every create was taken (with wait: every
// snapshot is available); with wait ExitFailed when any failed, otherwise
// the status of the first failure; ExitTimedOut, ExitInterrupted.
func (c *command) sendFleet(ctx context.Context, conn Conn, b *fleet.Batch, concurrency int, wait bool, timeout time.Duration) int {
	env, w := c.env, c.env.Stderr
	tr := track.New(conn.Poll, env.Rand)
	polls := map[string]*pollState{}
	// Every call's goroutine can leave its answer without waiting, so that
	// none is left behind when the loop ends early.
	answers := make(chan fleetAnswer, len(b.Rows(env.Now()))+fleet.MaxConcurrency)
	inflight := 0
	start := env.Now()
	var deadline time.Time
	if wait && timeout > 0 {
		deadline = start.Add(timeout)
	}
	said := map[awsclient.Kind]bool{}
	for {
		now := env.Now()
		for _, in := range b.Next(now) {
			inflight++
			go func() {
				snap, err := conn.Client.CreateSnapshot(ctx, in)
				answers <- fleetAnswer{in: in, snap: snap, err: err}
			}()
		}
		for cluster, p := range polls {
			if inflight >= concurrency {
				break // polls share the creates' bound: a fleet's polls alone may pass a rate limit
			}
			if p.running || now.Before(p.at) {
				continue
			}
			req, ok := tr.Begin(cluster, p.seq)
			if !ok {
				delete(polls, cluster)
				continue
			}
			p.running = true
			inflight++
			go func() {
				snap, err := conn.Client.Snapshot(ctx, req.Snapshot, req.Type)
				answers <- fleetAnswer{poll: true, cluster: cluster, req: req, snap: snap, err: err}
			}()
		}
		s := b.Summary(now)
		if inflight == 0 {
			if s.Done || !wait && s.Pending == 0 {
				return c.fleetEnd(conn, b, wait, start)
			}
			if !deadline.IsZero() && !now.Before(deadline) {
				return c.fleetStopped(conn, b, "timed out", start, ExitTimedOut)
			}
			next := deadline
			if d := b.Wait(now); d != fleet.Idle {
				next = earliest(next, now.Add(d))
			}
			for _, p := range polls {
				next = earliest(next, p.at)
			}
			if next.IsZero() { // nothing on the wire and nothing to wait for: cannot happen
				return c.fleetEnd(conn, b, wait, start)
			}
			if d := next.Sub(now); d > 0 {
				if err := env.Sleep(ctx, d); err != nil {
					return c.fleetStopped(conn, b, "interrupted", start, ExitInterrupted)
				}
			}
			continue
		}
		var a fleetAnswer
		select {
		case a = <-answers:
		case <-ctx.Done():
			return c.fleetStopped(conn, b, "interrupted", start, ExitInterrupted)
		}
		inflight--
		now = env.Now()
		if !a.poll {
			c.created(b, a, now, tr, polls, wait, said)
			continue
		}
		p := polls[a.cluster]
		p.running = false
		var got []awsclient.Snapshot
		if a.err == nil {
			got = []awsclient.Snapshot{a.snap}
		}
		o := tr.Observe(a.cluster, a.req, got, a.err, now)
		for _, t := range o.Changed {
			if t.Gone {
				b.Polled(t.ID, awsclient.Snapshot{}, &awsclient.Error{Kind: awsclient.KindSnapshotNotFound, Op: "describe snapshot"}, now)
			} else {
				b.Polled(t.ID, a.snap, nil, now)
			}
			c.progressLine(b, t.ID, now)
		}
		if o.Err != nil {
			kind := awsclient.KindOf(o.Err)
			if !kind.Retryable() {
				explain(w, c.fs.Name(), o.Err)
				return c.fleetStopped(conn, b, "stopped waiting", start, exitStatus(o.Err))
			}
			if !said[kind] {
				said[kind] = true
				fmt.Fprintln(w, sanitize.String(o.Note()))
			}
		}
		if !o.Continue {
			delete(polls, a.cluster)
			continue
		}
		p.at = now.Add(o.Next)
	}
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || !b.IsZero() && b.Before(a) {
		return b
	}
	return a
}

// created takes a create's answer: the batch decides what follows, and
// with wait a snapshot AWS took is followed.
func (c *command) created(b *fleet.Batch, a fleetAnswer, now time.Time, tr *track.Tracker, polls map[string]*pollState, wait bool, said map[awsclient.Kind]bool) {
	w, id := c.env.Stderr, a.in.SnapshotID
	b.Answered(id, a.snap, a.err, now)
	r, _ := b.Row(id, now)
	cluster := sanitize.String(r.Item.Cluster.ID)
	switch r.Status {
	case fleet.StatusCreating, fleet.StatusAvailable:
		c.progressLine(b, id, now)
		if !wait || r.Status == fleet.StatusAvailable {
			return
		}
		if seq, delay, start := tr.Add(r.Snapshot, now); start {
			polls[r.Snapshot.ClusterID] = &pollState{seq: seq, at: now.Add(delay)}
		}
	case fleet.StatusFailed:
		fmt.Fprintf(w, "%s: cluster %s, snapshot %s: %s\n", c.fs.Name(), cluster, sanitize.String(id), sentence(r.Err))
	case fleet.StatusWaiting:
		kind := awsclient.KindOf(a.err)
		switch {
		case awsclient.OutcomeUnknown(a.err):
			fmt.Fprintf(w, "No answer to the create of snapshot %s of cluster %s (%s): sending it again under the same identifier, which cannot make a second one.\n",
				sanitize.String(id), cluster, strings.TrimSuffix(sentence(a.err), "."))
		case !said[kind]: // once: the batch backs off, sending goes on
			said[kind] = true
			fmt.Fprintf(w, "%s Sending fewer creates for a while.\n", sentence(a.err))
		}
	}
}

// sentence is an error as one sanitized sentence.
func sentence(err error) string {
	var e *awsclient.Error
	if errors.As(err, &e) {
		return sanitize.String(e.Sentence())
	}
	return sanitize.String(err.Error())
}

// progressLine says on stderr where a snapshot of the batch stands, one
// line per change, as --wait does for one snapshot in a log.
func (c *command) progressLine(b *fleet.Batch, id string, now time.Time) {
	r, _ := b.Row(id, now)
	l := logLine(now, id, r.Snapshot.Status, r.Percent, r.Snapshot.ClusterType == awsclient.TypeElastic, r.Elapsed, r.ETA, r.HasETA)
	if r.Status == fleet.StatusFailed && r.Err != nil {
		l += ": " + sentence(r.Err)
	}
	fmt.Fprintln(c.env.Stderr, l)
}

// fleetEnd says how the batch ended, from start, and returns the exit
// status.
func (c *command) fleetEnd(conn Conn, b *fleet.Batch, wait bool, start time.Time) int {
	now := c.env.Now()
	s := b.Summary(now)
	w := c.env.Stderr
	what := "created"
	if wait {
		what = "available"
	}
	fmt.Fprintf(w, "Batch %s: %d of %d snapshots %s", b.ID, s.Available+s.Creating, s.Total, what)
	if s.Failed > 0 {
		fmt.Fprintf(w, ", %d failed", s.Failed)
	}
	fmt.Fprintf(w, " (took %s; AWS throttled %d creates).\n", ui.Duration(now.Sub(start)), s.Throttled)
	code := ExitOK
	for _, f := range s.Failures {
		fmt.Fprintf(w, "  %s (cluster %s): %s\n", sanitize.String(f.Item.ID), sanitize.String(f.Item.Cluster.ID), sentence(f.Err))
		switch {
		case code != ExitOK:
		case wait || f.Snapshot.ID != "": // with wait, or AWS took it and it failed
			code = ExitFailed
		case awsclient.OutcomeUnknown(f.Err):
			code = ExitError
		default:
			code = exitStatus(f.Err)
		}
	}
	c.retryHow(conn, b)
	return code
}

// fleetStopped says that docsnap stopped (why: interrupted, timed out)
// while AWS goes on, and how to carry on; it returns code.
func (c *command) fleetStopped(conn Conn, b *fleet.Batch, why string, start time.Time, code int) int {
	now := c.env.Now()
	s := b.Summary(now)
	fmt.Fprintf(c.env.Stderr, "%s: %s after %s: batch %s has %d of %d snapshots available, %d being created, %d failed, %d not sent or unanswered.\n",
		c.fs.Name(), why, ui.Duration(now.Sub(start)), b.ID, s.Available, s.Total, s.Creating, s.Failed, s.Pending)
	if s.Creating > 0 && !c.demoGone(conn) {
		fmt.Fprintln(c.env.Stderr, "AWS goes on creating the snapshots it took; follow one with:")
		for _, r := range b.Rows(now) {
			if r.Status == fleet.StatusCreating {
				fmt.Fprintf(c.env.Stderr, "  %s\n", c.docsnap(conn, "snapshot", "wait", r.Item.ID))
			}
		}
	}
	c.retryHow(conn, b)
	return code
}

// retryHow says how to send again, under the same identifiers, what was
// not taken: a create that failed, or one never answered (which a wait
// finds first). A second run of the batch's command would expand {time}
// anew and could make second snapshots.
func (c *command) retryHow(conn Conn, b *fleet.Batch) {
	if c.demoGone(conn) {
		return
	}
	unsure := map[string]bool{}
	for _, in := range b.Unanswered() {
		unsure[in.SnapshotID] = true
		fmt.Fprintf(c.env.Stderr, "No answer came back for snapshot %s of cluster %s: it may have been created.\n",
			sanitize.String(in.SnapshotID), sanitize.String(in.ClusterID))
		c.resume(conn, in)
	}
	now := c.env.Now()
	first := true
	for _, r := range b.Rows(now) {
		if unsure[r.Item.ID] || r.Status != fleet.StatusFailed && r.Status != fleet.StatusWaiting {
			continue
		}
		if first {
			first = false
			fmt.Fprintln(c.env.Stderr, "Send the others again under the same identifiers, never others (a new run would name them anew):")
		}
		in := awsclient.CreateSnapshotInput{ClusterID: r.Item.Cluster.ID, SnapshotID: r.Item.ID, Tags: b.Tags()}
		fmt.Fprintf(c.env.Stderr, "  %s\n", c.docsnap(conn, createArgs(in)...))
	}
}

// printFleet prints the batch on stdout, and returns code or the status of
// a failed write: a table of every snapshot, or with --output json the
// array of the snapshots AWS took, each as the single create prints it.
func (c *command) printFleet(out outputFlag, b *fleet.Batch, code int) int {
	rows := b.Rows(c.env.Now())
	var err error
	if out == "json" {
		docs := []Snapshot{}
		for _, r := range rows {
			if r.Snapshot.ID != "" {
				docs = append(docs, snapshotJSON(r.Snapshot))
			}
		}
		err = writeJSON(c.env.Stdout, docs)
	} else {
		t := &table{heads: []string{"CLUSTER", "SNAPSHOT", "STATUS", "PROGRESS"}, right: []bool{false, false, false, true}, status: 2}
		for _, r := range rows {
			status := r.Snapshot.Status
			if r.Status == fleet.StatusFailed || status == "" {
				status = r.Status.String()
			}
			t.add(sanitize.String(r.Item.Cluster.ID), sanitize.String(r.Item.ID), sanitize.String(status), ui.Percent(r.Percent))
		}
		err = t.write(c.env.Stdout, c.env.paintsFor(c.env.Stdout), c.env.IsTerminal(c.env.Stdout))
	}
	if w := c.written(err); w != ExitOK && code == ExitOK {
		return w
	}
	return code
}
