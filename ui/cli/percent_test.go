package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// percentsSaid answers every request as next does, except that the
// snapshots named in said are described with that PercentProgress.
func percentsSaid(next http.Handler, said map[string]string) http.Handler {
	snapshot := regexp.MustCompile(`(?s)<DBClusterSnapshotIdentifier>([^<]*)</DBClusterSnapshotIdentifier>.*?<PercentProgress>\d+</PercentProgress>`)
	percent := regexp.MustCompile(`<PercentProgress>\d+</PercentProgress>`)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := snapshot.ReplaceAllStringFunc(rec.Body.String(), func(s string) string {
			p, ok := said[snapshot.FindStringSubmatch(s)[1]]
			if !ok {
				return s
			}
			return percent.ReplaceAllString(s, "<PercentProgress>"+p+"</PercentProgress>")
		})
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		w.Write([]byte(body))
	})
}

// TestPercentProgressIsClamped: a PercentProgress out of 0 to 100 is
// printed as the screens draw it, brought into 0 to 100 (ui.ClampPercent),
// in the JSON and in the table alike.
func TestPercentProgressIsClamped(t *testing.T) {
	e := newEndpoint(t, emulator.DemoFleet(), emulator.Options{})
	said := map[string]string{
		"rds:payments-prod-2026-11-29-00-30": "-5",
		"rds:payments-prod-2026-11-28-00-30": "250",
		"payments-prod-pre-migration":        "2147483647",
		"payments-prod-2024-q4-audit":        "37",
	}
	ep, err := emulator.Listen("127.0.0.1:0", percentsSaid(e.server, said))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ep.Close() })
	client, err := awsclient.NewLocal(awsclient.Options{EndpointURL: ep.URL, RetryMaxAttempts: 1, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		"rds:payments-prod-2026-11-29-00-30": 0,
		"rds:payments-prod-2026-11-28-00-30": 100,
		"rds:payments-prod-2026-11-27-00-30": 100, // as the endpoint said
		"payments-prod-pre-migration":        100,
		"payments-prod-2024-q4-audit":        37,
	}

	r := e.run(runOpts{client: client}, "snapshots", "payments-prod", "--output", "json")
	r.want(t, ExitOK)
	var got []Snapshot
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d snapshots:\n%s", len(got), r.stdout)
	}
	for _, s := range got {
		if w, ok := want[s.SnapshotID]; !ok || s.PercentProgress != w {
			t.Errorf("%s: percentProgress %d, want %d", s.SnapshotID, s.PercentProgress, w)
		}
	}

	r = e.run(runOpts{client: client}, "snapshots", "payments-prod")
	r.want(t, ExitOK)
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n")[1:] {
		id := strings.Fields(line)[0]
		if percent := strings.Fields(line)[3]; percent != strconv.Itoa(want[id])+"%" {
			t.Errorf("%s: the table shows %s, want %d%%", id, percent, want[id])
		}
	}

	// A snapshot being followed prints the same way.
	r = e.run(runOpts{client: client}, "snapshot", "wait", "payments-prod-pre-migration", "--output", "json")
	r.want(t, ExitOK)
	if !strings.Contains(r.stdout, `"percentProgress": 100,`) {
		t.Errorf("snapshot wait --output json:\n%s", r.stdout)
	}
}
