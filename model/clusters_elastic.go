package model

import (
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/stamp"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// An elastic cluster comes from ListClusters with its name, ARN and status
// only; its shards need GetCluster, one call a cluster. So, as tags are,
// they are fetched lazily: for the rows on screen, a screenful at a time,
// and kept across refreshes.

// elasticDetailsMsg is GetCluster's answer for some rows of a listing. When
// a newer listing replaced it, the row indexes mean nothing now, but the
// fetcher is free again.
type elasticDetailsMsg struct {
	seq     stamp.Seq
	results []detailResult
}

type detailResult struct {
	row int32
	arn string // the row's, to check the row is still that cluster
	c   awsclient.Cluster
	err error
}

func (msg elasticDetailsMsg) fresh(m *Model) bool { return m.list.seq.Fresh(msg.seq) }

func (msg elasticDetailsMsg) release(m *Model) tea.Cmd {
	m.list.detailBusy = false
	return nil // the next Update plans again
}

// planDetails fetches the details of the elastic rows on screen that lack
// them, one screenful at a time; not while a refresh is about to replace
// the rows, and never again for a row whose fetch failed (r tries again).
func (l *clusterList) planDetails(m *Model) tea.Cmd {
	if !l.elastic || l.detailBusy || l.loading && l.refreshing || m.screen != screenClusters {
		return nil
	}
	var jobs []tagJob
	from, to := l.cur.Visible()
	for i := from; i < to && i < l.Len(); i++ {
		r := l.at(i)
		if kindOf(&r.c) == awsclient.TypeElastic && !r.c.Detailed && r.detailErr == nil && r.c.ARN != "" {
			jobs = append(jobs, tagJob{row: l.order.At(i), arn: r.c.ARN, client: r.sc.client})
		}
	}
	if len(jobs) == 0 {
		return nil
	}
	l.detailBusy = true
	return m.fetchElastic(l.seq, jobs)
}

// fetchElastic describes some elastic clusters, concurrency at a time.
func (m *Model) fetchElastic(seq stamp.Seq, jobs []tagJob) tea.Cmd {
	return func() tea.Msg {
		msg := elasticDetailsMsg{seq: seq, results: make([]detailResult, len(jobs))}
		each(len(jobs), func(i int) {
			j := jobs[i]
			ctx, cancel := m.ctx()
			defer cancel()
			c, err := j.client.ElasticCluster(ctx, j.arn)
			msg.results[i] = detailResult{row: j.row, arn: j.arn, c: c, err: err}
		})
		return msg
	}
}

// detailsArrived fills in the rows' details; a row whose fetch failed shows
// "?" until the next listing.
func (l *clusterList) detailsArrived(msg elasticDetailsMsg) {
	l.detailBusy = false
	for _, res := range msg.results {
		if int(res.row) >= len(l.rows) || l.rows[res.row].c.ARN != res.arn {
			continue
		}
		r := &l.rows[res.row]
		if res.err != nil {
			r.detailErr = res.err
			continue
		}
		r.c, r.detailErr = withDetail(r.c, sanitize.Cluster(res.c)), nil
	}
	if l.sortCol != noSort {
		l.setSort(l.sortCol, l.sortDesc) // a shard count may move a row
	}
}

// rowDetail records an elastic cluster's details read elsewhere (the
// cluster screen).
func (l *clusterList) rowDetail(sc *scope, id string, c awsclient.Cluster) {
	for i := range l.rows {
		if l.rows[i].same(sc, id) {
			l.rows[i].c, l.rows[i].detailErr = withDetail(l.rows[i].c, c), nil
			return
		}
	}
}

// withDetail is a listed elastic cluster (sanitized) with the details of
// detail (sanitized): what the listing said of its name, place and status
// stays, as the filter indexed them.
func withDetail(listed, detail awsclient.Cluster) awsclient.Cluster {
	detail.ID, detail.ARN, detail.Region, detail.Status = listed.ID, listed.ARN, listed.Region, listed.Status
	detail.Type, detail.Detailed = awsclient.TypeElastic, true
	return detail
}
