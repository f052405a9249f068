package command

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient/emulator"
	"github.com/docsnap/docsnap/awsclient/emulator/emulatortest"
)

// TestSnapshotCreateKeepsTheReadOnlyRules: snapshot create refuses as the
// TUI does under --read-only, the config file's read-only = true and a
// read-only-profiles pattern naming the profile in use: exit 3, the reason,
// and nothing sent (the endpoint's snapshot list is as it was). Reads go
// on; --ignore-config and a profile the patterns do not name write.
func TestSnapshotCreateKeepsTheReadOnlyRules(t *testing.T) {
	isolateAWS(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir) // the default config file, used unless --config
	world, ep := emulatortest.Serve(t, emulator.Options{Region: "eu-west-1"}, emulator.DemoFleet())
	at := []string{"--region", "eu-west-1", "--endpoint-url", ep.URL}
	snapshots := func() []string {
		t.Helper()
		code, out, errOut := runCommand(append([]string{"snapshots", "payments-prod", "--output", "json"}, at...)...)
		var list []struct {
			SnapshotID string `json:"snapshotId"`
		}
		if err := json.Unmarshal([]byte(out), &list); code != 0 || err != nil {
			t.Fatalf("snapshots: %d %v\n%s", code, err, errOut)
		}
		ids := make([]string, len(list))
		for i, s := range list {
			ids[i] = s.SnapshotID
		}
		return ids
	}
	before := snapshots()
	writeFile := func(name, text string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	readOnlyFile := writeFile("docsnap/config", "read-only = true\n")
	profilesFile := writeFile("profiles", "read-only-profiles = prod, *\n")

	for _, c := range []struct {
		name string
		args []string
		why  string
	}{
		{"the default file's read-only", nil, "docsnap runs read-only (read-only = true in " + readOnlyFile + "): it browses, and takes no snapshot."},
		{"--read-only", []string{"--ignore-config", "--read-only"}, "docsnap runs with --read-only: it browses, and takes no snapshot."},
		{"read-only-profiles", []string{"--config", profilesFile},
			"The profile default is read-only (read-only-profiles * in the config file): docsnap does not take snapshots with it."},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append(append([]string{"snapshot", "create", "payments-prod", "pre-deploy", "--wait"}, at...), c.args...)
			code, out, errOut := runCommand(args...)
			if code != 3 || out != "" || errOut != "docsnap snapshot create: "+c.why+"\n" {
				t.Errorf("exit %d, stdout %q, stderr %q: want 3, nothing, and the reason", code, out, errOut)
			}
		})
	}
	if n := world.Calls("CreateDBClusterSnapshot"); n != 0 {
		t.Fatalf("%d creates reached the endpoint", n)
	}
	if after := snapshots(); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Fatalf("the snapshots went from %v to %v", before, after)
	}

	// The same file lets a profile it does not name write, as the TUI does.
	writeFile("aws-config", "[profile ci]\nregion = eu-west-1\naws_access_key_id = test\naws_secret_access_key = test\n")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "aws-config"))
	writeFile("profiles", "read-only-profiles = prod, default\n")
	code, out, errOut := runCommand(append([]string{"snapshot", "create", "payments-prod", "from-ci", "--profile", "ci", "--config", profilesFile}, at...)...)
	if code != 0 || out != "from-ci\n" {
		t.Fatalf("a profile the patterns do not name: exit %d %q\n%s", code, out, errOut)
	}
}

// TestScriptableCommandsRefuseABadConfigFile: a file whose read-only rules
// cannot be read stops a scriptable command before it sends anything, as it
// stops the TUI.
func TestScriptableCommandsRefuseABadConfigFile(t *testing.T) {
	isolateAWS(t)
	p := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(p, []byte("read-only = maybe\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCommand("snapshot", "create", "payments-prod", "--demo", "--config", p)
	if code != 2 || !strings.Contains(errOut, p+`:1: key "read-only"`) || !strings.Contains(errOut, "docsnap snapshot create --ignore-config") {
		t.Fatalf("a bad config file: exit %d\n%s", code, errOut)
	}
}
