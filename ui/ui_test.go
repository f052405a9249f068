package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

func TestFitAndTruncate(t *testing.T) {
	cases := []struct {
		in    string
		width int
		want  string
	}{
		{"orders-prod", 15, "orders-prod    "},
		{"orders-prod", 6, "order…"},
		{"orders-prod", 1, "…"},
		{"orders-prod", 0, ""},
		{"東京クラスター", 7, "東京ク…"},
		{"東京", 3, "東…"},
		{"a\\\ufe0fb", 3, "a… "}, // a character then a variation selector takes two cells
	}
	for _, c := range cases {
		if got := Fit(c.in, c.width); got != c.want {
			t.Errorf("Fit(%q, %d) = %q, want %q", c.in, c.width, got, c.want)
		}
		if w := ansi.StringWidth(Fit(c.in, c.width)); w != c.width {
			t.Errorf("Fit(%q, %d) is %d wide", c.in, c.width, w)
		}
	}
	if got := PadLeft("3", 4); got != "   3" {
		t.Errorf("PadLeft %q", got)
	}
}

func TestWrap(t *testing.T) {
	for _, w := range []int{1, 5, 12, 40} {
		for _, l := range Wrap("The DocumentDB endpoint could not be reached, or it closed the connection.", w) {
			if Width(l) > w {
				t.Errorf("width %d: %q", w, l)
			}
		}
	}
	if got := Wrap("short", 10); len(got) != 1 || got[0] != "short" {
		t.Errorf("%q", got)
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", 1500 * time.Millisecond: "2s", 65 * time.Second: "1m05s", 3723 * time.Second: "1h02m", -time.Second: "0s",
	} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestFieldKeepsTheCursorInView(t *testing.T) {
	s := NewStyles(true)
	line, x := s.Field("orders-prod", 6, 20)
	if ansi.Strip(line) != "orders-prod         " || x != 6 {
		t.Fatalf("%q %d", ansi.Strip(line), x)
	}
	// Longer than the field, cursor at the end: the end shows.
	long := strings.Repeat("a", 30) + "XYZ"
	line, x = s.Field(long, len(long), 10)
	if got := ansi.Strip(line); !strings.HasSuffix(got, "XYZ ") || x != 9 || Width(got) != 10 {
		t.Fatalf("%q %d", got, x)
	}
	// Wide characters: the cursor column counts cells.
	line, x = s.Field("東京db", 2, 10)
	if x != 4 || Width(ansi.Strip(line)) != 10 {
		t.Fatalf("wide: %q %d", ansi.Strip(line), x)
	}
	// Controls and bidi overrides show as one replacement cell each.
	line, x = s.Field("a\x1bb\u202ec", 5, 10)
	if got := ansi.Strip(line); strings.ContainsAny(got, "\x1b\u202e") || !strings.HasPrefix(got, "a\uFFFDb\uFFFDc") || x != 5 {
		t.Fatalf("controls: %q %d", got, x)
	}
	// So do a soft hyphen and a variation selector, which terminals give
	// different widths: the cursor stays where the terminal draws it.
	line, x = s.Field("a\u00adb\u2764\ufe0f", 5, 10)
	if got := ansi.Strip(line); got != "a\uFFFDb\u2764\uFFFD     " || x != 5 {
		t.Fatalf("format characters: %+q %d", got, x)
	}
}

func TestHighlight(t *testing.T) {
	base, hi := Paint{}, NewStyles(true).Match
	got := Highlight("orders-prod", 7, 11, 20, base, hi)
	if ansi.Strip(got) != Fit("orders-prod", 20) || !strings.Contains(got, hi.Render("prod")) {
		t.Fatalf("%q", got)
	}
	// The match is in the part cut off: nothing highlighted, still fitted.
	got = Highlight("orders-prod", 7, 11, 6, base, hi)
	if ansi.Strip(got) != "order…" || strings.Contains(got, "\x1b") {
		t.Fatalf("cut: %q", got)
	}
	got = Highlight("orders-prod", 3, 11, 6, base, hi)
	if ansi.Strip(got) != "order…" || !strings.Contains(got, hi.Render("er")) {
		t.Fatalf("partly cut: %q", got)
	}
}

func TestBarAndStatus(t *testing.T) {
	s := NewStyles(false)
	for _, p := range []int{-5, 0, 37, 100, 120} {
		for _, w := range []int{0, 1, 6, 10, 60} {
			if got := Width(s.BarWithPercent(p, w)); got != w {
				t.Errorf("bar %d%% in %d is %d wide", p, w, got)
			}
		}
	}
	if got := ansi.Strip(s.Bar(50, 10)); got != "█████░░░░░" {
		t.Errorf("bar %q", got)
	}
	for status, want := range map[string]string{"available": "● available", "backing-up": "◔ backing-up",
		"stopped": "○ stopped", "failed": "✗ failed", "mystery": "? mystery", "": "? unknown",
		// The elastic API's words, as it sends them.
		"ACTIVE": "● ACTIVE", "CREATING": "◔ CREATING", "STOPPED": "○ STOPPED", "DELETING": "✗ DELETING",
		"INACCESSIBLE_SECRET_ARN": "✗ INACCESSIBLE_SECRET_ARN", "NEW_WORD": "? NEW_WORD"} {
		if got := ansi.Strip(s.Status(status, 0)); got != want {
			t.Errorf("Status(%q) = %q, want %q", status, got, want)
		}
	}
}
