package cli

import (
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient/emulator"
)

func TestHelpOfEveryCommandHasAnExample(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	for _, c := range []struct {
		args  []string
		flags []string
	}{
		{[]string{"clusters"}, []string{"-output format"}},
		{[]string{"snapshots"}, []string{"-output format"}},
		{[]string{"snapshot"}, nil},
		{[]string{"snapshot", "create"}, []string{"-output format", "-tag key=value", "-wait", "-timeout duration"}},
		{[]string{"snapshot", "wait"}, []string{"-output format", "-timeout duration"}},
	} {
		for _, help := range []string{"--help", "-h"} {
			r := e.run(runOpts{}, append(c.args, help)...)
			r.want(t, ExitOK)
			name := "docsnap " + strings.Join(c.args, " ")
			if r.stderr != "" || !strings.HasPrefix(r.stdout, "Usage:") {
				t.Errorf("%s %s: stdout %q stderr %q", name, help, r.stdout, r.stderr)
			}
			// An example: a line of the Example(s) section that runs the
			// command itself.
			_, examples, ok := strings.Cut(r.stdout, "Example")
			if !ok || !strings.Contains(examples, "\n  "+name+" ") {
				t.Errorf("%s %s has no example of itself:\n%s", name, help, r.stdout)
			}
			for _, f := range c.flags {
				if !strings.Contains(r.stdout, f) {
					t.Errorf("%s %s does not list %s:\n%s", name, help, f, r.stdout)
				}
			}
			if len(c.flags) > 0 && !strings.Contains(r.stdout, "Exit status:\n    0  ") {
				t.Errorf("%s %s does not document its exit statuses:\n%s", name, help, r.stdout)
			}
		}
	}
	if n := e.calls(); n != 0 {
		t.Errorf("help made %d calls", n)
	}
}

func TestBadCommandLines(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"clusters", "--output", "yaml"}, `docsnap clusters: invalid value "yaml" for flag -output: want table or json`},
		{[]string{"clusters", "--no-such-flag"}, "docsnap clusters: flag provided but not defined: -no-such-flag"},
		{[]string{"clusters", "payments-prod"}, `docsnap clusters: unexpected argument "payments-prod"`},
		{[]string{"snapshots"}, "docsnap snapshots: missing CLUSTER"},
		{[]string{"snapshots", "a", "b"}, `docsnap snapshots: unexpected argument "b"`},
		{[]string{"snapshot"}, "docsnap snapshot: say what to do: create or wait"},
		{[]string{"snapshot", "delete", "x"}, `docsnap snapshot: unknown subcommand "delete": want create or wait`},
		{[]string{"snapshot", "create"}, "docsnap snapshot create: missing CLUSTER"},
		{[]string{"snapshot", "create", "a", "b", "c"}, `docsnap snapshot create: unexpected argument "c"`},
		{[]string{"snapshot", "create", "payments-prod", "--timeout", "5m"}, "docsnap snapshot create: --timeout is how long --wait waits"},
		{[]string{"snapshot", "create", "payments-prod", "--wait", "--timeout", "-1s"}, "docsnap snapshot create: --timeout -1s: want 0 (no limit) or more"},
		{[]string{"snapshot", "create", "payments-prod", "--wait=maybe"}, "docsnap snapshot create: invalid boolean value"},
		{[]string{"snapshot", "create", "payments-prod", "--name", "{cluster}-x"}, "docsnap snapshot create: --name goes with --clusters"},
		{[]string{"snapshot", "create", "payments-prod", "--dry-run"}, "docsnap snapshot create: --dry-run goes with --clusters"},
		{[]string{"snapshot", "create", "payments-prod", "--clusters", "prod"}, `docsnap snapshot create: unexpected argument "payments-prod": --clusters chooses`},
		{[]string{"snapshot", "create", "--clusters", " "}, "docsnap snapshot create: --clusters needs a filter"},
		{[]string{"snapshot", "create", "--clusters", "prod", "--concurrency", "0"}, "docsnap snapshot create: --concurrency 0: want 1 to 32"},
		{[]string{"snapshot", "create", "--clusters", "prod", "--concurrency", "33"}, "docsnap snapshot create: --concurrency 33: want 1 to 32"},
		{[]string{"snapshot", "create", "--clusters", "prod", "--dry-run", "--wait"}, "docsnap snapshot create: --dry-run sends nothing"},
		{[]string{"snapshot", "create", "--clusters", "prod", "--name", "{cluster}-{hour}"}, `docsnap snapshot create: snapshot identifier: "{hour}" is not a placeholder`},
		{[]string{"snapshot", "create", "--clusters", "prod", "--tag", "aws:x=1"}, `docsnap snapshot create: tag 1 key: must not start with "aws:"`},
		{[]string{"snapshot", "wait"}, "docsnap snapshot wait: missing SNAPSHOT_ID"},
		{[]string{"snapshot", "wait", "x", "--timeout", "soon"}, `docsnap snapshot wait: invalid value "soon" for flag -timeout`},
	} {
		r := e.run(runOpts{}, c.args...)
		r.want(t, ExitInvalid)
		if !strings.HasPrefix(r.stderr, c.want) || r.stdout != "" {
			t.Errorf("%v: stdout %q, stderr:\n%s\nwant it to start with %q", c.args, r.stdout, r.stderr, c.want)
		}
	}
	if n := e.calls(); n != 0 {
		t.Errorf("bad command lines made %d calls", n)
	}
}
