package model

import (
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/filter"
	"github.com/docsnap/docsnap/ui/sanitize"
)

func filterTags(tags []awsclient.Tag) []filter.Tag {
	out := make([]filter.Tag, len(tags))
	for i, t := range tags {
		out[i] = filter.Tag{Key: t.Key, Value: t.Value}
	}
	return out
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
	if order := l.order.Sorted(); order != nil {
		for _, i := range order {
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
