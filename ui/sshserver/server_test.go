package sshserver

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient/emulator"
	gossh "golang.org/x/crypto/ssh"
)

// fullConfig is a real-AWS style server: keys files, and one shared SDK
// client for every session, talking to a local endpoint over HTTP.
func fullConfig(t testing.TB, full ...testKey) Config {
	cfg, _ := sharedConfig(t, full...)
	return cfg
}

func sharedConfig(t testing.TB, full ...testKey) (Config, *emulator.Server) {
	t.Helper()
	world := emulator.New(emulator.Options{})
	world.Load(emulator.DemoFleet())
	ep, err := emulator.Listen("127.0.0.1:0", world)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ep.Close() })
	c, err := localClient(ep.URL)
	if err != nil {
		t.Fatal(err)
	}
	return Config{
		AuthorizedKeys: writeKeys(t, full...),
		Backend:        Shared(c),
		NewApp:         realApp,
	}, world
}

func TestAuthorizedKeySeesClusterList(t *testing.T) {
	alice := newKey(t, "alice@laptop")
	h := start(t, fullConfig(t, alice))
	c := openTUI(t, h.dialKey(t, "alice", alice), 100, 30)
	c.waitText(t, "orders-prod")
	start := h.logs.waitRecord(t, "session start", msgIs("session start", "user", "alice"))
	if start["key"] != alice.fp || start["role"] != "full" || start["key_comment"] != "alice@laptop" {
		t.Errorf("start record = %v, want key %s, role full, comment alice@laptop", start, alice.fp)
	}
	c.press(t, "q")
	if code := c.exit(t); code != 0 {
		t.Errorf("exit status %d after q, want 0", code)
	}
	end := h.logs.waitRecord(t, "session end", msgIs("session end", "user", "alice"))
	if end["end"] != "quit" || end["duration"] == "" {
		t.Errorf("end record = %v", end)
	}
}

func TestUnknownKeyRefused(t *testing.T) {
	alice, mallory := newKey(t, "alice"), newKey(t, "mallory")
	h := start(t, fullConfig(t, alice))
	_, err := h.dial(t, "mallory", gossh.PublicKeys(mallory.signer))
	if err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("dial with an unknown key: %v, want an authentication failure", err)
	}
	r := h.logs.waitRecord(t, "the refusal record", msgIs("connection refused", "user", "mallory"))
	if keys, _ := r["refused_keys"].([]any); len(keys) != 1 || keys[0] != mallory.fp {
		t.Errorf("refused_keys = %v, want [%s]", r["refused_keys"], mallory.fp)
	}
}

func TestPasswordAndKeyboardInteractiveRefused(t *testing.T) {
	for _, demo := range []bool{false, true} {
		cfg := fullConfig(t, newKey(t, "alice"))
		if demo {
			cfg.AuthorizedKeys, cfg.Demo = "", true
		}
		h := start(t, cfg)
		methods := map[string]gossh.AuthMethod{
			"password": gossh.Password("hunter2"),
			"keyboard-interactive": gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
				return []string{"hunter2"}, nil
			}),
		}
		for name, m := range methods {
			_, err := h.dial(t, "eve", m)
			if err == nil {
				t.Errorf("demo=%v: %s authentication was accepted", demo, name)
				continue
			}
			// The server never offers the method, so the client cannot
			// even try it.
			if !strings.Contains(err.Error(), "no supported methods remain") || strings.Contains(err.Error(), name) {
				t.Errorf("demo=%v: %s: %v, want the method not offered", demo, name, err)
			}
		}
	}
}

func TestReadOnlyKeyCannotCreate(t *testing.T) {
	alice, bob := newKey(t, "alice"), newKey(t, "bob")
	cfg, world := sharedConfig(t, alice)
	cfg.ReadOnlyKeys = writeKeys(t, bob)
	h := start(t, cfg)
	c := openTUI(t, h.dialKey(t, "bob", bob), 100, 30)
	h.screens.waitScreen(t, "bob", "orders-prod")
	c.press(t, "s")
	h.screens.waitScreen(t, "bob", "read-only")
	if strings.Contains(h.screens.get("bob"), "New snapshot of") {
		t.Error("the snapshot form opened for a read-only key")
	}
	r := h.logs.waitRecord(t, "bob's start", msgIs("session start", "user", "bob"))
	if r["role"] != "read-only" {
		t.Errorf("role = %v, want read-only", r["role"])
	}
	if n := world.Calls("CreateDBClusterSnapshot"); n != 0 {
		t.Errorf("a read-only session sent %d CreateDBClusterSnapshot calls", n)
	}
}

func TestKeyInBothFilesIsReadOnly(t *testing.T) {
	bob := newKey(t, "bob")
	g := &gate{}
	var err error
	if g.full, err = loadKeysFile(writeKeys(t, bob)); err != nil {
		t.Fatal(err)
	}
	if g.readOnly, err = loadKeysFile(writeKeys(t, bob)); err != nil {
		t.Fatal(err)
	}
	if r, _, _ := g.role(bob.signer.PublicKey()); r != RoleReadOnly {
		t.Errorf("role = %v, want read-only", r)
	}
}

func TestNoPTYRefused(t *testing.T) {
	alice := newKey(t, "alice")
	h := start(t, fullConfig(t, alice))
	sess := h.dialKey(t, "alice", alice)
	var out strings.Builder
	sess.Stdout, sess.Stderr = &out, &out
	err := sess.Shell()
	if err != nil {
		t.Fatal(err)
	}
	if code := exitStatus(t, sess.Wait()); code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	got := strings.TrimRight(out.String(), "\n")
	if strings.Count(got, "\n") != 0 || !strings.Contains(got, "no terminal") || !strings.Contains(got, "ssh -t") {
		t.Errorf("message %q, want one line about the missing terminal", got)
	}
}

func TestCommandRefused(t *testing.T) {
	alice := newKey(t, "alice")
	h := start(t, fullConfig(t, alice))
	sess := h.dialKey(t, "alice", alice)
	if err := sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	out, err := sess.CombinedOutput("cat /etc/passwd")
	if code := exitStatus(t, err); code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	if !strings.Contains(string(out), "runs no commands") {
		t.Errorf("output %q", out)
	}
}

func TestMaxSessions(t *testing.T) {
	alice := newKey(t, "alice")
	cfg := fullConfig(t, alice)
	cfg.MaxSessions = 2
	h := start(t, cfg)
	for _, u := range []string{"one", "two"} {
		openTUI(t, h.dialKey(t, u, alice), 80, 24)
		h.screens.waitScreen(t, u, "orders-prod")
	}
	third := openTUI(t, h.dialKey(t, "three", alice), 80, 24)
	if code := third.exit(t); code != 1 {
		t.Errorf("third session exit %d, want 1", code)
	}
	if !strings.Contains(third.text(), "the server is full (2 sessions)") {
		t.Errorf("third session was told %q", third.text())
	}
	if n := h.srv.Sessions(); n != 2 {
		t.Errorf("%d sessions running, want 2", n)
	}
}

func TestPanicEndsOnlyThatSession(t *testing.T) {
	alice := newKey(t, "alice")
	cfg := fullConfig(t, alice)
	cfg.NewApp = bombApp
	h := start(t, cfg)
	calm := openTUI(t, h.dialKey(t, "calm", alice), 80, 24)
	h.screens.waitScreen(t, "calm", "orders-prod")
	wild := openTUI(t, h.dialKey(t, "wild", alice), 80, 24)
	h.screens.waitScreen(t, "wild", "orders-prod")
	wild.press(t, "!")
	if code := wild.exit(t); code != 1 {
		t.Errorf("panicking session exit %d, want 1", code)
	}
	if !strings.Contains(wild.text(), "an internal error ended this session") {
		t.Errorf("panicking session was told %q", wild.text())
	}
	r := h.logs.waitRecord(t, "the panic record", msgIs("session panic", "user", "wild"))
	if r["panic"] != "planted fault" || !strings.Contains(r["stack"].(string), "planted.Update") {
		t.Errorf("panic record has no useful stack: %v", r)
	}
	// The other session and the server go on: a new session still works.
	openTUI(t, h.dialKey(t, "later", alice), 80, 24)
	h.screens.waitScreen(t, "later", "orders-prod")
	calm.press(t, "q")
	if code := calm.exit(t); code != 0 {
		t.Errorf("calm session exit %d", code)
	}
}

func TestIdleSessionIsClosed(t *testing.T) {
	alice := newKey(t, "alice")
	clock := newFakeClock()
	h := start(t, fullConfig(t, alice), clock.install)
	c := openTUI(t, h.dialKey(t, "alice", alice), 80, 24)
	h.screens.waitScreen(t, "alice", "orders-prod")
	clock.until(t, "the idle timer", func() bool { return clock.pending() == 1 })
	clock.advance(DefaultIdleTimeout)
	if code := c.exit(t); code != 0 {
		t.Errorf("exit %d, want 0", code)
	}
	if !strings.Contains(c.text(), "session closed after 15m0s without input") {
		t.Errorf("client was told %q", c.text())
	}
	h.logs.waitRecord(t, "the end record", msgIs("session end", "user", "alice", "end", "idle"))
}

func TestShutdownTellsSessionsThenEndsThem(t *testing.T) {
	alice := newKey(t, "alice")
	clock := newFakeClock()
	cfg := fullConfig(t, alice)
	cfg.IdleTimeout = -1 // only the grace timer on the clock
	h := start(t, cfg, clock.install)

	busy := openTUI(t, h.dialKey(t, "busy", alice), 80, 24)
	h.screens.waitScreen(t, "busy", "orders-prod")
	createSnapshot(t, h, busy, "busy")
	idle := openTUI(t, h.dialKey(t, "idle", alice), 80, 24)
	h.screens.waitScreen(t, "idle", "orders-prod")

	done := make(chan error, 1)
	go func() { done <- h.srv.Shutdown(t.Context()) }()
	for _, u := range []string{"busy", "idle"} {
		h.screens.waitScreen(t, u, "going down in 5s", "keep going at AWS")
	}
	clock.until(t, "the grace timer", func() bool { return clock.pending() == 1 })
	clock.advance(DefaultShutdownGrace)
	for _, c := range []*tui{busy, idle} {
		if code := c.exit(t); code != 0 {
			t.Errorf("exit %d, want 0", code)
		}
		if !strings.Contains(c.text(), "the server shut down") {
			t.Errorf("client was told %q", c.text())
		}
	}
	if !strings.Contains(busy.text(), "AWS is still creating these snapshots") || !strings.Contains(busy.text(), suggestedID) {
		t.Errorf("the session that created a snapshot was not told it goes on: %q", busy.text())
	}
	if err := <-done; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := <-h.served; err != nil {
		t.Errorf("Serve after Shutdown: %v", err)
	}
	h.served <- nil // for the cleanup
	end := h.logs.waitRecord(t, "busy's end", msgIs("session end", "user", "busy", "end", "shutdown"))
	if ids, _ := end["snapshots_in_flight"].([]any); len(ids) != 1 || ids[0] != suggestedID {
		t.Errorf("end record names %v in flight, want [%s]", end["snapshots_in_flight"], suggestedID)
	}
	if _, err := h.dial(t, "late", gossh.PublicKeys(alice.signer)); err == nil {
		t.Error("a connection was accepted after shutdown")
	}
}

func TestAuditRecordOnCreate(t *testing.T) {
	alice := newKey(t, "alice@laptop")
	h := start(t, fullConfig(t, alice))
	c := openTUI(t, h.dialKey(t, "alice", alice), 80, 24)
	h.screens.waitScreen(t, "alice", "orders-prod")
	createSnapshot(t, h, c, "alice")
	r := h.logs.waitRecord(t, "the audit record", msgIs("snapshot create"))
	want := map[string]any{"user": "alice", "key": alice.fp, "key_comment": "alice@laptop", "cluster": firstCluster,
		"snapshot": suggestedID, "outcome": "submitted", "status": "creating", "level": "INFO"}
	for k, v := range want {
		if r[k] != v {
			t.Errorf("audit %s = %v, want %v", k, r[k], v)
		}
	}
	if tags, _ := r["tags"].(map[string]any); tags["team"] != "ops" {
		t.Errorf("audit tags = %v, want team=ops", r["tags"])
	}
}

// A client without a terminal of its own (ssh -tt from a script) reports a
// 0x0 window: the app still draws, at 80x24.
func TestZeroSizeTerminalStillDraws(t *testing.T) {
	alice := newKey(t, "alice")
	h := start(t, fullConfig(t, alice))
	c := openTUI(t, h.dialKey(t, "alice", alice), 0, 0)
	c.waitText(t, "orders-prod")
}

// OpenSSH's ControlMaster multiplexes sessions on one connection: each is
// its own session, counted, logged and ended on its own.
func TestSessionsSharingAConnection(t *testing.T) {
	alice := newKey(t, "alice")
	h := start(t, fullConfig(t, alice))
	client, err := gossh.Dial("tcp", h.addr, &gossh.ClientConfig{User: "alice",
		Auth: []gossh.AuthMethod{gossh.PublicKeys(alice.signer)}, HostKeyCallback: gossh.InsecureIgnoreHostKey()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	var tuis []*tui
	for range 2 {
		sess, err := client.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		tuis = append(tuis, openTUI(t, sess, 80, 24))
	}
	for _, c := range tuis {
		c.waitText(t, "orders-prod")
	}
	if n := h.srv.Sessions(); n != 2 {
		t.Fatalf("%d sessions, want 2", n)
	}
	tuis[0].press(t, "q")
	if code := tuis[0].exit(t); code != 0 {
		t.Errorf("first session exit %d", code)
	}
	// The slot is freed just before the end record is written.
	h.logs.until(t, "one session left and its end record", func() bool {
		return h.srv.Sessions() == 1 && len(h.logs.find(t, msgIs("session end"))) > 0
	})
	starts := h.logs.find(t, msgIs("session start"))
	ends := h.logs.find(t, msgIs("session end"))
	if len(starts) != 2 || starts[0]["session"] == starts[1]["session"] {
		t.Fatalf("start records %v, want two sessions", starts)
	}
	if len(ends) != 1 || ends[0]["end"] != "quit" {
		t.Fatalf("end records %v, want one quit", ends)
	}
	select {
	case <-tuis[1].done:
		t.Error("the second session ended with the first")
	default:
	}
}

// Run is what `docsnap serve` calls: it serves until its context ends
// (SIGINT or SIGTERM), then shuts down.
func TestRunShutsDownWhenTheContextEnds(t *testing.T) {
	alice := newKey(t, "alice")
	logs := &logSink{}
	cfg := fullConfig(t, alice)
	cfg.Listen = "127.0.0.1:0"
	cfg.HostKeyPath = filepath.Join(t.TempDir(), "host_key")
	cfg.ShutdownGrace = 100 * time.Millisecond
	cfg.Log = slog.New(slog.NewJSONHandler(logs, nil))
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	ran := make(chan error, 1)
	go func() { ran <- srv.Run(ctx) }()
	serving := logs.waitRecord(t, "the serve record", msgIs("serve"))
	h := &harness{srv: srv, addr: serving["listen"].(string), logs: logs}
	c := openTUI(t, h.dialKey(t, "alice", alice), 80, 24)
	c.waitText(t, "orders-prod")
	cancel()
	if code := c.exit(t); code != 0 {
		t.Errorf("session exit %d", code)
	}
	if !strings.Contains(c.text(), "going down") || !strings.Contains(c.text(), "the server shut down") {
		t.Errorf("the session was not told: %q", c.text())
	}
	select {
	case err := <-ran:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(waitLimit):
		t.Fatal("Run did not return")
	}
	logs.waitRecord(t, "the stopped record", msgIs("stopped"))
}

// A signal that comes as the server starts (ctx already done) ends Run:
// Shutdown could run before Serve held the listener, which then accepted
// for ever.
func TestRunStoppedAtOnceReturns(t *testing.T) {
	for i := range 20 {
		cfg := Config{Demo: true, Backend: demoBackend(), NewApp: realApp, Listen: "127.0.0.1:0",
			HostKeyPath: filepath.Join(t.TempDir(), "host_key"), Log: slog.New(slog.NewJSONHandler(io.Discard, nil))}
		srv, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		done := make(chan error, 1)
		go func() { done <- srv.Run(ctx) }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("run %d: %v", i, err)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("run %d: Run did not return after its context was done", i)
		}
	}
}
