package model

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
)

// snapsFleet is populated's fleet with snapshots worth a view: manual and
// automated, encrypted with a customer key and with the default one,
// shared with two accounts, one being copied, one another account shares.
func snapsFleet() *fakeClient {
	f := populated()
	arn := func(id string) string { return "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:" + id }
	f.snapshots["orders-prod"][2].ARN = arn("before-migration")
	f.snapshots["orders-prod"][2].StorageEncrypted = true
	f.snapshots["orders-prod"][2].KMSKeyID = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	f.snapshots["payments-prod"] = []awsclient.Snapshot{
		{ID: "payments-pre-upgrade", ARN: arn("payments-pre-upgrade"), ClusterID: "payments-prod", Status: "available", Type: "manual",
			PercentProgress: 100, Created: t0.Add(-45 * 24 * time.Hour), StorageEncrypted: true, KMSKeyID: "alias/aws/rds"},
		{ID: "payments-dr-copy", ARN: arn("payments-dr-copy"), ClusterID: "payments-prod", Status: "copying", Type: "manual",
			PercentProgress: 37, Created: t0.Add(-20 * time.Minute)},
	}
	f.snapshots["analytics"] = []awsclient.Snapshot{
		{ID: "arn:aws:rds:us-east-1:210987654321:cluster-snapshot:analytics-weekly", ARN: "arn:aws:rds:us-east-1:210987654321:cluster-snapshot:analytics-weekly",
			ClusterID: "analytics", Status: "available", Type: "shared", Shared: true, Created: t0.Add(-3 * 24 * time.Hour)},
	}
	f.shares["before-migration"] = []string{"111122223333", "444455556666"}
	return f
}

// openSnaps loads the list and opens the snapshots view, fully listed.
func openSnapsView(t *testing.T, f *fakeClient, w, h int, opts ...appOption) *app {
	t.Helper()
	a := start(t, f, w, h, opts...)
	a.loaded()
	a.press("S")
	a.await("snapshots listed", func(m *Model) bool { return m.screen == screenSnapshots && !m.snaps.loading && len(m.snaps.rows) > 0 })
	return a
}

// cursorOn moves the cursor to the row of id.
func (a *app) cursorOn(id string) {
	a.t.Helper()
	var pos int
	a.await("row "+id+" found", func(m *Model) bool {
		for i := range m.snaps.Len() {
			if m.snaps.at(i).id == id {
				pos = i
				return true
			}
		}
		return false
	})
	a.press("g")
	for range pos {
		a.press("j")
	}
	a.await("cursor on "+id, func(m *Model) bool { r, ok := m.snaps.selected(); return ok && r.id == id })
}

func TestGoldenSnapshots(t *testing.T) {
	t.Run("marked", func(t *testing.T) {
		a := openSnapsView(t, snapsFleet(), 120, 18)
		a.cursorOn("before-migration")
		a.press("space", "space") // marks two rows, the cursor moving down
		a.await("two marked, shares read", func(m *Model) bool {
			r := &m.snaps.rows[slices.IndexFunc(m.snaps.rows, func(r snapRow) bool { return r.id == "before-migration" })]
			return m.snaps.marks.Len() == 2 && r.shares.state == sharesKnown && !m.snaps.sharesBusy
		})
		goldenView(t, a.final())
	})
	t.Run("filtered_age", func(t *testing.T) {
		a := openSnapsView(t, snapsFleet(), 120, 14)
		a.press("/")
		a.typeText("type:manual age:>30d")
		a.await("filtered", func(m *Model) bool { return m.snaps.filter.Text() == "type:manual age:>30d" && !m.snaps.sharesBusy })
		goldenView(t, a.final())
	})
	t.Run("copy_form_kms_required", func(t *testing.T) {
		acc := &accounts{clients: map[[2]string]*fakeClient{{"ops", "eu-west-1"}: regionFake("ops", "eu-west-1")}}
		a := openSnapsView(t, snapsFleet(), 100, 30, func(c *Config) { c.Connect = acc.connect })
		a.cursorOn("before-migration")
		a.press("c", "tab", "ctrl+u")
		a.typeText("eu-west-1")
		a.await("region typed", func(m *Model) bool { return m.snaps.cp.targetRegion() == "eu-west-1" })
		goldenView(t, a.final())
	})
	t.Run("delete_typed", func(t *testing.T) {
		a := openSnapsView(t, snapsFleet(), 100, 20)
		a.cursorOn("payments-dr-copy")
		a.press("d")
		a.typeText("payments-dr")
		a.await("typed", func(m *Model) bool { return m.snaps.del.input.Value() == "payments-dr" })
		goldenView(t, a.final())
	})
	t.Run("share", func(t *testing.T) {
		a := openSnapsView(t, snapsFleet(), 100, 20)
		a.cursorOn("before-migration")
		a.press("h")
		a.typeText("12345")
		a.await("share list read", func(m *Model) bool { return m.snaps.share.known && m.snaps.share.input.Value() == "12345" })
		goldenView(t, a.final())
	})
}

// No delete is sent until the identifier is typed exactly; several marked
// rows ask for their count.
func TestSnapshotsDeleteNeedsTheTypedConfirmation(t *testing.T) {
	f := snapsFleet()
	a := openSnapsView(t, f, 100, 20)
	a.cursorOn("before-migration")
	a.press("d", "enter") // nothing typed
	a.typeText("before-migratio")
	a.press("enter") // one character short
	a.await("confirmation shown", func(m *Model) bool {
		return m.snaps.stage == snapsDelete && m.snaps.del.input.Value() == "before-migratio"
	})
	if n := f.Calls("DeleteDBClusterSnapshot"); n != 0 {
		t.Fatalf("%d deletes sent before the identifier was typed", n)
	}
	a.typeText("n")
	a.press("enter")
	a.await("deleted", func(m *Model) bool { return m.snaps.stage == snapsList && m.snaps.del.sending == 0 })
	if got := f.deletes; !slices.Equal(got, []string{"before-migration"}) {
		t.Fatalf("deletes %q", got)
	}

	// Two marked: the count, not an identifier.
	a.cursorOn("orders-prod-hourly-check")
	a.press("space", "space", "d")
	a.typeText("orders-prod-hourly-check")
	a.press("enter")
	a.await("count asked", func(m *Model) bool {
		return m.snaps.stage == snapsDelete && m.snaps.del.want == "delete 2 snapshots"
	})
	if n := f.Calls("DeleteDBClusterSnapshot"); n != 1 {
		t.Fatalf("%d deletes sent with the identifier typed where the count was asked", n)
	}
	a.press("ctrl+u")
	a.typeText("delete 2 snapshots")
	a.press("enter")
	a.await("both deleted", func(m *Model) bool { return m.snaps.stage == snapsList && m.snaps.del.sending == 0 })
	if n := f.Calls("DeleteDBClusterSnapshot"); n != 3 {
		t.Fatalf("%d deletes in all, want 3", n)
	}
}

// In read-only mode a delete is never offered: d says why and sends
// nothing, and the help has no delete.
func TestSnapshotsNoDeleteInReadOnly(t *testing.T) {
	f := snapsFleet()
	a := openSnapsView(t, f, 100, 20, func(c *Config) { c.ReadOnly = "Read-only: this SSH key may not change anything." })
	a.cursorOn("before-migration")
	a.press("d")
	a.await("refused", func(m *Model) bool { return strings.Contains(m.status, "Read-only") })
	m := a.final()
	if n := f.Calls("DeleteDBClusterSnapshot"); n != 0 {
		t.Fatalf("%d deletes sent in read-only mode", n)
	}
	if m.snaps.stage != snapsList || !strings.Contains(m.status, "Read-only") {
		t.Fatalf("stage %d, status %q", m.snaps.stage, m.status)
	}
	if strings.Contains(view(t, m), "delete") {
		t.Fatalf("delete offered in read-only mode:\n%s", view(t, m))
	}
}

// An automated snapshot is refused with the reason; a shared one too.
func TestSnapshotsDeleteRefusesAutomatedAndShared(t *testing.T) {
	f := snapsFleet()
	a := openSnapsView(t, f, 100, 20)
	a.cursorOn("rds:orders-prod-2024-05-01-07-05")
	a.press("d")
	a.await("refused", func(m *Model) bool {
		return m.snaps.stage == snapsList && strings.Contains(m.status, "automated") && strings.Contains(m.status, "copy it to keep it")
	})
	a.cursorOn("arn:aws:rds:us-east-1:210987654321:cluster-snapshot:analytics-weekly")
	a.press("d")
	a.await("refused", func(m *Model) bool { return m.snaps.stage == snapsList && strings.Contains(m.status, "only the owner") })
	if n := f.Calls("DeleteDBClusterSnapshot"); n != 0 {
		t.Fatalf("%d deletes sent", n)
	}
}

// Sharing with all asks for the identifier typed after a warning; a
// snapshot with the default key is refused before anything is sent.
func TestSnapshotsSharePublicNeedsTheTypedConfirmation(t *testing.T) {
	f := snapsFleet()
	a := openSnapsView(t, f, 100, 24)
	a.cursorOn("before-migration")
	a.press("h")
	a.await("share list read", func(m *Model) bool { return m.snaps.share.known })
	a.typeText("all")
	a.press("enter")
	a.await("warning shown", func(m *Model) bool { return m.snaps.share.public })
	a.typeText("before")
	a.press("enter")
	a.await("still asking", func(m *Model) bool { return m.snaps.share.public && m.snaps.share.confirm.Value() == "before" })
	if n := f.Calls("ModifyDBClusterSnapshotAttribute"); n != 0 {
		t.Fatalf("%d changes sent before the confirmation", n)
	}
	a.typeText("-migration")
	a.press("enter")
	a.await("public", func(m *Model) bool { return !m.snaps.share.sending && slices.Contains(m.snaps.share.accounts, "all") })

	a.press("esc")
	a.cursorOn("payments-pre-upgrade")
	a.press("h")
	a.await("share screen", func(m *Model) bool { return m.snaps.stage == snapsShare && m.snaps.share.known })
	a.typeText("111122223333")
	a.press("enter")
	m := a.final()
	if !strings.Contains(view(t, m), "default AWS-managed key") {
		t.Fatalf("the default key is not named:\n%s", view(t, m))
	}
	if n := f.Calls("ModifyDBClusterSnapshotAttribute"); n != 1 {
		t.Fatalf("%d changes sent, want the one that made before-migration public", n)
	}
}

// A cross-region copy of an encrypted snapshot without a KMS key is
// refused before anything is sent; with one, it goes to the target
// region's client, with the source's ARN and region, and is tracked.
func TestSnapshotsCopyAcrossRegions(t *testing.T) {
	eu := regionFake("ops", "eu-west-1")
	acc := &accounts{clients: map[[2]string]*fakeClient{{"ops", "eu-west-1"}: eu}}
	f := snapsFleet()
	a := openSnapsView(t, f, 100, 30, func(c *Config) { c.Connect = acc.connect })
	a.cursorOn("before-migration")
	a.press("c", "tab", "ctrl+u")
	a.typeText("eu-west-1")
	a.press("enter", "enter") // review, then confirm: refused without a key
	a.await("form still", func(m *Model) bool { return m.snaps.stage == snapsCopy && !m.snaps.cp.confirm })
	a.press("tab")
	a.typeText("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab") // of the source's region
	a.press("enter")
	a.await("still refused", func(m *Model) bool {
		return !m.snaps.cp.confirm && strings.Contains(m.snaps.cp.kmsProblem(), "needs a key of eu-west-1")
	})
	if n := eu.Calls("CopyDBClusterSnapshot") + f.Calls("CopyDBClusterSnapshot"); n != 0 {
		t.Fatalf("%d copies sent without a key of the target region", n)
	}
	a.press("ctrl+u")
	a.typeText("alias/dr-key")
	a.press("enter")
	a.await("confirmation", func(m *Model) bool { return m.snaps.cp.confirm })
	a.press("enter")
	a.await("copy sent and answered", func(m *Model) bool { return m.snaps.stage == snapsList && !m.snaps.cp.sending })
	m := a.final()
	if len(eu.copies) != 1 || f.Calls("CopyDBClusterSnapshot") != 0 {
		t.Fatalf("copies: target %d, source %d", len(eu.copies), f.Calls("CopyDBClusterSnapshot"))
	}
	in := eu.copies[0]
	if in.SourceID != "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:before-migration" || in.SourceRegion != "us-east-1" ||
		in.KMSKeyID != "alias/dr-key" || !in.CopyTags {
		t.Fatalf("copy input %+v", in)
	}
	if !strings.Contains(m.trackedLine(), "eu-west-1/") {
		t.Fatalf("the copy is not tracked: %q", m.trackedLine())
	}
}

// The quota line counts the region's manual snapshots (not automated, not
// shared) against the quota the config file sets, and marks survive a
// refresh.
func TestSnapshotsQuotaLineAndMarksKept(t *testing.T) {
	a := openSnapsView(t, snapsFleet(), 120, 20, func(c *Config) { c.SnapshotQuota = 4 })
	a.cursorOn("before-migration")
	a.press("space", "r")
	a.await("listed again", func(m *Model) bool { return !m.snaps.loading && len(m.snaps.rows) == 7 })
	m := a.final()
	v := view(t, m)
	if !strings.Contains(v, "1 snapshot marked · 4 of 4 manual snapshots (snapshot-quota in the config file)") {
		t.Fatalf("quota line:\n%s", v)
	}
}
