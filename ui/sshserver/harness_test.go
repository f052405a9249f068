package sshserver

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/wish/v2/testsession"
	"github.com/charmbracelet/x/ansi"
	"github.com/docsnap/docsnap/awsclient"
	gossh "golang.org/x/crypto/ssh"
)

// waitLimit bounds every wait for an event in these tests. It is a failure
// guard, never a delay: each wait returns as soon as its event happens.
const waitLimit = 30 * time.Second

// testKey is a client key pair and its authorized_keys line.
type testKey struct {
	priv   ed25519.PrivateKey
	signer gossh.Signer
	line   string
	fp     string
}

func newKey(t testing.TB, comment string) testKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(signer.PublicKey()))) + " " + comment + "\n"
	return testKey{priv: priv, signer: signer, line: line, fp: gossh.FingerprintSHA256(signer.PublicKey())}
}

func writeKeys(t testing.TB, keys ...testKey) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("# docsnap test keys\n\n")
	for _, k := range keys {
		b.WriteString(k.line)
	}
	p := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// broadcast is a value many goroutines wait on: each change wakes them all.
type broadcast struct {
	mu      sync.Mutex
	changed chan struct{}
}

func (b *broadcast) wake() {
	b.mu.Lock()
	if b.changed != nil {
		close(b.changed)
	}
	b.changed = make(chan struct{})
	b.mu.Unlock()
}

func (b *broadcast) wait() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.changed == nil {
		b.changed = make(chan struct{})
	}
	return b.changed
}

// until waits for cond to hold, re-checking after every change.
func (b *broadcast) until(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(waitLimit)
	defer deadline.Stop()
	for {
		ch := b.wait()
		if cond() {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}

// logSink collects the server's JSON log lines.
type logSink struct {
	broadcast
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	n, err := l.buf.Write(p)
	l.mu.Unlock()
	l.wake()
	return n, err
}

// records decodes every line; each must be one JSON object.
func (l *logSink) records(t testing.TB) []map[string]any {
	t.Helper()
	l.mu.Lock()
	data := l.buf.String()
	l.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(data), "\n") {
		if line == "" {
			continue
		}
		var r map[string]any
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("log line is not JSON: %q: %v", line, err)
		}
		out = append(out, r)
	}
	return out
}

func (l *logSink) find(t testing.TB, match func(map[string]any) bool) []map[string]any {
	var out []map[string]any
	for _, r := range l.records(t) {
		if match(r) {
			out = append(out, r)
		}
	}
	return out
}

// waitRecord waits for a log record that matches.
func (l *logSink) waitRecord(t testing.TB, what string, match func(map[string]any) bool) map[string]any {
	t.Helper()
	var got map[string]any
	l.until(t, what, func() bool {
		if rs := l.find(t, match); len(rs) > 0 {
			got = rs[0]
			return true
		}
		return false
	})
	return got
}

func msgIs(msg string, kv ...string) func(map[string]any) bool {
	return func(r map[string]any) bool {
		if r["msg"] != msg {
			return false
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if r[kv[i]] != kv[i+1] {
				return false
			}
		}
		return true
	}
}

// screens holds the last frame each session rendered, by SSH user name.
type screens struct {
	broadcast
	mu   sync.Mutex
	last map[string]string
	raw  map[string]string // with the escape sequences of its styles
}

func (s *screens) hook(ss *session, content string) {
	s.mu.Lock()
	if s.last == nil {
		s.last, s.raw = map[string]string{}, map[string]string{}
	}
	s.last[ss.who.user] = ansi.Strip(content)
	s.raw[ss.who.user] = content
	s.mu.Unlock()
	s.wake()
}

func (s *screens) get(user string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last[user]
}

func (s *screens) getRaw(user string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.raw[user]
}

// waitScreen waits until user's screen contains every one of subs.
func (s *screens) waitScreen(t testing.TB, user string, subs ...string) string {
	t.Helper()
	var got string
	s.until(t, user+"'s screen showing "+strings.Join(subs, ", "), func() bool {
		got = s.get(user)
		for _, sub := range subs {
			if !strings.Contains(got, sub) {
				return false
			}
		}
		return true
	})
	return got
}

// harness is a running server with its log and the screens of its sessions.
type harness struct {
	srv     *Server
	addr    string
	logs    *logSink
	screens *screens
	served  chan error
}

// start builds a server from cfg (filling a temporary host key and a JSON
// log) and serves it on a loopback port until the test ends.
func start(t testing.TB, cfg Config, before ...func(*Server)) *harness {
	t.Helper()
	h := &harness{logs: &logSink{}, screens: &screens{}, served: make(chan error, 1)}
	if cfg.HostKeyPath == "" {
		cfg.HostKeyPath = filepath.Join(t.TempDir(), "host_key")
	}
	cfg.Log = slog.New(slog.NewJSONHandler(h.logs, nil))
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv.viewHook = h.screens.hook
	for _, f := range before {
		f(srv)
	}
	h.srv = srv
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h.addr = ln.Addr().String()
	go func() { h.served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		_ = srv.Close()
		ln.Close() // Serve may not hold it yet (a test that ended at once): see Run
		if err := ignoreClosed(<-h.served); err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return h
}

// dial connects as user with the given auth methods, through wish's test
// client.
func (h *harness) dial(t testing.TB, user string, auth ...gossh.AuthMethod) (*gossh.Session, error) {
	t.Helper()
	return testsession.NewClientSession(t, h.addr, &gossh.ClientConfig{User: user, Auth: auth})
}

func (h *harness) dialKey(t testing.TB, user string, k testKey) *gossh.Session {
	t.Helper()
	s, err := h.dial(t, user, gossh.PublicKeys(k.signer))
	if err != nil {
		t.Fatalf("dial as %s: %v", user, err)
	}
	return s
}

// tui is a client session with a terminal: what it receives, and its keys.
type tui struct {
	broadcast
	sess *gossh.Session
	keys io.WriteCloser
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
	err  error // from Wait, once done

	background string // what to answer to the background colour query
	answered   bool
}

// openTUI asks for a PTY of w x h and a shell, as `ssh -t` does.
func openTUI(t testing.TB, sess *gossh.Session, w, h int) *tui {
	return openTerminal(t, sess, w, h, "xterm-256color", "", nil)
}

// openTerminal is openTUI with a TERM, an answer to the background colour
// query ("" answers nothing, as a terminal that does not know it), and
// environment variables for the client to send.
func openTerminal(t testing.TB, sess *gossh.Session, w, h int, term, background string, env map[string]string) *tui {
	t.Helper()
	c := &tui{sess: sess, done: make(chan struct{}), background: background}
	for k, v := range env {
		if err := sess.Setenv(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.RequestPty(term, h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	var err error
	if c.keys, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	sess.Stdout = c
	sess.Stderr = c
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() {
		c.err = sess.Wait()
		close(c.done)
		c.wake()
	}()
	return c
}

func (c *tui) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.out.Write(p)
	answer := c.background != "" && !c.answered && strings.Contains(c.out.String(), ansi.RequestBackgroundColor)
	c.answered = c.answered || answer
	c.mu.Unlock()
	if answer {
		// As a terminal does: the reply arrives as input.
		go io.WriteString(c.keys, "\x1b]11;"+c.background+"\x1b\\")
	}
	c.wake()
	return len(p), nil
}

// raw is everything received so far, escape sequences included.
func (c *tui) raw() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.String()
}

// text is everything received so far, escape sequences removed.
func (c *tui) text() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return ansi.Strip(c.out.String())
}

func (c *tui) waitText(t testing.TB, sub string) {
	t.Helper()
	c.until(t, "the client to receive "+sub, func() bool { return strings.Contains(c.text(), sub) })
}

func (c *tui) press(t testing.TB, keys string) {
	t.Helper()
	if _, err := io.WriteString(c.keys, keys); err != nil {
		t.Fatalf("send %q: %v", keys, err)
	}
}

// exit waits for the session to end and returns its exit status.
func (c *tui) exit(t testing.TB) int {
	t.Helper()
	select {
	case <-c.done:
	case <-time.After(waitLimit):
		t.Fatal("gave up waiting for the session to end")
	}
	return exitStatus(t, c.err)
}

func exitStatus(t testing.TB, err error) int {
	t.Helper()
	if err == nil {
		return 0
	}
	var ee *gossh.ExitError
	if errors.As(err, &ee) {
		return ee.ExitStatus()
	}
	t.Fatalf("session ended without an exit status: %v", err)
	return -1
}

// localClient is the real SDK client for a local endpoint.
func localClient(endpointURL string) (awsclient.Client, error) {
	return awsclient.NewLocal(awsclient.Options{EndpointURL: endpointURL})
}
