// Package filter finds the rows that match what the user types (words of
// the identifier, and status:, engine:, region:, type: and tag: terms, and
// for snapshots cluster: and age:; see Parse),
// ignoring case, fast enough to run on every keystroke over a hundred
// thousand rows: the rows' text is lowered once when they arrive, a query
// that only grows stricter searches the previous matches instead of every
// row, and the match list's memory is reused. It does no I/O: a row's tags
// are given to it when the caller has them.
package filter

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Record is what a query can look at in one row. Cluster and Created are
// a snapshot's (a cluster's rows leave them empty).
type Record struct {
	ID, Status, Engine, Region string
	Type, Cluster              string // Type: a cluster's (instance, elastic) or a snapshot's (manual...)
	Created                    time.Time
}

// Tag is one tag of a row.
type Tag struct{ Key, Value string }

// Index is the searchable text of each row, lowered once when the row
// arrives; a column a field, so that a search over identifiers reads only
// identifiers.
type Index struct {
	ids, statuses, engines, regions []string
	types, clusters                 []string
	created                         []int64 // Unix seconds; 0 unknown
	tags                            [][]Tag // lowered; nil until known (known and none: empty, not nil)
	now                             int64   // what an age: term counts from (Unix seconds)
}

// SetNow sets the time an age: term counts from; the caller sets it before
// each search, so that the index reads no clock itself.
func (x *Index) SetNow(t time.Time) { x.now = t.Unix() }

// Add appends rows.
func (x *Index) Add(rs ...Record) {
	for _, r := range rs {
		x.ids = append(x.ids, Lower(r.ID))
		x.statuses = append(x.statuses, Lower(r.Status))
		x.engines = append(x.engines, Lower(r.Engine))
		x.regions = append(x.regions, Lower(r.Region))
		x.types = append(x.types, Lower(r.Type))
		x.clusters = append(x.clusters, Lower(r.Cluster))
		var created int64
		if !r.Created.IsZero() {
			created = r.Created.Unix()
		}
		x.created = append(x.created, created)
		x.tags = append(x.tags, nil)
	}
}

// SetTags records the tags of row i (a tag: term matches no row whose tags
// are not known).
func (x *Index) SetTags(i int, tags []Tag) {
	low := make([]Tag, len(tags))
	for k, t := range tags {
		low[k] = Tag{Key: Lower(t.Key), Value: Lower(t.Value)}
	}
	x.tags[i] = low
}

// TagsKnown reports whether row i's tags are known.
func (x *Index) TagsKnown(i int) bool { return x.tags[i] != nil }

// Reset empties the index, keeping its memory.
func (x *Index) Reset() {
	for _, col := range []*[]string{&x.ids, &x.statuses, &x.engines, &x.regions, &x.types, &x.clusters} {
		clear(*col)
		*col = (*col)[:0]
	}
	x.created = x.created[:0]
	clear(x.tags)
	x.tags = x.tags[:0]
}

// Len is the number of rows.
func (x *Index) Len() int { return len(x.ids) }

// Match reports whether row i matches q.
func (x *Index) Match(i int, q Query) bool {
	for k := range q.Terms {
		if x.holds(i, &q.Terms[k]) == q.Terms[k].Not {
			return false
		}
	}
	return true
}

func (x *Index) holds(i int, t *Term) bool {
	switch t.Field {
	case FieldText:
		return strings.Contains(x.ids[i], t.Value)
	case FieldStatus:
		return strings.HasPrefix(x.statuses[i], t.Value)
	case FieldEngine:
		return strings.HasPrefix(x.engines[i], t.Value)
	case FieldRegion:
		return strings.HasPrefix(x.regions[i], t.Value)
	case FieldType:
		return strings.HasPrefix(x.types[i], t.Value)
	case FieldCluster:
		return strings.HasPrefix(x.clusters[i], t.Value)
	case FieldAge:
		if x.created[i] == 0 {
			return false
		}
		age := time.Duration(x.now-x.created[i]) * time.Second
		if t.Older {
			return age > t.Age
		}
		return age < t.Age
	case FieldTag:
		for _, tag := range x.tags[i] {
			if (t.Value == "" || tag.Key == t.Value) && (!t.HasTagValue || strings.HasPrefix(tag.Value, t.TagValue)) {
				return true
			}
		}
	}
	return false
}

// Lower lowers s for matching, without allocating when s is already lower
// case ASCII.
func Lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= utf8.RuneSelf {
			return strings.ToLower(s)
		}
	}
	return s
}

// Filter is the rows of an Index that match a query, in row order.
type Filter struct {
	text    string // the query as typed
	query   Query
	matches []int32
	done    int // rows of the index searched so far
}

// Text is the query as it was typed.
func (f *Filter) Text() string { return f.text }

// Query is the parsed query.
func (f *Filter) Query() Query { return f.query }

// Active reports whether the query has a term: with none, every row
// matches and Matches is empty.
func (f *Filter) Active() bool { return f.query.Active() }

// Matches are the indexes of the matching rows.
func (f *Filter) Matches() []int32 { return f.matches }

// Set changes the query and finds its matches. A query at least as strict
// as the previous one (typing on) can only match fewer rows, so only those
// are searched again.
func (f *Filter) Set(x *Index, text string) {
	if text == f.text && f.done == x.Len() {
		return
	}
	q := Parse(text)
	if f.query.Active() && q.Active() && q.narrows(f.query) && f.done == x.Len() {
		kept := f.matches[:0]
		w, word := q.word()
		for _, i := range f.matches {
			if word && strings.Contains(x.ids[i], w) || !word && x.Match(int(i), q) {
				kept = append(kept, i)
			}
		}
		f.text, f.query, f.matches = text, q, kept
		return
	}
	f.text, f.query = text, q
	f.Refresh(x)
}

// Refresh searches every row again: after tags arrived, or a reload.
func (f *Filter) Refresh(x *Index) {
	f.matches, f.done = f.matches[:0], 0
	f.Update(x)
}

// Update searches the rows added to the index since the last call.
func (f *Filter) Update(x *Index) {
	if f.done > x.Len() { // the index was reset
		f.matches, f.done = f.matches[:0], 0
	}
	if !f.query.Active() {
		f.done = x.Len()
		return
	}
	if w, ok := f.query.word(); ok {
		for i := f.done; i < x.Len(); i++ {
			if strings.Contains(x.ids[i], w) {
				f.matches = append(f.matches, int32(i))
			}
		}
	} else {
		for i := f.done; i < x.Len(); i++ {
			if x.Match(i, f.query) {
				f.matches = append(f.matches, int32(i))
			}
		}
	}
	f.done = x.Len()
}

// Clear removes the query.
func (f *Filter) Clear() {
	f.text, f.query, f.matches, f.done = "", Query{}, f.matches[:0], 0
}

// Span finds where query (lowered) occurs in text, ignoring case, as byte
// offsets into text, for highlighting. ok is false when it does not occur.
func Span(text, query string) (start, end int, ok bool) {
	if query == "" {
		return 0, 0, false
	}
	low := Lower(text)
	i := strings.Index(low, query)
	if i < 0 {
		return 0, 0, false
	}
	if low == text || ascii(text) {
		return i, i + len(query), true
	}
	// Lowering may have changed the byte lengths of characters (some
	// non-ASCII letters; invalid bytes, which become U+FFFD), even where
	// the total length stayed the same: map the match back by counting
	// runes, which lowering preserves.
	rs, re := utf8.RuneCountInString(low[:i]), utf8.RuneCountInString(low[:i+len(query)])
	start, end = -1, len(text)
	n := 0
	for b := range text {
		if n == rs {
			start = b
		}
		if n == re {
			end = b
			break
		}
		n++
	}
	return start, end, start >= 0
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
