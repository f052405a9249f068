// Package filter finds the rows whose text contains what the user types,
// ignoring case, fast enough to run on every keystroke over a hundred
// thousand rows: the rows' text is lowered once when they arrive, a query
// that only grows searches the previous matches instead of every row, and
// the match list's memory is reused.
package filter

import (
	"strings"
	"unicode/utf8"
)

// Index is the searchable text of each row, lowered.
type Index struct {
	hay []string
}

// Add appends the rows' texts.
func (x *Index) Add(texts ...string) {
	for _, t := range texts {
		x.hay = append(x.hay, Lower(t))
	}
}

// Reset empties the index, keeping its memory.
func (x *Index) Reset() {
	clear(x.hay)
	x.hay = x.hay[:0]
}

// Len is the number of rows.
func (x *Index) Len() int { return len(x.hay) }

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
	query   string // lowered
	matches []int32
	done    int // rows of the index searched so far
}

// Query is the current query, lowered.
func (f *Filter) Query() string { return f.query }

// Active reports whether a query is set: with none, every row matches and
// Matches is empty.
func (f *Filter) Active() bool { return f.query != "" }

// Matches are the indexes of the matching rows.
func (f *Filter) Matches() []int32 { return f.matches }

// Set changes the query and finds its matches. A query that contains the
// previous one can only match fewer rows, so only those are searched again.
func (f *Filter) Set(x *Index, query string) {
	q := Lower(query)
	if q == f.query && f.done == len(x.hay) {
		return
	}
	if f.query != "" && q != "" && strings.Contains(q, f.query) && f.done == len(x.hay) {
		kept := f.matches[:0]
		for _, i := range f.matches {
			if strings.Contains(x.hay[i], q) {
				kept = append(kept, i)
			}
		}
		f.matches, f.query = kept, q
		return
	}
	f.query, f.matches, f.done = q, f.matches[:0], 0
	f.Update(x)
}

// Update searches the rows added to the index since the last call.
func (f *Filter) Update(x *Index) {
	if f.done > len(x.hay) { // the index was reset
		f.matches, f.done = f.matches[:0], 0
	}
	if f.query == "" {
		f.done = len(x.hay)
		return
	}
	for i := f.done; i < len(x.hay); i++ {
		if strings.Contains(x.hay[i], f.query) {
			f.matches = append(f.matches, int32(i))
		}
	}
	f.done = len(x.hay)
}

// Clear removes the query.
func (f *Filter) Clear() {
	f.query, f.matches, f.done = "", f.matches[:0], 0
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
