package ui

import (
	"fmt"
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Paint is a text style as the escape sequences that switch it on and off,
// worked out once per theme so that drawing a table row costs string
// concatenation, not a style engine. The program downsamples the colours to
// what the terminal supports (none at all under NO_COLOR).
type Paint struct{ on string }

// NewPaint builds a Paint from an x/ansi style.
func NewPaint(s ansi.Style) Paint {
	if len(s) == 0 {
		return Paint{}
	}
	return Paint{on: s.String()}
}

// Render styles s, leaving the terminal's style reset after it.
func (p Paint) Render(s string) string {
	if p.on == "" || s == "" {
		return s
	}
	return p.on + s + ansi.ResetStyle
}

// Theme chooses the palette.
type Theme int

// Themes. ThemeAuto follows the terminal's background colour; so does
// ThemeHighContrast, with the strongest colours of each background and no
// dimmed text.
const (
	ThemeAuto Theme = iota
	ThemeDark
	ThemeLight
	ThemeHighContrast
)

var themeNames = [...]string{"auto", "dark", "light", "high-contrast"}

// String is the theme's name, as the config file spells it.
func (t Theme) String() string {
	if int(t) < len(themeNames) {
		return themeNames[t]
	}
	return fmt.Sprintf("Theme(%d)", int(t))
}

// ParseTheme reads a theme's name.
func ParseTheme(s string) (Theme, error) {
	for i, n := range themeNames {
		if s == n {
			return Theme(i), nil
		}
	}
	return ThemeAuto, fmt.Errorf("unknown theme %q (want auto, dark, light or high-contrast)", s)
}

// Dark reports whether the theme uses the dark palette, given what the
// terminal said about its background.
func (t Theme) Dark(terminalDark bool) bool {
	switch t {
	case ThemeDark:
		return true
	case ThemeLight:
		return false
	}
	return terminalDark
}

// Follows reports whether the theme depends on the terminal's background
// (which the program then asks for).
func (t Theme) Follows() bool { return t == ThemeAuto || t == ThemeHighContrast }

// Styles builds the theme's styles, given what the terminal said about its
// background.
func (t Theme) Styles(terminalDark bool) *Styles {
	dark := t.Dark(terminalDark)
	if t == ThemeHighContrast {
		p := lightContrast
		if dark {
			p = darkContrast
		}
		return newStyles(p, dark, true)
	}
	return NewStyles(dark)
}

// Styles are every style docsnap draws with.
type Styles struct {
	Dark bool

	Title    Paint // the app name in the header
	Header   Paint // the header line's other text
	Heading  Paint // a section title
	ColHead  Paint // table column titles
	Muted    Paint // secondary text
	Bold     Paint
	Accent   Paint
	Selected Paint // the identifier of the row under the cursor
	Gutter   Paint // the cursor's mark in the gutter
	Match    Paint // the part of an identifier a filter matched
	SelMatch Paint // a match in the row under the cursor
	Good     Paint // available, valid, done
	Busy     Paint // creating, modifying: in progress
	Off      Paint // stopped
	Bad      Paint // failed, errors, problems
	Warn     Paint // throttling, a blocked form
	BarFull  Paint
	BarEmpty Paint
	Input    Paint // an input field's text
	Notice   Paint // a notice line
	Badge    Paint // a mode the header names (READ-ONLY)

	Help help.Styles
}

type palette struct {
	accent, good, busy, bad, warn, muted, subtle, match color.Color
}

var (
	darkPalette = palette{
		accent: lipgloss.Color("#8AB4F8"), good: lipgloss.Color("#5FD787"),
		busy: lipgloss.Color("#E5C07B"), bad: lipgloss.Color("#FF7B72"),
		warn: lipgloss.Color("#FFB86C"), muted: lipgloss.Color("#9A9A9A"),
		subtle: lipgloss.Color("#4A4A4A"), match: lipgloss.Color("#FFD75F"),
	}
	lightPalette = palette{
		accent: lipgloss.Color("#1A5FB4"), good: lipgloss.Color("#1B7F37"),
		busy: lipgloss.Color("#8A6100"), bad: lipgloss.Color("#C01C28"),
		warn: lipgloss.Color("#A0460A"), muted: lipgloss.Color("#5E5E5E"),
		subtle: lipgloss.Color("#C8C8C8"), match: lipgloss.Color("#8F3F00"),
	}
	// The high-contrast palettes: the ANSI bright colours on a dark
	// background (terminals keep them legible whatever their scheme), pure
	// dark ones on a light background, and "muted" text as strong as the
	// rest (it stays told apart by its place and words).
	darkContrast = palette{
		accent: lipgloss.Color("14"), good: lipgloss.Color("10"),
		busy: lipgloss.Color("11"), bad: lipgloss.Color("9"),
		warn: lipgloss.Color("11"), muted: lipgloss.Color("15"),
		subtle: lipgloss.Color("7"), match: lipgloss.Color("11"),
	}
	lightContrast = palette{
		accent: lipgloss.Color("#00008B"), good: lipgloss.Color("#004D00"),
		busy: lipgloss.Color("#5C3A00"), bad: lipgloss.Color("#8B0000"),
		warn: lipgloss.Color("#6B2500"), muted: lipgloss.Color("#000000"),
		subtle: lipgloss.Color("#6E6E6E"), match: lipgloss.Color("#000000"),
	}
)

// NewStyles builds the styles for a dark or a light background. Every colour
// is paired with a glyph, a word or an attribute (bold, reverse, underline),
// so that nothing is told by colour alone.
func NewStyles(dark bool) *Styles {
	p := lightPalette
	if dark {
		p = darkPalette
	}
	return newStyles(p, dark, false)
}

func newStyles(p palette, dark, contrast bool) *Styles {
	fg := func(c color.Color) ansi.Style { return ansi.NewStyle().ForegroundColor(c) }
	// Help in the palette's own colours: bubbles' defaults are too faint to
	// read on a dark background (about 2:1). Keys stand out by weight.
	key := lipgloss.NewStyle().Foreground(p.muted).Bold(true)
	if contrast {
		key = lipgloss.NewStyle().Foreground(p.accent).Bold(true)
	}
	desc := lipgloss.NewStyle().Foreground(p.muted)
	sep := lipgloss.NewStyle().Foreground(p.subtle)
	h := help.Styles{ShortKey: key, ShortDesc: desc, ShortSeparator: sep, Ellipsis: sep,
		FullKey: key, FullDesc: desc, FullSeparator: sep}
	return &Styles{
		Dark:     dark,
		Title:    NewPaint(fg(p.accent).Bold()),
		Header:   NewPaint(fg(p.muted)),
		Heading:  NewPaint(ansi.NewStyle().Bold()),
		ColHead:  NewPaint(fg(p.muted).Bold()),
		Muted:    NewPaint(fg(p.muted)),
		Bold:     NewPaint(ansi.NewStyle().Bold()),
		Accent:   NewPaint(fg(p.accent)),
		Selected: NewPaint(fg(p.accent).Bold().Reverse(true)),
		Gutter:   NewPaint(fg(p.accent).Bold()),
		Match:    NewPaint(fg(p.match).Bold().Underline(true)),
		SelMatch: NewPaint(fg(p.accent).Bold().Reverse(true).Underline(true)),
		Good:     NewPaint(fg(p.good)),
		Busy:     NewPaint(fg(p.busy)),
		Off:      NewPaint(fg(p.muted)),
		Bad:      NewPaint(fg(p.bad)),
		Warn:     NewPaint(fg(p.warn)),
		BarFull:  NewPaint(fg(p.accent)),
		BarEmpty: NewPaint(fg(p.subtle)),
		Input:    NewPaint(ansi.NewStyle().Underline(true)),
		Notice:   NewPaint(fg(p.good).Bold()),
		Badge:    NewPaint(fg(p.warn).Bold().Reverse(true)),
		Help:     h,
	}
}
