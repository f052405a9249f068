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

const day = 24 * time.Hour

// keysOf decodes a JSON array of objects and returns each object's keys,
// sorted.
func keysOf(t *testing.T, doc string) [][]string {
	t.Helper()
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc), &raw); err != nil {
		t.Fatalf("not a JSON array of objects: %v\n%s", err, doc)
	}
	out := make([][]string, len(raw))
	for i, m := range raw {
		for k := range m {
			out[i] = append(out[i], k)
		}
		slices.Sort(out[i])
	}
	return out
}

func TestClustersJSON(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	r := e.run(runOpts{}, "clusters", "--output", "json")
	r.want(t, ExitOK)
	if r.stderr != "" {
		t.Errorf("stderr: %q", r.stderr)
	}

	// The documented field names, exactly, on every element.
	wantKeys := []string{"arn", "backupRetentionDays", "backupWindow", "clusterId", "created", "deletionProtection",
		"endpoint", "engine", "engineVersion", "globalClusterId", "globalRole", "instances", "members", "multiAz", "port",
		"readerEndpoint", "region", "shardCapacity", "shards", "status", "storageEncrypted", "type"}
	for i, keys := range keysOf(t, r.stdout) {
		if !slices.Equal(keys, wantKeys) {
			t.Fatalf("element %d has the keys %v, want %v", i, keys, wantKeys)
		}
	}
	var got []Cluster
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(got))
	for i, c := range got {
		ids[i] = c.ClusterID
	}
	// DocumentDB only: the fleet's Aurora and Neptune clusters are left out;
	// its 3 elastic clusters come after the 13 instance-based ones.
	if len(got) != 16 || slices.Contains(ids, "billing-aurora-pg") || slices.Contains(ids, "fraud-graph") {
		t.Fatalf("clusters %v", ids)
	}

	// One cluster field by field: what the fleet says of payments-prod, and
	// what the endpoint made of it as the SDK read it.
	i := slices.Index(ids, "payments-prod")
	c := got[i]
	sdk, err := awsclient.All(context.Background(), e.client.Clusters())
	if err != nil {
		t.Fatal(err)
	}
	ref := sdk[slices.IndexFunc(sdk, func(c awsclient.Cluster) bool { return c.ID == "payments-prod" })]
	checks := []struct {
		field     string
		got, want any
	}{
		{"clusterId", c.ClusterID, "payments-prod"},
		{"arn", c.ARN, "arn:aws:rds:us-east-1:123456789012:cluster:payments-prod"},
		{"status", c.Status, "available"},
		{"engine", c.Engine, "docdb"},
		{"engineVersion", c.EngineVersion, "5.0.0"},
		{"endpoint", c.Endpoint, ref.Endpoint},
		{"readerEndpoint", c.ReaderEndpoint, ref.ReaderEndpoint},
		{"port", c.Port, 27017},
		{"instances", c.Instances, 3},
		{"members", c.Members, []Member{{"payments-prod-1", true}, {"payments-prod-2", false}, {"payments-prod-3", false}}},
		{"storageEncrypted", c.StorageEncrypted, true},
		{"deletionProtection", c.DeletionProtection, true},
		{"multiAz", c.MultiAZ, ref.MultiAZ},
		{"backupRetentionDays", c.BackupRetentionDays, 14},
		{"backupWindow", c.BackupWindow, "03:00-03:30"},
		{"created", time.Time(c.Created), t0.Add(-fleetSpec(t, "payments-prod").Age)},
		{"region", c.Region, "us-east-1"},
		{"globalClusterId", c.GlobalClusterID, nil},
		{"globalRole", c.GlobalRole, nil},
	}
	for _, ch := range checks {
		if !jsonEqual(ch.got, ch.want) {
			t.Errorf("%s = %v, want %v", ch.field, ch.got, ch.want)
		}
	}
	created := `"created": "` + t0.Add(-fleetSpec(t, "payments-prod").Age).Format(time.RFC3339) + `"`
	if !strings.Contains(ref.Endpoint, "payments-prod") || !strings.Contains(r.stdout, created) {
		t.Errorf("endpoint %q; times are not RFC 3339 UTC:\n%s", ref.Endpoint, r.stdout)
	}
}

func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// instanceFleet is the demo fleet without its elastic clusters.
func instanceFleet() emulator.Fleet {
	f := emulator.DemoFleet()
	f.Elastic = nil
	return f
}

func TestClustersTable(t *testing.T) {
	e := newEndpoint(t, instanceFleet(), emulator.Options{})
	r := e.run(runOpts{}, "clusters")
	r.want(t, ExitOK)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 14 {
		t.Fatalf("%d lines, want a header and 13 rows:\n%s", len(lines), r.stdout)
	}
	if strings.ContainsAny(r.stdout, "\x1b●◔○✗") {
		t.Errorf("colour or glyphs when stdout is not a terminal:\n%s", r.stdout)
	}
	// Aligned: every column starts where its title does.
	heads := []string{"CLUSTER", "STATUS", "ENGINE", "INSTANCES", "ENCRYPTED", "CREATED (UTC)"}
	for _, h := range heads {
		if !strings.Contains(lines[0], h) {
			t.Fatalf("header %q lacks %q", lines[0], h)
		}
	}
	status, engine := strings.Index(lines[0], "STATUS"), strings.Index(lines[0], "ENGINE")
	row := regexp.MustCompile(`^(\S+) +(\S+) +(\S+) +(\d+) +(yes|no) +(\d{4}-\d\d-\d\d \d\d:\d\d)$`)
	for _, l := range lines[1:] {
		m := row.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("row %q", l)
		}
		if strings.Index(l, m[2]) != status || strings.LastIndex(l[:engine+len(m[3])], m[3]) != engine {
			t.Errorf("row %q is not aligned with %q", l, lines[0])
		}
	}
	if want := "orders-staging       modifying   5.0.0           2  yes        2026-04-03 05:30"; !slices.Contains(lines, want) {
		t.Errorf("no row %q in\n%s", want, r.stdout)
	}
}

func TestTablesOnATerminal(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	r := e.run(runOpts{terminal: true, env: map[string]string{"TERM": "xterm-256color"}}, "clusters")
	r.want(t, ExitOK)
	for _, want := range []string{"\x1b[1mCLUSTER", "\x1b[32m● available", "\x1b[33m◔ modifying", "○ stopped"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("no %q in\n%q", want, r.stdout)
		}
	}
	// NO_COLOR: the glyphs stay (the status is not told by colour alone),
	// the colours go.
	r = e.run(runOpts{terminal: true, env: map[string]string{"TERM": "xterm-256color", "NO_COLOR": "1"}}, "snapshots", "orders-prod")
	r.want(t, ExitOK)
	if strings.Contains(r.stdout, "\x1b") || !strings.Contains(r.stdout, "● available") || !strings.Contains(r.stdout, "◔ creating") {
		t.Errorf("NO_COLOR:\n%q", r.stdout)
	}
}

func TestHostileStringsAreSanitized(t *testing.T) {
	evil := "\u202eevil\u009b31m\u200f"
	f := emulator.Fleet{Clusters: []emulator.ClusterSpec{{ID: "evil", Engine: "docdb", EngineVersion: "5.0" + evil,
		Status: "available", BackupWindow: evil, StorageGiB: 10, Instances: []emulator.InstanceSpec{{ID: "evil-1", Class: "db.t4g.medium", Writer: true}},
		Snapshots: []emulator.SnapshotSpec{{ID: "evil-snap", Type: awsclient.SnapshotManual, Status: "available" + evil}}}}}
	e := newEndpoint(t, f, emulator.Options{})
	for _, args := range [][]string{
		{"clusters"}, {"clusters", "--output", "json"}, {"snapshots", "evil"}, {"snapshots", "evil", "--output", "json"},
	} {
		r := e.run(runOpts{terminal: true}, args...)
		r.want(t, ExitOK)
		for _, bad := range []string{"\u202e", "\u009b", "\u200f"} {
			if strings.Contains(r.stdout, bad) {
				t.Errorf("%v: %q reached stdout:\n%q", args, bad, r.stdout)
			}
		}
		if !strings.Contains(r.stdout, "evil31m") && !strings.Contains(r.stdout, "5.0evil") {
			t.Errorf("%v: the sanitized text is missing:\n%s", args, r.stdout)
		}
	}
}

func TestEmptyLists(t *testing.T) {
	f := emulator.Fleet{Clusters: []emulator.ClusterSpec{{ID: "billing", Engine: "aurora-postgresql", Status: "available"},
		{ID: "fresh", Engine: "docdb", Status: "available"}}}
	e := newEndpoint(t, emulator.Fleet{Clusters: f.Clusters[:1]}, emulator.Options{})
	r := e.run(runOpts{}, "clusters")
	r.want(t, ExitOK)
	if r.stdout != "" || r.stderr != "No DocumentDB clusters in us-east-1.\n" {
		t.Errorf("stdout %q stderr %q", r.stdout, r.stderr)
	}
	r = e.run(runOpts{}, "clusters", "--output", "json")
	r.want(t, ExitOK)
	if r.stdout != "[]\n" || r.stderr != "" {
		t.Errorf("stdout %q stderr %q", r.stdout, r.stderr)
	}
	e = newEndpoint(t, f, emulator.Options{})
	r = e.run(runOpts{}, "snapshots", "fresh")
	r.want(t, ExitOK)
	if r.stdout != "" || r.stderr != "Cluster fresh has no snapshots.\n" {
		t.Errorf("stdout %q stderr %q", r.stdout, r.stderr)
	}
	r = e.run(runOpts{}, "snapshots", "fresh", "--output=json")
	r.want(t, ExitOK)
	if r.stdout != "[]\n" {
		t.Errorf("stdout %q", r.stdout)
	}
}

func TestSnapshotsJSONNewestFirst(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	r := e.run(runOpts{}, "snapshots", "payments-prod", "--output", "json")
	r.want(t, ExitOK)
	wantKeys := []string{"arn", "clusterCreated", "clusterId", "created", "engineVersion", "percentProgress",
		"snapshotId", "status", "storageEncrypted", "type"}
	for i, keys := range keysOf(t, r.stdout) {
		if !slices.Equal(keys, wantKeys) {
			t.Fatalf("element %d has the keys %v, want %v", i, keys, wantKeys)
		}
	}
	var got []Snapshot
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	// The fleet: three daily automated ones (the latest 5 hours ago), one
	// manual 20 days ago, one 90 days ago.
	wantIDs := []string{"rds:payments-prod-2026-11-29-00-30", "rds:payments-prod-2026-11-28-00-30",
		"rds:payments-prod-2026-11-27-00-30", "payments-prod-pre-migration", "payments-prod-2024-q4-audit"}
	var ids []string
	for i, s := range got {
		ids = append(ids, s.SnapshotID)
		if i > 0 && time.Time(s.Created).After(time.Time(got[i-1].Created)) {
			t.Errorf("%s is newer than %s before it", s.SnapshotID, got[i-1].SnapshotID)
		}
	}
	if !slices.Equal(ids, wantIDs) {
		t.Fatalf("snapshots %v, want %v", ids, wantIDs)
	}
	s := got[3]
	checks := []struct {
		field     string
		got, want any
	}{
		{"snapshotId", s.SnapshotID, "payments-prod-pre-migration"},
		{"clusterId", s.ClusterID, "payments-prod"},
		{"arn", s.ARN, "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:payments-prod-pre-migration"},
		{"status", s.Status, "available"},
		{"type", s.Type, "manual"},
		{"percentProgress", s.PercentProgress, 100},
		{"created", time.Time(s.Created), t0.Add(-20 * day)},
		{"clusterCreated", time.Time(s.ClusterCreated), t0.Add(-fleetSpec(t, "payments-prod").Age)},
		{"engineVersion", s.EngineVersion, "5.0.0"},
		{"storageEncrypted", s.StorageEncrypted, true},
	}
	for _, ch := range checks {
		if !jsonEqual(ch.got, ch.want) {
			t.Errorf("%s = %v, want %v", ch.field, ch.got, ch.want)
		}
	}
	if got[0].Type != "automated" || !strings.Contains(r.stdout, `"created": "2026-11-29T00:30:00Z"`) {
		t.Errorf("the latest automated snapshot: %+v", got[0])
	}
}

func TestSnapshotsTable(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	r := e.run(runOpts{}, "snapshots", "ORDERS-PROD") // cluster ids are matched case-insensitively
	r.want(t, ExitOK)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	want := []*regexp.Regexp{
		regexp.MustCompile(`^SNAPSHOT +TYPE +STATUS +PROGRESS +CREATED \(UTC\)$`),
		regexp.MustCompile(`^orders-prod-before-reindex +manual +creating +\d\d%  \d{4}-\d\d-\d\d \d\d:\d\d$`),
		regexp.MustCompile(`^rds:orders-prod-2026-11-29-00-30 +automated +available +100%  2026-11-29 00:30$`),
		regexp.MustCompile(`^rds:orders-prod-2026-11-28-00-30 +automated +available +100%  2026-11-28 00:30$`),
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines:\n%s", len(lines), r.stdout)
	}
	for i, re := range want {
		if !re.MatchString(lines[i]) {
			t.Errorf("line %d %q does not match %v", i, lines[i], re)
		}
		if i > 0 && len(lines[i]) != len(lines[1]) {
			t.Errorf("rows of different widths:\n%s", r.stdout)
		}
	}
}

func TestListErrors(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})

	// Invalid cluster identifier: said in the words of the shared rules,
	// and nothing is sent.
	r := e.run(runOpts{}, "snapshots", "9_lives")
	r.want(t, ExitInvalid)
	_, problems := awsclient.ValidateClusterID("9_lives")
	for _, p := range problems {
		r.stderrHas(t, "docsnap snapshots: "+p.String()+"\n")
	}
	r.stderrHas(t, "Nothing was sent to AWS.")
	if n := e.calls(); n != 0 {
		t.Errorf("%d calls for an invalid identifier", n)
	}

	// A cluster that does not exist: AWS lists no snapshots for it; the
	// command says it is not there.
	r = e.run(runOpts{}, "snapshots", "no-such-cluster")
	r.want(t, ExitRefused)
	r.stderrHas(t, "docsnap snapshots: The cluster was not found. (AWS code DBClusterNotFoundFault, request id ",
		"AWS said: DBCluster no-such-cluster not found.", "docsnap clusters")

	// Throttled: AWS's code and request id are printed.
	e.server.SetFaults(emulator.Faults{Throttle: 1})
	r = e.run(runOpts{}, "clusters")
	r.want(t, ExitRefused)
	r.stderrHas(t, "docsnap clusters: AWS is throttling requests (rate exceeded). (AWS code Throttling, request id ")
	e.server.SetFaults(emulator.Faults{})
	if r.stdout != "" || len(strings.Split(strings.TrimSpace(r.stderr), "\n")) > 3 {
		t.Errorf("stdout %q; stderr longer than sentence, AWS's words and hint:\n%s", r.stdout, r.stderr)
	}

	// Interrupted before the answer.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r = e.run(runOpts{ctx: ctx}, "clusters")
	r.want(t, ExitInterrupted)
	r.stderrHas(t, "docsnap clusters: interrupted.")
}

func TestUnreachableEndpoint(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	client, err := awsclient.NewLocal(awsclient.Options{EndpointURL: "http://127.0.0.1:1", RetryMaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	e.client = client
	r := e.run(runOpts{}, "clusters", "--output", "json")
	r.want(t, ExitError)
	if r.stdout != "" {
		t.Errorf("stdout %q", r.stdout)
	}
	r.stderrHas(t, "docsnap clusters: The DocumentDB endpoint could not be reached", "--endpoint-url")
	if strings.Contains(r.stderr, "press r") {
		t.Errorf("a TUI hint on the command line:\n%s", r.stderr)
	}
}

// fleetSpec is the demo fleet's cluster id.
func fleetSpec(t *testing.T, id string) emulator.ClusterSpec {
	t.Helper()
	for _, c := range emulator.DemoFleet().Clusters {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no cluster %q in the demo fleet", id)
	return emulator.ClusterSpec{}
}

// The global clusters' fields: shipping-prod is the primary of the demo's
// global cluster in us-east-1, shipping-prod-euw1 its secondary in
// eu-west-1, and every other cluster is in none (null).
func TestClustersJSONGlobal(t *testing.T) {
	for _, tc := range []struct{ region, member, role string }{
		{"us-east-1", "shipping-prod", "primary"},
		{"eu-west-1", "shipping-prod-euw1", "secondary"},
	} {
		e := newEndpoint(t, emulator.DemoFleetFor(tc.region), emulator.Options{Region: tc.region})
		client, err := awsclient.NewLocal(awsclient.Options{Region: tc.region, EndpointURL: e.url, RetryMaxAttempts: 1})
		if err != nil {
			t.Fatal(err)
		}
		r := e.run(runOpts{client: client}, "clusters", "--output", "json")
		r.want(t, ExitOK)
		var got []Cluster
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
			t.Fatal(err)
		}
		members := 0
		for _, c := range got {
			if c.ClusterID != tc.member {
				if c.GlobalClusterID != nil || c.GlobalRole != nil {
					t.Errorf("%s: %s is in global cluster %v as %v", tc.region, c.ClusterID, *c.GlobalClusterID, *c.GlobalRole)
				}
				continue
			}
			members++
			if c.GlobalClusterID == nil || *c.GlobalClusterID != "shipping-global" || c.GlobalRole == nil || *c.GlobalRole != tc.role {
				t.Errorf("%s: %s: globalClusterId %v, globalRole %v", tc.region, c.ClusterID, c.GlobalClusterID, c.GlobalRole)
			}
		}
		want := `"globalClusterId": "shipping-global",` + "\n    " + `"globalRole": "` + tc.role + `"`
		if members != 1 || !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, `"globalRole": null`) {
			t.Fatalf("%s: %d members:\n%s", tc.region, members, r.stdout)
		}
		if n := e.server.Calls("DescribeGlobalClusters"); n != 1 {
			t.Errorf("%s: %d global listings", tc.region, n)
		}
	}
}

// noGlobals refuses DescribeGlobalClusters as a policy without it does.
type noGlobals struct{ awsclient.Client }

func (noGlobals) GlobalClusters() awsclient.Pages[awsclient.GlobalCluster] { return deniedPages{} }

type deniedPages struct{}

func (deniedPages) More() bool { return true }
func (deniedPages) Next(context.Context) ([]awsclient.GlobalCluster, error) {
	return nil, &awsclient.Error{Kind: awsclient.KindAccessDenied, Op: "list global clusters", Code: "AccessDenied"}
}

// Without rds:DescribeGlobalClusters the clusters are listed all the same,
// their global fields null, and one line on stderr says why.
func TestClustersJSONGlobalDenied(t *testing.T) {
	e := newEndpoint(t, instanceFleet(), emulator.Options{})
	r := e.run(runOpts{client: noGlobals{e.client}}, "clusters", "--output", "json")
	r.want(t, ExitOK)
	if r.stderr != "docsnap clusters: global clusters not known, globalClusterId and globalRole are null: Access denied: the credentials in use lack a permission.\n" {
		t.Fatalf("stderr %q", r.stderr)
	}
	var got []Cluster
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || len(got) != 13 {
		t.Fatalf("%d clusters, %v", len(got), err)
	}
	for _, c := range got {
		if c.GlobalClusterID != nil || c.GlobalRole != nil {
			t.Fatalf("%s has global fields", c.ClusterID)
		}
	}
	// The table shows no global fields, and does not ask.
	r = e.run(runOpts{client: noGlobals{e.client}}, "clusters")
	r.want(t, ExitOK)
	if r.stderr != "" {
		t.Fatalf("stderr %q", r.stderr)
	}
}
