package model

import (
	"strings"
	"testing"
)

// TestFleetSmoke drives the fleet flow end to end with the fake.
func TestFleetSmoke(t *testing.T) {
	hs := newHarness(t, populated(), 100, 30)
	hs.press("space", "j", "space", "s")
	t.Log("\n" + hs.screen())
	hs.press("enter")
	t.Log("\n" + hs.screen())
	hs.press("enter")
	t.Log("\n" + hs.screen())
	if !strings.Contains(hs.screen(), "Snapshots of 2 clusters") {
		t.Fatal("no progress view")
	}
}
