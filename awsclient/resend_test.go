package awsclient_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// throttling answers Throttling, as AWS words it, to every request of
// action while on is set, in front of the endpoint.
func throttling(action string, on *atomic.Bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if err := r.ParseForm(); err == nil && on.Load() && r.Form.Get("Action") == action {
				w.Header().Set("Content-Type", "text/xml")
				w.Header().Set("x-amzn-RequestId", "throttled-1")
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprint(w, `<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type>`+
					`<Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>throttled-1</RequestId></ErrorResponse>`)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// TestCreateOutcomeUnknownAndResend: a create whose every attempt lost its
// answer says its outcome is unknown (the snapshot exists at the endpoint);
// sending the same input again with Resend takes that snapshot as its own
// instead of failing with already-exists, and no second snapshot is made. A
// resend after the minute of the rule, or a fresh input, gets the error.
func TestCreateOutcomeUnknownAndResend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	var throttle atomic.Bool
	srv, url := startEmulator(t, emulator.Options{Now: clk.Now}, tiny(), throttling("DescribeDBClusterSnapshots", &throttle))
	c := newClient(t, url, func(o *awsclient.Options) { o.Now = clk.Now })
	manual := func() int {
		snaps, _ := pagesOf(t, c.Snapshots("orders"))
		return len(snaps)
	}
	in := awsclient.CreateSnapshotInput{ClusterID: "orders", SnapshotID: "Nightly", Tags: []awsclient.Tag{{Key: "k", Value: "v"}}}

	srv.DropNext("CreateDBClusterSnapshot", 3) // every attempt of the SDK's 3
	_, err := c.CreateSnapshot(ctx, in)
	e := wantKind(t, err, awsclient.KindUnreachable, "create snapshot")
	if !e.OutcomeUnknown || !awsclient.OutcomeUnknown(err) {
		t.Fatalf("a create whose answers were all lost does not say its outcome is unknown: %v", err)
	}
	if n := manual(); n != 1 {
		t.Fatalf("%d snapshots at the endpoint after the lost create, want 1 (the endpoint ran it)", n)
	}

	// The same input again, as a resend: the first send's snapshot, once.
	clk.Advance(40 * time.Second)
	resend := in
	resend.Resend = true
	s, err := c.CreateSnapshot(ctx, resend)
	if err != nil {
		t.Fatalf("the resend of a create with an unknown outcome: %v", err)
	}
	if s.ID != "nightly" || s.ClusterID != "orders" {
		t.Fatalf("the resend answered %+v", s)
	}
	if n, calls := manual(), srv.Calls("CreateDBClusterSnapshot"); n != 1 || calls != 4 {
		t.Fatalf("%d snapshots and %d creates at the endpoint, want 1 and 4", n, calls)
	}

	// The describe that would tell whose snapshot it is is throttled: the
	// outcome is still unknown, and no already-exists is claimed.
	throttle.Store(true)
	_, err = c.CreateSnapshot(ctx, resend)
	e = wantKind(t, err, awsclient.KindThrottled, "create snapshot")
	if !e.OutcomeUnknown {
		t.Fatalf("a resend that could not check the snapshot says its outcome is known: %v", err)
	}
	throttle.Store(false)

	// Without Resend, the same answer is the error it says.
	_, err = c.CreateSnapshot(ctx, in)
	if e := wantKind(t, err, awsclient.KindSnapshotExists, "create snapshot"); e.OutcomeUnknown {
		t.Fatalf("a refusal says its outcome is unknown: %v", err)
	}
	// Past the minute, a resend that does not say when it was first sent
	// finds someone else's snapshot...
	clk.Advance(time.Minute)
	_, err = c.CreateSnapshot(ctx, resend)
	wantKind(t, err, awsclient.KindSnapshotExists, "create snapshot")
	// ...but one that says so claims it, minutes later (throttling backed
	// the resends of a fleet off that long); one first sent after the
	// snapshot was made does not.
	clk.Advance(5 * time.Minute)
	resend.Since = clk.Now().Add(-6*time.Minute - 40*time.Second)
	if s, err := c.CreateSnapshot(ctx, resend); err != nil || s.ID != "nightly" {
		t.Fatalf("a resend minutes after its first send, saying so: %+v, %v", s, err)
	}
	resend.Since = clk.Now().Add(-4 * time.Minute)
	_, err = c.CreateSnapshot(ctx, resend)
	wantKind(t, err, awsclient.KindSnapshotExists, "create snapshot")
	if n := manual(); n != 1 {
		t.Fatalf("%d snapshots at the endpoint, want 1", n)
	}
}

// TestCreateOutcomeKnown: refusals say their outcome is known (nothing was
// created); a 5xx after the retries, or a create cut off by its timeout, says
// it is not.
func TestCreateOutcomeKnown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		faults  emulator.Faults
		in      awsclient.CreateSnapshotInput
		timeout time.Duration
		kind    awsclient.Kind
		unknown bool
	}{
		{"cluster not found", emulator.Faults{}, awsclient.CreateSnapshotInput{ClusterID: "nope", SnapshotID: "s1"},
			0, awsclient.KindClusterNotFound, false},
		{"cluster state", emulator.Faults{}, awsclient.CreateSnapshotInput{ClusterID: "archive", SnapshotID: "s1"},
			0, awsclient.KindClusterState, false},
		{"throttled every time", emulator.Faults{Throttle: 1}, awsclient.CreateSnapshotInput{ClusterID: "orders", SnapshotID: "s1"},
			0, awsclient.KindThrottled, false},
		{"5xx every time", emulator.Faults{Server5xx: 1}, awsclient.CreateSnapshotInput{ClusterID: "orders", SnapshotID: "s1"},
			0, awsclient.KindServerError, true},
		{"timed out", emulator.Faults{Latency: time.Minute}, awsclient.CreateSnapshotInput{ClusterID: "orders", SnapshotID: "s1"},
			100 * time.Millisecond, awsclient.KindTimeout, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, url := startEmulator(t, emulator.Options{Faults: tc.faults}, tiny())
			c := newClient(t, url, func(o *awsclient.Options) {
				if tc.timeout > 0 {
					o.CallTimeout = tc.timeout
				}
			})
			_, err := c.CreateSnapshot(ctx, tc.in)
			if e := wantKind(t, err, tc.kind, "create snapshot"); e.OutcomeUnknown != tc.unknown {
				t.Fatalf("OutcomeUnknown %v, want %v: %v", e.OutcomeUnknown, tc.unknown, err)
			}
		})
	}
}

// blanking lets the endpoint run every request of action while on is set,
// then answers it with a success that describes nothing.
func blanking(action string, on *atomic.Bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if err := r.ParseForm(); err != nil || !on.Load() || r.Form.Get("Action") != action {
				next.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(httptest.NewRecorder(), r)
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprintf(w, `<%[1]sResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><%[1]sResult></%[1]sResult>`+
				`<ResponseMetadata><RequestId>blank-1</RequestId></ResponseMetadata></%[1]sResponse>`, action)
		})
	}
}

// TestCreateAnswerWithoutSnapshot: a success answer that describes no
// snapshot is an error whose outcome is unknown, not a crash, and the resend
// takes the snapshot the endpoint made as its own.
func TestCreateAnswerWithoutSnapshot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	var blank atomic.Bool
	blank.Store(true)
	_, url := startEmulator(t, emulator.Options{Now: clk.Now}, tiny(), blanking("CreateDBClusterSnapshot", &blank))
	c := newClient(t, url, func(o *awsclient.Options) { o.Now = clk.Now })
	in := awsclient.CreateSnapshotInput{ClusterID: "orders", SnapshotID: "nightly"}

	_, err := c.CreateSnapshot(ctx, in)
	if e := wantKind(t, err, awsclient.KindUnknown, "create snapshot"); !e.OutcomeUnknown {
		t.Fatalf("a success answer without the snapshot says the outcome is known: %v", err)
	}
	blank.Store(false)
	in.Resend = true
	s, err := c.CreateSnapshot(ctx, in)
	if err != nil || s.ID != "nightly" || s.ClusterID != "orders" {
		t.Fatalf("the resend answered %+v, %v", s, err)
	}
	if snaps, _ := pagesOf(t, c.Snapshots("orders")); len(snaps) != 1 {
		t.Fatalf("%d snapshots at the endpoint, want 1", len(snaps))
	}
}
