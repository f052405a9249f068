package model

import (
	"slices"

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
)

// row is one cluster of the list: its fields sanitized for the screen, its
// identifier as AWS sent it (for calls), and where it comes from.
type row struct {
	c         awsclient.Cluster // sanitized
	id        string            // raw, for calls
	sc        *scope
	reg       int32           // its listing's place in the list's regions
	place     int32           // its place in its region's listing
	tags      []awsclient.Tag // sanitized, once known
	tagsKnown bool
	detailErr error // an elastic cluster's details could not be read
}

func newRow(c awsclient.Cluster, sc *scope) row {
	if c.Region == "" {
		c.Region = sc.target.Region
	}
	return row{c: sanitize.Cluster(c), id: c.ID, sc: sc}
}

// kindOf is a cluster's kind: instance-based unless said elastic.
func kindOf(c *awsclient.Cluster) awsclient.ClusterType {
	if c.Type == awsclient.TypeElastic {
		return awsclient.TypeElastic
	}
	return awsclient.TypeInstance
}

// same reports whether r is the cluster named by sc and id.
func (r *row) same(sc *scope, id string) bool { return r.sc == sc && r.id == id }

// markKey names r among the marks: the list shows one scope a region.
func (r *row) markKey() string { return r.sc.target.Region + "\x00" + r.id }

// clusterList is the clusters screen.
type clusterList struct {
	rows    []row
	index   filter.Index
	filter  filter.Filter
	cur     cursor.Cursor
	idWidth int  // the widest identifier and its global mark as a glyph: the identifier column's least
	idFull  int  // ...and with its mark in words: what the identifier column grows to
	elastic bool // a row is an elastic cluster: the TYPE column shows

	// The global clusters of the listing's accounts, joined to rows by ARN
	// (sanitized): fetched once a listing, not once a cluster.
	global        map[string]awsclient.Membership
	globalErr     error // the last global listing's failure: the rows lack their marks
	globalWaiting bool  // the listing's global clusters have not arrived yet

	input     textinput.Model // the filter being typed
	filtering bool

	marks marks.Set // the clusters marked for a snapshot of each (a fleet)

	regions    []regionLoad          // two for each active scope (one a kind of cluster), in order
	seq        stamp.Seq             // numbers the listings: the one in progress or last done
	pageSeq    stamp.Seq             // numbers the pages asked for, of every region and listing
	loading    bool                  // a listing is in progress
	refreshing bool                  // ...replacing rows already shown
	loaded     bool                  // a listing has completed
	err        error                 // the last listing's failure, when every region failed
	errKind    awsclient.ClusterType // ...of which kind of cluster

	// The order: sortCol is a column (of clusterColumns) or noSort, as
	// listed (by region, then as AWS listed them). order is the rows
	// shown, by number.
	sortCol  int
	sortDesc bool
	order    rows.Order

	lay listLayout // laid out by fit, once an Update

	// Tags for a tag: filter, fetched lazily (see planTags).
	tagQueue []int32
	tagBusy  bool
	tagErr   error

	detailBusy bool // elastic clusters' details are being read (see planDetails)
}

// noSort is the sort column of a list shown as listed.
const noSort = -1

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
}

// reset empties the list for the active scopes (a switch), keeping the
// filter and the sort.
func (l *clusterList) reset(m *Model) {
	l.rows, l.idWidth, l.idFull, l.elastic = l.rows[:0], 0, 0, false
	l.global, l.globalErr = nil, nil
	l.marks.Clear() // they named clusters of the scopes left
	l.index.Reset()
	l.filter.Refresh(&l.index)
	// Each region is listed twice: its instance-based clusters (docdb) and
	// its elastic clusters (docdb-elastic), two APIs that fail apart.
	l.regions = make([]regionLoad, 0, 2*len(m.active))
	for _, sc := range m.active {
		l.regions = append(l.regions, regionLoad{sc: sc, kind: awsclient.TypeInstance}, regionLoad{sc: sc, kind: awsclient.TypeElastic})
	}
	if l.sortCol != noSort && clusterColumns[l.sortCol].multi && len(m.active) < 2 {
		l.sortCol = noSort
	}
	l.loading, l.refreshing, l.loaded, l.err = false, false, false, nil
	l.tagQueue, l.tagErr = nil, nil
	l.order.Unsort()
	l.rebuildView()
	l.cur.SetLen(l.Len())
	l.cur.Top()
}

// Len is the number of rows shown.
func (l *clusterList) Len() int { return l.order.Len() }

// at is the row shown at position i.
func (l *clusterList) at(i int) *row { return &l.rows[l.order.At(i)] }

// selected is the row under the cursor, if any.
func (l *clusterList) selected() (*row, bool) {
	if l.Len() == 0 {
		return nil, false
	}
	return l.at(l.cur.Pos()), true
}

// membership is a row's place in a global cluster, if it has one.
func (l *clusterList) membership(r *row) (awsclient.Membership, bool) {
	g, ok := l.global[r.c.ARN]
	return g, ok && r.c.ARN != ""
}

// measure widens the identifier column for a row.
func (l *clusterList) measure(r *row) {
	w := ui.Width(r.c.ID)
	full := w
	if g, ok := l.membership(r); ok {
		w += ui.Width(globalMark(g.Primary, false))
		full += ui.Width(globalMark(g.Primary, true))
	}
	l.idWidth, l.idFull = max(l.idWidth, w), max(l.idFull, full)
}

// add appends rows as they arrive, merging them into the order.
func (l *clusterList) add(rows []row) {
	from := len(l.rows)
	for _, r := range rows {
		l.rows = append(l.rows, r)
		l.index.Add(filter.Record{ID: r.c.ID, Status: r.c.Status, Engine: r.c.EngineVersion, Region: r.c.Region, Type: string(kindOf(&r.c))})
		l.elastic = l.elastic || kindOf(&r.c) == awsclient.TypeElastic
		if r.tagsKnown {
			l.index.SetTags(len(l.rows)-1, filterTags(r.tags))
		}
		l.measure(&l.rows[len(l.rows)-1])
	}
	l.filter.Update(&l.index)
	if l.ordered() {
		l.order.Merge(from, len(l.rows), l.cmp)
	}
	l.rebuildView()
	l.cur.SetLen(l.Len())
}

// replace swaps in a new listing, keeping the cursor on the same cluster
// and on the same screen line where it still exists, and the tags already
// fetched (tags rarely change; the cluster screen shows them fresh), and
// the elastic clusters' details (their shards), under the new status.
func (l *clusterList) replace(rows []row) {
	type key struct {
		sc *scope
		id string
	}
	known := map[key][]awsclient.Tag{}
	detailed := map[key]*row{}
	for i, r := range l.rows {
		if r.tagsKnown {
			known[key{r.sc, r.id}] = r.tags
		}
		if r.c.Type == awsclient.TypeElastic && r.c.Detailed {
			detailed[key{r.sc, r.id}] = &l.rows[i]
		}
	}
	for i := range rows {
		if tags, ok := known[key{rows[i].sc, rows[i].id}]; ok && !rows[i].tagsKnown {
			rows[i].tags, rows[i].tagsKnown = tags, true
		}
		if old, ok := detailed[key{rows[i].sc, rows[i].id}]; ok && !rows[i].c.Detailed {
			rows[i].c = withDetail(rows[i].c, old.c)
		}
	}
	l.keepCursor(func() {
		l.rows, l.idWidth, l.idFull, l.elastic = l.rows[:0], 0, 0, false
		l.index.Reset()
		l.order.Unsort()
		l.add(rows) // into an empty order: one sort of every row
	})
	listed := make(map[string]bool, len(l.rows))
	for i := range l.rows {
		listed[l.rows[i].markKey()] = true
	}
	l.marks.Keep(func(k string) bool { return listed[k] })
}

// toggleMark marks the cluster under the cursor, or unmarks it.
func (l *clusterList) toggleMark() {
	if r, ok := l.selected(); ok {
		l.marks.Toggle(r.markKey())
	}
}

// toggleMarkAll marks every cluster the filter shows, or, when all of
// them are marked, clears the marks.
func (l *clusterList) toggleMarkAll() {
	shown := make([]string, l.Len())
	for i := range shown {
		shown[i] = l.at(i).markKey()
	}
	l.marks.ToggleAll(shown)
}

// marked is the marked rows, in the order of their keys (by region, then
// identifier), hidden by the filter or not.
func (l *clusterList) marked() []row {
	if l.marks.Len() == 0 {
		return nil
	}
	byKey := make(map[string]*row, l.marks.Len())
	for i := range l.rows {
		if k := l.rows[i].markKey(); l.marks.Has(k) {
			byKey[k] = &l.rows[i]
		}
	}
	var out []row
	for _, k := range l.marks.Keys() {
		if r, ok := byKey[k]; ok {
			out = append(out, *r)
		}
	}
	return out
}

// markWidth is the cells the marks take before each row: none until
// something is marked, so that the list is drawn as before.
func (l *clusterList) markWidth() int {
	if l.marks.Len() == 0 {
		return 0
	}
	return 2
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
// sorted, or several listings (regions, kinds) interleaved as they arrived.
func (l *clusterList) ordered() bool { return l.sortCol != noSort || len(l.regions) > 1 }

// cmp orders two rows: by the sort column (reversed when sortDesc), then
// as listed (by region, then in AWS's order), which makes the sort stable.
func (l *clusterList) cmp(i, j int32) int {
	a, b := &l.rows[i], &l.rows[j]
	c := 0
	if l.sortCol != noSort {
		c = clusterColumns[l.sortCol].cmp(&a.c, &b.c)
	}
	return rows.Compare(c, l.sortDesc, a.reg, b.reg, a.place, b.place)
}

// rebuildView works out the rows shown from the order and the filter.
func (l *clusterList) rebuildView() {
	l.order.Narrow(len(l.rows), l.filter.Active(), l.filter.Matches())
}

// setSort changes the order, keeping the cursor on the same cluster.
func (l *clusterList) setSort(col int, desc bool) {
	l.keepCursor(func() {
		l.sortCol, l.sortDesc = col, desc
		if l.ordered() {
			l.order.Sort(len(l.rows), l.cmp)
		} else {
			l.order.Unsort()
		}
		l.rebuildView()
	})
}

// nextSort is the column after the current one in the o cycle: every
// column in turn, then as listed.
func (l *clusterList) nextSort() int {
	cols := sortable(len(l.regions) > 2, l.elastic)
	i := slices.Index(cols, l.sortCol)
	if i == len(cols)-1 {
		return noSort
	}
	return cols[i+1]
}
