package model

import (
	"reflect"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
)

// rowNamed is the listed row of cluster id.
func rowNamed(t *testing.T, m *Model, id string) (int, row) {
	for i, r := range m.list.rows {
		if r.id == id {
			return i, r
		}
	}
	if t != nil {
		t.Fatalf("no row %s", id)
	}
	return 0, row{}
}

// TestStaleAnswersAreDropped: for each kind of request, an answer to one
// that a newer request replaced changes nothing and asks for nothing, while
// the answer to the newer one is taken.
func TestStaleAnswersAreDropped(t *testing.T) {
	cases := []struct {
		name string
		opts []appOption
		// answers makes a request of one kind twice, the first replaced by
		// the second, and returns their answers.
		answers func(t *testing.T, hs *harness) (stale, fresh []tea.Msg)
		// taken is what taking an answer of the kind changes.
		taken func(m *Model) any
		// after checks the model once the stale answers are delivered.
		after func(t *testing.T, m *Model)
	}{{
		name: "listing pages and global clusters",
		answers: func(_ *testing.T, hs *harness) (stale, fresh []tea.Msg) {
			first := hs.m.list.start(hs.m)
			return expand(first), expand(hs.m.list.start(hs.m))
		},
		taken: func(m *Model) any {
			return []any{m.list.loading, m.list.regions[0].state, m.list.globalWaiting}
		},
	}, {
		name: "a failed page asked again",
		answers: func(_ *testing.T, hs *harness) (stale, fresh []tea.Msg) {
			hs.f.mu.Lock()
			hs.f.listErr = &awsclient.Error{Kind: awsclient.KindThrottled, Op: "list clusters"}
			hs.f.mu.Unlock()
			hs.run(hs.m.list.start(hs.m))
			old := take[listRetryMsg](hs.timer)
			hs.run(hs.m.list.start(hs.m)) // fails again: a retry of its own waits
			for _, msg := range old {
				stale = append(stale, msg)
			}
			for _, msg := range take[listRetryMsg](hs.timer) {
				fresh = append(fresh, msg)
			}
			return stale, fresh
		},
		taken: func(m *Model) any { return m.list.regions[0].state },
	}, {
		name: "tags for a tag: filter",
		answers: func(t *testing.T, hs *harness) (stale, fresh []tea.Msg) {
			i, _ := rowNamed(t, hs.m, "orders-prod")
			hs.m.list.tagQueue = []int32{int32(i)}
			first := hs.m.list.nextTags(hs.m)
			hs.run(hs.m.list.start(hs.m)) // the row indexes of first mean nothing now
			hs.m.list.tagBusy = false     // as if first had answered, to ask again
			hs.m.list.tagQueue = []int32{int32(i)}
			second := hs.m.list.nextTags(hs.m)
			hs.m.list.tagBusy = true
			return expand(first), expand(second)
		},
		taken: func(m *Model) any {
			_, r := rowNamed(nil, m, "orders-prod")
			return r.tagsKnown
		},
		// A stale chunk still frees the fetcher for the next one.
		after: func(t *testing.T, m *Model) {
			if m.list.tagBusy {
				t.Error("the stale chunk left the tag fetcher busy")
			}
		},
	}, {
		name: "the cluster screen's instances, snapshots and tags",
		answers: func(t *testing.T, hs *harness) (stale, fresh []tea.Msg) {
			_, r := rowNamed(t, hs.m, "orders-prod")
			first := hs.m.openDetail(r)
			return expand(first), expand(hs.m.openDetail(r))
		},
		taken: func(m *Model) any {
			return []any{m.detail.instLoading, m.detail.snapLoading, m.detail.tagLoading}
		},
	}, {
		name: "a create",
		answers: func(_ *testing.T, hs *harness) (stale, fresh []tea.Msg) {
			hs.f.mu.Lock()
			hs.f.createErr = &awsclient.Error{Kind: awsclient.KindServerError, Op: "create snapshot", Code: "InternalFailure"}
			hs.f.mu.Unlock()
			hs.press("s", "enter")
			_, first := hs.m.Update(keyMsg("enter"))
			stale = expand(first)
			hs.send(stale...) // taken: the form again, with the error
			hs.f.mu.Lock()
			hs.f.createErr = nil
			hs.f.mu.Unlock()
			_, second := hs.m.Update(keyMsg("ctrl+r"))
			return stale, expand(second)
		},
		taken: func(m *Model) any { return m.flow.submitting },
	}, {
		name: "a protection check",
		answers: func(_ *testing.T, hs *harness) (stale, fresh []tea.Msg) {
			_, first := hs.m.Update(keyMsg("s")) // the form of orders-prod reads its tags
			hs.press("esc")
			_, second := hs.m.Update(keyMsg("s"))
			return expand(first), expand(second)
		},
		taken: func(m *Model) any { return m.flow.guard.known },
	}, {
		name: "a switch",
		opts: []appOption{func(c *Config) {
			acc := &accounts{clients: map[[2]string]*fakeClient{{"ops", "us-east-1"}: c.Client.(*fakeClient)}}
			withConnect(acc)(c)
		}},
		answers: func(_ *testing.T, hs *harness) (stale, fresh []tea.Msg) {
			first := hs.m.switchTo("ops", nil, "profile ops")
			return expand(first), expand(hs.m.switchTo("ops", nil, "profile ops"))
		},
		taken: func(m *Model) any { return m.switching },
	}, {
		name: "a --watch lookup",
		answers: func(_ *testing.T, hs *harness) (stale, fresh []tea.Msg) {
			first := hs.m.startWatch("nope")
			return expand(first), expand(hs.m.startWatch("nope"))
		},
		taken: func(m *Model) any { return m.progress.lookup.left },
	}, {
		name: "the spinner",
		answers: func(_ *testing.T, hs *harness) (stale, fresh []tea.Msg) {
			stale = []tea.Msg{spinMsg{seq: hs.m.spinSeq.Next()}}
			return stale, []tea.Msg{spinMsg{seq: hs.m.spinSeq.Next()}}
		},
		taken: func(m *Model) any { return m.frame },
	}, {
		name: "the clock",
		answers: func(_ *testing.T, hs *harness) (stale, fresh []tea.Msg) {
			hs.m.progress.ticking = true
			stale = []tea.Msg{clockMsg{seq: hs.m.progress.clockSeq.Next()}}
			return stale, []tea.Msg{clockMsg{seq: hs.m.progress.clockSeq.Next()}}
		},
		taken: func(m *Model) any { return m.progress.ticking },
	}, {
		name: "a poll",
		answers: func(t *testing.T, hs *harness) (stale, fresh []tea.Msg) {
			_, r := rowNamed(t, hs.m, "orders-prod")
			hs.run(hs.m.openDetail(r)) // follows the snapshot it finds being created
			for _, msg := range take[pollMsg](hs.timer) {
				stale = append(stale, msg)
			}
			seq, ok := r.sc.tracker.Now("orders-prod")
			if !ok {
				t.Fatal("no poll loop to restart")
			}
			return stale, []tea.Msg{pollMsg{sc: r.sc, cluster: "orders-prod", seq: seq}}
		},
		taken: func(m *Model) any { return m.active[0].tracker.Calling() },
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hs := newHarness(t, populated(), 100, 20, c.opts...)
			stale, fresh := c.answers(t, hs)
			if len(stale) == 0 {
				t.Fatal("no stale answer to deliver")
			}
			for _, msg := range stale {
				before := c.taken(hs.m)
				if cmd := hs.m.update(msg); cmd != nil {
					t.Errorf("a stale %T asked for a command", msg)
				}
				if after := c.taken(hs.m); !reflect.DeepEqual(before, after) {
					t.Errorf("a stale %T was taken: %v became %v", msg, before, after)
				}
			}
			if c.after != nil {
				c.after(t, hs.m)
			}
			before := c.taken(hs.m)
			for _, msg := range fresh {
				hs.m.update(msg)
			}
			if after := c.taken(hs.m); reflect.DeepEqual(before, after) {
				t.Errorf("the answer to the latest request changed nothing (%v)", after)
			}
		})
	}
}
