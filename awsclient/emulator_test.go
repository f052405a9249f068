package awsclient_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
	"github.com/docsnap/docsnap/awsclient/emulator/emulatortest"
)

// newClock is a manual clock to share between an endpoint and a client.
func newClock() *emulator.Clock {
	return emulator.NewClock(time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC))
}

// startEmulator serves a local endpoint holding fleet on a loopback port,
// wrapped in wrap if given, and returns it with its URL.
func startEmulator(t *testing.T, o emulator.Options, fleet emulator.Fleet, wrap ...func(http.Handler) http.Handler) (*emulator.Server, string) {
	t.Helper()
	srv, ep := emulatortest.Serve(t, o, fleet, wrap...)
	return srv, ep.URL
}

// tiny is a fleet of one available DocumentDB cluster with two instances
// and one stopped one.
func tiny() emulator.Fleet {
	return emulator.Fleet{Clusters: []emulator.ClusterSpec{
		{ID: "orders", Engine: awsclient.Engine, EngineVersion: "5.0.0", Status: "available", StorageGiB: 100,
			Instances: []emulator.InstanceSpec{
				{ID: "orders-1", Class: "db.r6g.large"},
				{ID: "orders-2", Class: "db.r6g.large", Writer: true},
			}},
		{ID: "archive", Engine: awsclient.Engine, EngineVersion: "4.0.0", Status: "stopped", StorageGiB: 10},
	}}
}

func TestEmulatorPagination(t *testing.T) {
	t.Parallel()
	const n = 250
	srv, url := startEmulator(t, emulator.Options{}, emulator.GeneratedFleet(n))
	c := newClient(t, url, func(o *awsclient.Options) { o.PageSize = 20 })
	p := c.Clusters()
	seen := map[string]bool{}
	pages := 0
	for p.More() {
		page, err := p.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		// Pages stream: each Next is one call, made when asked for.
		if got := srv.Calls("DescribeDBClusters"); got != pages {
			t.Fatalf("after %d pages the server saw %d calls", pages, got)
		}
		if len(page) > 20 || len(page) < 20 && p.More() {
			t.Fatalf("page %d has %d clusters and more %v", pages, len(page), p.More())
		}
		for _, cl := range page {
			if seen[cl.ID] {
				t.Fatalf("cluster %s twice", cl.ID)
			}
			seen[cl.ID] = true
			if cl.Region != "us-east-1" || cl.Engine != awsclient.Engine || cl.ARN == "" || len(cl.Members) == 0 {
				t.Fatalf("cluster %+v", cl)
			}
		}
	}
	if len(seen) != n || pages != 13 {
		t.Fatalf("%d clusters in %d pages, want %d in 13", len(seen), pages, n)
	}
}

// docdbIDs is the DocumentDB clusters of a fleet, sorted.
func docdbIDs(f emulator.Fleet) (docdb []string, others int) {
	for _, c := range f.Clusters {
		if c.Engine == awsclient.Engine {
			docdb = append(docdb, c.ID)
		} else {
			others++
		}
	}
	slices.Sort(docdb)
	return docdb, others
}

func clusterIDs(t *testing.T, c awsclient.Client) []string {
	t.Helper()
	clusters, _ := pagesOf(t, c.Clusters())
	var ids []string
	for _, cl := range clusters {
		ids = append(ids, cl.ID)
	}
	slices.Sort(ids)
	return ids
}

// stripFilters makes a server that ignores the engine filter, as a
// server-side filter docsnap cannot rely on: it drops the Filters from each
// request.
func stripFilters(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		for k := range form {
			if strings.HasPrefix(k, "Filters.") {
				delete(form, k)
			}
		}
		enc := form.Encode()
		r.Body, r.ContentLength = io.NopCloser(strings.NewReader(enc)), int64(len(enc))
		h.ServeHTTP(w, r)
	})
}

func TestEmulatorEngineFilter(t *testing.T) {
	t.Parallel()
	fleet := emulator.DemoFleet()
	want, others := docdbIDs(fleet)
	if others == 0 || len(want) == 0 {
		t.Fatalf("the demo fleet has %d DocumentDB and %d other clusters", len(want), others)
	}
	_, url := startEmulator(t, emulator.Options{}, fleet)
	if got := clusterIDs(t, newClient(t, url)); !slices.Equal(got, want) {
		t.Fatalf("clusters %v, want the DocumentDB ones %v", got, want)
	}
	// Kept client-side too, where a server ignores the filter.
	_, url = startEmulator(t, emulator.Options{}, fleet, stripFilters)
	if got := clusterIDs(t, newClient(t, url)); !slices.Equal(got, want) {
		t.Fatalf("without the server-side filter: clusters %v, want %v", got, want)
	}
}

func TestEmulatorRetryFailedPage(t *testing.T) {
	t.Parallel()
	srv, url := startEmulator(t, emulator.Options{}, emulator.GeneratedFleet(45))
	c := newClient(t, url, func(o *awsclient.Options) { o.PageSize = 20; o.RetryMaxAttempts = 1 })
	first, err := c.Clusters().Next(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p := c.Clusters()
	if _, err := p.Next(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv.DropNext("DescribeDBClusters", 1)
	_, err = p.Next(context.Background())
	wantKind(t, err, awsclient.KindUnreachable, "list clusters")
	second, err := p.Next(context.Background())
	if err != nil {
		t.Fatalf("retrying the failed page: %v", err)
	}
	last, err := p.Next(context.Background())
	if err != nil || p.More() {
		t.Fatalf("last page: %v, more %v", err, p.More())
	}
	if len(first) != 20 || len(second) != 20 || len(last) != 5 || second[0].ID == first[0].ID {
		t.Fatalf("pages of %d, %d, %d; second starts at %s", len(first), len(second), len(last), second[0].ID)
	}
}

func TestEmulatorFaults(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	create := func(c awsclient.Client, cluster, id string) error {
		_, err := c.CreateSnapshot(ctx, awsclient.CreateSnapshotInput{ClusterID: cluster, SnapshotID: id})
		return err
	}
	answered := func(t *testing.T, e *awsclient.Error, code string) {
		t.Helper()
		if e.Code != code || e.RequestID == "" || e.Message == "" {
			t.Fatalf("code %q (want %q), request id %q, message %q", e.Code, code, e.RequestID, e.Message)
		}
	}

	// Faults AWS answers, each on a fresh endpoint holding tiny().
	for _, tc := range []struct {
		name   string
		quota  int
		call   func(c awsclient.Client) error
		kind   awsclient.Kind
		op     string
		code   string
		saysIn string // the sentence names this
	}{
		{"snapshot exists", 0, func(c awsclient.Client) error {
			if err := create(c, "orders", "first"); err != nil {
				return err
			}
			return create(c, "orders", "FIRST")
		}, awsclient.KindSnapshotExists, "create snapshot", "DBClusterSnapshotAlreadyExistsFault", ""},
		{"cluster not found", 0, func(c awsclient.Client) error { return create(c, "nope", "s1") },
			awsclient.KindClusterNotFound, "create snapshot", "DBClusterNotFoundFault", ""},
		{"cluster state", 0, func(c awsclient.Client) error { return create(c, "archive", "s1") },
			awsclient.KindClusterState, "create snapshot", "InvalidDBClusterStateFault", ""},
		{"quota", 1, func(c awsclient.Client) error {
			if err := create(c, "orders", "one"); err != nil {
				return err
			}
			return create(c, "orders", "two")
		}, awsclient.KindQuotaExceeded, "create snapshot", "SnapshotQuotaExceeded", ""},
		{"snapshot not found", 0, func(c awsclient.Client) error { _, err := c.Snapshot(ctx, "nope"); return err },
			awsclient.KindSnapshotNotFound, "describe snapshot", "DBClusterSnapshotNotFoundFault", ""},
		{"tags of a snapshot not found", 0, func(c awsclient.Client) error {
			_, err := c.Tags(ctx, "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:nope")
			return err
		}, awsclient.KindSnapshotNotFound, "list tags", "DBSnapshotNotFound", ""},
		{"invalid parameter", 0, func(c awsclient.Client) error { return create(c, "orders", "bad_id") },
			awsclient.KindInvalidParameter, "create snapshot", "InvalidParameterValue", "DBClusterSnapshotIdentifier"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, url := startEmulator(t, emulator.Options{Quota: tc.quota}, tiny())
			e := wantKind(t, tc.call(newClient(t, url)), tc.kind, tc.op)
			answered(t, e, tc.code)
			if !strings.Contains(e.Sentence(), tc.saysIn) {
				t.Fatalf("sentence %q does not name %s", e.Sentence(), tc.saysIn)
			}
		})
	}
	t.Run("throttling after the retries", func(t *testing.T) {
		t.Parallel()
		srv, url := startEmulator(t, emulator.Options{Faults: emulator.Faults{Throttle: 1}}, tiny())
		_, err := awsclient.All(ctx, newClient(t, url, func(o *awsclient.Options) { o.RetryMaxAttempts = 4 }).Clusters())
		e := wantKind(t, err, awsclient.KindThrottled, "list clusters")
		answered(t, e, "Throttling")
		if n := srv.Calls("DescribeDBClusters"); n != 4 {
			t.Fatalf("%d attempts reached the server, want 4", n)
		}
		if !e.Kind.Retryable() {
			t.Fatal("throttling is not retryable")
		}
	})
	t.Run("server error", func(t *testing.T) {
		t.Parallel()
		srv, url := startEmulator(t, emulator.Options{Faults: emulator.Faults{Server5xx: 1}}, tiny())
		_, err := newClient(t, url).Tags(ctx, "arn:aws:rds:us-east-1:123456789012:cluster:orders")
		e := wantKind(t, err, awsclient.KindServerError, "list tags")
		answered(t, e, "InternalFailure")
		if n := srv.Calls("ListTagsForResource"); n != 3 {
			t.Fatalf("%d attempts reached the server, want the SDK's 3", n)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		t.Parallel()
		_, err := newClient(t, closedPort(t)).Snapshot(ctx, "s1")
		e := wantKind(t, err, awsclient.KindUnreachable, "describe snapshot")
		if e.Code != "" || e.RequestID != "" {
			t.Fatalf("nothing answered, yet code %q, request id %q", e.Code, e.RequestID)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		t.Parallel()
		_, url := startEmulator(t, emulator.Options{Faults: emulator.Faults{Latency: time.Minute}}, tiny())
		c := newClient(t, url, func(o *awsclient.Options) { o.CallTimeout = 200 * time.Millisecond })
		start := time.Now()
		_, err := c.Clusters().Next(ctx)
		wantKind(t, err, awsclient.KindTimeout, "list clusters")
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("the call took %v despite a 200ms call timeout", d)
		}
	})
	t.Run("dropped connection", func(t *testing.T) {
		t.Parallel()
		srv, url := startEmulator(t, emulator.Options{Faults: emulator.Faults{Drop: 1}}, tiny())
		_, err := newClient(t, url, func(o *awsclient.Options) { o.RetryMaxAttempts = 2 }).Instances("orders").Next(ctx)
		wantKind(t, err, awsclient.KindUnreachable, "list instances")
		if n := srv.Calls("DescribeDBClusters"); n != 2 {
			t.Fatalf("%d attempts reached the server, want 2", n)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		t.Parallel()
		_, url := startEmulator(t, emulator.Options{}, tiny())
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := newClient(t, url).Tags(cctx, "arn:aws:rds:us-east-1:123456789012:cluster:orders")
		wantKind(t, err, awsclient.KindCanceled, "list tags")
	})
}

func TestEmulatorCreateProgress(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	_, url := startEmulator(t, emulator.Options{Now: clk.Now, SnapshotDuration: 10 * time.Minute}, tiny())
	c := newClient(t, url, func(o *awsclient.Options) { o.Now = clk.Now })
	in := awsclient.CreateSnapshotInput{ClusterID: "orders", SnapshotID: "Before-Upgrade",
		Tags: []awsclient.Tag{{Key: "team", Value: "orders"}, {Key: "reason", Value: "upgrade to 8.0"}, {Key: "keep"}}}
	s, err := c.CreateSnapshot(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != "before-upgrade" || s.ClusterID != "orders" || s.Status != awsclient.StatusCreating ||
		s.PercentProgress != 0 || s.Type != awsclient.SnapshotManual || !s.Created.Equal(clk.Now()) {
		t.Fatalf("created %+v", s)
	}
	tags, err := c.Tags(ctx, s.ARN)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tags, in.Tags) {
		t.Fatalf("tags %v, want %v", tags, in.Tags)
	}

	last := 0
	for step := 0; ; step++ {
		clk.Advance(time.Minute)
		got, err := c.Snapshot(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.PercentProgress < last {
			t.Fatalf("progress went back from %d to %d", last, got.PercentProgress)
		}
		last = got.PercentProgress
		if got.Status == awsclient.StatusAvailable {
			if got.PercentProgress != 100 {
				t.Fatalf("available at %d%%", got.PercentProgress)
			}
			break
		}
		if got.Status != awsclient.StatusCreating || got.PercentProgress >= 100 {
			t.Fatalf("step %d: %+v", step, got)
		}
		if step > 60 {
			t.Fatalf("still %s at %d%% after an hour", got.Status, got.PercentProgress)
		}
	}

	snaps, _ := pagesOf(t, c.Snapshots("orders"))
	if len(snaps) != 1 || snaps[0].ID != s.ID || snaps[0].Status != awsclient.StatusAvailable {
		t.Fatalf("snapshots of orders: %+v", snaps)
	}
}

func TestEmulatorLostResponse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	srv, url := startEmulator(t, emulator.Options{Now: clk.Now}, tiny())
	c := newClient(t, url, func(o *awsclient.Options) { o.Now = clk.Now })
	count := func(id string) int {
		snaps, _ := pagesOf(t, c.Snapshots("orders"))
		n := 0
		for _, s := range snaps {
			if s.ID == id {
				n++
			}
		}
		return n
	}

	srv.DropNext("CreateDBClusterSnapshot", 1)
	s, err := c.CreateSnapshot(ctx, awsclient.CreateSnapshotInput{ClusterID: "orders", SnapshotID: "nightly"})
	if err != nil {
		t.Fatalf("create whose response was lost: %v", err)
	}
	if s.ID != "nightly" || s.ClusterID != "orders" {
		t.Fatalf("got %+v", s)
	}
	if n := srv.Calls("CreateDBClusterSnapshot"); n != 2 {
		t.Fatalf("%d creates reached the server, want 2", n)
	}
	if n := count("nightly"); n != 1 {
		t.Fatalf("%d snapshots named nightly, want 1", n)
	}

	// One attempt answered already-exists is the error it says, however
	// recent the snapshot.
	_, err = c.CreateSnapshot(ctx, awsclient.CreateSnapshotInput{ClusterID: "orders", SnapshotID: "nightly"})
	wantKind(t, err, awsclient.KindSnapshotExists, "create snapshot")

	// A lost response whose retry finds a snapshot older than a minute is
	// someone else's.
	srv.DropNext("CreateDBClusterSnapshot", 1)
	clk.Advance(2 * time.Minute)
	_, err = c.CreateSnapshot(ctx, awsclient.CreateSnapshotInput{ClusterID: "orders", SnapshotID: "nightly"})
	wantKind(t, err, awsclient.KindSnapshotExists, "create snapshot")
	if n := count("nightly"); n != 1 {
		t.Fatalf("%d snapshots named nightly, want 1", n)
	}
}

func TestEmulatorInstances(t *testing.T) {
	t.Parallel()
	_, url := startEmulator(t, emulator.Options{}, tiny())
	c := newClient(t, url)
	got, err := awsclient.All(context.Background(), c.Instances("orders"))
	if err != nil {
		t.Fatal(err)
	}
	want := []awsclient.Instance{
		{ID: "orders-1", ClusterID: "orders", Class: "db.r6g.large"},
		{ID: "orders-2", ClusterID: "orders", Class: "db.r6g.large", Writer: true},
	}
	if len(got) != len(want) {
		t.Fatalf("instances %+v", got)
	}
	for i := range want {
		g := got[i]
		if g.ID != want[i].ID || g.ClusterID != want[i].ClusterID || g.Class != want[i].Class ||
			g.Writer != want[i].Writer || g.Status == "" || !strings.HasPrefix(g.AvailabilityZone, "us-east-1") {
			t.Fatalf("instance %d: %+v, want %+v", i, g, want[i])
		}
	}
	_, err = awsclient.All(context.Background(), c.Instances("nope"))
	wantKind(t, err, awsclient.KindClusterNotFound, "list instances")
}

// TestEnvEndpoint: the endpoint comes from AWS_ENDPOINT_URL_DOCDB and
// AWS_ENDPOINT_URL as in every AWS tool, the service's variable first, and
// the explicit option beats both.
func TestEnvEndpoint(t *testing.T) {
	srv, url := startEmulator(t, emulator.Options{}, tiny())
	closed := closedPort(t)
	cases := []struct {
		name            string
		docdb, all, opt string
	}{
		{"AWS_ENDPOINT_URL_DOCDB", url, "", ""},
		{"AWS_ENDPOINT_URL", "", url, ""},
		{"service variable first", url, closed, ""},
		{"option first", closed, closed, url},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("AWS_ENDPOINT_URL_DOCDB", tc.docdb)
			t.Setenv("AWS_ENDPOINT_URL", tc.all)
			if tc.docdb == "" {
				unsetenv(t, "AWS_ENDPOINT_URL_DOCDB")
			}
			if tc.all == "" {
				unsetenv(t, "AWS_ENDPOINT_URL")
			}
			o := awsclient.Options{Region: "us-east-1", EndpointURL: tc.opt}
			fast(&o)
			c, err := awsclient.New(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Target().Endpoint; got != url {
				t.Fatalf("target endpoint %q, want %q", got, url)
			}
			if ids := clusterIDs(t, c); !slices.Equal(ids, []string{"archive", "orders"}) {
				t.Fatalf("clusters %v", ids)
			}
			if n := srv.Calls("DescribeDBClusters"); n != i+1 {
				t.Fatalf("the server saw %d calls, want %d", n, i+1)
			}
		})
	}
}

// unsetenv unsets a variable for the rest of the test (t.Setenv first, so
// that it is restored).
func unsetenv(t *testing.T, k string) {
	t.Helper()
	t.Setenv(k, "")
	if err := os.Unsetenv(k); err != nil {
		t.Fatal(err)
	}
}

// countingTransport counts the requests that go through it.
type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

// TestOptionsHTTPClientAndPageSize: calls go through the given HTTP client,
// and a page size outside DocumentDB's 20..100 is clamped rather than
// refused by AWS.
func TestOptionsHTTPClientAndPageSize(t *testing.T) {
	t.Parallel()
	srv, url := startEmulator(t, emulator.Options{}, emulator.GeneratedFleet(45))
	tr := &countingTransport{}
	c := newClient(t, url, func(o *awsclient.Options) {
		o.HTTPClient = &http.Client{Transport: tr}
		o.PageSize = 5
	})
	clusters, pages := pagesOf(t, c.Clusters())
	if len(clusters) != 45 || pages != 3 {
		t.Fatalf("%d clusters in %d pages, want 45 in 3 (pages of 20)", len(clusters), pages)
	}
	if n := tr.n.Load(); n != 3 || srv.Calls("DescribeDBClusters") != 3 {
		t.Fatalf("%d requests through the client's transport, %d at the server; want 3",
			n, srv.Calls("DescribeDBClusters"))
	}
}

// An automated snapshot is found by identifier only with SnapshotType
// automated, which the endpoint insists on as the API documents: a backup
// being taken is followed to the end, by identifier and by ARN, and a manual
// snapshot is still found.
func TestEmulatorAutomatedSnapshot(t *testing.T) {
	t.Parallel()
	clock := newClock()
	fleet := tiny()
	fleet.Clusters[0].Snapshots = []emulator.SnapshotSpec{
		{Type: awsclient.SnapshotAutomated, Elapsed: 0.5},
		{ID: "before-upgrade", Type: awsclient.SnapshotManual, Age: time.Hour},
	}
	_, url := startEmulator(t, emulator.Options{Now: clock.Now, SnapshotDuration: time.Minute}, fleet)
	c := newClient(t, url)
	ctx := context.Background()
	listed, err := awsclient.All(ctx, c.Snapshots("orders"))
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(listed, func(s awsclient.Snapshot) bool { return s.Type == awsclient.SnapshotAutomated })
	if i < 0 || listed[i].Status != awsclient.StatusCreating {
		t.Fatalf("listed %+v: want an automated snapshot being taken", listed)
	}
	auto := listed[i]
	for _, id := range []string{auto.ID, auto.ARN} {
		s, err := c.Snapshot(ctx, id)
		if err != nil || s.ID != auto.ID || s.Status != awsclient.StatusCreating {
			t.Errorf("Snapshot(%s) while creating: %+v, %v", id, s, err)
		}
	}
	clock.Advance(time.Hour)
	if s, err := c.Snapshot(ctx, auto.ID); err != nil || s.Status != awsclient.StatusAvailable || s.PercentProgress != 100 {
		t.Errorf("Snapshot(%s) once done: %+v, %v", auto.ID, s, err)
	}
	if s, err := c.Snapshot(ctx, "before-upgrade"); err != nil || s.Type != awsclient.SnapshotManual {
		t.Errorf("Snapshot(before-upgrade): %+v, %v", s, err)
	}
}

// The type a caller knows is sent: it finds an automated snapshot whose
// identifier does not say what it is, which the identifier alone cannot.
func TestEmulatorSnapshotOfKnownType(t *testing.T) {
	t.Parallel()
	fleet := tiny()
	fleet.Clusters[0].Snapshots = []emulator.SnapshotSpec{{ID: "nightly-backup", Type: awsclient.SnapshotAutomated, Age: time.Hour}}
	_, url := startEmulator(t, emulator.Options{}, fleet)
	c := newClient(t, url)
	ctx := context.Background()
	if s, err := c.Snapshot(ctx, "nightly-backup", awsclient.SnapshotAutomated); err != nil || s.Type != awsclient.SnapshotAutomated {
		t.Errorf("Snapshot(nightly-backup, automated): %+v, %v", s, err)
	}
	if _, err := c.Snapshot(ctx, "nightly-backup"); awsclient.KindOf(err) != awsclient.KindSnapshotNotFound {
		t.Errorf("Snapshot(nightly-backup) with no type: %v, want not found", err)
	}
}
