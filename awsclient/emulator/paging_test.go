package emulator

import (
	"encoding/xml"
	"slices"
	"testing"
)

// TestBrokenPaging: each way of BrokenPaging answers what it says, pages
// of the endpoint's own rows, until its limit ends the listing.
func TestBrokenPaging(t *testing.T) {
	srv, _ := newServer(t, GeneratedFleet(50), Options{})
	page := func(b BrokenPaging, pages int) (markers []string, firsts []string) {
		h := b.Wrap(srv)
		marker := ""
		for range pages {
			w := post(h, form("Action", "DescribeDBClusters", "MaxRecords", "20", "Marker", marker))
			var a clustersAnswer
			if err := xml.Unmarshal(w.Body.Bytes(), &a); err != nil || w.Code != 200 || len(a.Items) == 0 {
				t.Fatalf("status %d, %v:\n%.500s", w.Code, err, w.Body)
			}
			marker = a.Marker
			markers, firsts = append(markers, a.Marker), append(firsts, a.Items[0].ID)
		}
		return markers, firsts
	}

	markers, firsts := page(BrokenPaging{Marker: "again<&>", Limit: 4}, 4)
	if !slices.Equal(markers, []string{"again<&>", "again<&>", "again<&>", ""}) ||
		firsts[1] == firsts[0] || firsts[2] == firsts[1] || firsts[3] != firsts[0] {
		t.Fatalf("Marker: markers %q, first rows %q: want the same marker, the pages going on, then the first again", markers, firsts)
	}
	markers, firsts = page(BrokenPaging{Restart: true}, 3)
	if !slices.Equal(markers, []string{"page-2", "page-3", "page-4"}) || firsts[1] != firsts[0] || firsts[2] != firsts[0] {
		t.Fatalf("Restart: markers %q, first rows %q", markers, firsts)
	}
	_, firsts = page(BrokenPaging{Restart: true, Rename: true}, 2)
	if firsts[0] == firsts[1] || firsts[1] != firsts[0][:len(firsts[0])-len("-p1")]+"-p2" {
		t.Fatalf("Rename: first rows %q", firsts)
	}
}
