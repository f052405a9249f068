package awsclient_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// pagedFleet is 45 DocumentDB clusters, the first with 45 instances and 45
// snapshots, and 45 global clusters: three pages of 20 of each listing.
func pagedFleet() emulator.Fleet {
	var f emulator.Fleet
	for i := range 45 {
		f.Clusters = append(f.Clusters, emulator.ClusterSpec{ID: fmt.Sprintf("c%02d", i), Engine: awsclient.Engine,
			EngineVersion: "5.0.0", Status: "available", StorageGiB: 10})
	}
	big := &f.Clusters[0]
	for i := range 45 {
		big.Instances = append(big.Instances, emulator.InstanceSpec{ID: fmt.Sprintf("c00-%02d", i), Class: "db.r6g.large", Writer: i == 0})
		big.Snapshots = append(big.Snapshots, emulator.SnapshotSpec{ID: fmt.Sprintf("s%02d", i), Type: awsclient.SnapshotManual})
		f.Globals = append(f.Globals, emulator.GlobalClusterSpec{ID: fmt.Sprintf("g%02d", i), Engine: awsclient.Engine, EngineVersion: "5.0.0"})
	}
	return f
}

// TestBrokenPagingStops: every listing, against an endpoint that never
// ends it (a repeated marker, the same rows under new markers, new rows
// for ever, a marker of a MiB, of 3 MiB, past what the fast decoder of
// DescribeDBClusters reads, a page over the cap on answers), stops where
// the page guard says, with a
// PagingError that says why, the rows read listed once each, and no call
// after the stop. The endpoint ends its listings after 50 pages, so that a
// client that would never stop fails here instead of hanging.
func TestBrokenPagingStops(t *testing.T) {
	t.Parallel()
	listings := []struct {
		action string
		list   func(c *awsclient.SDK) ([]string, error)
	}{
		{"DescribeDBClusters", func(c *awsclient.SDK) ([]string, error) {
			return ids(awsclient.All(context.Background(), c.Clusters()))(func(c awsclient.Cluster) string { return c.ID })
		}},
		{"DescribeDBClusterSnapshots", func(c *awsclient.SDK) ([]string, error) {
			return ids(awsclient.All(context.Background(), c.Snapshots("c00")))(func(s awsclient.Snapshot) string { return s.ID })
		}},
		{"DescribeDBInstances", func(c *awsclient.SDK) ([]string, error) {
			return ids(awsclient.All(context.Background(), c.Instances("c00")))(func(i awsclient.Instance) string { return i.ID })
		}},
		{"DescribeGlobalClusters", func(c *awsclient.SDK) ([]string, error) {
			return ids(awsclient.All(context.Background(), c.GlobalClusters()))(func(g awsclient.GlobalCluster) string { return g.ID })
		}},
	}
	faults := []struct {
		name               string
		b                  emulator.BrokenPaging
		pageCap            int64 // 0: MaxPageBytes
		calls, pages, rows int
		why                awsclient.PagingReason
	}{
		{"repeated marker", emulator.BrokenPaging{Marker: "again"}, 0, 2, 2, 40, awsclient.MarkerRepeated},
		{"same rows, new markers", emulator.BrokenPaging{Restart: true}, 0, 2, 2, 20, awsclient.NoNewRows},
		{"new rows for ever", emulator.BrokenPaging{Restart: true, Rename: true}, 0, 5, 5, 100, awsclient.TooManyPages},
		{"marker of a MiB", emulator.BrokenPaging{Marker: strings.Repeat("m", 1<<20)}, 0, 1, 1, 20, awsclient.MarkerTooLong},
		{"marker of 3 MiB", emulator.BrokenPaging{Marker: strings.Repeat("m", 3<<20)}, 0, 1, 1, 20, awsclient.MarkerTooLong},
		// Read no further than the cap (lowered from MaxPageBytes, which
		// takes seconds to read under -race): the page itself is refused.
		{"page over the cap", emulator.BrokenPaging{Marker: strings.Repeat("m", 100<<10)}, 64 << 10, 1, 0, 0, awsclient.PageTooLarge},
	}
	for _, l := range listings {
		for _, f := range faults {
			t.Run(l.action+"/"+f.name, func(t *testing.T) {
				t.Parallel()
				f.b.Limit = 50
				srv, url := startEmulator(t, emulator.Options{}, pagedFleet(), func(h http.Handler) http.Handler { return f.b.Wrap(h) })
				c := newClient(t, url, func(o *awsclient.Options) { o.PageSize = 20 })
				c.SetMaxPages(5)
				if f.pageCap > 0 {
					c.SetMaxPageBytes(f.pageCap)
				}
				got, err := l.list(c)
				e := wantKind(t, err, awsclient.KindPaging, "")
				var pe *awsclient.PagingError
				if !errors.As(err, &pe) || pe.Reason != f.why || pe.Pages != f.pages || pe.Rows != f.rows {
					t.Fatalf("%v (%+v): want reason %v after %d pages, %d rows", err, pe, f.why, f.pages, f.rows)
				}
				if len(got) != f.rows {
					t.Fatalf("%d rows listed, want %d", len(got), f.rows)
				}
				seen := map[string]bool{}
				for _, id := range got {
					if seen[id] {
						t.Fatalf("%s listed twice", id)
					}
					seen[id] = true
				}
				if calls := srv.Calls(l.action); calls != f.calls {
					t.Fatalf("%d calls of %s, want %d", calls, l.action, f.calls)
				}
				if len(e.Sentence()) > 200 {
					t.Fatalf("sentence of %d bytes: %.300s", len(e.Sentence()), e.Sentence())
				}
			})
		}
	}
}

// ids maps a listing's rows to their identifiers.
func ids[T any](rows []T, err error) func(func(T) string) ([]string, error) {
	return func(id func(T) string) ([]string, error) {
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = id(r)
		}
		return out, err
	}
}

// TestAnswerTooLarge: a describe of one snapshot whose answer is longer
// than the cap is read no further, and says why.
func TestAnswerTooLarge(t *testing.T) {
	t.Parallel()
	const limit = 64 << 10
	_, url := startEmulator(t, emulator.Options{}, emulator.Fleet{}, func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/xml")
			io.WriteString(w, `<DescribeDBClusterSnapshotsResponse><DescribeDBClusterSnapshotsResult><Marker>`)
			w.Write(bytes.Repeat([]byte("m"), 2*limit))
			io.WriteString(w, `</Marker><DBClusterSnapshots></DBClusterSnapshots></DescribeDBClusterSnapshotsResult></DescribeDBClusterSnapshotsResponse>`)
		})
	})
	c := newClient(t, url)
	c.SetMaxPageBytes(limit)
	_, err := c.Snapshot(context.Background(), "s1")
	e := wantKind(t, err, awsclient.KindPaging, "describe snapshot")
	if !strings.HasPrefix(e.Sentence(), "The endpoint sent an answer of more than ") {
		t.Fatalf("sentence %q", e.Sentence())
	}
}
