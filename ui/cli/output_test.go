package cli

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// TestClustersJSONIsWriteJSON: the JSON `docsnap clusters` writes one
// element at a time is byte for byte what encoding/json writes for the whole
// array, for the demo and a generated fleet as listed, and for strings the
// sanitizer would not let through.
func TestClustersJSONIsWriteJSON(t *testing.T) {
	var docs []Cluster
	for _, fleet := range []emulator.Fleet{emulator.DemoFleet(), emulator.GeneratedFleet(300)} {
		e := newEndpoint(t, fleet, emulator.Options{})
		clusters, err := awsclient.All(context.Background(), e.client.Clusters())
		if err != nil {
			t.Fatal(err)
		}
		globals, err := awsclient.All(context.Background(), e.client.GlobalClusters())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range clusters {
			docs = append(docs, clusterJSON(c, awsclient.Memberships(globals)))
		}
	}
	for _, v := range []string{`a"b\c`, `say "hi"`, `back\slash`, "<&>", "tab\tnl\ncr\r", "ctl\x00\x1f\x7f", "ünï 雪 🚀", "bad\xff\xc3", "\u2028\u2029", ""} {
		docs = append(docs, Cluster{ClusterID: v, ARN: v, Status: v, Engine: v, EngineVersion: v, Endpoint: v,
			ReaderEndpoint: v, BackupWindow: v, Region: v, Port: -1, Members: []Member{{InstanceID: v}, {InstanceID: v, Writer: true}},
			Created: Time(time.Date(2024, 5, 1, 12, 34, 56, 789, time.FixedZone("x", 3600))), GlobalClusterID: &v, GlobalRole: &v})
	}
	docs = append(docs, Cluster{}, Cluster{Members: []Member{}})

	for _, list := range [][]Cluster{docs, docs[:1], {}, nil} {
		var got, want bytes.Buffer
		if err := writeClustersJSON(&got, list); err != nil {
			t.Fatal(err)
		}
		if err := writeJSON(&want, list); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			g, w := got.Bytes(), want.Bytes()
			i := 0
			for i < min(len(g), len(w)) && g[i] == w[i] {
				i++
			}
			t.Fatalf("%d clusters: the JSON differs at byte %d:\n got …%q\nwant …%q", len(list), i,
				g[max(0, i-60):min(len(g), i+60)], w[max(0, i-60):min(len(w), i+60)])
		}
	}
}
