package model

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/ui"
)

// showing reports whether m shows the snapshot flow at stage st.
func showing(m *Model, st stage) bool { return m.screen == screenSnapshot && m.flow.stage == st }

// flowAlone is a snapshot flow with no Model around it: its env is built
// by hand, as a test of a screen of its own.
func flowAlone() (*snapFlow, flowEnv) {
	keys := ui.DefaultKeyMap()
	env := flowEnv{keys: &keys, styles: ui.ThemeDark.Styles(true), width: 100,
		now:        func() time.Time { return t0 },
		protectTag: DefaultProtectTag, spinner: "*", shown: true,
		membership: func(*row) (awsclient.Membership, bool) { return awsclient.Membership{}, false }}
	fl := &snapFlow{}
	fl.init()
	return fl, env
}

func flowRow(tagsKnown bool) row {
	sc := &scope{target: awsclient.Target{Region: "us-east-1"}, client: newFake()}
	r := newRow(fleet()[0], sc)
	r.tagsKnown = tagsKnown
	return r
}

// TestFlowAloneFormConfirmSubmit drives the flow itself through the form,
// the confirmation and the create, reading the actions it asks the root
// for.
func TestFlowAloneFormConfirmSubmit(t *testing.T) {
	fl, env := flowAlone()
	r := flowRow(true)
	a, refused := fl.open(env, r, screenCluster)
	if refused != "" || !a.move || a.to != screenSnapshot || a.readTags != nil || !fl.guard.known {
		t.Fatalf("open: %+v %q", a, refused)
	}
	if a := fl.Update(env, keyMsg("enter")); a != (flowAction{}) || fl.stage != stageConfirm {
		t.Fatalf("review: %+v, stage %d", a, fl.stage)
	}
	var b strings.Builder
	fl.View(env, &b, 30)
	if !strings.Contains(b.String(), "Create this snapshot?") || !strings.Contains(b.String(), "aws docdb create-db-cluster-snapshot") {
		t.Fatalf("the confirmation:\n%s", b.String())
	}
	a = fl.Update(env, keyMsg("enter"))
	if a.send == nil || a.send.sc != r.sc || a.send.in.ClusterID != "orders-prod" || a.send.in.SnapshotID == "" {
		t.Fatalf("create: %+v", a)
	}
	if again := fl.Update(env, keyMsg("enter")); again.send != nil {
		t.Fatal("a second enter sent the create again")
	}
	if len(fl.unanswered()) != 1 || !fl.busy(true) {
		t.Fatalf("the create on the wire is not known: %+v", fl.unanswered())
	}
	if stale := fl.Update(env, createdMsg{seq: a.send.seq - 1, sc: r.sc, in: a.send.in}); stale != (flowAction{}) {
		t.Fatalf("an earlier attempt's answer was taken: %+v", stale)
	}
	done := fl.Update(env, createdMsg{seq: a.send.seq, sc: r.sc, in: a.send.in})
	if !done.move || done.to != screenProgress || done.follow == nil || done.follow.snap.ID != strings.ToLower(a.send.in.SnapshotID) {
		t.Fatalf("created: %+v", done)
	}
	if fl.busy(true) || len(fl.unanswered()) != 0 || fl.form != nil {
		t.Fatal("the flow still holds the create it sent")
	}
}

// TestFlowAloneWaitsForTheGuard: enter before the cluster's tags are read
// sends nothing; the tags, once read, go to the list and let the create
// go; back returns to the screen the form came from.
func TestFlowAloneWaitsForTheGuard(t *testing.T) {
	fl, env := flowAlone()
	r := flowRow(false)
	a, _ := fl.open(env, r, screenClusters)
	if a.readTags == nil || a.readTags.arn != r.c.ARN {
		t.Fatalf("the tags are not asked for: %+v", a)
	}
	fl.Update(env, keyMsg("enter"))
	if a := fl.Update(env, keyMsg("enter")); a.send != nil || !fl.guard.waiting {
		t.Fatalf("sent before the check: %+v", a)
	}
	if a := fl.Update(env, protectMsg{seq: a.readTags.seq - 1}); a != (flowAction{}) {
		t.Fatalf("an earlier check's tags were taken: %+v", a)
	}
	tags := []awsclient.Tag{{Key: "team", Value: "orders"}}
	got := fl.Update(env, protectMsg{seq: a.readTags.seq, tags: tags})
	if got.tags == nil || got.tags.id != r.id || len(got.tags.tags) != 1 || got.send == nil {
		t.Fatalf("tags read: %+v", got)
	}
	fl.Update(env, createdMsg{seq: got.send.seq, sc: r.sc, in: got.send.in, err: errors.New("boom")})
	if fl.stage != stageForm || !fl.canRetry() {
		t.Fatalf("the failure is not on the form: stage %d", fl.stage)
	}
	if back := fl.Update(env, keyMsg("esc")); !back.move || back.to != screenClusters {
		t.Fatalf("back: %+v", back)
	}
}

// A create whose outcome is unknown makes a later send of the same input a
// resend (which claims that snapshot) only where it went: the same input
// to a same-named cluster of another region or account is a fresh create.
func TestResendOnlyToWhereTheUnknownCreateWent(t *testing.T) {
	for _, sameScope := range []bool{true, false} {
		fl, env := flowAlone()
		r := flowRow(true)
		fl.open(env, r, screenCluster)
		other := &scope{target: awsclient.Target{Region: "eu-west-1"}, client: newFake()}
		sc := other
		if sameScope {
			sc = r.sc
		}
		fl.unsure = &sentCreate{sc: sc, in: fl.form.Input()}
		fl.Update(env, keyMsg("enter"))
		a := fl.Update(env, keyMsg("enter"))
		if a.send == nil || a.send.in.Resend != sameScope {
			t.Errorf("unknown create in the same scope %v: sent %+v, want Resend %v", sameScope, a.send, sameScope)
		}
	}
}
