package model

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/model/stamp"
)

// The root's side of the view: what it reads, and doing what it asks.

func (m *Model) snapsEnv() snapsEnv {
	return snapsEnv{keys: &m.keys, styles: m.styles, width: m.width, now: m.cfg.Now, spinner: m.spinner(),
		multi: m.multi(), quota: m.cfg.SnapshotQuota, canCopy: m.cfg.Connect != nil}
}

// openSnaps shows the snapshots view of the active regions.
func (m *Model) openSnaps() tea.Cmd {
	m.status = ""
	return m.carrySnaps(m.snaps.open(m.active, m.screen))
}

// snapsKey handles a key on the view: the shared keys and the movement
// keys on its list, the rest by the view.
func (m *Model) snapsKey(k tea.KeyPressMsg) tea.Cmd {
	sv := &m.snaps
	if sv.stage == snapsList && !sv.filtering {
		if cmd, ok := m.commonKey(k); ok {
			return cmd
		}
		if m.moveKey(k, &sv.cur) {
			return nil
		}
		if key.Matches(k, m.keys.Command) {
			return m.openCmdline()
		}
	}
	m.status = ""
	return m.carrySnaps(sv.Update(m.snapsEnv(), k))
}

// planShares asks for the share lists the rows on screen lack.
func (m *Model) planShares() tea.Cmd {
	if m.screen != screenSnapshots {
		return nil
	}
	return m.carrySnaps(m.snaps.planShares())
}

// carrySnaps does what the view asked.
func (m *Model) carrySnaps(a snapsAction) tea.Cmd {
	if a.move {
		m.screen = a.to
	}
	if a.status != "" {
		m.status = a.status
	}
	if a.notice != "" {
		m.notice, m.noticeGood = a.notice, true
	}
	var cmds []tea.Cmd
	for _, p := range a.pages {
		cmds = append(cmds, m.snapsPage(p))
	}
	if a.shares != nil {
		cmds = append(cmds, m.readShares(*a.shares, m.snaps.seq))
	}
	for _, d := range a.deletes {
		cmds = append(cmds, m.deleteSnapshot(d))
	}
	if a.change != nil {
		cmds = append(cmds, m.changeShares(*a.change))
	}
	if a.connect != nil {
		cmds = append(cmds, m.connectForCopy(*a.connect))
	}
	if a.copy != nil {
		cmds = append(cmds, m.copySnapshot(*a.copy))
	}
	if a.follow != nil {
		m.snaps.stage = snapsList
		cmds = append(cmds, m.follow(a.follow.sc, a.follow.snap, true))
	}
	return tea.Batch(cmds...)
}

// snapsPage asks for a page of a region's snapshots, those shared with
// the account included.
func (m *Model) snapsPage(p snapsPageRequest) tea.Cmd {
	pages := p.pages
	if pages == nil {
		pages = p.sc.client.AllSnapshots(true)
	}
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		items, err := pages.Next(ctx)
		if err != nil {
			err = fmt.Errorf("list snapshots: %w", err)
		}
		return snapsPageMsg{seq: p.seq, region: p.region, pages: pages, items: items, err: err}
	}
}

// readShares reads the share lists of some rows, concurrency at a time.
func (m *Model) readShares(req sharesRequest, listing stamp.Seq) tea.Cmd {
	return func() tea.Msg {
		results := make([]sharesResult, len(req.rows))
		each(len(req.rows), func(i int) {
			t := req.rows[i]
			ctx, cancel := m.ctx()
			defer cancel()
			accounts, err := t.sc.client.SnapshotShares(ctx, t.id)
			results[i] = sharesResult{target: t, accounts: accounts, err: err}
		})
		return sharesMsg{seq: req.seq, listing: listing, results: results}
	}
}

func (m *Model) deleteSnapshot(d deleteRequest) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		s, err := d.sc.client.DeleteSnapshot(ctx, d.id)
		if err != nil {
			err = fmt.Errorf("delete snapshot %s: %w", d.id, err)
		}
		return deletedMsg{seq: d.seq, sc: d.sc, id: d.id, snap: s, err: err}
	}
}

// changeShares sends a share change, or only reads the list when the
// request changes nothing.
func (m *Model) changeShares(r shareRequest) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		var accounts []string
		var err error
		if len(r.add) == 0 && len(r.remove) == 0 {
			accounts, err = r.sc.client.SnapshotShares(ctx, r.id)
		} else {
			accounts, err = r.sc.client.ShareSnapshot(ctx, r.id, r.add, r.remove)
		}
		return sharedMsg{seq: r.seq, accounts: accounts, err: err}
	}
}

// connectForCopy makes the client of a copy's target region.
func (m *Model) connectForCopy(r connectRequest) tea.Cmd {
	connect := m.cfg.Connect
	return func() tea.Msg {
		c, err := connect(r.profile, r.region)
		if err != nil {
			err = fmt.Errorf("connect to %s: %w", r.region, err)
		}
		return copyConnectedMsg{seq: r.seq, client: c, err: err}
	}
}

func (m *Model) copySnapshot(r snapCopyRequest) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		s, err := r.sc.client.CopySnapshot(ctx, r.in)
		return copiedMsg{seq: r.seq, sc: r.sc, in: r.in, snap: s, err: err}
	}
}
