package model

import (
	"strconv"
	"strings"
	"testing"

	"github.com/docsnap/docsnap/model/cursor"
)

// A window writes exactly its height in lines: what does not fit is left
// out, what is missing is padded, and the rows are the cursor's.
func TestWindowFillsItsHeight(t *testing.T) {
	var c cursor.Cursor
	c.SetLen(10)
	c.SetHeight(3)
	c.Set(4) // rows 2..4 in view
	row := func(b *strings.Builder, i int, sel bool) { b.WriteString("row" + strconv.Itoa(i)) }
	for _, tc := range []struct {
		height int
		want   string
	}{
		{0, ""},
		{1, "title"},
		{3, "title\n  row2\n  row3"},
		{4, "title\n  row2\n  row3\n> row4"},
		{6, "title\n  row2\n  row3\n> row4\n\n"},
	} {
		var b strings.Builder
		w := newWindow(&b, tc.height)
		w.line("title")
		w.rows(&c, "> ", row)
		w.fill()
		if b.String() != tc.want {
			t.Errorf("height %d: %q, want %q", tc.height, b.String(), tc.want)
		}
	}
}

// A click finds the row drawn on its line, and nothing on the titles,
// the failure lines or below the last row.
func TestListLayoutRowAt(t *testing.T) {
	var c cursor.Cursor
	c.SetLen(5)
	c.SetHeight(4)
	c.Set(4) // rows 1..4 in view
	lay := listLayout{top: 3, rows: 4}
	for y, want := range []int{-1, -1, -1, 1, 2, 3, 4, -1} {
		got, ok := lay.rowAt(y, &c)
		if !ok {
			got = -1
		}
		if got != want {
			t.Errorf("line %d: row %d, want %d", y, got, want)
		}
	}
}
