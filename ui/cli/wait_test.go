package cli

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
	"go.uber.org/goleak"
)

// TestCreateWaitEndsFailed: a snapshot created with --wait that ends in a
// failure state exits 4, printed on stdout and said on stderr.
func TestCreateWaitEndsFailed(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{SnapshotDuration: 40 * time.Second})
	e.server.FailSnapshots(true)
	r := e.run(runOpts{}, "snapshot", "create", "payments-staging", "Doomed-1", "--wait")
	r.want(t, ExitFailed)
	if r.stdout != "doomed-1\n" {
		t.Errorf("stdout %q, want the identifier", r.stdout)
	}
	r.stderrHas(t, "docsnap snapshot create: snapshot doomed-1 failed: its status is failed (after ",
		"Look at the cluster's events (aws docdb describe-events --source-type db-cluster --source-identifier payments-staging), then take a new snapshot.\n")
	if strings.Contains(r.stderr, "is available") {
		t.Fatalf("stderr says available:\n%s", r.stderr)
	}
}

// TestWaitLeaksNothing: create --wait and snapshot wait, to the end and
// interrupted, on a terminal and not, leave no goroutine behind once the
// client's idle connections are closed.
func TestWaitLeaksNothing(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{SnapshotDuration: 30 * time.Second})
	transport := http.DefaultTransport.(*http.Transport).Clone()
	client, err := awsclient.NewLocal(awsclient.Options{EndpointURL: e.url, RetryMaxAttempts: 1, Now: e.clock.Now,
		HTTPClient: &http.Client{Transport: transport}})
	if err != nil {
		t.Fatal(err)
	}
	ignore := goleak.IgnoreCurrent()
	e.run(runOpts{client: client}, "snapshot", "create", "payments-staging", "leak-1", "--wait").want(t, ExitOK)
	e.run(runOpts{client: client, terminal: true}, "snapshot", "create", "payments-prod", "leak-2", "--wait").want(t, ExitOK)
	e.run(runOpts{client: client}, "snapshot", "wait", "orders-prod-before-reindex").want(t, ExitOK)
	interrupt := func(_ time.Time, cancel context.CancelFunc) { cancel() }
	e.run(runOpts{client: client, onSleep: interrupt}, "snapshot", "create", "payments-prod", "leak-3", "--wait").want(t, ExitInterrupted)
	e.server.FailSnapshots(true)
	e.run(runOpts{client: client}, "snapshot", "create", "payments-staging", "leak-4", "--wait").want(t, ExitFailed)
	transport.CloseIdleConnections()
	goleak.VerifyNone(t, ignore)
}

// TestWaitAutomated: snapshot wait follows an automated snapshot (rds:…),
// which AWS finds by identifier only when told its type, to the end.
func TestWaitAutomated(t *testing.T) {
	fleet := emulator.Fleet{Clusters: []emulator.ClusterSpec{{ID: "orders", Engine: awsclient.Engine, EngineVersion: "5.0.0",
		Status: "available", StorageGiB: 100, Snapshots: []emulator.SnapshotSpec{{Type: awsclient.SnapshotAutomated, Elapsed: 0.25}}}}}
	e := newEndpoint(t, fleet, emulator.Options{SnapshotDuration: 40 * time.Second})
	snaps, err := awsclient.All(context.Background(), e.client.Snapshots("orders"))
	if err != nil || len(snaps) != 1 || !strings.HasPrefix(snaps[0].ID, "rds:orders-") || snaps[0].Status != awsclient.StatusCreating {
		t.Fatalf("snapshots of orders: %+v, %v", snaps, err)
	}
	r := e.run(runOpts{}, "snapshot", "wait", snaps[0].ID, "--output", "json")
	r.want(t, ExitOK)
	if !strings.Contains(r.stdout, `"status": "available"`) || !strings.Contains(r.stdout, snaps[0].ID) {
		t.Errorf("stdout %q: want the snapshot, available", r.stdout)
	}
	if n := e.server.Calls("DescribeDBClusterSnapshots"); n < 3 {
		t.Errorf("%d describes: want the first and polls until done", n)
	}
}
