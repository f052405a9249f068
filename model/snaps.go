package model

import (
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/cursor"
	"github.com/docsnap/docsnap/model/filter"
	"github.com/docsnap/docsnap/model/marks"
	"github.com/docsnap/docsnap/model/rows"
	"github.com/docsnap/docsnap/model/stamp"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/sanitize"
	"github.com/docsnap/docsnap/ui/table"
)

// The snapshots view is one component: every cluster snapshot of the
// active regions (manual, automated, and those other accounts share with
// this one) in one table, streamed a page at a time, sorted, filtered and
// marked as the clusters list is; and the screens of what can be done to
// them (copy, delete, share). It reads the root in a snapsEnv and asks the
// root for every call with the snapsAction its Update returns.

// snapRow is one snapshot of the view: its fields sanitized for the
// screen, its identifier and ARN as AWS sent them (for calls).
type snapRow struct {
	s      awsclient.Snapshot // sanitized
	id     string             // raw, for calls
	arn    string             // raw
	sc     *scope
	reg    int32 // its region's place in the view
	place  int32 // its place in its region's listing
	shares shareCount
}

// key names the row for the marks: its account, region and identifier.
func (r *snapRow) key() string {
	return r.sc.target.Profile + "\x00" + r.sc.target.Region + "\x00" + r.id
}

// manual reports whether the row is a manual snapshot of this account: the
// only kind that can be deleted or shared.
func (r *snapRow) manual() bool { return r.s.Type == awsclient.SnapshotManual && !r.s.Shared }

// shareCount is what is known of the accounts a manual snapshot is shared
// with; read lazily, for the rows on screen only.
type shareCount struct {
	state  shareState
	n      int
	public bool
}

type shareState uint8

const (
	sharesUnknown shareState = iota
	sharesAsked
	sharesKnown
	sharesFailed
)

// snapsStage is which of its screens the view shows.
type snapsStage uint8

const (
	snapsList snapsStage = iota
	snapsDelete
	snapsShare
	snapsCopy
)

// snapsRegion is one region's part of the listing.
type snapsRegion struct {
	sc    *scope
	state loadState // regionLoading, regionDone or regionFailed
	err   error
	n     int32
}

// snapsView is the state of the snapshots view.
type snapsView struct {
	rows    []snapRow
	index   filter.Index
	filter  filter.Filter
	order   rows.Order
	cur     cursor.Cursor
	marks   marks.Set
	idWidth int

	input     textinput.Model // the filter being typed
	filtering bool

	regions []snapsRegion
	manuals map[*scope]int // the manual snapshots of each region, for the quota line (counted as rows arrive, not each frame)
	seq     stamp.Seq      // numbers the listings: only the last one's pages are taken
	loading bool

	sortCol  int // a column of snapColumns, or noSort
	sortDesc bool

	shareSeq   stamp.Seq // numbers the share-list reads
	sharesBusy bool      // a read of share lists is under way

	stage snapsStage
	del   snapsDeletion
	share snapsSharing
	cp    snapsCopying
	back  screen // where esc goes from the list
}

// snapsEnv is what the view reads of the root; built afresh for each call.
type snapsEnv struct {
	keys    *ui.KeyMap
	styles  *ui.Styles
	width   int
	now     func() time.Time
	spinner string
	multi   bool // several regions are listed
	quota   int  // the manual snapshots a region may hold
	canCopy bool // another region's client can be had (Config.Connect)
}

// snapsAction is what the view asks the root to do; the zero value asks
// nothing.
type snapsAction struct {
	move    bool
	to      screen
	pages   []snapsPageRequest
	shares  *sharesRequest
	deletes []deleteRequest
	change  *shareRequest
	connect *connectRequest
	copy    *snapCopyRequest
	follow  *sentSnapshot
	status  string // a sentence for the status line
	notice  string // good news for the notice line
}

// snapsPageRequest asks for the next page of a region's listing (its first
// when pages is nil).
type snapsPageRequest struct {
	seq    stamp.Seq
	region int
	sc     *scope
	pages  awsclient.Pages[awsclient.Snapshot]
}

// snapsPageMsg is one page of a region's snapshots; its seq is the
// listing's, which the view checks.
type snapsPageMsg struct {
	seq    stamp.Seq
	region int
	pages  awsclient.Pages[awsclient.Snapshot]
	items  []awsclient.Snapshot
	err    error
}

// sharesRequest asks for the share lists of some rows.
type sharesRequest struct {
	seq  stamp.Seq
	rows []shareTarget
}

// shareTarget is a row whose share list is read, by its key (rows do not
// move, but a new listing replaces them).
type shareTarget struct {
	row int32
	sc  *scope
	id  string
}

// sharesMsg is the share lists of some rows, for the SHARED column.
type sharesMsg struct {
	seq     stamp.Seq
	listing stamp.Seq
	results []sharesResult
}

type sharesResult struct {
	target   shareTarget
	accounts []string
	err      error
}

func (sv *snapsView) init() {
	sv.input = newField(256)
	sv.sortCol = noSort
}

// open shows the view and lists the snapshots of scopes afresh.
func (sv *snapsView) open(scopes []*scope, from screen) snapsAction {
	sv.back = from
	if from == screenSnapshots {
		sv.back = screenClusters
	}
	sv.stage = snapsList
	return sv.start(scopes)
}

// start lists every region's snapshots again.
func (sv *snapsView) start(scopes []*scope) snapsAction {
	seq := sv.seq.Next()
	sv.rows, sv.idWidth = sv.rows[:0], 0
	sv.index.Reset()
	sv.filter.Refresh(&sv.index)
	sv.order.Unsort()
	sv.regions = make([]snapsRegion, len(scopes))
	sv.manuals = map[*scope]int{}
	sv.sharesBusy = false
	a := snapsAction{move: true, to: screenSnapshots}
	for i, sc := range scopes {
		sv.regions[i] = snapsRegion{sc: sc, state: regionLoading}
		a.pages = append(a.pages, snapsPageRequest{seq: seq, region: i, sc: sc})
	}
	sv.loading = len(scopes) > 0
	sv.rebuild()
	sv.cur.Top()
	return a
}

// page takes one page of a region's listing and asks for the next.
func (sv *snapsView) page(env snapsEnv, msg snapsPageMsg) snapsAction {
	if !sv.seq.Fresh(msg.seq) || msg.region >= len(sv.regions) {
		return snapsAction{}
	}
	r := &sv.regions[msg.region]
	if msg.err != nil {
		r.state, r.err = regionFailed, msg.err
		sv.done()
		return snapsAction{}
	}
	sv.add(env, msg.region, msg.items)
	if msg.pages != nil && msg.pages.More() {
		return snapsAction{pages: []snapsPageRequest{{seq: msg.seq, region: msg.region, sc: r.sc, pages: msg.pages}}}
	}
	r.state = regionDone
	sv.done()
	return snapsAction{}
}

// done ends the listing once every region answered, and unmarks the rows
// no longer listed, so that no action is taken on a snapshot gone.
func (sv *snapsView) done() {
	for _, r := range sv.regions {
		if r.state == regionLoading {
			return
		}
	}
	sv.loading = false
	listed := make(map[string]bool, len(sv.rows))
	for i := range sv.rows {
		listed[sv.rows[i].key()] = true
	}
	sv.marks.Keep(func(k string) bool { return listed[k] })
}

// add appends a page's rows, merging them into the order.
func (sv *snapsView) add(env snapsEnv, region int, items []awsclient.Snapshot) {
	from := len(sv.rows)
	r := &sv.regions[region]
	for _, s := range items {
		if s.Region == "" {
			s.Region = r.sc.target.Region
		}
		row := snapRow{s: sanitize.Snapshot(s), id: s.ID, arn: s.ARN, sc: r.sc, reg: int32(region), place: r.n}
		r.n++
		sv.rows = append(sv.rows, row)
		c := &sv.rows[len(sv.rows)-1].s
		sv.index.Add(filter.Record{ID: c.ID, Status: c.Status, Engine: c.EngineVersion, Region: c.Region,
			Type: snapType(c), Cluster: c.ClusterID, Created: c.Created})
		sv.idWidth = max(sv.idWidth, ui.Width(c.ID))
		if sv.rows[len(sv.rows)-1].manual() {
			sv.manuals[r.sc]++
		}
	}
	sv.index.SetNow(env.now())
	sv.filter.Update(&sv.index)
	if sv.ordered() {
		sv.order.Merge(from, len(sv.rows), sv.cmp)
	}
	sv.rebuild()
}

// snapType is a snapshot's type as the view names it: shared for one
// another account owns.
func snapType(s *awsclient.Snapshot) string {
	if s.Shared {
		return "shared"
	}
	return s.Type
}

// Len is the number of rows shown.
func (sv *snapsView) Len() int { return sv.order.Len() }

// at is the row shown at position i.
func (sv *snapsView) at(i int) *snapRow { return &sv.rows[sv.order.At(i)] }

// selected is the row under the cursor, if any.
func (sv *snapsView) selected() (*snapRow, bool) {
	if sv.Len() == 0 {
		return nil, false
	}
	return sv.at(sv.cur.Pos()), true
}

func (sv *snapsView) ordered() bool { return sv.sortCol != noSort || len(sv.regions) > 1 }

// cmp orders two rows by the sort column, then as listed.
func (sv *snapsView) cmp(i, j int32) int {
	a, b := &sv.rows[i], &sv.rows[j]
	c := 0
	if sv.sortCol != noSort {
		c = snapColumns[sv.sortCol].cmp(a, b)
	}
	return rows.Compare(c, sv.sortDesc, a.reg, b.reg, a.place, b.place)
}

// rebuild works out the rows shown from the order and the filter.
func (sv *snapsView) rebuild() {
	sv.order.Narrow(len(sv.rows), sv.filter.Active(), sv.filter.Matches())
	sv.cur.SetLen(sv.Len())
}

// setSort changes the order, keeping the cursor on the same snapshot.
func (sv *snapsView) setSort(col int, desc bool) {
	var keep string
	if r, ok := sv.selected(); ok {
		keep = r.key()
	}
	line := sv.cur.Row()
	sv.sortCol, sv.sortDesc = col, desc
	if sv.ordered() {
		sv.order.Sort(len(sv.rows), sv.cmp)
	} else {
		sv.order.Unsort()
	}
	sv.rebuild()
	for i := range sv.Len() {
		if sv.at(i).key() == keep {
			sv.cur.SetAt(i, line)
			return
		}
	}
}

// nextSort is the column after the current one in the o cycle.
func (sv *snapsView) nextSort(multi bool) int {
	var cols []int
	for i, c := range snapColumns {
		if !c.multi || multi {
			cols = append(cols, i)
		}
	}
	i := slices.Index(cols, sv.sortCol)
	if i == len(cols)-1 {
		return noSort
	}
	return cols[i+1]
}

// applyFilter sets the filter from what is typed.
func (sv *snapsView) applyFilter(env snapsEnv) {
	sv.index.SetNow(env.now())
	sv.filter.Set(&sv.index, sv.input.Value())
	sv.rebuild()
}

func (sv *snapsView) clearFilter() {
	sv.input.SetValue("")
	sv.filter.Clear()
	sv.filtering = false
	sv.input.Blur()
	sv.rebuild()
}

// targets are the rows an action on several applies to: the marked ones,
// else the one under the cursor.
func (sv *snapsView) targets() []*snapRow {
	if sv.marks.Len() == 0 {
		if r, ok := sv.selected(); ok {
			return []*snapRow{r}
		}
		return nil
	}
	var out []*snapRow
	for i := range sv.rows {
		if sv.marks.Has(sv.rows[i].key()) {
			out = append(out, &sv.rows[i])
		}
	}
	return out
}

// Update takes a message for the view: a key or a paste while it is on
// screen, a page of its listing, share lists, the answers to its actions.
func (sv *snapsView) Update(env snapsEnv, msg tea.Msg) snapsAction {
	switch msg := msg.(type) {
	case snapsPageMsg:
		return sv.page(env, msg)
	case sharesMsg:
		return sv.sharesArrived(msg)
	case deletedMsg:
		return sv.deleted(msg)
	case sharedMsg:
		return sv.share.answered(sv, msg)
	case copyConnectedMsg:
		return sv.cp.connected(msg)
	case copiedMsg:
		return sv.cp.copied(msg)
	case tea.PasteMsg:
		switch sv.stage {
		case snapsList:
			if sv.filtering {
				ui.Edit(&sv.input, msg)
				sv.applyFilter(env)
			}
		case snapsDelete:
			ui.Edit(&sv.del.input, msg)
		case snapsShare:
			sv.share.paste(msg)
		case snapsCopy:
			sv.cp.paste(msg)
		}
	case tea.KeyPressMsg:
		switch sv.stage {
		case snapsDelete:
			return sv.deleteKey(env, msg)
		case snapsShare:
			return sv.share.key(env, sv, msg)
		case snapsCopy:
			return sv.cp.key(env, sv, msg)
		}
		return sv.listKey(env, msg)
	}
	return snapsAction{}
}

// listKey handles a key on the list: the filter being typed, then the
// movement keys (by the root), marks, sort and the actions.
func (sv *snapsView) listKey(env snapsEnv, k tea.KeyPressMsg) snapsAction {
	keys := env.keys
	if sv.filtering {
		switch {
		case key.Matches(k, keys.FilterDone):
			sv.filtering = false
			sv.input.Blur()
			if sv.input.Value() == "" {
				sv.clearFilter()
			}
		case key.Matches(k, keys.FilterClear):
			sv.clearFilter()
		case k.String() == "up":
			sv.cur.Move(-1)
		case k.String() == "down":
			sv.cur.Move(1)
		default:
			ui.Edit(&sv.input, k)
			sv.applyFilter(env)
		}
		return snapsAction{}
	}
	switch {
	case key.Matches(k, keys.Back):
		if sv.filter.Text() != "" {
			sv.clearFilter()
			return snapsAction{}
		}
		return snapsAction{move: true, to: sv.back}
	case key.Matches(k, keys.Filter):
		sv.filtering = true
		sv.input.Focus()
		sv.input.CursorEnd()
	case key.Matches(k, keys.Refresh):
		scopes := make([]*scope, len(sv.regions))
		for i, r := range sv.regions {
			scopes[i] = r.sc
		}
		a := sv.start(scopes)
		a.move = false
		return a
	case key.Matches(k, keys.Mark):
		if r, ok := sv.selected(); ok {
			sv.marks.Toggle(r.key())
			sv.cur.Move(1)
		}
	case key.Matches(k, keys.MarkAll):
		shown := make([]string, sv.Len())
		for i := range sv.Len() {
			shown[i] = sv.at(i).key()
		}
		sv.marks.ToggleAll(shown)
	case key.Matches(k, keys.Sort):
		sv.setSort(sv.nextSort(env.multi), sv.sortDesc)
	case key.Matches(k, keys.SortReverse):
		col := sv.sortCol
		if col == noSort {
			col = snapCreatedColumn // the newest first is what a reverse is for
		}
		sv.setSort(col, !sv.sortDesc)
	case key.Matches(k, keys.DeleteSnapshot):
		return sv.openDelete()
	case key.Matches(k, keys.ShareSnapshot):
		if r, ok := sv.selected(); ok {
			return sv.share.open(sv, r)
		}
	case key.Matches(k, keys.CopySnapshot):
		if r, ok := sv.selected(); ok {
			return sv.cp.open(env, sv, r)
		}
	}
	return snapsAction{}
}

// planShares asks for the share lists of the manual rows on screen whose
// list is not known, one read of them at a time: a region of thousands
// of snapshots costs a call for each row looked at, never for each row.
func (sv *snapsView) planShares() snapsAction {
	if sv.sharesBusy || sv.stage != snapsList {
		return snapsAction{}
	}
	var want []shareTarget
	from, to := sv.cur.Visible()
	for i := from; i < to; i++ {
		n := sv.order.At(i)
		r := &sv.rows[n]
		if r.manual() && r.shares.state == sharesUnknown {
			r.shares.state = sharesAsked
			want = append(want, shareTarget{row: n, sc: r.sc, id: r.id})
		}
	}
	if len(want) == 0 {
		return snapsAction{}
	}
	sv.sharesBusy = true
	return snapsAction{shares: &sharesRequest{seq: sv.shareSeq.Next(), rows: want}}
}

// sharesArrived records share lists; those of an older listing are
// dropped (its rows are gone).
func (sv *snapsView) sharesArrived(msg sharesMsg) snapsAction {
	if !sv.shareSeq.Fresh(msg.seq) {
		return snapsAction{}
	}
	sv.sharesBusy = false
	if !sv.seq.Fresh(msg.listing) {
		return snapsAction{}
	}
	for _, res := range msg.results {
		if int(res.target.row) >= len(sv.rows) {
			continue
		}
		r := &sv.rows[res.target.row]
		if r.sc != res.target.sc || r.id != res.target.id {
			continue
		}
		if res.err != nil {
			r.shares.state = sharesFailed
			continue
		}
		r.shares = countShares(res.accounts)
	}
	return snapsAction{}
}

// countShares counts a share list: the accounts, and whether it is public.
func countShares(accounts []string) shareCount {
	c := shareCount{state: sharesKnown}
	for _, a := range accounts {
		if a == awsclient.ShareAll {
			c.public = true
		} else {
			c.n++
		}
	}
	return c
}

// setShares records a row's share list as a share answered it.
func (sv *snapsView) setShares(sc *scope, id string, accounts []string) {
	for i := range sv.rows {
		if sv.rows[i].sc == sc && sv.rows[i].id == id {
			sv.rows[i].shares = countShares(accounts)
		}
	}
}

// manualCount is the manual snapshots of this account in sc, for the
// quota line.
func (sv *snapsView) manualCount(sc *scope) int { return sv.manuals[sc] }

// busy reports whether the view waits for AWS.
func (sv *snapsView) busy() bool {
	return sv.loading || sv.del.sending > 0 || sv.share.sending || sv.cp.busy()
}

// fit lays the list out in a body of height lines.
func (sv *snapsView) fit(env snapsEnv, height int) {
	sv.cur.SetHeight(max(height-sv.chrome(), 1))
}

// snapsColumns are the table's columns as shown, the sort column's title
// marked; kinds[i] is column i's place in snapColumns.
func (sv *snapsView) columns(env snapsEnv) (cols []table.Column, kinds []int) {
	for k, sc := range snapColumns {
		if sc.multi && !env.multi {
			continue
		}
		c := sc.Column
		if k == 0 {
			c.Width = idMinWidth(sv.idWidth, env.width)
			c.Max = max(sv.idWidth, len(c.Title)) + 2
		}
		if k == sv.sortCol {
			sortMark(&c, sv.sortDesc)
		}
		cols, kinds = append(cols, c), append(kinds, k)
	}
	return cols, kinds
}

// regionNames lists the regions of the rows, for sentences.
func regionNames(rs []snapsRegion) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = sanitize.String(r.sc.target.Region)
	}
	return strings.Join(names, ", ")
}

// snapsHelp is what the view's help lines depend on.
type snapsHelp struct {
	stage  snapsStage
	rows   bool
	public bool
	copy   bool
}

func (sv *snapsView) helpState() snapsHelp {
	return snapsHelp{stage: sv.stage, rows: sv.Len() > 0, public: sv.share.public, copy: sv.cp.confirm}
}

func (sv *snapsView) help(keys *ui.KeyMap, canWrite bool) ui.Help {
	switch sv.stage {
	case snapsDelete:
		return keys.TypedHelp()
	case snapsShare:
		if sv.share.public {
			return keys.TypedHelp()
		}
		return keys.ShareHelp()
	case snapsCopy:
		if sv.cp.confirm {
			return keys.TypedHelp()
		}
		return keys.FormHelp(false)
	}
	if sv.filtering {
		return keys.FilterHelp()
	}
	return keys.SnapsHelp(canWrite, sv.Len() > 0)
}
