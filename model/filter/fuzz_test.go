package filter

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzFilter: whatever is typed, Parse is total and never panics; the
// filter keeps the text as typed (Text round-trips: set it again, or parse
// it, and the same query comes back); what matches after typing prev then
// query, the way a user edits, is what a search from scratch finds; and a
// highlighted span is the word it highlights, cut on character boundaries.
func FuzzFilter(f *testing.F) {
	for _, s := range [][2]string{
		{"ord", "orders"}, {"orders", "ord"}, {"status:av", "status:available"}, {"", "tag:team=pay"},
		{"tag:team", "tag:team=payments"}, {`tag:"cost center=cc 1"`, `tag:"cost center=cc 10"`}, {"!status:a", "!status:av"},
		{"engine:5", "version:5.0"}, {"region:eu", "region:eu-west-1 prod"}, {"foo:bar", `"foo:bar"`}, {`"`, `""`},
		{"\u212a", "\u212aelvin"}, {"İ", "i̇"}, {"\x00\xff", "\xfe"}, {"ǅ:ǅ", "\u202e:x"}, {"a\tb\nc", "a b"},
		{"ß", "ẞ"}, {"tag:=", "tag:=x"}, {"!!", "!"},
	} {
		f.Add(s[0], s[1], "orders-\u212aelvin", "Straße-ẞ")
	}
	f.Fuzz(func(t *testing.T, prev, query, id1, id2 string) {
		x := fleet()
		x.Add(Record{ID: id1, Status: id2, Engine: id1, Region: id2}, Record{ID: id2, Status: "available", Engine: "5.0.0", Region: "eu-west-1"})
		x.SetTags(x.Len()-2, []Tag{{id1, id2}, {"team", id1}})

		q := Parse(query)
		for _, term := range q.Terms {
			if term.Value == "" && term.TagValue == "" {
				t.Fatalf("%q: an empty term %+v", query, term)
			}
		}
		var typed Filter
		typed.Set(x, prev)
		typed.Set(x, query)
		if typed.Text() != query {
			t.Fatalf("Text() = %q after setting %q", typed.Text(), query)
		}
		if !reflect.DeepEqual(typed.Query(), q) || !reflect.DeepEqual(Parse(typed.Text()), q) {
			t.Fatalf("%q: the filter's query %+v is not what its text parses to, %+v", query, typed.Query(), q)
		}
		var fresh Filter
		fresh.Set(x, typed.Text())
		got, want := slices.Clone(typed.Matches()), fullSearch(x, query)
		if !(len(got) == 0 && len(want) == 0) && !slices.Equal(got, want) {
			t.Fatalf("typing %q then %q matches %v, a full search %v", prev, query, got, want)
		}
		if again := fresh.Matches(); !(len(again) == 0 && len(want) == 0) && !slices.Equal(again, want) {
			t.Fatalf("setting %q at once matches %v, a full search %v", query, again, want)
		}

		for _, text := range []string{id1, id2} {
			for _, w := range q.Words() {
				start, end, ok := Span(text, w)
				if !ok {
					if strings.Contains(Lower(text), w) && utf8.ValidString(text) {
						t.Fatalf("Span(%q, %q) found nothing, yet the lowered text holds it", text, w)
					}
					continue
				}
				if start < 0 || start > end || end > len(text) || !boundary(text, start) || !boundary(text, end) {
					t.Fatalf("Span(%q, %q) = [%d, %d): not a slice of whole characters", text, w, start, end)
				}
				if utf8.ValidString(text) && Lower(text[start:end]) != w {
					t.Fatalf("Span(%q, %q) = %q, which is not the word", text, w, text[start:end])
				}
			}
		}
	})
}

// boundary reports whether i is where a character of s starts (an invalid
// byte counts as one), or its end.
func boundary(s string, i int) bool {
	for j := range s {
		if j == i {
			return true
		}
	}
	return i == len(s)
}
