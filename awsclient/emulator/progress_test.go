package emulator

import (
	"slices"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
)

// sizedFleet is one available cluster per size, named by it.
func sizedFleet(sizes map[string]int) Fleet {
	var f Fleet
	for id, size := range sizes {
		f.Clusters = append(f.Clusters, ClusterSpec{ID: id, Engine: awsclient.Engine, EngineVersion: "5.0.0",
			Status: "available", StorageGiB: size, Instances: instances(id, "db.r6g.large", 1)})
	}
	return f
}

func createSnapshotOf(t *testing.T, s *Server, clusterID, snapshotID string) snapshotXML {
	t.Helper()
	return decode[createAnswer](t, post(s, form("Action", "CreateDBClusterSnapshot",
		"DBClusterIdentifier", clusterID, "DBClusterSnapshotIdentifier", snapshotID))).Snapshot
}

func describeSnapshot(t *testing.T, s *Server, id string) snapshotXML {
	t.Helper()
	a := decode[snapshotsAnswer](t, post(s, form("Action", "DescribeDBClusterSnapshots", "DBClusterSnapshotIdentifier", id)))
	if len(a.Items) != 1 {
		t.Fatalf("describe %s: %d snapshots", id, len(a.Items))
	}
	return a.Items[0]
}

func TestSnapshotProgress(t *testing.T) {
	const duration = 100 * time.Second
	s, clock := newServer(t, sizedFleet(map[string]int{"average": AverageStorageGiB}), Options{SnapshotDuration: duration, Seed: 7})
	sn := createSnapshotOf(t, s, "average", "progress-1")
	if sn.Status != "creating" || sn.Percent != 0 {
		t.Fatalf("new snapshot %s at %d%%, want creating at 0", sn.Status, sn.Percent)
	}
	const steps = 50
	var seen []int
	for range steps - 1 {
		clock.Advance(duration / steps)
		sn := describeSnapshot(t, s, "progress-1")
		if sn.Status != "creating" || sn.Percent > 99 {
			t.Fatalf("before its duration: %s at %d%%, want creating below 100", sn.Status, sn.Percent)
		}
		if len(seen) > 0 && sn.Percent < seen[len(seen)-1] {
			t.Fatalf("progress went back: %v then %d", seen, sn.Percent)
		}
		seen = append(seen, sn.Percent)
	}
	if seen[0] != 0 {
		t.Errorf("progress did not sit at 0 at first: %v", seen)
	}
	if seen[len(seen)-1] < 80 {
		t.Errorf("progress near the end is only %d%%: %v", seen[len(seen)-1], seen)
	}
	// Uneven: equal steps of time do not move it by equal amounts.
	minStep, maxStep := 100, 0
	for i := 1; i < len(seen); i++ {
		if seen[i-1] == 0 {
			continue
		}
		minStep, maxStep = min(minStep, seen[i]-seen[i-1]), max(maxStep, seen[i]-seen[i-1])
	}
	if maxStep-minStep < 2 {
		t.Errorf("progress moves evenly (steps %d to %d): %v", minStep, maxStep, seen)
	}
	clock.Advance(duration / steps)
	if sn := describeSnapshot(t, s, "progress-1"); sn.Status != "available" || sn.Percent != 100 {
		t.Errorf("after its duration: %s at %d%%, want available at 100", sn.Status, sn.Percent)
	}
}

func TestLargerClustersTakeLonger(t *testing.T) {
	const duration = time.Minute
	s, clock := newServer(t, sizedFleet(map[string]int{"small": 50, "large": 400}), Options{SnapshotDuration: duration})
	createSnapshotOf(t, s, "small", "small-1")
	createSnapshotOf(t, s, "large", "large-1")
	clock.Advance(duration)
	if small, large := describeSnapshot(t, s, "small-1"), describeSnapshot(t, s, "large-1"); small.Status != "available" || large.Status != "creating" {
		t.Errorf("after %v: small %s, large %s; want the 50 GiB one done and the 400 GiB one not", duration, small.Status, large.Status)
	}
	clock.Advance(3 * duration)
	if large := describeSnapshot(t, s, "large-1"); large.Status != "available" || large.Percent != 100 {
		t.Errorf("after 4×%v the 400 GiB snapshot is %s at %d%%", duration, large.Status, large.Percent)
	}
}

func TestProgressIsDeterministicPerSeedAndSnapshot(t *testing.T) {
	curve := func(seed int64, id string) []int {
		var out []int
		for i := range 20 {
			p, _ := progress(seed, id, time.Duration(i)*time.Second, 20*time.Second)
			out = append(out, p)
		}
		return out
	}
	a, b := curve(1, "snap"), curve(1, "snap")
	if !slices.Equal(a, b) {
		t.Fatalf("same seed and id, different curves: %v %v", a, b)
	}
	if slices.Equal(a, curve(2, "snap")) || slices.Equal(a, curve(1, "other")) {
		t.Errorf("the curve does not depend on the seed or the identifier: %v", a)
	}
}

func TestDemoSnapshotInProgress(t *testing.T) {
	s, clock := newServer(t, DemoFleet(), Options{})
	sn := describeSnapshot(t, s, "orders-prod-before-reindex")
	if sn.Status != "creating" || sn.Percent <= 0 || sn.Percent >= 100 {
		t.Fatalf("the demo's snapshot in progress is %s at %d%%, want creating partway", sn.Status, sn.Percent)
	}
	created, err := time.Parse(time.RFC3339, sn.Created)
	if err != nil || !created.Before(clock.Now()) {
		t.Errorf("it started at %s (%v), want before now %s", sn.Created, err, clock.Now())
	}
	// The same fleet on the same clock is the same region.
	again, _ := newServer(t, DemoFleet(), Options{})
	if other := describeSnapshot(t, again, "orders-prod-before-reindex"); other != sn {
		t.Errorf("two loads of the demo fleet differ: %+v and %+v", sn, other)
	}
	clock.Advance(2 * DefaultSnapshotDuration)
	if sn := describeSnapshot(t, s, "orders-prod-before-reindex"); sn.Status != "available" || sn.Percent != 100 {
		t.Errorf("later it is %s at %d%%", sn.Status, sn.Percent)
	}
}
