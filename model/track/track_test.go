package track

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
)

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

func snap(id, cluster, status string, pct int) awsclient.Snapshot {
	return awsclient.Snapshot{ID: id, ClusterID: cluster, Status: status, PercentProgress: pct,
		ARN: "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:" + id}
}

func TestProgressElapsedAndETA(t *testing.T) {
	tr := New(5*time.Second, nil)
	tok, delay, start := tr.Add(snap("s1", "c1", "creating", 0), t0)
	if !start || delay != 5*time.Second {
		t.Fatalf("start %v delay %v", start, delay)
	}
	s, _ := tr.Get("s1")
	if _, ok := s.ETA(t0); ok {
		t.Fatal("an ETA before progress moved")
	}
	poll := func(at time.Duration, pct int, status string) Outcome {
		t.Helper()
		req, ok := tr.Begin("c1", tok)
		if !ok || req.Snapshot != "s1" || req.Want != nil {
			t.Fatalf("begin: %+v %v", req, ok)
		}
		return tr.Observe("c1", req, []awsclient.Snapshot{snap("s1", "c1", status, pct)}, nil, t0.Add(at))
	}
	o := poll(5*time.Second, 0, "creating")
	if len(o.Changed) != 0 || !o.Continue || o.Next != 5*time.Second {
		t.Fatalf("still at 0: %+v", o)
	}
	if _, ok := s.ETA(t0.Add(5 * time.Second)); ok {
		t.Fatal("an ETA while progress sits at 0")
	}
	// Moves to 20% by t=15s: 10s for 20 points (measured from the last
	// time it sat at 0), so 40s for the 80 left.
	o = poll(15*time.Second, 20, "creating")
	if len(o.Changed) != 1 || s.Percent != 20 {
		t.Fatalf("moved: %+v", o)
	}
	if eta, ok := s.ETA(t0.Add(15 * time.Second)); !ok || eta != 40*time.Second {
		t.Fatalf("eta %v %v, want 40s", eta, ok)
	}
	if eta, _ := s.ETA(t0.Add(25 * time.Second)); eta != 30*time.Second {
		t.Fatalf("eta 10s later %v, want 30s", eta)
	}
	if el := s.Elapsed(t0.Add(25 * time.Second)); el != 25*time.Second {
		t.Fatalf("elapsed %v", el)
	}
	o = poll(55*time.Second, 97, "available") // available is 100% whatever the field says
	if len(o.Finished) != 1 || o.Continue || s.Percent != 100 || !s.Done() || s.Failed() {
		t.Fatalf("finished: %+v %+v", o, s)
	}
	if el := s.Elapsed(t0.Add(time.Hour)); el != 55*time.Second {
		t.Fatalf("elapsed after done %v, want 55s", el)
	}
	if _, ok := tr.Begin("c1", tok); ok {
		t.Fatal("a poll after everything finished")
	}
	if len(tr.InFlight()) != 0 {
		t.Fatal("still in flight")
	}
}

func TestFailureStatusEndsTracking(t *testing.T) {
	tr := New(time.Second, nil)
	tok, _, _ := tr.Add(snap("s1", "c1", "creating", 0), t0)
	req, _ := tr.Begin("c1", tok)
	o := tr.Observe("c1", req, []awsclient.Snapshot{snap("s1", "c1", "failed", 12)}, nil, t0.Add(time.Second))
	s, _ := tr.Get("s1")
	if len(o.Finished) != 1 || !s.Failed() || o.Continue {
		t.Fatalf("%+v %+v", o, s)
	}
}

func TestOneCallPerClusterHoweverManySnapshots(t *testing.T) {
	tr := New(time.Second, nil)
	tokA, _, startA := tr.Add(snap("a1", "ca", "creating", 0), t0)
	_, _, startA2 := tr.Add(snap("a2", "ca", "creating", 0), t0)
	tokB, _, startB := tr.Add(snap("b1", "cb", "creating", 0), t0)
	if !startA || startA2 || !startB {
		t.Fatalf("loops started: %v %v %v (want one per cluster)", startA, startA2, startB)
	}
	req, ok := tr.Begin("ca", tokA)
	if !ok || req.Snapshot != "" || !slices.Equal(req.Want, []string{"a1", "a2"}) {
		t.Fatalf("cluster a asks %+v", req)
	}
	if _, ok := tr.Begin("ca", tokA); ok {
		t.Fatal("a second call while one is underway")
	}
	reqB, _ := tr.Begin("cb", tokB)
	if reqB.Snapshot != "b1" {
		t.Fatalf("cluster b asks %+v", reqB)
	}
	// A listing returns other snapshots too (automated ones, other manual
	// ones): only the followed ones count.
	got := []awsclient.Snapshot{snap("rds:ca-2024", "ca", "available", 100), snap("a1", "ca", "creating", 50), snap("a2", "ca", "available", 100)}
	o := tr.Observe("ca", req, got, nil, t0.Add(time.Second))
	if len(o.Changed) != 2 || len(o.Finished) != 1 || !o.Continue {
		t.Fatalf("%+v", o)
	}
	req, _ = tr.Begin("ca", tokA)
	if req.Snapshot != "a1" { // only one left: describe it alone
		t.Fatalf("then asks %+v", req)
	}
}

func TestStaleTicksAndCheckNow(t *testing.T) {
	tr := New(time.Second, nil)
	tok, _, _ := tr.Add(snap("s1", "c1", "creating", 0), t0)
	now, ok := tr.Now("c1")
	if !ok || now == tok {
		t.Fatalf("now: %d %v", now, ok)
	}
	if _, ok := tr.Begin("c1", tok); ok {
		t.Fatal("the old loop's tick still polls")
	}
	req, ok := tr.Begin("c1", now)
	if !ok {
		t.Fatal("the new loop does not poll")
	}
	if _, ok := tr.Now("c1"); ok {
		t.Fatal("check now while a call is underway")
	}
	tr.Observe("c1", req, []awsclient.Snapshot{snap("s1", "c1", "creating", 1)}, nil, t0)
	if _, ok := tr.Now("unknown"); ok {
		t.Fatal("check now of a cluster never followed")
	}
}

func TestBackoffOnThrottlingAndErrorsThenResume(t *testing.T) {
	tr := New(5*time.Second, nil)
	tok, _, _ := tr.Add(snap("s1", "c1", "creating", 0), t0)
	throttled := &awsclient.Error{Kind: awsclient.KindThrottled, Op: "describe snapshot", Code: "Throttling"}
	lost := &awsclient.Error{Kind: awsclient.KindUnreachable, Op: "describe snapshot"}
	var delays []time.Duration
	for i, err := range []error{throttled, throttled, lost, lost, lost, lost, lost} {
		req, ok := tr.Begin("c1", tok)
		if !ok {
			t.Fatalf("poll %d not begun", i)
		}
		o := tr.Observe("c1", req, nil, err, t0)
		if !o.Continue || o.Err == nil {
			t.Fatalf("poll %d: %+v", i, o)
		}
		if o.Throttled != (err == throttled) {
			t.Fatalf("poll %d throttled=%v", i, o.Throttled)
		}
		if i == 0 && !strings.Contains(o.Note(), "throttling") || i == 0 && !strings.Contains(o.Note(), "10s") {
			t.Fatalf("note %q", o.Note())
		}
		delays = append(delays, o.Next)
	}
	want := []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second, time.Minute, time.Minute, time.Minute, time.Minute}
	if !slices.Equal(delays, want) {
		t.Fatalf("delays %v, want %v", delays, want)
	}
	s, _ := tr.Get("s1")
	if !errors.Is(s.Err, lost) {
		t.Fatalf("snapshot error %v", s.Err)
	}
	req, _ := tr.Begin("c1", tok)
	o := tr.Observe("c1", req, []awsclient.Snapshot{snap("s1", "c1", "creating", 5)}, nil, t0)
	if o.Next != 5*time.Second || o.Err != nil || s.Err != nil || o.Note() != "" {
		t.Fatalf("after recovery: %+v, snapshot err %v", o, s.Err)
	}
}

func TestJitterSpreadsDelays(t *testing.T) {
	vals := []float64{0, 0.5, 0.999}
	i := 0
	tr := New(10*time.Second, func() float64 { v := vals[i%len(vals)]; i++; return v })
	var got []time.Duration
	for range vals {
		got = append(got, tr.delay(10*time.Second))
	}
	if got[0] != 8*time.Second || got[1] != 10*time.Second || got[2] < 11900*time.Millisecond || got[2] >= 12*time.Second {
		t.Fatalf("jittered delays %v", got)
	}
}

func TestMissingSnapshotIsGoneAfterSeveralPolls(t *testing.T) {
	tr := New(time.Second, nil)
	tok, _, _ := tr.Add(snap("s1", "c1", "creating", 0), t0)
	notFound := &awsclient.Error{Kind: awsclient.KindSnapshotNotFound, Code: "DBClusterSnapshotNotFoundFault"}
	var o Outcome
	for i := range missingLimit {
		req, ok := tr.Begin("c1", tok)
		if !ok {
			t.Fatalf("poll %d", i)
		}
		o = tr.Observe("c1", req, nil, notFound, t0)
		if o.Err != nil {
			t.Fatalf("not found counted as a failure to poll: %+v", o)
		}
	}
	s, _ := tr.Get("s1")
	if !s.Gone || !s.Failed() || len(o.Finished) != 1 || o.Continue {
		t.Fatalf("%+v %+v", o, s)
	}
}

func TestAlreadyFinishedNeedsNoPoll(t *testing.T) {
	tr := New(time.Second, nil)
	if _, _, start := tr.Add(snap("s1", "c1", "available", 100), t0); start {
		t.Fatal("a poll loop for a finished snapshot")
	}
	if s, ok := tr.Get("s1"); !ok || !s.Done() {
		t.Fatal("not recorded as done")
	}
}

// TestTypicalOnlyFromSnapshotsSeenCreating: the estimate of an elastic
// snapshot comes from the cluster's snapshots followed from creating to
// available; one first seen available, or failed, measures nothing.
func TestTypicalOnlyFromSnapshotsSeenCreating(t *testing.T) {
	t0 := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	tr := New(time.Second, nil)
	if _, n := tr.Typical("c"); n != 0 {
		t.Fatalf("%d measured with none followed", n)
	}
	el := func(id, status string) awsclient.Snapshot {
		return awsclient.Snapshot{ID: id, ClusterID: "c", Status: status, ClusterType: awsclient.TypeElastic, ARN: "arn:" + id}
	}
	tr.Add(el("done-before", "ACTIVE"), t0) // never seen creating
	seq, _, _ := tr.Add(el("a", "CREATING"), t0)
	req, ok := tr.Begin("c", seq)
	if !ok || !req.Elastic || req.ARN != "arn:a" {
		t.Fatalf("request %+v %v: want GetClusterSnapshot by ARN", req, ok)
	}
	tr.Observe("c", req, []awsclient.Snapshot{el("a", "ACTIVE")}, nil, t0.Add(4*time.Minute))
	if avg, n := tr.Typical("c"); n != 1 || avg != 4*time.Minute {
		t.Fatalf("typical %v of %d, want 4m of 1", avg, n)
	}
}
