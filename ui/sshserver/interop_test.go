package sshserver

import (
	"bytes"
	"encoding/pem"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// Interoperability with OpenSSH's client: the server is what people reach
// with `ssh -p 23234 host`. Skipped, saying why, where a tool is missing,
// unless DOCSNAP_REQUIRE_INTEROP=1 (as in CI), which makes that a failure.

func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("DOCSNAP_REQUIRE_INTEROP") == "1" {
				t.Fatalf("%s is required (DOCSNAP_REQUIRE_INTEROP=1) but not installed: apt-get install openssh-client tmux", tool)
			}
			t.Skipf("skipped: %s is not installed (apt-get install openssh-client tmux)", tool)
		}
	}
}

// openssh is an ssh command line for a harness: its own key, the server's
// host key pinned in a known_hosts file, and no user configuration.
type openssh struct {
	dir  string
	host string
	port string
}

func newOpenSSH(t testing.TB, h *harness) *openssh {
	t.Helper()
	host, port, err := net.SplitHostPort(h.addr)
	if err != nil {
		t.Fatal(err)
	}
	o := &openssh{dir: t.TempDir(), host: host, port: port}
	hostKey, err := LoadHostKey(h.srv.cfg.HostKeyPath)
	if err != nil {
		t.Fatal(err)
	}
	known := fmt.Sprintf("[%s]:%s %s", host, port, gossh.MarshalAuthorizedKey(hostKey.PublicKey()))
	if err := os.WriteFile(filepath.Join(o.dir, "known_hosts"), []byte(known), 0o600); err != nil {
		t.Fatal(err)
	}
	return o
}

// keyFile writes k's private key where ssh -i can read it.
func (o *openssh) keyFile(t testing.TB, name string, k testKey) string {
	t.Helper()
	block, err := gossh.MarshalPrivateKey(k.priv, name)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(o.dir, name)
	if err := os.WriteFile(p, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func (o *openssh) args(user string, extra ...string) []string {
	a := []string{"-F", "/dev/null", "-p", o.port,
		"-o", "UserKnownHostsFile=" + filepath.Join(o.dir, "known_hosts"),
		"-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
		"-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10", "-l", user}
	a = append(a, extra...)
	return append(a, o.host)
}

func (o *openssh) run(t *testing.T, user string, extra ...string) (stderr string, code int) {
	t.Helper()
	cmd := exec.Command("ssh", o.args(user, extra...)...)
	cmd.Env = append(os.Environ(), "SSH_AUTH_SOCK=") // no agent keys
	var errb bytes.Buffer
	cmd.Stderr = &errb
	cmd.Stdin = strings.NewReader("")
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return errb.String(), ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return errb.String(), 0
}

func TestOpenSSHRefusals(t *testing.T) {
	need(t, "ssh")
	alice, mallory := newKey(t, "alice"), newKey(t, "mallory")
	h := start(t, fullConfig(t, alice))
	o := newOpenSSH(t, h)
	aliceKey, malloryKey := o.keyFile(t, "alice", alice), o.keyFile(t, "mallory", mallory)

	// No terminal: one line, exit 1.
	stderr, code := o.run(t, "alice", "-i", aliceKey, "-T")
	if code != 1 || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.Contains(stderr, "no terminal") {
		t.Errorf("ssh -T: exit %d, stderr %q; want exit 1 and one line about the terminal", code, stderr)
	}
	// Unknown key, password, keyboard-interactive: only publickey is offered.
	for name, extra := range map[string][]string{
		"unknown key":          {"-i", malloryKey},
		"password":             {"-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no"},
		"keyboard-interactive": {"-o", "PreferredAuthentications=keyboard-interactive", "-o", "PubkeyAuthentication=no"},
	} {
		stderr, code := o.run(t, "eve", extra...)
		if code != 255 || !strings.Contains(stderr, "Permission denied (publickey)") {
			t.Errorf("%s: exit %d, stderr %q; want 255 and Permission denied (publickey)", name, code, stderr)
		}
	}
}

// tmux runs a command in a terminal of its own, for a client that needs
// one (ssh -t), and reads the screen as a person sees it.
type tmux struct {
	t      testing.TB
	socket string
	status string // the command's exit status is written here
}

func newTmux(t testing.TB, w, h int, command []string) *tmux {
	t.Helper()
	dir := t.TempDir()
	x := &tmux{t: t, socket: filepath.Join(dir, "tmux.sock"), status: filepath.Join(dir, "status")}
	quoted := make([]string, len(command))
	for i, a := range command {
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	script := strings.Join(quoted, " ") + "; echo $? > " + x.status + ".tmp && mv " + x.status + ".tmp " + x.status
	x.cmd("new-session", "-d", "-s", "docsnap", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), "sh", "-c", script)
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", x.socket, "kill-server").Run() })
	return x
}

func (x *tmux) cmd(args ...string) string {
	x.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", x.socket}, args...)...).CombinedOutput()
	if err != nil {
		x.t.Fatalf("tmux %v: %v: %s", args, err, out)
	}
	return string(out)
}

func (x *tmux) screen() string { return x.cmd("capture-pane", "-p", "-t", "docsnap") }

// eventually polls until ok: tmux and ssh are other processes, with no
// event to wait on.
func (x *tmux) eventually(what string, ok func() bool) {
	x.t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !ok() {
		if time.Now().After(deadline) {
			x.t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (x *tmux) waitScreen(sub string) string {
	x.t.Helper()
	var s string
	x.eventually(fmt.Sprintf("the terminal to show %q", sub), func() bool {
		s = x.screen()
		return strings.Contains(s, sub)
	})
	return s
}

// exitStatus waits for the command to end and returns its exit status.
func (x *tmux) exitStatus() int {
	x.t.Helper()
	var data []byte
	x.eventually("the command to exit", func() bool {
		var err error
		data, err = os.ReadFile(x.status)
		return err == nil
	})
	var code int
	if _, err := fmt.Sscan(string(data), &code); err != nil {
		x.t.Fatalf("exit status %q: %v", data, err)
	}
	return code
}

func TestOpenSSHSessionInATerminal(t *testing.T) {
	need(t, "ssh", "tmux")
	alice := newKey(t, "alice")
	h := start(t, fullConfig(t, alice))
	o := newOpenSSH(t, h)
	key := o.keyFile(t, "alice", alice)
	x := newTmux(t, 100, 30, append([]string{"env", "SSH_AUTH_SOCK=", "ssh"}, o.args("alice", "-t", "-i", key)...))
	x.waitScreen("orders-prod")
	x.cmd("send-keys", "-t", "docsnap", "q")
	if code := x.exitStatus(); code != 0 {
		t.Errorf("ssh exit %d after q, want 0", code)
	}
	h.logs.waitRecord(t, "the end record", msgIs("session end", "user", "alice", "end", "quit"))
}
