package model

import (
	"strconv"
	"strings"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/filter"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/table"
)

// clusterColumn is one column of the clusters list, all of it: how it is
// laid out, named, drawn and sorted. A column is added by adding its entry
// to clusterColumns; nothing else names it.
type clusterColumn struct {
	// Title, width and alignment; Drop orders what goes first when the
	// terminal narrows (the highest first, 0 never).
	table.Column
	name  string // for :sort and its completion
	multi bool   // shown only when several regions are listed
	// elastic says shown only when the list holds an elastic cluster: a
	// fleet of one kind needs no column to tell kinds apart.
	elastic bool
	// size sets widths that depend on the rows or the window, if any.
	size func(m *Model, c *table.Column)
	cell func(m *Model, r *row, w int, sel bool, words []string) string
	cmp  func(a, b *awsclient.Cluster) int
}

// clusterColumns are the clusters table's columns, in the order shown.
// What goes first when the terminal narrows: created, then encrypted,
// engine and type, instances, the region, the status; the identifier stays.
var clusterColumns = []clusterColumn{
	{Column: table.Column{Title: "IDENTIFIER", Width: idColumnWidth, Flex: true}, name: "identifier",
		size: func(m *Model, c *table.Column) {
			c.Max = max(m.list.idFull, len(c.Title))
			c.Width = idMinWidth(m.list.idWidth, m.width)
		},
		cell: (*Model).idCell,
		cmp:  func(a, b *awsclient.Cluster) int { return strings.Compare(a.ID, b.ID) }},
	{Column: table.Column{Title: "REGION", Width: 14, Drop: 2}, name: "region", multi: true,
		size: func(m *Model, c *table.Column) { c.Width = m.regionWidth(len(c.Title)) },
		cell: func(_ *Model, r *row, w int, _ bool, _ []string) string { return ui.Fit(r.c.Region, w) },
		cmp:  func(a, b *awsclient.Cluster) int { return strings.Compare(a.Region, b.Region) }},
	{Column: table.Column{Title: "STATUS", Width: 15, Drop: 1}, name: "status",
		cell: func(m *Model, r *row, w int, _ bool, _ []string) string { return m.styles.Status(r.c.Status, w) },
		cmp:  func(a, b *awsclient.Cluster) int { return strings.Compare(a.Status, b.Status) }},
	{Column: table.Column{Title: "TYPE", Width: 8, Drop: 4}, name: "type", elastic: true,
		cell: func(m *Model, r *row, w int, _ bool, _ []string) string { return ui.Fit(string(kindOf(&r.c)), w) },
		cmp:  func(a, b *awsclient.Cluster) int { return strings.Compare(string(kindOf(a)), string(kindOf(b))) }},
	{Column: table.Column{Title: "ENGINE", Width: 7, Drop: 4}, name: "engine",
		cell: func(_ *Model, r *row, w int, _ bool, _ []string) string { return ui.Fit(r.c.EngineVersion, w) },
		cmp:  func(a, b *awsclient.Cluster) int { return compareVersions(a.EngineVersion, b.EngineVersion) }},
	{Column: table.Column{Title: "INSTANCES", Width: 9, Drop: 3, Right: true}, name: "instances",
		// An elastic cluster has shards where the others have instances.
		size: func(m *Model, c *table.Column) {
			if m.list.elastic {
				c.Title, c.Width = "INSTANCES/SHARDS", 16
			}
		},
		cell: (*Model).sizeCell,
		cmp:  func(a, b *awsclient.Cluster) int { return clusterSize(a) - clusterSize(b) }},
	{Column: table.Column{Title: "ENCRYPTED", Width: 9, Drop: 5}, name: "encrypted",
		cell: func(m *Model, r *row, w int, _ bool, _ []string) string {
			if r.c.StorageEncrypted || kindOf(&r.c) == awsclient.TypeElastic { // always, with a KMS key
				return ui.Fit("yes", w)
			}
			return m.styles.Muted.Render(ui.Fit("no", w))
		},
		cmp: func(a, b *awsclient.Cluster) int { return boolInt(a.StorageEncrypted) - boolInt(b.StorageEncrypted) }},
	{Column: table.Column{Title: "CREATED (UTC)", Width: 16, Drop: 6}, name: "created",
		cell: func(_ *Model, r *row, w int, _ bool, _ []string) string { return createdCell(r.c.Created, w) },
		cmp:  func(a, b *awsclient.Cluster) int { return a.Created.Compare(b.Created) }},
}

// idColumnWidth is the identifier column's least width.
const idColumnWidth = 12

// sortable is the columns in the order of the o key's cycle and of :sort's
// names: as shown, those shown only for several regions last (and in o's
// cycle only when shown).
func sortable(multi, elastic bool) []int {
	cols := make([]int, 0, len(clusterColumns))
	var last []int
	for i, c := range clusterColumns {
		switch {
		case c.elastic && !elastic:
		case !c.multi:
			cols = append(cols, i)
		case multi:
			last = append(last, i)
		}
	}
	return append(cols, last...)
}

// sortNames are the columns' names for :sort, in sortable's order.
var sortNames = func() []string {
	var names []string
	for _, i := range sortable(true, true) {
		names = append(names, clusterColumns[i].name)
	}
	return names
}()

// globalMark follows the identifier of a member of a global cluster: its
// role in words, or where the column is too narrow for every row's words, a
// glyph.
func globalMark(primary, words bool) string {
	switch {
	case primary && words:
		return " ◆ primary"
	case primary:
		return " ◆"
	case words:
		return " ◇ secondary"
	}
	return " ◇"
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// compareVersions compares dotted versions number by number (4.0.0 <
// 5.0.0 < 10.0.0), text where a part is not a number.
func compareVersions(a, b string) int {
	for a != "" || b != "" {
		var pa, pb string
		pa, a, _ = strings.Cut(a, ".")
		pb, b, _ = strings.Cut(b, ".")
		na, ea := strconv.Atoi(pa)
		nb, eb := strconv.Atoi(pb)
		var c int
		if ea == nil && eb == nil {
			c = na - nb
		} else {
			c = strings.Compare(pa, pb)
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// listColumns are the table's columns as shown: the sort column's title
// marked ▲ or ▼. kinds[i] is column i's place in clusterColumns.
func (m *Model) listColumns() (cols []table.Column, kinds []int) {
	l := &m.list
	cols, kinds = make([]table.Column, 0, len(clusterColumns)), make([]int, 0, len(clusterColumns))
	for k, cc := range clusterColumns {
		if cc.multi && !m.multi() || cc.elastic && !l.elastic {
			continue
		}
		c := cc.Column
		if cc.size != nil {
			cc.size(m, &c)
		}
		if k == l.sortCol {
			sortMark(&c, l.sortDesc)
		}
		cols, kinds = append(cols, c), append(kinds, k)
	}
	return cols, kinds
}

// idCell is an identifier, then its global mark, highlighting what the
// filter's words match.
func (m *Model) idCell(r *row, w int, sel bool, words []string) string {
	s := m.styles
	c := &r.c
	base, hi := ui.Paint{}, s.Match
	if sel {
		base, hi = s.Selected, s.SelMatch
	}
	// The identifier, then its global mark and the padding.
	idw, rest, markPaint := w, "", base
	if g, ok := m.list.membership(r); ok {
		mark := globalMark(g.Primary, w >= m.list.idFull) // the same form on every row
		if mw := ui.Width(mark); w > mw {
			idw = min(w-mw, ui.Width(c.ID))
			rest = ui.Fit(mark, w-idw)
			if !sel {
				markPaint = s.Muted
			}
		}
	}
	for _, word := range words {
		if start, end, ok := filter.Span(c.ID, word); ok {
			return ui.Highlight(c.ID, start, end, idw, base, hi) + markPaint.Render(rest)
		}
	}
	return base.Render(ui.Fit(c.ID, idw)) + markPaint.Render(rest)
}

// createdCell is a CREATED (UTC) cell: to the minute, in UTC.
func createdCell(t time.Time, w int) string {
	if t.IsZero() {
		return ui.Fit("—", w)
	}
	return ui.Fit(t.UTC().Format("2006-01-02 15:04"), w)
}

// idMinWidth is how much of an identifier column stays before other
// columns give way: the longest identifier, up to three tenths of the window
// (and never under the column's default) — names are what a user reads.
func idMinWidth(longest, width int) int {
	return max(min(longest, width*3/10), idColumnWidth)
}

// regionWidth is the region column's width: its longest region name, or
// its title's.
func (m *Model) regionWidth(title int) int {
	w := title
	for _, sc := range m.scopes {
		w = max(w, len(sc.target.Region))
	}
	return w
}

// clusterSize is what the size column sorts by: instances, or shards.
func clusterSize(c *awsclient.Cluster) int {
	if kindOf(c) == awsclient.TypeElastic {
		return c.ShardCount
	}
	return len(c.Members)
}

// sizeCell is an instance-based cluster's number of instances, or an
// elastic cluster's shards ("2 x 4 vCPU"), known once its details arrive
// (fetched for the rows on screen only).
func (m *Model) sizeCell(r *row, w int, _ bool, _ []string) string {
	c := &r.c
	switch {
	case kindOf(c) != awsclient.TypeElastic:
		return ui.PadLeft(strconv.Itoa(len(c.Members)), w)
	case c.Detailed:
		return ui.PadLeft(shards(c), w)
	case r.detailErr != nil:
		return m.styles.Muted.Render(ui.PadLeft("?", w))
	}
	return m.styles.Muted.Render(ui.PadLeft("…", w))
}

// shards is an elastic cluster's shards and their size: "2 x 4 vCPU".
func shards(c *awsclient.Cluster) string {
	return strconv.Itoa(c.ShardCount) + " x " + strconv.Itoa(c.ShardCapacity) + " vCPU"
}
