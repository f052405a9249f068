package emulator

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
)

// The tests below check that what a client chooses (action names, the size
// of a request, the values in it) cannot make the endpoint keep more, or
// answer with much more than it was sent.

func TestMadeUpActionsShareOneCounter(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	decode[clustersAnswer](t, post(s, form("Action", "DescribeDBClusters")))
	const madeUp = 2000
	for i := range madeUp {
		wantError(t, post(s, form("Action", "Made-Up-"+strconv.Itoa(i))), 400, "InvalidAction")
	}
	wantError(t, post(s, form("Action", "")), 400, "InvalidAction")
	s.faultMu.Lock()
	counters := len(s.calls)
	s.faultMu.Unlock()
	if counters != 2 {
		t.Errorf("%d call counters after %d made-up actions, want 2 (DescribeDBClusters, and one for all the rest)", counters, madeUp)
	}
	if n := s.Calls("DescribeDBClusters"); n != 1 {
		t.Errorf("Calls(DescribeDBClusters) = %d, want 1", n)
	}
	if n := s.Calls("Made-Up-7"); n != madeUp+1 {
		t.Errorf("Calls(Made-Up-7) = %d, want %d: every unknown action counts together", n, madeUp+1)
	}
}

func TestOversizedRequestsAreRefused(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	create := form("Action", "CreateDBClusterSnapshot", "DBClusterIdentifier", "orders-prod", "DBClusterSnapshotIdentifier", "padded")
	create.Set("Padding", strings.Repeat("x", maxRequest))
	e := wantError(t, post(s, create), http.StatusNotFound, "MalformedQueryString")
	if !strings.Contains(e.Message, strconv.Itoa(maxRequest)) {
		t.Errorf("message %q does not say the limit", e.Message)
	}
	wantError(t, get(s, create), http.StatusNotFound, "MalformedQueryString")
	wantError(t, post(s, form("Action", "DescribeDBClusterSnapshots", "DBClusterSnapshotIdentifier", "padded")), http.StatusNotFound, "DBClusterSnapshotNotFoundFault")

	// The largest request the API takes still fits.
	largest := form("Action", "CreateDBClusterSnapshot", "DBClusterIdentifier", "orders-prod", "DBClusterSnapshotIdentifier", "largest")
	for i := range awsclient.MaxTags {
		n := strconv.Itoa(i + 1)
		largest.Set("Tags.Tag."+n+".Key", n+strings.Repeat("\U00020000", awsclient.MaxTagKeyLen-len(n)))
		largest.Set("Tags.Tag."+n+".Value", strings.Repeat("\U00020000", awsclient.MaxTagValueLen))
	}
	decode[createAnswer](t, post(s, largest))
}

func TestBadIdentifierAnswersAreShort(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	bad := strings.Repeat("!", 60<<10)
	for _, v := range []url.Values{
		form("Action", "CreateDBClusterSnapshot", "DBClusterIdentifier", "orders-prod", "DBClusterSnapshotIdentifier", bad),
		form("Action", "CreateDBClusterSnapshot", "DBClusterIdentifier", "orders-prod", "DBClusterSnapshotIdentifier", "x",
			"Tags.Tag.1.Key", "k", "Tags.Tag.1.Value", bad),
	} {
		w := post(s, v)
		e := wantError(t, w, http.StatusBadRequest, "InvalidParameterValue")
		if n := w.Body.Len(); n > 2*len(bad) {
			t.Errorf("a value of %d bad characters answered with %d bytes: %.200s", len(bad), n, e.Message)
		}
		if !strings.Contains(e.Message, " more") {
			t.Errorf("message does not say how many problems it leaves out: %.300s", e.Message)
		}
	}
}

// TestElasticRequestLimits: made-up docdb-elastic paths share the counter
// of unknown actions; a body past the request cap, or a tag map of
// thousands of bad keys, is refused with an answer of bounded size.
func TestElasticRequestLimits(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	for i := range 500 {
		req, _ := http.NewRequest("GET", "http://local/made-up-"+strconv.Itoa(i), nil)
		rec := &recorder{header: http.Header{}}
		s.ServeHTTP(rec, req)
		if rec.status != 400 || rec.header.Get("x-amzn-ErrorType") != "ValidationException" {
			t.Fatalf("GET /made-up-%d: %d %s", i, rec.status, rec.body.String())
		}
	}
	s.faultMu.Lock()
	counters := len(s.calls)
	s.faultMu.Unlock()
	if counters != 1 {
		t.Errorf("%d call counters after 500 made-up paths, want 1", counters)
	}

	create := func(body string) *recorder {
		req, _ := http.NewRequest("POST", "http://local/cluster-snapshot", strings.NewReader(body))
		rec := &recorder{header: http.Header{}}
		s.ServeHTTP(rec, req)
		return rec
	}
	arn := s.world.elastic.clusters[0].arn
	rec := create(`{"clusterArn":"` + arn + `","snapshotName":"` + strings.Repeat("a", maxRequest) + `"}`)
	if rec.status != 400 || !strings.Contains(rec.body.String(), "cannotParse") || rec.body.Len() > 1024 {
		t.Errorf("a body past the cap: %d, %d bytes: %.200s", rec.status, rec.body.Len(), rec.body.String())
	}
	var tags []string
	for i := range 5000 {
		tags = append(tags, `"bad key `+strconv.Itoa(i)+`":""`)
	}
	rec = create(`{"clusterArn":"` + arn + `","snapshotName":"ok","tags":{` + strings.Join(tags, ",") + `}}`)
	if rec.status != 400 || rec.header.Get("x-amzn-ErrorType") != "ValidationException" || rec.body.Len() > 4096 {
		t.Errorf("5000 bad tag keys: %d, %d bytes: %.200s", rec.status, rec.body.Len(), rec.body.String())
	}
}
