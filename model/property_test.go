package model

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
	"github.com/docsnap/docsnap/ui"
	"pgregory.net/rapid"
)

// keyFor is the key press whose String() is name, as a terminal sends it:
// "enter", "shift+tab", "ctrl+r", "pgdown", "G", "?".
func keyFor(name string) tea.KeyPressMsg {
	var mod tea.KeyMod
	for {
		switch {
		case strings.HasPrefix(name, "ctrl+") && len(name) > 5:
			mod |= tea.ModCtrl
			name = name[5:]
			continue
		case strings.HasPrefix(name, "alt+") && len(name) > 4:
			mod |= tea.ModAlt
			name = name[4:]
			continue
		case strings.HasPrefix(name, "shift+") && len(name) > 6:
			mod |= tea.ModShift
			name = name[6:]
			continue
		}
		break
	}
	named := map[string]rune{"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd, "enter": tea.KeyEnter,
		"esc": tea.KeyEscape, "tab": tea.KeyTab, "backspace": tea.KeyBackspace, "delete": tea.KeyDelete,
		"space": tea.KeySpace, "insert": tea.KeyInsert, "f1": tea.KeyF1}
	if code, ok := named[name]; ok {
		k := tea.KeyPressMsg{Code: code, Mod: mod}
		if code == tea.KeySpace && mod == 0 {
			k.Text = " "
		}
		return k
	}
	r := []rune(name)[0]
	if mod == 0 {
		return tea.KeyPressMsg{Code: r, Text: name}
	}
	return tea.KeyPressMsg{Code: r, Mod: mod}
}

// boundKeys is every key the default key map binds.
func boundKeys(t *testing.T) []string {
	km := reflect.ValueOf(ui.DefaultKeyMap())
	seen := map[string]bool{}
	var out []string
	for i := range km.NumField() {
		b, ok := km.Field(i).Interface().(key.Binding)
		if !ok {
			continue
		}
		for _, k := range b.Keys() {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
			if got := keyFor(k).String(); got != k {
				t.Fatalf("keyFor(%q) reads as %q", k, got)
			}
		}
	}
	return out
}

// Text that users paste and endpoints send: line breaks, escape sequences
// (clipboard writes, screen clears, titles), right-to-left text and bidi
// overrides, double-width and combining characters, emoji.
var hostileBits = []string{"\n", "\r\n", "\t", "\x1b[2J", "\x1b]52;c;SU5KRUNURUQ=\x07", "\x1b]0;pwned\x07", "\x9b31m",
	"\x1bP+q\x1b\\", "\u202e", "\u2066", "\u200f", "שלום", "مرحبا", "日本語", "表", "ｗｉｄｅ", "e\u0301", "👩‍👩‍👧", "🇫🇷",
	"☺\ufe0f", "\x00", "\x7f", "\xff", "a", "orders-prod", "tag:", "status:av", "\"", "!", ":", "=", " "}

func hostileText(maxParts int) *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		parts := rapid.SliceOfN(rapid.OneOf(rapid.SampledFrom(hostileBits), rapid.StringN(0, 4, 16)), 0, maxParts).Draw(t, "parts")
		return strings.Join(parts, "")
	})
}

// machine drives the root model as Bubble Tea would, but with every
// ordering a real network allows and some it does not: commands run when
// the test says, their messages (API results, timers) are delivered in any
// order, some twice, some long after they stopped mattering.
type machine struct {
	m       *Model
	keys    ui.KeyMap
	fakes   []*fakeClient
	timer   *timers
	clock   *emulator.Clock
	cmds    []tea.Cmd
	msgs    []tea.Msg // produced, not delivered yet
	old     []tea.Msg // delivered, for duplicates and stale ones
	bound   []string
	permits int // key presses that may send a create: enter on the confirmation, ctrl+r on a failed form
	w, h    int
}

func hostileFake(profile, region string) *fakeClient {
	f := regionFake(profile, region, "orders-prod", "payments-prod", "evil\x1b]52;c;SU5KRUNURUQ=\x07-\u202ename",
		"日本語-クラスタ-with-a-very-long-name-that-goes-on-and-on-and-on-and-on", "\x1b[2Jclear")
	f.pageSize = 2
	f.clusters[2].Status = "backing-up\x1b[31m"
	f.tags[f.clusters[1].ARN] = []awsclient.Tag{{Key: "docsnap:protected", Value: "true"}}
	f.tags[f.clusters[0].ARN] = []awsclient.Tag{{Key: "team\x1b]0;t\x07", Value: strings.Repeat("値", 256)}, {Key: "שלום", Value: "\u202eevil"}}
	f.snapshots["evil\x1b]52;c;SU5KRUNURUQ=\x07-\u202ename"] = []awsclient.Snapshot{{ID: "snap\x1b[2J", ClusterID: "evil\x1b]52;c;SU5KRUNURUQ=\x07-\u202ename",
		Status: "creating", PercentProgress: 12, Type: "manual"}}
	f.instances["orders-prod"] = []awsclient.Instance{{ID: "i\x1b[1m-1", ClusterID: "orders-prod", Status: "available", Writer: true}}
	return f
}

func newMachine(t *rapid.T, bound []string) *machine {
	ops := hostileFake("ops", "us-east-1")
	eu := hostileFake("ops", "eu-west-1")
	dev := hostileFake("dev", "us-east-1")
	acc := &accounts{clients: map[[2]string]*fakeClient{{"ops", "us-east-1"}: ops, {"ops", "eu-west-1"}: eu, {"dev", "us-east-1"}: dev}}
	mc := &machine{keys: ui.DefaultKeyMap(), fakes: []*fakeClient{ops, eu, dev}, timer: &timers{}, clock: emulator.NewClock(t0), bound: bound}
	cfg := Config{Client: ops, Now: mc.clock.Now, After: mc.timer.after, Rand: func() float64 { return 0.5 },
		Connect: acc.connect, Profiles: func() ([]awsclient.Profile, error) {
			return []awsclient.Profile{{Name: "ops"}, {Name: "dev\x1b[2J"}}, nil
		}, Protect: []string{"payments-*"}}
	if rapid.Bool().Draw(t, "two regions") {
		cfg.Clients = []awsclient.Client{ops, eu}
	}
	if rapid.Bool().Draw(t, "watch") {
		cfg.Watch = "snap\x1b[2J"
	}
	mc.m = New(cfg)
	mc.update(tea.WindowSizeMsg{Width: 100, Height: 30})
	mc.w, mc.h = 100, 30
	mc.cmds = append(mc.cmds, mc.m.Init())
	return mc
}

// update delivers one message, counting the presses that may send a
// create, and keeps the command it returns for later.
func (mc *machine) update(msg tea.Msg) {
	if k, ok := msg.(tea.KeyPressMsg); ok && !mc.m.cmdline.on && !mc.m.quitAsk {
		if showing(mc.m, stageConfirm) && key.Matches(k, mc.keys.Create) ||
			showing(mc.m, stageForm) && key.Matches(k, mc.keys.RetryCreate) {
			mc.permits++
		}
	}
	if ws, ok := msg.(tea.WindowSizeMsg); ok {
		mc.w, mc.h = ws.Width, ws.Height
	}
	_, cmd := mc.m.Update(msg)
	if cmd != nil {
		mc.cmds = append(mc.cmds, cmd)
	}
}

// run runs command i; a batch's commands join the queue, to run in any
// order.
func (mc *machine) run(i int) {
	cmd := mc.cmds[i]
	mc.cmds = append(mc.cmds[:i], mc.cmds[i+1:]...)
	msg := cmd()
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			if c != nil {
				mc.cmds = append(mc.cmds, c)
			}
		}
	default:
		if !strings.HasPrefix(reflect.TypeOf(msg).String(), "tea.") {
			mc.msgs = append(mc.msgs, msg)
		}
	}
}

func (mc *machine) creates() int {
	n := 0
	for _, f := range mc.fakes {
		n += f.createCount()
	}
	return n
}

func (mc *machine) actions() map[string]func(*rapid.T) {
	return map[string]func(*rapid.T){
		"bound key": func(t *rapid.T) {
			mc.update(keyFor(rapid.SampledFrom(mc.bound).Draw(t, "key")))
		},
		"printable": func(t *rapid.T) {
			r := rapid.RuneFrom([]rune("aAzZ09-_. :=/!\"שمع日表ｗé😀"), unicode.L, unicode.N, unicode.P, unicode.S).Draw(t, "rune")
			mc.update(tea.KeyPressMsg{Code: r, Text: string(r)})
		},
		"control key": func(t *rapid.T) {
			mod := rapid.SampledFrom([]tea.KeyMod{tea.ModCtrl, tea.ModAlt, tea.ModCtrl | tea.ModShift, tea.ModAlt | tea.ModCtrl}).Draw(t, "mod")
			code := rapid.SampledFrom([]rune{'a', 'c', 'e', 'k', 'l', 'n', 'r', 'u', 'w', 'z', tea.KeyF1, tea.KeyInsert,
				tea.KeyLeft, tea.KeyRight, tea.KeyBackspace, tea.KeyDelete, tea.KeyEscape, 0}).Draw(t, "code")
			mc.update(tea.KeyPressMsg{Code: code, Mod: mod})
		},
		"paste": func(t *rapid.T) {
			mc.update(tea.PasteMsg{Content: hostileText(12).Draw(t, "paste")})
		},
		"mouse": func(t *rapid.T) {
			x, y := rapid.IntRange(-3, 250).Draw(t, "x"), rapid.IntRange(-3, 80).Draw(t, "y")
			if rapid.Bool().Draw(t, "wheel") {
				b := rapid.SampledFrom([]tea.MouseButton{tea.MouseWheelUp, tea.MouseWheelDown, tea.MouseWheelLeft}).Draw(t, "wheel button")
				mc.update(tea.MouseWheelMsg{X: x, Y: y, Button: b})
			} else {
				b := rapid.SampledFrom([]tea.MouseButton{tea.MouseLeft, tea.MouseRight, tea.MouseMiddle}).Draw(t, "button")
				mc.update(tea.MouseClickMsg{X: x, Y: y, Button: b})
			}
		},
		"resize": func(t *rapid.T) {
			w := rapid.OneOf(rapid.IntRange(0, 3), rapid.IntRange(15, 30), rapid.IntRange(0, 220)).Draw(t, "width")
			h := rapid.OneOf(rapid.IntRange(0, 3), rapid.IntRange(4, 8), rapid.IntRange(0, 70)).Draw(t, "height")
			mc.update(tea.WindowSizeMsg{Width: w, Height: h})
		},
		"run command": func(t *rapid.T) {
			if len(mc.cmds) == 0 {
				return
			}
			mc.run(rapid.IntRange(0, len(mc.cmds)-1).Draw(t, "command"))
		},
		"deliver": func(t *rapid.T) {
			mc.msgs = append(mc.msgs, take[tea.Msg](mc.timer)...) // timers due, in any order
			if len(mc.msgs) == 0 {
				return
			}
			i := rapid.IntRange(0, len(mc.msgs)-1).Draw(t, "message")
			msg := mc.msgs[i]
			mc.msgs = append(mc.msgs[:i], mc.msgs[i+1:]...)
			mc.old = append(mc.old, msg)
			mc.update(msg)
		},
		"deliver again": func(t *rapid.T) {
			if len(mc.old) == 0 {
				return
			}
			mc.update(mc.old[rapid.IntRange(0, len(mc.old)-1).Draw(t, "old message")])
		},
		"time passes": func(t *rapid.T) {
			mc.clock.Advance(time.Duration(rapid.IntRange(1, 600).Draw(t, "seconds")) * time.Second)
		},
		"the API changes": func(t *rapid.T) {
			f := rapid.SampledFrom(mc.fakes).Draw(t, "fake")
			errs := []error{nil, nil,
				&awsclient.Error{Kind: awsclient.KindThrottled, Op: "call", Code: "Throttling", Message: "Rate \x1b[2Jexceeded\x1b]52;c;eA==\x07"},
				&awsclient.Error{Kind: awsclient.KindUnreachable, Op: "call", OutcomeUnknown: true},
				&awsclient.Error{Kind: awsclient.KindAccessDenied, Op: "call", Code: "AccessDenied", Message: "\u202eno\ttabs\nlines"},
				&awsclient.Error{Kind: awsclient.KindSnapshotExists, Op: "create snapshot", Code: "DBClusterSnapshotAlreadyExistsFault"},
				&awsclient.Error{Kind: awsclient.KindSnapshotNotFound, Op: "describe snapshot", Code: "DBClusterSnapshotNotFoundFault"},
				fmt.Errorf("plain error with \x1b[31mcolour\x1b[0m")}
			pick := func(what string) error { return rapid.SampledFrom(errs).Draw(t, what) }
			f.mu.Lock()
			f.listErr, f.listErrAt = pick("list error"), rapid.IntRange(0, 3).Draw(t, "failing page")
			f.createErr, f.descErr, f.tagsErr = pick("create error"), pick("describe error"), pick("tags error")
			ids := make([]string, 0, len(f.describe))
			for id := range f.describe {
				ids = append(ids, id)
			}
			f.mu.Unlock()
			if len(ids) > 0 {
				id := rapid.SampledFrom(ids).Draw(t, "snapshot")
				status := rapid.SampledFrom([]string{"creating", "available", "failed", "deleted", "creat\x1b[2Jing"}).Draw(t, "status")
				f.setProgress(id, status, rapid.IntRange(-5, 120).Draw(t, "percent"))
			}
		},
	}
}

// check holds the invariants after every step.
func (mc *machine) check(t *rapid.T) {
	m := mc.m
	for name, c := range map[string]struct{ pos, n int }{
		"list": {m.list.cur.Pos(), m.list.Len()}, "cluster": {m.detail.cur.Pos(), m.detail.cur.Len()},
		"picker": {m.picker.cur.Pos(), m.picker.cur.Len()},
	} {
		if c.pos < 0 || c.pos >= max(c.n, 1) {
			t.Fatalf("the %s cursor is at %d of %d rows", name, c.pos, c.n)
		}
	}
	if m.list.cur.Len() != m.list.Len() {
		t.Fatalf("the list cursor counts %d rows, the list shows %d", m.list.cur.Len(), m.list.Len())
	}
	if n := mc.creates(); n > mc.permits {
		t.Fatalf("%d snapshots created with %d confirmations", n, mc.permits)
	}
	content := m.View().Content
	if mc.w <= 0 || mc.h <= 0 {
		if content != "" {
			t.Fatalf("%dx%d: drew %q", mc.w, mc.h, content)
		}
		return
	}
	if bad := rawControl(content); bad != "" {
		t.Fatalf("screen %d: %s reached the frame", m.screen, bad)
	}
	lines := strings.Split(content, "\n")
	if len(lines) > mc.h || mc.w >= minWidth && mc.h >= minHeight && len(lines) != mc.h {
		t.Fatalf("%dx%d: %d lines on screen %d:\n%s", mc.w, mc.h, len(lines), m.screen, ansi.Strip(content))
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > mc.w {
			t.Fatalf("%dx%d: line %d is %d wide on screen %d: %q", mc.w, mc.h, i, w, m.screen, ansi.Strip(l))
		}
	}
}

// sgr is a style sequence, the only escape sequence a frame may hold.
var sgr = regexp.MustCompile(`\x1b\[[0-9;:]*m`)

// rawControl names the first thing in a frame that would drive the
// terminal rather than be drawn: an escape sequence other than a style, a
// control character other than a line break, a C1 control, or a
// bidirectional control (which reorders what follows it).
func rawControl(frame string) string {
	for _, r := range sgr.ReplaceAllString(frame, "") {
		switch {
		case r == '\n':
		case r < 0x20, r >= 0x7f && r <= 0x9f:
			return fmt.Sprintf("control character %U", r)
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return fmt.Sprintf("bidirectional control %U", r)
		}
	}
	return ""
}

// TestModelProperties drives the root model with long random sequences of
// keys (every bound key, printable runes, control keys), pastes of hostile
// text, mouse events at any coordinates, resizes (down to 0x0) and API
// results in any order, duplicated and stale, with the API failing and its
// data hostile: nothing panics, the cursors stay in range, no snapshot is
// created without a confirmation, no frame is wider than the terminal (nor
// taller), and nothing from data drives the terminal (only styles do). Raise -rapid.checks (and -rapid.steps) to look harder.
func TestModelProperties(t *testing.T) {
	bound := boundKeys(t)
	rapid.Check(t, func(t *rapid.T) {
		mc := newMachine(t, bound)
		actions := mc.actions()
		names := make([]string, 0, len(actions))
		for n := range actions {
			names = append(names, n)
		}
		slices.Sort(names)
		steps := rapid.IntRange(1, 400).Draw(t, "steps")
		mc.check(t)
		for range steps {
			name := rapid.SampledFrom(names).Draw(t, "action")
			actions[name](t)
			mc.check(t)
		}
	})
}
