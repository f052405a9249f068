package model

import (
	"slices"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
)

// Tags read elsewhere (the cluster screen, the protection check) change what
// a tag: filter shows at once, as the tags it fetches itself do.
func TestTagsReadElsewhereRefilter(t *testing.T) {
	for _, open := range []string{"enter", "s"} { // the cluster screen, the form (its protection check)
		f := populated()
		f.tagsErr = &awsclient.Error{Kind: awsclient.KindAccessDenied, Op: "list tags", Code: "AccessDenied"}
		hs := newHarness(t, f, 100, 20)
		hs.press("/")
		hs.typeText("!tag:env=prod")
		hs.press("enter")
		if got := ids(hs.m); len(got) != 7 { // no tags known: none has env=prod
			t.Fatalf("tags failing, !tag:env=prod shows %v", got)
		}
		f.mu.Lock()
		f.tagsErr = nil
		f.mu.Unlock()
		calls := f.Calls("ListTagsForResource")
		hs.press(open, "esc") // reads the tags of orders-prod: env=prod
		if f.Calls("ListTagsForResource") != calls+1 || hs.m.screen != screenClusters {
			t.Fatalf("%s, esc: %d tag calls, screen %v", open, f.Calls("ListTagsForResource")-calls, hs.m.screen)
		}
		if got := ids(hs.m); len(got) != 6 || slices.Contains(got, "orders-prod") {
			t.Fatalf("after %s read its tags, !tag:env=prod shows %v", open, got)
		}
	}
}
