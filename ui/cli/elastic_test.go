package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient/emulator"
)

// TestClustersListsElastic: docsnap clusters lists the elastic clusters
// after the others, with type, shards and shard capacity in JSON (null for
// instance-based clusters) and in the table.
func TestClustersListsElastic(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	r := e.run(runOpts{}, "clusters", "--output", "json")
	r.want(t, ExitOK)
	var got []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	byID := map[string]map[string]any{}
	for _, c := range got {
		byID[c["clusterId"].(string)] = c
	}
	ev, pay := byID["events-elastic-prod"], byID["payments-prod"]
	if ev == nil || ev["type"] != "elastic" || ev["shards"] != 4.0 || ev["shardCapacity"] != 8.0 || ev["status"] != "ACTIVE" {
		t.Fatalf("events-elastic-prod: %v", ev)
	}
	if pay == nil || pay["type"] != "instance" || pay["shards"] != nil || pay["shardCapacity"] != nil {
		t.Fatalf("payments-prod: %v", pay)
	}
	r = e.run(runOpts{}, "clusters")
	r.want(t, ExitOK)
	if !strings.Contains(r.stdout, "INSTANCES/SHARDS") || !strings.Contains(r.stdout, "4 x 8 vCPU") {
		t.Fatalf("table:\n%s", r.stdout)
	}
}

// TestSnapshotsAndCreateOfElasticCluster: an elastic cluster is taken by
// name (as by ARN) by docsnap snapshots and snapshot create, and --wait
// ends on ACTIVE with status lines, never a percent.
func TestSnapshotsAndCreateOfElasticCluster(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{SnapshotDuration: 40 * time.Second})
	r := e.run(runOpts{}, "snapshot", "create", "events-elastic-prod", "ev-pre-deploy", "--tag", "reason=deploy", "--wait")
	r.want(t, ExitOK)
	if r.stdout != "ev-pre-deploy\n" {
		t.Errorf("stdout %q", r.stdout)
	}
	r.stderrHas(t, " ev-pre-deploy CREATING elapsed ", "Snapshot ev-pre-deploy is available (took ")
	if strings.Contains(r.stderr, "%") {
		t.Errorf("a percent for an elastic snapshot:\n%s", r.stderr)
	}
	if e.server.Calls("elastic:CreateClusterSnapshot") != 1 || e.server.Calls("elastic:GetClusterSnapshot") == 0 {
		t.Errorf("%d elastic creates, %d gets", e.server.Calls("elastic:CreateClusterSnapshot"), e.server.Calls("elastic:GetClusterSnapshot"))
	}
	r = e.run(runOpts{}, "snapshots", "events-elastic-prod")
	r.want(t, ExitOK)
	if !strings.Contains(r.stdout, "ev-pre-deploy") || !strings.Contains(r.stdout, "ACTIVE") {
		t.Fatalf("snapshots:\n%s", r.stdout)
	}
	r = e.run(runOpts{}, "snapshots", "no-such-cluster")
	r.want(t, ExitRefused)
}
