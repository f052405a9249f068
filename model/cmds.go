package model

import (
	"context"
	"slices"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/stamp"
	"github.com/docsnap/docsnap/model/track"
)

// Every call to AWS happens here, in a tea.Cmd, through awsclient.Client.
// A command only calls and returns a message; the model changes in Update.

// Stale answers. A request (a call, or a timer of a chain such as the
// spinner's) is numbered by its kind's stamp.Seq when it is made, and its
// message carries the number in its field seq. Its fresh method says whether
// it answers the request of its kind that still awaits an answer; Update
// drops it before any handler sees it when not, so a handler deals only
// with the answer it waits for. A component that numbers its own requests
// (the snapshot flow, a tracker's poll loops) checks their answers itself,
// with the same stamp.Seq.Fresh, so that it stands on its own.
type stamped interface {
	fresh(m *Model) bool
}

// A stale answer is dropped, unless its call held something until it
// answered: then release frees it.
type releaser interface {
	release(m *Model) tea.Cmd
}

// clustersPageMsg is one page of the cluster listing of region (an index
// into the list's regions). pages goes back and forth so that the model
// holds no iterator.
type clustersPageMsg struct {
	seq    stamp.Seq
	region int
	pages  awsclient.Pages[awsclient.Cluster]
	items  []awsclient.Cluster
	err    error
}

func (msg clustersPageMsg) fresh(m *Model) bool {
	return m.list.awaiting(msg.region, regionLoading).Fresh(msg.seq)
}

// globalsMsg is the global clusters of a listing's accounts.
type globalsMsg struct {
	seq     stamp.Seq
	globals []awsclient.GlobalCluster
	err     error // the first failure; the other accounts' are in globals
}

func (msg globalsMsg) fresh(m *Model) bool { return m.list.seq.Fresh(msg.seq) }

// instancesMsg, snapshotsMsg and clusterTagsMsg are the parts of the
// cluster screen.
type (
	instancesMsg struct {
		seq   stamp.Seq
		items []awsclient.Instance
		err   error
	}
	snapshotsMsg struct {
		seq   stamp.Seq
		items []awsclient.Snapshot
		err   error
	}
	clusterTagsMsg struct {
		seq   stamp.Seq
		items []awsclient.Tag
		err   error
	}
)

func (msg instancesMsg) fresh(m *Model) bool   { return m.detail.seq.Fresh(msg.seq) }
func (msg snapshotsMsg) fresh(m *Model) bool   { return m.detail.seq.Fresh(msg.seq) }
func (msg clusterTagsMsg) fresh(m *Model) bool { return m.detail.seq.Fresh(msg.seq) }

// createdMsg is the answer to CreateDBClusterSnapshot. Its seq is the
// snapshot flow's, which the flow checks (snapFlow.answers).
type createdMsg struct {
	seq  stamp.Seq
	sc   *scope
	in   awsclient.CreateSnapshotInput
	snap awsclient.Snapshot
	err  error
}

// pollMsg says a poll of a cluster's followed snapshots is due. Its seq is
// the cluster's poll loop's, which the tracker checks (track.Tracker.Begin)
// along with the loop's state.
type pollMsg struct {
	sc      *scope
	cluster string
	seq     stamp.Seq
}

// polledMsg is a poll's answer.
type polledMsg struct {
	sc      *scope
	cluster string
	seq     stamp.Seq
	req     track.Request
	got     []awsclient.Snapshot
	err     error
}

// discoveredMsg is what listing the snapshots of clusters in status
// backing-up found: the snapshots of those whose listing succeeded.
type discoveredMsg struct {
	sc    *scope
	snaps []awsclient.Snapshot
}

// tagsMsg is the tags of some rows of a listing, for a tag: filter. When a
// newer listing replaced it, the row indexes mean nothing now, but the
// fetcher is free for the next chunk.
type tagsMsg struct {
	seq     stamp.Seq
	results []tagResult
}

func (msg tagsMsg) fresh(m *Model) bool { return m.list.seq.Fresh(msg.seq) }

func (msg tagsMsg) release(m *Model) tea.Cmd {
	m.list.tagBusy = false
	return m.list.nextTags(m)
}

type tagResult struct {
	row  int32
	tags []awsclient.Tag
	err  error
}

// protectMsg is the tags of the form's cluster, to tell whether it is
// protected. Its seq is the guard's, which the flow checks (guard.asked).
type protectMsg struct {
	seq  stamp.Seq
	tags []awsclient.Tag
	err  error
}

// watchedMsg is the answer to describing the --watch snapshot in a scope.
type watchedMsg struct {
	seq  stamp.Seq
	sc   *scope
	snap awsclient.Snapshot
	err  error
}

// A lookup awaits nothing once a region found the snapshot (it is gone)
// or every region answered.
func (msg watchedMsg) fresh(m *Model) bool {
	return m.progress.freshLookup(msg.seq)
}

// profilesMsg is the profiles of the shared config files.
type profilesMsg struct {
	profiles []awsclient.Profile
	err      error
}

// spinMsg advances the spinner; clockMsg redraws the elapsed time of the
// snapshot on screen. Each carries the number of the tick that scheduled
// it, so that only one chain of each runs.
type (
	spinMsg  struct{ seq stamp.Seq }
	clockMsg struct{ seq stamp.Seq }
)

func (msg spinMsg) fresh(m *Model) bool  { return m.spinSeq.Fresh(msg.seq) }
func (msg clockMsg) fresh(m *Model) bool { return m.progress.clockSeq.Fresh(msg.seq) }

func (m *Model) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(m.cfg.Context, m.cfg.CallTimeout)
}

// concurrency bounds the calls one command makes at once (regions listed
// together, tags, discovery), so that a wide listing does not set off AWS's
// throttling.
const concurrency = 4

// each runs f for each of n items, at most concurrency at a time.
func each(n int, f func(i int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, concurrency)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			f(i)
		}()
	}
	wg.Wait()
}

// clustersPage lists one page of a region's clusters; each page asks for
// the next. p is nil for the first page.
func (m *Model) clustersPage(seq stamp.Seq, region int, p awsclient.Pages[awsclient.Cluster], client awsclient.Client) tea.Cmd {
	return func() tea.Msg {
		if p == nil {
			p = client.Clusters()
		}
		if !p.More() {
			return clustersPageMsg{seq: seq, region: region, pages: p}
		}
		ctx, cancel := m.ctx()
		defer cancel()
		items, err := p.Next(ctx)
		return clustersPageMsg{seq: seq, region: region, pages: p, items: items, err: err}
	}
}

// listGlobals lists the global clusters of each account, one listing
// each, the accounts concurrency at a time.
func (m *Model) listGlobals(seq stamp.Seq, clients []awsclient.Client) tea.Cmd {
	return func() tea.Msg {
		found := make([][]awsclient.GlobalCluster, len(clients))
		errs := make([]error, len(clients))
		each(len(clients), func(i int) {
			ctx, cancel := m.ctx()
			defer cancel()
			found[i], errs[i] = awsclient.All(ctx, clients[i].GlobalClusters())
		})
		msg := globalsMsg{seq: seq}
		for i := range clients {
			msg.globals = append(msg.globals, found[i]...)
			if msg.err == nil {
				msg.err = errs[i]
			}
		}
		return msg
	}
}

// loadDetail fetches a cluster's instances, snapshots and tags at once; id
// is the identifier as AWS sent it.
func (m *Model) loadDetail(seq stamp.Seq, client awsclient.Client, id, arn string) tea.Cmd {
	instances := func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		items, err := awsclient.All(ctx, client.Instances(id))
		return instancesMsg{seq: seq, items: items, err: err}
	}
	snapshots := func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		items, err := awsclient.All(ctx, client.Snapshots(id))
		return snapshotsMsg{seq: seq, items: items, err: err}
	}
	tags := func() tea.Msg {
		if arn == "" {
			return clusterTagsMsg{seq: seq}
		}
		ctx, cancel := m.ctx()
		defer cancel()
		items, err := client.Tags(ctx, arn)
		return clusterTagsMsg{seq: seq, items: items, err: err}
	}
	return tea.Batch(instances, snapshots, tags)
}

// create sends CreateDBClusterSnapshot once, through the scope's client
// (which refuses it itself when the scope is read-only).
func (m *Model) create(seq stamp.Seq, sc *scope, in awsclient.CreateSnapshotInput) tea.Cmd {
	client := sc.client
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		s, err := client.CreateSnapshot(ctx, in)
		return createdMsg{seq: seq, sc: sc, in: in, snap: s, err: err}
	}
}

// poll makes the call a tracker asked for: one DescribeDBClusterSnapshots
// for one snapshot, or a listing of the cluster's snapshots read only until
// every wanted one is found.
func (m *Model) poll(sc *scope, seq stamp.Seq, req track.Request) tea.Cmd {
	client := sc.client
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		msg := polledMsg{sc: sc, cluster: req.Cluster, seq: seq, req: req}
		if req.Snapshot != "" {
			s, err := client.Snapshot(ctx, req.Snapshot, req.Type)
			if err == nil {
				msg.got = []awsclient.Snapshot{s}
			}
			msg.err = err
			return msg
		}
		missing := slices.Clone(req.Want)
		pages := client.Snapshots(req.Cluster)
		for pages.More() && len(missing) > 0 {
			page, err := pages.Next(ctx)
			if err != nil {
				msg.err = err
				return msg
			}
			for _, s := range page {
				if i := slices.Index(missing, s.ID); i >= 0 {
					missing = slices.Delete(missing, i, i+1)
					msg.got = append(msg.got, s)
				}
			}
		}
		return msg
	}
}

// discover lists the snapshots of clusters (in status backing-up) to find
// the ones being created. A cluster whose listing fails is skipped: this is
// a hint, and the next listing tries again.
func (m *Model) discover(sc *scope, clusters []string) tea.Cmd {
	client := sc.client
	return func() tea.Msg {
		var mu sync.Mutex
		msg := discoveredMsg{sc: sc}
		each(len(clusters), func(i int) {
			ctx, cancel := m.ctx()
			defer cancel()
			snaps, err := awsclient.All(ctx, client.Snapshots(clusters[i]))
			if err != nil {
				return
			}
			mu.Lock()
			msg.snaps = append(msg.snaps, snaps...)
			mu.Unlock()
		})
		return msg
	}
}

// tagJob is one row whose tags to fetch.
type tagJob struct {
	row    int32
	arn    string
	client awsclient.Client
}

// fetchTags lists the tags of some rows, concurrency at a time.
func (m *Model) fetchTags(seq stamp.Seq, jobs []tagJob) tea.Cmd {
	return func() tea.Msg {
		msg := tagsMsg{seq: seq, results: make([]tagResult, len(jobs))}
		each(len(jobs), func(i int) {
			j := jobs[i]
			r := tagResult{row: j.row}
			if j.arn != "" {
				ctx, cancel := m.ctx()
				defer cancel()
				r.tags, r.err = j.client.Tags(ctx, j.arn)
			}
			msg.results[i] = r
		})
		return msg
	}
}

// protectTags lists the tags of the form's cluster.
func (m *Model) protectTags(seq stamp.Seq, client awsclient.Client, arn string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		tags, err := client.Tags(ctx, arn)
		return protectMsg{seq: seq, tags: tags, err: err}
	}
}

// loadProfiles reads the profiles of the shared config files.
func (m *Model) loadProfiles() tea.Cmd {
	load := m.cfg.Profiles
	return func() tea.Msg {
		ps, err := load()
		return profilesMsg{profiles: ps, err: err}
	}
}

// send returns a message at once, as a command.
func send(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// after is the real timer: it starts when it is created, as tea.Tick does,
// and ends early, with no message, when ctx ends: a timer (a poll due in a
// minute) must not outlive the model.
func after(ctx context.Context, d time.Duration, msg tea.Msg) tea.Cmd {
	t := time.NewTimer(d)
	return func() tea.Msg {
		select {
		case <-t.C:
			return msg
		case <-ctx.Done():
			t.Stop()
			return nil
		}
	}
}
