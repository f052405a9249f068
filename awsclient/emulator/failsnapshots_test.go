package emulator

import (
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
)

// TestFailSnapshots: while FailSnapshots is on, a new snapshot is creating
// for its duration, then failed; one created before, or after it is turned
// off, ends available.
func TestFailSnapshots(t *testing.T) {
	fleet := Fleet{Clusters: []ClusterSpec{{ID: "ledger", Engine: awsclient.Engine, EngineVersion: "5.0.0",
		Status: "available", StorageGiB: AverageStorageGiB}}}
	s, clock := newServer(t, fleet, Options{SnapshotDuration: time.Minute})
	create := func(id string) snapshotXML {
		t.Helper()
		return decode[createAnswer](t, post(s, form("Action", "CreateDBClusterSnapshot", "DBClusterIdentifier", "ledger",
			"DBClusterSnapshotIdentifier", id))).Snapshot
	}
	describe := func(id string) snapshotXML {
		t.Helper()
		a := decode[snapshotsAnswer](t, post(s, form("Action", "DescribeDBClusterSnapshots", "DBClusterSnapshotIdentifier", id)))
		if len(a.Items) != 1 {
			t.Fatalf("describe %s: %d snapshots", id, len(a.Items))
		}
		return a.Items[0]
	}

	create("before")
	s.FailSnapshots(true)
	if got := create("doomed"); got.Status != "creating" || got.Percent != 0 {
		t.Fatalf("a doomed snapshot starts %s at %d%%, want creating at 0%%", got.Status, got.Percent)
	}
	s.FailSnapshots(false)
	create("after")
	clock.Advance(30 * time.Second)
	if got := describe("doomed"); got.Status != "creating" || got.Percent == 0 {
		t.Fatalf("halfway a doomed snapshot is %s at %d%%, want creating and moving", got.Status, got.Percent)
	}
	clock.Advance(31 * time.Second)
	for id, want := range map[string]string{"before": "available", "doomed": "failed", "after": "available"} {
		if got := describe(id); got.Status != want {
			t.Errorf("%s ended %s, want %s", id, got.Status, want)
		}
	}
}
