package sshserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// localWorld is a demo world on a clock the test moves, and the real client
// for it.
func localWorld(t *testing.T) (*emulator.Server, awsclient.Client, func(time.Duration)) {
	t.Helper()
	var mu sync.Mutex
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	world := emulator.New(emulator.Options{Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
	world.Load(emulator.DemoFleet())
	c, err := world.InProcessClient(demoHost, awsclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return world, c, func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
}

func TestReadOnlyClientMakesNoCall(t *testing.T) {
	world, c, _ := localWorld(t)
	ro := awsclient.ReadOnly(c, ReadOnlyReason)
	_, err := ro.CreateSnapshot(t.Context(), awsclient.CreateSnapshotInput{ClusterID: "orders-prod", SnapshotID: "x"})
	var e *awsclient.Error
	if !errors.As(err, &e) || e.Kind != awsclient.KindReadOnly || e.Sentence() != ReadOnlyReason {
		t.Errorf("read-only create: %v, want a read-only refusal saying why", err)
	}
	if n := world.Calls("CreateDBClusterSnapshot"); n != 0 {
		t.Errorf("%d CreateDBClusterSnapshot calls reached the endpoint", n)
	}
	if _, err := ro.Snapshot(t.Context(), "orders-prod-before-reindex"); err != nil {
		t.Errorf("read-only browse: %v", err)
	}
}

func auditRecords(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	dec := json.NewDecoder(buf)
	for dec.More() {
		var r map[string]any
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func TestAuditRecordsFailureWithAWSCode(t *testing.T) {
	_, c, _ := localWorld(t)
	var buf bytes.Buffer
	a := newAuditClient(c, slog.New(slog.NewJSONHandler(&buf, nil)), who{session: "s1", user: "alice", key: "SHA256:x", role: RoleFull})
	in := awsclient.CreateSnapshotInput{ClusterID: "orders-prod", SnapshotID: "orders-prod-before-reindex"}
	if _, err := a.CreateSnapshot(t.Context(), in); err == nil {
		t.Fatal("creating an existing identifier succeeded")
	}
	rs := auditRecords(t, &buf)
	if len(rs) != 1 {
		t.Fatalf("%d records, want 1", len(rs))
	}
	r := rs[0]
	if r["outcome"] != "failed" || r["aws_code"] != "DBClusterSnapshotAlreadyExistsFault" || r["aws_request_id"] == "" ||
		r["level"] != "WARN" || r["snapshot"] != "orders-prod-before-reindex" {
		t.Errorf("failure record %v", r)
	}
	if len(a.inFlight()) != 0 {
		t.Errorf("a failed create is in flight: %v", a.inFlight())
	}
}

func TestAuditTracksSnapshotsUntilDone(t *testing.T) {
	_, c, advance := localWorld(t)
	a := newAuditClient(c, slog.New(slog.DiscardHandler), who{})
	if _, err := a.CreateSnapshot(t.Context(), awsclient.CreateSnapshotInput{ClusterID: "orders-prod", SnapshotID: "mine"}); err != nil {
		t.Fatal(err)
	}
	if fl := a.inFlight(); len(fl) != 1 || fl[0].snapshot != "mine" || fl[0].cluster != "orders-prod" {
		t.Fatalf("in flight after create: %v", fl)
	}
	advance(time.Hour)
	// Following progress through the cluster's listing is enough.
	if _, err := awsclient.All(t.Context(), a.Snapshots("orders-prod")); err != nil {
		t.Fatal(err)
	}
	if fl := a.inFlight(); len(fl) != 0 {
		t.Errorf("in flight after it became available: %v", fl)
	}
}

func TestAuditNamesTheBatchOfEachCreate(t *testing.T) {
	_, c, _ := localWorld(t)
	var buf bytes.Buffer
	a := newAuditClient(c, slog.New(slog.NewJSONHandler(&buf, nil)), who{session: "s1", user: "alice"})
	for _, in := range []awsclient.CreateSnapshotInput{
		{ClusterID: "orders-prod", SnapshotID: "orders-prod-pre", Batch: "fleet-1"},
		{ClusterID: "orders-prod", SnapshotID: "orders-prod-before-reindex", Batch: "fleet-1"}, // exists: fails
		{ClusterID: "orders-prod", SnapshotID: "alone"},
	} {
		a.CreateSnapshot(t.Context(), in)
	}
	rs := auditRecords(t, &buf)
	if len(rs) != 3 {
		t.Fatalf("%d records, want 3", len(rs))
	}
	if rs[0]["batch"] != "fleet-1" || rs[0]["outcome"] != "submitted" || rs[1]["batch"] != "fleet-1" || rs[1]["outcome"] != "failed" {
		t.Errorf("records of the batch: %v", rs[:2])
	}
	if _, ok := rs[2]["batch"]; ok {
		t.Errorf("a create outside any batch names one: %v", rs[2])
	}
}
