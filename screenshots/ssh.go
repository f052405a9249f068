package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/vt"
	"github.com/docsnap/docsnap/awsclient/emulator"
	"github.com/docsnap/docsnap/model"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/sshserver"
	gossh "golang.org/x/crypto/ssh"
)

// sshWait bounds each wait for the session's screen. It is a failure
// guard, never a delay: every wait ends as soon as the screen shows what it
// waits for.
const sshWait = 30 * time.Second

// sshSession is a real session of `docsnap serve --demo` on a loopback
// port, through a real SSH client with a 100x24 xterm: its demo world is
// the fleet at the fixed clock, and its model has no timers (nothing
// animates). The screen is what a terminal emulator shows of the bytes the
// session sent, as they stood when the app left the alternate screen.
func sshSession() (string, error) {
	dir, err := os.MkdirTemp("", "docsnap-screenshots-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	hostKey := filepath.Join(dir, "host_key")
	clock := emulator.NewClock(start)
	srv, err := sshserver.New(sshserver.Config{
		HostKeyPath: hostKey,
		Demo:        true,
		Backend: sshserver.DemoWorlds(emulator.Options{Now: clock.Now, SnapshotDuration: snapshotDuration, Seed: 1},
			emulator.DemoFleet),
		NewApp: func(a sshserver.AppConfig) tea.Model {
			return model.New(model.Config{Client: a.Client, Demo: a.Demo, ReadOnly: a.ReadOnly, Now: clock.Now,
				PollInterval: pollInterval, Rand: func() float64 { return 0.5 },
				After: func(time.Duration, tea.Msg) tea.Cmd { return nil }, Theme: ui.ThemeDark})
		},
	})
	if err != nil {
		return "", err
	}
	host, err := sshserver.LoadHostKey(hostKey)
	if err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		_ = srv.Close()
		<-served
	}()

	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", err
	}
	signer, err := gossh.NewSignerFromKey(key)
	if err != nil {
		return "", err
	}
	conn, err := gossh.Dial("tcp", ln.Addr().String(), &gossh.ClientConfig{User: "visitor",
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.FixedHostKey(host.PublicKey()), Timeout: sshWait})
	if err != nil {
		return "", fmt.Errorf("ssh: %w", err)
	}
	defer conn.Close()
	sess, err := conn.NewSession()
	if err != nil {
		return "", fmt.Errorf("ssh session: %w", err)
	}
	defer sess.Close()
	if err := sess.Setenv("COLORTERM", "truecolor"); err != nil {
		return "", fmt.Errorf("ssh env: %w", err)
	}
	if err := sess.RequestPty("xterm-256color", height, width, gossh.TerminalModes{}); err != nil {
		return "", fmt.Errorf("ssh pty: %w", err)
	}
	keys, err := sess.StdinPipe()
	if err != nil {
		return "", err
	}
	tty := newTTY()
	defer tty.close()
	sess.Stdout, sess.Stderr = tty, tty
	if err := sess.Shell(); err != nil {
		return "", fmt.Errorf("ssh shell: %w", err)
	}
	ended := make(chan error, 1)
	go func() {
		ended <- sess.Wait()
		tty.wake()
	}()

	if err := tty.waitFor("the clusters listed", "16 clusters"); err != nil {
		return "", err
	}
	// Filter down to the cluster, keep the filter, open the cluster.
	if _, err := io.WriteString(keys, "/"+second+enter+enter); err != nil {
		return "", err
	}
	if err := tty.waitFor("the cluster screen loaded", "Cluster "+second, second+"-pre-migration", second+"-1", "cost-center=cc-1042"); err != nil {
		return "", err
	}
	if _, err := io.WriteString(keys, "q"); err != nil {
		return "", err
	}
	select {
	case err := <-ended:
		if err != nil {
			return "", fmt.Errorf("the session ended with %w", err)
		}
	case <-time.After(sshWait):
		return "", errors.New("the session did not end after q")
	}
	return tty.lastScreen()
}

// tty is the client's terminal: it keeps every byte the session sent and
// shows them on an emulator, for waiting on the screen.
type tty struct {
	mu    sync.Mutex
	cond  *sync.Cond
	raw   bytes.Buffer
	live  *vt.Emulator
	close func()
}

func newTTY() *tty {
	t := &tty{}
	t.live, t.close = newTerminal()
	t.cond = sync.NewCond(&t.mu)
	return t
}

func (t *tty) Write(p []byte) (int, error) {
	t.mu.Lock()
	t.raw.Write(p)
	_, _ = t.live.Write(p)
	t.mu.Unlock()
	t.cond.Broadcast()
	return len(p), nil
}

func (t *tty) wake() { t.cond.Broadcast() }

// waitFor waits until the screen shows every one of subs.
func (t *tty) waitFor(what string, subs ...string) error {
	expired := false
	timer := time.AfterFunc(sshWait, func() {
		t.mu.Lock()
		expired = true
		t.mu.Unlock()
		t.cond.Broadcast()
	})
	defer timer.Stop()
	t.mu.Lock()
	defer t.mu.Unlock()
	for {
		screen := plain(t.live)
		ok := true
		for _, s := range subs {
			ok = ok && strings.Contains(screen, s)
		}
		switch {
		case ok:
			return nil
		case expired:
			return fmt.Errorf("ssh: gave up waiting for %s; the screen:\n%s", what, screen)
		}
		t.cond.Wait()
	}
}

// lastScreen is the app's last screen: the bytes up to where it left the
// alternate screen, read by a fresh terminal and written back as a frame.
func (t *tty) lastScreen() (string, error) {
	t.mu.Lock()
	raw := t.raw.String()
	t.mu.Unlock()
	end := strings.LastIndex(raw, "\x1b[?1049l")
	if end < 0 {
		return "", errors.New("ssh: the session never left the alternate screen")
	}
	return emulate(raw[:end], frame), nil
}
