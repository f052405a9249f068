// Package marks is the one way a list marks rows for an action on several
// at once (space marks one, ctrl+a every row the filter shows). Marks are
// kept by a row's key (region and identifier, say), not by its place, so
// that they survive a refresh, a sort and a filter: a marked row that a
// filter hides stays marked, and the header still counts it.
package marks

import (
	"maps"
	"slices"
)

// Set is the marked keys. The zero value marks nothing.
type Set struct {
	keys map[string]struct{}
}

// Toggle marks key, or unmarks it if it was marked, and says whether it is
// marked now.
func (s *Set) Toggle(key string) bool {
	if s.Has(key) {
		delete(s.keys, key)
		return false
	}
	s.add(key)
	return true
}

// Has says whether key is marked.
func (s *Set) Has(key string) bool {
	_, ok := s.keys[key]
	return ok
}

// Len is the number of marked keys.
func (s *Set) Len() int { return len(s.keys) }

// ToggleAll marks every one of shown, the rows a filter shows; if every one
// of them was marked already, it clears every mark instead: the same key
// twice marks all, then none.
func (s *Set) ToggleAll(shown []string) {
	all := len(shown) > 0
	for _, k := range shown {
		if !s.Has(k) {
			all = false
			break
		}
	}
	if all {
		s.Clear()
		return
	}
	for _, k := range shown {
		s.add(k)
	}
}

// Clear unmarks everything.
func (s *Set) Clear() { clear(s.keys) }

// Keep unmarks every key for which keep is false (rows gone after a
// refresh), so that no action is taken on a row no longer listed.
func (s *Set) Keep(keep func(key string) bool) {
	maps.DeleteFunc(s.keys, func(k string, _ struct{}) bool { return !keep(k) })
}

// Keys is the marked keys, sorted, for an action to walk in a stable order.
func (s *Set) Keys() []string {
	return slices.Sorted(maps.Keys(s.keys))
}

func (s *Set) add(key string) {
	if s.keys == nil {
		s.keys = map[string]struct{}{}
	}
	s.keys[key] = struct{}{}
}
