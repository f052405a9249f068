// Package rows is the order in which a list shows its rows: sorted by a
// comparison, merged as pages arrive, narrowed to a filter's matches. Rows
// are numbered in arrival order and stay where they are; only their
// numbers move, so that a page costs its own sort and one walk of the
// order, and a frame costs nothing.
package rows

import "slices"

// Order is the rows shown, by number. The zero value shows no row; Narrow
// says how many there are.
type Order struct {
	n        int     // rows, in arrival order
	order    []int32 // every row in order, nil for arrival order
	view     []int32 // the rows shown, unless identity
	identity bool    // every row, in arrival order
	inView   []uint64
	viewBuf  []int32 // the view's memory when it is an order filtered
	spare    []int32 // the buffer the order is merged into
}

// Len is the number of rows shown.
func (o *Order) Len() int {
	if o.identity {
		return o.n
	}
	return len(o.view)
}

// At is the number of the row shown at position i.
func (o *Order) At(i int) int32 {
	if o.identity {
		return int32(i)
	}
	return o.view[i]
}

// Sorted is every row in order, nil for arrival order.
func (o *Order) Sorted() []int32 { return o.order }

// Unsort goes back to arrival order.
func (o *Order) Unsort() { o.order = nil }

// Sort puts rows [0, n) in order: once per change of the comparison (a
// listing's rows are merged in as they are added), never per frame (tens of
// milliseconds at 100,000 rows). cmp must be a total order (break ties by
// arrival) for the order to be stable.
func (o *Order) Sort(n int, cmp func(a, b int32) int) {
	o.order = o.order[:0]
	for i := range n {
		o.order = append(o.order, int32(i))
	}
	slices.SortFunc(o.order, cmp)
}

// Merge puts rows [from, n) into the order: they are sorted among
// themselves, then merged in one pass (a page costs its own sort and a
// walk of the order, not a sort of everything).
func (o *Order) Merge(from, n int, cmp func(a, b int32) int) {
	if o.order == nil && from > 0 {
		o.Sort(n, cmp)
		return
	}
	add := make([]int32, 0, n-from)
	for i := from; i < n; i++ {
		add = append(add, int32(i))
	}
	slices.SortFunc(add, cmp)
	out := o.spare[:0]
	i, j := 0, 0
	for i < len(o.order) && j < len(add) {
		if cmp(add[j], o.order[i]) < 0 {
			out = append(out, add[j])
			j++
		} else {
			out = append(out, o.order[i])
			i++
		}
	}
	out = append(append(out, o.order[i:]...), add[j:]...)
	o.order, o.spare = out, o.order
}

// Narrow works out the rows shown from the order and, when filtered, the
// filter's matches (row numbers, ascending) among n rows: O(n) when both
// apply, nothing more than a slice header otherwise.
func (o *Order) Narrow(n int, filtered bool, matches []int32) {
	o.n = n
	switch {
	case o.order == nil && !filtered:
		o.identity, o.view = true, nil
	case o.order == nil:
		o.identity, o.view = false, matches
	case !filtered:
		o.identity, o.view = false, o.order
	default:
		words := (n + 63) / 64
		o.inView = slices.Grow(o.inView[:0], words)[:words]
		clear(o.inView)
		for _, i := range matches {
			o.inView[i/64] |= 1 << (i % 64)
		}
		view := o.viewBuf[:0]
		for _, i := range o.order {
			if o.inView[i/64]&(1<<(i%64)) != 0 {
				view = append(view, i)
			}
		}
		o.viewBuf = view
		o.identity, o.view = false, view
	}
}

// Compare is the order of two rows whose sort column compared c (reversed
// when desc): ties go by their listing's place among the regions, then by
// their place in that listing, so that equal rows keep AWS's order.
func Compare(c int, desc bool, regA, regB, placeA, placeB int32) int {
	if desc {
		c = -c
	}
	if c != 0 {
		return c
	}
	if regA != regB {
		return int(regA - regB)
	}
	return int(placeA - placeB)
}
