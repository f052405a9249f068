// Package cursor is the position of a cursor in a list that shows height
// rows at a time, and the first row shown: the arithmetic every scrolling
// list needs, in one place, with its invariants kept by every method.
package cursor

// Cursor is a cursor over n rows shown height at a time. The zero value is an
// empty list. Invariants, after every method: 0 <= Pos < Len (Pos = 0 when
// empty); Offset <= Pos < Offset+Height (when Height > 0); 0 <= Offset <=
// max(0, Len-Height), so that a full window never shows empty rows below the
// last one.
type Cursor struct {
	pos, off, n, h int
}

// Pos is the row under the cursor.
func (c Cursor) Pos() int { return c.pos }

// Offset is the first row shown.
func (c Cursor) Offset() int { return c.off }

// Len is the number of rows.
func (c Cursor) Len() int { return c.n }

// Height is the number of rows shown at a time.
func (c Cursor) Height() int { return c.h }

// Visible is the range of rows shown: [from, to).
func (c Cursor) Visible() (from, to int) {
	return c.off, min(c.off+c.h, c.n)
}

// SetLen changes the number of rows, keeping the cursor on the same row
// number where it still exists.
func (c *Cursor) SetLen(n int) {
	c.n = max(n, 0)
	c.fix()
}

// SetHeight changes the number of rows shown, keeping the cursor in view.
func (c *Cursor) SetHeight(h int) {
	c.h = max(h, 0)
	c.fix()
}

// Move moves the cursor by delta rows, stopping at the ends. The window
// scrolls only as much as needed to keep the cursor in view.
func (c *Cursor) Move(delta int) { c.Set(c.pos + delta) }

// Set puts the cursor on row pos (clamped), scrolling as little as needed.
func (c *Cursor) Set(pos int) {
	c.pos = pos
	c.fix()
}

// SetAt puts the cursor on row pos and scrolls so that it is shown on screen
// line row of the window, where the rows allow: used after a reload to keep
// the selected item where the user's eye was.
func (c *Cursor) SetAt(pos, row int) {
	c.pos = pos
	c.off = pos - row
	c.fix()
}

// Top moves to the first row.
func (c *Cursor) Top() { c.Set(0) }

// Bottom moves to the last row.
func (c *Cursor) Bottom() { c.Set(c.n - 1) }

// PageDown moves a window down: the cursor keeps its line on screen, as in
// a pager.
func (c *Cursor) PageDown() { c.page(1) }

// PageUp moves a window up.
func (c *Cursor) PageUp() { c.page(-1) }

func (c *Cursor) page(dir int) {
	step := max(c.h, 1)
	row := c.pos - c.off
	c.SetAt(c.pos+dir*step, row)
}

// Row is the cursor's line in the window.
func (c Cursor) Row() int { return c.pos - c.off }

func (c *Cursor) fix() {
	if c.n == 0 {
		c.pos, c.off = 0, 0
		return
	}
	c.pos = min(max(c.pos, 0), c.n-1)
	if c.h == 0 {
		c.off = c.pos
		return
	}
	if c.pos < c.off {
		c.off = c.pos
	}
	if c.pos >= c.off+c.h {
		c.off = c.pos - c.h + 1
	}
	c.off = min(max(c.off, 0), max(c.n-c.h, 0))
}
