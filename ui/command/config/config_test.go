package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/ui"
)

const example = `# docsnap config
profile = ops
region = us-east-1, eu-west-1
poll-interval = 10s
theme = high-contrast
read-only = false
read-only-profiles = prod, *-audit
protect = orders-prod, payments-*
protect-tag = docsnap:protected=true

; keys
key.snapshot = S
key.copy = c, ctrl+y
`

func TestParseExample(t *testing.T) {
	c, err := Parse("docsnap.conf", strings.NewReader(example))
	if err != nil {
		t.Fatal(err)
	}
	keys := c.Keys
	c.Keys = nil
	want := &Config{Path: "docsnap.conf", Profile: "ops", Regions: []string{"us-east-1", "eu-west-1"},
		PollInterval: 10 * time.Second, Theme: ui.ThemeHighContrast, ReadOnlyProfiles: []string{"prod", "*-audit"},
		Protect: []string{"orders-prod", "payments-*"}, ProtectTag: &awsclient.Tag{Key: "docsnap:protected", Value: "true"}}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("got  %+v\nwant %+v", c, want)
	}
	if keys == nil || !key.Matches(tea.KeyPressMsg{Code: 'S', Text: "S"}, keys.Snapshot) ||
		!key.Matches(tea.KeyPressMsg{Code: 'y', Mod: tea.ModCtrl}, keys.Copy) || key.Matches(tea.KeyPressMsg{Code: 'y', Text: "y"}, keys.Copy) {
		t.Fatal("key overrides not applied")
	}
	if !key.Matches(tea.KeyPressMsg{Code: 'r', Text: "r"}, keys.Refresh) {
		t.Fatal("a key not overridden lost its default")
	}
}

func TestEmptyAndCommentsOnly(t *testing.T) {
	c, err := Parse("c", strings.NewReader("\ufeff# nothing\n\n   \n; still nothing\n"))
	if err != nil || c.Keys != nil || c.Profile != "" || c.Regions != nil || c.ProtectTag != nil {
		t.Fatalf("%+v, %v", c, err)
	}
}

// Every mistake names the file, the line and the key, and says what is
// wanted.
func TestBadInput(t *testing.T) {
	cases := []struct{ text, want string }{
		{"theme = neon", `cfg:1: key "theme": unknown theme "neon" (want auto, dark, light or high-contrast)`},
		{"\n\nthme = dark", `cfg:3: key "thme": unknown setting (did you mean "theme"?)`},
		{"colour = red", `cfg:1: key "colour": unknown setting (the settings: profile, region`},
		{"region = us east 1", `cfg:1: key "region": "us east 1" is not a region code`},
		{"poll-interval = soon", `cfg:1: key "poll-interval": time: invalid duration "soon"`},
		{"poll-interval = 100ms", `cfg:1: key "poll-interval": 100ms is too often: want 1s or more`},
		{"read-only = yes please", `cfg:1: key "read-only": "yes please": want true or false`},
		{"protect = orders-[", `cfg:1: key "protect": "orders-[" is not a valid pattern`},
		{"read-only-profiles = prod, [", `cfg:1: key "read-only-profiles": "[" is not a valid pattern`},
		{"protect-tag = =true", `cfg:1: key "protect-tag": "=true" has no tag key`},
		{"theme = dark\ntheme = light", `cfg:2: key "theme": set twice (first on line 1)`},
		{"profile =", `cfg:1: key "profile": no value`},
		{"just some words", `cfg:1: "just some words" is not a setting: want key = value`},
		{"key.explode = x", `cfg:1: key "key.explode": unknown action "explode"`},
		{"key.copy = banana", `cfg:1: key "key.copy": unknown key name "banana"`},
		{"key.copy = s", `cfg:1: key "key.copy": s is both snapshot and copy: give one of them another key`},
		{"key.copy = x\nkey.sort = x", `cfg:2: key "key.sort": x is both copy and sort`},
		{"key.sort = x\n# gap\nkey.copy = x", `cfg:3: key "key.copy": x is both copy and sort`},
		{"key.sort = j", `cfg:1: key "key.sort": j is both down and sort`},
	}
	for _, c := range cases {
		_, err := Parse("cfg", strings.NewReader(c.text))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant %s", c.text, err, c.want)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope")
	c, err := Load(missing, false)
	if err != nil || c.Path != missing {
		t.Fatalf("a missing default file: %+v %v", c, err)
	}
	if _, err := Load(missing, true); err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("a missing --config file: %v", err)
	}
	p := filepath.Join(dir, "config")
	if err := os.WriteFile(p, []byte("theme = light\nregion = all\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = Load(p, true)
	if err != nil || c.Theme != ui.ThemeLight || len(c.Regions) < 20 {
		t.Fatalf("%+v %v", c, err)
	}
	if err := os.WriteFile(p, []byte("theme = light\nregion = nowhere\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(p, false); err == nil || !strings.HasPrefix(err.Error(), p+":2: key \"region\"") {
		t.Fatalf("bad file: %v", err)
	}
	t.Setenv("XDG_CONFIG_HOME", dir)
	if got := DefaultPath(); got != filepath.Join(dir, "docsnap", "config") {
		t.Fatalf("default path %q", got)
	}
}

func TestSnapshotQuota(t *testing.T) {
	for _, c := range []struct {
		line string
		want int
		bad  bool
	}{{"snapshot-quota = 500", 500, false}, {"snapshot-quota = 0", 0, true}, {"snapshot-quota = many", 0, true}} {
		got, err := Parse("config", strings.NewReader(c.line+"\n"))
		if (err != nil) != c.bad || err == nil && got.SnapshotQuota != c.want {
			t.Errorf("%q: %+v, %v", c.line, got, err)
		}
	}
}
