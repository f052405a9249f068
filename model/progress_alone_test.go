package model

import (
	"errors"
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/track"
	"github.com/docsnap/docsnap/ui"
)

// progressAlone is a progress screen with no Model around it, over two
// regions: its env is built by hand, as a test of a screen of its own.
func progressAlone() (*progressScreen, progressEnv) {
	keys := ui.DefaultKeyMap()
	var active []*scope
	for _, r := range []string{"us-east-1", "eu-west-1"} {
		active = append(active, &scope{target: awsclient.Target{Region: r}, client: newFake(),
			tracker: track.New(0, func() float64 { return 0 }), notes: map[string]string{}})
	}
	env := progressEnv{keys: &keys, styles: ui.ThemeDark.Styles(true), width: 100, now: t0,
		spinner: "*", active: active, mine: map[snapKey]bool{}}
	return &progressScreen{}, env
}

// TestProgressAloneLooksFollowsAndLeaves drives the progress screen itself
// through a --watch lookup that fails in every region, a second lookup that
// finds the snapshot, a poll now, a copy and the way back, reading the
// actions it asks the root for.
func TestProgressAloneLooksFollowsAndLeaves(t *testing.T) {
	p, env := progressAlone()
	first := p.watch(env, "nightly")
	if first.look == nil || first.look.id != "nightly" || !p.looking() || p.canCheck() {
		t.Fatalf("watch: %+v, looking %v", first, p.looking())
	}
	var b strings.Builder
	p.View(env, &b, 5)
	if !strings.Contains(b.String(), "Looking for snapshot nightly in us-east-1, eu-west-1") {
		t.Fatalf("while looking:\n%s", b.String())
	}
	if a := p.Update(env, keyMsg("r")); a != (progressAction{}) {
		t.Fatalf("check now while looking asked %+v", a)
	}
	notFound := errors.New("not found")
	for _, sc := range env.active {
		if _, found := p.watched(watchedMsg{seq: first.look.seq, sc: sc, err: notFound}); found {
			t.Fatal("a failure found the snapshot")
		}
	}
	if p.looking() || !p.canCheck() {
		t.Fatal("every region failed, and the screen still looks, or cannot look again")
	}
	b.Reset()
	p.View(env, &b, 8)
	if !strings.Contains(b.String(), "no region knows it") {
		t.Fatalf("after every region failed:\n%s", b.String())
	}
	again := p.Update(env, keyMsg("r"))
	if again.look == nil || !p.freshLookup(again.look.seq) || p.freshLookup(first.look.seq) {
		t.Fatalf("check now after the failure: %+v (the first lookup's answers must be stale)", again)
	}

	sc := env.active[1]
	snap := awsclient.Snapshot{ID: "nightly", ARN: "arn:nightly", ClusterID: "orders", Status: awsclient.StatusCreating, PercentProgress: 40}
	sc.tracker.Add(snap, t0)
	if k, found := p.watched(watchedMsg{seq: again.look.seq, sc: sc, snap: snap}); !found || k != (snapKey{sc, "nightly"}) {
		t.Fatalf("the answer that knows it: %v %v", k, found)
	}
	if p.looking() || p.freshLookup(again.look.seq) {
		t.Fatal("found, and still awaiting answers")
	}
	b.Reset()
	p.View(env, &b, 10)
	for _, want := range []string{"Snapshot nightly", "of cluster orders in eu-west-1 · not started by this docsnap", "40%"} {
		if !strings.Contains(b.String(), want) {
			t.Fatalf("the progress lacks %q:\n%s", want, b.String())
		}
	}
	if a := p.Update(env, keyMsg("r")); a.poll == nil || a.poll.sc != sc || a.poll.cluster != "orders" {
		t.Fatalf("check now: %+v", a)
	}
	if a := p.Update(env, keyMsg("y")); a.copy == nil || a.copy.id != "nightly" || a.copy.arn {
		t.Fatalf("copy: %+v", a)
	}
	if a := p.Update(env, keyMsg("esc")); !a.toList {
		t.Fatalf("esc: %+v", a)
	}
}
