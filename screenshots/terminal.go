package main

import (
	"fmt"
	"image/color"
	"io"
	"strings"

	uv "github.com/charmbracelet/ultraviolet"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
)

// newTerminal is an emulator of the screens' size whose answers to queries
// are read and dropped, as from a terminal that answers nothing useful, so
// that it never blocks on them. done stops the reading. (The emulator's
// Close would race with the reading: vt v0.1.0 keeps its closed flag
// unguarded.)
func newTerminal() (e *vt.Emulator, done func()) {
	e = vt.NewEmulator(width, height)
	drained := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, e)
		close(drained)
	}()
	return e, func() {
		_ = e.InputPipe().(*io.PipeWriter).Close()
		<-drained
	}
}

// emulate reads stream as a terminal of the screens' size does, and returns
// the terminal's screen as f writes it.
func emulate(stream string, f func(*vt.Emulator) string) string {
	e, done := newTerminal()
	defer done()
	_, _ = e.WriteString(stream)
	return f(e)
}

// emulateFrame is emulate for a frame as a program's View draws it: lines
// separated by newlines, drawn from the top left corner, and no cursor
// unless the frame ends by showing it.
func emulateFrame(frame string, f func(*vt.Emulator) string) string {
	return emulate(ansi.HideCursor+strings.ReplaceAll(frame, "\n", "\r\n"), f)
}

// theme is a terminal's default colours, which unstyled and reversed text
// takes.
type theme struct{ fg, bg color.Color }

var (
	darkTerminal  = theme{fg: hex(0xd4d4d4), bg: hex(0x171717)}
	lightTerminal = theme{fg: hex(0x1f1f1f), bg: hex(0xfafafa)}
)

func hex(v uint32) color.RGBA {
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

// cellStyle is what freeze can draw of a cell's style.
type cellStyle struct {
	fg, bg    color.RGBA
	underline bool
}

// cells calls f with each cell of line y, left to right: its column, its
// text (a space where the screen has nothing) and its style. The columns that
// a wide character covers come once, with it.
func cells(e *vt.Emulator, y int, f func(x int, text string, st uv.Style)) {
	for x := 0; x < e.Width(); {
		text, width, st := " ", 1, uv.Style{}
		if c := e.CellAt(x, y); c != nil {
			st = c.Style
			if c.Content != "" && c.Width > 0 {
				text, width = c.Content, c.Width
			}
		}
		f(x, text, st)
		x += width
	}
}

// forFreeze writes the emulator's screen as freeze draws it right: every
// cell's colours spelled out in 24-bit, against the terminal's default
// colours, reverse video resolved (freeze ignores it, and the default
// colours SGR 39/49), one style sequence per run, every line as wide as the
// screen so that every image has the same size. Bold is lost: freeze draws
// none.
func forFreeze(e *vt.Emulator, t theme) string {
	var b strings.Builder
	cursor := e.CursorPosition()
	for y := range e.Height() {
		if y > 0 {
			b.WriteString("\n")
		}
		first, last := true, cellStyle{}
		cells(e, y, func(x int, text string, st uv.Style) {
			if !e.CursorHidden() && cursor == (uv.Position{X: x, Y: y}) {
				st.Attrs ^= uv.AttrReverse // a block cursor
			}
			if s := resolve(st, t); first || s != last {
				b.WriteString(sgr(s, t))
				first, last = false, s
			}
			b.WriteString(text)
		})
		b.WriteString("\x1b[0m")
	}
	return b.String()
}

func resolve(st uv.Style, t theme) cellStyle {
	fg, bg := t.fg, t.bg
	if st.Fg != nil {
		fg = st.Fg
	}
	if st.Bg != nil {
		bg = st.Bg
	}
	if st.Attrs&uv.AttrReverse != 0 {
		fg, bg = bg, fg
	}
	return cellStyle{fg: rgba(fg), bg: rgba(bg), underline: st.Underline != uv.UnderlineStyleNone}
}

func rgba(c color.Color) color.RGBA {
	r, g, b, _ := c.RGBA()
	return color.RGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0xff}
}

func sgr(s cellStyle, t theme) string {
	out := fmt.Sprintf("\x1b[0;38;2;%d;%d;%d", s.fg.R, s.fg.G, s.fg.B)
	if s.bg != rgba(t.bg) {
		out += fmt.Sprintf(";48;2;%d;%d;%d", s.bg.R, s.bg.G, s.bg.B)
	}
	if s.underline {
		out += ";4"
	}
	return out + "m"
}

// frame writes the emulator's screen back as a program's View draws it:
// lines separated by newlines, each run of cells with its style and a reset,
// then the cursor where it shows.
func frame(e *vt.Emulator) string {
	var b strings.Builder
	for y := range e.Height() {
		if y > 0 {
			b.WriteString("\n")
		}
		var run strings.Builder
		var style uv.Style
		cells(e, y, func(_ int, text string, st uv.Style) {
			if !st.Equal(&style) {
				b.WriteString(style.Styled(run.String()))
				run.Reset()
				style = st
			}
			run.WriteString(text)
		})
		b.WriteString(style.Styled(run.String()))
	}
	if !e.CursorHidden() {
		p := e.CursorPosition()
		b.WriteString(ansi.CursorPosition(p.X+1, p.Y+1) + ansi.ShowCursor)
	}
	return b.String()
}

// plain is the emulator's screen as text, each line trimmed on the right.
func plain(e *vt.Emulator) string {
	lines := make([]string, e.Height())
	for y := range lines {
		var b strings.Builder
		cells(e, y, func(_ int, text string, _ uv.Style) { b.WriteString(text) })
		lines[y] = strings.TrimRight(b.String(), " ")
	}
	return strings.Join(lines, "\n")
}
