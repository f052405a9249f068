package model

import (
	"context"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/track"
)

// Every call to AWS happens here, in a tea.Cmd, through awsclient.Client.
// A command only calls and returns a message; the model changes in Update.

// clustersPageMsg is one page of the cluster listing of load number load.
// pages goes back and forth so that the model holds no iterator.
type clustersPageMsg struct {
	load  int
	pages awsclient.Pages[awsclient.Cluster]
	items []awsclient.Cluster
	err   error
}

// detailMsg is the instances, snapshots or tags of the cluster screen of
// load number load (one of the three is set).
type detailMsg struct {
	load      int
	instances []awsclient.Instance
	snapshots []awsclient.Snapshot
	tags      []awsclient.Tag
	what      string // "instances", "snapshots" or "tags"
	err       error
}

// createdMsg is the answer to CreateDBClusterSnapshot.
type createdMsg struct {
	attempt int
	in      awsclient.CreateSnapshotInput
	snap    awsclient.Snapshot
	err     error
}

// pollMsg says a poll of a cluster's followed snapshots is due.
type pollMsg struct {
	cluster string
	token   int
}

// polledMsg is a poll's answer.
type polledMsg struct {
	cluster string
	token   int
	req     track.Request
	got     []awsclient.Snapshot
	err     error
}

// spinMsg advances the spinner; clockMsg redraws the elapsed time of the
// snapshot on screen. Each carries the generation that scheduled it, so
// that only one chain of each runs.
type (
	spinMsg  struct{ gen int }
	clockMsg struct{ gen int }
)

func (m *Model) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), m.cfg.CallTimeout)
}

// loadClusters starts listing the clusters; each page asks for the next.
func (m *Model) loadClusters(load int) tea.Cmd {
	client := m.cfg.Client
	return m.clustersPage(load, nil, client)
}

func (m *Model) clustersPage(load int, p awsclient.Pages[awsclient.Cluster], client awsclient.Client) tea.Cmd {
	return func() tea.Msg {
		if p == nil {
			p = client.Clusters()
		}
		if !p.More() {
			return clustersPageMsg{load: load, pages: p}
		}
		ctx, cancel := m.ctx()
		defer cancel()
		items, err := p.Next(ctx)
		return clustersPageMsg{load: load, pages: p, items: items, err: err}
	}
}

// loadDetail fetches a cluster's instances, snapshots and tags at once.
func (m *Model) loadDetail(load int, c awsclient.Cluster) tea.Cmd {
	client := m.cfg.Client
	id, arn := c.ID, c.ARN
	instances := func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		items, err := awsclient.All(ctx, client.Instances(id))
		return detailMsg{load: load, what: "instances", instances: items, err: err}
	}
	snapshots := func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		items, err := awsclient.All(ctx, client.Snapshots(id))
		return detailMsg{load: load, what: "snapshots", snapshots: items, err: err}
	}
	tags := func() tea.Msg {
		if arn == "" {
			return detailMsg{load: load, what: "tags"}
		}
		ctx, cancel := m.ctx()
		defer cancel()
		items, err := client.Tags(ctx, arn)
		return detailMsg{load: load, what: "tags", tags: items, err: err}
	}
	return tea.Batch(instances, snapshots, tags)
}

// create sends CreateDBClusterSnapshot once.
func (m *Model) create(attempt int, in awsclient.CreateSnapshotInput) tea.Cmd {
	client := m.cfg.Client
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		s, err := client.CreateSnapshot(ctx, in)
		return createdMsg{attempt: attempt, in: in, snap: s, err: err}
	}
}

// poll makes the call a tracker asked for: one DescribeDBClusterSnapshots
// for one snapshot, or a listing of the cluster's snapshots read only until
// every wanted one is found.
func (m *Model) poll(token int, req track.Request) tea.Cmd {
	client := m.cfg.Client
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		msg := polledMsg{cluster: req.Cluster, token: token, req: req}
		if req.Snapshot != "" {
			s, err := client.Snapshot(ctx, req.Snapshot)
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

// now returns a message at once, as a command.
func send(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// defaultAfter is the real timer: tea.Tick starts when it is created.
func defaultAfter(d time.Duration, msg tea.Msg) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return msg })
}
