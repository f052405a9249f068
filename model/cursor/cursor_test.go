package cursor

import (
	"math/rand"
	"testing"
)

func check(t *testing.T, c Cursor, step string) {
	t.Helper()
	if c.n == 0 {
		if c.pos != 0 || c.off != 0 {
			t.Fatalf("%s: empty list with pos %d offset %d", step, c.pos, c.off)
		}
		return
	}
	if c.pos < 0 || c.pos >= c.n {
		t.Fatalf("%s: pos %d outside [0,%d)", step, c.pos, c.n)
	}
	if c.h > 0 && (c.pos < c.off || c.pos >= c.off+c.h) {
		t.Fatalf("%s: pos %d not in window [%d,%d)", step, c.pos, c.off, c.off+c.h)
	}
	if c.off < 0 || c.off > max(0, c.n-c.h) && c.h > 0 {
		t.Fatalf("%s: offset %d outside [0,%d]", step, c.off, max(0, c.n-c.h))
	}
}

func TestMoveScrollsOnlyAsNeeded(t *testing.T) {
	var c Cursor
	c.SetLen(100)
	c.SetHeight(10)
	c.Move(5)
	if c.Pos() != 5 || c.Offset() != 0 {
		t.Fatalf("pos %d off %d, want 5 0", c.Pos(), c.Offset())
	}
	c.Move(5) // row 10: one past the window
	if c.Pos() != 10 || c.Offset() != 1 {
		t.Fatalf("pos %d off %d, want 10 1", c.Pos(), c.Offset())
	}
	c.Move(-3) // still in view: no scroll
	if c.Pos() != 7 || c.Offset() != 1 {
		t.Fatalf("pos %d off %d, want 7 1", c.Pos(), c.Offset())
	}
	c.Move(-100)
	if c.Pos() != 0 || c.Offset() != 0 {
		t.Fatalf("pos %d off %d, want 0 0", c.Pos(), c.Offset())
	}
	c.Bottom()
	if c.Pos() != 99 || c.Offset() != 90 {
		t.Fatalf("bottom: pos %d off %d, want 99 90", c.Pos(), c.Offset())
	}
	if from, to := c.Visible(); from != 90 || to != 100 {
		t.Fatalf("visible %d..%d", from, to)
	}
	c.Top()
	if c.Pos() != 0 || c.Offset() != 0 {
		t.Fatalf("top: pos %d off %d", c.Pos(), c.Offset())
	}
}

func TestPagesKeepTheScreenLine(t *testing.T) {
	var c Cursor
	c.SetLen(100)
	c.SetHeight(10)
	c.Set(3)
	c.PageDown()
	if c.Pos() != 13 || c.Row() != 3 {
		t.Fatalf("page down: pos %d row %d, want 13 3", c.Pos(), c.Row())
	}
	c.PageUp()
	if c.Pos() != 3 || c.Offset() != 0 {
		t.Fatalf("page up: pos %d off %d, want 3 0", c.Pos(), c.Offset())
	}
	c.Bottom()
	c.PageDown()
	if c.Pos() != 99 {
		t.Fatalf("page down at the end: pos %d", c.Pos())
	}
}

func TestShrinkingKeepsCursorInRange(t *testing.T) {
	var c Cursor
	c.SetLen(50)
	c.SetHeight(10)
	c.Set(45)
	c.SetLen(20) // a filter narrowed the list
	if c.Pos() != 19 || c.Offset() != 10 {
		t.Fatalf("pos %d off %d, want 19 10", c.Pos(), c.Offset())
	}
	c.SetLen(0)
	if c.Pos() != 0 || c.Offset() != 0 {
		t.Fatalf("empty: pos %d off %d", c.Pos(), c.Offset())
	}
	c.SetLen(3)
	c.SetHeight(10) // a short list never scrolls
	c.Bottom()
	if c.Offset() != 0 {
		t.Fatalf("short list scrolled to %d", c.Offset())
	}
}

func TestSetAtKeepsTheRowWhereItCan(t *testing.T) {
	var c Cursor
	c.SetLen(100)
	c.SetHeight(10)
	c.SetAt(50, 4)
	if c.Offset() != 46 || c.Row() != 4 {
		t.Fatalf("off %d row %d, want 46 4", c.Offset(), c.Row())
	}
	c.SetAt(2, 8) // near the top: cannot show it on line 8
	if c.Offset() != 0 || c.Pos() != 2 {
		t.Fatalf("off %d pos %d, want 0 2", c.Offset(), c.Pos())
	}
}

func TestInvariantsUnderRandomOperations(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	var c Cursor
	for i := range 20000 {
		switch r.Intn(9) {
		case 0:
			c.SetLen(r.Intn(30))
		case 1:
			c.SetHeight(r.Intn(12))
		case 2:
			c.Move(r.Intn(21) - 10)
		case 3:
			c.PageDown()
		case 4:
			c.PageUp()
		case 5:
			c.Top()
		case 6:
			c.Bottom()
		case 7:
			c.SetAt(r.Intn(40)-5, r.Intn(14)-2)
		case 8:
			c.Set(r.Intn(40) - 5)
		}
		check(t, c, "step "+string(rune('0'+i%10)))
	}
}
