// Package table lays out and draws the rows of a table that may hold far
// more rows than fit: the caller hands it only the visible ones, so drawing
// costs the same for ten rows as for a hundred thousand. Columns that do not
// fit are dropped, least important first; the flexible one takes what is
// left, and every cell is cut with an ellipsis to its width.
package table

import (
	"strings"

	"github.com/docsnap/docsnap/ui"
)

// Column describes one column.
type Column struct {
	Title string
	// Width is the column's width; for the flexible column, its minimum.
	Width int
	// Flex marks the one column that takes the space the others leave, up
	// to Max (0: no limit).
	Flex bool
	Max  int
	// Drop orders the dropping of columns when the terminal is narrow: the
	// highest goes first; 0 is never dropped.
	Drop int
	// Right aligns the column's cells to the right.
	Right bool
	// Hidden leaves the column out whatever the width (nothing to show in
	// it).
	Hidden bool
}

// Gap is the space between two columns.
const Gap = 2

// Layout is a table's columns fitted to a width.
type Layout struct {
	Cols   []Column
	Shown  []int // indexes into Cols, in order
	Widths []int // of the shown columns
	Width  int   // all shown columns and their gaps
}

// NewLayout fits cols into width cells (after a gutter the caller draws).
func NewLayout(cols []Column, width int) Layout {
	l := Layout{Cols: cols}
	shown := make([]bool, len(cols))
	for i, c := range cols {
		shown[i] = !c.Hidden
	}
	need := func() int {
		n, w := 0, 0
		for i, c := range cols {
			if shown[i] {
				w += c.Width
				n++
			}
		}
		return w + max(n-1, 0)*Gap
	}
	for need() > width {
		drop := -1
		for i, c := range cols {
			if shown[i] && c.Drop > 0 && (drop < 0 || c.Drop > cols[drop].Drop) {
				drop = i
			}
		}
		if drop < 0 {
			break
		}
		shown[drop] = false
	}
	spare := max(width-need(), 0)
	for i, c := range cols {
		if !shown[i] {
			continue
		}
		w := c.Width
		if c.Flex {
			grow := spare
			if c.Max > 0 {
				grow = min(grow, max(c.Max-w, 0))
			}
			w += grow
		}
		l.Shown = append(l.Shown, i)
		l.Widths = append(l.Widths, w)
	}
	// Still too wide (only unremovable columns left): shrink from the right.
	total := func() int {
		w := 0
		for _, x := range l.Widths {
			w += x
		}
		return w + max(len(l.Widths)-1, 0)*Gap
	}
	for k := len(l.Widths) - 1; k >= 0 && total() > width; k-- {
		l.Widths[k] = max(l.Widths[k]-(total()-width), 0)
	}
	l.Width = min(total(), max(width, 0))
	return l
}

// Header draws the column titles in paint.
func (l Layout) Header(paint ui.Paint) string {
	var b strings.Builder
	l.Row(&b, func(col, width int) string {
		c := l.Cols[col]
		if c.Right {
			return paint.Render(ui.PadLeft(c.Title, width))
		}
		return paint.Render(ui.Fit(c.Title, width))
	})
	return b.String()
}

// Row writes one row to b: for each shown column, cell(column, width) must
// return the cell fitted to exactly width cells (ui.Fit helps), styled as it
// likes.
func (l Layout) Row(b *strings.Builder, cell func(col, width int) string) {
	for k, col := range l.Shown {
		w := l.Widths[k]
		if k > 0 {
			if w == 0 {
				continue
			}
			b.WriteString("  ")
		}
		if w > 0 {
			b.WriteString(cell(col, w))
		}
	}
}
