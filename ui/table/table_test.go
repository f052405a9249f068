package table

import (
	"slices"
	"strings"
	"testing"

	"github.com/docsnap/docsnap/ui"
)

var cols = []Column{
	{Title: "IDENTIFIER", Width: 10, Flex: true, Max: 30},
	{Title: "STATUS", Width: 13, Drop: 1},
	{Title: "ENGINE", Width: 6, Drop: 3},
	{Title: "CREATED", Width: 10, Drop: 4},
	{Title: "N", Width: 3, Drop: 2, Right: true},
}

func titles(l Layout) string {
	var s []string
	for _, i := range l.Shown {
		s = append(s, l.Cols[i].Title)
	}
	return strings.Join(s, ",")
}

func TestColumnsDropByPriority(t *testing.T) {
	cases := []struct {
		width int
		want  string
	}{
		{200, "IDENTIFIER,STATUS,ENGINE,CREATED,N"},
		{50, "IDENTIFIER,STATUS,ENGINE,CREATED,N"},
		{49, "IDENTIFIER,STATUS,ENGINE,N"},
		{30, "IDENTIFIER,STATUS,N"},
		{25, "IDENTIFIER,STATUS"},
		{24, "IDENTIFIER"},
		{3, "IDENTIFIER"},
	}
	for _, c := range cases {
		if got := titles(NewLayout(cols, c.width)); got != c.want {
			t.Errorf("width %d: %s, want %s", c.width, got, c.want)
		}
	}
	// The flexible column is the first shown: Widths[0] is its width.
	l := NewLayout(cols, 200)
	if w := l.Widths[0]; l.Shown[0] != 0 || w != 30 {
		t.Errorf("flexible column %d wide, want its max 30", w)
	}
	l = NewLayout(cols, 60)
	if w := l.Widths[0]; l.Shown[0] != 0 || w != 60-(13+6+10+3+4*Gap) {
		t.Errorf("flexible column %d wide at 60", w)
	}
}

func TestRowsNeverWiderThanTheWidth(t *testing.T) {
	s := ui.NewStyles(true)
	for w := 0; w <= 120; w++ {
		l := NewLayout(cols, w)
		var b strings.Builder
		l.Row(&b, func(col, width int) string { return ui.Fit(strings.Repeat("x", 50), width) })
		if got := ui.Width(b.String()); got > w || got != l.Width {
			t.Fatalf("width %d: row is %d wide, layout says %d", w, got, l.Width)
		}
		if h := ui.Width(l.Header(s.ColHead)); h > w {
			t.Fatalf("width %d: header is %d wide", w, h)
		}
	}
}

func TestHiddenColumnNeverShown(t *testing.T) {
	hidden := slices.Clone(cols)
	hidden[2].Hidden = true
	if got := titles(NewLayout(hidden, 200)); got != "IDENTIFIER,STATUS,CREATED,N" {
		t.Fatalf("shown %s", got)
	}
}
