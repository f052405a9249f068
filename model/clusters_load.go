package model

import (
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/stamp"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// regionLoad is one region's part of a listing: its clusters of one kind.
type regionLoad struct {
	sc      *scope
	kind    awsclient.ClusterType // which API lists them
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
	return m.clustersPage(r.seq, i, p, r.sc.client, r.kind)
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
		if r.kind == awsclient.TypeElastic {
			c.Type = awsclient.TypeElastic
		}
		if c.Type == awsclient.TypeElastic || c.Engine == "" || c.Engine == awsclient.Engine {
			nr := newRow(c, r.sc)
			nr.reg, nr.place = int32(msg.region), r.n
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
	l.err, l.errKind = nil, ""
	// The listing failed when every region did: a region fails when one of
	// its kinds failed and the other listed nothing (an empty answer does
	// not say there is nothing to see).
	failed := map[*scope]bool{}
	for _, r := range l.regions {
		if r.state == regionFailed {
			failed[r.sc] = true
			if l.err == nil {
				l.err, l.errKind = r.err, r.kind
			}
		}
	}
	for _, r := range l.regions {
		if !failed[r.sc] || r.state == regionDone && r.n > 0 {
			l.err, l.errKind = nil, ""
			break
		}
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
	if l.regions[region].kind == awsclient.TypeElastic {
		return nil // no status of theirs says a backup runs
	}
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
