package model

import (
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// colourSGR matches a select-graphic-rendition sequence that sets a
// foreground or background colour (basic, 256 or true colour).
var colourSGR = regexp.MustCompile(`\x1b\[(?:[0-9:]*;)*(?:3[0-79]|4[0-79]|9[0-7]|10[0-7]|38|48)[;:m]`)

// runWithEnv runs the app to the cluster list with the colour profile left
// to detection from env, and returns every byte written to the terminal.
func runWithEnv(t *testing.T, env []string) string {
	t.Helper()
	m := New(Config{Client: populated(), Now: func() time.Time { return t0 }, After: (&timers{}).after})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 16),
		teatest.WithProgramOptions(tea.WithEnvironment(env)))
	// WaitFor consumes the output it reads: keep what it saw.
	var seen string
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		seen = string(b)
		return strings.Contains(seen, "orders-staging")
	}, teatest.WithDuration(5*time.Second))
	_ = tm.Quit()
	rest, err := io.ReadAll(tm.FinalOutput(t, teatest.WithFinalTimeout(5*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	return seen + string(rest)
}

// TestNoColor checks that NO_COLOR removes every colour from what reaches
// the terminal while the statuses still read (glyph and word), and that
// the same run without it does colour: Bubble Tea detects the profile
// (colorprofile: NO_COLOR gives the Ascii profile, attributes kept) and
// downsamples every frame.
func TestNoColor(t *testing.T) {
	// TTY_FORCE: the test's output is a buffer, not a terminal.
	coloured := runWithEnv(t, []string{"TERM=xterm-256color", "TTY_FORCE=1"})
	if !colourSGR.MatchString(coloured) {
		t.Fatal("without NO_COLOR the frame has no colour: the test cannot tell")
	}
	plain := runWithEnv(t, []string{"TERM=xterm-256color", "TTY_FORCE=1", "NO_COLOR=1"})
	if loc := colourSGR.FindStringIndex(plain); loc != nil {
		t.Fatalf("NO_COLOR output has a colour: %q", plain[max(loc[0]-20, 0):min(loc[1]+20, len(plain))])
	}
	for _, want := range []string{"● available", "◔ backing-up", "○ stopped", "✗ inaccessible"} {
		if !strings.Contains(plain, want) {
			t.Errorf("NO_COLOR output lacks %q", want)
		}
	}
}

func TestGoldenColour(t *testing.T) {
	t.Run("list_filtered_dark", func(t *testing.T) {
		a := start(t, populated(), 100, 12)
		a.loaded()
		a.press("/")
		a.typeText("ord")
		a.press("down")
		a.await("filtered", func(m *Model) bool { return m.list.filter.Text() == "ord" && m.list.cur.Pos() == 1 })
		goldenColour(t, a.final())
	})
	// A warning (a rule AWS's documents disagree on) in the warning colour,
	// and the form ready to send all the same.
	t.Run("form_tag_warning_dark", func(t *testing.T) {
		a := openForm(t, populated(), 100, 16)
		a.press("tab")
		a.typeText("owner")
		a.press("tab")
		a.typeText("alice@example.com")
		a.await("typed", func(m *Model) bool { return m.flow.form.Rows()[0].Value.Value() == "alice@example.com" })
		goldenColour(t, a.final())
	})
	t.Run("progress_37_light", func(t *testing.T) {
		a := openForm(t, populated(), 80, 12)
		a.tm.Send(tea.BackgroundColorMsg{Color: whiteBg{}})
		a.press("enter", "enter")
		a.await("progress", func(m *Model) bool { return m.screen == screenProgress && !m.styles.Dark })
		a.clock.Advance(20 * time.Second)
		a.fake.setProgress("orders-prod-2024-05-01-1234", "creating", 37)
		a.pollOnce()
		goldenColour(t, a.final())
	})
}

type whiteBg struct{}

func (whiteBg) RGBA() (r, g, b, a uint32) { return 0xffff, 0xffff, 0xffff, 0xffff }
