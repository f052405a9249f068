package model

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// These tests drive the model directly: Update, then the commands it
// returns, run at once and their messages fed back as the program would.
// Timers are recorded (Config.After) and delivered by the test.

type harness struct {
	t     *testing.T
	m     *Model
	f     *fakeClient
	clock *emulator.Clock
	timer *timers
}

func newHarness(t *testing.T, f *fakeClient, w, h int, opts ...appOption) *harness {
	hs := &harness{t: t, f: f, clock: emulator.NewClock(t0), timer: &timers{}}
	cfg := Config{Client: f, Now: hs.clock.Now, After: hs.timer.after, Rand: func() float64 { return 0.5 }}
	for _, o := range opts {
		o(&cfg)
	}
	hs.m = New(cfg)
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	hs.run(hs.m.Init())
	return hs
}

// send delivers msgs and everything their commands produce.
func (hs *harness) send(msgs ...tea.Msg) {
	for len(msgs) > 0 {
		msg := msgs[0]
		msgs = msgs[1:]
		_, cmd := hs.m.Update(msg)
		msgs = append(msgs, expand(cmd)...)
	}
}

func (hs *harness) run(cmd tea.Cmd) { hs.send(expand(cmd)...) }

func (hs *harness) press(keys ...string) {
	for _, k := range keys {
		hs.send(keyMsg(k))
	}
}

func (hs *harness) typeText(s string) {
	for _, r := range s {
		hs.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// expand runs a command, flattening batches. The program's own messages
// (the background colour query) are dropped: there is no terminal.
func expand(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case nil:
		return nil
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, expand(c)...)
		}
		return out
	case tea.QuitMsg:
		return []tea.Msg{quitSeen{}}
	default:
		if strings.HasPrefix(reflect.TypeOf(msg).String(), "tea.") {
			return nil
		}
		return []tea.Msg{msg}
	}
}

type quitSeen struct{}

func (hs *harness) screen() string { return ansi.Strip(hs.m.View().Content) }

func (hs *harness) polls() {
	hs.t.Helper()
	ps := take[pollMsg](hs.timer)
	if len(ps) == 0 {
		hs.t.Fatal("no poll scheduled")
	}
	for _, p := range ps {
		hs.send(p)
	}
}

func TestCursorStaysOnTheSameClusterAcrossRefresh(t *testing.T) {
	f := populated()
	hs := newHarness(t, f, 100, 8) // five rows show: the window scrolls
	hs.press("j", "j", "j")        // inventory-search-analytics-eu-replica
	row := hs.m.list.cur.Row()
	// Two clusters appear before it in the new listing.
	f.mu.Lock()
	f.clusters = append([]awsclient.Cluster{{ID: "aaa-new", Engine: "docdb", Status: "creating"}, {ID: "aab-new", Engine: "docdb", Status: "creating"}}, f.clusters...)
	f.mu.Unlock()
	hs.press("r")
	sel, _ := hs.m.list.selected()
	if sel.id != "inventory-search-analytics-eu-replica" || hs.m.list.cur.Row() != row {
		t.Fatalf("after refresh the cursor is on %q at line %d, want the same cluster at line %d", sel.id, hs.m.list.cur.Row(), row)
	}
	if len(hs.m.list.rows) != 9 {
		t.Fatalf("%d rows after refresh", len(hs.m.list.rows))
	}
}

func TestRefreshFailureKeepsTheList(t *testing.T) {
	f := populated()
	hs := newHarness(t, f, 100, 20)
	f.mu.Lock()
	f.listErr = &awsclient.Error{Kind: awsclient.KindExpiredCredentials, Op: "list clusters"}
	f.mu.Unlock()
	hs.press("r")
	if len(hs.m.list.rows) != 7 || hs.m.list.err == nil || hs.m.list.loading {
		t.Fatalf("rows %d err %v loading %v", len(hs.m.list.rows), hs.m.list.err, hs.m.list.loading)
	}
	if !strings.Contains(hs.screen(), "orders-prod") {
		t.Fatal("the old rows are gone")
	}
}

func TestPagesAppendAsTheyArrive(t *testing.T) {
	f := populated()
	f.pageSize = 2
	hs := newHarness(t, f, 100, 20)
	if n := f.Calls("DescribeDBClusters"); n != 4 {
		t.Fatalf("%d page calls for 7 clusters by 2", n)
	}
	if len(hs.m.list.rows) != 7 || hs.m.list.loading {
		t.Fatalf("rows %d loading %v", len(hs.m.list.rows), hs.m.list.loading)
	}
}

func TestFilterKeysAndHighlight(t *testing.T) {
	hs := newHarness(t, populated(), 100, 20)
	hs.press("/")
	hs.typeText("orders")
	if hs.m.list.Len() != 2 {
		t.Fatalf("%d matches", hs.m.list.Len())
	}
	hs.press("j") // typed, not a move
	if hs.m.list.Len() != 0 || hs.m.list.input.Value() != "ordersj" {
		t.Fatalf("j while filtering: %q, %d matches", hs.m.list.input.Value(), hs.m.list.Len())
	}
	hs.press("backspace", "down")
	if hs.m.list.cur.Pos() != 1 {
		t.Fatalf("down while filtering: pos %d", hs.m.list.cur.Pos())
	}
	content := hs.m.View().Content
	if !strings.Contains(content, hs.m.styles.Match.Render("orders")) && !strings.Contains(content, hs.m.styles.SelMatch.Render("orders")) {
		t.Fatal("the match is not highlighted")
	}
	hs.press("enter", "j") // enter keeps the filter; j moves again
	if !hs.m.list.filter.Active() || hs.m.list.filtering || hs.m.list.cur.Pos() != 1 {
		t.Fatalf("after enter: active %v filtering %v", hs.m.list.filter.Active(), hs.m.list.filtering)
	}
	hs.press("esc")
	if hs.m.list.filter.Active() || hs.m.list.Len() != 7 {
		t.Fatal("esc did not clear the filter")
	}
}

func TestNeverSendTwice(t *testing.T) {
	f := populated()
	hs := newHarness(t, f, 100, 24)
	hs.press("s", "enter")
	if !showing(hs.m, stageConfirm) {
		t.Fatal("not confirming")
	}
	// The create is in flight: hold its answer, press enter again.
	_, cmd := hs.m.Update(keyMsg("enter"))
	if cmd == nil {
		t.Fatal("enter did not send")
	}
	for range 3 {
		if _, again := hs.m.Update(keyMsg("enter")); again != nil && len(expand(again)) > 0 {
			t.Fatal("a second enter while sending did something")
		}
	}
	hs.run(cmd)
	if f.createCount() != 1 {
		t.Fatalf("%d creates", f.createCount())
	}
	hs.press("enter", "enter") // on the progress screen enter does nothing
	if f.createCount() != 1 || hs.m.screen != screenProgress {
		t.Fatalf("%d creates, screen %d", f.createCount(), hs.m.screen)
	}
}

func TestFailedCreateKeepsTheFormAndRetries(t *testing.T) {
	f := populated()
	f.createErr = &awsclient.Error{Kind: awsclient.KindServerError, Op: "create snapshot", Code: "InternalFailure", RequestID: "req-1"}
	hs := newHarness(t, f, 100, 30)
	hs.press("s", "tab")
	hs.typeText("team")
	hs.press("tab")
	hs.typeText("payments")
	hs.press("enter", "enter")
	if !showing(hs.m, stageForm) || hs.m.flow.createErr == nil {
		t.Fatalf("screen %d err %v", hs.m.screen, hs.m.flow.createErr)
	}
	in := hs.m.flow.form.Input()
	if in.SnapshotID != "orders-prod-2024-05-01-1234" || len(in.Tags) != 1 || in.Tags[0].Value != "payments" {
		t.Fatalf("the form lost what was typed: %+v", in)
	}
	scr := hs.screen()
	for _, want := range []string{"AWS had an internal error", "InternalFailure", "req-1", "ctrl+r"} {
		if !strings.Contains(scr, want) {
			t.Errorf("the form does not show %q", want)
		}
	}
	f.mu.Lock()
	f.createErr = nil
	f.mu.Unlock()
	hs.press("ctrl+r")
	if hs.m.screen != screenProgress || f.createCount() != 2 {
		t.Fatalf("retry: screen %d, %d creates", hs.m.screen, f.createCount())
	}
}

func TestRetryOnlyWhatFailed(t *testing.T) {
	f := populated()
	f.createErr = &awsclient.Error{Kind: awsclient.KindTimeout, Op: "create snapshot"}
	hs := newHarness(t, f, 100, 30)
	hs.press("s", "enter", "enter")
	hs.typeText("x") // edited since: ctrl+r must not send the new text unseen
	hs.press("ctrl+r")
	if f.createCount() != 1 {
		t.Fatalf("%d creates: ctrl+r sent an edited form without confirmation", f.createCount())
	}
}

func TestInvalidFormCannotBeSent(t *testing.T) {
	f := populated()
	hs := newHarness(t, f, 100, 30)
	hs.press("s", "ctrl+u")
	hs.typeText("1-bad")
	hs.press("enter", "enter", "ctrl+r")
	if !showing(hs.m, stageForm) || f.createCount() != 0 {
		t.Fatalf("screen %d, %d creates", hs.m.screen, f.createCount())
	}
	if !strings.Contains(hs.screen(), "Cannot send yet: 1 problem to fix in the snapshot identifier") {
		t.Fatal("the form does not say what blocks it")
	}
}

func TestReadOnlyRefusesTheForm(t *testing.T) {
	f := populated()
	hs := newHarness(t, f, 100, 20, func(c *Config) { c.ReadOnly = "This SSH key is read-only." })
	hs.press("s")
	if hs.m.screen != screenClusters || !strings.Contains(hs.screen(), "This SSH key is read-only.") {
		t.Fatalf("screen %d", hs.m.screen)
	}
	if strings.Contains(hs.screen(), "s snapshot") {
		t.Fatal("the help offers a snapshot")
	}
}

func TestPollingScheduleBudgetAndBackoff(t *testing.T) {
	f := populated()
	hs := newHarness(t, f, 100, 24, func(c *Config) { c.PollInterval = 10 * time.Second })
	hs.press("s", "enter", "enter")
	if d := hs.timer.delays(); len(d) != 1 || d[0] != 10*time.Second {
		t.Fatalf("first poll in %v", d)
	}
	// A second snapshot of the same cluster: still one poll loop.
	hs.press("esc", "s", "ctrl+u")
	hs.typeText("second-one")
	hs.press("enter", "enter")
	if d := hs.timer.delays(); len(d) != 1 {
		t.Fatalf("%d poll loops for one cluster", len(d))
	}
	before := f.Calls("DescribeDBClusterSnapshots")
	hs.polls()
	if n := f.Calls("DescribeDBClusterSnapshots") - before; n != 1 {
		t.Fatalf("%d calls for one poll of two snapshots of one cluster", n)
	}
	// The second finishes: one left, described by identifier.
	hs.clock.Advance(time.Minute)
	f.setProgress("second-one", "available", 100)
	hs.polls()
	if !strings.Contains(hs.screen(), "second-one is available") {
		t.Fatal("no notice of the finished snapshot")
	}
	// Throttled: the next poll is later, and the screen says so.
	f.mu.Lock()
	f.descErr = &awsclient.Error{Kind: awsclient.KindThrottled, Code: "Throttling"}
	f.mu.Unlock()
	hs.polls()
	if d := hs.timer.delays(); len(d) != 1 || d[0] != 20*time.Second {
		t.Fatalf("after throttling the next poll is in %v, want 20s", d)
	}
	hs.m.screen, hs.m.progress.watching = screenProgress, snapKey{hs.m.active[0], "orders-prod-2024-05-01-1234"} // the one still in flight
	if !strings.Contains(hs.screen(), "throttling") {
		t.Fatal("the progress screen does not say AWS is throttling")
	}
	f.mu.Lock()
	f.descErr = nil
	f.mu.Unlock()
	hs.polls()
	if d := hs.timer.delays(); len(d) != 1 || d[0] != 10*time.Second {
		t.Fatalf("after recovery the next poll is in %v, want 10s", d)
	}
}

func TestCheckNowPollsAtOnceAndOldTicksAreStale(t *testing.T) {
	f := populated()
	hs := newHarness(t, f, 100, 24)
	hs.press("s", "enter", "enter")
	old := take[pollMsg](hs.timer)
	before := f.Calls("DescribeDBClusterSnapshots")
	hs.press("r")
	if f.Calls("DescribeDBClusterSnapshots") != before+1 {
		t.Fatal("r did not check now")
	}
	hs.send(old[0]) // the first loop's tick: stale
	if f.Calls("DescribeDBClusterSnapshots") != before+1 {
		t.Fatal("a stale tick polled")
	}
}

// spinDown delivers the spinner's ticks (loading scheduled them) until it
// stops.
func (hs *harness) spinDown() {
	for range 10 {
		spins := take[spinMsg](hs.timer)
		if len(spins) == 0 {
			break
		}
		for _, s := range spins {
			hs.send(s)
		}
	}
}

func TestIdleSchedulesNothing(t *testing.T) {
	f := populated()
	hs := newHarness(t, f, 100, 24)
	hs.spinDown()
	hs.press("j", "k", "?", "?")
	hs.send(tea.WindowSizeMsg{Width: 90, Height: 20})
	if n := len(hs.timer.got); n != 0 {
		t.Fatalf("idle model scheduled %d timers: %+v", n, hs.timer.got)
	}
	if hs.m.View().Cursor != nil {
		t.Fatal("a cursor is shown while nothing is being typed")
	}
	// The form: a real, non-blinking terminal cursor, nothing scheduled.
	hs.press("s")
	v := hs.m.View()
	if v.Cursor == nil || v.Cursor.Blink {
		t.Fatalf("form cursor %+v", v.Cursor)
	}
	if len(hs.timer.got) != 0 {
		t.Fatal("the form scheduled a timer")
	}
}

func TestProgressClockRunsOnlyWhileInFlight(t *testing.T) {
	f := populated()
	hs := newHarness(t, f, 100, 24)
	hs.press("s", "enter", "enter")
	if len(take[clockMsg](hs.timer)) != 1 {
		t.Fatal("no clock on the progress screen")
	}
	hs.clock.Advance(time.Minute)
	f.setProgress("orders-prod-2024-05-01-1234", "available", 100)
	hs.polls()
	for _, c := range take[clockMsg](hs.timer) {
		hs.send(c)
	}
	if n := len(take[clockMsg](hs.timer)); n != 0 {
		t.Fatalf("the clock runs on after the snapshot finished (%d)", n)
	}
	if v := hs.m.View(); v.ProgressBar != nil {
		t.Fatalf("terminal progress bar left at %+v after success", v.ProgressBar)
	}
}

func TestQuitAsksWhileInFlightAndReports(t *testing.T) {
	f := populated()
	hs := newHarness(t, f, 100, 24)
	hs.press("q")
	if hs.m.quitAsk {
		t.Fatal("asked with nothing in flight")
	}
	hs = newHarness(t, populated(), 100, 24)
	hs.press("s", "enter", "enter", "q")
	if !hs.m.quitAsk {
		t.Fatal("did not ask")
	}
	hs.press("n")
	if hs.m.quitAsk {
		t.Fatal("n did not cancel")
	}
	_, cmd := hs.m.Update(keyMsg("ctrl+c"))
	if cmd != nil && len(expand(cmd)) > 0 {
		t.Fatal("ctrl+c quit at once with a snapshot in flight")
	}
	_, cmd = hs.m.Update(keyMsg("y"))
	if msgs := expand(cmd); len(msgs) != 1 || msgs[0] != (quitSeen{}) {
		t.Fatalf("y did not quit: %v", msgs)
	}
	r := hs.m.ExitReport()
	for _, want := range []string{"orders-prod-2024-05-01-1234", "aws docdb describe-db-cluster-snapshots --db-cluster-snapshot-identifier orders-prod-2024-05-01-1234", "--region us-east-1 --profile ops"} {
		if !strings.Contains(r, want) {
			t.Errorf("exit report lacks %q:\n%s", want, r)
		}
	}
}

func TestHostileStringsNeverReachTheTerminal(t *testing.T) {
	f := newFake()
	evil := "evil\x1b]0;owned\x07\x1b[2J\u202eenil\x9b31m"
	f.clusters = []awsclient.Cluster{{ID: evil, ARN: "arn:" + evil, Engine: "docdb", Status: "available\x1b[5m", EngineVersion: "5\x00.0",
		Members: []awsclient.Member{{InstanceID: evil}}}, {ID: "plain", ARN: "arn:plain", Engine: "docdb", Status: "available"}}
	f.instances[evil] = []awsclient.Instance{{ID: evil, Class: evil, Status: evil}}
	f.snapshots[evil] = []awsclient.Snapshot{{ID: evil, ClusterID: evil, Status: evil, Type: evil}}
	f.tags["arn:"+evil] = []awsclient.Tag{{Key: evil, Value: evil}}
	f.createErr = &awsclient.Error{Kind: awsclient.KindInvalidParameter, Op: "create", Code: evil, RequestID: evil, Message: evil}
	hs := newHarness(t, f, 120, 40)
	check := func(where string) {
		t.Helper()
		for _, bad := range []string{"\x07", "\x1b]", "\x1b[2J", "\u202e", "\x9b", "\u009b", "\x00", "\x1b[5m"} {
			if strings.Contains(hs.m.View().Content, bad) {
				t.Fatalf("%s: %q reached the frame", where, bad)
			}
		}
	}
	check("list")
	hs.press("enter")
	check("cluster")
	hs.press("s")
	check("snapshot refused") // AWS never lists such an identifier
	hs.press("esc", "j", "s")
	check("form")
	hs.press("enter")
	check("confirm")
	hs.press("enter")
	check("failed create")
	if !showing(hs.m, stageForm) {
		t.Fatal("the failed create did not return to the form")
	}
}

func TestEverySizeFits(t *testing.T) {
	f := populated()
	hs := newHarness(t, f, 100, 24)
	states := []func(){
		func() {},
		func() { hs.press("enter") },
		func() { hs.press("s", "tab") },
		func() { hs.press("enter") },
		func() { hs.press("enter") },
	}
	fitsEverySize(t, hs, states)
	hs.send(tea.WindowSizeMsg{Width: 1, Height: 1})
	if got := ansi.Strip(hs.m.View().Content); got != "d" && got != "…" {
		t.Fatalf("1x1 shows %q", got)
	}
}

// fitsEverySize drives hs through states and checks, at every size after
// each, that the frame fits and the cursor is inside it.
func fitsEverySize(t *testing.T, hs *harness, states []func()) {
	t.Helper()
	sizes := [][2]int{{0, 0}, {1, 1}, {2, 1}, {5, 3}, {19, 4}, {20, 5}, {20, 8}, {25, 6}, {40, 12}, {41, 13}, {60, 20}, {80, 24}, {200, 50}, {300, 10}}
	for i, state := range states {
		state()
		for _, sz := range sizes {
			hs.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			v := hs.m.View()
			checkFrame(t, v.Content, sz[0], sz[1])
			if c := v.Cursor; c != nil && (c.X >= max(sz[0], 1) || c.Y >= max(sz[1], 1)) {
				t.Errorf("state %d at %v: cursor at %d,%d", i, sz, c.X, c.Y)
			}
		}
	}
}

func TestMovementKeysAndMouse(t *testing.T) {
	f := newFake()
	for i := range 50 {
		f.clusters = append(f.clusters, awsclient.Cluster{ID: "c" + strings.Repeat("0", 3-len(itoa(i))) + itoa(i), Engine: "docdb", Status: "available"})
	}
	hs := newHarness(t, f, 80, 12) // 9 rows show
	pos := func() int { return hs.m.list.cur.Pos() }
	hs.press("G")
	if pos() != 49 {
		t.Fatalf("G: %d", pos())
	}
	hs.press("g", "pgdown")
	if pos() != 9 {
		t.Fatalf("pgdown: %d", pos())
	}
	hs.press("j", "down", "k")
	if pos() != 10 {
		t.Fatalf("j down k: %d", pos())
	}
	hs.send(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if pos() != 13 {
		t.Fatalf("wheel down: %d", pos())
	}
	hs.send(tea.MouseWheelMsg{Button: tea.MouseWheelUp}, tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	if pos() != 7 {
		t.Fatalf("wheel up: %d", pos())
	}
	from, _ := hs.m.list.cur.Visible()
	hs.send(tea.MouseClickMsg{Button: tea.MouseLeft, Y: 2 + 3}) // the fourth row shown
	if pos() != from+3 {
		t.Fatalf("click: %d, want %d", pos(), from+3)
	}
	if !strings.Contains(hs.screen(), "▌ "+hs.m.list.at(pos()).c.ID) {
		t.Fatal("the clicked row is not marked")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
