package filter

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func ids(f *Filter) []int32 { return slices.Clone(f.Matches()) }

func idx(ids ...string) *Index {
	var x Index
	for _, id := range ids {
		x.Add(Record{ID: id})
	}
	return &x
}

func TestMatchesIgnoreCaseInRowOrder(t *testing.T) {
	x := idx("orders-prod", "Orders-Staging", "payments", "ORDERS-dev")
	var f Filter
	f.Set(x, "ORD")
	if got := ids(&f); !slices.Equal(got, []int32{0, 1, 3}) {
		t.Fatalf("matches %v", got)
	}
	f.Set(x, "ord-x")
	if got := ids(&f); len(got) != 0 {
		t.Fatalf("narrowed matches %v", got)
	}
	f.Set(x, "pay")
	if got := ids(&f); !slices.Equal(got, []int32{2}) {
		t.Fatalf("widened then changed: %v", got)
	}
	f.Clear()
	if f.Active() || len(f.Matches()) != 0 || f.Text() != "" {
		t.Fatal("clear left a query")
	}
}

// fleet is rows with every field set, for the syntax tests.
func fleet() *Index {
	var x Index
	rows := []struct {
		Record
		tags []Tag
	}{
		{Record{ID: "orders-prod", Status: "available", Engine: "5.0.0", Region: "us-east-1", Type: "instance"}, []Tag{{"team", "Orders"}, {"env", "prod"}}},
		{Record{ID: "orders-staging", Status: "backing-up", Engine: "5.0.0", Region: "us-east-1", Type: "instance"}, []Tag{{"team", "orders"}, {"env", "staging"}}},
		{Record{ID: "payments-prod", Status: "available", Engine: "4.0.0", Region: "eu-west-1", Type: "instance"}, []Tag{{"team", "payments"}, {"Cost Center", "cc 1042"}}},
		{Record{ID: "legacy", Status: "stopped", Engine: "3.6.0", Region: "eu-west-1", Type: "elastic"}, nil},
		{Record{ID: "reporting", Status: "available", Engine: "8.0.0", Region: "ap-south-1", Type: "elastic"}, nil}, // tags not loaded
	}
	for i, r := range rows {
		x.Add(r.Record)
		if i < 4 {
			x.SetTags(i, r.tags)
		}
	}
	return &x
}

func TestSyntax(t *testing.T) {
	cases := []struct {
		query string
		want  []int32
	}{
		{"", nil}, // not active
		{"prod", []int32{0, 2}},
		{"orders prod", []int32{0}},              // words AND
		{"PROD  ORDERS", []int32{0}},             // any order, any case, any spacing
		{"status:available", []int32{0, 2, 4}},   // a prefix of the status
		{"status:back", []int32{1}},              // backing-up
		{"Status:AVAILABLE prod", []int32{0, 2}}, // combined with words
		{"engine:5.0.0", []int32{0, 1}},          //
		{"engine:5", []int32{0, 1}},              // 5.x
		{"version:4", []int32{2}},                // an alias
		{"region:eu", []int32{2, 3}},             //
		{"region:eu-west-1 status:stopped", []int32{3}},
		{"type:elastic", []int32{3, 4}},
		{"TYPE:Instance", []int32{0, 1, 2}},
		{"!type:elastic prod", []int32{0, 2}},
		{"tag:team=payments", []int32{2}},
		{"tag:team=ORD", []int32{0, 1}},        // value prefix, any case
		{"tag:env", []int32{0, 1}},             // the key, any value
		{"tag:=prod", []int32{0}},              // any key with that value
		{`tag:"cost center=cc 1"`, []int32{2}}, // quotes keep spaces
		{`"tag:cost center=cc 1"`, []int32{2}}, // quoting the whole term
		{"tag:team=orders !tag:env=staging", []int32{0}},
		{"!status:available", []int32{1, 3}}, // negation
		{"!prod", []int32{1, 3, 4}},
		{"tag:team", []int32{0, 1, 2}},  // row 4's tags are unknown: no match
		{"!tag:team", []int32{3, 4}},    // ...and unknown tags hold no team
		{"status:", nil},                // typing: left out, so nothing active
		{"status: prod", []int32{0, 2}}, // ...the rest still applies
		{"foo:bar", []int32{}},          // an unknown field is a word
		{`"orders-prod`, []int32{0}},    // an unterminated quote runs to the end
		{"!", nil},                      // nothing to negate
		{"region:us status:available engine:5 tag:env=prod orders", []int32{0}},
	}
	for _, c := range cases {
		x := fleet()
		var f Filter
		f.Set(x, c.query)
		got := ids(&f)
		if c.want == nil {
			if f.Active() {
				t.Errorf("%q: active with terms %+v", c.query, f.Query().Terms)
			}
			continue
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: matches %v, want %v (terms %+v)", c.query, got, c.want, f.Query().Terms)
		}
	}
}

func TestParse(t *testing.T) {
	q := Parse(`!Status:Avail tag:"Cost Center"=CC engine: foo:bar word`)
	want := []Term{
		{Field: FieldStatus, Not: true, Value: "avail"},
		{Field: FieldTag, Value: "cost center", TagValue: "cc", HasTagValue: true},
		{Field: FieldText, Value: "foo:bar"},
		{Field: FieldText, Value: "word"},
	}
	if !reflect.DeepEqual(q.Terms, want) {
		t.Fatalf("terms\n got %+v\nwant %+v", q.Terms, want)
	}
	if len(q.Problems) != 1 || !strings.Contains(q.Problems[0], `"foo"`) {
		t.Fatalf("problems %q", q.Problems)
	}
	if !q.NeedsTags() || q.WithoutTags().NeedsTags() || len(q.WithoutTags().Terms) != 3 {
		t.Fatal("NeedsTags / WithoutTags")
	}
	if w := q.Words(); !slices.Equal(w, []string{"foo:bar", "word"}) {
		t.Fatalf("words %q", w)
	}
	// An unknown field in quotes is meant as text: no problem noted.
	if q := Parse(`"a:b"`); len(q.Terms) != 1 || q.Terms[0].Value != "a:b" || len(q.Problems) != 0 {
		t.Fatalf("quoted colon: %+v %q", q.Terms, q.Problems)
	}
}

// Parse is total: odd input never panics and always gives a query whose
// terms have values.
func TestParseOddInput(t *testing.T) {
	for _, s := range []string{`"`, `""`, `:`, `::`, `!:`, `!!`, `tag:`, `tag:=`, `tag:==`, `status:"`, "\x00\xff\xfe",
		"tag:\"a", strings.Repeat("!", 1000), strings.Repeat(`"`, 999), "ǅ:ǅ", "\u202e:x", "a\tb\nc"} {
		q := Parse(s)
		for _, term := range q.Terms {
			if term.Value == "" && term.TagValue == "" {
				t.Errorf("%q: empty term %+v", s, term)
			}
		}
		x := fleet()
		var f Filter
		f.Set(x, s)
	}
}

// fullSearch is what Set must agree with however it got there.
func fullSearch(x *Index, query string) []int32 {
	q := Parse(query)
	if !q.Active() {
		return nil
	}
	out := []int32{}
	for i := range x.Len() {
		if x.Match(i, q) {
			out = append(out, int32(i))
		}
	}
	return out
}

func TestNarrowingAndWideningAgreeWithAFullSearch(t *testing.T) {
	var x Index
	statuses := []string{"available", "backing-up", "stopped"}
	for i := range 500 {
		x.Add(Record{ID: fmt.Sprintf("cluster-%03d-%s", i, []string{"prod", "dev", "Stage"}[i%3]),
			Status: statuses[i%len(statuses)], Engine: []string{"4.0.0", "5.0.0"}[i%2], Region: "us-east-1"})
		x.SetTags(i, []Tag{{"team", fmt.Sprintf("team-%d", i%7)}})
	}
	var f Filter
	for _, q := range []string{"c", "cl", "clu", "cluster-1", "cluster-12", "cluster-1", "stage", "ST", "-0", "-01", "zzz", "",
		"status:a", "status:av", "status:av 1", "status:av 12", "status:b", "!status:a", "!status:av", "engine:5 status:a",
		"tag:team", "tag:team=", "tag:team=team-1", "tag:team=team-", "tag:tea", "tag:team=team-3 -0", "-0 status:st"} {
		f.Set(&x, q)
		if got, want := ids(&f), fullSearch(&x, q); !(len(got) == 0 && len(want) == 0) && !slices.Equal(got, want) {
			t.Fatalf("query %q: %d matches, want %d", q, len(got), len(want))
		}
	}
}

func TestRowsArrivingLaterAreSearched(t *testing.T) {
	x := idx("alpha", "beta")
	var f Filter
	f.Set(x, "a")
	x.Add(Record{ID: "gamma"}, Record{ID: "delta"}, Record{ID: "epsilon"})
	f.Update(x)
	if got := ids(&f); !slices.Equal(got, []int32{0, 1, 2, 3}) {
		t.Fatalf("after a page: %v", got)
	}
	f.Set(x, "al") // narrowing after an update still sees every row
	if got := ids(&f); !slices.Equal(got, []int32{0}) {
		t.Fatalf("narrowed: %v", got)
	}
	x.Reset()
	x.Add(Record{ID: "salt"})
	f.Update(x)
	if got := ids(&f); !slices.Equal(got, []int32{0}) {
		t.Fatalf("after a reload: %v", got)
	}
}

// Tags arriving change what a tag: term matches once the filter is
// refreshed.
func TestTagsArrivingLater(t *testing.T) {
	x := idx("a", "b")
	var f Filter
	f.Set(x, "tag:team=x")
	if len(f.Matches()) != 0 || x.TagsKnown(1) {
		t.Fatal("matched before tags")
	}
	x.SetTags(1, []Tag{{"Team", "X-ray"}})
	f.Refresh(x)
	if got := ids(&f); !slices.Equal(got, []int32{1}) || !x.TagsKnown(1) {
		t.Fatalf("after tags: %v", got)
	}
	x.SetTags(0, nil) // known to have none
	if !x.TagsKnown(0) {
		t.Fatal("a row known to have no tags counts as not known")
	}
	x.Reset()
	x.Add(Record{ID: "c"})
	if x.TagsKnown(0) {
		t.Fatal("a row added after a reset has its tags known")
	}
}

func TestSpan(t *testing.T) {
	cases := []struct {
		text, q    string
		start, end int
		ok         bool
	}{
		{"Orders-Prod", "prod", 7, 11, true},
		{"orders", "x", 0, 0, false},
		{"ÉCOLE-db", "cole", 2, 6, true}, // É is two bytes: offsets are the text's
		{"abc", "", 0, 0, false},
	}
	for _, c := range cases {
		s, e, ok := Span(c.text, c.q)
		if ok != c.ok || ok && (s != c.start || e != c.end) {
			t.Errorf("Span(%q,%q) = %d,%d,%v want %d,%d,%v", c.text, c.q, s, e, ok, c.start, c.end, c.ok)
		}
	}
}

func BenchmarkKeystroke100k(b *testing.B) {
	var x Index
	for i := range 100_000 {
		x.Add(Record{ID: fmt.Sprintf("team-%d-orders-%06d-prod", i%97, i), Status: "available", Engine: "5.0.0", Region: "us-east-1"})
	}
	var f Filter
	b.ReportAllocs()
	for b.Loop() {
		f.Clear()
		f.Set(&x, "orders-0")                    // a full search
		f.Set(&x, "orders-01")                   // a narrowing one
		f.Set(&x, "orders-01 status:available")  // narrowing by a field
		f.Set(&x, "orders-01 !status:available") // a negation: full search
	}
}

// The snapshot terms: type:, cluster: and age: against the time set.
func TestSnapshotTerms(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	var x Index
	x.Add(Record{ID: "pre-migration", Status: "available", Type: "manual", Cluster: "orders-prod", Created: now.Add(-40 * 24 * time.Hour)},
		Record{ID: "rds:orders-prod-2026-12-04-03-00", Status: "available", Type: "automated", Cluster: "orders-prod", Created: now.Add(-9 * time.Hour)},
		Record{ID: "nightly", Status: "copying", Type: "manual", Cluster: "payments", Created: now.Add(-time.Hour)},
		Record{ID: "no-date", Type: "shared", Cluster: "analytics"})
	x.SetNow(now)
	for _, c := range []struct {
		query string
		want  []int32
	}{
		{"type:manual", []int32{0, 2}},
		{"type:a", []int32{1}},
		{"cluster:orders", []int32{0, 1}},
		{"age:>30d", []int32{0}},
		{"age:30d", []int32{0}}, // older than, by default
		{"age:<12h", []int32{1, 2}},
		{"age:<2w type:manual", []int32{2}},
		{"!age:>1h", []int32{2, 3}}, // an unknown date is of no age
		{"status:copying cluster:pay", []int32{2}},
	} {
		var f Filter
		f.Set(&x, c.query)
		if got := ids(&f); !slices.Equal(got, c.want) {
			t.Errorf("%q: matches %v, want %v", c.query, got, c.want)
		}
	}
	// An age that cannot be read is said, and left out.
	q := Parse("age:>lots nightly")
	if len(q.Terms) != 1 || len(q.Problems) != 1 || !strings.Contains(q.Problems[0], "not an age") {
		t.Fatalf("terms %+v problems %q", q.Terms, q.Problems)
	}
	if q := Parse("age:>"); q.Active() || len(q.Problems) != 0 {
		t.Fatalf("a half-typed age: %+v %q", q.Terms, q.Problems)
	}
}
