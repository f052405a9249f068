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
