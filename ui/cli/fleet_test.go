package cli

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// availableFleet is n generated clusters, every one available.
func availableFleet(n int) emulator.Fleet {
	f := emulator.GeneratedFleet(n)
	for i := range f.Clusters {
		f.Clusters[i].Status = "available"
	}
	return f
}

func clusterIDs(f emulator.Fleet) []string {
	var ids []string
	for _, c := range f.Clusters {
		ids = append(ids, c.ID)
	}
	return ids
}

// manualSnapshots are the manual snapshots of every cluster of f, by
// cluster, read with the rate limit lifted.
func (e *endpoint) manualSnapshots(f emulator.Fleet) map[string][]awsclient.Snapshot {
	e.t.Helper()
	e.server.SetFaults(emulator.Faults{})
	out := map[string][]awsclient.Snapshot{}
	for _, c := range f.Clusters {
		snaps, err := awsclient.All(context.Background(), e.client.Snapshots(c.ID))
		if err != nil {
			e.t.Fatal(err)
		}
		for _, s := range snaps {
			if s.Type == awsclient.SnapshotManual {
				out[c.ID] = append(out[c.ID], s)
			}
		}
	}
	return out
}

func decodeSnapshots(t *testing.T, stdout string) []Snapshot {
	t.Helper()
	var docs []Snapshot
	if err := json.Unmarshal([]byte(stdout), &docs); err != nil {
		t.Fatalf("stdout is not a JSON array of snapshots: %v\n%s", err, stdout)
	}
	return docs
}

// TestFleetOfFortyUnderARateLimit: 40 clusters snapshotted 8 at a time
// through the real SDK against an endpoint that answers 5 calls a second
// of its clock and throttles the rest: each cluster gets exactly one
// snapshot, every one available, and the throttling was met and waited out.
func TestFleetOfFortyUnderARateLimit(t *testing.T) {
	f := availableFleet(40)
	e := newEndpoint(t, f, emulator.Options{SnapshotDuration: time.Minute, Faults: emulator.Faults{RateLimit: 5}})
	wall := time.Now()
	r := e.run(runOpts{}, "snapshot", "create", "--clusters", "status:available", "--name", "{cluster}-pre-upgrade",
		"--tag", "change=CHG-42", "--concurrency", "8", "--wait", "--output", "json")
	r.want(t, ExitOK)
	throttled := e.server.Throttled()
	docs := decodeSnapshots(t, r.stdout)
	if len(docs) != 40 {
		t.Fatalf("%d snapshots printed, want 40", len(docs))
	}
	for _, d := range docs {
		if d.Status != awsclient.StatusAvailable || d.PercentProgress != 100 || d.SnapshotID != d.ClusterID+"-pre-upgrade" {
			t.Errorf("snapshot %+v", d)
		}
	}
	made := e.manualSnapshots(f)
	for _, c := range f.Clusters {
		if n := len(made[c.ID]); n != 1 {
			t.Errorf("cluster %s has %d manual snapshots, want 1", c.ID, n)
		}
	}
	if throttled == 0 || !strings.Contains(r.stderr, "AWS is throttling requests") {
		t.Errorf("the rate limit throttled %d calls; stderr:\n%s", throttled, r.stderr)
	}
	r.stderrHas(t, "Batch fleet-20261129T053000Z-0000: 40 snapshots, 8 at a time.", "Batch fleet-20261129T053000Z-0000: 40 of 40 snapshots available")
	t.Logf("40 snapshots: %v of the endpoint's clock, %v of wall time; %d calls throttled, %d creates sent",
		e.clock.Now().Sub(t0), time.Since(wall).Round(time.Millisecond), throttled, e.server.Calls("CreateDBClusterSnapshot"))
}

func TestFleetLostAnswersMakeNoSecondSnapshot(t *testing.T) {
	f := availableFleet(6)
	e := newEndpoint(t, f, emulator.Options{SnapshotDuration: time.Minute})
	// The first three creates are carried out, and their connections
	// closed before the answer.
	e.server.DropNext("CreateDBClusterSnapshot", 3)
	r := e.run(runOpts{}, "snapshot", "create", "--clusters", "status:available", "--name", "{cluster}-x", "--wait")
	r.want(t, ExitOK)
	r.stderrHas(t, "sending it again under the same identifier, which cannot make a second one")
	for id, snaps := range e.manualSnapshots(f) {
		if len(snaps) != 1 {
			t.Errorf("cluster %s has %d manual snapshots", id, len(snaps))
		}
	}
	if n := e.server.Calls("CreateDBClusterSnapshot"); n != 9 {
		t.Errorf("%d creates sent, want 6 and the 3 resends", n)
	}
	if !strings.HasPrefix(r.stdout, "CLUSTER") || strings.Count(r.stdout, "available") != 6 {
		t.Errorf("table:\n%s", r.stdout)
	}
}

func TestFleetAFailureStopsOnlyItsCluster(t *testing.T) {
	f := availableFleet(4)
	// A quota of three manual snapshots: the fourth create is refused.
	e := newEndpoint(t, f, emulator.Options{SnapshotDuration: time.Minute, Quota: 3})
	r := e.run(runOpts{}, "snapshot", "create", "--clusters", "status:available", "--name", "{cluster}-q",
		"--tag", "k=v", "--concurrency", "1", "--wait", "--output", "json")
	r.want(t, ExitFailed)
	if docs := decodeSnapshots(t, r.stdout); len(docs) != 3 {
		t.Fatalf("%d snapshots printed, want the 3 taken", len(docs))
	}
	last := slices.Max(clusterIDs(f)) // the clusters are listed, and sent, in order
	r.stderrHas(t, "3 of 4 snapshots available, 1 failed",
		last+"-q (cluster "+last+"): The manual snapshot quota for this account and region is used up.",
		"Send the others again under the same identifiers",
		"snapshot create "+last+" "+last+"-q --tag k=v")

	// Without --wait, AWS's refusal is the exit status.
	e2 := newEndpoint(t, f, emulator.Options{Quota: 3})
	e2.run(runOpts{}, "snapshot", "create", "--clusters", "status:available", "--concurrency", "1").want(t, ExitRefused)
}

func TestFleetDryRunSendsNothing(t *testing.T) {
	f := availableFleet(4)
	f.Clusters[1].Status = "stopped"
	e := newEndpoint(t, f, emulator.Options{})
	taken := f.Clusters[2].ID + "-pre"
	if _, err := e.client.CreateSnapshot(context.Background(), awsclient.CreateSnapshotInput{ClusterID: f.Clusters[2].ID, SnapshotID: taken}); err != nil {
		t.Fatal(err)
	}
	creates := e.server.Calls("CreateDBClusterSnapshot")
	all := e.run(runOpts{}, "snapshot", "create", "--clusters", "!status:zzz", "--name", "{cluster}-pre", "--dry-run")
	all.want(t, ExitInvalid)
	for _, want := range []string{
		`(?m)^` + f.Clusters[0].ID + ` +us-east-1 +` + f.Clusters[0].ID + `-pre +none$`,
		`(?m)^` + f.Clusters[1].ID + ` +us-east-1 +` + f.Clusters[1].ID + `-pre +The cluster is stopped, not available\. Start it with`,
		`(?m)^` + f.Clusters[2].ID + ` .* snapshot identifier: ` + taken + ` already exists in us-east-1: change the template$`,
	} {
		if !regexp.MustCompile(want).MatchString(all.stdout) {
			t.Errorf("dry run lacks %s:\n%s", want, all.stdout)
		}
	}
	all.stderrHas(t, "2 of 4 clusters cannot be snapshotted as planned. Nothing was sent (--dry-run).")

	ok := e.run(runOpts{}, "snapshot", "create", "--clusters", f.Clusters[3].ID, "--dry-run", "--output", "json")
	ok.want(t, ExitOK)
	var plan []planJSON
	if err := json.Unmarshal([]byte(ok.stdout), &plan); err != nil || len(plan) != 1 || !plan[0].Sendable ||
		plan[0].SnapshotID != f.Clusters[3].ID+"-2026-11-29-0530" {
		t.Fatalf("plan %+v (%v):\n%s", plan, err, ok.stdout)
	}
	// Without --dry-run a plan with problems is refused whole.
	refused := e.run(runOpts{}, "snapshot", "create", "--clusters", "!status:zzz", "--name", "{cluster}-pre")
	refused.want(t, ExitInvalid)
	refused.stderrHas(t, "2 of 4 clusters cannot be snapshotted as planned: fix the template or the filter. Nothing was sent to AWS.")
	if n := e.server.Calls("CreateDBClusterSnapshot"); n != creates {
		t.Errorf("%d creates sent by dry runs and refused plans", n-creates)
	}
	none := e.run(runOpts{}, "snapshot", "create", "--clusters", "no-such-cluster")
	none.want(t, ExitInvalid)
	none.stderrHas(t, `no DocumentDB cluster in us-east-1 matches "no-such-cluster"`)
}

func TestFleetIsReadOnlyWhenTheClientIs(t *testing.T) {
	f := availableFleet(3)
	e := newEndpoint(t, f, emulator.Options{})
	r := e.run(runOpts{readOnly: "docsnap is read-only here (--read-only)."}, "snapshot", "create", "--clusters", "status:available")
	r.want(t, ExitRefused)
	r.stderrHas(t, "docsnap is read-only here (--read-only).")
	e.run(runOpts{readOnly: "read-only"}, "snapshot", "create", "--clusters", "status:available", "--dry-run").want(t, ExitOK)
	if n := e.server.Calls("CreateDBClusterSnapshot"); n != 0 {
		t.Errorf("%d creates sent in read-only mode", n)
	}
}

func TestFleetTagFilterAndTimeout(t *testing.T) {
	f := availableFleet(12)
	e := newEndpoint(t, f, emulator.Options{SnapshotDuration: time.Hour})
	want := 0
	for _, c := range f.Clusters {
		for _, tag := range c.Tags {
			if tag.Key == "env" && tag.Value == "prod" {
				want++
			}
		}
	}
	if want == 0 || want == len(f.Clusters) {
		t.Fatalf("%d of %d clusters tagged env=prod: the filter tells nothing", want, len(f.Clusters))
	}
	r := e.run(runOpts{}, "snapshot", "create", "--clusters", "tag:env=prod", "--wait", "--timeout", "2m", "--output", "json")
	r.want(t, ExitTimedOut)
	if docs := decodeSnapshots(t, r.stdout); len(docs) != want {
		t.Fatalf("%d snapshots, want the %d of clusters tagged env=prod", len(docs), want)
	}
	r.stderrHas(t, "timed out after 2m", "AWS goes on creating the snapshots it took; follow one with:")
}
