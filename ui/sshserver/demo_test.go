package sshserver

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

func demoBackend() Backend {
	return DemoWorlds(emulator.Options{}, emulator.DemoFleet)
}

func TestDemoWorldsAreIsolated(t *testing.T) {
	ctx := t.Context()
	open := demoBackend()
	a, _, err := open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	in := awsclient.CreateSnapshotInput{ClusterID: "orders-prod", SnapshotID: "visitor-a"}
	if _, err := a.CreateSnapshot(ctx, in); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Snapshot(ctx, "visitor-a"); err != nil {
		t.Errorf("world A does not see its own snapshot: %v", err)
	}
	_, err = b.Snapshot(ctx, "visitor-a")
	var e *awsclient.Error
	if !errors.As(err, &e) || e.Kind != awsclient.KindSnapshotNotFound {
		t.Errorf("world B describing A's snapshot: %v, want not found", err)
	}
	// The same identifier is free in B: each world has its own namespace
	// and quota.
	if _, err := b.CreateSnapshot(ctx, in); err != nil {
		t.Errorf("world B creating the same identifier: %v", err)
	}
}

// BenchmarkDemoWorld compares the two ways of serving a session's world:
// in-process through emulator.InProcess (what DemoWorlds does) and over a
// loopback listener. Each iteration opens a world and lists its clusters.
func BenchmarkDemoWorld(b *testing.B) {
	ctx := context.Background()
	for _, mode := range []string{"in-process", "loopback"} {
		b.Run(mode, func(b *testing.B) {
			var keep []any
			before := heapInUse()
			g0 := runtime.NumGoroutine()
			for b.Loop() {
				world := emulator.New(emulator.Options{})
				world.Load(emulator.DemoFleet())
				var c awsclient.Client
				var err error
				if mode == "in-process" {
					c, err = world.InProcessClient(demoHost, awsclient.Options{})
				} else {
					ep, lerr := emulator.Listen("127.0.0.1:0", world)
					if lerr != nil {
						b.Fatal(lerr)
					}
					b.Cleanup(func() { ep.Close() })
					c, err = localClient(ep.URL)
				}
				if err != nil {
					b.Fatal(err)
				}
				if _, err := awsclient.All(ctx, c.Clusters()); err != nil {
					b.Fatal(err)
				}
				keep = append(keep, c, world)
			}
			b.ReportMetric(float64(heapInUse()-before)/float64(b.N)/1024, "KiB/world")
			b.ReportMetric(float64(runtime.NumGoroutine()-g0)/float64(b.N), "goroutines/world")
			runtime.KeepAlive(keep)
		})
	}
}

// heapInUse is the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func TestDemoSessionsDoNotSeeEachOther(t *testing.T) {
	h := start(t, Config{Demo: true, Backend: demoBackend(), NewApp: realApp})
	// Any key is admitted to a demo.
	a := openTUI(t, h.dialKey(t, "ann", newKey(t, "ann")), 100, 30)
	b := openTUI(t, h.dialKey(t, "ben", newKey(t, "ben")), 100, 30)
	h.screens.waitScreen(t, "ann", "orders-prod")
	h.screens.waitScreen(t, "ben", "orders-prod")
	createSnapshot(t, h, a, "ann")
	// Ben's world does not have Ann's snapshot: not in the cluster's
	// snapshots, and its identifier is free there.
	b.press(t, "\r")
	h.screens.waitScreen(t, "ben", "Snapshots", "analytics-events-schema-v2")
	if strings.Contains(h.screens.get("ben"), suggestedID) {
		t.Errorf("ben sees ann's snapshot:\n%s", h.screens.get("ben"))
	}
	b.press(t, "\x1b")
	h.screens.waitScreen(t, "ben", "IDENTIFIER")
	createSnapshot(t, h, b, "ben")
	for _, u := range []string{"ann", "ben"} {
		r := h.logs.waitRecord(t, u+"'s audit record", msgIs("snapshot create", "user", u))
		if r["outcome"] != "submitted" || r["demo"] != true || r["role"] != "demo" {
			t.Errorf("audit record %v", r)
		}
	}
}
