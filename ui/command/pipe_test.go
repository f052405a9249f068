package command

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient/emulator"
	"github.com/docsnap/docsnap/awsclient/emulator/emulatortest"
)

// TestCreateIntoAClosedPipe: `docsnap snapshot create C ID --wait | head
// -0` in a real process. The write of the identifier fails (the reader has
// gone); the process does not die of SIGPIPE but says on stderr which
// snapshot was created and how to follow it, and exits 6.
func TestCreateIntoAClosedPipe(t *testing.T) {
	isolateAWS(t)
	world, ep := emulatortest.Serve(t, emulator.Options{Region: "eu-west-1"}, emulator.DemoFleet())

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close() // head -0: the reader has gone before anything is written
	defer w.Close()
	cmd := exec.Command(os.Args[0], "--", "snapshot", "create", "payments-prod", "piped-1", "--wait",
		"--region", "eu-west-1", "--endpoint-url", ep.URL, "--ignore-config")
	cmd.Env = append(os.Environ(), mainEnv+"=1", "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = w, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 6 {
		t.Fatalf("%v (%v), want exit status 6\nstderr:\n%s", err, cmd.ProcessState, stderr.String())
	}
	for _, want := range []string{
		"docsnap snapshot create: snapshot piped-1 of cluster payments-prod was created, but the output could not be written: ",
		"broken pipe\n",
		"Follow it with:\n  docsnap snapshot wait piped-1 --region eu-west-1 --endpoint-url " + ep.URL + "\n",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	if n := world.Calls("CreateDBClusterSnapshot"); n != 1 {
		t.Errorf("%d creates", n)
	}
}
