package model

import (
	"strings"

	"github.com/docsnap/docsnap/model/cursor"
)

// window writes a screen's body: lines one under another, never more than
// its height, then padded to exactly its height. The screens that scroll
// show their cursor's rows in it (rows), as many as fit.
type window struct {
	b      *strings.Builder
	height int
	n      int // lines begun
}

func newWindow(b *strings.Builder, height int) window { return window{b: b, height: height} }

// start begins a line, when one more fits, for the caller to write into b.
func (w *window) start() bool {
	if w.n >= w.height {
		return false
	}
	if w.n > 0 {
		w.b.WriteString("\n")
	}
	w.n++
	return true
}

// line writes a line, when one more fits.
func (w *window) line(s string) {
	if w.start() {
		w.b.WriteString(s)
	}
}

// rows writes the rows c shows, as many as fit, each after a gutter that
// marks the one under the cursor; row writes the rest of row i.
func (w *window) rows(c *cursor.Cursor, gutter string, row func(b *strings.Builder, i int, sel bool)) {
	from, to := c.Visible()
	for i := from; i < to && w.start(); i++ {
		sel := i == c.Pos()
		if sel {
			w.b.WriteString(gutter)
		} else {
			w.b.WriteString("  ")
		}
		row(w.b, i, sel)
	}
}

// fill pads the body with empty lines to its height.
func (w *window) fill() {
	for w.start() {
	}
}
