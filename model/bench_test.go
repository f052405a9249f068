package model

import (
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// manyClusters is n clusters in one page.
func manyClusters(n int) *fakeClient {
	f := newFake()
	f.pageSize = n
	statuses := []string{"available", "available", "available", "backing-up", "stopped", "modifying"}
	for i := range n {
		id := fmt.Sprintf("team-%02d-orders-%06d-prod", i%97, i)
		f.clusters = append(f.clusters, awsclient.Cluster{ID: id, Engine: "docdb", EngineVersion: "5.0.0",
			Status: statuses[i%len(statuses)], StorageEncrypted: i%3 != 0, Created: t0.Add(-time.Duration(i) * time.Hour),
			Members: []awsclient.Member{{InstanceID: id + "-1", Writer: true}}})
	}
	return f
}

func loadedModel(b *testing.B, n, w, h int) *harness {
	b.Helper()
	hs := &harness{f: manyClusters(n), clock: emulator.NewClock(t0), timer: &timers{}}
	hs.m = New(Config{Client: hs.f, Now: hs.clock.Now, After: hs.timer.after})
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	hs.send(expand(hs.m.Init())...)
	if len(hs.m.list.rows) != n {
		b.Fatalf("%d rows loaded, want %d", len(hs.m.list.rows), n)
	}
	return hs
}

// BenchmarkClustersCursorMove is one keystroke to one frame on the clusters
// screen at 200x50: Update for a cursor move, then View. Its cost must not
// grow with the number of clusters (only the visible rows are drawn).
func BenchmarkClustersCursorMove(b *testing.B) {
	for _, n := range []int{10, 1_000, 100_000} {
		b.Run(strconv.Itoa(n), cursorMove(n))
	}
}

// cursorMove is BenchmarkClustersCursorMove at n clusters.
func cursorMove(n int) func(*testing.B) {
	return func(b *testing.B) {
		hs := loadedModel(b, n, 200, 50)
		hs.m.list.cur.Set(n / 2) // mid-list: the window scrolls
		keystrokes(b, hs, keyMsg("j"), keyMsg("k"))
	}
}

// BenchmarkFilterKeystroke is one keystroke in the filter at 100,000
// clusters, 200x50: typing a character (the matches narrow) and deleting
// it (a full search) in turn, each with its frame.
func BenchmarkFilterKeystroke(b *testing.B) {
	hs := loadedModel(b, 100_000, 200, 50)
	hs.press("/")
	hs.typeText("orders-0")
	keystrokes(b, hs, keyMsg("7"), keyMsg("backspace"))
}

// keystrokes measures Update and View for keys pressed in turn. The
// setup's garbage is collected first, so that no collection of it runs
// (and taxes the keystrokes' allocations) in the measured loop.
func keystrokes(b *testing.B, hs *harness, keys ...tea.KeyPressMsg) {
	b.ReportAllocs()
	runtime.GC()
	i := 0
	for b.Loop() {
		hs.m.Update(keys[i%len(keys)])
		_ = hs.m.View()
		i++
	}
}

// BenchmarkSortKeystroke is o at 100,000 clusters, 200x50: the next sort
// column, every row sorted again once (stable, the cursor kept), and its
// frame. A sort is paid per key press, never per frame.
func BenchmarkSortKeystroke(b *testing.B) {
	hs := loadedModel(b, 100_000, 200, 50)
	hs.m.list.cur.Set(50_000)
	keystrokes(b, hs, keyMsg("o"))
}

// BenchmarkClustersCursorMoveSortedFiltered is a cursor move at 100,000
// clusters sorted and filtered by a field: the same cost as unsorted.
func BenchmarkClustersCursorMoveSortedFiltered(b *testing.B) {
	hs := loadedModel(b, 100_000, 200, 50)
	hs.press("o", "o", "/")
	hs.typeText("status:avail orders")
	hs.press("enter")
	hs.m.list.cur.Set(hs.m.list.Len() / 2)
	keystrokes(b, hs, keyMsg("j"), keyMsg("k"))
}

// BenchmarkFilterKeystrokeFields is a keystroke in a filter with a field
// term at 100,000 clusters: narrowing as a word grows, then a full search.
func BenchmarkFilterKeystrokeFields(b *testing.B) {
	hs := loadedModel(b, 100_000, 200, 50)
	hs.press("/")
	hs.typeText("status:available orders-0")
	keystrokes(b, hs, keyMsg("7"), keyMsg("backspace"))
}

// snapsModel is a model on the snapshots view of n snapshots (a third of
// them automated, some in flight), listed a page of 100 at a time as AWS
// does, at w×h.
func snapsModel(b *testing.B, n, w, h int) *harness {
	b.Helper()
	f := newFake()
	statuses := []string{"available", "available", "available", "available", "copying", "creating"}
	for i := range n {
		cluster := fmt.Sprintf("team-%02d-orders-%04d", i%97, i%500)
		s := awsclient.Snapshot{ID: fmt.Sprintf("%s-snap-%06d", cluster, i), ClusterID: cluster, Type: awsclient.SnapshotManual,
			Status: statuses[i%len(statuses)], PercentProgress: i % 100, StorageEncrypted: i%2 == 0,
			Created: t0.Add(-time.Duration(i) * time.Hour)}
		if i%3 == 0 {
			s.ID, s.Type = "rds:"+s.ID, awsclient.SnapshotAutomated
		}
		f.snapshots[cluster] = append(f.snapshots[cluster], s)
	}
	hs := &harness{f: f, clock: emulator.NewClock(t0), timer: &timers{}}
	hs.m = New(Config{Client: hs.f, Now: hs.clock.Now, After: hs.timer.after})
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	hs.send(expand(hs.m.Init())...)
	hs.press("S")
	if len(hs.m.snaps.rows) != n || hs.m.snaps.loading {
		b.Fatalf("%d snapshots listed, want %d", len(hs.m.snaps.rows), n)
	}
	return hs
}

// BenchmarkSnapshotsCursorMove is one keystroke to one frame on the
// snapshots view of 10,000 snapshots at 200x50, mid-list: Update for a
// cursor move (the rows newly on screen get their share lists asked for),
// then View.
//
//	go test -run '^$' -bench 'SnapshotsCursorMove' ./model/
func BenchmarkSnapshotsCursorMove(b *testing.B) {
	hs := snapsModel(b, 10_000, 200, 50)
	hs.m.snaps.cur.Set(5_000)
	keystrokes(b, hs, keyMsg("j"), keyMsg("k"))
}

// BenchmarkSnapshotsFilterKeystroke is one keystroke in the snapshots
// view's filter at 10,000 snapshots, 200x50: a character typed (the
// matches narrow) and deleted (a full search), each with its frame.
//
//	go test -run '^$' -bench 'SnapshotsFilterKeystroke' ./model/
func BenchmarkSnapshotsFilterKeystroke(b *testing.B) {
	hs := snapsModel(b, 10_000, 200, 50)
	hs.press("/")
	hs.typeText("type:manual orders-0")
	keystrokes(b, hs, keyMsg("7"), keyMsg("backspace"))
}
