package model

import (
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/ui/awscli"
)

// The confirmation shows byte for byte what the create sends: the cluster
// identifier and the AWS CLI line. An identifier AWS never allows (control
// and format characters would be stripped on screen, yet sent) gets no form
// at all, and the list says why in one sentence.
func TestConfirmationShowsExactlyWhatIsSent(t *testing.T) {
	for _, c := range []struct {
		name, id string
		valid    bool
	}{
		{"plain", "orders-prod", true},
		{"upper case", "Reporting-OLAP", true}, // AWS matches it case-insensitively: sent as listed
		{"bidi override", "orders\u202eprod", false},
		{"zero width space", "orders\u200bprod", false},
		{"escape sequence", "orders\x1b[31mprod", false},
		{"NUL", "orders\x00prod", false},
		{"underscore", "orders_prod", false},
		{"two hyphens", "orders--prod", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFake()
			f.clusters = []awsclient.Cluster{{ID: c.id, ARN: "arn:aws:rds:us-east-1:123456789012:cluster:" + c.id,
				Engine: "docdb", Status: "available"}}
			hs := newHarness(t, f, 120, 40)
			hs.press("s")
			refused := hs.screen()
			hs.press("enter") // review
			confirm := hs.screen()
			hs.press("enter") // create
			f.mu.Lock()
			creates := append([]awsclient.CreateSnapshotInput(nil), f.creates...)
			f.mu.Unlock()
			for _, sent := range creates {
				if want := " Cluster    " + sent.ClusterID + "\n"; !strings.Contains(confirm, want) {
					t.Errorf("the confirmation does not show the cluster identifier sent, %q:\n%s", sent.ClusterID, confirm)
				}
				for _, l := range awscli.CreateSnapshot(sent, f.target).Lines(118) {
					if !strings.Contains(confirm, "  "+l) {
						t.Errorf("the confirmation's AWS CLI line is not what is sent: want %q in\n%s", l, confirm)
					}
				}
			}
			switch {
			case c.valid && len(creates) != 1:
				t.Fatalf("a valid identifier: %d creates", len(creates))
			case !c.valid && len(creates) != 0:
				t.Fatalf("an identifier AWS never allows was sent: %q", creates[0].ClusterID)
			case !c.valid && !strings.Contains(refused, "No snapshot: AWS never lists a cluster identifier like") || !c.valid && strings.Contains(refused, "New snapshot"):
				t.Fatalf("no form and a sentence wanted:\n%s", refused)
			}
		})
	}
}

// A create on the wire, or one whose outcome is unknown, holds up quitting
// as a snapshot in flight does, and the exit report names it and how to
// follow it: by its identifier, never with a second create.
func TestQuitAsksWithACreateWithoutAnswer(t *testing.T) {
	const id = "orders-prod-2024-05-01-1234"
	noSecondCreate := func(t *testing.T, r string) {
		t.Helper()
		for _, bad := range []string{"create-db-cluster-snapshot", "snapshot create"} {
			if strings.Contains(r, bad) {
				t.Errorf("the exit report hints at a second create (%q):\n%s", bad, r)
			}
		}
	}
	t.Run("on the wire", func(t *testing.T) {
		f := populated()
		hs := newHarness(t, f, 100, 24)
		hs.press("s", "enter")
		_, held := hs.m.Update(keyMsg("enter")) // sent; its answer held back
		if held == nil || !hs.m.submitting {
			t.Fatal("enter did not send")
		}
		for _, k := range []string{"ctrl+c", "q"} {
			if _, cmd := hs.m.Update(keyMsg(k)); cmd != nil && len(expand(cmd)) > 0 {
				t.Fatalf("%s quit at once with a create on the wire", k)
			}
		}
		if !hs.m.quitAsk || !strings.Contains(hs.screen(), "Snapshot "+id+" sent, no answer yet") {
			t.Fatalf("no question naming the create:\n%s", hs.screen())
		}
		_, cmd := hs.m.Update(keyMsg("y"))
		if msgs := expand(cmd); len(msgs) != 1 || msgs[0] != (quitSeen{}) {
			t.Fatalf("y did not quit: %v", msgs)
		}
		r := hs.m.ExitReport()
		for _, want := range []string{
			"Snapshot " + id + " of cluster orders-prod may have been created: docsnap quit before AWS answered its create.",
			"  docsnap snapshot wait " + id + " --region us-east-1 --profile ops\n",
			"  docsnap --watch " + id + " --region us-east-1 --profile ops\n",
		} {
			if !strings.Contains(r, want) {
				t.Errorf("the exit report lacks %q:\n%s", want, r)
			}
		}
		noSecondCreate(t, r)
	})
	t.Run("outcome unknown", func(t *testing.T) {
		f := populated()
		f.createErr = &awsclient.Error{Kind: awsclient.KindTimeout, Op: "create snapshot", OutcomeUnknown: true}
		hs := newHarness(t, f, 100, 24)
		hs.press("s", "enter", "enter")
		if hs.m.createErr == nil || hs.m.screen != screenForm {
			t.Fatal("the create did not fail")
		}
		hs.press("esc", "q")
		if !hs.m.quitAsk || !strings.Contains(hs.screen(), "Snapshot "+id+" may have been created") {
			t.Fatalf("q quit at once after a create whose outcome is unknown:\n%s", hs.screen())
		}
		r := hs.m.ExitReport()
		for _, want := range []string{
			"Snapshot " + id + " of cluster orders-prod may have been created: no answer came back to its create.",
			"  docsnap snapshot wait " + id + " --region us-east-1 --profile ops\n",
		} {
			if !strings.Contains(r, want) {
				t.Errorf("the exit report lacks %q:\n%s", want, r)
			}
		}
		noSecondCreate(t, r)
	})
}
