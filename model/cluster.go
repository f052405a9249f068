package model

import (
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/cursor"
	"github.com/docsnap/docsnap/model/stamp"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/sanitize"
	"github.com/docsnap/docsnap/ui/table"
)

// clusterDetail is the cluster screen: details, then the snapshots, newest
// first, under a cursor.
type clusterDetail struct {
	row row
	seq stamp.Seq

	instances                            []awsclient.Instance // sanitized
	snapshots                            []awsclient.Snapshot // sanitized, newest first
	rawSnaps                             []awsclient.Snapshot // as AWS sent them, same order
	tags                                 []awsclient.Tag      // sanitized
	instErr, snapErr, tagErr             error
	instLoading, snapLoading, tagLoading bool

	cur     cursor.Cursor
	idWidth int // the widest snapshot identifier
}

func (d *clusterDetail) loading() bool { return d.instLoading || d.snapLoading || d.tagLoading }

func (m *Model) openDetail(r row) tea.Cmd {
	seq := m.detail.seq.Next()
	m.detail = clusterDetail{row: r, seq: seq, instLoading: true, snapLoading: true, tagLoading: true}
	m.screen = screenCluster
	m.status = ""
	return m.loadDetail(seq, r.sc.client, r.id, r.c.ARN, kindOf(&r.c))
}

// detailArrived takes a part of the cluster screen. Snapshots found being
// created are followed like docsnap's own (the footer and the progress
// bars move); tags go to the list's cache too (the filter and protection
// use them).
func (m *Model) detailArrived(msg tea.Msg) tea.Cmd {
	d := &m.detail
	switch msg := msg.(type) {
	case instancesMsg:
		d.instLoading, d.instErr = false, msg.err
		d.instances = d.instances[:0]
		for _, in := range msg.items {
			d.instances = append(d.instances, sanitize.Instance(in))
		}
	case elasticClusterMsg:
		d.instLoading, d.instErr = false, msg.err
		if msg.err == nil {
			d.row.c = withDetail(d.row.c, sanitize.Cluster(msg.c))
			m.list.rowDetail(d.row.sc, d.row.id, d.row.c)
		}
	case snapshotsMsg:
		d.snapLoading, d.snapErr = false, msg.err
		raw := slices.Clone(msg.items)
		if kindOf(&d.row.c) == awsclient.TypeElastic {
			// Followed under the cluster's name, as the list knows it.
			for i := range raw {
				raw[i].ClusterID, raw[i].ClusterARN, raw[i].ClusterType = d.row.id, d.row.c.ARN, awsclient.TypeElastic
			}
		}
		slices.SortStableFunc(raw, func(a, b awsclient.Snapshot) int { return b.Created.Compare(a.Created) })
		d.snapshots, d.rawSnaps = d.snapshots[:0], raw
		d.idWidth = 0
		for _, s := range raw {
			clean := sanitize.Snapshot(s)
			d.snapshots = append(d.snapshots, clean)
			d.idWidth = max(d.idWidth, ui.Width(clean.ID))
		}
		d.cur.SetLen(len(d.snapshots))
		if msg.err == nil {
			return m.adopt(d.row.sc, raw)
		}
	case clusterTagsMsg:
		d.tagLoading, d.tagErr = false, msg.err
		d.tags = sanitize.Tags(msg.items)
		if msg.err == nil {
			m.list.rowTags(d.row.sc, d.row.id, d.tags)
		}
	}
	return nil
}

func (m *Model) clusterKey(k tea.KeyPressMsg) tea.Cmd {
	if cmd, ok := m.commonKey(k); ok {
		return cmd
	}
	if m.moveKey(k, &m.detail.cur) {
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Back):
		m.screen = screenClusters
		m.status = ""
	case key.Matches(k, m.keys.Refresh):
		return m.openDetail(m.detail.row)
	case key.Matches(k, m.keys.Snapshot):
		return m.openForm(m.detail.row)
	case key.Matches(k, m.keys.Copy), key.Matches(k, m.keys.CopyARN):
		arn := key.Matches(k, m.keys.CopyARN)
		d := &m.detail
		if len(d.snapshots) > 0 {
			s := d.snapshots[d.cur.Pos()]
			return m.copy(arn, "snapshot", s.ID, s.ARN)
		}
		return m.copy(arn, "cluster", d.row.c.ID, d.row.c.ARN)
	}
	return nil
}

// detailLines are the cluster's details, one per line.
func (m *Model) detailLines() []string {
	s := m.styles
	d := &m.detail
	c := &d.row.c
	lw := min(21, max(m.width/3, 8))
	label := func(l string) string { return s.Muted.Render(ui.Fit(l, lw-1) + " ") }
	lines := []string{s.Heading.Render("Cluster "+c.ID) + "  " + s.Status(c.Status, 0)}
	elastic := kindOf(c) == awsclient.TypeElastic
	if elastic {
		lines = append(lines, label("Type")+"elastic (sharded; the docdb-elastic API)")
	} else {
		lines = append(lines, label("Engine")+strings.TrimSpace("docdb "+c.EngineVersion))
	}
	if m.multi() {
		lines = append(lines, label("Region")+c.Region)
	}
	if g, ok := m.list.membership(&d.row); ok {
		lines = append(lines, label("Global cluster")+globalText(g, c.ARN))
	} else if m.list.globalErr != nil {
		sentence, _, _ := explain(m.list.globalErr)
		lines = append(lines, label("Global cluster")+s.Muted.Render("not known: "+strings.TrimSuffix(lowerFirst(sentence), ".")))
	}
	if c.Endpoint != "" {
		ep := c.Endpoint
		if c.Port > 0 {
			ep += ":" + strconv.Itoa(c.Port)
		}
		lines = append(lines, label("Endpoint")+ep)
	}
	// pending is the line of a part still loading, failed, or empty.
	pending := func(name string, loading bool, err error, n int) (string, bool) {
		switch {
		case loading:
			return label(name) + s.Muted.Render("loading…"), true
		case err != nil:
			sentence, _, _ := explain(err)
			return label(name) + s.Bad.Render("✗ "+sentence), true
		case n == 0:
			return label(name) + "none", true
		}
		return "", false
	}
	if elastic {
		lines = append(lines, m.elasticLines(label, pending)...)
	} else if l, ok := pending("Instances", d.instLoading, d.instErr, len(d.instances)); ok {
		lines = append(lines, l)
	} else {
		for i, in := range d.instances {
			role := "reader"
			if in.Writer {
				role = "writer"
			}
			l := label("")
			if i == 0 {
				l = label("Instances")
			}
			lines = append(lines, l+in.ID+"  "+in.Class+"  "+role+"  "+s.Status(in.Status, 0))
		}
	}
	if !elastic || c.Detailed {
		backup := count(c.BackupRetentionDays, "day") + " retention"
		if c.BackupWindow != "" {
			backup += ", window " + c.BackupWindow + " UTC"
		}
		lines = append(lines, label("Backups")+backup)
	}
	switch {
	case elastic && c.Detailed:
		if c.MaintenanceWindow != "" {
			lines = append(lines, label("Maintenance")+c.MaintenanceWindow+" UTC")
		}
		enc := "encrypted at rest"
		if c.KMSKeyID != "" {
			enc += ", KMS key " + c.KMSKeyID
		}
		lines = append(lines, label("Encryption")+enc)
	case !elastic:
		enc := "not encrypted"
		if c.StorageEncrypted {
			enc = "encrypted at rest"
		}
		lines = append(lines, label("Encryption")+enc)
		prot := "off"
		if c.DeletionProtection {
			prot = "on"
		}
		lines = append(lines, label("Deletion protection")+prot)
	}
	if l, ok := pending("Tags", d.tagLoading, d.tagErr, len(d.tags)); ok {
		lines = append(lines, l)
	} else {
		// As many tags a line as fit, so that none is cut off.
		room := max(m.width-1-lw, 1)
		row, l := "", label("Tags")
		for _, t := range d.tags {
			tag := t.Key + "=" + t.Value
			if row != "" && ui.Width(row)+2+ui.Width(tag) > room {
				lines = append(lines, l+row)
				row, l = "", label("")
			}
			if row != "" {
				row += "  "
			}
			row += tag
		}
		lines = append(lines, l+row)
	}
	for i, l := range lines {
		lines[i] = ui.Truncate(" "+l, m.width)
	}
	return lines
}

// elasticLines are an elastic cluster's own details, from GetCluster:
// its shards and how one signs in.
func (m *Model) elasticLines(label func(string) string, pending func(string, bool, error, int) (string, bool)) []string {
	d := &m.detail
	c := &d.row.c
	if l, ok := pending("Shards", d.instLoading, d.instErr, 1); ok {
		return []string{l}
	}
	sh := count(c.ShardCount, "shard") + " × " + strconv.Itoa(c.ShardCapacity) + " vCPU"
	if c.ShardInstanceCount > 0 {
		sh += ", " + count(c.ShardInstanceCount, "instance") + " a shard"
	}
	lines := []string{label("Shards") + sh}
	if c.AuthType != "" {
		lines = append(lines, label("Authentication")+c.AuthType)
	}
	if c.AdminUser != "" {
		lines = append(lines, label("Admin user")+c.AdminUser)
	}
	return lines
}

// globalText says which global cluster a cluster (of ARN arn) belongs to,
// its role, and the members on the other side: a primary's secondaries, a
// secondary's primary.
func globalText(g awsclient.Membership, arn string) string {
	var others []string
	for _, o := range g.Global.Members {
		if o.ClusterARN != arn && o.Primary != g.Primary {
			others = append(others, memberName(o))
		}
	}
	text := g.Global.ID + " · " + g.Role()
	switch {
	case !g.Primary && len(others) > 0:
		text += " of " + strings.Join(others, ", ")
	case len(others) == 1:
		text += "; secondary " + others[0]
	case len(others) > 1:
		text += "; secondaries " + strings.Join(others, ", ")
	}
	return text
}

// memberName names a global cluster's member: "shipping-prod (us-east-1)",
// its ARN when that is not of the usual form.
func memberName(m awsclient.GlobalMember) string {
	if m.ClusterID == "" {
		return m.ClusterARN
	}
	return m.ClusterID + " (" + m.Region + ")"
}

// minSnapshotRows is how many snapshot rows the cluster screen keeps when
// the window is short; the details give way first.
const minSnapshotRows = 3

// detailsShown is how many of n detail lines a body of height lines shows:
// those that leave room for the snapshots' title, column titles and
// minSnapshotRows rows.
func detailsShown(n, height int) int { return min(n, max(height-2-minSnapshotRows, 1)) }

// Snapshot columns.
const (
	snapColID = iota
	snapColType
	snapColStatus
	snapColProgress
	snapColCreated
)

var snapshotColumns = []table.Column{
	snapColID:       {Title: "SNAPSHOT", Width: 14, Flex: true},
	snapColType:     {Title: "TYPE", Width: 9, Drop: 3},
	snapColStatus:   {Title: "STATUS", Width: 12, Drop: 1},
	snapColProgress: {Title: "PROGRESS", Width: 14, Drop: 2},
	snapColCreated:  {Title: "CREATED (UTC)", Width: 16, Drop: 4},
}

func (m *Model) clusterView(b *strings.Builder, height int) {
	s := m.styles
	d := &m.detail
	details := m.detailLines()
	keep := detailsShown(len(details), height)
	if keep < len(details) {
		details = append(details[:keep-1:keep-1], s.Muted.Render(ui.Truncate(" … (a taller window shows every detail)", m.width)))
	}
	win := newWindow(b, height)
	line := win.line
	for _, l := range details {
		line(l)
	}
	title := "Snapshots"
	if !d.snapLoading && d.snapErr == nil {
		title += " (" + strconv.Itoa(len(d.snapshots)) + ")"
	}
	line(s.Heading.Render(ui.Truncate(" "+title, m.width)))
	switch {
	case d.snapLoading:
		line(s.Muted.Render("  " + m.spinner() + " loading…"))
	case d.snapErr != nil:
		for _, l := range m.errorLines("Could not list the snapshots.", d.snapErr, "Press "+keyName(m.keys.Refresh)+" to try again.") {
			for _, w := range wrapStyled(l, m.width-2) {
				line("  " + w)
			}
		}
	case len(d.snapshots) == 0 && d.row.sc.readOnly != "":
		line(ui.Truncate("  No snapshots yet.", m.width))
	case len(d.snapshots) == 0:
		line(ui.Truncate("  No snapshots yet: press "+keyName(m.keys.Snapshot)+" to take one.", m.width))
	default:
		cols := slices.Clone(snapshotColumns)
		cols[snapColID].Max = max(d.idWidth, len(cols[snapColID].Title))
		cols[snapColID].Width = idMinWidth(d.idWidth, m.width)
		cols[snapColProgress].Hidden = !slices.ContainsFunc(d.snapshots, func(s awsclient.Snapshot) bool {
			return s.Status == awsclient.StatusCreating || s.Status == awsclient.StatusElasticCreating
		})
		lay := table.NewLayout(cols, m.width-2)
		line("  " + lay.Header(s.ColHead))
		win.rows(&d.cur, s.Gutter.Render("▌")+" ", func(b *strings.Builder, i int, sel bool) {
			lay.Row(b, func(col, w int) string { return m.snapshotCell(i, col, w, sel) })
		})
	}
	win.fill()
}

func (m *Model) snapshotCell(i, col, w int, sel bool) string {
	s := m.styles
	snap := m.detail.snapshots[i]
	// A snapshot docsnap follows shows the tracker's fresher state.
	if t, ok := m.detail.row.sc.tracker.Get(m.detail.rawSnaps[i].ID); ok {
		snap.Status, snap.PercentProgress = sanitize.String(t.Status), t.Percent
	}
	switch col {
	case snapColID:
		if sel {
			return s.Selected.Render(ui.Fit(snap.ID, w))
		}
		return ui.Fit(snap.ID, w)
	case snapColType:
		return ui.Fit(snap.Type, w)
	case snapColStatus:
		return s.Status(snap.Status, w)
	case snapColProgress:
		switch snap.Status {
		case awsclient.StatusCreating:
			return s.BarWithPercent(snap.PercentProgress, w)
		case awsclient.StatusElasticCreating:
			return s.Muted.Render(ui.Fit("no percent", w)) // the elastic API tells none
		}
		return ui.Fit("", w)
	case snapColCreated:
		return createdCell(snap.Created, w)
	}
	return ui.Fit("", w)
}
