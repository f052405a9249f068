package sanitize_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/sanitize"
	"github.com/docsnap/docsnap/ui/table"
)

// widthSeeds are the characters terminals have been seen to disagree on.
var widthSeeds = []string{
	// soft hyphen; zero-width space, word joiner, byte order mark
	"orders\u00adprod",
	"zero\u200bwidth\u2060joiner\ufeff",
	// a ZWJ sequence
	"\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 family",
	// emoji and text presentation selectors, keycaps
	"\u2764\ufe0f love \u00a9\ufe0f",
	"\u231a\ufe0e watch \u263a\ufe0e",
	"1\ufe0f\u20e3 keycap #\ufe0f\u20e3",
	// skin-tone modifiers, one alone
	"\U0001f44d\U0001f3fb thumbs \U0001f3fb",
	// combining marks, one with nothing to combine with
	"e\u0301 cafe\u0301 \u0301lead",
	// wide
	"東京 データ 한국어",
	// conjoining jamo, modern and old
	"\u1100\u1161\u11a8 \u1100\u1161 가\u11a8 \u1112\u1161\u11ab \u1100\u119e",
	// regional indicators: pairs, an odd run, one alone
	"\U0001f1fa\U0001f1f8 \U0001f1e6\U0001f1e6\U0001f1e6 \U0001f1fa",
	// bidirectional controls
	"bidi \u202eevil\u202c \u2066iso\u2069 \u200fmark \u061c",
	// vowel signs and conjuncts, halfwidth kana with sound marks
	"नमस्ते हिन्दी தமிழ் น้ำ ｶﾞｽ",
	"a\u0903 \u0e33 \uff9e",
	// wide spacing marks
	"\u302e \U00016ff0 a\u302f",
	// a tag sequence, prepended marks
	"\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f flag",
	"\u0600" + "1 prepend \u0d4e",
	// ambiguous width
	"ambiguous …·é ΑΒΓ ①",
	// private use, unassigned, a noncharacter
	"\ue000 private \U0001fae9 new \uffff nonchar",
	"tab\tline\nbreak \x1b[31mred\x1b[0m \x9b2J",
}

// FuzzSanitizedWidth checks that whatever String returns, a terminal draws
// in exactly the cells ui.Width counts, cut to a column or not: the
// emulator, which measures grapheme clusters as terminals with mode 2027
// do, and the count character by character of the terminals without it
// agree with it, and no character is left whose width the terminals' own
// tables disagree on (a format character, a variation selector).
func FuzzSanitizedWidth(f *testing.F) {
	for _, s := range widthSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1024 {
			// Widths are decided cluster by cluster: longer text finds
			// nothing more, and the emulator takes its time over it.
			return
		}
		clean := sanitize.String(s)
		if again := sanitize.String(clean); again != clean {
			t.Fatalf("String(%+q) = %+q, and sanitized again %+q", s, clean, again)
		}
		for _, r := range clean {
			if unicode.In(r, unicode.Cf, unicode.Variation_Selector) || r >= 0x1f3fb && r <= 0x1f3ff {
				t.Fatalf("String(%+q) = %+q keeps %U, whose width terminals disagree on", s, clean, r)
			}
		}
		w := ui.Width(clean)
		if wc := ansi.StringWidthWc(clean); wc != w {
			t.Fatalf("String(%+q) = %+q: %d cells as clusters, %d character by character", s, clean, w, wc)
		}
		drawsIn(t, clean, w)
		col := 1 + len(s)%12
		fitted := ui.Fit(clean, col)
		if wc := ansi.StringWidthWc(fitted); wc != col {
			t.Fatalf("Fit(%+q, %d) = %+q: %d cells character by character", clean, col, fitted, wc)
		}
		drawsIn(t, fitted, col)
	})
}

// TestEveryCharacterKeepsItsWidth checks each character alone, and between
// two letters, which a mark would join.
func TestEveryCharacterKeepsItsWidth(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		s := string(r)
		clean := sanitize.String(s)
		w := ui.Width(clean)
		if sanitize.String(clean) != clean || ansi.StringWidthWc(clean) != w ||
			ui.Width("a"+clean+"b") != w+2 || ansi.StringWidthWc("a"+clean+"b") != w+2 {
			t.Errorf("%U: String = %+q, %d cells as clusters, %d character by character, %d between two letters",
				r, clean, w, ansi.StringWidthWc(clean), ui.Width("a"+clean+"b"))
		}
	}
}

// drawsIn writes text into a terminal after two letters and before a bar,
// and fails unless the bar lands w cells after the letters, on the same
// line, with the rest of the screen untouched.
func drawsIn(t *testing.T, text string, w int) {
	t.Helper()
	const spare = 4
	width := 2 + w + 1 + spare
	e := vt.NewEmulator(width, 2)
	fill := strings.Repeat(".", width)
	_, _ = e.WriteString(fill + "\r\n" + fill + "\x1b[H")
	_, _ = e.WriteString("ab" + text + "|" + "\x1b[m")
	if pos := e.CursorPosition(); pos.X != 2+w+1 || pos.Y != 0 {
		t.Fatalf("%+q measured %d cells; the terminal's cursor ends at %d,%d, not %d,0", text, w, pos.X, pos.Y, 2+w+1)
	}
	if c := e.CellAt(2+w, 0); c == nil || c.Content != "|" {
		t.Fatalf("%+q measured %d cells; the bar after it is not in column %d: %+v", text, w, 2+w, c)
	}
	for y := range 2 {
		for x := 0; x < width; x++ {
			if y == 0 && x <= 2+w {
				continue
			}
			if c := e.CellAt(x, y); c == nil || c.Content != "." {
				t.Fatalf("%+q measured %d cells; the terminal changed cell %d,%d: %+v", text, w, x, y, c)
			}
		}
	}
}

func TestSoftHyphenInAnIDIsDropped(t *testing.T) {
	// xterm and VTE give a soft hyphen a cell, other terminals none: an ID
	// holding one made a row one cell wider than measured, and it wrapped.
	if got := sanitize.String("orders\u00adprod"); got != "ordersprod" {
		t.Fatalf("String = %+q", got)
	}
}

func TestRowWithSoftHyphenIDFitsItsWidth(t *testing.T) {
	id := sanitize.String("orders\u00adprod\u00ad2024")
	status := sanitize.String("avail\u00adable")
	cols := []table.Column{{Title: "ID", Width: ui.Width(id)}, {Title: "STATUS", Width: 9}}
	l := table.NewLayout(cols, 40)
	var b strings.Builder
	l.Row(&b, func(col, width int) string {
		if col == 0 {
			return ui.Fit(id, width)
		}
		return ui.Fit(status, width)
	})
	row := b.String()
	if strings.ContainsRune(row, '\u00ad') {
		t.Fatalf("row %+q holds a soft hyphen, which a terminal that gives it a cell draws wider than %d", row, l.Width)
	}
	drawsIn(t, row, l.Width)
}
