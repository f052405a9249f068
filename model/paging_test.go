package model

import (
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// TestEndlessListingStops: an endpoint that answers every page with the
// same marker, the rows going on, is asked for two pages of 20: the list
// keeps the 40 rows read, once each, and the region's line says why the
// listing stopped. The endpoint ends the listing after 50 pages, so that a
// model that would never stop fails here instead of hanging.
func TestEndlessListingStops(t *testing.T) {
	s := newStack(t, docdbFleet(45), stackOpts{
		wrap:   emulator.BrokenPaging{Marker: "again", Limit: 50}.Wrap,
		client: func(o *awsclient.Options) { o.PageSize = 20 },
		w:      160, h: 30,
	})
	var got []string
	s.await("the listing done", func(m *Model) bool {
		got = ids(m)
		return m.list.loaded && !m.list.loading
	})
	seen := map[string]bool{}
	for _, id := range got {
		if seen[id] {
			t.Fatalf("%s listed twice", id)
		}
		seen[id] = true
	}
	if len(got) != 40 {
		t.Fatalf("%d rows, want the 40 read", len(got))
	}
	want := `✗ us-east-1: The endpoint repeated page marker "again"; stopped after 2 pages, 40 clusters read.`
	if scr := s.screen(); !strings.Contains(scr, want) || !strings.Contains(scr, "svc-0000") {
		t.Fatalf("screen lacks %q or the rows:\n%s", want, scr)
	}
	if calls := s.world.Calls("DescribeDBClusters"); calls != 2 {
		t.Fatalf("%d calls of DescribeDBClusters, want 2", calls)
	}
}
