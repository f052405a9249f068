package cli

import (
	"testing"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// TestClustersEndlessListing: against an endpoint that answers every page
// with the same marker, docsnap clusters stops at the second page and says
// so in one sentence, with exit status 1 and no table. The endpoint ends
// the listing after 50 pages, so that a docsnap that would never stop
// fails here instead of hanging.
func TestClustersEndlessListing(t *testing.T) {
	var f emulator.Fleet
	for _, id := range []string{"alpha", "beta", "gamma"} {
		f.Clusters = append(f.Clusters, emulator.ClusterSpec{ID: id, Engine: awsclient.Engine, EngineVersion: "5.0.0", Status: "available"})
	}
	e := newEndpoint(t, f, emulator.Options{}, emulator.BrokenPaging{Marker: "again", Limit: 50}.Wrap)
	r := e.run(runOpts{}, "clusters")
	r.want(t, ExitError)
	want := "docsnap clusters: The endpoint repeated page marker \"again\"; stopped after 2 pages, 3 clusters read.\n" +
		"The endpoint does not page as DocumentDB does: check the region and --endpoint-url.\n"
	if r.stdout != "" || r.stderr != want {
		t.Fatalf("stdout:\n%s\nstderr:\n%s\nwant stderr:\n%s", r.stdout, r.stderr, want)
	}
	if calls := e.server.Calls("DescribeDBClusters"); calls != 2 {
		t.Fatalf("%d calls of DescribeDBClusters, want 2", calls)
	}
}
