package sshserver

import (
	"context"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
	gossh "golang.org/x/crypto/ssh"
)

// TestServerLifecycleLeaksNothing runs sessions that end every way a session
// can (quit, refused, panic, shutdown) and then checks that the server left
// no goroutine behind.
func TestServerLifecycleLeaksNothing(t *testing.T) {
	ignore := ignoreCurrent(t)
	// Registered first, so it runs after every other cleanup (clients,
	// listeners).
	t.Cleanup(func() { verifyNone(t, ignore) })

	alice := newKey(t, "alice")
	clock := newFakeClock()
	cfg := fullConfig(t, alice)
	cfg.MaxSessions = 3
	cfg.NewApp = bombApp
	h := start(t, cfg, clock.install)

	quitter := openTUI(t, h.dialKey(t, "quitter", alice), 80, 24)
	h.screens.waitScreen(t, "quitter", "orders-prod")
	quitter.press(t, "q")
	quitter.exit(t)

	wild := openTUI(t, h.dialKey(t, "wild", alice), 80, 24)
	h.screens.waitScreen(t, "wild", "orders-prod")
	wild.press(t, "!")
	wild.exit(t)

	noPty := h.dialKey(t, "nopty", alice)
	if err := noPty.Shell(); err != nil {
		t.Fatal(err)
	}
	_ = noPty.Wait()

	stayer := openTUI(t, h.dialKey(t, "stayer", alice), 80, 24)
	h.screens.waitScreen(t, "stayer", "orders-prod")
	done := make(chan error, 1)
	go func() { done <- h.srv.Shutdown(t.Context()) }()
	h.screens.waitScreen(t, "stayer", "going down")
	clock.until(t, "the grace timer", func() bool { return clock.pending() == 2 }) // idle + grace
	clock.advance(DefaultShutdownGrace)
	stayer.exit(t)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestSessionEndsLeakNothing: the other ways a session ends (a read-only
// key refused a snapshot, then q; a snapshot in flight and the quit
// question answered y; the client vanishing mid-session after a resize;
// the idle timeout) leave no goroutine behind either, once the server and
// its endpoint are closed.
func TestSessionEndsLeakNothing(t *testing.T) {
	ignore := ignoreCurrent(t)
	t.Cleanup(func() { verifyNone(t, ignore) })

	alice, bob := newKey(t, "alice"), newKey(t, "bob")
	clock := newFakeClock()
	cfg, world := sharedConfig(t, alice)
	cfg.ReadOnlyKeys = writeKeys(t, bob)
	h := start(t, cfg, clock.install)

	viewer := openTUI(t, h.dialKey(t, "bob", bob), 80, 24)
	h.screens.waitScreen(t, "bob", "orders-prod")
	viewer.press(t, "s")
	h.screens.waitScreen(t, "bob", "read-only")
	viewer.press(t, "q")
	viewer.exit(t)

	maker := openTUI(t, h.dialKey(t, "maker", alice), 100, 30)
	h.screens.waitScreen(t, "maker", "orders-prod")
	createSnapshot(t, h, maker, "maker")
	maker.press(t, "q")
	h.screens.waitScreen(t, "maker", "still being created")
	maker.press(t, "y")
	maker.exit(t)
	if n := world.Calls("CreateDBClusterSnapshot"); n != 1 {
		t.Fatalf("%d creates", n)
	}

	conn, sess := dialConn(t, h, "gone", alice)
	gone := openTUI(t, sess, 80, 24)
	h.screens.waitScreen(t, "gone", "orders-prod")
	if err := gone.sess.WindowChange(12, 40); err != nil {
		t.Fatal(err)
	}
	h.screens.waitScreen(t, "gone", "docsnap")
	conn.Close() // the network goes: no quit, no channel close
	h.logs.waitRecord(t, "gone's end", msgIs("session end", "user", "gone"))

	idler := openTUI(t, h.dialKey(t, "idler", alice), 80, 24)
	h.screens.waitScreen(t, "idler", "orders-prod")
	clock.until(t, "the idle timer", func() bool { return clock.pending() == 1 })
	clock.advance(DefaultIdleTimeout)
	idler.exit(t)
}

// hanging is a client whose cluster listing hangs until its context ends,
// as a call to an endpoint that stopped answering does.
type hanging struct {
	awsclient.Client
	started chan struct{}
}

func (c hanging) Clusters() awsclient.Pages[awsclient.Cluster] { return hangingPages(c) }

type hangingPages hanging

func (hangingPages) More() bool { return true }

func (p hangingPages) Next(ctx context.Context) ([]awsclient.Cluster, error) {
	p.started <- struct{}{}
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestSessionEndStopsItsCalls: a session that ends while one of its calls
// hangs stops that call at once, rather than leaving it to the model's
// call timeout, so that nothing of the session outlives it.
func TestSessionEndStopsItsCalls(t *testing.T) {
	ignore := ignoreCurrent(t)
	t.Cleanup(func() { verifyNone(t, ignore) })

	alice := newKey(t, "alice")
	cfg, _ := sharedConfig(t, alice)
	c, err := localClient("http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{}, 1)
	cfg.Backend = Shared(hanging{Client: c, started: started})
	h := start(t, cfg)
	serving := ignoreCurrent(t)
	conn, sess := dialConn(t, h, "stuck", alice)
	stuck := openTUI(t, sess, 80, 24)
	<-started
	h.screens.waitScreen(t, "stuck", "Listing DocumentDB clusters")
	stuck.press(t, "q")
	stuck.exit(t)
	conn.Close()
	h.logs.waitRecord(t, "the end record", msgIs("session end", "user", "stuck"))
	if err := findLeaks(t, serving); err != nil {
		t.Fatalf("the session ended, and left behind: %v", err)
	}
}

// dialConn connects as user with a connection of its own, which the test
// can close (the network going away).
func dialConn(t *testing.T, h *harness, user string, k testKey) (*gossh.Client, *gossh.Session) {
	t.Helper()
	conn, err := gossh.Dial("tcp", h.addr, &gossh.ClientConfig{User: user, Auth: []gossh.AuthMethod{gossh.PublicKeys(k.signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey()}) //nolint:gosec // a test server on loopback
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	sess, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	return conn, sess
}

// TestClosedSessionEndsOnAnOpenConnection: a client that closes its session
// and keeps the connection (a multiplexing client, or one opening session
// after session) ends that session, its program and its slot, at once.
func TestClosedSessionEndsOnAnOpenConnection(t *testing.T) {
	alice := newKey(t, "alice")
	cfg := fullConfig(t, alice)
	cfg.MaxSessions = 1
	h := start(t, cfg)
	conn, sess := dialConn(t, h, "first", alice)
	openTUI(t, sess, 80, 24)
	h.screens.waitScreen(t, "first", "orders-prod")
	sess.Close()
	h.logs.waitRecord(t, "the end record", msgIs("session end", "user", "first", "end", "quit"))
	next, err := conn.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	openTUI(t, next, 80, 24).waitText(t, "orders-prod")
	if h.srv.Sessions() != 1 {
		t.Errorf("%d sessions, want the second one alone", h.srv.Sessions())
	}
}
