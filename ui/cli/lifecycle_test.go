package cli

import (
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient/emulator"
)

// Without a terminal and without --yes nothing is deleted; on a terminal
// the identifier typed deletes, anything else does not; --yes deletes.
func TestDeleteAsksOrNeedsYes(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	r := e.run(runOpts{}, "snapshot", "delete", "payments-prod-2024-q4-audit")
	r.want(t, ExitInvalid)
	r.stderrHas(t, "no terminal to confirm on", "Nothing was deleted")

	r = e.run(runOpts{ask: "payments-prod\n"}, "snapshot", "delete", "payments-prod-2024-q4-audit")
	r.want(t, ExitInvalid)
	r.stderrHas(t, "Type payments-prod-2024-q4-audit to confirm", "not confirmed")
	if n := e.server.Calls("DeleteDBClusterSnapshot"); n != 0 {
		t.Fatalf("%d deletes sent without the confirmation", n)
	}

	r = e.run(runOpts{ask: "payments-prod-2024-q4-audit\n"}, "snapshot", "delete", "payments-prod-2024-q4-audit")
	r.want(t, ExitOK)
	if r.stdout != "payments-prod-2024-q4-audit\n" || e.server.Calls("DeleteDBClusterSnapshot") != 1 {
		t.Fatalf("stdout %q, %d deletes", r.stdout, e.server.Calls("DeleteDBClusterSnapshot"))
	}

	r = e.run(runOpts{}, "snapshot", "delete", "payments-prod-pre-migration", "--yes")
	r.want(t, ExitOK)
	r = e.run(runOpts{readOnly: "read-only mode"}, "snapshot", "delete", "orders-staging-seed-data", "--yes")
	r.want(t, ExitRefused)
	if n := e.server.Calls("DeleteDBClusterSnapshot"); n != 2 {
		t.Fatalf("%d deletes sent, want 2 (none in read-only)", n)
	}
}

// Without a cluster the whole region is listed, --type keeps one kind.
func TestSnapshotsOfTheRegion(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	r := e.run(runOpts{}, "snapshots", "--type", "manual")
	r.want(t, ExitOK)
	if !strings.Contains(r.stdout, "CLUSTER") || !strings.Contains(r.stdout, "payments-prod-pre-migration") || strings.Contains(r.stdout, "rds:") {
		t.Fatalf("stdout:\n%s", r.stdout)
	}
	r = e.run(runOpts{}, "snapshots", "--type", "shared")
	r.want(t, ExitOK)
	if !strings.Contains(r.stdout, "shared") || strings.Contains(r.stdout, " manual ") {
		t.Fatalf("stdout:\n%s", r.stdout)
	}
}

// share adds an account and prints the list; --remove takes it out.
func TestShare(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	r := e.run(runOpts{}, "snapshot", "share", "payments-prod-2024-q4-audit", "--account", "123456789012")
	r.want(t, ExitOK)
	if !strings.Contains(r.stdout, "123456789012\n") {
		t.Fatalf("stdout %q", r.stdout)
	}
	r = e.run(runOpts{}, "snapshot", "share", "payments-prod-2024-q4-audit", "--account", "123456789012", "--remove")
	r.want(t, ExitOK)
	if strings.Contains(r.stdout, "123456789012") {
		t.Fatalf("stdout %q", r.stdout)
	}
}

// A cross-region copy of an encrypted snapshot without --kms-key is
// refused before anything is sent; a copy in the region is made.
func TestCopy(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	r := e.run(runOpts{}, "snapshot", "copy", "payments-prod-pre-migration", "payments-keep", "--to-region", "eu-west-1")
	r.want(t, ExitInvalid)
	r.stderrHas(t, "is encrypted: a copy in eu-west-1 needs --kms-key", "Nothing was sent")
	if n := e.server.Calls("CopyDBClusterSnapshot"); n != 0 {
		t.Fatalf("%d copies sent", n)
	}
	r = e.run(runOpts{}, "snapshot", "copy", "payments-prod-pre-migration", "payments-keep", "--copy-tags")
	r.want(t, ExitOK)
	if r.stdout != "payments-keep\n" || e.server.Calls("CopyDBClusterSnapshot") != 1 {
		t.Fatalf("stdout %q, %d copies", r.stdout, e.server.Calls("CopyDBClusterSnapshot"))
	}
}
