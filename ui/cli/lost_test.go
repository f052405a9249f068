package cli

import (
	"testing"

	"github.com/docsnap/docsnap/awsclient/emulator"
)

// TestCreateOutcomeUnknown: a create whose every answer was lost (the
// endpoint ran it) fails, and says the snapshot may exist and where to look.
func TestCreateOutcomeUnknown(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	e.server.DropNext("CreateDBClusterSnapshot", 1) // the harness's client makes one attempt
	r := e.run(runOpts{}, "snapshot", "create", "payments-prod", "Lost-1")
	r.want(t, ExitError)
	r.stderrHas(t, "docsnap snapshot create: The DocumentDB endpoint could not be reached, or it closed the connection.\n",
		"No answer came back: snapshot Lost-1 may have been created all the same.\nLook for it with: docsnap snapshots payments-prod --region us-east-1 --endpoint-url "+e.url+"\n")
	e.run(runOpts{}, "snapshot", "wait", "lost-1", "--timeout", "0").want(t, ExitOK)
}
