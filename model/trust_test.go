package model

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/awscli"
)

// The confirmation shows byte for byte what the create sends: the cluster
// identifier and the AWS CLI line. An identifier AWS never allows (control
// and format characters would be stripped on screen, yet sent) gets no form
// at all, and the list says why in one sentence.
func TestConfirmationShowsExactlyWhatIsSent(t *testing.T) {
	for _, c := range []struct {
		name, id string
		valid    bool
	}{
		{"plain", "orders-prod", true},
		{"upper case", "Reporting-OLAP", true}, // AWS matches it case-insensitively: sent as listed
		{"bidi override", "orders\u202eprod", false},
		{"zero width space", "orders\u200bprod", false},
		{"escape sequence", "orders\x1b[31mprod", false},
		{"NUL", "orders\x00prod", false},
		{"underscore", "orders_prod", false},
		{"two hyphens", "orders--prod", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFake()
			f.clusters = []awsclient.Cluster{{ID: c.id, ARN: "arn:aws:rds:us-east-1:123456789012:cluster:" + c.id,
				Engine: "docdb", Status: "available"}}
			hs := newHarness(t, f, 120, 40)
			hs.press("s")
			refused := hs.screen()
			hs.press("enter") // review
			confirm := hs.screen()
			hs.press("enter") // create
			f.mu.Lock()
			creates := append([]awsclient.CreateSnapshotInput(nil), f.creates...)
			f.mu.Unlock()
			for _, sent := range creates {
				if want := " Cluster    " + sent.ClusterID + "\n"; !strings.Contains(confirm, want) {
					t.Errorf("the confirmation does not show the cluster identifier sent, %q:\n%s", sent.ClusterID, confirm)
				}
				for _, l := range awscli.CreateSnapshot(sent, f.target).Lines(118) {
					if !strings.Contains(confirm, "  "+l) {
						t.Errorf("the confirmation's AWS CLI line is not what is sent: want %q in\n%s", l, confirm)
					}
				}
			}
			switch {
			case c.valid && len(creates) != 1:
				t.Fatalf("a valid identifier: %d creates", len(creates))
			case !c.valid && len(creates) != 0:
				t.Fatalf("an identifier AWS never allows was sent: %q", creates[0].ClusterID)
			case !c.valid && !strings.Contains(refused, "No snapshot: AWS never lists a cluster identifier like") || !c.valid && strings.Contains(refused, "New snapshot"):
				t.Fatalf("no form and a sentence wanted:\n%s", refused)
			}
		})
	}
}

// A create on the wire, or one whose outcome is unknown, holds up quitting
// as a snapshot in flight does, and the exit report names it and how to
// follow it: by its identifier, never with a second create.
func TestQuitAsksWithACreateWithoutAnswer(t *testing.T) {
	const id = "orders-prod-2024-05-01-1234"
	noSecondCreate := func(t *testing.T, r string) {
		t.Helper()
		for _, bad := range []string{"create-db-cluster-snapshot", "snapshot create"} {
			if strings.Contains(r, bad) {
				t.Errorf("the exit report hints at a second create (%q):\n%s", bad, r)
			}
		}
	}
	t.Run("on the wire", func(t *testing.T) {
		f := populated()
		hs := newHarness(t, f, 100, 24)
		hs.press("s", "enter")
		_, held := hs.m.Update(keyMsg("enter")) // sent; its answer held back
		if held == nil || !hs.m.flow.submitting {
			t.Fatal("enter did not send")
		}
		for _, k := range []string{"ctrl+c", "q"} {
			if _, cmd := hs.m.Update(keyMsg(k)); cmd != nil && len(expand(cmd)) > 0 {
				t.Fatalf("%s quit at once with a create on the wire", k)
			}
		}
		if !hs.m.quitAsk || !strings.Contains(hs.screen(), "Snapshot "+id+" sent, no answer yet") {
			t.Fatalf("no question naming the create:\n%s", hs.screen())
		}
		_, cmd := hs.m.Update(keyMsg("y"))
		if msgs := expand(cmd); len(msgs) != 1 || msgs[0] != (quitSeen{}) {
			t.Fatalf("y did not quit: %v", msgs)
		}
		r := hs.m.ExitReport()
		for _, want := range []string{
			"Snapshot " + id + " of cluster orders-prod may have been created: docsnap quit before AWS answered its create.",
			"  docsnap snapshot wait " + id + " --region us-east-1 --profile ops\n",
			"  docsnap --watch " + id + " --region us-east-1 --profile ops\n",
		} {
			if !strings.Contains(r, want) {
				t.Errorf("the exit report lacks %q:\n%s", want, r)
			}
		}
		noSecondCreate(t, r)
	})
	t.Run("outcome unknown", func(t *testing.T) {
		f := populated()
		f.createErr = &awsclient.Error{Kind: awsclient.KindTimeout, Op: "create snapshot", OutcomeUnknown: true}
		hs := newHarness(t, f, 100, 24)
		hs.press("s", "enter", "enter")
		if hs.m.flow.createErr == nil || !showing(hs.m, stageForm) {
			t.Fatal("the create did not fail")
		}
		hs.press("esc", "q")
		if !hs.m.quitAsk || !strings.Contains(hs.screen(), "Snapshot "+id+" may have been created") {
			t.Fatalf("q quit at once after a create whose outcome is unknown:\n%s", hs.screen())
		}
		r := hs.m.ExitReport()
		for _, want := range []string{
			"Snapshot " + id + " of cluster orders-prod may have been created: no answer came back to its create.",
			"  docsnap snapshot wait " + id + " --region us-east-1 --profile ops\n",
		} {
			if !strings.Contains(r, want) {
				t.Errorf("the exit report lacks %q:\n%s", want, r)
			}
		}
		noSecondCreate(t, r)
	})
}

// rebound is the key map with every action a user may rebind moved to a key
// none of them has by default.
func rebound(t *testing.T) (*ui.KeyMap, map[string]bool) {
	t.Helper()
	km := ui.DefaultKeyMap()
	defaults := map[string]bool{}
	to := []string{"f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12", "ctrl+x", "alt+q"}
	def := ui.DefaultKeyMap()
	for i, action := range ui.Actions {
		for _, k := range reboundBinding(&def, action).Keys() {
			defaults[k] = true
		}
		if err := km.Rebind(action, []string{to[i]}); err != nil {
			t.Fatal(err)
		}
	}
	if a, b, k, clash := km.Clash(); clash {
		t.Fatalf("%s and %s share %s", a, b, k)
	}
	return &km, defaults
}

// reboundBinding is the binding of an action of ui.Actions.
func reboundBinding(km *ui.KeyMap, action string) key.Binding {
	return map[string]key.Binding{"open": km.Open, "snapshot": km.Snapshot, "filter": km.Filter, "refresh": km.Refresh,
		"copy": km.Copy, "copy-arn": km.CopyARN, "sort": km.Sort, "sort-reverse": km.SortReverse, "profile": km.Profile,
		"region": km.Region, "command": km.Command, "help": km.Help, "quit": km.Quit}[action]
}

// pressKey sends keys named as Bubble Tea names them, f-keys and modifiers
// included.
func (hs *harness) pressKey(names ...string) {
	for _, name := range names {
		var k tea.KeyPressMsg
		switch {
		case strings.HasPrefix(name, "ctrl+") && len(name) == 6:
			k = tea.KeyPressMsg{Code: rune(name[5]), Mod: tea.ModCtrl}
		case strings.HasPrefix(name, "alt+") && len(name) == 5:
			k = tea.KeyPressMsg{Code: rune(name[4]), Mod: tea.ModAlt}
		case len(name) > 1 && name[0] == 'f' && name[1] >= '0' && name[1] <= '9':
			n, _ := strconv.Atoi(name[1:])
			k = tea.KeyPressMsg{Code: tea.KeyF1 + rune(n-1)}
		default:
			k = keyMsg(name)
		}
		if k.String() != name {
			hs.t.Fatalf("key %q is sent as %q", name, k.String())
		}
		hs.send(k)
	}
}

// namesNoDefaultKey checks that the frame names no default key of a
// rebound action, in its short help and in its full help, unless a binding
// live on the screen has that key (enter reviews the form; y answers the
// quit question). The line of a field being typed is left out: its text is
// the user's, its prompt a glyph.
func namesNoDefaultKey(t *testing.T, hs *harness, defaults map[string]bool, state string) {
	t.Helper()
	m := hs.m
	h := m.screenHelp()
	if m.cmdline.on {
		h = m.keys.CommandHelp()
	}
	live := map[string]bool{}
	for _, col := range h.Full {
		for _, b := range col {
			if b.Enabled() {
				for _, k := range b.Keys() {
					live[k] = true
				}
			}
		}
	}
	if m.quitAsk {
		for _, k := range append(m.keys.Yes.Keys(), m.keys.No.Keys()...) {
			live[k] = true
		}
	}
	for _, full := range []bool{false, true} {
		m.showHelp = full
		v := m.View()
		for i, line := range strings.Split(ansi.Strip(v.Content), "\n") {
			if v.Cursor != nil && i == v.Cursor.Y {
				continue
			}
			for _, w := range strings.Fields(line) {
				if w = strings.Trim(w, `(),.;"`); defaults[w] && !live[w] {
					t.Errorf("%s (full help %v): names %q, the default key of a rebound action:\n%s", state, full, w, line)
				}
			}
		}
		if m.screen == screenClusters && m.list.filtering {
			help := strings.Join(m.helpLines(), "\n")
			for _, w := range strings.FieldsFunc(ansi.Strip(help), func(r rune) bool { return r == ' ' || r == '/' }) {
				if w == "j" || w == "k" {
					t.Errorf("the help while typing a filter offers %s, which types itself:\n%s", w, ansi.Strip(help))
				}
			}
			for _, b := range m.keys.FilterHelp().Short {
				if slices.Contains(b.Keys(), "j") || slices.Contains(b.Keys(), "k") {
					t.Errorf("the help while typing a filter binds %v", b.Keys())
				}
			}
		}
	}
	m.showHelp = false
}

// TestReboundKeysAreNamedAsRebound rebinds every action a user may rebind
// and walks every screen and state it can reach, with the new keys: none
// names a key the user moved away from.
func TestReboundKeysAreNamedAsRebound(t *testing.T) {
	km, defaults := rebound(t)
	profiles := []awsclient.Profile{{Name: "ops", Region: "us-east-1"}, {Name: "dev", Region: "eu-west-1"}}
	withKeys := func(more ...appOption) []appOption {
		return append([]appOption{func(c *Config) {
			c.Keys = km
			c.Connect = (&accounts{}).connect
			c.Profiles = func() ([]awsclient.Profile, error) { return profiles, nil }
		}}, more...)
	}
	walk := func(t *testing.T, hs *harness, steps ...any) {
		t.Helper()
		namesNoDefaultKey(t, hs, defaults, "start")
		for i := 0; i < len(steps); i++ {
			switch s := steps[i].(type) {
			case string:
				hs.pressKey(s)
			case func():
				s()
			}
			namesNoDefaultKey(t, hs, defaults, fmt.Sprintf("step %d (%v)", i, steps[i]))
		}
	}
	typeText := func(hs *harness, s string) func() { return func() { hs.typeText(s) } }
	// is checks that the rebound keys led where they should.
	is := func(hs *harness, what string, ok func(m *Model) bool) func() {
		return func() {
			if !ok(hs.m) {
				t.Fatalf("not %s:\n%s", what, hs.screen())
			}
		}
	}

	t.Run("list, filter, cluster, form, confirm, progress, quit", func(t *testing.T) {
		f := populated()
		hs := newHarness(t, f, 120, 40, withKeys()...)
		walk(t, hs,
			"f4", typeText(hs, "ord"), "down", "enter", // a filter typed, then kept
			"esc", "f4", typeText(hs, "zzz"), "esc", // one that matches nothing, cleared
			"f8", "f9", "f2", // sorted, then the cluster screen
			is(hs, "on the cluster screen", func(m *Model) bool { return m.screen == screenCluster }),
			"f5", "f3", "tab", "ctrl+d", "ctrl+n", // the form, without tag rows, then with one
			is(hs, "on the form", func(m *Model) bool { return showing(m, stageForm) && len(m.flow.form.Rows()) == 1 }),
			"enter", "esc", "enter", // the confirmation, back, again
			"enter", // created: the progress screen
			is(hs, "on the progress screen", func(m *Model) bool { return m.screen == screenProgress }),
			func() {
				hs.clock.Advance(20 * time.Second)
				f.mu.Lock()
				f.descErr = &awsclient.Error{Kind: awsclient.KindThrottled, Op: "describe snapshot", Code: "Throttling"}
				f.mu.Unlock()
				hs.polls()
			},
			"r", "esc", "alt+q", "n", "alt+q", // the quit question, twice
		)
		if !hs.m.quitAsk {
			t.Fatal("the rebound quit key did not ask")
		}
	})
	t.Run("form of a cluster not available, a failed create", func(t *testing.T) {
		f := populated()
		f.createErr = &awsclient.Error{Kind: awsclient.KindServerError, Op: "create snapshot", Code: "InternalFailure", OutcomeUnknown: true}
		hs := newHarness(t, f, 120, 40, withKeys()...)
		walk(t, hs, "j", "j", "f3", "esc", "g", "f3", "enter", "enter", "esc", "alt+q")
		if hs.m.flow.createErr == nil || !hs.m.quitAsk {
			t.Fatal("the create did not fail, or quitting did not ask")
		}
	})
	t.Run("protected cluster", func(t *testing.T) {
		hs := newHarness(t, populated(), 120, 40, withKeys(func(c *Config) { c.Protect = []string{"orders-*"} })...)
		walk(t, hs, "f3", "enter", typeText(hs, "orders-prod"))
	})
	t.Run("list errors", func(t *testing.T) {
		for _, err := range []error{
			&awsclient.Error{Kind: awsclient.KindAccessDenied, Op: "list clusters", Code: "AccessDenied"},
			&awsclient.Error{Kind: awsclient.KindExpiredCredentials, Op: "list clusters"},
			&awsclient.Error{Kind: awsclient.KindThrottled, Op: "list clusters", Code: "Throttling"},
		} {
			f := populated()
			f.listErr = err
			hs := newHarness(t, f, 120, 40, withKeys()...)
			walk(t, hs, "f5")
			// Several regions: one failed, then all.
			ok := regionFake("ops", "eu-west-1", "eu-one")
			hs = newHarness(t, f, 120, 40, withKeys(func(c *Config) { c.Clients = []awsclient.Client{f, ok} })...)
			walk(t, hs, "f5")
			bad := regionFake("ops", "eu-west-1")
			bad.listErr = err
			hs = newHarness(t, f, 120, 40, withKeys(func(c *Config) { c.Clients = []awsclient.Client{f, bad} })...)
			walk(t, hs)
		}
	})
	t.Run("empty list, tags that fail", func(t *testing.T) {
		hs := newHarness(t, newFake(), 120, 40, withKeys()...)
		walk(t, hs, "f5")
		f := populated()
		f.tagsErr = &awsclient.Error{Kind: awsclient.KindAccessDenied, Op: "list tags", Code: "AccessDenied"}
		hs = newHarness(t, f, 120, 40, withKeys()...)
		walk(t, hs, "f4", typeText(hs, "tag:team=payments"), "enter")
	})
	t.Run("pickers, command line", func(t *testing.T) {
		hs := newHarness(t, populated(), 120, 40, withKeys()...)
		walk(t, hs, "f10", is(hs, "in the picker", func(m *Model) bool { return m.screen == screenPicker }),
			typeText(hs, "zz"), "esc", "esc", "f11", "space", "esc",
			"f12", is(hs, "on the command line", func(m *Model) bool { return m.cmdline.on }), typeText(hs, "so"), "tab", "esc")
	})
	t.Run("demo without profiles", func(t *testing.T) {
		hs := newHarness(t, populated(), 120, 40, withKeys(func(c *Config) { c.Demo, c.Profiles = true, nil })...)
		walk(t, hs, "f10")
		if !strings.Contains(hs.screen(), "f11 switches its regions") {
			t.Fatalf("the demo's sentence:\n%s", hs.screen())
		}
	})
	t.Run("watch not found", func(t *testing.T) {
		hs := newHarness(t, populated(), 120, 40, withKeys(func(c *Config) { c.Watch = "nope" })...)
		walk(t, hs, "r", "esc")
	})
}
