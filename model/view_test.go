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
