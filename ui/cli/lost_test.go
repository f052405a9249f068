package cli

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient/emulator"
)

// TestCreateOutcomeUnknown: a create whose every answer was lost (the
// endpoint ran it) fails, says the snapshot may exist under the identifier
// that was sent, and how to carry on without a second snapshot: follow that
// identifier, or send the same create (its tags quoted for a shell) again.
func TestCreateOutcomeUnknown(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	e.server.DropNext("CreateDBClusterSnapshot", 1) // the harness's client makes one attempt
	r := e.run(runOpts{}, "snapshot", "create", "payments-prod", "Lost-1", "--tag", "reason=pre deploy", "--tag", "ci")
	r.want(t, ExitError)
	at := " --region us-east-1 --endpoint-url " + e.url + "\n"
	r.stderrHas(t, "docsnap snapshot create: The DocumentDB endpoint could not be reached, or it closed the connection.\n"+
		"No answer came back: snapshot Lost-1 may have been created all the same.\n"+
		"See whether it was, and follow it, with:\n  docsnap snapshot wait Lost-1"+at+
		"If that finds no such snapshot, create it under the same identifier, never another (it cannot make a second one):\n"+
		"  docsnap snapshot create payments-prod Lost-1 --tag 'reason=pre deploy' --tag ci"+at)
	if strings.Contains(r.stderr, "again.") {
		t.Errorf("stderr says to run the command again:\n%s", r.stderr)
	}
	e.run(runOpts{}, "snapshot", "wait", "Lost-1", "--timeout", "0").want(t, ExitOK)
}

// hinted are the command lines stderr tells to run (indented, docsnap
// first), without the flags that choose the endpoint: the test's backend
// has its own.
func hinted(t *testing.T, stderr string) [][]string {
	t.Helper()
	var cmds [][]string
	for _, line := range strings.Split(stderr, "\n") {
		words, ok := strings.CutPrefix(line, "  docsnap ")
		if !ok {
			continue
		}
		if strings.ContainsAny(words, `'"\`) {
			t.Fatalf("a hinted command to unquote: %s", line)
		}
		var args []string
		for f := strings.Fields(words); len(f) > 0; f = f[1:] {
			if f[0] == "--region" || f[0] == "--endpoint-url" {
				f = f[1:]
				continue
			}
			args = append(args, f[0])
		}
		cmds = append(cmds, args)
	}
	return cmds
}

// TestOutcomeUnknownHintMakesOneSnapshot: a create without SNAPSHOT_ID
// whose answer is lost names the identifier it generated, and following
// what it says to do, minutes later (when a new identifier would be
// generated), never makes a second snapshot: whether the lost create was
// carried out (a dropped answer) or not (a 500 before it ran).
func TestOutcomeUnknownHintMakesOneSnapshot(t *testing.T) {
	for _, ran := range []bool{true, false} {
		e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
		manual := func() []string {
			t.Helper()
			r := e.run(runOpts{}, "snapshots", "payments-prod", "--output", "json")
			r.want(t, ExitOK)
			var snaps []Snapshot
			if err := json.Unmarshal([]byte(r.stdout), &snaps); err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, s := range snaps {
				if s.Type == "manual" {
					ids = append(ids, s.SnapshotID)
				}
			}
			return ids
		}
		before := manual()
		if ran {
			e.server.DropNext("CreateDBClusterSnapshot", 1)
		} else {
			e.server.SetFaults(emulator.Faults{Server5xx: 1})
		}
		r := e.run(runOpts{}, "snapshot", "create", "payments-prod", "--tag", "owner=ci")
		e.server.SetFaults(emulator.Faults{})
		r.want(t, ExitError)
		const id = "payments-prod-2026-11-29-0530"
		r.stderrHas(t, "snapshot "+id+" may have been created")
		if strings.Contains(r.stderr, "again.") {
			t.Errorf("stderr says to run the command again:\n%s", r.stderr)
		}
		cmds := hinted(t, r.stderr)
		want := [][]string{{"snapshot", "wait", id}, {"snapshot", "create", "payments-prod", id, "--tag", "owner=ci"}}
		if !slices.EqualFunc(cmds, want, slices.Equal) {
			t.Fatalf("hinted %q, want %q", cmds, want)
		}

		e.clock.Advance(3 * time.Minute)
		wait := e.run(runOpts{}, cmds[0]...)
		if ran {
			wait.want(t, ExitOK)
		} else {
			wait.want(t, ExitRefused)
			wait.stderrHas(t, "not found")
			e.run(runOpts{}, cmds[1]...).want(t, ExitOK)
		}
		// Sent once more all the same, the create cannot make another, and
		// what it says to do then does not lead to another either.
		again := e.run(runOpts{}, cmds[1]...)
		again.want(t, ExitRefused)
		again.stderrHas(t, "If an earlier create whose answer was lost sent this identifier, the snapshot is most likely that one: "+
			"follow it with docsnap snapshot wait SNAPSHOT_ID. Otherwise choose another identifier")
		if got := manual(); len(got) != len(before)+1 || !slices.Contains(got, id) {
			t.Errorf("ran %v: the manual snapshots went from %v to %v, want %s added", ran, before, got, id)
		}
	}
}
