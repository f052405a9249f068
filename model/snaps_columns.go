package model

import (
	"strconv"
	"strings"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/table"
)

// snapColumn is one column of the snapshots view, all of it, as
// clusterColumn is for the clusters list.
type snapColumn struct {
	table.Column
	name  string // for :sort
	multi bool   // shown only when several regions are listed
	cell  func(env snapsEnv, r *snapRow, w int) string
	cmp   func(a, b *snapRow) int
}

// snapCreatedColumn is the CREATED column's place: O sorts by it first.
const snapCreatedColumn = 5

// snapColumns are the snapshots table's columns, in the order shown. What
// goes first when the terminal narrows: encrypted, the cluster (which
// most identifiers name), the shares, created, the type, the region; the
// identifier and the status stay.
var snapColumns = []snapColumn{
	{Column: table.Column{Title: "SNAPSHOT", Width: idColumnWidth, Flex: true}, name: "identifier",
		cmp: func(a, b *snapRow) int { return strings.Compare(a.s.ID, b.s.ID) }},
	{Column: table.Column{Title: "CLUSTER", Width: 14, Drop: 5}, name: "cluster",
		cell: func(_ snapsEnv, r *snapRow, w int) string { return ui.Fit(r.s.ClusterID, w) },
		cmp:  func(a, b *snapRow) int { return strings.Compare(a.s.ClusterID, b.s.ClusterID) }},
	{Column: table.Column{Title: "REGION", Width: 14, Drop: 1}, name: "region", multi: true,
		cell: func(_ snapsEnv, r *snapRow, w int) string { return ui.Fit(r.s.Region, w) },
		cmp:  func(a, b *snapRow) int { return strings.Compare(a.s.Region, b.s.Region) }},
	{Column: table.Column{Title: "TYPE", Width: 9, Drop: 2}, name: "type",
		cell: func(env snapsEnv, r *snapRow, w int) string {
			t := snapType(&r.s)
			if t != awsclient.SnapshotManual {
				return env.styles.Muted.Render(ui.Fit(t, w))
			}
			return ui.Fit(t, w)
		},
		cmp: func(a, b *snapRow) int { return strings.Compare(snapType(&a.s), snapType(&b.s)) }},
	{Column: table.Column{Title: "STATUS", Width: 13}, name: "status",
		cell: func(env snapsEnv, r *snapRow, w int) string {
			if !awsclient.SnapshotDone(r.s.Status) {
				// In flight: the percent AWS reports, as the tracker shows it.
				text := r.s.Status + " " + ui.Percent(r.s.PercentProgress)
				return env.styles.Busy.Render(ui.Fit(text, w))
			}
			return env.styles.Status(r.s.Status, w)
		},
		cmp: func(a, b *snapRow) int { return strings.Compare(a.s.Status, b.s.Status) }},
	{Column: table.Column{Title: "CREATED (UTC)", Width: 16, Drop: 3}, name: "created",
		cell: func(_ snapsEnv, r *snapRow, w int) string { return createdCell(r.s.Created, w) },
		cmp:  func(a, b *snapRow) int { return a.s.Created.Compare(b.s.Created) }},
	{Column: table.Column{Title: "ENCRYPTED", Width: 9, Drop: 6}, name: "encrypted",
		cell: func(env snapsEnv, r *snapRow, w int) string {
			if r.s.StorageEncrypted {
				return ui.Fit("yes", w)
			}
			return env.styles.Muted.Render(ui.Fit("no", w))
		},
		cmp: func(a, b *snapRow) int { return boolInt(a.s.StorageEncrypted) - boolInt(b.s.StorageEncrypted) }},
	{Column: table.Column{Title: "SHARED", Width: 6, Drop: 4, Right: true}, name: "shared",
		cell: sharesCell,
		cmp:  func(a, b *snapRow) int { return shareOrder(a) - shareOrder(b) }},
}

// sharesCell is the SHARED cell: how many accounts a manual snapshot is
// shared with, "public" for one anyone may restore; blank where it does
// not apply, … while unknown.
func sharesCell(env snapsEnv, r *snapRow, w int) string {
	if !r.manual() {
		return ui.PadLeft("", w)
	}
	switch r.shares.state {
	case sharesKnown:
		switch {
		case r.shares.public:
			return env.styles.Warn.Render(ui.PadLeft("public", w))
		case r.shares.n == 0:
			return env.styles.Muted.Render(ui.PadLeft("0", w))
		}
		return ui.PadLeft(strconv.Itoa(r.shares.n), w)
	case sharesFailed:
		return env.styles.Muted.Render(ui.PadLeft("?", w))
	}
	return env.styles.Muted.Render(ui.PadLeft("…", w))
}

// shareOrder sorts by sharing: not applicable or unknown, then by count,
// public last.
func shareOrder(r *snapRow) int {
	switch {
	case !r.manual() || r.shares.state != sharesKnown:
		return -1
	case r.shares.public:
		return 1 << 20
	}
	return r.shares.n
}
