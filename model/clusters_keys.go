package model

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/model/cursor"
	"github.com/docsnap/docsnap/ui"
)

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
			ui.Edit(&l.input, k)
			return l.applyFilter(m)
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
	case key.Matches(k, m.keys.FilterClear) && l.filter.Text() != "":
		l.clearFilter()
	case key.Matches(k, m.keys.Refresh):
		m.status = ""
		return l.start(m)
	case key.Matches(k, m.keys.Open):
		if r, ok := l.selected(); ok {
			return m.openDetail(*r)
		}
	case key.Matches(k, m.keys.Snapshot):
		if l.marks.Len() > 0 {
			return m.openFleet()
		}
		if r, ok := l.selected(); ok {
			return m.openForm(*r)
		}
	case key.Matches(k, m.keys.Mark) && m.readOnly() == "": // marks are for snapshots
		l.toggleMark()
	case key.Matches(k, m.keys.MarkAll) && m.readOnly() == "":
		l.toggleMarkAll()
	case key.Matches(k, m.keys.Copy), key.Matches(k, m.keys.CopyARN):
		if r, ok := l.selected(); ok {
			return m.copy(key.Matches(k, m.keys.CopyARN), "cluster", r.c.ID, r.c.ARN)
		}
	case key.Matches(k, m.keys.Sort):
		l.setSort(l.nextSort(), l.sortDesc)
	case key.Matches(k, m.keys.SortReverse):
		col := l.sortCol
		if col == noSort {
			col = 0 // reversing "as listed" means nothing: reverse by name, the first column
		}
		l.setSort(col, !l.sortDesc)
	case key.Matches(k, m.keys.Snapshots):
		return m.openSnaps()
	case key.Matches(k, m.keys.Profile):
		return m.openProfiles()
	case key.Matches(k, m.keys.Region):
		return m.openRegions()
	case key.Matches(k, m.keys.Command):
		return m.openCmdline()
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
