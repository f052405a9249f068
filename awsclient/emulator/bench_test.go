package emulator

import (
	"fmt"
	"net/http"
	"runtime"
	"testing"
)

// BenchmarkDescribeClustersFirstPage: the first page of DocumentDB clusters
// (engine=docdb, 100 records) of a large region, through ServeHTTP.
func BenchmarkDescribeClustersFirstPage(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			s, _ := newServer(b, GeneratedFleet(n), Options{})
			v := form("Action", "DescribeDBClusters", "Version", apiVersion, "MaxRecords", "100",
				"Filters.Filter.1.Name", "engine", "Filters.Filter.1.Values.Value.1", "docdb")
			b.ReportAllocs()
			for b.Loop() {
				if w := post(s, v); w.Code != http.StatusOK {
					b.Fatal(w.Body)
				}
			}
		})
	}
}

// BenchmarkDescribeClustersLastPage: a page deep in the region, reached by
// its marker, costs what the first does.
func BenchmarkDescribeClustersLastPage(b *testing.B) {
	s, _ := newServer(b, GeneratedFleet(100_000), Options{})
	v := form("Action", "DescribeDBClusters", "MaxRecords", "100",
		"Filters.Filter.1.Name", "engine", "Filters.Filter.1.Values.Value.1", "docdb")
	s.mu.RLock()
	v.Set("Marker", encodeMarker(s.world.clusters[len(s.world.clusters)-100].id))
	s.mu.RUnlock()
	b.ReportAllocs()
	for b.Loop() {
		if w := post(s, v); w.Code != http.StatusOK {
			b.Fatal(w.Body)
		}
	}
}

// BenchmarkLoad100k: generating and loading 100,000 clusters, and the heap
// they keep per cluster.
func BenchmarkLoad100k(b *testing.B) {
	const n = 100_000
	var kept uint64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		s := New(Options{})
		s.Load(GeneratedFleet(n))
		runtime.GC()
		runtime.ReadMemStats(&after)
		kept = after.HeapAlloc - before.HeapAlloc
		runtime.KeepAlive(s)
	}
	b.ReportMetric(float64(kept)/n, "heapB/cluster")
}
