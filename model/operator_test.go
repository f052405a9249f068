package model

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/form"
)

// Tests of the operator features: switching, several regions, sorting,
// the filter syntax and its tags, read-only, protected clusters,
// snapshots not started here, --watch, the command line.

func ids(m *Model) []string {
	out := make([]string, m.list.Len())
	for i := range out {
		out[i] = m.list.at(i).id
	}
	return out
}

func selectedID(m *Model) string {
	r, ok := m.list.selected()
	if !ok {
		return ""
	}
	return r.id
}

func withConnect(acc *accounts, profiles ...awsclient.Profile) appOption {
	return func(c *Config) {
		c.Connect = acc.connect
		c.Profiles = func() ([]awsclient.Profile, error) { return profiles, nil }
	}
}

func TestSwitchProfileAndRegion(t *testing.T) {
	ops := regionFake("ops", "us-east-1", "ops-a", "ops-b")
	dev := regionFake("dev", "us-east-1", "dev-a")
	devEU := regionFake("dev", "eu-west-1", "dev-eu")
	acc := &accounts{clients: map[[2]string]*fakeClient{
		{"ops", "us-east-1"}: ops, {"dev", "us-east-1"}: dev, {"dev", "eu-west-1"}: devEU}}
	hs := newHarness(t, ops, 100, 20, withConnect(acc, awsclient.Profile{Name: "dev", SSO: true, SSOSession: "corp"}, awsclient.Profile{Name: "ops"}))

	// A snapshot in flight in ops: its polls must stay with ops' client.
	hs.press("s", "enter", "enter", "esc")
	if ops.createCount() != 1 {
		t.Fatal("no snapshot in ops")
	}
	hs.press("P")
	if hs.m.screen != screenPicker || len(hs.m.picker.items) != 2 {
		t.Fatalf("picker: screen %d, items %+v", hs.m.screen, hs.m.picker.items)
	}
	if it, _ := hs.m.picker.selected(); it.value != "ops" || !it.current {
		t.Fatalf("the cursor is not on the current profile: %+v", it)
	}
	hs.typeText("dev")
	hs.press("enter")
	if !slices.Equal(acc.calls, [][2]string{{"dev", "us-east-1"}}) {
		t.Fatalf("connect calls %v", acc.calls)
	}
	if got := ids(hs.m); !slices.Equal(got, []string{"dev-a"}) || !strings.Contains(hs.screen(), "profile dev · us-east-1") {
		t.Fatalf("after the switch: %v\n%s", got, hs.screen())
	}
	before, devBefore := ops.Calls("DescribeDBClusterSnapshots"), dev.Calls("DescribeDBClusterSnapshots")
	hs.polls()
	if ops.Calls("DescribeDBClusterSnapshots") != before+1 || dev.Calls("DescribeDBClusterSnapshots") != devBefore {
		t.Fatal("the poll of the ops snapshot did not go to ops' client")
	}

	// A region by command, keeping the profile.
	hs.press(":")
	hs.typeText("region eu-west-1")
	hs.press("enter")
	if got := ids(hs.m); !slices.Equal(got, []string{"dev-eu"}) || acc.calls[len(acc.calls)-1] != [2]string{"dev", "eu-west-1"} {
		t.Fatalf("region switch: %v, calls %v", got, acc.calls)
	}
	// A switch that fails says so and keeps the list.
	hs.press(":")
	hs.typeText("profile nope")
	hs.press("enter")
	if got := ids(hs.m); !slices.Equal(got, []string{"dev-eu"}) || !strings.Contains(hs.screen(), "Could not switch to profile nope") {
		t.Fatalf("failed switch: %v\n%s", got, hs.screen())
	}
	// Without Connect (an SSH session), nothing switches.
	hs = newHarness(t, populated(), 100, 20)
	hs.press("P")
	if hs.m.screen != screenClusters || !strings.Contains(hs.screen(), "Switching is not available here") {
		t.Fatalf("P without Connect:\n%s", hs.screen())
	}
	if strings.Contains(hs.screen(), "P profile") {
		t.Fatal("the help offers P")
	}
}

func TestMultiRegionOneRegionFails(t *testing.T) {
	us := regionFake("", "us-east-1", "b-us", "a-us")
	eu := regionFake("", "eu-west-1", "a-eu")
	eu.listErr = &awsclient.Error{Kind: awsclient.KindAccessDenied, Op: "list clusters", Code: "AccessDenied"}
	ap := regionFake("", "ap-south-1", "c-ap")
	hs := newHarness(t, us, 120, 20, func(c *Config) { c.Clients = []awsclient.Client{us, eu, ap} })
	if got := ids(hs.m); !slices.Equal(got, []string{"b-us", "a-us", "c-ap"}) {
		t.Fatalf("rows %v: want each region's as listed, regions in order", got)
	}
	scr := hs.screen()
	for _, want := range []string{"us-east-1, eu-west-1, ap-south-1", "REGION", "✗ eu-west-1: Access denied", "ap-south-1"} {
		if !strings.Contains(scr, want) {
			t.Errorf("screen lacks %q:\n%s", want, scr)
		}
	}
	if hs.m.list.err != nil {
		t.Fatal("one region failing is not the whole listing failing")
	}
	// Fixed, a refresh brings its rows and drops the failure line.
	eu.mu.Lock()
	eu.listErr = nil
	eu.mu.Unlock()
	hs.press("r")
	if got := ids(hs.m); !slices.Equal(got, []string{"b-us", "a-us", "a-eu", "c-ap"}) || strings.Contains(hs.screen(), "✗") {
		t.Fatalf("after the fix: %v\n%s", got, hs.screen())
	}
	// A region failing on refresh (in a way a retry would not cure) keeps
	// its old rows under its line.
	us.mu.Lock()
	us.listErr = &awsclient.Error{Kind: awsclient.KindAccessDenied, Op: "list clusters", Code: "AccessDenied"}
	us.mu.Unlock()
	hs.press("r")
	if got := ids(hs.m); len(got) != 4 || !strings.Contains(hs.screen(), "✗ us-east-1: Access denied") {
		t.Fatalf("refresh failing in one region: %v\n%s", got, hs.screen())
	}
	// Every region failing: the screen says so, region by region.
	for _, f := range []*fakeClient{us, eu, ap} {
		f.mu.Lock()
		f.listErr = &awsclient.Error{Kind: awsclient.KindExpiredCredentials, Op: "list clusters", Profile: "dev"}
		f.mu.Unlock()
	}
	hs = newHarness(t, us, 120, 20, func(c *Config) { c.Clients = []awsclient.Client{us, eu, ap} })
	if scr := hs.screen(); hs.m.list.err == nil || !strings.Contains(scr, "Could not list the clusters of any region") ||
		!strings.Contains(scr, "us-east-1, eu-west-1, ap-south-1: The AWS credentials have expired") {
		t.Fatalf("all failed:\n%s", scr)
	}
}

// At most four regions are listed at once; the others wait their turn.
func TestRegionsListedFourAtATime(t *testing.T) {
	var clients []awsclient.Client
	var fakes []*fakeClient
	for _, r := range []string{"us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-west-2", "ap-south-1"} {
		f := regionFake("", r, "c-"+r)
		f.block = make(chan struct{})
		clients, fakes = append(clients, f), append(fakes, f)
	}
	a := start(t, fakes[0], 120, 20, func(c *Config) { c.Clients = clients })
	started := func() int {
		n := 0
		for _, f := range fakes {
			n += f.Calls("DescribeDBClusters")
		}
		return n
	}
	a.await("four listings started", func(*Model) bool { return started() == 4 })
	time.Sleep(20 * time.Millisecond) // a fifth would have started by now
	if n := started(); n != 4 || fakes[4].Calls("DescribeDBClusters") != 0 {
		t.Fatalf("%d listings at once", n)
	}
	close(fakes[0].block)
	a.await("the fifth starts when one ends", func(*Model) bool { return fakes[4].Calls("DescribeDBClusters") == 1 })
	for _, f := range fakes[1:] {
		close(f.block)
	}
	a.await("all listed", func(m *Model) bool { return len(m.list.rows) == 6 && !m.list.loading })
}

func TestSortStableReverseCursorKept(t *testing.T) {
	hs := newHarness(t, populated(), 100, 20)
	hs.press("j", "j") // payments-ledger
	hs.press("o")      // by identifier
	if got := ids(hs.m); !slices.Equal(got, []string{"Reporting-OLAP", "inventory-search-analytics-eu-replica", "legacy-catalog",
		"orders-prod", "orders-staging", "payments-ledger", "sessions-cache"}) || selectedID(hs.m) != "payments-ledger" {
		t.Fatalf("by identifier: %v, cursor on %s", got, selectedID(hs.m))
	}
	if !strings.Contains(hs.screen(), "IDENTIFIER ▲") {
		t.Fatal("no indicator")
	}
	hs.press("o") // by status: equal statuses keep the listing's order
	if got := ids(hs.m); !slices.Equal(got[:4], []string{"orders-prod", "orders-staging", "Reporting-OLAP", "payments-ledger"}) {
		t.Fatalf("by status: %v", got)
	}
	hs.press("O") // reversed: the key only, ties still in the listing's order
	if got := ids(hs.m); !slices.Equal(got, []string{"legacy-catalog", "inventory-search-analytics-eu-replica", "sessions-cache",
		"payments-ledger", "orders-prod", "orders-staging", "Reporting-OLAP"}) || selectedID(hs.m) != "payments-ledger" {
		t.Fatalf("by status, reversed: %v, cursor on %s", got, selectedID(hs.m))
	}
	if !strings.Contains(hs.screen(), "STATUS ▼") {
		t.Fatal("no reversed indicator")
	}
	hs.press("o", "o") // engine, then instances (still reversed)
	if got := ids(hs.m); got[0] != "orders-prod" {
		t.Fatalf("by instances, reversed: %v", got)
	}
	// Sorted and filtered together.
	hs.press("/")
	hs.typeText("orders")
	hs.press("enter")
	if got := ids(hs.m); !slices.Equal(got, []string{"orders-prod", "orders-staging"}) {
		t.Fatalf("filtered sorted: %v", got)
	}
	hs.press("esc", "o", "o", "o") // encrypted, created, back to as listed
	if hs.m.list.sortCol != noSort || !slices.Equal(ids(hs.m), ids(newHarness(t, populated(), 100, 20).m)) {
		t.Fatalf("as listed: %v (sort %d)", ids(hs.m), hs.m.list.sortCol)
	}
	if compareVersions("10.0.0", "8.0.0") <= 0 || compareVersions("5.0.0", "5.0.0") != 0 || compareVersions("5.0", "5.0.1") >= 0 {
		t.Fatal("compareVersions")
	}
}

// Pages merged into a sorted list as they arrive end up as one sort of
// everything would put them.
func TestSortMergesPages(t *testing.T) {
	f := manyClusters(500)
	f.pageSize = 37
	hs := newHarness(t, f, 100, 20)
	hs.press("o", "o", "O") // by status, reversed: many ties, kept in the listing's order
	hs.press("r")           // a refresh: replaced, sorted once
	want := ids(hs.m)
	// A listing that arrives while sorted: merged page by page.
	l := &hs.m.list
	rows := slices.Clone(l.rows)
	l.rows = l.rows[:0]
	l.order.Unsort()
	l.index.Reset()
	for i := 0; i < len(rows); i += 37 {
		l.add(rows[i:min(i+37, len(rows))])
	}
	got := ids(hs.m)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("merged order differs from the sorted one at %d: %s, want %s", i, got[i], want[i])
		}
	}
	if want[0] != "team-04-orders-000004-prod" || want[1] != "team-10-orders-000010-prod" {
		t.Fatalf("by status reversed starts %v", want[:2]) // stopped first, in the listing's order
	}
}

func TestFilterSyntaxAndLazyTags(t *testing.T) {
	f := populated()
	hs := newHarness(t, f, 100, 20)
	hs.press("/")
	hs.typeText("status:available")
	if got := ids(hs.m); !slices.Equal(got, []string{"orders-prod", "orders-staging", "Reporting-OLAP"}) || f.Calls("ListTagsForResource") != 0 {
		t.Fatalf("status: %v, %d tag calls", got, f.Calls("ListTagsForResource"))
	}
	hs.typeText(" tag:team=pay")
	if got := ids(hs.m); !slices.Equal(got, []string{"orders-prod"}) {
		t.Fatalf("tag: %v", got)
	}
	if n := f.Calls("ListTagsForResource"); n != 3 {
		t.Fatalf("%d tag calls: want one for each of the 3 clusters the other terms left", n)
	}
	hs.press("esc", "/")
	hs.typeText("!tag:env")
	if got := ids(hs.m); len(got) != 6 || slices.Contains(got, "orders-prod") {
		t.Fatalf("!tag:env: %v", got)
	}
	if n := f.Calls("ListTagsForResource"); n != 7 {
		t.Fatalf("%d tag calls: tags once fetched are kept", n)
	}
	hs.press("esc", "/")
	hs.typeText("engine:4 !status:back")
	if got := ids(hs.m); !slices.Equal(got, []string{"sessions-cache"}) {
		t.Fatalf("engine and negated status: %v", got)
	}
	hs.press("esc", "/")
	hs.typeText("colour:red")
	if !strings.Contains(hs.screen(), `No cluster matches "colour:red"`) {
		t.Fatal("an unknown field matches nothing")
	}
	hs.press("enter")
	if !strings.Contains(hs.screen(), `unknown field "colour"`) {
		t.Fatalf("the filter line does not say how it read the field:\n%s", hs.screen())
	}

	// Tags that cannot be listed: said, and the fetching stops.
	f = populated()
	f.tagsErr = &awsclient.Error{Kind: awsclient.KindAccessDenied, Op: "list tags", Code: "AccessDenied"}
	hs = newHarness(t, f, 100, 20)
	hs.press("/")
	hs.typeText("tag:team")
	hs.press("enter")
	if !strings.Contains(hs.screen(), "tags: Access denied") || f.Calls("ListTagsForResource") != 7 {
		t.Fatalf("%d calls:\n%s", f.Calls("ListTagsForResource"), hs.screen())
	}
	f.mu.Lock()
	f.tagsErr = nil
	f.mu.Unlock()
	hs.press("r")
	if got := ids(hs.m); !slices.Equal(got, []string{"orders-prod"}) || f.Calls("ListTagsForResource") != 14 || strings.Contains(hs.screen(), "Access denied") {
		t.Fatalf("%d calls:\n%s", f.Calls("ListTagsForResource"), hs.screen())
	}
}

func TestReadOnlyEnforced(t *testing.T) {
	f := populated()
	hs := newHarness(t, f, 100, 20, func(c *Config) { c.ReadOnly = "docsnap runs with --read-only." })
	hs.press("s")
	scr := hs.screen()
	if hs.m.screen != screenClusters || !strings.Contains(scr, "docsnap runs with --read-only.") || !strings.Contains(scr, "docsnap READ-ONLY · profile ops") {
		t.Fatalf("s in read-only:\n%s", scr)
	}
	if strings.Contains(scr, "s snapshot") {
		t.Fatal("the help offers a snapshot")
	}
	hs.press("enter")
	if strings.Contains(hs.screen(), "s snapshot") || strings.Contains(hs.screen(), "press s") {
		t.Fatal("the cluster screen offers a snapshot")
	}
	hs.press("s")
	if hs.m.screen != screenCluster {
		t.Fatal("s opened the form from the cluster screen")
	}
	// Below the screens: a confirmation forced open still sends nothing.
	r, _ := hs.m.list.selected()
	hs.m.flow.form = form.New(r.id, r.c.Status, "forced", form.Keys{})
	hs.m.flow.row = *r
	hs.m.flow.guard.set(false, "")
	hs.m.screen, hs.m.flow.stage = screenSnapshot, stageConfirm
	hs.press("enter")
	if n := f.createCount(); n != 0 {
		t.Fatalf("%d CreateDBClusterSnapshot calls reached the client", n)
	}
	if !awsclient.IsReadOnly(r.sc.client) || hs.m.flow.createErr == nil || !strings.Contains(hs.screen(), "docsnap runs with --read-only.") {
		t.Fatalf("the refusal is not shown:\n%s", hs.screen())
	}

	// A read-only profile, by pattern; another profile may write.
	prod := regionFake("prod-eu", "eu-west-1", "p1")
	ops := regionFake("ops", "eu-west-1", "o1")
	acc := &accounts{clients: map[[2]string]*fakeClient{{"ops", "eu-west-1"}: ops}}
	hs = newHarness(t, prod, 100, 20, withConnect(acc), func(c *Config) { c.ReadOnlyProfiles = []string{"prod*"} })
	hs.press("s")
	if hs.m.screen != screenClusters || !strings.Contains(hs.screen(), "The profile prod-eu is read-only (read-only-profiles prod*") {
		t.Fatalf("read-only profile:\n%s", hs.screen())
	}
	hs.press(":")
	hs.typeText("profile ops")
	hs.press("enter", "s", "enter", "enter")
	if ops.createCount() != 1 || strings.Contains(hs.screen(), "READ-ONLY") {
		t.Fatalf("ops may write: %d creates\n%s", ops.createCount(), hs.screen())
	}
}

func TestProtectedNeedsTheNameTyped(t *testing.T) {
	f := populated()
	hs := newHarness(t, f, 100, 30, func(c *Config) { c.Protect = []string{"orders-*"} })
	hs.press("s", "enter")
	if !hs.m.flow.guard.typing() || !strings.Contains(hs.screen(), "orders-prod is protected: it matches the pattern orders-* (--protect)") {
		t.Fatalf("not asked:\n%s", hs.screen())
	}
	hs.press("enter")
	hs.typeText("orders-pro")
	hs.press("enter")
	if f.createCount() != 0 {
		t.Fatal("sent before the name was typed")
	}
	hs.typeText("dj") // j and k type, they do not scroll
	if hs.m.flow.guard.input.Value() != "orders-prodj" {
		t.Fatalf("typed %q", hs.m.flow.guard.input.Value())
	}
	hs.press("backspace", "enter")
	if f.createCount() != 1 || hs.m.screen != screenProgress {
		t.Fatalf("%d creates, screen %d", f.createCount(), hs.m.screen)
	}

	// By tag: the default tag, on a cluster whose tags are read when the
	// form opens; another cluster is not protected.
	f = populated()
	f.tags["arn:aws:rds:us-east-1:123456789012:cluster:orders-staging"] = []awsclient.Tag{{Key: "docsnap:protected", Value: "True"}}
	hs = newHarness(t, f, 100, 30)
	hs.press("j", "s", "enter", "enter")
	if f.createCount() != 0 || !strings.Contains(hs.screen(), "it has the tag docsnap:protected=true") {
		t.Fatalf("by tag:\n%s", hs.screen())
	}
	hs.press("esc", "esc", "k", "s", "enter", "enter")
	if f.createCount() != 1 {
		t.Fatal("an unprotected cluster asked for its name")
	}

	// Tags that cannot be read: protected, to be safe.
	f = populated()
	f.tagsErr = &awsclient.Error{Kind: awsclient.KindThrottled, Op: "list tags"}
	hs = newHarness(t, f, 100, 30, func(c *Config) { c.ProtectTag = &awsclient.Tag{Key: "tier"} })
	hs.press("s", "enter")
	if !hs.m.flow.guard.typing() || !strings.Contains(hs.screen(), "its tags could not be read to tell") {
		t.Fatalf("tags failing:\n%s", hs.screen())
	}

	// Enter pressed while the tags are still being read: sent once they say
	// the cluster is not protected, and once only.
	f = populated()
	hs = newHarness(t, f, 100, 30)
	_, check := hs.m.Update(keyMsg("s")) // the tag lookup, held
	hs.press("enter", "enter", "enter")
	if f.createCount() != 0 || !strings.Contains(hs.screen(), "Sending once the check is done") {
		t.Fatalf("sent before the check:\n%s", hs.screen())
	}
	hs.run(check)
	if f.createCount() != 1 || hs.m.screen != screenProgress {
		t.Fatalf("%d creates after the check", f.createCount())
	}
}

func TestSnapshotsNotStartedHereAreFollowed(t *testing.T) {
	f := populated()
	creating := awsclient.Snapshot{ID: "rds:payments-ledger-2024-05-01-12-00", ClusterID: "payments-ledger", Status: "creating",
		Type: "automated", PercentProgress: 30, Created: t0.Add(-4 * time.Minute)}
	f.describe[creating.ID] = creating
	hs := newHarness(t, f, 100, 20)
	// payments-ledger is backing-up: one listing of its snapshots, no more.
	if n := f.Calls("DescribeDBClusterSnapshots"); n != 1 {
		t.Fatalf("%d snapshot listings after the cluster listing", n)
	}
	if !strings.Contains(hs.screen(), "Tracking: rds:payments-ledger-2024-05-01-12-00 30%") {
		t.Fatalf("not in the footer:\n%s", hs.screen())
	}
	hs.press("r") // already followed: not listed again
	if n := f.Calls("DescribeDBClusterSnapshots"); n != 1 {
		t.Fatalf("%d listings after a refresh", n)
	}
	f.setProgress(creating.ID, "creating", 64)
	hs.polls()
	if !strings.Contains(hs.screen(), "64%") {
		t.Fatal("its progress does not move")
	}
	// Not docsnap's: quitting does not ask, the exit report leaves it out.
	hs.press("q")
	if hs.m.quitAsk || hs.m.ExitReport() != "" || len(hs.m.InFlight()) != 0 {
		t.Fatal("a snapshot docsnap did not start holds up quitting")
	}

	// The cluster screen follows those it lists.
	hs = newHarness(t, populated(), 100, 24)
	hs.press("enter")
	if _, s, ok := hs.m.tracked("orders-prod-hourly-check"); !ok || s.Percent != 42 {
		t.Fatal("the creating snapshot of the cluster screen is not followed")
	}

	// At most discoverMax backing-up clusters a listing.
	f = newFake()
	for i := range 12 {
		f.clusters = append(f.clusters, awsclient.Cluster{ID: "busy-" + itoa(i), Engine: "docdb", Status: "backing-up"})
	}
	newHarness(t, f, 100, 20)
	if n := f.Calls("DescribeDBClusterSnapshots"); n != discoverMax {
		t.Fatalf("%d listings for 12 clusters backing up", n)
	}
}

func TestWatch(t *testing.T) {
	us := regionFake("", "us-east-1", "a")
	eu := regionFake("", "eu-west-1", "b")
	eu.describe["b-manual"] = awsclient.Snapshot{ID: "b-manual", ClusterID: "b", Status: "creating", PercentProgress: 12,
		ARN: "arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:b-manual", Created: t0.Add(-time.Minute)}
	hs := newHarness(t, us, 100, 20, func(c *Config) { c.Clients = []awsclient.Client{us, eu}; c.Watch = "b-manual" })
	scr := hs.screen()
	if hs.m.screen != screenProgress || !strings.Contains(scr, "of cluster b in eu-west-1 · not started by this docsnap") ||
		!strings.Contains(scr, "12%") || !strings.Contains(scr, "elapsed 1m00s") {
		t.Fatalf("watch:\n%s", scr)
	}
	eu.setProgress("b-manual", "available", 100)
	hs.polls()
	if !strings.Contains(hs.screen(), "The snapshot is available") {
		t.Fatalf("finished:\n%s", hs.screen())
	}

	hs = newHarness(t, us, 100, 20, func(c *Config) { c.Clients = []awsclient.Client{us, eu}; c.Watch = "nope" })
	if scr := hs.screen(); !strings.Contains(scr, "Could not watch snapshot nope: no region knows it") || !strings.Contains(scr, "eu-west-1: The snapshot was not found.") {
		t.Fatalf("not found:\n%s", scr)
	}
	eu.describe["nope"] = awsclient.Snapshot{ID: "nope", ClusterID: "b", Status: "creating"}
	hs.press("r") // look again
	if _, ok := hs.m.progress.snap(); !ok {
		t.Fatal("r did not look again")
	}
	hs.press("esc")
	if hs.m.screen != screenClusters {
		t.Fatal("esc does not reach the list")
	}
}

func TestCommandLine(t *testing.T) {
	hs := newHarness(t, populated(), 100, 20, withConnect(&accounts{}, awsclient.Profile{Name: "dev"}, awsclient.Profile{Name: "dev-admin"}))
	hs.press(":")
	hs.typeText("re")
	hs.press("tab")
	if v := hs.m.cmdline.input.Value(); v != "region " {
		t.Fatalf("completed %q", v)
	}
	hs.typeText("eu-w")
	hs.press("tab")
	if v := hs.m.cmdline.input.Value(); v != "region eu-west-" || !strings.Contains(hs.screen(), "eu-west-1  eu-west-2  eu-west-3") {
		t.Fatalf("completed %q:\n%s", v, hs.screen())
	}
	hs.press("esc")
	hs.press(":")
	hs.typeText("prof d")
	hs.press("tab")
	if v := hs.m.cmdline.input.Value(); v != "prof dev" {
		t.Fatalf("profile completion %q", v)
	}
	hs.press("esc", ":")
	hs.typeText("sort st")
	hs.press("tab")
	hs.typeText(" d")
	hs.press("tab", "enter")
	if hs.m.list.sortCol == noSort || clusterColumns[hs.m.list.sortCol].name != "status" || !hs.m.list.sortDesc {
		t.Fatalf("sort: %d %v", hs.m.list.sortCol, hs.m.list.sortDesc)
	}
	hs.press(":")
	hs.typeText("filter status:stopped")
	hs.press("enter")
	if got := ids(hs.m); !slices.Equal(got, []string{"legacy-catalog"}) || hs.m.list.filtering {
		t.Fatalf("filter: %v", got)
	}
	hs.press(":")
	hs.typeText("explode")
	hs.press("enter")
	if !strings.Contains(hs.screen(), `Unknown command "explode"`) {
		t.Fatal("unknown command not said")
	}
	_, cmd := hs.m.Update(keyMsg(":"))
	hs.run(cmd)
	hs.typeText("q")
	_, cmd = hs.m.Update(keyMsg("enter"))
	if msgs := expand(cmd); len(msgs) != 1 || msgs[0] != (quitSeen{}) {
		t.Fatalf(":q did not quit: %v", msgs)
	}
}

// The footer of a window too short for the command line and its hint
// still fits.
func TestCommandLineFits(t *testing.T) {
	hs := newHarness(t, populated(), 30, 6, withConnect(&accounts{}))
	hs.press(":")
	hs.typeText("region eu-west-1,ap-southeast-1,us-east-1")
	v := hs.m.View()
	checkFrame(t, v.Content, 30, 6)
	if v.Cursor == nil || v.Cursor.Y != 5 || v.Cursor.X >= 30 {
		t.Fatalf("cursor %+v", v.Cursor)
	}
	hs.send(tea.WindowSizeMsg{Width: 20, Height: 5})
	checkFrame(t, hs.m.View().Content, 20, 5)
}

// The new screens fit every size, and a model left alone schedules
// nothing once its lookups are answered (idle writes nothing).
func TestOperatorScreensFitAndGoIdle(t *testing.T) {
	us := regionFake("ops", "us-east-1", "orders-prod-use1")
	eu := regionFake("ops", "eu-west-1")
	eu.listErr = &awsclient.Error{Kind: awsclient.KindAccessDenied, Op: "list clusters"}
	acc := &accounts{clients: map[[2]string]*fakeClient{{"ops", "us-east-1"}: us}}
	hs := newHarness(t, us, 100, 24, withConnect(acc, awsclient.Profile{Name: "ops"}), func(c *Config) {
		c.Clients = []awsclient.Client{us, eu}
		c.Protect = []string{"*"}
	})
	states := []func(){
		func() {},                          // two regions, one failed
		func() { hs.press("P") },           // the profile picker
		func() { hs.press("esc", "R") },    // the region picker
		func() { hs.press("esc", ":") },    // the command line
		func() { hs.typeText("region e") }, // ...with completions
		func() { hs.press("esc", "s", "enter"); hs.typeText("orders") }, // a protected confirmation
	}
	fitsEverySize(t, hs, states)
	// Idle: the spinner's ticks stop once nothing loads.
	hs = newHarness(t, us, 100, 24, withConnect(acc, awsclient.Profile{Name: "ops"}))
	_, load := hs.m.Update(keyMsg("P")) // the profiles arrive after the picker closed
	hs.press("esc")
	hs.run(load)
	hs.spinDown()
	hs.press("j", "o", "O", ":", "esc")
	if n := len(hs.timer.got); n != 0 || hs.m.busy() {
		t.Fatalf("idle model scheduled %d timers (busy %v)", n, hs.m.busy())
	}
}

// A switch that lands while the user fills in the form leaves the form
// alone: the snapshot goes where the form says (the old scope).
func TestSwitchLandingDuringTheForm(t *testing.T) {
	ops := regionFake("ops", "us-east-1", "ops-a")
	dev := regionFake("dev", "us-east-1", "dev-a")
	acc := &accounts{clients: map[[2]string]*fakeClient{{"dev", "us-east-1"}: dev}}
	hs := newHarness(t, ops, 100, 24, withConnect(acc))
	hs.press(":")
	hs.typeText("profile dev")
	_, connect := hs.m.Update(keyMsg("enter")) // connecting, held
	if !strings.Contains(hs.screen(), "switching to profile dev") {
		t.Fatalf("no sign of the switch:\n%s", hs.screen())
	}
	hs.press("s")
	hs.run(connect)
	if !showing(hs.m, stageForm) || !slices.Equal(ids(hs.m), []string{"dev-a"}) {
		t.Fatalf("screen %d, rows %v", hs.m.screen, ids(hs.m))
	}
	hs.press("enter", "enter")
	if ops.createCount() != 1 || dev.createCount() != 0 {
		t.Fatalf("creates: ops %d, dev %d", ops.createCount(), dev.createCount())
	}
}
