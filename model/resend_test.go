package model

import (
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
)

// TestResendAfterUnknownOutcome: a create whose outcome is unknown says the
// snapshot may exist under the identifier that was sent, to be sent again
// under that one, never another (not "press r", which would type into the
// form); sending the same input again (ctrl+r, or enter twice) marks it a
// resend, so that the client takes the first send's snapshot instead of
// reporting already-exists; an edited input is a fresh one.
func TestResendAfterUnknownOutcome(t *testing.T) {
	f := populated()
	f.createErr = &awsclient.Error{Kind: awsclient.KindUnreachable, Op: "create snapshot", OutcomeUnknown: true}
	hs := newHarness(t, f, 100, 30)
	hs.press("s", "enter", "enter")
	scr := hs.screen()
	id := hs.m.flow.lastInput.SnapshotID
	if !showing(hs.m, stageForm) || !strings.Contains(scr, "No answer came back: snapshot "+id+" may have been created.") ||
		!strings.Contains(scr, "Send it again under the same identifier, never another") ||
		!strings.Contains(scr, "docsnap takes that one: never two") || strings.Contains(scr, "press r") {
		t.Fatalf("an unknown outcome of %s is not said so:\n%s", id, scr)
	}
	// Still failing, now with a refusal: the first send's outcome is still unknown.
	f.mu.Lock()
	f.createErr = &awsclient.Error{Kind: awsclient.KindThrottled, Op: "create snapshot", Code: "Throttling"}
	f.mu.Unlock()
	hs.press("ctrl+r")
	f.mu.Lock()
	f.createErr = nil
	f.mu.Unlock()
	hs.press("enter", "enter")
	if hs.m.screen != screenProgress {
		t.Fatalf("screen %d after the resend", hs.m.screen)
	}
	f.mu.Lock()
	sends := append([]awsclient.CreateSnapshotInput(nil), f.creates...)
	f.mu.Unlock()
	if len(sends) != 3 || sends[0].Resend || !sends[1].Resend || !sends[2].Resend {
		t.Fatalf("sends %+v: want the first fresh, the two after it resends", sends)
	}

	// A fresh input after an unknown outcome of another is not a resend;
	// nor is the same input once its send succeeded.
	f.mu.Lock()
	f.createErr = &awsclient.Error{Kind: awsclient.KindTimeout, Op: "create snapshot", OutcomeUnknown: true}
	f.mu.Unlock()
	hs.press("esc", "s", "ctrl+u")
	hs.typeText("other-one")
	hs.press("enter", "enter") // fails, unknown
	hs.typeText("x")           // edited: other-onex
	f.mu.Lock()
	f.createErr = nil
	f.mu.Unlock()
	hs.press("enter", "enter")
	f.mu.Lock()
	last := f.creates[len(f.creates)-1]
	f.mu.Unlock()
	if last.SnapshotID != "other-onex" || last.Resend {
		t.Fatalf("an edited input went as %+v", last)
	}
}
