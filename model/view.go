package model

import (
	"errors"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// Smallest window the screens are drawn in; below it docsnap says so.
const (
	minWidth  = 20
	minHeight = 5
)

// View draws the frame: a header line, the screen's body, and a footer of
// tracked snapshots, notices and help. Every line fits the width and the
// frame has exactly the window's height.
func (m *Model) View() tea.View {
	var v tea.View
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "docsnap"
	if m.width <= 0 || m.height <= 0 {
		return v
	}
	if m.width < minWidth || m.height < minHeight {
		v.SetContent(m.tinyView())
		return v
	}
	var b strings.Builder
	b.Grow(m.width * m.height * 2)
	m.headerView(&b)
	footer := m.footerLines()
	body := m.bodyHeight(len(footer))
	b.WriteString("\n")
	var cur *tea.Cursor
	switch m.screen {
	case screenClusters:
		m.clustersView(&b, body)
		if m.list.filtering {
			cur = m.filterCursor(footer)
		}
	case screenCluster:
		m.clusterView(&b, body)
	case screenForm:
		cur = m.formView(&b, body)
		if cur != nil {
			cur.Y++ // below the header
		}
	case screenConfirm:
		m.confirmView(&b, body)
	case screenProgress:
		m.progressView(&b, body)
		v.ProgressBar = m.terminalProgress()
	}
	for _, line := range footer {
		b.WriteString("\n")
		b.WriteString(line)
	}
	v.SetContent(b.String())
	v.Cursor = cur
	return v
}

// bodyHeight is what the screen's body gets between header and footer.
func (m *Model) bodyHeight(footer int) int {
	return max(m.height-1-footer, 0)
}

// fit tells the cursors how many rows their screens show, after every
// message (the footer's height can change with any of them).
func (m *Model) fit() {
	if m.width < minWidth || m.height < minHeight {
		return
	}
	body := m.bodyHeight(len(m.footerLines()))
	m.list.cur.SetHeight(max(body-1, 1)) // the column titles take a line
	if m.screen == screenCluster {
		m.detail.cur.SetHeight(max(m.detail.rowsHeight(m, body), 1))
	}
}

func (m *Model) tinyView() string {
	msg := "docsnap: enlarge the window"
	if m.width < 8 {
		msg = "docsnap"
	}
	lines := ui.Wrap(msg, m.width)
	if len(lines) > m.height {
		lines = lines[:m.height]
	}
	return strings.Join(lines, "\n")
}

// headerView names the app and where it points, with the screen's count or
// the spinner on the right.
func (m *Model) headerView(b *strings.Builder) {
	s := m.styles
	t := m.target
	var where []string
	if m.cfg.Demo {
		where = append(where, "demo")
	} else if t.Profile != "" {
		where = append(where, "profile "+sanitize.String(t.Profile))
	} else {
		where = append(where, "default profile")
	}
	if t.Region != "" {
		where = append(where, sanitize.String(t.Region))
	}
	if t.Endpoint != "" && !m.cfg.Demo {
		where = append(where, sanitize.String(t.Endpoint))
	}
	right := m.headerRight()
	left := "docsnap · " + strings.Join(where, " · ")
	room := m.width - ui.Width(right) - 1
	if room < 10 {
		right, room = "", m.width
	}
	left = ui.Truncate(left, room)
	title := s.Title.Render("docsnap") + s.Header.Render(strings.TrimPrefix(left, "docsnap"))
	if !strings.HasPrefix(left, "docsnap") {
		title = s.Title.Render(left)
	}
	b.WriteString(title)
	if right != "" {
		b.WriteString(strings.Repeat(" ", max(m.width-ui.Width(left)-ui.Width(right), 1)))
		b.WriteString(s.Muted.Render(right))
	}
}

func (m *Model) headerRight() string {
	l := &m.list
	switch m.screen {
	case screenClusters:
		n := len(l.rows)
		switch {
		case l.loading && l.refreshing:
			return m.spinner() + " refreshing… " + count(len(l.pending), "cluster")
		case l.loading && n == 0:
			return m.spinner() + " loading…"
		case l.loading:
			return m.spinner() + " loading… " + count(n, "cluster")
		case l.filter.Active():
			return strconv.Itoa(l.Len()) + " of " + count(n, "cluster")
		}
		return count(n, "cluster")
	case screenCluster:
		if m.detail.loading() {
			return m.spinner() + " loading…"
		}
	case screenConfirm:
		if m.submitting {
			return m.spinner() + " creating…"
		}
	}
	return ""
}

func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// footerLines are the lines under the body, last first in importance: the
// filter, the tracked snapshots, a notice or status, the quit question, and
// the help.
func (m *Model) footerLines() []string {
	s := m.styles
	var lines []string
	if m.screen == screenClusters && (m.list.filtering || m.list.filter.Active()) {
		lines = append(lines, m.filterLine())
	}
	if t := m.trackedLine(); t != "" {
		lines = append(lines, t)
	}
	if m.notice != "" {
		paint := s.Bad
		if m.noticeGood {
			paint = s.Notice
		}
		lines = append(lines, paint.Render(ui.Truncate(m.notice, m.width)))
	}
	if m.status != "" {
		lines = append(lines, s.Warn.Render(ui.Truncate(m.status, m.width)))
	}
	if m.quitAsk {
		n := len(m.tracker.InFlight())
		q := count(n, "snapshot") + " still being created: AWS goes on without docsnap. Quit? y/n"
		lines = append(lines, s.Warn.Render(ui.Truncate(q, m.width)))
		return m.clip(lines)
	}
	lines = append(lines, m.helpLines()...)
	return m.clip(lines)
}

// clip keeps the footer to what leaves the body at least two lines.
func (m *Model) clip(lines []string) []string {
	room := max(m.height-3, 1)
	if len(lines) > room {
		lines = lines[len(lines)-room:]
	}
	return lines
}

// helpKey is what the help lines depend on: they are drawn again only when
// it changes (the help view costs more than all the rows of a frame).
type helpKey struct {
	screen                 screen
	width                  int
	full, dark             bool
	filtering, rows, track bool
	retry                  bool
}

func (m *Model) helpLines() []string {
	t, ok := m.tracker.Get(m.watching)
	k := helpKey{screen: m.screen, width: m.width, full: m.showHelp, dark: m.styles.Dark,
		filtering: m.list.filtering, rows: m.list.Len() > 0, track: ok && !t.Done(),
		retry: m.createErr != nil && m.lastInput != nil}
	if m.helpCache.lines != nil && m.helpCache.key == k {
		return m.helpCache.lines
	}
	m.help.SetWidth(m.width)
	h := m.screenHelp()
	var out string
	if m.showHelp {
		out = m.help.FullHelpView(h.Full)
	} else {
		out = m.help.ShortHelpView(h.Short)
	}
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if ui.Width(l) > m.width {
			lines[i] = ansi.Truncate(l, m.width, ui.Ellipsis)
		}
	}
	m.helpCache.key, m.helpCache.lines = k, lines
	return lines
}

func (m *Model) screenHelp() ui.Help {
	can := m.cfg.ReadOnly == ""
	switch m.screen {
	case screenClusters:
		if m.list.filtering {
			return m.keys.FilterHelp()
		}
		return m.keys.ListHelp(can, m.list.Len() > 0, false)
	case screenCluster:
		return m.keys.ClusterHelp(can)
	case screenForm:
		return m.keys.FormHelp(m.createErr != nil && m.lastInput != nil)
	case screenConfirm:
		return m.keys.ConfirmHelp(false)
	}
	t, ok := m.tracker.Get(m.watching)
	return m.keys.ProgressHelp(ok && !t.Done())
}

func (m *Model) filterLine() string {
	s := m.styles
	l := &m.list
	prompt := "/ "
	value := sanitize.String(l.input.Value())
	if l.filtering {
		line, _ := s.Field(l.input.Value(), l.input.Position(), max(m.width-len(prompt)-1, 1))
		return s.Accent.Render(prompt) + line
	}
	return s.Muted.Render(ui.Truncate("filter: "+value+" · esc clears, / edits", m.width))
}

// filterCursor puts the terminal's cursor in the filter field.
func (m *Model) filterCursor(footer []string) *tea.Cursor {
	l := &m.list
	_, x := m.styles.Field(l.input.Value(), l.input.Position(), max(m.width-3, 1))
	c := tea.NewCursor(2+x, m.height-len(footer))
	c.Blink = false
	return c
}

// errorLines explains a failed call: the sentence, the AWS code and request
// id, and what to do next, all sanitized (AWS's message is untrusted text).
func (m *Model) errorLines(what string, err error, next string) []string {
	s := m.styles
	sentence, code, id, hint := explain(err)
	lines := []string{s.Bad.Render("✗ " + what + " " + sentence)}
	if code != "" || id != "" {
		var parts []string
		if code != "" {
			parts = append(parts, "AWS code "+code)
		}
		if id != "" {
			parts = append(parts, "request id "+id)
		}
		lines = append(lines, s.Muted.Render(strings.Join(parts, " · ")))
	}
	if said := awsMessage(err); said != "" && !strings.Contains(sentence, said) {
		lines = append(lines, s.Muted.Render("AWS said: "+said))
	}
	if hint != "" {
		lines = append(lines, hint)
	}
	if next != "" {
		lines = append(lines, s.Muted.Render(next))
	}
	return lines
}

// explain splits an error into what the screens show, sanitized.
func explain(err error) (sentence, code, requestID, hint string) {
	var e *awsclient.Error
	if errors.As(err, &e) {
		return sanitize.String(e.Sentence()), sanitize.String(e.Code), sanitize.String(e.RequestID), sanitize.String(e.Hint())
	}
	return sanitize.String(err.Error()), "", "", ""
}

// awsMessage is AWS's own words about a failure, sanitized.
func awsMessage(err error) string {
	var e *awsclient.Error
	if errors.As(err, &e) {
		return sanitize.String(e.Message)
	}
	return ""
}

// wrapStyled wraps a styled line to width cells.
func wrapStyled(line string, width int) []string {
	if width <= 0 {
		return []string{""}
	}
	if ui.Width(line) <= width {
		return []string{line}
	}
	return strings.Split(ansi.Wrap(line, width, ""), "\n")
}
