package cli

import (
	"testing"

	"github.com/docsnap/docsnap/awsclient/emulator"
)

// TestReadOnlyCreateExitsRefused: a create that read-only mode refuses
// exits 3, like a refusal of AWS, says why in one sentence, and sends
// nothing.
func TestReadOnlyCreateExitsRefused(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	const why = "docsnap runs with --read-only: it browses, and takes no snapshot."
	r := e.run(runOpts{readOnly: why}, "snapshot", "create", "payments-prod", "pre-deploy", "--wait")
	r.want(t, ExitRefused)
	if r.stderr != "docsnap snapshot create: "+why+"\n" {
		t.Fatalf("stderr %q, want the reason alone", r.stderr)
	}
	if n := e.server.Calls("CreateDBClusterSnapshot"); n != 0 {
		t.Fatalf("%d creates reached the endpoint", n)
	}
	if r.stdout != "" {
		t.Fatalf("stdout %q", r.stdout)
	}
	// Reads go through as they are: the same mode lists.
	e.run(runOpts{readOnly: why}, "snapshots", "payments-prod").want(t, ExitOK)
}
