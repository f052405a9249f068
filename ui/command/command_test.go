package command

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient/emulator"
	"github.com/docsnap/docsnap/awsclient/emulator/emulatortest"
)

func runCommand(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = Run("", args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// isolateAWS keeps the user's AWS configuration out of a test.
func isolateAWS(t *testing.T) {
	for _, k := range []string{"AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DOCDB",
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_CONFIG_FILE", "/dev/null")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func TestDispatchReachesTheScriptableCommands(t *testing.T) {
	for _, c := range []struct {
		args       []string
		usage      string
		pollFlag   bool
		subcommand bool
	}{
		{[]string{"clusters"}, "Usage: docsnap clusters [flags]", false, false},
		{[]string{"snapshots"}, "Usage: docsnap snapshots [CLUSTER] [flags]", false, false},
		{[]string{"snapshot", "create"}, "Usage: docsnap snapshot create CLUSTER [SNAPSHOT_ID] [flags]", true, false},
		{[]string{"snapshot", "wait"}, "Usage: docsnap snapshot wait SNAPSHOT_ID [flags]", true, false},
		{[]string{"snapshot", "copy"}, "Usage: docsnap snapshot copy SOURCE TARGET [flags]", true, false},
		{[]string{"snapshot", "delete"}, "Usage: docsnap snapshot delete SNAPSHOT_ID... [flags]", false, false},
		{[]string{"snapshot", "share"}, "Usage: docsnap snapshot share SNAPSHOT_ID --account N... [--remove] [flags]", false, false},
		{[]string{"snapshot"}, "Usage:\n  docsnap snapshot create", false, true},
	} {
		code, out, errOut := runCommand(append(c.args, "--help")...)
		if code != 0 || errOut != "" || !strings.HasPrefix(out, c.usage) || !strings.Contains(out, "Example") {
			t.Errorf("%v --help: %d\n%s%s", c.args, code, out, errOut)
		}
		if c.subcommand {
			continue
		}
		// The AWS flags are the command line's own, shared with the TUI and
		// serve, and so are the read-only rules.
		for _, f := range []string{"-demo", "-profile profile", "-region region", "-endpoint-url URL",
			"-read-only", "-config file", "-ignore-config"} {
			if !strings.Contains(out, f) {
				t.Errorf("%v --help lacks %s", c.args, f)
			}
		}
		if strings.Contains(out, "-poll-interval") != c.pollFlag {
			t.Errorf("%v --help: -poll-interval listed: %v, want %v", c.args, !c.pollFlag, c.pollFlag)
		}
	}
	// The TUI keeps its --poll-interval; the overview names the commands.
	if code, _, errOut := runCommand("--help"); code != 0 || !strings.Contains(errOut, "-poll-interval") {
		t.Errorf("docsnap --help: %d\n%s", code, errOut)
	}
	if _, out, _ := runCommand("help"); !strings.Contains(out, "docsnap snapshot create CLUSTER [SNAPSHOT_ID] [--tag key=value]... [--wait] [--timeout 2h]") {
		t.Errorf("help:\n%s", out)
	}
}

func TestScriptableCommandsWithTheDemo(t *testing.T) {
	isolateAWS(t)
	code, out, errOut := runCommand("clusters", "--demo", "--output", "json")
	var clusters []struct {
		ClusterID string `json:"clusterId"`
	}
	if err := json.Unmarshal([]byte(out), &clusters); code != 0 || err != nil || len(clusters) != 16 { // 13 instance-based, 3 elastic
		t.Fatalf("clusters --demo: %d %v %d clusters\n%s", code, err, len(clusters), errOut)
	}
	code, out, _ = runCommand("snapshots", "payments-prod", "--demo")
	if code != 0 || !strings.Contains(out, "payments-prod-pre-migration") {
		t.Errorf("snapshots --demo: %d\n%s", code, out)
	}
	code, _, errOut = runCommand("clusters", "--demo", "--region", "eu-west-1")
	if code != 2 || !strings.Contains(errOut, "docsnap clusters: --demo runs against its own local endpoint: leave out --region") {
		t.Errorf("--demo with --region: %d\n%s", code, errOut)
	}
	code, _, errOut = runCommand("snapshot", "create", "payments-prod", "--demo", "--wait", "--poll-interval", "10ms")
	if code != 2 || !strings.Contains(errOut, "--poll-interval 10ms: want 1s or more") {
		t.Errorf("a poll interval too short: %d\n%s", code, errOut)
	}
}

func TestScriptableCommandsAgainstAnEndpointURL(t *testing.T) {
	isolateAWS(t)
	world, ep := emulatortest.Serve(t, emulator.Options{Region: "eu-west-1"}, emulator.DemoFleet())

	// No region anywhere: said, with what to do.
	code, _, errOut := runCommand("clusters", "--endpoint-url", ep.URL)
	if code != 1 || !strings.Contains(errOut, "docsnap clusters: No AWS region is set.") || !strings.Contains(errOut, "--region") {
		t.Errorf("no region: %d\n%s", code, errOut)
	}
	// Credentials from the environment, as the AWS CLI reads them.
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	code, out, errOut := runCommand("snapshot", "create", "payments-prod", "from-main", "--region", "eu-west-1", "--endpoint-url", ep.URL)
	if code != 0 || out != "from-main\n" || !strings.Contains(errOut, "docsnap snapshot wait from-main --region eu-west-1 --endpoint-url "+ep.URL) {
		t.Errorf("create: %d %q\n%s", code, out, errOut)
	}
	if n := world.Calls("CreateDBClusterSnapshot"); n != 1 {
		t.Errorf("%d creates", n)
	}
}

// The TUI's settings stop docsnap before it opens when they are wrong: a
// bad config file (named with its line and key, and the way around it), a
// --config that is not there, a region list or a pattern that cannot be
// read; serve lists one region only.
func TestStartupSettingsRefused(t *testing.T) {
	isolateAWS(t)
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	writeConfig := func(text string) string {
		t.Helper()
		p := filepath.Join(dir, "docsnap", "config")
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := writeConfig("# mine\ntheme = neon\n")
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--demo"}, []string{p + `:2: key "theme": unknown theme "neon"`, "docsnap --ignore-config"}},
		{[]string{"serve", "--demo"}, []string{p + `:2: key "theme"`, "docsnap serve --ignore-config"}},
		{[]string{"--demo", "--config", filepath.Join(dir, "nope")}, []string{"no such file"}},
		{[]string{"--demo", "--ignore-config", "--region", "us east"}, []string{`--region: "us east" is not a region code`}},
		{[]string{"--demo", "--ignore-config", "--protect", "orders-["}, []string{`"orders-[" is not a valid pattern`}},
		{[]string{"--demo", "--ignore-config", "--concurrency", "0"}, []string{"docsnap: --concurrency 0: want 1 to 32"}},
		{[]string{"--demo", "--ignore-config", "--watch", "arn:aws:rds:us-east-1:123456789012:db:orders-1"},
			[]string{`docsnap: --watch: snapshot identifier: the ARN names a "db": want a cluster-snapshot`}},
		{[]string{"serve", "--ignore-config", "--region", "us-east-1,eu-west-1", "--authorized-keys", "/dev/null"}, []string{"serve lists one region"}},
	} {
		code, _, errOut := runCommand(c.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", c.args, code, errOut)
		}
		for _, w := range c.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", c.args, w, errOut)
			}
		}
	}
}

// AWS_REGION wins over the config file's regions for serve, as it does for
// the TUI: a file that lists several regions does not stop a serve that the
// environment gives one region.
func TestServeRegionFromTheEnvironmentWinsOverTheFile(t *testing.T) {
	isolateAWS(t)
	dir := t.TempDir()
	p := filepath.Join(dir, "config")
	if err := os.WriteFile(p, []byte("region = us-east-1,eu-west-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// The audit log cannot be opened: serve stops there, after the region
	// check, before it listens.
	args := []string{"serve", "--config", p, "--authorized-keys", "/dev/null", "--audit-log", filepath.Join(dir, "no", "audit.jsonl")}
	code, _, errOut := runCommand(args...)
	if code != 2 || !strings.Contains(errOut, "serve lists one region") {
		t.Fatalf("no region but the file's two: exit %d, want 2\n%s", code, errOut)
	}
	for _, env := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		t.Run(env, func(t *testing.T) {
			t.Setenv(env, "eu-west-1")
			code, _, errOut := runCommand(args...)
			if code != 1 || !strings.Contains(errOut, "--audit-log") || strings.Contains(errOut, "region") {
				t.Errorf("%s=eu-west-1: exit %d, want 1 at the audit log\n%s", env, code, errOut)
			}
		})
	}
}

// serve --max-sessions takes a positive number: 0 was taken as the default,
// 32, silently.
func TestServeMaxSessionsMustBePositive(t *testing.T) {
	isolateAWS(t)
	for _, n := range []string{"0", "-1"} {
		code, _, errOut := runCommand("serve", "--ignore-config", "--demo", "--max-sessions", n)
		if want := "--max-sessions " + n + ": want a positive number of sessions"; code != 2 || !strings.Contains(errOut, want) {
			t.Errorf("serve --max-sessions %s: exit %d, want 2 and %q\n%s", n, code, want, errOut)
		}
	}
}

// serve --fps takes 1 to 120 frames a second; anything else stops serve
// before it starts, with a sentence saying what it takes.
func TestServeFPSOutOfRangeRefused(t *testing.T) {
	isolateAWS(t)
	for _, fps := range []string{"0", "-5", "121"} {
		code, _, errOut := runCommand("serve", "--ignore-config", "--demo", "--fps", fps)
		if want := "--fps " + fps + ": want 1 to 120 frames a second"; code != 2 || !strings.Contains(errOut, want) {
			t.Errorf("serve --fps %s: exit %d, want 2 and %q\n%s", fps, code, want, errOut)
		}
	}
}
