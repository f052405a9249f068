package model

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/cursor"
	"github.com/docsnap/docsnap/model/filter"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/sanitize"
	"github.com/docsnap/docsnap/ui/table"
)

// row is one cluster of the list: its fields sanitized for the screen, and
// its identifier as AWS sent it, for calls.
type row struct {
	c  awsclient.Cluster // sanitized
	id string            // raw, for calls
}

func newRow(c awsclient.Cluster) row {
	return row{c: sanitize.Cluster(c), id: c.ID}
}

// clusterList is the clusters screen.
type clusterList struct {
	rows    []row
	index   filter.Index
	filter  filter.Filter
	cur     cursor.Cursor
	idWidth int // the widest identifier, which the identifier column grows to

	input     textinput.Model // the filter being typed
	filtering bool

	load       int  // the listing in progress or last done
	loading    bool // a listing is in progress
	refreshing bool // ...replacing rows already shown
	pending    []row
	loaded     bool  // a listing has completed
	err        error // the last listing's failure
}

// Columns of the clusters table. Drop orders what goes first when the
// terminal narrows: created, then encrypted, engine, instances; the
// identifier and status stay.
const (
	colID = iota
	colStatus
	colEngine
	colInstances
	colEncrypted
	colCreated
)

var clusterColumns = []table.Column{
	colID:        {Title: "IDENTIFIER", Width: 12, Flex: true},
	colStatus:    {Title: "STATUS", Width: 15, Drop: 1},
	colEngine:    {Title: "ENGINE", Width: 7, Drop: 3},
	colInstances: {Title: "INSTANCES", Width: 9, Drop: 2, Right: true},
	colEncrypted: {Title: "ENCRYPTED", Width: 9, Drop: 4},
	colCreated:   {Title: "CREATED (UTC)", Width: 16, Drop: 5},
}

func (l *clusterList) init(keys ui.KeyMap) {
	l.input = textinput.New()
	l.input.Prompt = ""
	l.input.CharLimit = 256
	l.input.SetVirtualCursor(false)
	l.input.KeyMap.Paste.SetEnabled(false)
}

// Len is the number of rows shown (all, or the filter's matches).
func (l *clusterList) Len() int {
	if l.filter.Active() {
		return len(l.filter.Matches())
	}
	return len(l.rows)
}

// at is the row shown at position i.
func (l *clusterList) at(i int) *row {
	if l.filter.Active() {
		return &l.rows[l.filter.Matches()[i]]
	}
	return &l.rows[i]
}

// selected is the row under the cursor, if any.
func (l *clusterList) selected() (*row, bool) {
	if l.Len() == 0 {
		return nil, false
	}
	return l.at(l.cur.Pos()), true
}

func (l *clusterList) add(rows []row) {
	for _, r := range rows {
		l.rows = append(l.rows, r)
		l.index.Add(filter.Record{ID: r.c.ID, Status: r.c.Status, Engine: r.c.EngineVersion, Region: r.c.Region})
		l.idWidth = max(l.idWidth, ui.Width(r.c.ID))
	}
	l.filter.Update(&l.index)
	l.cur.SetLen(l.Len())
}

// page takes one page of a listing: shown at once on the first listing,
// kept aside on a refresh until the listing completes.
func (l *clusterList) page(m *Model, msg clustersPageMsg) tea.Cmd {
	if msg.load != l.load {
		return nil // a listing that a newer one replaced
	}
	if msg.err != nil {
		l.loading, l.refreshing, l.pending, l.err = false, false, nil, msg.err
		return nil
	}
	rows := make([]row, 0, len(msg.items))
	for _, c := range msg.items {
		if c.Engine == "" || c.Engine == awsclient.Engine {
			rows = append(rows, newRow(c))
		}
	}
	if l.refreshing {
		l.pending = append(l.pending, rows...)
	} else {
		l.add(rows)
	}
	if msg.pages != nil && msg.pages.More() {
		return m.clustersPage(l.load, msg.pages, nil)
	}
	l.loading, l.loaded, l.err = false, true, nil
	if l.refreshing {
		l.replace(l.pending)
		l.refreshing, l.pending = false, nil
	}
	return nil
}

// replace swaps in a new listing, keeping the cursor on the same cluster
// and on the same screen line where it still exists.
func (l *clusterList) replace(rows []row) {
	var keep string
	line := l.cur.Row()
	if r, ok := l.selected(); ok {
		keep = r.id
	}
	l.rows, l.idWidth = l.rows[:0], 0
	l.index.Reset()
	l.add(rows)
	for i := range l.Len() {
		if l.at(i).id == keep {
			l.cur.SetAt(i, line)
			return
		}
	}
}

// refresh lists the clusters again.
func (l *clusterList) refresh(m *Model) tea.Cmd {
	l.load++
	l.loading, l.err, l.pending = true, nil, nil
	l.refreshing = len(l.rows) > 0
	return m.loadClusters(l.load)
}

func (l *clusterList) applyFilter() {
	l.filter.Set(&l.index, l.input.Value())
	l.cur.SetLen(l.Len())
}

func (l *clusterList) clearFilter() {
	l.input.SetValue("")
	l.filter.Clear()
	l.filtering = false
	l.input.Blur()
	l.cur.SetLen(l.Len())
}

func (m *Model) clustersKey(k tea.KeyPressMsg) tea.Cmd {
	l := &m.list
	if l.filtering {
		switch {
		case key.Matches(k, m.keys.FilterDone):
			l.filtering = false
			l.input.Blur()
			if l.input.Value() == "" {
				l.clearFilter()
			}
		case key.Matches(k, m.keys.FilterClear):
			l.clearFilter()
		case k.String() == "up":
			l.cur.Move(-1)
		case k.String() == "down":
			l.cur.Move(1)
		case k.String() == "pgup":
			l.cur.PageUp()
		case k.String() == "pgdown":
			l.cur.PageDown()
		default:
			l.input, _ = l.input.Update(k)
			l.applyFilter()
		}
		return nil
	}
	if cmd, ok := m.commonKey(k); ok {
		return cmd
	}
	if m.moveKey(k, &l.cur) {
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Filter):
		l.filtering = true
		l.input.Focus()
		l.input.CursorEnd()
	case key.Matches(k, m.keys.FilterClear) && l.filter.Active():
		l.clearFilter()
	case key.Matches(k, m.keys.Refresh):
		m.status = ""
		return l.refresh(m)
	case key.Matches(k, m.keys.Open):
		if r, ok := l.selected(); ok {
			return m.openDetail(*r)
		}
	case key.Matches(k, m.keys.Snapshot):
		if r, ok := l.selected(); ok {
			return m.openForm(*r)
		}
	}
	return nil
}

// moveKey moves a list cursor for the movement keys.
func (m *Model) moveKey(k tea.KeyPressMsg, c *cursor.Cursor) bool {
	switch {
	case key.Matches(k, m.keys.Up):
		c.Move(-1)
	case key.Matches(k, m.keys.Down):
		c.Move(1)
	case key.Matches(k, m.keys.Top):
		c.Top()
	case key.Matches(k, m.keys.Bottom):
		c.Bottom()
	case key.Matches(k, m.keys.PageUp):
		c.PageUp()
	case key.Matches(k, m.keys.PageDown):
		c.PageDown()
	default:
		return false
	}
	return true
}

// clustersView draws the clusters screen's body: height lines.
func (m *Model) clustersView(b *strings.Builder, height int) {
	l := &m.list
	s := m.styles
	if height <= 0 {
		return
	}
	if len(l.rows) == 0 {
		m.emptyView(b, height)
		return
	}
	cols := clusterColumns
	idCol := cols[colID]
	idCol.Max = max(l.idWidth, len(idCol.Title))
	cols = append([]table.Column(nil), cols...)
	cols[colID] = idCol
	lay := table.NewLayout(cols, m.width-2)
	b.WriteString("  ")
	b.WriteString(lay.Header(s.ColHead))
	lines := 1
	if l.Len() == 0 {
		b.WriteString("\n")
		b.WriteString(ui.Truncate("  No cluster matches "+strconv.Quote(sanitize.String(l.input.Value()))+": esc clears the filter.", m.width))
		lines++
	}
	from, to := l.cur.Visible()
	words := l.filter.Query().Words()
	for i := from; i < to && lines < height; i++ {
		b.WriteString("\n")
		r := l.at(i)
		sel := i == l.cur.Pos()
		if sel {
			b.WriteString(s.Gutter.Render("▌"))
			b.WriteString(" ")
		} else {
			b.WriteString("  ")
		}
		lay.Row(b, func(col, w int) string { return m.clusterCell(r, col, w, sel, words) })
		lines++
	}
	for ; lines < height; lines++ {
		b.WriteString("\n")
	}
}

func (m *Model) clusterCell(r *row, col, w int, sel bool, words []string) string {
	s := m.styles
	c := &r.c
	switch col {
	case colID:
		base, hi := ui.Paint{}, s.Match
		if sel {
			base, hi = s.Selected, s.SelMatch
		}
		for _, word := range words {
			if start, end, ok := filter.Span(c.ID, word); ok {
				return ui.Highlight(c.ID, start, end, w, base, hi)
			}
		}
		return base.Render(ui.Fit(c.ID, w))
	case colStatus:
		return s.Status(c.Status, w)
	case colEngine:
		return ui.Fit(c.EngineVersion, w)
	case colInstances:
		return ui.PadLeft(strconv.Itoa(len(c.Members)), w)
	case colEncrypted:
		if c.StorageEncrypted {
			return ui.Fit("yes", w)
		}
		return s.Muted.Render(ui.Fit("no", w))
	case colCreated:
		if c.Created.IsZero() {
			return ui.Fit("—", w)
		}
		return ui.Fit(c.Created.UTC().Format("2006-01-02 15:04"), w)
	}
	return ui.Fit("", w)
}

// emptyView says why there are no clusters, and what to try.
func (m *Model) emptyView(b *strings.Builder, height int) {
	l := &m.list
	s := m.styles
	var lines []string
	switch {
	case l.loading:
		lines = []string{s.Muted.Render(m.spinner() + " Listing DocumentDB clusters…")}
	case l.err != nil:
		lines = m.errorLines("Could not list the clusters.", l.err, "Press r to try again.")
	default:
		region := sanitize.String(m.target.Region)
		lines = []string{
			s.Bold.Render("No DocumentDB clusters in " + region + "."),
			"",
			"DescribeDBClusters answered with no cluster of engine docdb (Aurora and",
			"Neptune clusters share the API and are left out).",
			"Try another region with --region, another account with --profile,",
			"press r to list again, or run docsnap --demo to look around.",
		}
	}
	m.writeBlock(b, lines, height, 2)
}

// writeBlock writes lines indented by indent, each wrapped to the width,
// filling exactly height lines.
func (m *Model) writeBlock(b *strings.Builder, lines []string, height, indent int) {
	n := 0
	pad := strings.Repeat(" ", indent)
	for _, line := range lines {
		for _, w := range wrapStyled(line, m.width-indent) {
			if n == height {
				return
			}
			if n > 0 {
				b.WriteString("\n")
			}
			if w != "" {
				b.WriteString(pad)
				b.WriteString(w)
			}
			n++
		}
	}
	for ; n < height; n++ {
		if n > 0 {
			b.WriteString("\n")
		}
	}
}
