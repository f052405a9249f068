package model

import (
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
)

// In a window too short for the whole footer, the filter being typed stays
// on screen, with the terminal's cursor in it; the lines above it give way.
func TestShortWindowKeepsTheFilterBeingTyped(t *testing.T) {
	hs := newHarness(t, populated(), 60, 5)
	hs.press("/")
	hs.typeText("ord")
	// A snapshot found being created adds the tracking line to the footer.
	hs.send(discoveredMsg{sc: hs.m.active[0], snaps: []awsclient.Snapshot{{ID: "found-elsewhere", ClusterID: "payments-ledger",
		Status: awsclient.StatusCreating, PercentProgress: 10, Created: t0}}})
	if hs.m.trackedLine() == "" {
		t.Fatal("no tracking line")
	}
	v := hs.m.View()
	lines := strings.Split(hs.screen(), "\n")
	if len(lines) != 5 || v.Cursor == nil {
		t.Fatalf("%d lines, cursor %v:\n%s", len(lines), v.Cursor, hs.screen())
	}
	if y := v.Cursor.Position.Y; !strings.HasPrefix(lines[y], "/ ord") {
		t.Fatalf("the cursor is on line %d, %q, not in the filter:\n%s", y, lines[y], hs.screen())
	}
	if !strings.HasPrefix(lines[4], "enter keep filter") {
		t.Fatalf("the help line gave way:\n%s", hs.screen())
	}
}

// View changes nothing: Update keeps the confirmation's scroll within its
// lines, and help lines drawn for a change made without an Update are not
// kept.
func TestViewChangesNothing(t *testing.T) {
	hs := newHarness(t, populated(), 40, 12)
	hs.press("s", "enter")
	for range 50 {
		hs.press("down")
	}
	if off := hs.m.flow.off; !showing(hs.m, stageConfirm) || off == 0 || off >= 50 {
		t.Fatalf("the scroll after 50 downs, before any View: %d", off)
	}
	off, cached := hs.m.flow.off, hs.m.helpCache.key
	short := hs.screen()
	hs.m.showHelp = true // changed without an Update
	full := hs.screen()
	if full == short {
		t.Fatalf("the full help is not drawn:\n%s", full)
	}
	if hs.m.flow.off != off || hs.m.helpCache.key != cached {
		t.Fatalf("View changed the model: scroll %d (was %d), help cached for the full help %v", hs.m.flow.off, off, hs.m.helpCache.key.full)
	}
}
