package emulator

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

const arnPrefix = "arn:aws:rds:us-east-1:123456789012:"

func TestDescribeClustersPaginates250At20(t *testing.T) {
	s, _ := newServer(t, GeneratedFleet(250), Options{})
	var ids []string
	marker, pages := "", 0
	for {
		v := form("Action", "DescribeDBClusters", "Version", apiVersion, "MaxRecords", "20")
		if marker != "" {
			v.Set("Marker", marker)
		}
		a := decode[clustersAnswer](t, post(s, v))
		pages++
		if len(a.Items) > 20 {
			t.Fatalf("page %d has %d clusters, want at most 20", pages, len(a.Items))
		}
		ids = append(ids, clusterIDs(a)...)
		if marker = a.Marker; marker == "" {
			break
		}
		if pages > 20 {
			t.Fatal("pagination does not end")
		}
	}
	if pages != 13 || len(ids) != 250 {
		t.Fatalf("%d pages, %d clusters; want 13 pages, 250 clusters", pages, len(ids))
	}
	if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != 250 {
		t.Errorf("clusters are not each listed once in identifier order")
	}
}

func TestDescribeClustersEngineFilterHidesAuroraAndNeptune(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	all := decode[clustersAnswer](t, post(s, form("Action", "DescribeDBClusters")))
	engines := map[string]int{}
	for _, c := range all.Items {
		engines[c.Engine]++
	}
	if engines["docdb"] < 10 || engines["aurora-postgresql"] != 1 || engines["neptune"] != 1 {
		t.Fatalf("engines without a filter: %v; want a dozen docdb, one aurora-postgresql, one neptune", engines)
	}
	for _, tc := range []struct {
		values []string
		want   int
	}{
		{[]string{"docdb"}, engines["docdb"]},
		{[]string{"neptune"}, 1},
		{[]string{"neptune", "aurora-postgresql"}, 2},
		{[]string{"mysql"}, 0},
	} {
		v := form("Action", "DescribeDBClusters", "Filters.Filter.1.Name", "engine")
		for i, e := range tc.values {
			v.Set(fmt.Sprintf("Filters.Filter.1.Values.Value.%d", i+1), e)
		}
		a := decode[clustersAnswer](t, post(s, v))
		if len(a.Items) != tc.want {
			t.Errorf("engine in %v: %d clusters, want %d", tc.values, len(a.Items), tc.want)
		}
		for _, c := range a.Items {
			if !slices.Contains(tc.values, c.Engine) {
				t.Errorf("engine in %v returned %s of engine %s", tc.values, c.ID, c.Engine)
			}
		}
	}
}

func TestDescribeClustersByIdentifierAndFilter(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	for _, id := range []string{"payments-prod", "Payments-PROD", arnPrefix + "cluster:payments-prod"} {
		a := decode[clustersAnswer](t, post(s, form("Action", "DescribeDBClusters", "DBClusterIdentifier", id)))
		if len(a.Items) != 1 || a.Items[0].ID != "payments-prod" || len(a.Items[0].Members) != 3 || !a.Items[0].Members[0].Writer {
			t.Errorf("DBClusterIdentifier %s: %+v, want payments-prod with 3 members, the first the writer", id, a.Items)
		}
	}
	e := wantError(t, post(s, form("Action", "DescribeDBClusters", "DBClusterIdentifier", "nope")), http.StatusNotFound, "DBClusterNotFoundFault")
	if e.Message != "DBCluster nope not found." {
		t.Errorf("message %q", e.Message)
	}
	a := decode[clustersAnswer](t, post(s, form("Action", "DescribeDBClusters",
		"Filters.Filter.1.Name", "db-cluster-id",
		"Filters.Filter.1.Values.Value.1", "orders-prod",
		"Filters.Filter.1.Values.Value.2", arnPrefix+"cluster:fraud-graph",
		"Filters.Filter.1.Values.Value.3", "nope",
		"Filters.Filter.2.Name", "engine",
		"Filters.Filter.2.Values.Value.1", "docdb")))
	if got := clusterIDs(a); !slices.Equal(got, []string{"orders-prod"}) {
		t.Errorf("db-cluster-id and engine filters: %v, want [orders-prod]", got)
	}
}

func TestMaxRecordsBounds(t *testing.T) {
	s, _ := newServer(t, GeneratedFleet(150), Options{})
	for _, n := range []string{"0", "19", "101", "-5", "abc", ""} {
		for _, action := range []string{"DescribeDBClusters", "DescribeDBClusterSnapshots", "DescribeDBInstances"} {
			e := wantError(t, post(s, form("Action", action, "MaxRecords", n)), http.StatusBadRequest, "InvalidParameterValue")
			if want := "Invalid value " + n + " for MaxRecords. Must be between 20 and 100."; e.Message != want {
				t.Errorf("%s MaxRecords=%s: message %q, want %q", action, n, e.Message, want)
			}
		}
	}
	for n, want := range map[string]int{"20": 20, "100": 100} {
		if a := decode[clustersAnswer](t, post(s, form("Action", "DescribeDBClusters", "MaxRecords", n))); len(a.Items) != want {
			t.Errorf("MaxRecords=%s: %d clusters", n, len(a.Items))
		}
	}
	if a := decode[clustersAnswer](t, post(s, form("Action", "DescribeDBClusters"))); len(a.Items) != 100 || a.Marker == "" {
		t.Errorf("no MaxRecords: %d clusters, marker %q; want the default 100 and a marker", len(a.Items), a.Marker)
	}
}

func TestFiltersRefused(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	e := wantError(t, post(s, form("Action", "DescribeDBClusters", "Filters.Filter.1.Name", "clone-group-id",
		"Filters.Filter.1.Values.Value.1", "x")), http.StatusBadRequest, "InvalidParameterValue")
	if e.Message != "Unrecognized filter name: clone-group-id" {
		t.Errorf("message %q", e.Message)
	}
	for _, tc := range []struct {
		v    []string
		code string
	}{
		{[]string{"Filters.Filter.1.Values.Value.1", "docdb"}, "MissingParameter"},
		{[]string{"Filters.Filter.1.Name", "engine"}, "MissingParameter"},
		{[]string{"Filters.Filter.x.Name", "engine"}, "InvalidParameterValue"},
		{[]string{"Filters.Filter.0.Name", "engine", "Filters.Filter.0.Values", ""}, "InvalidParameterValue"},
		{[]string{"Filters.Filter.1.Name", "engine", "Filters.Filter.1.Values.Value.z", "docdb"}, "InvalidParameterValue"},
		{[]string{"Filters.Filter.1.Name", "engine", "Filters.Filter.1.Values", "docdb"}, "InvalidParameterValue"},
		{[]string{"Marker", "!!not a marker!!"}, "InvalidParameterValue"},
	} {
		v := form(append([]string{"Action", "DescribeDBClusters"}, tc.v...)...)
		wantError(t, post(s, v), http.StatusBadRequest, tc.code)
	}
}

func TestEmptyFilterValueList(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	// An empty but non-nil list, as aws-sdk-go-v2 sends it: the bare key.
	w := post(s, form("Action", "DescribeDBClusters", "Filters.Filter.1.Name", "engine", "Filters.Filter.1.Values", ""))
	if a := decode[clustersAnswer](t, w); len(a.Items) != 0 {
		t.Errorf("engine in {}: %d clusters, want none", len(a.Items))
	}
	if !strings.Contains(w.Body.String(), "<DBClusters></DBClusters>") {
		t.Errorf("an empty list is not written as an empty element: %s", w.Body)
	}
	// An empty filter list filters nothing.
	if a := decode[clustersAnswer](t, post(s, form("Action", "DescribeDBClusters", "Filters", ""))); len(a.Items) != 15 {
		t.Errorf("Filters=: %d clusters, want all 15", len(a.Items))
	}
}

func TestGETAndPOSTAnswerAlike(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	v := form("Action", "DescribeDBClusters", "Filters.Filter.1.Name", "engine", "Filters.Filter.1.Values.Value.1", "docdb", "MaxRecords", "20")
	byPost, byGet := decode[clustersAnswer](t, post(s, v)), decode[clustersAnswer](t, get(s, v))
	if !slices.Equal(clusterIDs(byPost), clusterIDs(byGet)) || len(byGet.Items) == 0 {
		t.Errorf("POST %v, GET %v", clusterIDs(byPost), clusterIDs(byGet))
	}
	wantError(t, get(s, form("Action", "DescribeDBClusters", "DBClusterIdentifier", "nope")), http.StatusNotFound, "DBClusterNotFoundFault")
}

func TestResponseEnvelope(t *testing.T) {
	s, _ := newServer(t, GeneratedFleet(30), Options{})
	w := post(s, form("Action", "DescribeDBClusters", "MaxRecords", "20"))
	a := decode[clustersAnswer](t, w)
	if a.XMLName.Space != xmlns {
		t.Errorf("namespace %q", a.XMLName.Space)
	}
	if id := w.Header().Get("x-amzn-RequestId"); len(id) != 36 || id != a.RequestID {
		t.Errorf("request id header %q, body %q: want the same UUID", id, a.RequestID)
	}
	if ct := w.Header().Get("Content-Type"); ct != "text/xml" {
		t.Errorf("Content-Type %q", ct)
	}
	if !strings.Contains(w.Body.String(), "<DescribeDBClustersResult><Marker>") {
		t.Errorf("no DescribeDBClustersResult with a Marker: %.300s", w.Body)
	}
	if b := post(s, form("Action", "DescribeDBClusters", "MaxRecords", "20")); b.Header().Get("x-amzn-RequestId") == w.Header().Get("x-amzn-RequestId") {
		t.Error("two calls got the same request id")
	}
}

func TestInvalidAction(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	for _, v := range []map[string]string{
		{"Action": "DeleteDBCluster", "DBClusterIdentifier": "payments-prod"},
		{"Action": "describedbclusters"},
		{},
	} {
		f := form()
		for k, x := range v {
			f.Set(k, x)
		}
		wantError(t, post(s, f), http.StatusBadRequest, "InvalidAction")
	}
	if a := decode[clustersAnswer](t, post(s, form("Action", "DescribeDBClusters", "DBClusterIdentifier", "payments-prod"))); len(a.Items) != 1 {
		t.Error("payments-prod is gone after a refused DeleteDBCluster")
	}
	// A malformed body is refused as such.
	wantError(t, postRaw(s, "Action=DescribeDBClusters&Marker=%zz"), http.StatusNotFound, "MalformedQueryString")
}

func TestCreateSnapshot(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	w := post(s, form("Action", "CreateDBClusterSnapshot",
		"DBClusterIdentifier", "Payments-Prod",
		"DBClusterSnapshotIdentifier", "Before-Upgrade-1",
		"Tags.Tag.1.Key", "reason", "Tags.Tag.1.Value", "Überprüfung vor 5.0 + ops/team",
		"Tags.Tag.2.Key", "ticket"))
	c := decode[createAnswer](t, w)
	sn := c.Snapshot
	if sn.ID != "before-upgrade-1" || sn.ClusterID != "payments-prod" || sn.Status != "creating" || sn.Percent != 0 ||
		sn.Type != "manual" || sn.ARN != arnPrefix+"cluster-snapshot:before-upgrade-1" || sn.Created != "2025-03-14T15:09:26.000Z" {
		t.Errorf("created %+v", sn)
	}
	d := decode[snapshotsAnswer](t, post(s, form("Action", "DescribeDBClusterSnapshots", "DBClusterSnapshotIdentifier", "BEFORE-upgrade-1")))
	if len(d.Items) != 1 || d.Items[0].ID != "before-upgrade-1" {
		t.Errorf("describe by id: %+v", d.Items)
	}
	tags := decode[tagsAnswer](t, post(s, form("Action", "ListTagsForResource", "ResourceName", sn.ARN)))
	if len(tags.Tags) != 2 || tags.Tags[0].Key != "reason" || tags.Tags[0].Value == nil || *tags.Tags[0].Value != "Überprüfung vor 5.0 + ops/team" ||
		tags.Tags[1].Key != "ticket" || tags.Tags[1].Value != nil {
		t.Errorf("tags %+v", tags.Tags)
	}
}

// TestCreateSnapshotAcceptsWarnings: what the rules only warn about (AWS's
// documents disagree on it) is accepted, as docsnap sends it: '@' in tags,
// a reserved prefix in another case, a 64-character identifier.
func TestCreateSnapshotAcceptsWarnings(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	long := "a" + strings.Repeat("b", 63)
	c := decode[createAnswer](t, post(s, form("Action", "CreateDBClusterSnapshot",
		"DBClusterIdentifier", "payments-prod", "DBClusterSnapshotIdentifier", long,
		"Tags.Tag.1.Key", "owner", "Tags.Tag.1.Value", "alice@example.com",
		"Tags.Tag.2.Key", "AWS:note", "Tags.Tag.2.Value", "x")))
	if c.Snapshot.ID != long {
		t.Fatalf("created %+v", c.Snapshot)
	}
	tags := decode[tagsAnswer](t, post(s, form("Action", "ListTagsForResource", "ResourceName", c.Snapshot.ARN)))
	if len(tags.Tags) != 2 || tags.Tags[0].Value == nil || *tags.Tags[0].Value != "alice@example.com" || tags.Tags[1].Key != "AWS:note" {
		t.Errorf("tags %+v", tags.Tags)
	}
}

func TestCreateSnapshotRefusals(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{Quota: 8})
	create := func(kv ...string) *httptest.ResponseRecorder {
		return post(s, form(append([]string{"Action", "CreateDBClusterSnapshot"}, kv...)...))
	}
	for _, tc := range []struct {
		name    string
		kv      []string
		status  int
		code    string
		message string // a part of it
	}{
		{"no snapshot id", []string{"DBClusterIdentifier", "payments-prod"}, 400, "MissingParameter", "DBClusterSnapshotIdentifier"},
		{"no cluster id", []string{"DBClusterSnapshotIdentifier", "a1"}, 400, "MissingParameter", "DBClusterIdentifier"},
		{"nothing", nil, 400, "MissingParameter", "DBClusterSnapshotIdentifier"},
		{"bad snapshot id", []string{"DBClusterIdentifier", "payments-prod", "DBClusterSnapshotIdentifier", "my_snap"}, 400,
			"InvalidParameterValue", `Invalid DBClusterSnapshotIdentifier "my_snap": character 3 '_' is not allowed`},
		{"empty snapshot id", []string{"DBClusterIdentifier", "payments-prod", "DBClusterSnapshotIdentifier", ""}, 400,
			"InvalidParameterValue", "DBClusterSnapshotIdentifier"},
		{"trailing hyphen", []string{"DBClusterIdentifier", "payments-prod", "DBClusterSnapshotIdentifier", "snap-"}, 400,
			"InvalidParameterValue", "ends with a hyphen"},
		{"256 characters", []string{"DBClusterIdentifier", "payments-prod", "DBClusterSnapshotIdentifier", "a" + strings.Repeat("b", 255)}, 400,
			"InvalidParameterValue", "the limit is 255"},
		{"bad cluster id", []string{"DBClusterIdentifier", "payments--prod", "DBClusterSnapshotIdentifier", "ok"}, 400,
			"InvalidParameterValue", "Invalid DBClusterIdentifier"},
		{"reserved tag", []string{"DBClusterIdentifier", "payments-prod", "DBClusterSnapshotIdentifier", "ok",
			"Tags.Tag.1.Key", "aws:owner", "Tags.Tag.1.Value", "x"}, 400, "InvalidParameterValue", "Invalid Tags: tag 1 key: must not start with"},
		{"duplicate tag keys", []string{"DBClusterIdentifier", "payments-prod", "DBClusterSnapshotIdentifier", "ok",
			"Tags.Tag.1.Key", "k", "Tags.Tag.2.Key", "k"}, 400, "InvalidParameterValue", "tag 2 key"},
		{"tag without key", []string{"DBClusterIdentifier", "payments-prod", "DBClusterSnapshotIdentifier", "ok",
			"Tags.Tag.1.Value", "v"}, 400, "InvalidParameterValue", "the key is required"},
		{"malformed tag list", []string{"DBClusterIdentifier", "payments-prod", "DBClusterSnapshotIdentifier", "ok",
			"Tags.member.1.Key", "k"}, 400, "InvalidParameterValue", "Tags.member.1.Key"},
		{"unknown cluster", []string{"DBClusterIdentifier", "nope", "DBClusterSnapshotIdentifier", "ok"}, 404,
			"DBClusterNotFoundFault", "DBCluster nope not found."},
		{"stopped cluster", []string{"DBClusterIdentifier", "user-profiles-dev", "DBClusterSnapshotIdentifier", "ok"}, 400,
			"InvalidDBClusterStateFault", "stopped"},
		{"backing-up cluster", []string{"DBClusterIdentifier", "inventory-prod", "DBClusterSnapshotIdentifier", "ok"}, 400,
			"InvalidDBClusterStateFault", "backing-up"},
		{"taken id", []string{"DBClusterIdentifier", "orders-prod", "DBClusterSnapshotIdentifier", "Payments-Prod-Pre-Migration"}, 400,
			"DBClusterSnapshotAlreadyExistsFault", "payments-prod-pre-migration"},
		{"automated id taken", []string{"DBClusterIdentifier", "orders-prod", "DBClusterSnapshotIdentifier", "ok-1"}, 200, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := create(tc.kv...)
			if tc.status == 200 {
				decode[createAnswer](t, r)
				return
			}
			e := wantError(t, r, tc.status, tc.code)
			if !strings.Contains(e.Message, tc.message) {
				t.Errorf("message %q does not say %q", e.Message, tc.message)
			}
		})
	}
	// The demo fleet holds 6 manual snapshots and the test made one: a
	// quota of 8 leaves room for one more.
	decode[createAnswer](t, create("DBClusterIdentifier", "shipping-prod", "DBClusterSnapshotIdentifier", "ninth"))
	e := wantError(t, create("DBClusterIdentifier", "shipping-prod", "DBClusterSnapshotIdentifier", "tenth"), 400, "SnapshotQuotaExceeded")
	if e.Message != "Cannot create more than 8 manual snapshots." {
		t.Errorf("quota message %q", e.Message)
	}
	// A retry of a create whose answer was lost hears that it exists, even
	// at the quota.
	wantError(t, create("DBClusterIdentifier", "shipping-prod", "DBClusterSnapshotIdentifier", "ninth"), 400, "DBClusterSnapshotAlreadyExistsFault")
}

func TestDescribeSnapshots(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	list := func(kv ...string) snapshotsAnswer {
		return decode[snapshotsAnswer](t, post(s, form(append([]string{"Action", "DescribeDBClusterSnapshots"}, kv...)...)))
	}
	all := list("DBClusterIdentifier", "payments-prod")
	types := map[string]int{}
	for _, sn := range all.Items {
		types[sn.Type]++
		if sn.ClusterID != "payments-prod" {
			t.Errorf("snapshot %s of %s listed for payments-prod", sn.ID, sn.ClusterID)
		}
		if sn.Type == "automated" && !strings.HasPrefix(sn.ID, "rds:payments-prod-") {
			t.Errorf("automated snapshot named %s", sn.ID)
		}
	}
	if types["manual"] != 2 || types["automated"] != 3 {
		t.Errorf("payments-prod snapshots by type: %v, want 2 manual and 3 automated", types)
	}
	if m := list("DBClusterIdentifier", "PAYMENTS-PROD", "SnapshotType", "manual"); len(m.Items) != 2 {
		t.Errorf("SnapshotType manual: %d", len(m.Items))
	}
	if m := list("DBClusterIdentifier", "payments-prod", "SnapshotType", "shared", "IncludeShared", "true"); len(m.Items) != 0 {
		t.Errorf("shared snapshots: %d", len(m.Items))
	}
	if m := list("DBClusterIdentifier", "nope"); len(m.Items) != 0 {
		t.Errorf("snapshots of an unknown cluster: %d, want none", len(m.Items))
	}
	auto := all.Items[0].ID
	if m := list("DBClusterSnapshotIdentifier", auto); len(m.Items) != 1 || m.Items[0].ID != auto {
		t.Errorf("by id %s: %+v", auto, m.Items)
	}
	// Every snapshot of the region, a page at a time.
	var ids []string
	for marker := ""; ; {
		a := list("MaxRecords", "20", "Marker", marker)
		for _, sn := range a.Items {
			ids = append(ids, sn.ID)
		}
		if marker = a.Marker; marker == "" {
			break
		}
	}
	if len(ids) != 20 || len(slices.Compact(slices.Sorted(slices.Values(ids)))) != 20 {
		t.Errorf("all snapshots: %d (%v), want the demo fleet's 20, each once", len(ids), ids)
	}
	both := post(s, form("Action", "DescribeDBClusterSnapshots", "DBClusterIdentifier", "payments-prod", "DBClusterSnapshotIdentifier", auto))
	wantError(t, both, 400, "InvalidParameterCombination")
	e := wantError(t, post(s, form("Action", "DescribeDBClusterSnapshots", "DBClusterSnapshotIdentifier", "nope")), 404, "DBClusterSnapshotNotFoundFault")
	if e.Message != "DBClusterSnapshot nope not found." {
		t.Errorf("message %q", e.Message)
	}
	wantError(t, post(s, form("Action", "DescribeDBClusterSnapshots", "SnapshotType", "weekly")), 400, "InvalidParameterValue")
	wantError(t, post(s, form("Action", "DescribeDBClusterSnapshots", "IncludeShared", "maybe")), 400, "InvalidParameterValue")
}

// The rules the API model documents for the actions' parameters, where the
// endpoint once did otherwise.
func TestDocumentedRules(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	snapshots := func(kv ...string) int {
		return len(decode[snapshotsAnswer](t, post(s, form(append([]string{"Action", "DescribeDBClusterSnapshots"}, kv...)...))).Items)
	}
	// DescribeDBClusterSnapshots: Filters "not currently supported", so
	// they change nothing, whatever their names.
	all := snapshots("DBClusterIdentifier", "payments-prod")
	for _, name := range []string{"snapshot-type", "status", "engine"} {
		if n := snapshots("DBClusterIdentifier", "payments-prod", "Filters.Filter.1.Name", name,
			"Filters.Filter.1.Values.Value.1", "automated"); n != all {
			t.Errorf("filter %s: %d snapshots, want all %d", name, n, all)
		}
	}
	// DescribeDBInstances: the filters documented are db-cluster-id and
	// db-instance-id.
	e := wantError(t, post(s, form("Action", "DescribeDBInstances", "Filters.Filter.1.Name", "engine",
		"Filters.Filter.1.Values.Value.1", "docdb")), http.StatusBadRequest, "InvalidParameterValue")
	if e.Message != "Unrecognized filter name: engine" {
		t.Errorf("message %q", e.Message)
	}
	// DescribeDBClusters: engine is documented in the action's description.
	decode[clustersAnswer](t, post(s, form("Action", "DescribeDBClusters", "Filters.Filter.1.Name", "engine",
		"Filters.Filter.1.Values.Value.1", "docdb")))
}

func TestDescribeInstances(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	list := func(kv ...string) instancesAnswer {
		return decode[instancesAnswer](t, post(s, form(append([]string{"Action", "DescribeDBInstances"}, kv...)...)))
	}
	a := list("Filters.Filter.1.Name", "db-cluster-id", "Filters.Filter.1.Values.Value.1", "orders-prod")
	if len(a.Items) != 5 {
		t.Fatalf("orders-prod instances: %d, want 5", len(a.Items))
	}
	zones := map[string]bool{}
	for _, in := range a.Items {
		zones[in.Zone] = true
		if in.ClusterID != "orders-prod" || in.Class != "db.r6g.2xlarge" || in.Status != "available" {
			t.Errorf("instance %+v", in)
		}
	}
	if len(zones) != 3 {
		t.Errorf("zones %v, want three", zones)
	}
	if a := list("DBInstanceIdentifier", "User-Profiles-Dev-1"); len(a.Items) != 1 || a.Items[0].Status != "stopped" {
		t.Errorf("instance of a stopped cluster: %+v", a.Items)
	}
	if a := list("DBInstanceIdentifier", arnPrefix+"db:fraud-graph-2"); len(a.Items) != 1 {
		t.Errorf("by ARN: %+v", a.Items)
	}
	wantError(t, post(s, form("Action", "DescribeDBInstances", "DBInstanceIdentifier", "nope")), 404, "DBInstanceNotFound")

	big, _ := newServer(t, GeneratedFleet(100), Options{})
	total, pages := 0, 0
	for marker := ""; ; pages++ {
		a := decode[instancesAnswer](t, post(big, form("Action", "DescribeDBInstances", "MaxRecords", "20", "Marker", marker)))
		total += len(a.Items)
		if marker = a.Marker; marker == "" {
			break
		}
	}
	want := 0
	for _, c := range GeneratedFleet(100).Clusters {
		want += len(c.Instances)
	}
	if total != want || pages < want/20-1 {
		t.Errorf("%d instances in %d pages, want %d", total, pages+1, want)
	}
}

func TestListTags(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	tagsOf := func(arn string) map[string]string {
		a := decode[tagsAnswer](t, post(s, form("Action", "ListTagsForResource", "ResourceName", arn)))
		m := map[string]string{}
		for _, tag := range a.Tags {
			m[tag.Key] = *tag.Value
		}
		return m
	}
	if m := tagsOf(arnPrefix + "cluster:payments-prod"); m["team"] != "payments" || m["env"] != "prod" {
		t.Errorf("cluster tags %v", m)
	}
	if m := tagsOf(arnPrefix + "cluster-snapshot:payments-prod-pre-migration"); m["created-by"] != "alice" {
		t.Errorf("snapshot tags %v", m)
	}
	snaps := decode[snapshotsAnswer](t, post(s, form("Action", "DescribeDBClusterSnapshots", "DBClusterIdentifier", "payments-prod",
		"SnapshotType", "automated")))
	if m := tagsOf(snaps.Items[0].ARN); m["team"] != "payments" { // rds:… holds a colon
		t.Errorf("automated snapshot tags %v", m)
	}
	if m := tagsOf(arnPrefix + "db:payments-prod-1"); len(m) != 0 {
		t.Errorf("instance tags %v, want none", m)
	}
	for arn, code := range map[string]string{
		arnPrefix + "cluster:nope":          "DBClusterNotFoundFault",
		arnPrefix + "cluster-snapshot:nope": "DBSnapshotNotFound",
		arnPrefix + "db:nope":               "DBInstanceNotFound",
	} {
		wantError(t, post(s, form("Action", "ListTagsForResource", "ResourceName", arn)), 404, code)
	}
	for _, arn := range []string{"payments-prod", "arn:aws:rds:eu-west-1:123456789012:cluster:payments-prod", arnPrefix + "pg:default", ""} {
		wantError(t, post(s, form("Action", "ListTagsForResource", "ResourceName", arn)), 400, "InvalidParameterValue")
	}
	wantError(t, post(s, form("Action", "ListTagsForResource")), 400, "MissingParameter")
}

// Many clients at once, as many SSH sessions share one endpoint: every
// create that succeeded is there once, and no create succeeded twice.
func TestConcurrentClients(t *testing.T) {
	s, c := newServer(t, DemoFleet(), Options{Quota: 1000})
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := map[string]int{}
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				id := fmt.Sprintf("snap-%d", (g*20+i)%60) // every id is tried by more than one client
				w := post(s, form("Action", "CreateDBClusterSnapshot", "DBClusterIdentifier", "orders-prod", "DBClusterSnapshotIdentifier", id))
				if w.Code == http.StatusOK {
					mu.Lock()
					created[id]++
					mu.Unlock()
				}
				post(s, form("Action", "DescribeDBClusters", "Filters.Filter.1.Name", "engine", "Filters.Filter.1.Values.Value.1", "docdb"))
				post(s, form("Action", "DescribeDBClusterSnapshots", "DBClusterIdentifier", "orders-prod"))
				c.Advance(time.Second) // time moves while they work
			}
		}()
	}
	wg.Wait()
	if len(created) != 60 {
		t.Errorf("%d different snapshots created, want 60", len(created))
	}
	for id, n := range created {
		if n != 1 {
			t.Errorf("%s created %d times", id, n)
		}
	}
	if got := s.Calls("CreateDBClusterSnapshot"); got != 160 {
		t.Errorf("Calls counted %d creates, want 160", got)
	}
}

// The API documents that describing an automated snapshot by identifier
// needs SnapshotType too; a client that forgets it must fail here as it
// would at AWS.
func TestDescribeSnapshotByIDNeedsType(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	auto := decode[snapshotsAnswer](t, post(s, form("Action", "DescribeDBClusterSnapshots",
		"DBClusterIdentifier", "payments-prod", "SnapshotType", "automated"))).Items[0].ID
	const manual = "payments-prod-pre-migration"
	describe := func(kv ...string) *httptest.ResponseRecorder {
		return post(s, form(append([]string{"Action", "DescribeDBClusterSnapshots"}, kv...)...))
	}
	for _, found := range [][]string{
		{"DBClusterSnapshotIdentifier", auto, "SnapshotType", "automated"},
		{"DBClusterSnapshotIdentifier", arnPrefix + "cluster-snapshot:" + auto, "SnapshotType", "automated"},
		{"DBClusterSnapshotIdentifier", manual},
		{"DBClusterSnapshotIdentifier", manual, "SnapshotType", "manual"},
	} {
		if a := decode[snapshotsAnswer](t, describe(found...)); len(a.Items) != 1 {
			t.Errorf("%v: %d snapshots, want 1", found, len(a.Items))
		}
	}
	for _, missing := range [][]string{
		{"DBClusterSnapshotIdentifier", auto},
		{"DBClusterSnapshotIdentifier", strings.ToUpper(auto)},
		{"DBClusterSnapshotIdentifier", auto, "SnapshotType", "manual"},
		{"DBClusterSnapshotIdentifier", arnPrefix + "cluster-snapshot:" + auto},
		{"DBClusterSnapshotIdentifier", manual, "SnapshotType", "automated"},
		{"DBClusterSnapshotIdentifier", manual, "SnapshotType", "shared"},
	} {
		e := wantError(t, describe(missing...), http.StatusNotFound, "DBClusterSnapshotNotFoundFault")
		if !strings.Contains(e.Message, missing[1]) {
			t.Errorf("%v: message %q does not name the identifier", missing, e.Message)
		}
	}
	// Only the types the API documents.
	wantError(t, describe("SnapshotType", "awsbackup"), http.StatusBadRequest, "InvalidParameterValue")
}

// TestDescribeSnapshotNames: DescribeDBClusterSnapshots takes an existing
// snapshot by its own rules (an automated one of a 60-character cluster, an
// ARN) and a cluster by identifier or ARN, and refuses a malformed name as
// a parameter error.
func TestDescribeSnapshotNames(t *testing.T) {
	long := "c" + strings.Repeat("x", 59)
	s, _ := newServer(t, Fleet{Clusters: []ClusterSpec{{ID: long, Engine: "docdb", EngineVersion: "5.0.0",
		Status: "available", StorageGiB: 10, Snapshots: automated(1, nil)}}}, Options{})
	auto := "rds:" + long + "-2025-03-14-10-09"
	for _, name := range []string{auto, strings.ToUpper(auto), arnPrefix + "cluster-snapshot:" + auto} {
		d := decode[snapshotsAnswer](t, post(s, form("Action", "DescribeDBClusterSnapshots", "DBClusterSnapshotIdentifier", name, "SnapshotType", "automated")))
		if len(d.Items) != 1 || d.Items[0].ID != auto {
			t.Errorf("describe %q: %+v", name, d.Items)
		}
	}
	d := decode[snapshotsAnswer](t, post(s, form("Action", "DescribeDBClusterSnapshots", "DBClusterIdentifier", arnPrefix+"cluster:"+long)))
	if len(d.Items) != 1 {
		t.Errorf("by cluster ARN: %+v", d.Items)
	}
	e := wantError(t, post(s, form("Action", "DescribeDBClusterSnapshots", "DBClusterSnapshotIdentifier", "bad_id")),
		http.StatusBadRequest, "InvalidParameterValue")
	if !strings.Contains(e.Message, `Invalid DBClusterSnapshotIdentifier "bad_id": character 4 '_' is not allowed`) {
		t.Errorf("message %q", e.Message)
	}
	wantError(t, post(s, form("Action", "DescribeDBClusterSnapshots", "DBClusterIdentifier", "arn:aws:rds:x")),
		http.StatusBadRequest, "InvalidParameterValue")
}
