package marks

import (
	"slices"
	"testing"
)

func TestToggleMarksThenUnmarks(t *testing.T) {
	var s Set
	if s.Has("a") || s.Len() != 0 {
		t.Fatal("the zero Set marks something")
	}
	if !s.Toggle("a") || !s.Has("a") || s.Len() != 1 {
		t.Fatal("Toggle did not mark a")
	}
	if s.Toggle("a") || s.Has("a") || s.Len() != 0 {
		t.Fatal("a second Toggle did not unmark a")
	}
}

func TestToggleAllMarksTheShownThenClears(t *testing.T) {
	var s Set
	s.Toggle("hidden") // marked, then hidden by a filter
	s.ToggleAll([]string{"b", "c"})
	if got, want := s.Keys(), []string{"b", "c", "hidden"}; !slices.Equal(got, want) {
		t.Fatalf("after one ToggleAll: %v, want %v", got, want)
	}
	s.ToggleAll([]string{"b", "c"})
	if s.Len() != 0 {
		t.Fatalf("a second ToggleAll left %v marked", s.Keys())
	}
	s.Toggle("b")
	s.ToggleAll([]string{"b", "c"}) // not all marked: marks the rest
	if got := s.Keys(); !slices.Equal(got, []string{"b", "c"}) {
		t.Fatalf("ToggleAll with some marked: %v", got)
	}
	s.ToggleAll(nil)
	if s.Len() != 2 {
		t.Fatal("ToggleAll with nothing shown cleared the marks")
	}
}

func TestKeepDropsRowsNoLongerListed(t *testing.T) {
	var s Set
	s.ToggleAll([]string{"a", "b", "c"})
	s.Keep(func(k string) bool { return k != "b" })
	if got := s.Keys(); !slices.Equal(got, []string{"a", "c"}) {
		t.Fatalf("after Keep: %v", got)
	}
}
