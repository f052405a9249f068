package sshserver

import (
	"testing"

	"go.uber.org/goleak"
)

// TestServerLifecycleLeaksNothing runs sessions that end every way a session
// can (quit, refused, panic, shutdown) and then checks that the server left
// no goroutine behind.
func TestServerLifecycleLeaksNothing(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	// Registered first, so it runs after every other cleanup (clients,
	// listeners).
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })

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
