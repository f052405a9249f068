package model

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/docsnap/docsnap/model/filter"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/table"
)

// Columns of the clusters table. Drop orders what goes first when the
// terminal narrows: created, then encrypted, engine, instances; the
// identifier and status stay (and the region, when several are listed).
const (
	colID = iota
	colStatus
	colEngine
	colInstances
	colEncrypted
	colCreated
	colRegion
)

var clusterColumns = []table.Column{
	colID:        {Title: "IDENTIFIER", Width: 12, Flex: true},
	colStatus:    {Title: "STATUS", Width: 15, Drop: 1},
	colEngine:    {Title: "ENGINE", Width: 7, Drop: 3},
	colInstances: {Title: "INSTANCES", Width: 9, Drop: 2, Right: true},
	colEncrypted: {Title: "ENCRYPTED", Width: 9, Drop: 4},
	colCreated:   {Title: "CREATED (UTC)", Width: 16, Drop: 5},
	colRegion:    {Title: "REGION", Width: 14, Drop: 1},
}

// sortNames are the columns' names for :sort and the header.
var sortNames = []string{colID: "identifier", colStatus: "status", colEngine: "engine", colInstances: "instances",
	colEncrypted: "encrypted", colCreated: "created", colRegion: "region"}

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

// listColumns are the table's columns as shown: the region's after the
// identifier when several regions are listed, the sort column's title
// marked ▲ or ▼. kinds[i] is the col* constant of column i.
func (m *Model) listColumns() (cols []table.Column, kinds []int) {
	l := &m.list
	kinds = []int{colID, colStatus, colEngine, colInstances, colEncrypted, colCreated}
	if m.multi() {
		kinds = slices.Insert(kinds, 1, colRegion)
	}
	cols = make([]table.Column, len(kinds))
	for i, k := range kinds {
		c := clusterColumns[k]
		if m.multi() && k != colID && k != colStatus && k != colRegion {
			c.Drop++ // the region goes after the status, before the rest
		}
		switch k {
		case colID:
			c.Max = max(l.idFull, len(c.Title))
			c.Width = idMinWidth(l.idWidth, m.width)
		case colRegion:
			c.Width = m.regionWidth()
		}
		if k == l.sortCol {
			arrow := " ▲"
			if l.sortDesc {
				arrow = " ▼"
			}
			c.Title += arrow
			c.Width += 2
			c.Max += 2
		}
		cols[i] = c
	}
	return cols, kinds
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
	case colRegion:
		return ui.Fit(c.Region, w)
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
		return createdCell(c.Created, w)
	}
	return ui.Fit("", w)
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
	return max(min(longest, width*3/10), clusterColumns[colID].Width)
}

// regionWidth is the region column's width: its longest region name.
func (m *Model) regionWidth() int {
	w := len(clusterColumns[colRegion].Title)
	for _, sc := range m.scopes {
		w = max(w, len(sc.target.Region))
	}
	return w
}
