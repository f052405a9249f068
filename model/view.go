package model

import (
	"errors"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/sanitize"
	"github.com/docsnap/docsnap/ui/table"
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
	case screenSnapshot:
		cur = m.flow.View(m.flowEnv(), &b, body)
	case screenFleet:
		cur = m.fleet.View(m.fleetEnv(), &b, body)
	case screenPicker:
		cur = m.pickerView(&b, body)
	case screenSnapshots:
		cur = m.snaps.View(m.snapsEnv(), &b, body)
	case screenProgress:
		m.progress.View(m.progressEnv(), &b, body)
		v.ProgressBar = m.progress.terminalProgress()
	}
	if cur != nil && m.screen != screenClusters {
		cur.Y++ // below the header
	}
	if m.cmdline.on {
		cur = m.cmdlineCursor()
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
	m.cacheHelp() // first: the footer is made of it
	body := m.bodyHeight(len(m.footerLines()))
	m.list.lay = m.layoutList(body)
	m.list.cur.SetHeight(m.list.lay.rows)
	switch m.screen {
	case screenCluster:
		// The details, the snapshots' title and the column titles come first.
		m.detail.cur.SetHeight(max(body-detailsShown(len(m.detailLines()), body)-2, 1))
	case screenPicker:
		m.picker.cur.SetHeight(max(body-2, 1)) // the title and the field
	case screenSnapshot:
		m.flow.fit(m.flowEnv(), body)
	case screenSnapshots:
		m.snaps.fit(m.snapsEnv(), body)
	case screenFleet:
		// The fleet's views set their lists' heights as they draw: their
		// tops grow with the tags.
		var b strings.Builder
		m.fleet.View(m.fleetEnv(), &b, body)
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

// headerView names the app and where it points (the profile, the regions,
// READ-ONLY when snapshots are off), with the screen's count or the spinner
// on the right.
func (m *Model) headerView(b *strings.Builder) {
	s := m.styles
	t := m.Target()
	var where []string
	if m.cfg.Demo {
		where = append(where, "demo")
	} else if t.Profile != "" {
		where = append(where, "profile "+sanitize.String(t.Profile))
	} else {
		where = append(where, "default profile")
	}
	if rs := m.regions(); len(rs) > 0 && rs[0] != "" {
		where = append(where, sanitize.String(regionsHeader(rs)))
	}
	if t.Endpoint != "" && !m.cfg.Demo {
		where = append(where, sanitize.String(t.Endpoint))
	}
	badge := ""
	if m.readOnly() != "" {
		badge = "READ-ONLY"
	}
	right := m.headerRight()
	left := "docsnap · " + strings.Join(where, " · ")
	if badge != "" {
		left = "docsnap " + badge + " · " + strings.Join(where, " · ")
	}
	room := m.width - ui.Width(right) - 1
	if room < 10 {
		right, room = "", m.width
	}
	left = ui.Truncate(left, room)
	rest, isFull := strings.CutPrefix(left, "docsnap")
	title := s.Title.Render(left)
	if isFull {
		title = s.Title.Render("docsnap")
		if b2, ok := strings.CutPrefix(rest, " "+badge); badge != "" && ok {
			title += " " + s.Badge.Render(badge)
			rest = b2
		}
		title += s.Header.Render(rest)
	}
	b.WriteString(title)
	if right != "" {
		b.WriteString(strings.Repeat(" ", max(m.width-ui.Width(left)-ui.Width(right), 1)))
		b.WriteString(s.Muted.Render(right))
	}
}

// regionsHeader lists the regions for the header: all of them up to four,
// else the first and a count.
func regionsHeader(rs []string) string {
	if len(rs) <= 4 {
		return strings.Join(rs, ", ")
	}
	return rs[0] + ", " + rs[1] + " +" + strconv.Itoa(len(rs)-2) + " regions"
}

func (m *Model) headerRight() string {
	l := &m.list
	if m.switching != "" {
		return m.spinner() + " switching to " + sanitize.String(m.switching) + "…"
	}
	switch m.screen {
	case screenClusters:
		if n := l.marks.Len(); n > 0 {
			return strconv.Itoa(n) + " marked · " + m.listCount()
		}
		return m.listCount()
	case screenCluster:
		if m.detail.loading() {
			return m.spinner() + " loading…"
		}
	case screenSnapshot:
		return m.flow.header(m.spinner())
	case screenSnapshots:
		return m.snaps.header(m.snapsEnv())
	}
	return ""
}

// listCount is the clusters screen's count: the clusters listed, shown, or
// still loading.
func (m *Model) listCount() string {
	l := &m.list
	n := len(l.rows)
	regions := ""
	if m.multi() && l.loading {
		done := 0
		for _, r := range l.regions {
			if r.state == regionDone || r.state == regionFailed {
				done++
			}
		}
		regions = " " + strconv.Itoa(done) + "/" + strconv.Itoa(len(l.regions)) + " regions"
	}
	switch {
	case l.loading && l.refreshing:
		pending := 0
		for _, r := range l.regions {
			pending += len(r.pending)
		}
		return m.spinner() + " refreshing…" + regions + " " + count(pending, "cluster")
	case l.loading && n == 0:
		return m.spinner() + " loading…" + regions
	case l.loading:
		return m.spinner() + " loading…" + regions + " " + count(n, "cluster")
	case l.filter.Active():
		return strconv.Itoa(l.Len()) + " of " + count(n, "cluster")
	}
	return count(n, "cluster")
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
	if m.screen == screenClusters && (m.list.filtering || m.list.filter.Text() != "") {
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
		for _, l := range ui.Wrap(m.quitQuestion(), m.width) { // wrapped: its end says how to answer
			lines = append(lines, s.Warn.Render(l))
		}
		return m.clip(lines)
	}
	if m.cmdline.on {
		lines = append(lines, s.Muted.Render(ui.Truncate("  "+m.cmdline.hint(), m.width)), m.cmdlineLine())
		return m.clip(lines)
	}
	lines = append(lines, m.helpLines()...)
	return m.clip(lines)
}

// quitQuestion asks whether to quit, first saying what AWS goes on with:
// the snapshots docsnap created still being created, and the creates
// without an answer.
func (m *Model) quitQuestion() string {
	var what []string
	if n := len(m.inFlight(true)); n > 0 {
		what = append(what, count(n, "snapshot")+" still being created")
	}
	if n := m.fleet.waiting(); n > 0 {
		what = append(what, count(n, "snapshot")+" of the batch not sent yet (they will not be)")
	}
	for _, u := range m.unanswered() {
		id := sanitize.String(storedID(u.in.SnapshotID, u.elastic))
		if u.wire {
			what = append(what, "snapshot "+id+" sent, no answer yet")
		} else {
			what = append(what, "snapshot "+id+" may have been created")
		}
	}
	q := "Quit? " + keyName(m.keys.Yes) + " quits, " + keyName(m.keys.No) + " stays"
	if len(what) == 0 {
		return q
	}
	return capitalize(strings.Join(what, ", ")) + ": AWS goes on without docsnap. " + q
}

// cmdlineLine is the command line being typed.
func (m *Model) cmdlineLine() string {
	c := &m.cmdline
	line, _ := m.styles.Field(c.input.Value(), c.input.Position(), max(m.width-3, 1))
	return m.styles.Accent.Render(": ") + line
}

func (m *Model) cmdlineCursor() *tea.Cursor {
	c := &m.cmdline
	_, x := m.styles.Field(c.input.Value(), c.input.Position(), max(m.width-3, 1))
	cur := tea.NewCursor(2+x, m.height-1)
	cur.Blink = false
	return cur
}

// clip keeps the footer to what leaves the body at least two lines: the
// first lines give way, but not the filter being typed (the terminal's
// cursor is in it).
func (m *Model) clip(lines []string) []string {
	room := max(m.height-3, 1)
	switch {
	case len(lines) <= room:
		return lines
	case m.screen == screenClusters && m.list.filtering:
		return append(lines[:1], lines[len(lines)-room+1:]...)
	}
	return lines[len(lines)-room:]
}

// helpKey is what the help lines depend on: they are drawn again only when
// it changes (the help view costs more than all the rows of a frame).
type helpKey struct {
	screen                 screen
	width                  int
	full                   bool
	styles                 *ui.Styles
	filtering, rows, track bool
	readOnly, marks        bool
	flow                   flowHelp
	snaps                  snapsHelp
	fleet                  fleetHelp
}

func (m *Model) helpKey() helpKey {
	return helpKey{screen: m.screen, width: m.width, full: m.showHelp, styles: m.styles,
		filtering: m.list.filtering, rows: m.list.Len() > 0, track: m.progress.canCheck(),
		readOnly: m.readOnly() != "", marks: m.picker.kind == pickRegions, flow: m.flow.helpState(),
		snaps: m.snaps.helpState(),
		fleet: m.fleet.helpState(m.cfg.Now())}
}

// helpLines are the help's lines: those cached by the last Update, unless
// the model was changed since without one (then drawn afresh, and not
// kept: View changes nothing).
func (m *Model) helpLines() []string {
	if k := m.helpKey(); m.helpCache.lines != nil && m.helpCache.key == k {
		return m.helpCache.lines
	}
	return m.drawHelp()
}

// cacheHelp draws the help lines again if what they depend on changed.
func (m *Model) cacheHelp() {
	if k := m.helpKey(); m.helpCache.lines == nil || m.helpCache.key != k {
		m.helpCache.key, m.helpCache.lines = k, m.drawHelp()
	}
}

func (m *Model) drawHelp() []string {
	h := m.help // a copy: drawing changes nothing
	h.SetWidth(m.width)
	keys := m.screenHelp()
	var out string
	if m.showHelp {
		out = h.FullHelpView(keys.Full)
	} else {
		out = h.ShortHelpView(keys.Short)
	}
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if ui.Width(l) > m.width {
			lines[i] = ansi.Truncate(l, m.width, ui.Ellipsis)
		}
	}
	return lines
}

func (m *Model) screenHelp() ui.Help {
	can := m.readOnly() == ""
	switch m.screen {
	case screenClusters:
		if m.list.filtering {
			return m.keys.FilterHelp()
		}
		return m.keys.ListHelp(can, m.list.Len() > 0, m.cfg.Connect != nil)
	case screenCluster:
		return m.keys.ClusterHelp(can && m.detail.row.sc.readOnly == "")
	case screenSnapshot:
		return m.flow.help(&m.keys)
	case screenPicker:
		return m.keys.PickerHelp(m.picker.kind == pickRegions)
	case screenSnapshots:
		return m.snaps.help(&m.keys, can)
	case screenFleet:
		return m.fleet.help(&m.keys, m.cfg.Now())
	}
	return m.keys.ProgressHelp(m.progress.canCheck())
}

func (m *Model) filterLine() string {
	s := m.styles
	l := &m.list
	prompt := "/ "
	if l.filtering {
		line, _ := s.Field(l.input.Value(), l.input.Position(), max(m.width-len(prompt)-1, 1))
		return s.Accent.Render(prompt) + line
	}
	value := sanitize.String(l.input.Value())
	return s.Muted.Render(ui.Truncate("filter: "+value+m.filterNote()+" · "+keyName(m.keys.FilterClear)+" clears, "+
		keyName(m.keys.Filter)+" edits", m.width))
}

// filterNote says what the filter line should add: tags still loading or
// failing, or how a term was read.
func (m *Model) filterNote() string {
	l := &m.list
	switch {
	case l.tagErr != nil:
		sentence, _, _ := explain(l.tagErr)
		return " · tags: " + strings.TrimSuffix(sentence, ".") + " (" + keyName(m.keys.Refresh) + " retries)"
	case len(l.tagQueue) > 0 || l.tagBusy:
		return " · " + m.spinner() + " loading tags (" + strconv.Itoa(len(l.tagQueue)) + " to go)"
	}
	if p := l.filter.Query().Problems; len(p) > 0 {
		return " · " + sanitize.String(p[0])
	}
	return ""
}

// filterCursor puts the terminal's cursor in the filter field.
func (m *Model) filterCursor(footer []string) *tea.Cursor {
	l := &m.list
	_, x := m.styles.Field(l.input.Value(), l.input.Position(), max(m.width-3, 1))
	c := tea.NewCursor(2+x, m.height-len(footer))
	c.Blink = false
	return c
}

// errorLines explains a failed call on the screen shown.
func (m *Model) errorLines(what string, err error, next string) []string {
	return errorLines(m.styles, m.retryKey(), what, err, next)
}

// errorLines explains a failed call: the sentence, the AWS code and request
// id, and what to do next, all sanitized (AWS's message is untrusted text);
// its hint names retry as the key that tries again.
func errorLines(s *ui.Styles, retry key.Binding, what string, err error, next string) []string {
	sentence, code, id := explain(err)
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
	if hint := hintOf(err, retry); hint != "" {
		lines = append(lines, hint)
	}
	if next != "" {
		lines = append(lines, s.Muted.Render(next))
	}
	return lines
}

// explain splits an error into what the screens show, sanitized.
func explain(err error) (sentence, code, requestID string) {
	var e *awsclient.Error
	if errors.As(err, &e) {
		return sanitize.String(e.Sentence()), sanitize.String(e.Code), sanitize.String(e.RequestID)
	}
	return sanitize.String(err.Error()), "", ""
}

// hintOf is what to do about err, sanitized, naming retry as the key that
// tries again; "" for an error docsnap has no advice on.
func hintOf(err error, retry key.Binding) string {
	var e *awsclient.Error
	if errors.As(err, &e) {
		return sanitize.String(e.HintRetrying(keyName(retry)))
	}
	return ""
}

// keyName is how the screens name a binding's key: as its help does, so
// that a key rebound in the config file is named as rebound.
func keyName(b key.Binding) string { return b.Help().Key }

// retryKey is the key that tries again on the screen shown: check now on
// the progress screen, retry on the form, else refresh.
func (m *Model) retryKey() key.Binding {
	switch m.screen {
	case screenProgress:
		return m.keys.CheckNow
	case screenSnapshot:
		return m.keys.RetryCreate
	}
	return m.keys.Refresh
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
	lines := strings.Split(ansi.Wrap(line, width, ""), "\n")
	for i, l := range lines {
		if ui.Width(l) > width { // ansi.Wrap (v0.11.9) can leave a space past the width
			lines[i] = ansi.Truncate(l, width, "")
		}
	}
	return lines
}

// typedField is the line of a typed confirmation: ✗ until typed says it
// matches, ✓ then, and the field in width at most; x is the terminal
// cursor's column on that line.
func typedField(s *ui.Styles, in *textinput.Model, typed bool, width int) (line string, x int) {
	field, cx := s.Field(in.Value(), in.Position(), max(width, 1))
	mark := s.Muted.Render("✗ ")
	if typed {
		mark = s.Good.Render("✓ ")
	}
	return " " + mark + field, 3 + cx
}

// labelled is a label, then a value wrapped in width (never cut: it is
// what will be sent), its later lines under the first.
func labelled(s *ui.Styles, label, value string, width int) []string {
	const lw = 11
	var out []string
	for i, wl := range ui.Wrap(value, max(width-1-lw, 1)) {
		if i > 0 {
			label = ""
		}
		out = append(out, " "+s.Muted.Render(ui.Fit(label, lw-1))+" "+wl)
	}
	return out
}

// sortMark marks the sort column's title with its direction, widening it
// for the arrow.
func sortMark(c *table.Column, desc bool) {
	arrow := " ▲"
	if desc {
		arrow = " ▼"
	}
	c.Title += arrow
	c.Width += 2
	c.Max += 2
}
