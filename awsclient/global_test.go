package awsclient_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// The demo's global cluster as docsnap's client lists it in eu-west-1, where
// its secondary is: the primary in us-east-1 named by region and identifier
// too, and the join with DescribeDBClusters by ARN.
func TestGlobalClustersJoinByARN(t *testing.T) {
	t.Parallel()
	_, url := startEmulator(t, emulator.Options{Region: "eu-west-1"}, emulator.DemoFleetFor("eu-west-1"))
	c := newClient(t, url, func(o *awsclient.Options) { o.Region = "eu-west-1" })
	globals, pages := pagesOf(t, c.GlobalClusters())
	if pages != 1 || len(globals) != 1 {
		t.Fatalf("%d global clusters in %d pages", len(globals), pages)
	}
	g := globals[0]
	want := []awsclient.GlobalMember{
		{ClusterARN: "arn:aws:rds:us-east-1:123456789012:cluster:shipping-prod", Region: "us-east-1", ClusterID: "shipping-prod", Primary: true},
		{ClusterARN: "arn:aws:rds:eu-west-1:123456789012:cluster:shipping-prod-euw1", Region: "eu-west-1", ClusterID: "shipping-prod-euw1"},
	}
	if g.ID != "shipping-global" || g.Engine != awsclient.Engine || g.EngineVersion != "5.0.0" || g.Status != "available" ||
		g.ARN != "arn:aws:rds::123456789012:global-cluster:shipping-global" || fmt.Sprint(g.Members) != fmt.Sprint(want) {
		t.Fatalf("%+v", g)
	}
	if p, ok := g.Primary(); !ok || p.ClusterID != "shipping-prod" {
		t.Fatalf("primary %+v", p)
	}

	clusters, _ := pagesOf(t, c.Clusters())
	index := awsclient.Memberships(globals)
	members := 0
	for _, cl := range clusters {
		m, ok := index[cl.ARN]
		if !ok {
			continue
		}
		members++
		if cl.ID != "shipping-prod-euw1" || m.Primary || m.Role() != "secondary" || m.Global.ID != "shipping-global" {
			t.Fatalf("%s: %+v", cl.ID, m)
		}
	}
	if members != 1 {
		t.Fatalf("%d of eu-west-1's clusters are members, want its one secondary", members)
	}
}

// The listing pages with the client's page size, one call a page, and
// leaves out Aurora's global clusters, which share the API.
func TestGlobalClustersPages(t *testing.T) {
	t.Parallel()
	var f emulator.Fleet
	for i := range 45 {
		f.Globals = append(f.Globals, emulator.GlobalClusterSpec{ID: fmt.Sprintf("g-%02d", i), Engine: awsclient.Engine,
			Members: []emulator.GlobalMemberSpec{{Region: "us-east-1", ClusterID: fmt.Sprintf("c-%02d", i), Primary: true}}})
	}
	f.Globals = append(f.Globals, emulator.GlobalClusterSpec{ID: "g-aurora", Engine: "aurora-postgresql"})
	srv, url := startEmulator(t, emulator.Options{}, f)
	c := newClient(t, url, func(o *awsclient.Options) { o.PageSize = 20 })
	globals, pages := pagesOf(t, c.GlobalClusters())
	if len(globals) != 45 || pages != 3 || srv.Calls("DescribeGlobalClusters") != 3 {
		t.Fatalf("%d global clusters in %d pages, %d calls", len(globals), pages, srv.Calls("DescribeGlobalClusters"))
	}
	for _, g := range globals {
		if g.Engine != awsclient.Engine {
			t.Fatalf("%+v listed", g)
		}
	}
}

// denyGlobal answers DescribeGlobalClusters as AWS does for a policy without
// rds:DescribeGlobalClusters, and passes every other call on.
func denyGlobal(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if form, _ := url.ParseQuery(string(body)); form.Get("Action") == "DescribeGlobalClusters" {
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type>`+
				`<Code>AccessDenied</Code><Message>User is not authorized to perform: rds:DescribeGlobalClusters</Message></Error>`+
				`<RequestId>req-denied</RequestId></ErrorResponse>`)
			return
		}
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		h.ServeHTTP(w, r)
	})
}

// A policy without rds:DescribeGlobalClusters: the listing fails as access
// denied, and the clusters still list.
func TestGlobalClustersDenied(t *testing.T) {
	t.Parallel()
	_, url := startEmulator(t, emulator.Options{}, emulator.DemoFleet(), denyGlobal)
	c := newClient(t, url)
	_, err := c.GlobalClusters().Next(context.Background())
	e := wantKind(t, err, awsclient.KindAccessDenied, "list global clusters")
	if e.RequestID != "req-denied" {
		t.Fatalf("%+v", e)
	}
	if ids := clusterIDs(t, c); len(ids) == 0 {
		t.Fatal("no clusters listed")
	}
}
