package rows

import (
	"math/rand"
	"slices"
	"testing"
)

// byKey orders rows by key, then by arrival: a total order, as Sort needs.
func byKey(keys []int) func(a, b int32) int {
	return func(a, b int32) int {
		if c := keys[a] - keys[b]; c != 0 {
			return c
		}
		return int(a - b)
	}
}

func shown(o *Order) []int32 {
	out := make([]int32, o.Len())
	for i := range out {
		out[i] = o.At(i)
	}
	return out
}

func TestArrivalOrderIsEveryRow(t *testing.T) {
	var o Order
	o.Narrow(4, false, nil)
	if got := shown(&o); !slices.Equal(got, []int32{0, 1, 2, 3}) || o.Sorted() != nil {
		t.Fatalf("arrival order shows %v, sorted %v", got, o.Sorted())
	}
	o.Narrow(4, true, []int32{1, 3})
	if got := shown(&o); !slices.Equal(got, []int32{1, 3}) {
		t.Fatalf("filtered arrival order shows %v", got)
	}
}

// Pages merged in as they arrive end in the order one sort of every row
// gives, ties kept in arrival order.
func TestMergedPagesMatchOneSort(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for range 200 {
		n := r.Intn(60)
		keys := make([]int, n)
		for i := range keys {
			keys[i] = r.Intn(5)
		}
		cmp := byKey(keys)
		var merged Order
		for from := 0; from < n; {
			to := min(n, from+1+r.Intn(10))
			merged.Merge(from, to, cmp)
			from = to
		}
		merged.Narrow(n, false, nil)
		var sorted Order
		sorted.Sort(n, cmp)
		sorted.Narrow(n, false, nil)
		if !slices.Equal(shown(&merged), shown(&sorted)) {
			t.Fatalf("keys %v: merged %v, sorted %v", keys, shown(&merged), shown(&sorted))
		}
		if !slices.IsSortedFunc(shown(&sorted), cmp) {
			t.Fatalf("keys %v: not in order: %v", keys, shown(&sorted))
		}
	}
}

// A sort that arrives after rows were added sorts them all at once.
func TestMergeIntoNoOrderSortsEverything(t *testing.T) {
	keys := []int{3, 1, 2, 0}
	var o Order
	o.Merge(2, 4, byKey(keys))
	o.Narrow(4, false, nil)
	if got := shown(&o); !slices.Equal(got, []int32{3, 1, 2, 0}) {
		t.Fatalf("got %v", got)
	}
}

// A filtered order shows the matches in the order, not in arrival order.
func TestNarrowKeepsTheOrder(t *testing.T) {
	keys := []int{5, 4, 3, 2, 1, 0, 70, 65, 64}
	var o Order
	o.Sort(len(keys), byKey(keys))
	o.Narrow(len(keys), true, []int32{0, 2, 4, 8})
	if got := shown(&o); !slices.Equal(got, []int32{4, 2, 0, 8}) {
		t.Fatalf("got %v", got)
	}
	o.Narrow(len(keys), false, nil)
	if o.Len() != len(keys) || o.At(0) != 5 {
		t.Fatalf("unfiltered: %v", shown(&o))
	}
	o.Unsort()
	o.Narrow(len(keys), true, []int32{1, 7})
	if got := shown(&o); !slices.Equal(got, []int32{1, 7}) {
		t.Fatalf("unsorted, filtered: %v", got)
	}
}
