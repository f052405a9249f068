package cli

import (
	"syscall"
	"testing"

	"github.com/docsnap/docsnap/awsclient/emulator"
)

// closedPipe is a stdout whose reader has gone.
type closedPipe struct{}

func (closedPipe) Write([]byte) (int, error) { return 0, syscall.EPIPE }

// TestCreateWhoseOutputCannotBeWritten: when stdout cannot be written (the
// reader of a pipe has gone), the snapshot that was created is named on
// stderr with how to follow it, and the exit status says so: without
// --wait, with --wait (which then does not wait for a reader that is not
// there), and with --output json at the end of the waiting.
func TestCreateWhoseOutputCannotBeWritten(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	for i, args := range [][]string{
		{"snapshot", "create", "payments-prod", "pipe-1"},
		{"snapshot", "create", "payments-prod", "pipe-2", "--wait"},
		{"snapshot", "create", "payments-prod", "pipe-3", "--wait", "--output", "json"},
	} {
		id := args[3]
		r := e.run(runOpts{stdout: closedPipe{}}, args...)
		r.want(t, ExitUnwritten)
		r.stderrHas(t, "docsnap snapshot create: snapshot "+id+" of cluster payments-prod was created, but the output could not be written: broken pipe\n",
			"Follow it with:\n  docsnap snapshot wait "+id+" --region us-east-1 --endpoint-url "+e.url+"\n")
		if n := e.server.Calls("CreateDBClusterSnapshot"); n != i+1 {
			t.Fatalf("%d creates after %d commands", n, i+1)
		}
	}
	// The snapshot is there to follow.
	e.run(runOpts{}, "snapshot", "wait", "pipe-1", "--timeout", "0").want(t, ExitOK)
}
