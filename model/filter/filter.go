// Package filter finds the rows that match what the user types (words of
// the identifier, and status:, engine:, region: and tag: terms; see Parse),
// ignoring case, fast enough to run on every keystroke over a hundred
// thousand rows: the rows' text is lowered once when they arrive, a query
// that only grows stricter searches the previous matches instead of every
// row, and the match list's memory is reused. It does no I/O: a row's tags
// are given to it when the caller has them.
package filter

import (
	"strings"
	"unicode/utf8"
)

// Record is what a query can look at in one row.
type Record struct {
	ID, Status, Engine, Region string
}

// Tag is one tag of a row.
type Tag struct{ Key, Value string }

// record is a Record lowered, with its tags once they are known.
type record struct {
	id, status, engine, region string
	tags                       []Tag // lowered
	tagsKnown                  bool
}

// Index is the searchable text of each row, lowered once when the row
// arrives.
type Index struct {
	recs []record
}

// Add appends rows.
func (x *Index) Add(rs ...Record) {
	for _, r := range rs {
		x.recs = append(x.recs, record{id: Lower(r.ID), status: Lower(r.Status), engine: Lower(r.Engine), region: Lower(r.Region)})
	}
}

// SetTags records the tags of row i (a tag: term matches no row whose tags
// are not known).
func (x *Index) SetTags(i int, tags []Tag) {
	low := make([]Tag, len(tags))
	for k, t := range tags {
		low[k] = Tag{Key: Lower(t.Key), Value: Lower(t.Value)}
	}
	x.recs[i].tags, x.recs[i].tagsKnown = low, true
}

// TagsKnown reports whether row i's tags are known.
func (x *Index) TagsKnown(i int) bool { return x.recs[i].tagsKnown }

// Reset empties the index, keeping its memory.
func (x *Index) Reset() {
	clear(x.recs)
	x.recs = x.recs[:0]
}

// Len is the number of rows.
func (x *Index) Len() int { return len(x.recs) }

// Match reports whether row i matches q.
func (x *Index) Match(i int, q Query) bool { return x.recs[i].match(q) }

func (r *record) match(q Query) bool {
	for k := range q.Terms {
		if r.holds(&q.Terms[k]) == q.Terms[k].Not {
			return false
		}
	}
	return true
}

func (r *record) holds(t *Term) bool {
	switch t.Field {
	case FieldText:
		return strings.Contains(r.id, t.Value)
	case FieldStatus:
		return strings.HasPrefix(r.status, t.Value)
	case FieldEngine:
		return strings.HasPrefix(r.engine, t.Value)
	case FieldRegion:
		return strings.HasPrefix(r.region, t.Value)
	case FieldTag:
		for _, tag := range r.tags {
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
	if text == f.text && f.done == len(x.recs) {
		return
	}
	q := Parse(text)
	if f.query.Active() && q.Active() && q.narrows(f.query) && f.done == len(x.recs) {
		kept := f.matches[:0]
		for _, i := range f.matches {
			if x.recs[i].match(q) {
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
	if f.done > len(x.recs) { // the index was reset
		f.matches, f.done = f.matches[:0], 0
	}
	if !f.query.Active() {
		f.done = len(x.recs)
		return
	}
	for i := f.done; i < len(x.recs); i++ {
		if x.recs[i].match(f.query) {
			f.matches = append(f.matches, int32(i))
		}
	}
	f.done = len(x.recs)
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
	if len(low) == len(text) {
		return i, i + len(query), true
	}
	// Lowering changed byte lengths (some non-ASCII letters): map the match
	// back by counting runes, which lowering preserves.
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
