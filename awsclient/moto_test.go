package awsclient_test

// Interoperability with moto_server, an AWS emulator nobody here wrote. What
// moto 5.2.1 implements of what docsnap calls (read from moto/rds):
//   - DescribeDBClusters: filters engine and db-cluster-id; no pagination
//     (one page whatever MaxRecords says).
//   - DescribeDBClusterSnapshots: by cluster, by id (unknown id:
//     DBClusterSnapshotNotFoundFault), manual and automated (creating a
//     cluster makes an automated snapshot); no pagination.
//   - CreateDBClusterSnapshot with tags: DBClusterSnapshotAlreadyExistsFault,
//     DBClusterNotFoundFault, SnapshotQuotaExceeded (MOTO_RDS_SNAPSHOT_LIMIT,
//     counted over all cluster snapshots); no cluster-state check, snapshots
//     complete at once, identifiers are not validated.
//   - DescribeDBInstances: filter db-cluster-id, paginated by MaxRecords;
//     clusters list their members with IsClusterWriter.
//   - ListTagsForResource: InvalidParameterValue for a malformed ARN.
//   - CreateDBCluster refuses engine docdb: the tests seed Aurora and Neptune.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/docdb"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// motoSnapshotLimit is moto's manual snapshot quota in these tests.
const motoSnapshotLimit = 30 // above the 25 instances, whose automated snapshots moto counts too

// startMoto starts moto_server on a free loopback port and returns its URL.
// It skips the test when moto_server is not installed, unless
// DOCSNAP_REQUIRE_INTEROP=1 (as in CI), where that is a failure.
func startMoto(t *testing.T, env ...string) string {
	t.Helper()
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		if os.Getenv("DOCSNAP_REQUIRE_INTEROP") == "1" {
			t.Fatalf("moto_server is not on PATH and DOCSNAP_REQUIRE_INTEROP=1: install moto[server]==5.2.1")
		}
		t.Skip("moto_server is not on PATH: install moto[server]==5.2.1 to run the interoperability tests")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
	l.Close()

	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", port)
	cmd.Env = append(parentEnv, env...)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("moto_server output:\n%s", log.String())
		}
	})

	endpoint := "http://127.0.0.1:" + port
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(endpoint + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return endpoint
		}
		select {
		case <-exited:
			t.Fatalf("moto_server exited before serving:\n%s", log.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("moto_server did not answer on %s within 30 s:\n%s", endpoint, log.String())
		}
	}
}

// motoSeed creates, through boto3, what moto can hold of a fleet: an Aurora
// cluster with instances and a Neptune cluster (moto refuses engine docdb,
// and the Go client has no create-cluster call to offer).
const motoSeed = `
import sys, boto3
rds = boto3.client("rds", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="testing", aws_secret_access_key="testing")
rds.create_db_cluster(DBClusterIdentifier="aurora-one", Engine="aurora-mysql",
                      MasterUsername="admin", MasterUserPassword="password123")
rds.create_db_cluster(DBClusterIdentifier="graph-one", Engine="neptune")
for i in range(int(sys.argv[2])):
    rds.create_db_instance(DBInstanceIdentifier="aurora-one-%02d" % i, DBInstanceClass="db.r5.large",
                           Engine="aurora-mysql", DBClusterIdentifier="aurora-one")
`

const motoInstances = 25

func seedMoto(t *testing.T, endpoint string) {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("python3 is not on PATH (moto_server is, so it should be)")
	}
	cmd := exec.Command(py, "-c", motoSeed, endpoint, fmt.Sprint(motoInstances))
	cmd.Env = parentEnv
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("seeding moto with boto3: %v\n%s", err, out)
	}
}

func TestMotoInterop(t *testing.T) {
	endpoint := startMoto(t, fmt.Sprintf("MOTO_RDS_SNAPSHOT_LIMIT=%d", motoSnapshotLimit))
	seedMoto(t, endpoint)
	ctx := context.Background()
	c := newClient(t, endpoint, func(o *awsclient.Options) { o.PageSize = 20 })

	t.Run("engine filter hides Aurora and Neptune", func(t *testing.T) {
		// The clusters are there: the SDK without the filter sees both.
		sdk := docdb.New(docdb.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint),
			Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: "testing", SecretAccessKey: "testing"}, nil
			})})
		out, err := sdk.DescribeDBClusters(ctx, &docdb.DescribeDBClustersInput{})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.DBClusters) != 2 {
			t.Fatalf("moto holds %d clusters, want the 2 seeded", len(out.DBClusters))
		}
		clusters, pages := pagesOf(t, c.Clusters())
		if len(clusters) != 0 || pages != 1 {
			t.Fatalf("Clusters() = %d clusters in %d pages, want none in 1: %+v", len(clusters), pages, clusters)
		}
	})

	var created awsclient.Snapshot // by the create subtest
	t.Run("create with tags, describe, tags", func(t *testing.T) {
		in := awsclient.CreateSnapshotInput{ClusterID: "aurora-one", SnapshotID: "before-upgrade",
			Tags: []awsclient.Tag{{Key: "team", Value: "data"}, {Key: "ticket", Value: "OPS-1"}}}
		s, err := c.CreateSnapshot(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if s.ID != "before-upgrade" || s.ClusterID != "aurora-one" || s.Type != awsclient.SnapshotManual ||
			!strings.HasSuffix(s.ARN, ":cluster-snapshot:before-upgrade") || s.Created.IsZero() {
			t.Fatalf("created %+v", s)
		}
		got, err := c.Snapshot(ctx, "before-upgrade")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != s.ID || got.ARN != s.ARN || got.Status != awsclient.StatusAvailable || got.PercentProgress != 100 {
			t.Fatalf("described %+v, created %+v", got, s)
		}
		tags, err := c.Tags(ctx, s.ARN)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(tags) != fmt.Sprint(in.Tags) {
			t.Fatalf("tags %v, want %v", tags, in.Tags)
		}
		created = s
	})

	t.Run("already exists", func(t *testing.T) {
		_, err := c.CreateSnapshot(ctx, awsclient.CreateSnapshotInput{ClusterID: "aurora-one", SnapshotID: "before-upgrade"})
		e := wantKind(t, err, awsclient.KindSnapshotExists, "create snapshot")
		if e.Code != "DBClusterSnapshotAlreadyExistsFault" || e.RequestID == "" {
			t.Fatalf("code %q, request id %q", e.Code, e.RequestID)
		}
	})

	t.Run("cluster not found", func(t *testing.T) {
		_, err := c.CreateSnapshot(ctx, awsclient.CreateSnapshotInput{ClusterID: "no-such-cluster", SnapshotID: "s1"})
		e := wantKind(t, err, awsclient.KindClusterNotFound, "create snapshot")
		if e.Code != "DBClusterNotFoundFault" || e.RequestID == "" {
			t.Fatalf("code %q, request id %q", e.Code, e.RequestID)
		}
		_, err = awsclient.All(ctx, c.Instances("no-such-cluster"))
		wantKind(t, err, awsclient.KindClusterNotFound, "list instances")
	})

	t.Run("snapshot not found", func(t *testing.T) {
		_, err := c.Snapshot(ctx, "no-such-snapshot")
		e := wantKind(t, err, awsclient.KindSnapshotNotFound, "describe snapshot")
		if e.Code != "DBClusterSnapshotNotFoundFault" || e.RequestID == "" {
			t.Fatalf("code %q, request id %q", e.Code, e.RequestID)
		}
	})

	t.Run("invalid parameter", func(t *testing.T) {
		_, err := c.Tags(ctx, "not-an-arn")
		e := wantKind(t, err, awsclient.KindInvalidParameter, "list tags")
		if e.Code != "InvalidParameterValue" || e.Message == "" {
			t.Fatalf("code %q, message %q", e.Code, e.Message)
		}
	})

	t.Run("snapshots of a cluster, manual and automated", func(t *testing.T) {
		snaps, _ := pagesOf(t, c.Snapshots("aurora-one"))
		types := map[string]int{}
		for _, s := range snaps {
			if s.ClusterID != "aurora-one" {
				t.Errorf("snapshot %s of cluster %s", s.ID, s.ClusterID)
			}
			types[s.Type]++
		}
		if types[awsclient.SnapshotManual] != 1 || types[awsclient.SnapshotAutomated] != 1 {
			t.Fatalf("snapshot types %v, want one manual and one automated: %+v", types, snaps)
		}
		for _, s := range snaps {
			if s.Type == awsclient.SnapshotManual && s.ID != created.ID {
				t.Fatalf("manual snapshot %q, want %q", s.ID, created.ID)
			}
		}
	})

	t.Run("instances stream in pages with the writer marked", func(t *testing.T) {
		p := c.Instances("AURORA-ONE") // cluster ids match case-insensitively
		first, err := p.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(first) != 20 || !p.More() {
			t.Fatalf("first page: %d instances, more %v; want 20 and more", len(first), p.More())
		}
		rest, pages := pagesOf(t, p)
		all := append(first, rest...)
		if len(all) != motoInstances || pages != 1 {
			t.Fatalf("%d instances in %d more pages, want %d in 1", len(all), pages, motoInstances)
		}
		writers := 0
		for _, in := range all {
			if in.ClusterID != "aurora-one" || in.Class != "db.r5.large" {
				t.Errorf("instance %+v", in)
			}
			if in.Writer {
				writers++
			}
		}
		if writers != 1 {
			t.Fatalf("%d writers, want 1", writers)
		}
	})

	t.Run("lost response", func(t *testing.T) {
		// A proxy forwards the create to moto and drops the connection
		// before the answer: moto made the snapshot, the SDK retries, moto
		// answers already-exists, and that is this create's success.
		p := newDropProxy(t, endpoint)
		pc := newClient(t, p.url)
		p.dropNext(true)
		in := awsclient.CreateSnapshotInput{ClusterID: "aurora-one", SnapshotID: "lost-answer"}
		s, err := pc.CreateSnapshot(ctx, in)
		if err != nil {
			t.Fatalf("create after a lost response: %v", err)
		}
		if s.ID != "lost-answer" || s.ClusterID != "aurora-one" {
			t.Fatalf("got %+v", s)
		}
		if n := p.creates(); n != 2 {
			t.Fatalf("%d create requests reached the proxy, want 2 (the lost one and the retry)", n)
		}
		// A lost response and an already-exists answer about a snapshot of
		// another cluster, or an old one, is the error it says.
		p.dropNext(false)
		_, err = pc.CreateSnapshot(ctx, awsclient.CreateSnapshotInput{ClusterID: "graph-one", SnapshotID: "lost-answer"})
		wantKind(t, err, awsclient.KindSnapshotExists, "create snapshot")
		late := newClient(t, p.url, func(o *awsclient.Options) {
			o.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
		})
		p.dropNext(false)
		_, err = late.CreateSnapshot(ctx, in)
		wantKind(t, err, awsclient.KindSnapshotExists, "create snapshot")
	})

	t.Run("quota", func(t *testing.T) {
		// moto counts every cluster snapshot against its limit; create
		// until it refuses, which must happen within the limit.
		var err error
		for i := 0; i < motoSnapshotLimit && err == nil; i++ {
			_, err = c.CreateSnapshot(ctx, awsclient.CreateSnapshotInput{ClusterID: "aurora-one", SnapshotID: fmt.Sprintf("fill-%d", i)})
		}
		e := wantKind(t, err, awsclient.KindQuotaExceeded, "create snapshot")
		if e.Code != "SnapshotQuotaExceeded" {
			t.Fatalf("code %q", e.Code)
		}
	})
}

// dropProxy stands between the client and a server and can drop the next
// CreateDBClusterSnapshot: it closes the connection without an answer,
// after forwarding the request to the server or without.
type dropProxy struct {
	url     string
	mu      sync.Mutex
	drop    bool
	forward bool
	n       int
}

func newDropProxy(t *testing.T, target string) *dropProxy {
	t.Helper()
	p := &dropProxy{}
	u, _ := url.Parse(target)
	rp := httputil.NewSingleHostReverseProxy(u)
	ep, err := emulator.Listen("127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		if form.Get("Action") != "CreateDBClusterSnapshot" {
			rp.ServeHTTP(w, r)
			return
		}
		p.mu.Lock()
		p.n++
		drop, forward := p.drop, p.forward
		p.drop = false
		p.mu.Unlock()
		if !drop {
			rp.ServeHTTP(w, r)
			return
		}
		if forward {
			req, _ := http.NewRequest(r.Method, target+r.URL.RequestURI(), bytes.NewReader(body))
			req.Header = r.Header.Clone()
			if resp, err := http.DefaultClient.Do(req); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ep.Close() })
	p.url = ep.URL
	return p
}

// dropNext makes the proxy drop the next create, forwarding it first or not.
func (p *dropProxy) dropNext(forward bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.drop, p.forward, p.n = true, forward, 0
}

// creates counts the creates that reached the proxy since dropNext.
func (p *dropProxy) creates() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}
