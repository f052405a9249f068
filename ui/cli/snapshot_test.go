package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
	"github.com/docsnap/docsnap/model/track"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/awscli"
)

// progressAt is an oracle of a snapshot's progress: a second endpoint with
// the same fleet and options, where the same snapshot is created at t0, so
// that its state at any time is what the endpoint under test reports then.
// Ask for increasing times only (its clock moves forward).
func progressAt(t *testing.T, f emulator.Fleet, opts emulator.Options, in awsclient.CreateSnapshotInput) func(time.Duration) awsclient.Snapshot {
	t.Helper()
	o := newEndpoint(t, f, opts)
	if _, err := o.client.CreateSnapshot(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	return func(at time.Duration) awsclient.Snapshot {
		t.Helper()
		o.clock.Advance(t0.Add(at).Sub(o.clock.Now()))
		s, err := o.client.Snapshot(context.Background(), strings.ToLower(in.SnapshotID))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
}

// expectedLines are the lines a non-terminal --wait must print for a
// snapshot created at t0 and polled every step: one per change of percent
// or status, with the elapsed time, and the estimate of the tracker that
// was fed the same answers.
func expectedLines(id string, step time.Duration, first awsclient.Snapshot, at func(time.Duration) awsclient.Snapshot) []string {
	tr := track.New(step, nil)
	tok, _, _ := tr.Add(first, t0)
	s, _ := tr.Get(first.ID)
	line := func(now time.Time) string {
		l := fmt.Sprintf("%s %s %s %d%% elapsed %s", now.Format(time.RFC3339), id, s.Status, s.Percent, ui.Duration(s.Elapsed(now)))
		if eta, ok := s.ETA(now); ok {
			l += " eta " + ui.Duration(eta)
		}
		return l
	}
	lines := []string{line(t0)}
	for k := time.Duration(1); !s.Done(); k++ {
		req, _ := tr.Begin(first.ClusterID, tok)
		now := t0.Add(k * step)
		if o := tr.Observe(first.ClusterID, req, []awsclient.Snapshot{at(k * step)}, nil, now); len(o.Changed) > 0 {
			lines = append(lines, line(now))
		}
	}
	return lines
}

func TestCreateAndWaitLinesForLogs(t *testing.T) {
	f, opts := emulator.DemoFleet(), emulator.Options{SnapshotDuration: time.Minute}
	e := newEndpoint(t, f, opts)
	r := e.run(runOpts{}, "snapshot", "create", "payments-staging", "Nightly-Build-42", "--tag", "build=42", "--wait")
	r.want(t, ExitOK)
	if r.stdout != "nightly-build-42\n" {
		t.Fatalf("stdout %q: want the identifier AWS stored", r.stdout)
	}

	in := awsclient.CreateSnapshotInput{ClusterID: "payments-staging", SnapshotID: "nightly-build-42"}
	at := progressAt(t, f, opts, in)
	want := expectedLines("nightly-build-42", 5*time.Second, at(0), at)
	want = append(want, fmt.Sprintf("Snapshot nightly-build-42 is available (took %s).", ui.Duration(e.clock.Now().Sub(t0))))
	got := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	if !slices.Equal(got, want) {
		t.Fatalf("stderr lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The lines show the progress moving, an estimate once it has moved,
	// and the end; the poll schedule is the tracker's 5s.
	if len(got) < 4 || !strings.Contains(r.stderr, " eta ") || !strings.Contains(got[len(got)-2], " available 100% elapsed ") {
		t.Errorf("too little progress shown:\n%s", r.stderr)
	}
	if ended := e.clock.Now().Sub(t0); ended%(5*time.Second) != 0 {
		t.Errorf("the last poll was at %v: not on the 5s schedule", ended)
	}

	// At the endpoint: created once, available, with its tag.
	if n := e.server.Calls("CreateDBClusterSnapshot"); n != 1 {
		t.Errorf("%d creates", n)
	}
	s, err := e.client.Snapshot(context.Background(), "nightly-build-42")
	if err != nil || s.Status != "available" {
		t.Fatalf("%+v %v", s, err)
	}
	tags, err := e.client.Tags(context.Background(), s.ARN)
	if err != nil || !slices.Equal(tags, []awsclient.Tag{{Key: "build", Value: "42"}}) {
		t.Errorf("tags %v %v", tags, err)
	}
}

func TestWaitBarOnATerminal(t *testing.T) {
	for _, c := range []struct {
		name  string
		width int
		env   map[string]string
	}{
		{"no colour", 100, map[string]string{"TERM": "xterm-256color", "NO_COLOR": "1"}},
		{"colour", 100, map[string]string{"TERM": "xterm-256color"}},
		{"narrow", 30, map[string]string{"TERM": "xterm-256color", "NO_COLOR": "1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{SnapshotDuration: time.Minute})
			r := e.run(runOpts{terminal: true, width: c.width, env: c.env}, "snapshot", "create", "payments-staging", "bar-test", "--wait")
			r.want(t, ExitOK)
			took := e.clock.Now().Sub(t0)
			body, final, ok := strings.Cut(r.stderr, "\n")
			if !ok || final != fmt.Sprintf("Snapshot bar-test is available (took %s).\n", ui.Duration(took)) {
				t.Fatalf("stderr does not end with the bar's line, then the outcome:\n%q", r.stderr)
			}
			frames := strings.Split(body, "\r")[1:]
			// One frame a second (the elapsed time moves), plus one per
			// change of percent.
			if len(frames) < int(took/time.Second) {
				t.Fatalf("%d frames in %v", len(frames), took)
			}
			pct := regexp.MustCompile(`(\d+)%`)
			prev := -1
			for i, f := range frames {
				if !strings.HasSuffix(f, ansi.EraseLineRight) {
					t.Fatalf("frame %d does not erase the rest of the line: %q", i, f)
				}
				plain := ansi.Strip(f)
				if w := ui.Width(plain); w > c.width-1 {
					t.Errorf("frame %d is %d cells wide on a %d-column terminal: %q", i, w, c.width, plain)
				}
				m := pct.FindStringSubmatch(plain)
				if m == nil {
					t.Fatalf("frame %d has no percent: %q", i, plain)
				}
				var p int
				fmt.Sscan(m[1], &p)
				if p < prev {
					t.Errorf("the percent went back from %d to %d", prev, p)
				}
				prev = p
				if c.width >= 100 && (!strings.Contains(plain, "bar-test ") || !strings.ContainsAny(plain, "█░")) {
					t.Errorf("frame %d lacks the identifier or the bar: %q", i, plain)
				}
				if c.env["NO_COLOR"] != "" && strings.Contains(strings.TrimSuffix(f, ansi.EraseLineRight), "\x1b") {
					t.Errorf("colour under NO_COLOR: %q", f)
				}
			}
			last := ansi.Strip(frames[len(frames)-1])
			if !strings.Contains(last, "100%  available") {
				t.Errorf("the last frame %q", last)
			}
			if c.width >= 100 && !strings.Contains(last, strings.Repeat("█", 20)) {
				t.Errorf("the last frame's bar is not full: %q", last)
			}
			if c.name == "colour" && (!strings.Contains(r.stderr, "\x1b[34m█") || !strings.Contains(r.stderr, "\x1b[32mavailable")) {
				t.Errorf("no colours on a colour terminal: %q", frames[len(frames)-1])
			}
		})
	}
}

func TestWaitEndsInAFailureState(t *testing.T) {
	f := emulator.Fleet{Clusters: []emulator.ClusterSpec{{ID: "ledger", Engine: "docdb", EngineVersion: "5.0.0",
		Status: "available", StorageGiB: 100, Instances: []emulator.InstanceSpec{{ID: "ledger-1", Class: "db.r6g.large", Writer: true}},
		Snapshots: []emulator.SnapshotSpec{{ID: "ledger-broken", Type: awsclient.SnapshotManual, Status: "failed", Elapsed: 0.5}}}}}
	e := newEndpoint(t, f, emulator.Options{SnapshotDuration: 40 * time.Second})
	r := e.run(runOpts{}, "snapshot", "wait", "ledger-broken", "--output", "json")
	r.want(t, ExitFailed)
	lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	first := regexp.MustCompile(`^2026-11-29T05:30:00Z ledger-broken creating \d+% elapsed 0s$`)
	if !first.MatchString(lines[0]) {
		t.Errorf("first line %q", lines[0])
	}
	// Half of 40s was left: polls at 5, 10, 15 and 20s; the last one sees
	// the failure.
	wantEnd := []string{
		"2026-11-29T05:30:20Z ledger-broken failed 0% elapsed 20s",
		"docsnap snapshot wait: snapshot ledger-broken failed: its status is failed (after 20s).",
		"Look at the cluster's events (aws docdb describe-events --source-type db-cluster --source-identifier ledger), then take a new snapshot.",
	}
	if len(lines) < 4 || !slices.Equal(lines[len(lines)-3:], wantEnd) {
		t.Fatalf("stderr:\n%s\nwant it to end with:\n%s", r.stderr, strings.Join(wantEnd, "\n"))
	}
	var s Snapshot
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil || s.SnapshotID != "ledger-broken" || s.Status != "failed" {
		t.Errorf("stdout %q: %v", r.stdout, err)
	}
}

func TestWaitTimesOut(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{SnapshotDuration: 10 * time.Minute})
	r := e.run(runOpts{}, "snapshot", "create", "payments-prod", "--wait", "--timeout", "12s")
	r.want(t, ExitTimedOut)
	id := "payments-prod-2026-11-29-0530" // the suggestion, from the clock
	if r.stdout != id+"\n" {
		t.Fatalf("stdout %q", r.stdout)
	}
	// Polls at 5s and 10s, and one last look at the deadline.
	if got := e.clock.Now().Sub(t0); got != 12*time.Second {
		t.Errorf("stopped at %v, want at the 12s deadline", got)
	}
	if n := e.server.Calls("DescribeDBClusterSnapshots"); n != 3 {
		t.Errorf("%d polls, want 3", n)
	}
	r.stderrHas(t, "docsnap snapshot create: timed out after 12s: stopped waiting for snapshot "+id+" (creating, 0%).\n",
		"AWS goes on creating it; follow it with:\n  docsnap snapshot wait "+id+" --region us-east-1 --endpoint-url "+e.url+"\n",
		"  aws docdb describe-db-cluster-snapshots --db-cluster-snapshot-identifier "+id)
	// AWS goes on.
	e.clock.Advance(time.Hour)
	if s, err := e.client.Snapshot(context.Background(), id); err != nil || s.Status != "available" {
		t.Errorf("after the timeout: %+v %v", s, err)
	}
}

func TestCtrlCStopsWaitingNotTheSnapshot(t *testing.T) {
	for _, demo := range []bool{false, true} {
		e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{SnapshotDuration: 10 * time.Minute})
		interrupt := func(now time.Time, cancel context.CancelFunc) {
			if now.Sub(t0) >= 10*time.Second {
				cancel() // Ctrl-C
			}
		}
		r := e.run(runOpts{onSleep: interrupt, demo: demo}, "snapshot", "create", "payments-prod", "pre-deploy", "--wait")
		r.want(t, ExitInterrupted)
		if r.stdout != "pre-deploy\n" {
			t.Errorf("stdout %q", r.stdout)
		}
		r.stderrHas(t, "docsnap snapshot create: interrupted after 10s: stopped waiting for snapshot pre-deploy (creating, ")
		if demo {
			r.stderrHas(t, "The demo endpoint stops with docsnap")
		} else {
			r.stderrHas(t, "AWS goes on creating it; follow it with:\n  docsnap snapshot wait pre-deploy --region us-east-1 --endpoint-url "+e.url)
		}
		if got := e.clock.Now().Sub(t0); got != 10*time.Second {
			t.Errorf("stopped at %v", got)
		}
		e.clock.Advance(time.Hour)
		if s, err := e.client.Snapshot(context.Background(), "pre-deploy"); err != nil || s.Status != "available" {
			t.Errorf("the snapshot after Ctrl-C: %+v %v", s, err)
		}
	}

	// Ctrl-C before AWS answered the create: it may or may not exist.
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := e.run(runOpts{ctx: ctx}, "snapshot", "create", "payments-prod", "pre-deploy", "--wait")
	r.want(t, ExitInterrupted)
	r.stderrHas(t, "interrupted before AWS answered: snapshot pre-deploy may have been created.",
		"docsnap snapshot wait pre-deploy --region us-east-1 --endpoint-url "+e.url)
	if r.stdout != "" {
		t.Errorf("stdout %q", r.stdout)
	}
}

func TestThrottlingWhileWaitingBacksOffAndSaysSoOnce(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{SnapshotDuration: time.Minute})
	throttle := func(now time.Time, _ context.CancelFunc) {
		switch at := now.Sub(t0); {
		case at >= 25*time.Second:
			e.server.SetFaults(emulator.Faults{})
		case at >= 10*time.Second:
			e.server.SetFaults(emulator.Faults{Throttle: 1})
		}
	}
	r := e.run(runOpts{onSleep: throttle}, "snapshot", "create", "payments-staging", "throttled", "--wait")
	r.want(t, ExitOK)
	if n := strings.Count(r.stderr, "throttling"); n != 1 {
		t.Errorf("throttling said %d times:\n%s", n, r.stderr)
	}
	r.stderrHas(t, "2026-11-29T05:30:10Z AWS is throttling requests: polling less often. Checking again in 10s.\n")
	// Polls at 5s, 10s (throttled), 20s (throttled: 20s later), 40s.
	var stamps []time.Duration
	for _, l := range strings.Split(r.stderr, "\n") {
		if ts, _, ok := strings.Cut(l, " "); ok {
			if at, err := time.Parse(time.RFC3339, ts); err == nil {
				stamps = append(stamps, at.Sub(t0))
			}
		}
	}
	if len(stamps) < 4 || stamps[3] != 40*time.Second {
		t.Errorf("times of the lines %v: want 0s, 5s, 10s (throttled), then 40s after backing off", stamps)
	}
}

func TestCreateRefusedByAWS(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"payments-prod", "payments-prod-pre-migration"}, []string{
			"docsnap snapshot create: A snapshot with that identifier already exists. (AWS code DBClusterSnapshotAlreadyExistsFault, request id ",
			"Otherwise choose another identifier"}},
		{[]string{"ghost-cluster"}, []string{
			"docsnap snapshot create: The cluster was not found. (AWS code DBClusterNotFoundFault, request id "}},
		{[]string{"orders-staging", "--wait"}, []string{
			"docsnap snapshot create: The cluster is not in a state that allows a snapshot. (AWS code InvalidDBClusterStateFault, request id ",
			"AWS said: DBCluster orders-staging is modifying: a snapshot can be taken only while it is available.",
			"Wait until the cluster is available, then try again; if it is stopped, start it first with `aws docdb start-db-cluster --db-cluster-identifier orders-staging` (AWS starts a stopped cluster by itself only after seven days)."}},
		// Waiting does nothing for a stopped cluster: the hint says to start it.
		{[]string{"user-profiles-dev"}, []string{
			"AWS said: DBCluster user-profiles-dev is stopped",
			"start it first with `aws docdb start-db-cluster --db-cluster-identifier user-profiles-dev`"}},
	} {
		r := e.run(runOpts{}, append([]string{"snapshot", "create"}, c.args...)...)
		r.want(t, ExitRefused)
		r.stderrHas(t, c.want...)
		if r.stdout != "" {
			t.Errorf("%v: stdout %q", c.args, r.stdout)
		}
	}
	if n := e.server.Calls("DescribeDBClusterSnapshots"); n != 0 {
		t.Errorf("%d polls after refused creates", n)
	}

	q := newEndpoint(t, emulator.DemoFleet(), emulator.Options{Quota: 1})
	r := q.run(runOpts{}, "snapshot", "create", "payments-prod")
	r.want(t, ExitRefused)
	r.stderrHas(t, "(AWS code SnapshotQuotaExceeded, request id ")
}

func TestCreateValidatesBeforeSendingAnything(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	tags := []awsclient.Tag{{Key: "aws:owner", Value: "x"}, {Key: "team", Value: "a"}, {Key: "team", Value: "b"}, {Key: "bad*key", Value: "v\x00"}}
	for _, c := range []struct {
		name     string
		args     []string
		problems func() []awsclient.Problem
	}{
		{"bad identifier", []string{"payments-prod", "9_Lives--"}, func() []awsclient.Problem {
			_, ps := awsclient.ValidateSnapshotID("9_Lives--")
			return ps
		}},
		{"bad cluster", []string{"--", "-payments"}, func() []awsclient.Problem {
			_, ps := awsclient.ValidateClusterID("-payments")
			return ps
		}},
		{"bad tags", []string{"payments-prod", "--tag", "aws:owner=x", "--tag", "team=a", "--tag", "team=b", "--tag", "bad*key=v\x00"},
			func() []awsclient.Problem { return awsclient.ValidateTags(tags) }},
		{"all at once", []string{"payments_prod", "x--", "--tag", "=v", "--wait"}, func() []awsclient.Problem {
			_, ps := awsclient.ValidateClusterID("payments_prod")
			_, id := awsclient.ValidateSnapshotID("x--")
			return append(append(ps, id...), awsclient.ValidateTags([]awsclient.Tag{{Value: "v"}})...)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.run(runOpts{}, append([]string{"snapshot", "create"}, c.args...)...)
			r.want(t, ExitInvalid)
			var want []string
			for _, p := range c.problems() {
				want = append(want, "docsnap snapshot create: "+p.String())
			}
			want = append(want, "Nothing was sent to AWS.")
			if got := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n"); !slices.Equal(got, want) {
				t.Errorf("stderr:\n%s\nwant:\n%s", r.stderr, strings.Join(want, "\n"))
			}
			if len(want) < 2 || r.stdout != "" || e.calls() != 0 {
				t.Errorf("%d problems, stdout %q, %d calls", len(want)-1, r.stdout, e.calls())
			}
		})
	}
	if strings.Contains(fmt.Sprint(awsclient.ValidateTags(tags)), "\x00") {
		t.Error("a problem carries the raw control character")
	}
}

// TestCreateWarnsAndSends: a tag with '@' breaks DocumentDB's Tag
// reference but not RDS's: the command says so on stderr and sends it.
func TestCreateWarnsAndSends(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	r := e.run(runOpts{}, "snapshot", "create", "payments-prod", "owned", "--tag", "owner=alice@example.com")
	r.want(t, ExitOK)
	r.stderrHas(t, "docsnap snapshot create: warning: tag 1 value: character 6 '@' is allowed by RDS's Tag reference but not DocumentDB's: AWS may refuse it\n",
		"Snapshot owned of cluster payments-prod is creating.")
	if r.stdout != "owned\n" || e.server.Calls("CreateDBClusterSnapshot") != 1 {
		t.Fatalf("stdout %q, %d creates", r.stdout, e.server.Calls("CreateDBClusterSnapshot"))
	}
	tags, err := e.client.Tags(context.Background(), "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:owned")
	if err != nil || len(tags) != 1 || tags[0].Value != "alice@example.com" {
		t.Fatalf("tags %v %v", tags, err)
	}

	// With an error as well, nothing is sent and the warning is still said.
	r = e.run(runOpts{}, "snapshot", "create", "payments-prod", "owned-2", "--tag", "owner=alice@example.com", "--tag", "bad!=x")
	r.want(t, ExitInvalid)
	r.stderrHas(t, "docsnap snapshot create: tag 2 key: character 4 '!' is not allowed",
		"docsnap snapshot create: warning: tag 1 value: character 6 '@'", "Nothing was sent to AWS.")
	if n := e.server.Calls("CreateDBClusterSnapshot"); n != 1 {
		t.Fatalf("%d creates", n)
	}
}

// TestWaitForAutomatedAndARN: an existing snapshot is named by its own
// rules: an automated snapshot of a 60-character cluster (67 characters
// after rds:) and an ARN are followed; a malformed ARN is refused unsent.
func TestWaitForAutomatedAndARN(t *testing.T) {
	long := "c" + strings.Repeat("x", 59)
	fleet := emulator.Fleet{Clusters: []emulator.ClusterSpec{{ID: long, Engine: awsclient.Engine, EngineVersion: "5.0.0",
		Status: "available", StorageGiB: 10, Snapshots: []emulator.SnapshotSpec{
			{Type: awsclient.SnapshotAutomated, Age: 5 * time.Hour},
			{ID: "shared-copy", Type: awsclient.SnapshotManual, Age: time.Hour},
		}}}}
	e := newEndpoint(t, fleet, emulator.Options{})
	auto := "rds:" + long + "-2026-11-29-00-30"
	r := e.run(runOpts{}, "snapshot", "wait", auto)
	r.want(t, ExitOK)
	r.stderrHas(t, "Snapshot "+auto+" is available.")
	arn := "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:shared-copy"
	r = e.run(runOpts{}, "snapshot", "wait", arn, "--output", "json")
	r.want(t, ExitOK)
	if !strings.Contains(r.stdout, `"snapshotId": "shared-copy"`) {
		t.Errorf("stdout %q", r.stdout)
	}
	// The listing takes the cluster's ARN as well.
	r = e.run(runOpts{}, "snapshots", "arn:aws:rds:us-east-1:123456789012:cluster:"+long)
	r.want(t, ExitOK)
	if !strings.Contains(r.stdout, auto) || !strings.Contains(r.stdout, "shared-copy") {
		t.Errorf("stdout %q", r.stdout)
	}

	before := e.calls()
	r = e.run(runOpts{}, "snapshot", "wait", "arn:aws:rds:us-east-1:123456789012:cluster:"+long)
	r.want(t, ExitInvalid)
	r.stderrHas(t, `docsnap snapshot wait: snapshot identifier: the ARN names a "cluster": want a cluster-snapshot`)
	if e.calls() != before {
		t.Error("an invalid name was sent")
	}
}

func TestCreateTagsAndSuggestion(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	// Flags after the arguments, a value holding "=", a key alone, and the
	// cluster as the user typed it.
	r := e.run(runOpts{}, "snapshot", "create", "Payments-Prod", "--tag", "query=a=b", "--tag", "solo", "--tag", "empty=", "--output", "json")
	r.want(t, ExitOK)
	var s Snapshot
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatalf("%v: %q", err, r.stdout)
	}
	if s.SnapshotID != "payments-prod-2026-11-29-0530" || s.ClusterID != "payments-prod" || s.Status != "creating" ||
		s.PercentProgress != 0 || s.Type != "manual" || time.Time(s.Created) != t0 {
		t.Errorf("%+v", s)
	}
	tags, err := e.client.Tags(context.Background(), s.ARN)
	want := []awsclient.Tag{{Key: "query", Value: "a=b"}, {Key: "solo"}, {Key: "empty"}}
	if err != nil || !slices.Equal(tags, want) {
		t.Errorf("tags %v %v, want %v", tags, err, want)
	}
	r.stderrHas(t, "Snapshot payments-prod-2026-11-29-0530 of cluster payments-prod is creating.\nFollow it with:\n  docsnap snapshot wait payments-prod-2026-11-29-0530 --region us-east-1")

	// "--" ends the flags.
	r = e.run(runOpts{}, "snapshot", "create", "--tag", "a=b", "--", "payments-prod", "after-dashes")
	r.want(t, ExitOK)
	if r.stdout != "after-dashes\n" {
		t.Errorf("stdout %q", r.stdout)
	}
}

// aimed is a client that says it is aimed at another target (a profile,
// say) while it talks to the test's endpoint.
type aimed struct {
	awsclient.Client
	target awsclient.Target
}

func (a aimed) Target() awsclient.Target { return a.target }

// TestFollowHintIsTheTUIs: the docsnap command line a create says to follow
// its snapshot with is the one the TUI shows (awscli.Docsnap), flags in the
// same order, for a target with a profile too.
func TestFollowHintIsTheTUIs(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	target := awsclient.Target{Region: "eu-west-1", Profile: "ops team", Endpoint: e.url}
	r := e.run(runOpts{client: aimed{e.client, target}}, "snapshot", "create", "payments-prod", "hinted")
	r.want(t, ExitOK)
	r.stderrHas(t, "Follow it with:\n  "+awscli.Docsnap(target, "snapshot", "wait", "hinted").String()+"\n")
}

func TestWaitForAnExistingSnapshot(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	r := e.run(runOpts{}, "snapshot", "wait", "payments-prod-pre-migration")
	r.want(t, ExitOK)
	if r.stdout != "" || !strings.HasSuffix(r.stderr, "\nSnapshot payments-prod-pre-migration is available.\n") {
		t.Errorf("stdout %q stderr %q", r.stdout, r.stderr)
	}
	if n := e.server.Calls("DescribeDBClusterSnapshots"); n != 1 {
		t.Errorf("%d describes of a finished snapshot", n)
	}
	// An automated one: its rds: prefix is AWS's.
	e.run(runOpts{}, "snapshot", "wait", "rds:payments-prod-2026-11-29-00-30").want(t, ExitOK)
	// One being taken (the demo's orders-prod-before-reindex) is followed
	// to the end.
	r = e.run(runOpts{}, "snapshot", "wait", "orders-prod-before-reindex", "--timeout", "0")
	r.want(t, ExitOK)
	r.stderrHas(t, "Snapshot orders-prod-before-reindex is available (took ")

	r = e.run(runOpts{}, "snapshot", "wait", "no-such-snapshot")
	r.want(t, ExitRefused)
	r.stderrHas(t, "docsnap snapshot wait: The snapshot was not found. (AWS code DBClusterSnapshotNotFoundFault, request id ")

	before := e.calls()
	r = e.run(runOpts{}, "snapshot", "wait", "bad_id")
	r.want(t, ExitInvalid)
	r.stderrHas(t, "docsnap snapshot wait: snapshot identifier: character 4 '_' is not allowed")
	if e.calls() != before {
		t.Error("an invalid identifier was sent")
	}
}
