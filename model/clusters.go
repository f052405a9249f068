package model

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/cursor"
	"github.com/docsnap/docsnap/model/filter"
	"github.com/docsnap/docsnap/model/stamp"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/sanitize"
	"github.com/docsnap/docsnap/ui/table"
)

// row is one cluster of the list: its fields sanitized for the screen, its
// identifier as AWS sent it (for calls), and where it comes from.
type row struct {
	c         awsclient.Cluster // sanitized
	id        string            // raw, for calls
	sc        *scope
	reg       int32           // its region's place in the list
	seq       int32           // its place in its region's listing
	tags      []awsclient.Tag // sanitized, once known
	tagsKnown bool
}

func newRow(c awsclient.Cluster, sc *scope) row {
	if c.Region == "" {
		c.Region = sc.target.Region
	}
	return row{c: sanitize.Cluster(c), id: c.ID, sc: sc}
}

// same reports whether r is the cluster named by sc and id.
func (r *row) same(sc *scope, id string) bool { return r.sc == sc && r.id == id }

// regionLoad is one region's part of a listing.
type regionLoad struct {
	sc      *scope
	state   loadState
	err     error // its last listing's failure, or the failure of the page to retry
	pending []row // a refresh's rows, kept aside until every region is done
	n       int32 // rows of this listing so far
	retries int   // pages failed in a row in a way that may pass
	retryAt time.Time
	seq     stamp.Seq // the number of its page asked for (or failed, to be asked again)
}

// ask asks for region i's next page (its first when p is nil).
func (l *clusterList) ask(m *Model, i int, p awsclient.Pages[awsclient.Cluster]) tea.Cmd {
	r := &l.regions[i]
	r.seq = l.pageSeq.Next()
	return m.clustersPage(r.seq, i, p, r.sc.client)
}

// awaiting is the number of region i's page when the region is in state
// (asking for it, or waiting to ask again), else zero: no page of it awaits
// an answer there.
func (l *clusterList) awaiting(i int, state loadState) stamp.Seq {
	if i >= len(l.regions) || l.regions[i].state != state {
		return 0
	}
	return l.regions[i].seq
}

type loadState uint8

const (
	regionWaiting loadState = iota // for one of the concurrency slots
	regionLoading
	regionRetrying // a page failed in a way that may pass: asked again at retryAt
	regionDone
	regionFailed
)

// A page that failed in a way that may pass (throttling, a 5xx, a lost
// connection, a timeout), after the client's own retries, is asked again
// after a pause that doubles from listRetryFirst up to listRetryMax, for as
// long as it keeps failing that way: the screen says so and r retries at
// once.
const (
	listRetryFirst = 4 * time.Second
	listRetryMax   = time.Minute
)

// listRetryMsg asks a region's failed page again; seq is the failed
// page's, so that a stale one does nothing.
type listRetryMsg struct {
	seq    stamp.Seq
	region int
	pages  awsclient.Pages[awsclient.Cluster]
}

func (msg listRetryMsg) fresh(m *Model) bool {
	return m.list.awaiting(msg.region, regionRetrying).Fresh(msg.seq)
}

// clusterList is the clusters screen.
type clusterList struct {
	rows    []row
	index   filter.Index
	filter  filter.Filter
	cur     cursor.Cursor
	idWidth int // the widest identifier and its global mark as a glyph: the identifier column's least
	idFull  int // ...and with its mark in words: what the identifier column grows to

	// The global clusters of the listing's accounts, joined to rows by ARN
	// (sanitized): fetched once a listing, not once a cluster.
	global        map[string]awsclient.Membership
	globalErr     error // the last global listing's failure: the rows lack their marks
	globalWaiting bool  // the listing's global clusters have not arrived yet

	input     textinput.Model // the filter being typed
	filtering bool

	regions    []regionLoad // one for each active scope, in order
	seq        stamp.Seq    // numbers the listings: the one in progress or last done
	pageSeq    stamp.Seq    // numbers the pages asked for, of every region and listing
	loading    bool         // a listing is in progress
	refreshing bool         // ...replacing rows already shown
	loaded     bool         // a listing has completed
	err        error        // the last listing's failure, when every region failed

	// The order: sortCol is a column (colID...) or noSort, as listed (by
	// region, then as AWS listed them). order is every row in that order,
	// nil for arrival order (one region, no sort); view is the rows shown,
	// unless identity (every row, in arrival order).
	sortCol  int
	sortDesc bool
	order    []int32
	view     []int32
	identity bool
	inView   []uint64 // a bit a row: the filter's matches, to filter an order
	viewBuf  []int32  // the view's memory when it is an order filtered
	spare    []int32  // the buffer order is merged into

	// Tags for a tag: filter, fetched lazily (see planTags).
	tagQueue []int32
	tagBusy  bool
	tagErr   error
}

// noSort is the sort column of a list shown as listed.
const noSort = -1

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

// newField is a one-line text field as every field of the screens but the
// form's is: no prompt, the terminal's own cursor (nothing blinks, nothing
// is written while idle), pastes arriving as messages (ctrl+v would read
// the clipboard), at most limit characters.
func newField(limit int) textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = limit
	in.SetVirtualCursor(false)
	in.KeyMap.Paste.SetEnabled(false)
	return in
}

func (l *clusterList) init() {
	l.input = newField(256)
	l.sortCol = noSort
	l.identity = true
}

// reset empties the list for the active scopes (a switch), keeping the
// filter and the sort.
func (l *clusterList) reset(m *Model) {
	l.rows, l.idWidth, l.idFull = l.rows[:0], 0, 0
	l.global, l.globalErr = nil, nil
	l.index.Reset()
	l.filter.Refresh(&l.index)
	l.regions = make([]regionLoad, len(m.active))
	for i, sc := range m.active {
		l.regions[i] = regionLoad{sc: sc}
	}
	if l.sortCol == colRegion && len(m.active) < 2 {
		l.sortCol = noSort
	}
	l.loading, l.refreshing, l.loaded, l.err = false, false, false, nil
	l.tagQueue, l.tagErr = nil, nil
	l.order = nil
	l.rebuildView()
	l.cur.SetLen(l.Len())
	l.cur.Top()
}

// Len is the number of rows shown.
func (l *clusterList) Len() int {
	if l.identity {
		return len(l.rows)
	}
	return len(l.view)
}

// at is the row shown at position i.
func (l *clusterList) at(i int) *row {
	if l.identity {
		return &l.rows[i]
	}
	return &l.rows[l.view[i]]
}

// selected is the row under the cursor, if any.
func (l *clusterList) selected() (*row, bool) {
	if l.Len() == 0 {
		return nil, false
	}
	return l.at(l.cur.Pos()), true
}

// start lists every region again, concurrency at a time.
func (l *clusterList) start(m *Model) tea.Cmd {
	l.seq.Next()
	l.loading, l.err, l.tagErr = true, nil, nil
	l.refreshing = len(l.rows) > 0
	for i := range l.regions {
		l.regions[i].state, l.regions[i].pending, l.regions[i].n, l.regions[i].retries = regionWaiting, nil, 0, 0
	}
	l.globalWaiting = true
	return tea.Batch(l.startWaiting(m), m.listGlobals(l.seq, l.accounts()))
}

// accounts is a client for each account the listing covers: global
// clusters are the account's, and every region answers for all of them.
// Profiles stand for accounts.
func (l *clusterList) accounts() []awsclient.Client {
	var out []awsclient.Client
	seen := map[string]bool{}
	for _, r := range l.regions {
		if p := r.sc.target.Profile; !seen[p] {
			seen[p] = true
			out = append(out, r.sc.client)
		}
	}
	return out
}

// globalsArrived joins the listing's global clusters to its rows. Where
// the listing failed (a policy without rds:DescribeGlobalClusters), the rows
// go without their marks and the cluster screen says why, quietly.
func (l *clusterList) globalsArrived(msg globalsMsg) {
	l.globalWaiting, l.globalErr = false, msg.err
	clean := make([]awsclient.GlobalCluster, len(msg.globals))
	for i, g := range msg.globals {
		clean[i] = sanitize.GlobalCluster(g)
	}
	l.global = awsclient.Memberships(clean)
	l.idWidth, l.idFull = 0, 0
	for i := range l.rows {
		l.measure(&l.rows[i])
	}
}

// membership is a row's place in a global cluster, if it has one.
func (l *clusterList) membership(r *row) (awsclient.Membership, bool) {
	g, ok := l.global[r.c.ARN]
	return g, ok && r.c.ARN != ""
}

// measure widens the identifier column for a row.
func (l *clusterList) measure(r *row) {
	w, full := ui.Width(r.c.ID), ui.Width(r.c.ID)
	if g, ok := l.membership(r); ok {
		w += ui.Width(globalMark(g.Primary, false))
		full += ui.Width(globalMark(g.Primary, true))
	}
	l.idWidth, l.idFull = max(l.idWidth, w), max(l.idFull, full)
}

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

// startWaiting starts the listings of waiting regions while fewer than
// concurrency are underway.
func (l *clusterList) startWaiting(m *Model) tea.Cmd {
	busy := 0
	for _, r := range l.regions {
		if r.state == regionLoading {
			busy++
		}
	}
	var cmds []tea.Cmd
	for i := range l.regions {
		r := &l.regions[i]
		if busy >= concurrency {
			break
		}
		if r.state == regionWaiting {
			r.state = regionLoading
			busy++
			cmds = append(cmds, l.ask(m, i, nil))
		}
	}
	return tea.Batch(cmds...)
}

// page takes one page of a region's listing: shown at once on the first
// listing, kept aside on a refresh until every region is done.
func (l *clusterList) page(m *Model, msg clustersPageMsg) tea.Cmd {
	r := &l.regions[msg.region]
	if msg.err != nil {
		if awsclient.KindOf(msg.err).Retryable() && msg.pages != nil {
			return l.retryLater(m, msg)
		}
		r.state, r.err, r.pending = regionFailed, msg.err, nil
		return l.regionEnded(m)
	}
	r.retries, r.err = 0, nil
	rows := make([]row, 0, len(msg.items))
	for _, c := range msg.items {
		if c.Engine == "" || c.Engine == awsclient.Engine {
			nr := newRow(c, r.sc)
			nr.reg, nr.seq = int32(msg.region), r.n
			r.n++
			rows = append(rows, nr)
		}
	}
	if l.refreshing {
		r.pending = append(r.pending, rows...)
	} else {
		l.add(rows)
	}
	if msg.pages != nil && msg.pages.More() {
		return l.ask(m, msg.region, msg.pages)
	}
	r.state, r.err = regionDone, nil
	return tea.Batch(l.regionEnded(m), l.discover(m, msg.region))
}

// retryLater schedules a failed page to be asked again, and lets a waiting
// region have the slot meanwhile.
func (l *clusterList) retryLater(m *Model, msg clustersPageMsg) tea.Cmd {
	r := &l.regions[msg.region]
	r.retries++
	d := min(listRetryFirst<<min(r.retries-1, 8), listRetryMax)
	r.state, r.err, r.retryAt = regionRetrying, msg.err, m.cfg.Now().Add(d)
	return tea.Batch(m.cfg.After(d, listRetryMsg{seq: msg.seq, region: msg.region, pages: msg.pages}),
		l.startWaiting(m))
}

// retry asks a failed page again.
func (l *clusterList) retry(m *Model, msg listRetryMsg) tea.Cmd {
	r := &l.regions[msg.region]
	r.state = regionLoading
	return l.ask(m, msg.region, msg.pages)
}

// regionEnded starts the next waiting region, or finishes the listing when
// none is left.
func (l *clusterList) regionEnded(m *Model) tea.Cmd {
	for _, r := range l.regions {
		if r.state == regionWaiting {
			return l.startWaiting(m)
		}
	}
	for _, r := range l.regions {
		if r.state == regionLoading || r.state == regionRetrying {
			return nil
		}
	}
	return l.finish(m)
}

// finish ends a listing: a refresh swaps in every region's new rows (a
// failed region keeps its old ones, under its failure line).
func (l *clusterList) finish(m *Model) tea.Cmd {
	l.loading, l.loaded = false, true
	l.err = nil
	failed := 0
	for _, r := range l.regions {
		if r.state == regionFailed {
			failed++
			if l.err == nil {
				l.err = r.err
			}
		}
	}
	if failed < len(l.regions) {
		l.err = nil
	}
	if l.refreshing {
		var rows []row
		for i, r := range l.regions {
			if r.state == regionDone {
				rows = append(rows, r.pending...)
				continue
			}
			for _, old := range l.rows {
				if old.reg == int32(i) {
					rows = append(rows, old)
				}
			}
		}
		for i := range l.regions {
			l.regions[i].pending = nil
		}
		l.refreshing = false
		l.replace(rows)
	}
	return l.planTags(m)
}

// discoverMax bounds the clusters in status backing-up whose snapshots one
// region's listing lists, looking for snapshots being created.
const discoverMax = 8

// discover looks for snapshots being created that docsnap did not start,
// cheaply: only in the region's clusters in status backing-up (what AWS
// shows while a backup runs), at most discoverMax a listing, and not those
// whose snapshots are already followed. One DescribeDBClusterSnapshots per
// such cluster; the cluster screen finds the others when it is opened.
func (l *clusterList) discover(m *Model, region int) tea.Cmd {
	sc := l.regions[region].sc
	rows := l.regions[region].pending
	if !l.refreshing {
		rows = l.rows
	}
	followed := map[string]bool{}
	for _, s := range sc.tracker.InFlight() {
		followed[s.ClusterID] = true
	}
	var ids []string
	for i := range rows {
		r := &rows[i]
		if r.reg == int32(region) && r.c.Status == "backing-up" && !followed[r.id] && len(ids) < discoverMax {
			ids = append(ids, r.id)
			followed[r.id] = true
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return m.discover(sc, ids)
}

// add appends rows as they arrive, merging them into the order.
func (l *clusterList) add(rows []row) {
	from := len(l.rows)
	for _, r := range rows {
		l.rows = append(l.rows, r)
		l.index.Add(filter.Record{ID: r.c.ID, Status: r.c.Status, Engine: r.c.EngineVersion, Region: r.c.Region})
		if r.tagsKnown {
			l.index.SetTags(len(l.rows)-1, filterTags(r.tags))
		}
		l.measure(&l.rows[len(l.rows)-1])
	}
	l.filter.Update(&l.index)
	if l.ordered() {
		l.merge(from)
	}
	l.rebuildView()
	l.cur.SetLen(l.Len())
}

func filterTags(tags []awsclient.Tag) []filter.Tag {
	out := make([]filter.Tag, len(tags))
	for i, t := range tags {
		out[i] = filter.Tag{Key: t.Key, Value: t.Value}
	}
	return out
}

// replace swaps in a new listing, keeping the cursor on the same cluster
// and on the same screen line where it still exists, and the tags already
// fetched (tags rarely change; the cluster screen shows them fresh).
func (l *clusterList) replace(rows []row) {
	type key struct {
		sc *scope
		id string
	}
	known := map[key][]awsclient.Tag{}
	for _, r := range l.rows {
		if r.tagsKnown {
			known[key{r.sc, r.id}] = r.tags
		}
	}
	for i := range rows {
		if tags, ok := known[key{rows[i].sc, rows[i].id}]; ok && !rows[i].tagsKnown {
			rows[i].tags, rows[i].tagsKnown = tags, true
		}
	}
	l.keepCursor(func() {
		l.rows, l.idWidth, l.idFull = l.rows[:0], 0, 0
		l.index.Reset()
		l.order = nil
		l.add(rows) // into an empty order: one sort of every row
	})
}

// keepCursor runs change, then puts the cursor back on the cluster it was
// on, on the same screen line, when that cluster is still shown.
func (l *clusterList) keepCursor(change func()) {
	var keep *row
	line := l.cur.Row()
	if r, ok := l.selected(); ok {
		c := *r
		keep = &c
	}
	change()
	l.cur.SetLen(l.Len())
	if keep == nil {
		return
	}
	for i := range l.Len() {
		if l.at(i).same(keep.sc, keep.id) {
			l.cur.SetAt(i, line)
			return
		}
	}
}

// applyFilter sets the filter from what is typed; a tag: term starts
// fetching the tags it needs.
func (l *clusterList) applyFilter(m *Model) tea.Cmd {
	l.filter.Set(&l.index, l.input.Value())
	l.rebuildView()
	l.cur.SetLen(l.Len())
	return l.planTags(m)
}

func (l *clusterList) clearFilter() {
	l.input.SetValue("")
	l.filter.Clear()
	l.filtering = false
	l.input.Blur()
	l.tagQueue = nil
	l.rebuildView()
	l.cur.SetLen(l.Len())
}

// ordered reports whether the rows are shown in an order of their own:
// sorted, or several regions interleaved as they arrived.
func (l *clusterList) ordered() bool { return l.sortCol != noSort || len(l.regions) > 1 }

// cmp orders two rows: by the sort column (reversed when sortDesc), then
// as listed (by region, then in AWS's order), which makes the sort stable.
func (l *clusterList) cmp(i, j int32) int {
	a, b := &l.rows[i], &l.rows[j]
	c := 0
	switch l.sortCol {
	case colID:
		c = strings.Compare(a.c.ID, b.c.ID)
	case colStatus:
		c = strings.Compare(a.c.Status, b.c.Status)
	case colEngine:
		c = compareVersions(a.c.EngineVersion, b.c.EngineVersion)
	case colInstances:
		c = len(a.c.Members) - len(b.c.Members)
	case colEncrypted:
		c = boolInt(a.c.StorageEncrypted) - boolInt(b.c.StorageEncrypted)
	case colCreated:
		c = a.c.Created.Compare(b.c.Created)
	case colRegion:
		c = strings.Compare(a.c.Region, b.c.Region)
	}
	if l.sortDesc {
		c = -c
	}
	if c != 0 {
		return c
	}
	if a.reg != b.reg {
		return int(a.reg - b.reg)
	}
	return int(a.seq - b.seq)
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

// sortAll puts every row in order: once per change of the sort (a
// listing's rows are merged in as they are added), never per frame (tens of
// milliseconds at 100,000 rows).
func (l *clusterList) sortAll() {
	l.order = l.order[:0]
	for i := range l.rows {
		l.order = append(l.order, int32(i))
	}
	slices.SortFunc(l.order, l.cmp)
}

// merge puts rows [from, len) into the order: they are sorted among
// themselves, then merged in one pass (a page costs its own sort and a
// walk of the order, not a sort of everything).
func (l *clusterList) merge(from int) {
	if l.order == nil && from > 0 {
		l.sortAll()
		return
	}
	add := make([]int32, 0, len(l.rows)-from)
	for i := from; i < len(l.rows); i++ {
		add = append(add, int32(i))
	}
	slices.SortFunc(add, l.cmp)
	out := l.spare[:0]
	i, j := 0, 0
	for i < len(l.order) && j < len(add) {
		if l.cmp(add[j], l.order[i]) < 0 {
			out = append(out, add[j])
			j++
		} else {
			out = append(out, l.order[i])
			i++
		}
	}
	out = append(append(out, l.order[i:]...), add[j:]...)
	l.order, l.spare = out, l.order
}

// rebuildView works out the rows shown from the order and the filter: O(n)
// when both apply, nothing more than a slice header otherwise.
func (l *clusterList) rebuildView() {
	active := l.filter.Active()
	switch {
	case l.order == nil && !active:
		l.identity, l.view = true, nil
	case l.order == nil:
		l.identity, l.view = false, l.filter.Matches()
	case !active:
		l.identity, l.view = false, l.order
	default:
		words := (len(l.rows) + 63) / 64
		l.inView = slices.Grow(l.inView[:0], words)[:words]
		clear(l.inView)
		for _, i := range l.filter.Matches() {
			l.inView[i/64] |= 1 << (i % 64)
		}
		view := l.viewBuf[:0]
		for _, i := range l.order {
			if l.inView[i/64]&(1<<(i%64)) != 0 {
				view = append(view, i)
			}
		}
		l.viewBuf = view
		l.identity, l.view = false, view
	}
}

// setSort changes the order, keeping the cursor on the same cluster.
func (l *clusterList) setSort(col int, desc bool) {
	l.keepCursor(func() {
		l.sortCol, l.sortDesc = col, desc
		if l.ordered() {
			l.sortAll()
		} else {
			l.order = nil
		}
		l.rebuildView()
	})
}

// nextSort is the column after the current one in the o cycle: every
// column in turn, then as listed.
func (l *clusterList) nextSort() int {
	cols := []int{colID, colStatus, colEngine, colInstances, colEncrypted, colCreated}
	if len(l.regions) > 1 {
		cols = append(cols, colRegion)
	}
	i := slices.Index(cols, l.sortCol)
	if i == len(cols)-1 {
		return noSort
	}
	return cols[i+1]
}

// tagChunk is how many rows' tags one command fetches (concurrency at a
// time), between two updates of the filter.
const tagChunk = 32

// planTags queues the rows whose tags a tag: term needs: those matching the
// rest of the query whose tags are not known yet, in the order shown, so
// that the top of the list fills first. ListTagsForResource is one call a
// cluster, so nothing is fetched until a tag: term is typed, the other
// terms narrow what is fetched, and tags once fetched are kept.
func (l *clusterList) planTags(m *Model) tea.Cmd {
	q := l.filter.Query()
	l.tagQueue = l.tagQueue[:0]
	if !q.NeedsTags() || l.tagErr != nil {
		return nil // after a failure, r tries again
	}
	base := q.WithoutTags()
	visit := func(i int32) {
		if !l.rows[i].tagsKnown && l.index.Match(int(i), base) {
			l.tagQueue = append(l.tagQueue, i)
		}
	}
	if l.order != nil {
		for _, i := range l.order {
			visit(i)
		}
	} else {
		for i := range l.rows {
			visit(int32(i))
		}
	}
	return l.nextTags(m)
}

// nextTags fetches the next chunk of queued tags, one chunk at a time.
func (l *clusterList) nextTags(m *Model) tea.Cmd {
	if l.tagBusy || l.loading && l.refreshing {
		return nil
	}
	var jobs []tagJob
	for len(l.tagQueue) > 0 && len(jobs) < tagChunk {
		i := l.tagQueue[0]
		l.tagQueue = l.tagQueue[1:]
		if r := &l.rows[i]; !r.tagsKnown {
			jobs = append(jobs, tagJob{row: i, arn: r.c.ARN, client: r.sc.client})
		}
	}
	if len(jobs) == 0 {
		return nil
	}
	l.tagBusy = true
	return m.fetchTags(l.seq, jobs)
}

// tagsArrived records fetched tags and filters again where they change
// what matches. A chunk that failed entirely stops the fetching (the
// filter line says why); r starts it again.
func (l *clusterList) tagsArrived(m *Model, msg tagsMsg) tea.Cmd {
	l.tagBusy = false
	changed, failed := false, 0
	for _, res := range msg.results {
		if int(res.row) >= len(l.rows) {
			continue
		}
		if res.err != nil {
			failed++
			l.tagErr = res.err
			continue
		}
		changed = l.setTags(int(res.row), sanitize.Tags(res.tags)) || changed
	}
	if failed == len(msg.results) {
		l.tagQueue = nil
		return nil
	}
	l.tagErr = nil
	if changed {
		l.refilter()
	}
	return l.nextTags(m)
}

// rowTags records a cluster's tags read elsewhere (the cluster screen, the
// protection check).
func (l *clusterList) rowTags(sc *scope, id string, tags []awsclient.Tag) {
	for i := range l.rows {
		if l.rows[i].same(sc, id) {
			if l.setTags(i, tags) {
				l.refilter()
			}
			return
		}
	}
}

// setTags records row i's tags (sanitized), and reports whether they change
// whether it matches the filter.
func (l *clusterList) setTags(i int, tags []awsclient.Tag) bool {
	q := l.filter.Query()
	before := l.index.Match(i, q)
	r := &l.rows[i]
	r.tags, r.tagsKnown = tags, true
	l.index.SetTags(i, filterTags(tags))
	return l.index.Match(i, q) != before
}

// refilter searches every row again after tags changed what matches,
// keeping the cursor on its cluster.
func (l *clusterList) refilter() {
	l.keepCursor(func() {
		l.filter.Refresh(&l.index)
		l.rebuildView()
	})
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
		if r, ok := l.selected(); ok {
			return m.openForm(*r)
		}
	case key.Matches(k, m.keys.Copy), key.Matches(k, m.keys.CopyARN):
		if r, ok := l.selected(); ok {
			return m.copy(key.Matches(k, m.keys.CopyARN), "cluster", r.c.ID, r.c.ARN)
		}
	case key.Matches(k, m.keys.Sort):
		l.setSort(l.nextSort(), l.sortDesc)
	case key.Matches(k, m.keys.SortReverse):
		col := l.sortCol
		if col == noSort {
			col = colID // reversing "as listed" means nothing: reverse by name
		}
		l.setSort(col, !l.sortDesc)
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
	cols, kinds := m.listColumns()
	lay := table.NewLayout(cols, m.width-2)
	b.WriteString("  ")
	b.WriteString(lay.Header(s.ColHead))
	lines := 1
	for _, f := range l.failureLines(m) {
		if lines < height {
			b.WriteString("\n")
			b.WriteString(f)
			lines++
		}
	}
	if l.Len() == 0 && lines < height {
		b.WriteString("\n")
		b.WriteString(ui.Truncate("  No cluster matches "+strconv.Quote(sanitize.String(l.input.Value()))+m.tagsPending()+": "+keyName(m.keys.FilterClear)+" clears the filter.", m.width))
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
		lay.Row(b, func(col, w int) string { return m.clusterCell(r, kinds[col], w, sel, words) })
		lines++
	}
	for ; lines < height; lines++ {
		b.WriteString("\n")
	}
}

// tagsPending says, after "No cluster matches X", that tags are still
// being fetched, when they are.
func (m *Model) tagsPending() string {
	if len(m.list.tagQueue) > 0 || m.list.tagBusy {
		return " yet (tags still loading)"
	}
	return ""
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

// maxFailureLines bounds the lines of failed regions above the rows.
const maxFailureLines = 3

// failure is the regions whose last listing failed the same way, and how.
type failure struct {
	regions []string
	text    string
}

// failures groups the failed regions by what went wrong, in order.
func (l *clusterList) failures(m *Model) []failure {
	var groups []failure
	for _, r := range l.regions {
		if r.state != regionFailed {
			continue
		}
		sentence, _, _, hint := explain(r.err)
		text := sentence
		if info, ok := awsclient.RegionInfo(r.sc.target.Region); ok && info.OptIn && awsclient.KindOf(r.err) == awsclient.KindExpiredCredentials {
			text = "An opt-in region not enabled for this account, or " + lowerFirst(sentence)
		} else if hint != "" {
			text += " " + m.hint(hint)
		}
		if i := slices.IndexFunc(groups, func(g failure) bool { return g.text == text }); i >= 0 {
			groups[i].regions = append(groups[i].regions, r.sc.target.Region)
		} else {
			groups = append(groups, failure{regions: []string{r.sc.target.Region}, text: text})
		}
	}
	return groups
}

// retryGroup is the regions waiting to ask a failed page again after
// failing the same way, and the soonest retry.
type retryGroup struct {
	regions []string
	err     error
	at      time.Time
}

// retrying groups the regions waiting to retry a page by what went wrong.
func (l *clusterList) retrying() []retryGroup {
	var groups []retryGroup
	for _, r := range l.regions {
		if r.state != regionRetrying {
			continue
		}
		sentence, _, _, _ := explain(r.err)
		i := slices.IndexFunc(groups, func(g retryGroup) bool { s, _, _, _ := explain(g.err); return s == sentence })
		if i < 0 {
			groups = append(groups, retryGroup{err: r.err, at: r.retryAt})
			i = len(groups) - 1
		}
		g := &groups[i]
		g.regions = append(g.regions, r.sc.target.Region)
		if r.retryAt.Before(g.at) {
			g.at = r.retryAt
		}
	}
	return groups
}

// retryNote says why a listing paused and when it goes on: "AWS is
// throttling; retrying in 4s (r retries now)".
func (m *Model) retryNote(g retryGroup) string {
	what := "AWS is throttling"
	if awsclient.KindOf(g.err) != awsclient.KindThrottled {
		sentence, _, _, _ := explain(g.err)
		what = strings.TrimSuffix(sentence, ".")
	}
	when := "retrying now"
	if left := g.at.Sub(m.cfg.Now()); left > 0 {
		when = "retrying in " + ui.Duration((left + time.Second - 1).Truncate(time.Second)) + " (" + keyName(m.keys.Refresh) + " retries now)"
	}
	return what + "; " + when
}

// failureLines are the lines of the regions whose last listing failed,
// shown above the rows of the others: first those waiting to retry a page,
// then one line for the regions that failed the same way, at most
// maxFailureLines.
func (l *clusterList) failureLines(m *Model) []string {
	if len(l.rows) == 0 {
		return nil // the empty screen explains
	}
	s := m.styles
	var out []string
	for _, g := range l.retrying() {
		line := "  ! " + sanitize.String(strings.Join(g.regions, ", ")) + ": " + m.retryNote(g)
		out = append(out, s.Warn.Render(ui.Truncate(line, m.width)))
	}
	groups := l.failures(m)
	for i, g := range groups {
		if i == maxFailureLines-1 && len(groups) > maxFailureLines {
			n := 0
			for _, g := range groups[i:] {
				n += len(g.regions)
			}
			out = append(out, s.Bad.Render(ui.Truncate("  ✗ "+count(n, "more region")+" failed too: press "+keyName(m.keys.Refresh)+" to try again.", m.width)))
			break
		}
		line := "  ✗ " + sanitize.String(strings.Join(g.regions, ", ")) + ": " + g.text
		out = append(out, s.Bad.Render(ui.Truncate(line, m.width)))
	}
	return out
}

// lowerFirst lowers a sentence's first letter, for a sentence that follows others.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// emptyView says why there are no clusters, and what to try.
func (m *Model) emptyView(b *strings.Builder, height int) {
	l := &m.list
	s := m.styles
	var lines []string
	where := sanitize.String(strings.Join(m.regions(), ", "))
	again := "Press " + keyName(m.keys.Refresh) + " to try again."
	switch {
	case l.loading:
		lines = []string{s.Muted.Render(m.spinner() + " Listing DocumentDB clusters…")}
		for _, g := range l.retrying() {
			note := m.retryNote(g)
			if m.multi() {
				note = sanitize.String(strings.Join(g.regions, ", ")) + ": " + note
			}
			lines = append(lines, s.Warn.Render("! "+note))
		}
	case l.err != nil && !m.multi():
		lines = m.errorLines("Could not list the clusters.", l.err, again)
	case l.err != nil:
		lines = []string{s.Bad.Render("✗ Could not list the clusters of any region.")}
		for _, g := range l.failures(m) {
			lines = append(lines, s.Bad.Render(sanitize.String(strings.Join(g.regions, ", "))+": ")+g.text)
		}
		lines = append(lines, s.Muted.Render(again))
	default:
		try := "Try another region with --region, another account with --profile,"
		if m.cfg.Connect != nil {
			try = "Try another region with " + keyName(m.keys.Region) + " or --region, another account with " +
				keyName(m.keys.Profile) + " or --profile,"
		}
		lines = []string{
			s.Bold.Render("No DocumentDB clusters in " + where + "."),
			"",
			"DescribeDBClusters answered with no cluster of engine docdb (Aurora and",
			"Neptune clusters share the API and are left out).",
			try,
			"press " + keyName(m.keys.Refresh) + " to list again, or run docsnap --demo to look around.",
		}
		for _, g := range l.failures(m) {
			lines = append(lines, s.Bad.Render("✗ "+sanitize.String(strings.Join(g.regions, ", "))+": "+g.text))
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
