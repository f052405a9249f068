package fleet

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
)

func plan(t *testing.T, n int) []Item {
	t.Helper()
	var targets []Target
	for i := range n {
		targets = append(targets, cluster(fmt.Sprintf("c%02d", i), "us-east-1", "available"))
	}
	items := Plan("{cluster}-pre", targets, t0, nil)
	if ok, _ := Sendable(items); !ok {
		t.Fatalf("plan: %+v", items)
	}
	return items
}

func ids(ins []awsclient.CreateSnapshotInput) []string {
	var out []string
	for _, in := range ins {
		out = append(out, in.SnapshotID)
	}
	return out
}

var (
	errThrottled = &awsclient.Error{Kind: awsclient.KindThrottled, Op: "create snapshot"}
	errLost      = &awsclient.Error{Kind: awsclient.KindTimeout, Op: "create snapshot", OutcomeUnknown: true}
	errQuota     = &awsclient.Error{Kind: awsclient.KindQuotaExceeded, Op: "create snapshot"}
)

func creating(id string) awsclient.Snapshot {
	return awsclient.Snapshot{ID: id, Status: awsclient.StatusCreating, Type: awsclient.SnapshotManual}
}

func TestBatchSendsAtMostConcurrencyInPlanOrder(t *testing.T) {
	tags := []awsclient.Tag{{Key: "change", Value: "CHG-1"}}
	b := NewBatch(plan(t, 5), 2, tags, "b-1")
	first := b.Next(t0)
	if got := ids(first); !slices.Equal(got, []string{"c00-pre", "c01-pre"}) {
		t.Fatalf("first sends %v", got)
	}
	for _, in := range first {
		if in.Batch != "b-1" || !slices.Equal(in.Tags, tags) || in.Resend || in.ClusterID != in.SnapshotID[:3] {
			t.Errorf("input %+v", in)
		}
	}
	if more := b.Next(t0); len(more) != 0 || b.Wait(t0) != Idle {
		t.Fatalf("with two on the wire: Next %v, Wait %v", ids(more), b.Wait(t0))
	}
	b.Answered("c01-pre", creating("c01-pre"), nil, t0)
	b.Answered("c01-pre", creating("c01-pre"), nil, t0) // a second answer changes nothing
	if w := b.Wait(t0); w != 0 {
		t.Fatalf("Wait after an answer = %v, want 0", w)
	}
	if got := ids(b.Next(t0)); !slices.Equal(got, []string{"c02-pre"}) {
		t.Fatalf("after one answer: %v", got)
	}
	if s := b.Summary(t0); s.Total != 5 || s.Creating != 1 || s.Pending != 4 || s.Done {
		t.Fatalf("summary %+v", s)
	}
}

func TestThrottlingPausesTheWholeBatch(t *testing.T) {
	b := NewBatch(plan(t, 4), 2, nil, "b")
	b.Next(t0)
	b.Answered("c00-pre", awsclient.Snapshot{}, errThrottled, t0)
	if got := b.Next(t0); len(got) != 0 {
		t.Fatalf("sent %v while backing off", ids(got))
	}
	if w := b.Wait(t0); w != ResendInterval {
		t.Fatalf("Wait = %v, want %v", w, ResendInterval)
	}
	now := t0.Add(ResendInterval)
	// The throttled create goes first again: the plan's order.
	if got := ids(b.Next(now)); !slices.Equal(got, []string{"c00-pre"}) {
		t.Fatalf("after the pause: %v", got)
	}
	b.Answered("c00-pre", awsclient.Snapshot{}, errThrottled, now)
	if w := b.Wait(now); w != 2*ResendInterval {
		t.Fatalf("second throttling in a row: Wait = %v, want twice the first", w)
	}
	now = now.Add(2 * ResendInterval)
	b.Next(now)
	b.Answered("c00-pre", creating("c00-pre"), nil, now)
	b.Answered("c01-pre", awsclient.Snapshot{}, errThrottled, now)
	if w := b.Wait(now); w != ResendInterval {
		t.Fatalf("after a success the backoff starts again: Wait = %v", w)
	}
	if s := b.Summary(now); s.Throttled != 3 {
		t.Fatalf("Throttled = %d, want 3", s.Throttled)
	}
}

func TestALostAnswerIsSentAgainAsAResend(t *testing.T) {
	b := NewBatch(plan(t, 2), 4, nil, "b")
	b.Next(t0)
	b.Answered("c00-pre", awsclient.Snapshot{}, errLost, t0)
	if un := b.Unanswered(); len(un) != 2 || !un[0].Resend || un[1].Resend {
		t.Fatalf("Unanswered = %+v: want the lost one (a resend) and the one on the wire", un)
	}
	if got := b.Next(t0); len(got) != 0 {
		t.Fatalf("resent at once: %v", ids(got))
	}
	now := t0.Add(b.Wait(t0))
	again := b.Next(now)
	if len(again) != 1 || again[0].SnapshotID != "c00-pre" || !again[0].Resend {
		t.Fatalf("resend %+v: want the same identifier with Resend", again)
	}
	// Throttled afterwards: still a resend the next time, whatever else.
	b.Answered("c00-pre", awsclient.Snapshot{}, errThrottled, now)
	now = now.Add(b.Wait(now))
	if again := b.Next(now); len(again) != 1 || !again[0].Resend {
		t.Fatalf("after throttling: %+v", again)
	}
	b.Answered("c00-pre", creating("c00-pre"), nil, now)
	if un := b.Unanswered(); len(un) != 1 || un[0].SnapshotID != "c01-pre" {
		t.Fatalf("Unanswered after the resend's answer = %+v", un)
	}
}

func TestAFailureStopsOnlyItsItemAndRetryFailedResendsOnlyIt(t *testing.T) {
	b := NewBatch(plan(t, 3), 3, nil, "b")
	b.Next(t0)
	b.Answered("c00-pre", creating("c00-pre"), nil, t0)
	b.Answered("c01-pre", awsclient.Snapshot{}, errQuota, t0)
	b.Answered("c02-pre", creating("c02-pre"), nil, t0)
	if b.Wait(t0) != Idle || len(b.Next(t0)) != 0 {
		t.Fatal("a refused create is sent again without RetryFailed")
	}
	now := t0.Add(time.Minute)
	b.Polled("c00-pre", awsclient.Snapshot{ID: "c00-pre", Status: awsclient.StatusCreating, PercentProgress: 50}, nil, now)
	b.Polled("c02-pre", awsclient.Snapshot{ID: "c02-pre", Status: "failed"}, nil, now)
	r, _ := b.Row("c00-pre", now)
	if r.Status != StatusCreating || r.Percent != 50 || r.Elapsed != time.Minute {
		t.Fatalf("row %+v", r)
	}
	s := b.Summary(now)
	if s.Failed != 2 || s.Creating != 1 || s.Done || len(s.Failures) != 2 ||
		!errors.Is(s.Failures[0].Err, errQuota) || s.Failures[1].Err.Error() != "snapshot c02-pre ended failed" {
		t.Fatalf("summary %+v", s)
	}
	if n := b.RetryFailed(); n != 2 {
		t.Fatalf("RetryFailed = %d, want 2", n)
	}
	if got := ids(b.Next(now)); !slices.Equal(got, []string{"c01-pre", "c02-pre"}) {
		t.Fatalf("retry sends %v, want only the failed ones under the same identifiers", got)
	}
	b.Polled("c00-pre", awsclient.Snapshot{ID: "c00-pre", Status: awsclient.StatusAvailable}, nil, now)
	if n := b.RetryFailed(); n != 0 {
		t.Fatalf("RetryFailed with none failed = %d", n)
	}
	if r, _ := b.Row("c00-pre", now); r.Status != StatusAvailable || r.Percent != 100 {
		t.Fatalf("available row %+v", r)
	}
}

func TestAnItemThePlanRefusedIsNeverSent(t *testing.T) {
	items := Plan("{cluster}-pre", []Target{cluster("a", "us-east-1", "available"), cluster("b", "us-east-1", "stopped")}, t0, nil)
	b := NewBatch(items, 4, nil, "b")
	if got := ids(b.Next(t0)); !slices.Equal(got, []string{"a-pre"}) {
		t.Fatalf("sent %v", got)
	}
	b.RetryFailed()
	if got := b.Next(t0); len(got) != 0 {
		t.Fatalf("RetryFailed sent a refused item: %v", ids(got))
	}
	if r, _ := b.Row("b-pre", t0); r.Status != StatusFailed || r.Err == nil || r.Err.Error() != items[1].Blocked {
		t.Fatalf("refused row %+v", r)
	}
}

func TestASnapshotThatDisappearsFails(t *testing.T) {
	b := NewBatch(plan(t, 1), 1, nil, "b")
	b.Next(t0)
	b.Answered("c00-pre", creating("c00-pre"), nil, t0)
	b.Polled("c00-pre", awsclient.Snapshot{}, errThrottled, t0)
	if r, _ := b.Row("c00-pre", t0); r.Status != StatusCreating {
		t.Fatalf("a failed poll changed the row: %+v", r)
	}
	b.Polled("c00-pre", awsclient.Snapshot{}, &awsclient.Error{Kind: awsclient.KindSnapshotNotFound}, t0)
	if s := b.Summary(t0); s.Failed != 1 || !s.Done {
		t.Fatalf("summary %+v", s)
	}
}

func TestRepeatedLostAnswersEndInAFailureThatRetryResends(t *testing.T) {
	b := NewBatch(plan(t, 1), 1, nil, "b")
	now := t0
	for range MaxSends {
		if len(b.Next(now)) != 1 {
			t.Fatalf("nothing sent at %v", now)
		}
		b.Answered("c00-pre", awsclient.Snapshot{}, errLost, now)
		if w := b.Wait(now); w > 0 {
			now = now.Add(w)
		}
	}
	if r, _ := b.Row("c00-pre", now); r.Status != StatusFailed || !r.Resend {
		t.Fatalf("after %d lost answers: %+v", MaxSends, r)
	}
	if un := b.Unanswered(); len(un) != 1 {
		t.Fatalf("a failed create whose outcome is unknown is not reported: %+v", un)
	}
	b.RetryFailed()
	if in := b.Next(now); len(in) != 1 || !in[0].Resend {
		t.Fatalf("retry of a create whose outcome is unknown: %+v", in)
	}
}

// aws is a fake DocumentDB for the fault test: snapshots by identifier, and
// the lost-response rule of awsclient.SDK.CreateSnapshot.
type aws struct {
	rnd     *rand.Rand
	snaps   map[string]*awsclient.Snapshot
	made    int // snapshots created
	refused map[string]bool
}

func (a *aws) create(in awsclient.CreateSnapshotInput) (awsclient.Snapshot, error) {
	switch r := a.rnd.Float64(); {
	case r < 0.25:
		return awsclient.Snapshot{}, errThrottled
	case r < 0.35: // a 5xx: AWS may or may not have made it; here not
		return awsclient.Snapshot{}, &awsclient.Error{Kind: awsclient.KindServerError, OutcomeUnknown: true}
	case r < 0.4 && !a.refused[in.SnapshotID]: // refused once
		a.refused[in.SnapshotID] = true
		return awsclient.Snapshot{}, errQuota
	}
	if s, ok := a.snaps[in.SnapshotID]; ok {
		if in.Resend && s.ClusterID == in.ClusterID {
			return *s, nil
		}
		return awsclient.Snapshot{}, &awsclient.Error{Kind: awsclient.KindSnapshotExists}
	}
	s := &awsclient.Snapshot{ID: in.SnapshotID, ClusterID: in.ClusterID, Status: awsclient.StatusCreating, Type: awsclient.SnapshotManual}
	a.snaps[in.SnapshotID] = s
	a.made++
	if a.rnd.Float64() < 0.25 { // made, but the answer was dropped
		return awsclient.Snapshot{}, errLost
	}
	return *s, nil
}

func (a *aws) poll(id string) (awsclient.Snapshot, error) {
	if a.rnd.Float64() < 0.2 {
		return awsclient.Snapshot{}, errThrottled
	}
	s := a.snaps[id]
	s.PercentProgress = min(s.PercentProgress+a.rnd.IntN(40), 100)
	if s.PercentProgress == 100 {
		s.Status = awsclient.StatusAvailable
	}
	return *s, nil
}

// TestFaultsNeverMakeASecondSnapshot drives batches against a fake AWS
// that throttles, fails with 5xx, drops answers after making the snapshot
// and refuses some creates once: every item gets exactly one snapshot,
// each reaching 100%, once RetryFailed has sent the refused ones again, and a RetryFailed of
// a finished batch sends nothing.
func TestFaultsNeverMakeASecondSnapshot(t *testing.T) {
	for seed := range uint64(200) {
		const n = 12
		rnd := rand.New(rand.NewPCG(seed, 7))
		a := &aws{rnd: rnd, snaps: map[string]*awsclient.Snapshot{}, refused: map[string]bool{}}
		concurrency := 1 + rnd.IntN(5)
		b := NewBatch(plan(t, n), concurrency, nil, "b")
		b.Rand = rnd.Float64
		now := t0
		run := func() {
			var wire []awsclient.CreateSnapshotInput
			for steps := 0; !b.Summary(now).Done; steps++ {
				if steps > 10000 {
					t.Fatalf("seed %d: no end: %+v", seed, b.Summary(now))
				}
				wire = append(wire, b.Next(now)...)
				if len(wire) > concurrency {
					t.Fatalf("seed %d: %d on the wire, concurrency %d", seed, len(wire), concurrency)
				}
				if len(wire) > 0 && rnd.IntN(3) > 0 { // answers come back in any order
					i := rnd.IntN(len(wire))
					in := wire[i]
					wire = slices.Delete(wire, i, i+1)
					snap, err := a.create(in)
					b.Answered(in.SnapshotID, snap, err, now)
					continue
				}
				for _, r := range b.Rows(now) {
					if r.Status == StatusCreating {
						snap, err := a.poll(r.Item.ID)
						b.Polled(r.Item.ID, snap, err, now)
					}
				}
				now = now.Add(time.Duration(1+rnd.IntN(3)) * time.Second)
			}
		}
		run()
		for retries := 0; b.RetryFailed() > 0; retries++ {
			if retries == 20 {
				t.Fatalf("seed %d: still failing after %d retries: %+v", seed, retries, b.Summary(now).Failures)
			}
			run()
		}
		s := b.Summary(now)
		if s.Available != n || a.made != n || len(a.snaps) != n {
			t.Fatalf("seed %d: %d available, %d made, want %d each; failures %+v", seed, s.Available, a.made, n, s.Failures)
		}
		for _, r := range b.Rows(now) {
			if r.Percent != 100 || r.Snapshot.ClusterID != r.Item.Cluster.ID {
				t.Fatalf("seed %d: row %+v", seed, r)
			}
		}
		if b.RetryFailed() != 0 || len(b.Next(now)) != 0 || a.made != n {
			t.Fatalf("seed %d: a retry of a finished batch sent something", seed)
		}
	}
}
