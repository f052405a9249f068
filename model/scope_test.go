package model

import "github.com/docsnap/docsnap/model/track"

// tracked finds a followed snapshot in any scope, in the order the scopes
// were first used.
func (m *Model) tracked(id string) (*scope, *track.Snapshot, bool) {
	for _, sc := range m.scopes {
		if s, ok := sc.tracker.Get(id); ok {
			return sc, s, true
		}
	}
	return nil, nil, false
}

// calling reports whether a poll's call is underway in any scope.
func (m *Model) calling() bool {
	for _, sc := range m.scopes {
		if sc.tracker.Calling() {
			return true
		}
	}
	return false
}
