package model

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
)

// The golden files hold the frames of each screen and state, as plain text
// (testdata/TestGolden/*.golden; go test ./model -update rewrites them).
// A few hold the escape sequences too (TestGoldenColour).

func TestGolden(t *testing.T) {
	t.Run("loading", func(t *testing.T) {
		f := newFake()
		populate(f)
		f.block = make(chan struct{})
		a := start(t, f, 100, 16)
		a.await("first listing started", func(m *Model) bool { return m.list.loading && m.width > 0 })
		m := a.final()
		close(f.block)
		goldenView(t, m)
	})
	t.Run("loading_pages", func(t *testing.T) {
		f := newFake()
		populate(f)
		f.pageSize = 3
		f.block, f.blockAfter = make(chan struct{}), 1 // the first page arrives, the second waits
		a := start(t, f, 100, 16)
		a.await("first page shown", func(m *Model) bool { return len(m.list.rows) == 3 && m.list.loading && m.width > 0 })
		m := a.final()
		close(f.block)
		goldenView(t, m)
	})
	t.Run("list", func(t *testing.T) {
		a := start(t, populated(), 100, 16)
		a.loaded()
		a.press("j", "j")
		goldenView(t, a.final())
	})
	t.Run("filtered", func(t *testing.T) {
		a := start(t, populated(), 100, 16)
		a.loaded()
		a.press("/")
		a.typeText("ORD")
		a.await("filtered", func(m *Model) bool { return m.list.filter.Text() == "ORD" })
		goldenView(t, a.final())
	})
	t.Run("filter_kept", func(t *testing.T) {
		a := start(t, populated(), 100, 16)
		a.loaded()
		a.press("/")
		a.typeText("orders")
		a.press("enter", "j")
		a.await("filter kept", func(m *Model) bool { return !m.list.filtering && m.list.filter.Active() && m.list.cur.Pos() == 1 })
		goldenView(t, a.final())
	})
	t.Run("filter_no_match", func(t *testing.T) {
		a := start(t, populated(), 100, 16)
		a.loaded()
		a.press("/")
		a.typeText("zzz")
		a.await("filtered", func(m *Model) bool { return m.list.filter.Text() == "zzz" })
		goldenView(t, a.final())
	})
	t.Run("empty", func(t *testing.T) {
		a := start(t, newFake(), 100, 16)
		a.loaded()
		goldenView(t, a.final())
	})
	t.Run("error", func(t *testing.T) {
		f := populated()
		f.listErr = &awsclient.Error{Kind: awsclient.KindAccessDenied, Op: "list clusters", Code: "AccessDenied",
			RequestID: "7f9c3a52-0d5e-4a8b-9f1e-2b6c8d4e5a10", Message: "User: arn:aws:iam::123456789012:user/ops is not authorized to perform: rds:DescribeDBClusters"}
		a := start(t, f, 100, 16)
		a.await("error shown", func(m *Model) bool { return m.list.err != nil })
		goldenView(t, a.final())
	})
	t.Run("cluster", func(t *testing.T) {
		a := start(t, populated(), 100, 24)
		a.loaded()
		a.press("enter")
		a.await("details loaded", func(m *Model) bool { return m.screen == screenCluster && !m.detail.loading() })
		goldenView(t, a.final())
	})
	t.Run("cluster_narrow_tags_wrapped", func(t *testing.T) {
		a := start(t, populated(), 34, 30)
		a.loaded()
		a.press("enter")
		a.await("details loaded", func(m *Model) bool { return m.screen == screenCluster && !m.detail.loading() })
		goldenView(t, a.final())
	})
	t.Run("form_valid", func(t *testing.T) {
		a := openForm(t, populated(), 100, 24)
		goldenView(t, a.final())
	})
	for _, c := range []struct{ name, id string }{
		{"id_empty", ""},
		{"id_starts_with_digit", "1orders"},
		{"id_bad_character", "orders_prod"},
		{"id_double_hyphen", "orders--prod"},
		{"id_trailing_hyphen", "orders-prod-"},
		{"id_too_long", strings.Repeat("a", 256)},
		{"id_upper_case", "Orders-Prod-Before-Upgrade"},
	} {
		t.Run("form_"+c.name, func(t *testing.T) {
			a := openForm(t, populated(), 100, 24)
			a.press("ctrl+u") // clear the field
			a.typeText(c.id)
			a.await("typed", func(m *Model) bool { return m.flow.form.ID().Value() == c.id })
			goldenView(t, a.final())
		})
	}
	for _, c := range []struct{ name, key, value string }{
		{"tag_key_missing", "", "payments"},
		{"tag_key_reserved", "aws:team", "payments"},
		{"tag_value_bad_character", "team", "pay<ments>"},
		{"tag_value_too_long", "team", strings.Repeat("v", 257)},
		{"tag_key_duplicate", "team", "x"},
	} {
		t.Run("form_"+c.name, func(t *testing.T) {
			a := openForm(t, populated(), 100, 24)
			if c.name == "tag_key_duplicate" {
				a.press("tab")
				a.typeText("team")
				a.press("tab")
				a.typeText("payments")
				a.press("ctrl+n")
			} else {
				a.press("tab")
			}
			a.typeText(c.key)
			a.press("tab")
			a.typeText(c.value)
			a.await("typed", func(m *Model) bool {
				row, _ := m.flow.form.FocusedRow()
				return m.flow.form.Rows()[row].Value.Value() == c.value
			})
			goldenView(t, a.final())
		})
	}
	t.Run("form_cluster_not_available", func(t *testing.T) {
		a := start(t, populated(), 100, 24)
		a.loaded()
		a.press("j", "j", "s") // payments-ledger is backing-up
		a.await("form open, protection known", func(m *Model) bool { return showing(m, stageForm) && m.flow.guard.known })
		goldenView(t, a.final())
	})
	t.Run("form_create_failed", func(t *testing.T) {
		f := populated()
		f.createErr = &awsclient.Error{Kind: awsclient.KindQuotaExceeded, Op: "create snapshot", Code: "SnapshotQuotaExceeded",
			RequestID: "0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5"}
		a := openForm(t, f, 100, 30)
		a.press("tab")
		a.typeText("team")
		a.press("tab")
		a.typeText("payments")
		a.press("enter", "enter")
		a.await("back on the form with the error", func(m *Model) bool { return showing(m, stageForm) && m.flow.createErr != nil })
		goldenView(t, a.final())
	})
	t.Run("confirm", func(t *testing.T) {
		a := openForm(t, populated(), 100, 24)
		a.press("tab")
		a.typeText("team")
		a.press("tab")
		a.typeText("payments")
		a.press("ctrl+n")
		a.typeText("owner")
		a.press("tab")
		a.typeText("Jo Brien = ops/db")
		a.press("enter")
		a.await("confirming", func(m *Model) bool { return showing(m, stageConfirm) })
		goldenView(t, a.final())
	})
	for _, pct := range []int{0, 37, 100} {
		t.Run("progress_"+strconv.Itoa(pct), func(t *testing.T) {
			a, id := created(t, 100, 20)
			if pct > 0 {
				a.clock.Advance(15 * time.Second)
				a.fake.setProgress(id, "creating", 10)
				a.pollOnce()
				a.clock.Advance(40 * time.Second)
				status := "creating"
				if pct == 100 {
					status = "available"
				}
				a.fake.setProgress(id, status, pct)
				a.pollOnce()
			}
			a.clock.Advance(7 * time.Second)
			goldenView(t, a.final())
		})
	}
	t.Run("progress_failed", func(t *testing.T) {
		a, id := created(t, 100, 20)
		a.clock.Advance(30 * time.Second)
		a.fake.setProgress(id, "failed", 12)
		a.pollOnce()
		goldenView(t, a.final())
	})
	t.Run("progress_throttled", func(t *testing.T) {
		a, id := created(t, 100, 20)
		a.clock.Advance(20 * time.Second)
		a.fake.setProgress(id, "creating", 20)
		a.pollOnce()
		a.fake.mu.Lock()
		a.fake.descErr = &awsclient.Error{Kind: awsclient.KindThrottled, Op: "describe snapshot", Code: "Throttling",
			RequestID: "5d6e7f80-91a2-4b3c-8d4e-5f6a7b8c9d0e", Message: "Rate exceeded"}
		a.fake.mu.Unlock()
		a.clock.Advance(5 * time.Second)
		a.pollOnce()
		goldenView(t, a.final())
	})
	t.Run("footer_two_tracked", func(t *testing.T) {
		a, id := created(t, 100, 20)
		a.clock.Advance(20 * time.Second)
		a.fake.setProgress(id, "creating", 37)
		a.pollOnce()
		a.press("esc", "j", "s") // a second one, of orders-staging
		a.await("form, protection known", func(m *Model) bool { return showing(m, stageForm) && m.flow.guard.known })
		a.press("enter", "enter")
		a.await("tracking two", func(m *Model) bool { return len(m.inFlight(true)) == 2 })
		a.press("esc")
		a.await("list", func(m *Model) bool { return m.screen == screenClusters })
		goldenView(t, a.final())
	})
	t.Run("finished_notice", func(t *testing.T) {
		a, id := created(t, 100, 20)
		a.press("esc")
		a.clock.Advance(50 * time.Second)
		a.fake.setProgress(id, "available", 100)
		a.pollOnce()
		goldenView(t, a.final())
	})
	t.Run("quit_question", func(t *testing.T) {
		a, _ := created(t, 100, 20)
		a.press("q")
		a.await("asking", func(m *Model) bool { return m.quitAsk })
		goldenView(t, a.final())
	})
	t.Run("quit_question_create_on_wire", func(t *testing.T) {
		f := populated()
		f.createHold = make(chan struct{})
		a := openForm(t, f, 100, 20)
		t.Cleanup(func() { close(f.createHold) })
		a.press("enter", "enter")
		a.await("sent", func(m *Model) bool { return m.flow.submitting })
		a.press("ctrl+c")
		a.await("asking", func(m *Model) bool { return m.quitAsk })
		goldenView(t, a.final())
	})
	t.Run("help", func(t *testing.T) {
		a := start(t, populated(), 100, 16)
		a.loaded()
		a.press("?")
		a.await("help", func(m *Model) bool { return m.showHelp })
		goldenView(t, a.final())
	})
	t.Run("40x12", func(t *testing.T) {
		a := start(t, populated(), 40, 12)
		a.loaded()
		goldenView(t, a.final())
	})
	t.Run("40x12_cluster", func(t *testing.T) {
		a := start(t, populated(), 40, 12)
		a.loaded()
		a.press("enter")
		a.await("details loaded", func(m *Model) bool { return m.screen == screenCluster && !m.detail.loading() })
		goldenView(t, a.final())
	})
	t.Run("40x12_form", func(t *testing.T) {
		a := openForm(t, populated(), 40, 12)
		goldenView(t, a.final())
	})
	t.Run("40x12_confirm", func(t *testing.T) {
		a := openForm(t, populated(), 40, 12)
		a.press("enter")
		a.await("confirming", func(m *Model) bool { return showing(m, stageConfirm) })
		goldenView(t, a.final())
	})
	t.Run("40x12_progress", func(t *testing.T) {
		a, id := created(t, 40, 12)
		a.clock.Advance(20 * time.Second)
		a.fake.setProgress(id, "creating", 37)
		a.pollOnce()
		goldenView(t, a.final())
	})
	t.Run("20x8", func(t *testing.T) {
		a := start(t, populated(), 20, 8)
		a.loaded()
		goldenView(t, a.final())
	})
	t.Run("200x50", func(t *testing.T) {
		a := start(t, populated(), 200, 50)
		a.loaded()
		goldenView(t, a.final())
	})
}

func populated() *fakeClient {
	f := newFake()
	populate(f)
	return f
}

// openForm loads the list and opens the form for the first cluster.
// TestFormOnStoppedClusterSaysToStartIt: waiting does nothing for a stopped
// cluster: the form says how to start it, and that AWS does by itself only
// after seven days.
func TestFormOnStoppedClusterSaysToStartIt(t *testing.T) {
	a := start(t, populated(), 100, 24)
	a.loaded()
	a.press("j", "j", "j", "j", "s") // legacy-catalog is stopped
	a.await("form open", func(m *Model) bool { return showing(m, stageForm) && m.flow.guard.known })
	m := a.final()
	v := strings.Join(strings.Fields(view(t, m)), " ")
	for _, want := range []string{"The cluster is stopped: AWS takes snapshots of available clusters only.",
		"Start it with `aws docdb start-db-cluster --db-cluster-identifier legacy-catalog`, then wait until it is available",
		"by itself only after seven days"} {
		if !strings.Contains(v, want) {
			t.Errorf("the form of %s lacks %q:\n%s", m.flow.form.ClusterID, want, view(t, m))
		}
	}
}

func openForm(t *testing.T, f *fakeClient, w, h int) *app {
	a := start(t, f, w, h)
	a.loaded()
	a.press("s")
	a.await("form open, protection known", func(m *Model) bool { return showing(m, stageForm) && m.flow.guard.known })
	return a
}

// created takes a snapshot of the first cluster with the suggested
// identifier and returns on the progress screen.
func created(t *testing.T, w, h int) (*app, string) {
	a := openForm(t, populated(), w, h)
	a.press("enter", "enter")
	a.await("progress", func(m *Model) bool { return m.screen == screenProgress })
	return a, "orders-prod-2024-05-01-1234"
}

// pollOnce delivers the poll the model scheduled and waits for its answer.
func (a *app) pollOnce() {
	a.t.Helper()
	polls := take[pollMsg](a.timer)
	if len(polls) == 0 {
		a.t.Fatal("no poll scheduled")
	}
	before := a.fake.Calls("DescribeDBClusterSnapshots")
	for _, p := range polls {
		a.tm.Send(p)
	}
	a.await("polled", func(m *Model) bool {
		return a.fake.Calls("DescribeDBClusterSnapshots") > before && !m.calling()
	})
}
