package awsclient_test

import (
	"context"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// A read-only client never sends a create: the endpoint counts none, the
// caller gets a KindReadOnly error with the reason, and reads still work.
func TestReadOnlyClientSendsNoCreate(t *testing.T) {
	srv, url := startEmulator(t, emulator.Options{Now: newClock().Now}, tiny())
	c := awsclient.ReadOnly(newClient(t, url), "docsnap runs with --read-only.")
	if !awsclient.IsReadOnly(c) || awsclient.IsReadOnly(newClient(t, url)) {
		t.Fatal("IsReadOnly does not tell")
	}
	_, err := c.CreateSnapshot(context.Background(), awsclient.CreateSnapshotInput{ClusterID: "orders", SnapshotID: "x"})
	e := wantKind(t, err, awsclient.KindReadOnly, "create snapshot")
	if e.Sentence() != "docsnap runs with --read-only." {
		t.Fatalf("sentence %q", e.Sentence())
	}
	_, err = c.CreateElasticSnapshot(context.Background(), awsclient.CreateSnapshotInput{
		ClusterID: "arn:aws:docdb-elastic:us-east-1:123456789012:cluster/x", SnapshotID: "x"})
	if e := wantKind(t, err, awsclient.KindReadOnly, "create snapshot"); e.Sentence() != "docsnap runs with --read-only." {
		t.Fatalf("elastic: sentence %q", e.Sentence())
	}
	if n, m := srv.Calls("CreateDBClusterSnapshot"), srv.Calls("elastic:CreateClusterSnapshot"); n != 0 || m != 0 {
		t.Fatalf("%d and %d creates reached the endpoint", n, m)
	}
	if ids := clusterIDs(t, c); len(ids) != 2 {
		t.Fatalf("reads: %v", ids)
	}
	if again := awsclient.ReadOnly(c, "docsnap runs with --read-only."); again != c {
		t.Fatal("wrapping twice with the same reason made a new wrapper")
	}
}

func TestRegionsAreRegionShaped(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range awsclient.Regions {
		if got, err := awsclient.ParseRegions(r.Code); err != nil || len(got) != 1 || seen[r.Code] || r.Name == "" {
			t.Errorf("%+v: %v, %v (seen before: %v)", r, got, err, seen[r.Code])
		}
		seen[r.Code] = true
	}
}
