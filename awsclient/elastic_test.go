package awsclient_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// Elastic clusters through the real SDK, over HTTP, against the local
// endpoint's docdb-elastic API.

// elasticCluster finds an elastic cluster of the listing by name.
func elasticCluster(t *testing.T, c *awsclient.SDK, name string) awsclient.Cluster {
	t.Helper()
	all, _ := pagesOf(t, c.ElasticClusters())
	i := slices.IndexFunc(all, func(c awsclient.Cluster) bool { return c.ID == name })
	if i < 0 {
		t.Fatalf("no elastic cluster %s among %d", name, len(all))
	}
	return all[i]
}

func TestElasticClustersPageAndDescribe(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fleet := emulator.GeneratedFleet(1000) // 50 elastic clusters
	_, url := startEmulator(t, emulator.Options{}, fleet)
	c := newClient(t, url, func(o *awsclient.Options) { o.PageSize = 20 })
	all, pages := pagesOf(t, c.ElasticClusters())
	if len(all) != len(fleet.Elastic) || pages != 3 {
		t.Fatalf("%d elastic clusters in %d pages, want %d in 3", len(all), pages, len(fleet.Elastic))
	}
	seen := map[string]bool{}
	for _, cl := range all {
		if seen[cl.ARN] || cl.Type != awsclient.TypeElastic || cl.Detailed || cl.ID == "" || cl.Status == "" ||
			!awsclient.ElasticARN(cl.ARN) || cl.Region != "us-east-1" {
			t.Fatalf("listed %+v (twice: %v)", cl, seen[cl.ARN])
		}
		seen[cl.ARN] = true
	}
	// No instance-based cluster is among them, nor the other way round.
	docdb, _ := pagesOf(t, c.Clusters())
	for _, cl := range docdb {
		if cl.Type != awsclient.TypeInstance || seen[cl.ARN] {
			t.Fatalf("DescribeDBClusters listed %+v", cl)
		}
	}

	_, url = startEmulator(t, emulator.Options{}, emulator.DemoFleet())
	c = newClient(t, url)
	events := elasticCluster(t, c, "events-elastic-prod")
	got, err := c.ElasticCluster(ctx, events.ARN)
	if err != nil {
		t.Fatal(err)
	}
	want := awsclient.Cluster{ID: "events-elastic-prod", ARN: events.ARN, Type: awsclient.TypeElastic, Detailed: true,
		Region: "us-east-1", Status: "ACTIVE", Engine: "docdb", StorageEncrypted: true,
		BackupRetentionDays: 7, BackupWindow: "04:00-04:30", MaintenanceWindow: "sat:06:00-sat:06:30",
		ShardCount: 4, ShardCapacity: 8, ShardInstanceCount: 2, AuthType: "SECRET_ARN", AdminUser: "docdbadmin"}
	if !strings.HasPrefix(got.KMSKeyID, "arn:aws:kms:us-east-1:") || !strings.HasPrefix(got.Endpoint, "events-elastic-prod-") ||
		got.Created.IsZero() {
		t.Errorf("KMS key %q, endpoint %q, created %v", got.KMSKeyID, got.Endpoint, got.Created)
	}
	got.KMSKeyID, got.Endpoint, got.Created = "", "", time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ElasticCluster:\n got %+v\nwant %+v", got, want)
	}
	tags, err := c.Tags(ctx, events.ARN)
	if err != nil {
		t.Fatal(err)
	}
	if want := []awsclient.Tag{{"env", "prod"}, {"owner", "events-oncall"}, {"team", "events"}}; !slices.Equal(tags, want) {
		t.Errorf("Tags of an elastic cluster: %v, want %v (sorted by key)", tags, want)
	}
}

// TestElasticSnapshotCreateAndWait: a create answers CREATING; the
// snapshot turns ACTIVE over the endpoint's clock, which a describe by ARN
// and the cluster's listing both say; its tags are the ones sent.
func TestElasticSnapshotCreateAndWait(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	_, url := startEmulator(t, emulator.Options{Now: clk.Now, SnapshotDuration: time.Minute}, emulator.DemoFleet())
	c := newClient(t, url, func(o *awsclient.Options) { o.Now = clk.Now })
	events := elasticCluster(t, c, "events-elastic-prod")

	before, _ := pagesOf(t, c.ElasticSnapshots(events.ARN))
	var types []string
	for _, s := range before {
		types = append(types, s.Type)
		if s.ClusterType != awsclient.TypeElastic || s.ClusterARN != events.ARN || s.ClusterID != events.ARN || s.Created.IsZero() {
			t.Fatalf("listed %+v", s)
		}
	}
	// Manual ones first, then automated: each type is a listing of its own.
	if want := []string{"manual", "manual", "automated", "automated"}; !slices.Equal(types, want) {
		t.Fatalf("snapshot types %v, want %v", types, want)
	}

	in := awsclient.CreateSnapshotInput{ClusterID: events.ARN, SnapshotID: "events-before-upgrade",
		Tags: []awsclient.Tag{{"reason", "upgrade"}, {"bare", ""}}}
	s, err := c.CreateElasticSnapshot(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != in.SnapshotID || s.Status != "CREATING" || s.Type != awsclient.SnapshotManual || s.ClusterARN != events.ARN ||
		!awsclient.ElasticARN(s.ARN) || !s.Created.Equal(clk.Now()) || awsclient.SnapshotDone(s.Status) {
		t.Fatalf("create answered %+v", s)
	}
	// 120 GiB at a minute a 100 GiB: 72 s.
	clk.Advance(71 * time.Second)
	if got, err := c.ElasticSnapshot(ctx, s.ARN); err != nil || got.Status != "CREATING" {
		t.Fatalf("before its time: %+v, %v", got, err)
	}
	clk.Advance(time.Second)
	got, err := c.ElasticSnapshot(ctx, s.ARN)
	if err != nil || got.Status != "ACTIVE" || !awsclient.SnapshotAvailable(got.Status) || !awsclient.SnapshotDone(got.Status) ||
		got.PercentProgress != 0 || got.ID != s.ID {
		t.Fatalf("after its time: %+v, %v", got, err)
	}
	after, _ := pagesOf(t, c.ElasticSnapshots(events.ARN))
	i := slices.IndexFunc(after, func(x awsclient.Snapshot) bool { return x.ARN == s.ARN })
	if len(after) != len(before)+1 || i < 0 || after[i].Status != "ACTIVE" {
		t.Fatalf("listing after the create: %+v", after)
	}
	tags, err := c.Tags(ctx, s.ARN)
	if want := []awsclient.Tag{{"bare", ""}, {"reason", "upgrade"}}; err != nil || !slices.Equal(tags, want) {
		t.Fatalf("tags %v, %v; want %v", tags, err, want)
	}
}

// TestElasticCreateLostAnswer: a create whose answer is lost is retried by
// the SDK and answered ConflictException, which is that create's snapshot;
// a resend after an unknown outcome is too; a fresh create of a name taken
// is the conflict it is.
func TestElasticCreateLostAnswer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	srv, url := startEmulator(t, emulator.Options{Now: clk.Now}, emulator.DemoFleet())
	c := newClient(t, url, func(o *awsclient.Options) { o.Now = clk.Now })
	events := elasticCluster(t, c, "events-elastic-prod")
	manual := func() int {
		all, _ := pagesOf(t, c.ElasticSnapshots(events.ARN))
		return len(slices.DeleteFunc(all, func(s awsclient.Snapshot) bool { return s.Type != awsclient.SnapshotManual }))
	}
	before := manual()

	in := awsclient.CreateSnapshotInput{ClusterID: events.ARN, SnapshotID: "retried"}
	srv.DropNext("elastic:CreateClusterSnapshot", 1)
	s, err := c.CreateElasticSnapshot(ctx, in)
	if err != nil || s.ID != "retried" || s.Status != "CREATING" {
		t.Fatalf("a create retried after a lost answer: %+v, %v", s, err)
	}
	if n, calls := manual(), srv.Calls("elastic:CreateClusterSnapshot"); n != before+1 || calls != 2 {
		t.Fatalf("%d manual snapshots (want %d) after %d creates (want 2)", n, before+1, calls)
	}

	lost := awsclient.CreateSnapshotInput{ClusterID: events.ARN, SnapshotID: "lost"}
	srv.DropNext("elastic:CreateClusterSnapshot", 3) // every attempt
	_, err = c.CreateElasticSnapshot(ctx, lost)
	if e := wantKind(t, err, awsclient.KindUnreachable, "create snapshot"); !e.OutcomeUnknown {
		t.Fatalf("a create whose answers were all lost does not say its outcome is unknown: %v", err)
	}
	clk.Advance(30 * time.Second)
	lost.Resend = true
	if s, err := c.CreateElasticSnapshot(ctx, lost); err != nil || s.ID != "lost" {
		t.Fatalf("the resend: %+v, %v", s, err)
	}
	if n := manual(); n != before+2 {
		t.Fatalf("%d manual snapshots, want %d", n, before+2)
	}

	// Not a resend: the name is taken.
	lost.Resend = false
	_, err = c.CreateElasticSnapshot(ctx, lost)
	if e := wantKind(t, err, awsclient.KindSnapshotExists, "create snapshot"); e.OutcomeUnknown || e.Code != "ConflictException" {
		t.Fatalf("a fresh create of a name taken: %v (outcome unknown %v)", err, e.OutcomeUnknown)
	}
	// Past the minute, a resend meets someone else's snapshot.
	clk.Advance(time.Minute)
	lost.Resend = true
	_, err = c.CreateElasticSnapshot(ctx, lost)
	wantKind(t, err, awsclient.KindSnapshotExists, "create snapshot")
}

// TestElasticFaults: each fault the local endpoint answers the
// docdb-elastic calls with is classified into its kind, through the SDK.
func TestElasticFaults(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, url := startEmulator(t, emulator.Options{Quota: 3}, emulator.DemoFleet())
	c := newClient(t, url)
	events := elasticCluster(t, c, "events-elastic-prod")
	stopped := elasticCluster(t, c, "search-elastic-dev")
	gone := strings.Replace(events.ARN, "cluster/", "cluster/0", 1)
	create := func(cluster, name string) error {
		_, err := c.CreateElasticSnapshot(ctx, awsclient.CreateSnapshotInput{ClusterID: cluster, SnapshotID: name})
		return err
	}
	for _, tc := range []struct {
		name string
		err  func() error
		kind awsclient.Kind
		code string
	}{
		{"cluster not found", func() error { _, err := c.ElasticCluster(ctx, gone); return err }, awsclient.KindClusterNotFound, "ResourceNotFoundException"},
		{"snapshot not found", func() error {
			_, err := c.ElasticSnapshot(ctx, strings.Replace(gone, "cluster/", "cluster-snapshot/", 1))
			return err
		}, awsclient.KindSnapshotNotFound, "ResourceNotFoundException"},
		{"create on a cluster not found", func() error { return create(gone, "s1") }, awsclient.KindClusterNotFound, "ResourceNotFoundException"},
		{"name too long", func() error { return create(events.ARN, strings.Repeat("a", 64)) }, awsclient.KindInvalidParameter, "ValidationException"},
		{"name taken", func() error { return create(events.ARN, "events-elastic-prod-before-resharding") }, awsclient.KindSnapshotExists, "ConflictException"},
		{"cluster stopped", func() error { return create(stopped.ARN, "s1") }, awsclient.KindClusterState, "ConflictException"},
		{"quota", func() error { return create(events.ARN, "s1") }, awsclient.KindQuotaExceeded, "ServiceQuotaExceededException"},
		{"tags of what is not there", func() error { _, err := c.Tags(ctx, gone); return err }, awsclient.KindClusterNotFound, "ResourceNotFoundException"},
	} {
		e := wantKind(t, tc.err(), tc.kind, "")
		if e.Code != tc.code || e.RequestID == "" {
			t.Errorf("%s: code %q, request id %q; want %s", tc.name, e.Code, e.RequestID, tc.code)
		}
	}

	for _, f := range []struct {
		faults emulator.Faults
		kind   awsclient.Kind
		code   string
	}{
		{emulator.Faults{Throttle: 1}, awsclient.KindThrottled, "ThrottlingException"},
		{emulator.Faults{Server5xx: 1}, awsclient.KindServerError, "InternalServerException"},
	} {
		srv, url := startEmulator(t, emulator.Options{Faults: f.faults}, emulator.DemoFleet())
		c := newClient(t, url)
		_, err := c.ElasticClusters().Next(ctx)
		if e := wantKind(t, err, f.kind, "list elastic clusters"); e.Code != f.code || !f.kind.Retryable() {
			t.Errorf("code %q, want %s", e.Code, f.code)
		}
		if n := srv.Calls("elastic:ListClusters"); n != 3 {
			t.Errorf("%s: %d calls, want the SDK's 3 attempts", f.code, n)
		}
	}
}
