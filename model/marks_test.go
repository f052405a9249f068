package model

import (
	"slices"
	"strings"
	"testing"
)

// markedIDs are the identifiers of the marked clusters.
func markedIDs(m *Model) []string {
	var ids []string
	for _, r := range m.list.marked() {
		ids = append(ids, r.id)
	}
	return ids
}

// TestMarksOnTheClustersList: space marks the cursor's cluster and again
// unmarks it, ctrl+a marks every cluster the filter shows and again clears
// them; the header counts the marks and a marked row is drawn marked.
func TestMarksOnTheClustersList(t *testing.T) {
	hs := newHarness(t, populated(), 100, 16)
	if strings.Contains(hs.screen(), "marked") {
		t.Fatal("the header counts marks before any")
	}
	hs.press("space", "j", "space", "j", "space", "space")
	if got, want := markedIDs(hs.m), []string{"orders-prod", "orders-staging"}; !slices.Equal(got, want) {
		t.Fatalf("marked %v, want %v", got, want)
	}
	screen := hs.screen()
	if !strings.Contains(screen, "2 marked · 7 clusters") {
		t.Errorf("the header does not count the marks:\n%s", screen)
	}
	if !strings.Contains(screen, "  ✓ orders-prod ") || !strings.Contains(screen, "\n    legacy-catalog") {
		t.Errorf("the marked rows are not drawn marked:\n%s", screen)
	}

	hs.press("/")
	hs.typeText("orders")
	hs.press("enter", "ctrl+a") // both shown are marked already: clears
	if n := hs.m.list.marks.Len(); n != 0 {
		t.Fatalf("ctrl+a with every shown cluster marked left %d marked", n)
	}
	hs.press("ctrl+a")
	if got, want := markedIDs(hs.m), []string{"orders-prod", "orders-staging"}; !slices.Equal(got, want) {
		t.Fatalf("ctrl+a marked %v, want the clusters the filter shows %v", got, want)
	}
	hs.press("esc", "ctrl+a") // the filter cleared: marks the rest
	if n := hs.m.list.marks.Len(); n != 7 {
		t.Fatalf("ctrl+a without a filter marked %d of 7", n)
	}
	hs.press("ctrl+a")
	if n := hs.m.list.marks.Len(); n != 0 || strings.Contains(hs.screen(), "marked") {
		t.Fatalf("a second ctrl+a left %d marked:\n%s", n, hs.screen())
	}
}

// TestMarksSurviveARefreshOfTheirClusters: a refresh keeps the marks of
// the clusters still listed and drops those of the clusters gone, so that
// no snapshot is taken of a cluster no longer listed.
func TestMarksSurviveARefreshOfTheirClusters(t *testing.T) {
	f := populated()
	hs := newHarness(t, f, 100, 16)
	hs.press("space", "j", "space")
	f.mu.Lock()
	f.clusters = f.clusters[1:] // orders-prod is gone
	f.mu.Unlock()
	hs.press("r")
	if got, want := markedIDs(hs.m), []string{"orders-staging"}; !slices.Equal(got, want) || hs.m.list.marks.Len() != 1 {
		t.Fatalf("after a refresh: marked %v (%d), want %v", got, hs.m.list.marks.Len(), want)
	}
}

// TestNoMarksInReadOnly: marks are for snapshots, which read-only takes
// none of.
func TestNoMarksInReadOnly(t *testing.T) {
	hs := newHarness(t, populated(), 100, 16, func(c *Config) { c.ReadOnly = "read-only" })
	hs.press("space", "ctrl+a")
	if n := hs.m.list.marks.Len(); n != 0 {
		t.Fatalf("read-only marked %d clusters", n)
	}
}
