package model

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// backingUp is a cluster in its backup window: its automated snapshot is
// half taken.
func backingUp() emulator.Fleet {
	return emulator.Fleet{Clusters: []emulator.ClusterSpec{
		{ID: "nightly", Engine: awsclient.Engine, EngineVersion: "5.0.0", Status: "backing-up", StorageGiB: 100,
			Snapshots: []emulator.SnapshotSpec{{Type: awsclient.SnapshotAutomated, Elapsed: 0.5}}},
	}}
}

var backingUpOpts = emulator.Options{SnapshotDuration: 2 * time.Minute}

// TestFollowAutomatedSnapshot: an automated snapshot found being taken is
// polled by identifier, which AWS answers only when told the snapshot's
// type, to the end: not shown as gone.
func TestFollowAutomatedSnapshot(t *testing.T) {
	s := newStack(t, backingUp(), stackOpts{emulator: backingUpOpts})
	s.loaded()
	var id string
	s.await("the backup found and followed", func(m *Model) bool {
		if f := m.inFlight(false); len(f) == 1 {
			id = f[0].snap.ID
		}
		return id != ""
	})
	if !strings.HasPrefix(id, "rds:nightly-") {
		t.Fatalf("following %q, want the automated snapshot", id)
	}
	s.followUntilDone(id)
}

// TestFollowPassesTheListedType: an automated snapshot whose identifier
// does not say so (not rds:…) is polled with the type its listing gave.
func TestFollowPassesTheListedType(t *testing.T) {
	fleet := backingUp()
	fleet.Clusters[0].Snapshots[0].ID = "nightly-backup"
	s := newStack(t, fleet, stackOpts{emulator: backingUpOpts})
	s.loaded()
	s.await("the backup found and followed", func(m *Model) bool { return len(m.inFlight(false)) == 1 })
	s.followUntilDone("nightly-backup")
}

// TestWatchAutomatedSnapshot: --watch with an automated snapshot's
// identifier finds it and follows it to the end.
func TestWatchAutomatedSnapshot(t *testing.T) {
	// The identifier the endpoint gives the backup, from a copy of it.
	o := backingUpOpts
	o.Now, o.Seed = emulator.NewClock(t0).Now, 7
	twin := emulator.New(o)
	twin.Load(backingUp())
	c, err := twin.InProcessClient("twin", awsclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snaps, err := awsclient.All(context.Background(), c.Snapshots("nightly"))
	if err != nil || len(snaps) != 1 {
		t.Fatalf("the twin's snapshots: %+v, %v", snaps, err)
	}
	id := snaps[0].ID

	s := newStack(t, backingUp(), stackOpts{emulator: backingUpOpts,
		model: []appOption{func(c *Config) { c.Watch = id }}})
	s.await("the watched snapshot found", func(m *Model) bool { return m.progress.watching.sc != nil && m.progress.watching.id == id })
	s.followUntilDone(id)
}
