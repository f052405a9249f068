package filter

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func ids(f *Filter) []int32 { return slices.Clone(f.Matches()) }

func TestMatchesIgnoreCaseInRowOrder(t *testing.T) {
	var x Index
	x.Add("orders-prod", "Orders-Staging", "payments", "ORDERS-dev")
	var f Filter
	f.Set(&x, "ORD")
	if got := ids(&f); !slices.Equal(got, []int32{0, 1, 3}) {
		t.Fatalf("matches %v", got)
	}
	f.Set(&x, "ord-x")
	if got := ids(&f); len(got) != 0 {
		t.Fatalf("narrowed matches %v", got)
	}
	f.Set(&x, "pay")
	if got := ids(&f); !slices.Equal(got, []int32{2}) {
		t.Fatalf("widened then changed: %v", got)
	}
	f.Clear()
	if f.Active() || len(f.Matches()) != 0 {
		t.Fatal("clear left a query")
	}
}

func TestNarrowingAndWideningAgreeWithAFullSearch(t *testing.T) {
	var x Index
	for i := range 500 {
		x.Add(fmt.Sprintf("cluster-%03d-%s", i, []string{"prod", "dev", "Stage"}[i%3]))
	}
	var f Filter
	for _, q := range []string{"c", "cl", "clu", "cluster-1", "cluster-12", "cluster-1", "stage", "ST", "-0", "-01", "zzz", ""} {
		f.Set(&x, q)
		var want []int32
		for i, h := range x.hay {
			if q != "" && strings.Contains(h, strings.ToLower(q)) {
				want = append(want, int32(i))
			}
		}
		if got := ids(&f); !slices.Equal(got, want) {
			t.Fatalf("query %q: %d matches, want %d", q, len(got), len(want))
		}
	}
}

func TestRowsArrivingLaterAreSearched(t *testing.T) {
	var x Index
	x.Add("alpha", "beta")
	var f Filter
	f.Set(&x, "a")
	x.Add("gamma", "delta", "epsilon")
	f.Update(&x)
	if got := ids(&f); !slices.Equal(got, []int32{0, 1, 2, 3}) {
		t.Fatalf("after a page: %v", got)
	}
	f.Set(&x, "al") // narrowing after an update still sees every row
	if got := ids(&f); !slices.Equal(got, []int32{0}) {
		t.Fatalf("narrowed: %v", got)
	}
	x.Reset()
	x.Add("salt")
	f.Update(&x)
	if got := ids(&f); !slices.Equal(got, []int32{0}) {
		t.Fatalf("after a reload: %v", got)
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
		x.Add(fmt.Sprintf("team-%d-orders-%06d-prod", i%97, i))
	}
	var f Filter
	b.ReportAllocs()
	for b.Loop() {
		f.Clear()
		f.Set(&x, "orders-0")  // a full search
		f.Set(&x, "orders-01") // a narrowing one
	}
}
