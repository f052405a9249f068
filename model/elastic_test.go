package model

import (
	"strings"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// elasticARN is the ARN of a fake elastic cluster.
func elasticARN(name string) string {
	return "arn:aws:docdb-elastic:us-east-1:123456789012:cluster/" + name + "-0b1c2d3e"
}

// populateElastic adds three elastic clusters to the fake: listed with
// name, ARN and status only, described in full by ARN; one has snapshots
// and tags.
func populateElastic(f *fakeClient) {
	mk := func(name, status string, shards, capacity int) awsclient.Cluster {
		arn := elasticARN(name)
		f.elasticDetails[arn] = awsclient.Cluster{ID: name, ARN: arn, Type: awsclient.TypeElastic, Status: status,
			Endpoint: name + "-123456789012.us-east-1.docdb-elastic.amazonaws.com", ShardCount: shards, ShardCapacity: capacity,
			ShardInstanceCount: 2, AuthType: "PLAIN_TEXT", AdminUser: "docdbadmin", KMSKeyID: "arn:aws:kms:us-east-1:123456789012:key/1a2b3c4d",
			BackupRetentionDays: 7, BackupWindow: "05:00-05:30", MaintenanceWindow: "sun:06:00-sun:06:30",
			Created: t0.Add(-60 * 24 * time.Hour), Detailed: true}
		return awsclient.Cluster{ID: name, ARN: arn, Type: awsclient.TypeElastic, Status: status}
	}
	f.elastic = []awsclient.Cluster{
		mk("catalog-elastic", "ACTIVE", 2, 4),
		mk("events-sharded", "UPDATING", 4, 8),
		mk("clickstream", "CREATING", 1, 2),
	}
	arn := elasticARN("catalog-elastic")
	f.snapshots[arn] = []awsclient.Snapshot{
		{ID: "catalog-nightly-0430", ARN: arn + ":snap-1", ClusterID: arn, ClusterARN: arn, ClusterType: awsclient.TypeElastic,
			Status: "ACTIVE", Type: awsclient.SnapshotAutomated, Created: t0.Add(-29 * time.Hour)},
		{ID: "catalog-nightly-0501", ARN: arn + ":snap-2", ClusterID: arn, ClusterARN: arn, ClusterType: awsclient.TypeElastic,
			Status: "ACTIVE", Type: awsclient.SnapshotAutomated, Created: t0.Add(-5 * time.Hour)},
		{ID: "before-reshard", ARN: arn + ":snap-3", ClusterID: arn, ClusterARN: arn, ClusterType: awsclient.TypeElastic,
			Status: "ACTIVE", Type: awsclient.SnapshotManual, Created: t0.Add(-72 * time.Hour)},
	}
	f.tags[arn] = []awsclient.Tag{{Key: "env", Value: "prod"}, {Key: "team", Value: "catalog"}}
}

func mixed() *fakeClient {
	f := populated()
	populateElastic(f)
	return f
}

// detailed waits until the elastic rows on screen have their shards.
func (a *app) detailed() {
	a.t.Helper()
	a.await("elastic details", func(m *Model) bool {
		from, to := m.list.cur.Visible()
		for i := from; i < to; i++ {
			if r := m.list.at(i); kindOf(&r.c) == awsclient.TypeElastic && !r.c.Detailed {
				return false
			}
		}
		return !m.list.detailBusy
	})
}

func TestGoldenElastic(t *testing.T) {
	t.Run("mixed_list", func(t *testing.T) {
		a := start(t, mixed(), 110, 16)
		a.loaded()
		a.detailed()
		a.press("j", "j")
		goldenView(t, a.final())
	})
	t.Run("cluster", func(t *testing.T) {
		a := start(t, mixed(), 100, 26)
		a.loaded()
		a.press("/")
		a.typeText("type:elastic")
		a.press("enter", "enter")
		a.await("details loaded", func(m *Model) bool { return m.screen == screenCluster && !m.detail.loading() })
		goldenView(t, a.final())
	})
	t.Run("form_live_error", func(t *testing.T) {
		a := start(t, mixed(), 100, 24)
		a.loaded()
		a.press("/")
		a.typeText("catalog-elastic")
		a.press("enter", "s")
		a.await("form open", func(m *Model) bool { return showing(m, stageForm) && m.flow.guard.known })
		a.press("tab")
		a.typeText("aws:team") // reserved
		a.press("tab")
		a.typeText("catalog")
		a.await("typed", func(m *Model) bool { return m.flow.form.Rows()[0].Value.Value() == "catalog" })
		goldenView(t, a.final())
	})
	t.Run("confirm", func(t *testing.T) {
		a := start(t, mixed(), 100, 24)
		a.loaded()
		a.press("/")
		a.typeText("catalog-elastic")
		a.press("enter", "s")
		a.await("form open", func(m *Model) bool { return showing(m, stageForm) && m.flow.guard.known })
		a.press("tab")
		a.typeText("team")
		a.press("tab")
		a.typeText("catalog")
		a.press("enter")
		a.await("confirming", func(m *Model) bool { return showing(m, stageConfirm) })
		goldenView(t, a.final())
	})
}

// TestElasticRefusedByIAMLeavesInstanceClustersListed: a policy without
// the docdb-elastic actions (AccessDeniedException on ListClusters) lists
// the instance-based clusters all the same, with one line naming the
// refused action.
func TestElasticRefusedByIAMLeavesInstanceClustersListed(t *testing.T) {
	f := mixed()
	f.elasticErr = &awsclient.Error{Kind: awsclient.KindAccessDenied, Op: "list elastic clusters", Code: "AccessDeniedException",
		Message: "User: arn:aws:iam::123456789012:user/ops is not authorized to perform: docdb-elastic:ListClusters"}
	a := start(t, f, 120, 20)
	a.loaded()
	m := a.final()
	if m.list.err != nil || len(m.list.rows) != len(fleet()) {
		t.Fatalf("err %v, %d rows: want the %d instance-based clusters listed", m.list.err, len(m.list.rows), len(fleet()))
	}
	scr := view(t, m)
	if !strings.Contains(scr, "orders-prod") || strings.Contains(scr, "catalog-elastic") {
		t.Fatalf("the list:\n%s", scr)
	}
	if n := strings.Count(scr, "docdb-elastic:ListClusters was refused"); n != 1 {
		t.Fatalf("%d lines name the refused action, want 1:\n%s", n, scr)
	}
}

// TestElasticRowsDetailedOnScreenOnly: GetCluster is called for the
// elastic rows shown, not for those scrolled out of the window.
func TestElasticRowsDetailedOnScreenOnly(t *testing.T) {
	f := newFake()
	populateElastic(f)
	for i := range 30 {
		name := "shard-" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		arn := elasticARN(name)
		f.elastic = append(f.elastic, awsclient.Cluster{ID: name, ARN: arn, Type: awsclient.TypeElastic, Status: "ACTIVE"})
		f.elasticDetails[arn] = awsclient.Cluster{ID: name, ARN: arn, ShardCount: 2, ShardCapacity: 2, Detailed: true}
	}
	a := start(t, f, 100, 12)
	a.loaded()
	a.detailed()
	m := a.final()
	from, to := m.list.cur.Visible()
	shown := to - from
	if n := f.Calls("GetCluster"); n == 0 || n > shown {
		t.Fatalf("%d GetCluster calls for %d rows shown of %d", n, shown, len(f.elastic))
	}
	if !strings.Contains(view(t, m), "2 x 4 vCPU") {
		t.Fatalf("no shards shown:\n%s", view(t, m))
	}
}

// createdElastic takes a snapshot of catalog-elastic named name through
// the form, and returns on the progress screen with its ARN.
func createdElastic(t *testing.T, a *app, name string) string {
	t.Helper()
	a.press("/", "ctrl+u")
	a.typeText("catalog-elastic")
	a.press("enter", "s")
	a.await("form open", func(m *Model) bool { return showing(m, stageForm) && m.flow.guard.known })
	a.press("ctrl+u")
	a.typeText(name)
	a.press("enter", "enter")
	a.await("progress", func(m *Model) bool { return m.screen == screenProgress })
	return "arn:aws:docdb-elastic:us-east-1:123456789012:cluster-snapshot/" + name
}

// pollElastic delivers the polls the model scheduled and waits for their
// GetClusterSnapshot answers.
func (a *app) pollElastic() {
	a.t.Helper()
	polls := take[pollMsg](a.timer)
	if len(polls) == 0 {
		a.t.Fatal("no poll scheduled")
	}
	before := a.fake.Calls("GetClusterSnapshot") + a.fake.Calls("ListClusterSnapshots")
	for _, p := range polls {
		a.tm.Send(p)
	}
	a.await("polled", func(m *Model) bool {
		return a.fake.Calls("GetClusterSnapshot")+a.fake.Calls("ListClusterSnapshots") > before && !m.calling()
	})
}

func TestGoldenElasticProgress(t *testing.T) {
	t.Run("indeterminate", func(t *testing.T) {
		a := start(t, mixed(), 100, 20)
		a.loaded()
		createdElastic(t, a, "catalog-pre-deploy")
		a.clock.Advance(20 * time.Second)
		a.pollElastic()
		a.clock.Advance(7 * time.Second)
		goldenView(t, a.final())
	})
	// A second snapshot of the same cluster is estimated from the first,
	// which docsnap saw from CREATING to ACTIVE.
	t.Run("estimated", func(t *testing.T) {
		a := start(t, mixed(), 100, 20)
		a.loaded()
		first := createdElastic(t, a, "catalog-first")
		a.clock.Advance(3 * time.Minute)
		a.fake.setProgress(first, "ACTIVE", 0)
		a.pollElastic()
		a.await("first done", func(m *Model) bool {
			_, s, ok := m.tracked("catalog-first")
			return ok && s.Done()
		})
		a.press("esc")
		createdElastic(t, a, "catalog-second")
		a.clock.Advance(time.Minute)
		goldenView(t, a.final())
	})
}

// TestElasticSnapshotFollowedToActive: an elastic snapshot is polled
// through GetClusterSnapshot by its ARN until ACTIVE, which is available.
func TestElasticSnapshotFollowedToActive(t *testing.T) {
	f := mixed()
	a := start(t, f, 100, 20)
	a.loaded()
	arn := createdElastic(t, a, "catalog-pre-deploy")
	if n := f.Calls("CreateClusterSnapshot"); n != 1 || f.Calls("CreateDBClusterSnapshot") != 0 {
		t.Fatalf("%d elastic creates, %d docdb ones", n, f.Calls("CreateDBClusterSnapshot"))
	}
	a.clock.Advance(40 * time.Second)
	f.setProgress(arn, "ACTIVE", 0)
	a.pollElastic()
	m := a.final()
	scr := view(t, m)
	if !strings.Contains(scr, "The snapshot is available.") || f.Calls("GetClusterSnapshot") == 0 {
		t.Fatalf("%d GetClusterSnapshot calls; the screen:\n%s", f.Calls("GetClusterSnapshot"), scr)
	}
}

// TestElasticThroughTheSDK: the demo fleet through the real SDK and the
// local endpoint: the elastic clusters are listed with the others, their
// shards filled in, and a snapshot of one is created through the
// docdb-elastic API and followed, without a percent, to ACTIVE.
func TestElasticThroughTheSDK(t *testing.T) {
	s := newStack(t, emulator.DemoFleet(), stackOpts{emulator: emulator.Options{SnapshotDuration: time.Minute}})
	s.loaded()
	s.await("shards shown", func(m *Model) bool {
		scr := ansiFree(m)
		return len(m.list.rows) == 16 && strings.Contains(scr, "4 x 8 vCPU") && strings.Contains(scr, "elastic")
	})
	s.press("/")
	s.typeText("events-elastic-prod")
	s.press("enter", "s")
	s.await("form open", func(m *Model) bool { return showing(m, stageForm) && m.flow.guard.known })
	s.press("enter", "enter")
	s.await("progress", func(m *Model) bool { return m.screen == screenProgress })
	if n := s.world.Calls("elastic:CreateClusterSnapshot"); n != 1 {
		t.Fatalf("%d elastic creates", n)
	}
	s.await("no percent shown", func(m *Model) bool { return strings.Contains(ansiFree(m), "no percent") })
	for range 40 {
		polls := due[pollMsg](s.timer)
		if len(polls) == 0 {
			break
		}
		s.clock.Advance(polls[0].d)
		for _, p := range polls {
			s.tm.Send(p.msg)
		}
		s.await("polled", func(m *Model) bool { return !m.calling() })
	}
	s.await("ACTIVE", func(m *Model) bool { return strings.Contains(ansiFree(m), "The snapshot is available.") })
}
