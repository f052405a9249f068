package model

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/model/filter"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/sanitize"
	"github.com/docsnap/docsnap/ui/table"
)

// quotaSource names where the manual snapshot quota comes from when the
// config file does not set it: AWS exposes no call that reads it for
// DocumentDB, so the view counts against the documented default.
const quotaSource = "the default quota, Amazon DocumentDB Developer Guide: Quotas and limits"

// DefaultSnapshotQuota is the manual cluster snapshots a region may hold
// unless the config file says otherwise (quotaSource).
const DefaultSnapshotQuota = 100

// maxSnapsFailureLines bounds the lines of failed regions above the rows.
const maxSnapsFailureLines = 3

// chrome is the lines of the list that are not rows: the quota line, the
// failed regions, the column titles, and the filter line.
func (sv *snapsView) chrome() int {
	n := 2 + min(len(sv.failed()), maxSnapsFailureLines)
	if sv.filtering || sv.filter.Text() != "" {
		n++
	}
	return n
}

// failed is the regions whose listing failed.
func (sv *snapsView) failed() []snapsRegion {
	var out []snapsRegion
	for _, r := range sv.regions {
		if r.state == regionFailed {
			out = append(out, r)
		}
	}
	return out
}

// quotaLine counts each region's manual snapshots against the quota, and
// the marks.
func (sv *snapsView) quotaLine(env snapsEnv) string {
	s := env.styles
	var parts []string
	full := false
	for _, r := range sv.regions {
		if r.state == regionFailed {
			continue
		}
		n := sv.manualCount(r.sc)
		part := strconv.Itoa(n) + " of " + strconv.Itoa(env.quota) + " manual snapshots"
		if env.multi {
			part = sanitize.String(r.sc.target.Region) + " " + part
		}
		full = full || n >= env.quota
		parts = append(parts, part)
	}
	line := strings.Join(parts, " · ")
	if env.quota == DefaultSnapshotQuota {
		line += " (" + quotaSource + ")"
	} else {
		line += " (snapshot-quota in the config file)"
	}
	if n := sv.marks.Len(); n > 0 {
		line = count(n, "snapshot") + " marked · " + line
	}
	if full {
		return s.Warn.Render(ui.Truncate(line, env.width))
	}
	return s.Muted.Render(ui.Truncate(line, env.width))
}

// View draws the view's stage in height lines; it returns where the
// terminal's cursor goes (relative to the body), if anywhere.
func (sv *snapsView) View(env snapsEnv, b *strings.Builder, height int) *tea.Cursor {
	switch sv.stage {
	case snapsDelete:
		return sv.deleteView(env, b, height)
	case snapsShare:
		return sv.share.View(env, b, height)
	case snapsCopy:
		return sv.cp.View(env, b, height)
	}
	return sv.listView(env, b, height)
}

// listView draws the table: the quota line, the failed regions, the
// column titles, the rows on screen (only those: 10,000 snapshots cost
// what a window of them does), and the filter.
func (sv *snapsView) listView(env snapsEnv, b *strings.Builder, height int) *tea.Cursor {
	s := env.styles
	w := env.width
	win := newWindow(b, height)
	win.line(sv.quotaLine(env))
	for i, r := range sv.failed() {
		if i == maxSnapsFailureLines {
			break
		}
		sentence, _, _ := explain(r.err)
		win.line(s.Bad.Render(ui.Truncate("✗ "+sanitize.String(r.sc.target.Region)+": "+sentence+" ("+keyName(env.keys.Refresh)+" retries)", w)))
	}
	cols, kinds := sv.columns(env)
	lay := table.NewLayout(cols, w-4)
	win.line(ui.Truncate("    "+lay.Header(s.ColHead), w))
	switch {
	case sv.Len() == 0 && sv.loading:
		win.line(s.Muted.Render(ui.Truncate("  "+env.spinner+" listing the snapshots of "+regionNames(sv.regions)+"…", w)))
	case sv.Len() == 0 && sv.filter.Active():
		win.line(ui.Truncate("  No snapshot matches "+strconv.Quote(sanitize.String(sv.input.Value()))+": "+
			keyName(env.keys.FilterClear)+" clears the filter.", w))
	case sv.Len() == 0:
		win.line(s.Muted.Render(ui.Truncate("  No cluster snapshot in "+regionNames(sv.regions)+".", w)))
	}
	words := sv.filter.Query().Words()
	filtered := sv.filtering || sv.filter.Text() != ""
	if filtered {
		win.height-- // the filter's line, under the rows
	}
	win.rows(&sv.cur, s.Gutter.Render("▌")+" ", func(b *strings.Builder, i int, sel bool) {
		r := sv.at(i)
		if sv.marks.Has(r.key()) {
			b.WriteString(s.Accent.Render("● "))
		} else {
			b.WriteString("  ")
		}
		lay.Row(b, func(col, cw int) string {
			if k := kinds[col]; k != 0 {
				return snapColumns[k].cell(env, r, cw)
			}
			return snapIDCell(env, r, cw, sel, words)
		})
	})
	var cur *tea.Cursor
	if filtered {
		win.fill()
		win.height++
		line, x := sv.filterLine(env)
		win.line(line)
		if sv.filtering {
			cur = tea.NewCursor(min(x, w-1), height-1)
			cur.Blink = false
		}
	}
	win.fill()
	return cur
}

// snapIDCell is an identifier, highlighting what the filter's words match.
func snapIDCell(env snapsEnv, r *snapRow, w int, sel bool, words []string) string {
	s := env.styles
	base, hi := ui.Paint{}, s.Match
	if sel {
		base, hi = s.Selected, s.SelMatch
	}
	for _, word := range words {
		if start, end, ok := filter.Span(r.s.ID, word); ok {
			return ui.Highlight(r.s.ID, start, end, w, base, hi)
		}
	}
	return base.Render(ui.Fit(r.s.ID, w))
}

// filterLine is the filter being typed, or the one kept, and where the
// terminal's cursor goes in it.
func (sv *snapsView) filterLine(env snapsEnv) (string, int) {
	s := env.styles
	if sv.filtering {
		line, x := s.Field(sv.input.Value(), sv.input.Position(), max(env.width-3, 1))
		return s.Accent.Render("/ ") + line, 2 + x
	}
	note := ""
	if p := sv.filter.Query().Problems; len(p) > 0 {
		note = " · " + sanitize.String(p[0])
	}
	return s.Muted.Render(ui.Truncate("filter: "+sanitize.String(sv.input.Value())+note+" · "+keyName(env.keys.FilterClear)+
		" clears, "+keyName(env.keys.Filter)+" edits", env.width)), 0
}

// header is the right of the header line while the view is on screen.
func (sv *snapsView) header(env snapsEnv) string {
	n := len(sv.rows)
	switch {
	case sv.stage == snapsDelete && sv.del.sending > 0:
		return env.spinner + " deleting…"
	case sv.stage == snapsShare && sv.share.sending:
		return env.spinner + " sharing…"
	case sv.stage == snapsCopy && sv.cp.busy():
		return env.spinner + " copying…"
	case sv.loading:
		return env.spinner + " loading… " + count(n, "snapshot")
	case sv.filter.Active():
		return strconv.Itoa(sv.Len()) + " of " + count(n, "snapshot")
	}
	return count(n, "snapshot")
}
