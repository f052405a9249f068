package emulator

import (
	"context"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestFaultSharesAreHonoured(t *testing.T) {
	const calls = 2000
	for _, f := range []Faults{{Throttle: 0.3}, {Server5xx: 0.2}, {Throttle: 0.5, Server5xx: 0.2}} {
		s, _ := newServer(t, DemoFleet(), Options{Faults: f, Seed: 3})
		codes := map[string]int{}
		for range calls {
			w := post(s, form("Action", "ListTagsForResource", "ResourceName", arnPrefix+"cluster:orders-prod"))
			switch w.Code {
			case http.StatusOK:
				codes["ok"]++
			case http.StatusBadRequest:
				codes[wantError(t, w, 400, "Throttling").Code]++
			case http.StatusInternalServerError:
				codes[wantError(t, w, 500, "InternalFailure").Code]++
			}
		}
		// Throttling is decided first; 5xx applies to the calls left.
		wantThrottle := f.Throttle
		want5xx := (1 - f.Throttle) * f.Server5xx
		for code, want := range map[string]float64{"Throttling": wantThrottle, "InternalFailure": want5xx} {
			if got := float64(codes[code]) / calls; math.Abs(got-want) > 0.04 {
				t.Errorf("%+v: %s for %.3f of calls, want about %.2f", f, code, got, want)
			}
		}
		if codes["ok"]+codes["Throttling"]+codes["InternalFailure"] != calls {
			t.Errorf("%+v: answers %v do not add up to %d", f, codes, calls)
		}
	}
}

func TestFaultsAreDeterministicForASeed(t *testing.T) {
	run := func(seed int64) string {
		s, _ := newServer(t, DemoFleet(), Options{Faults: Faults{Throttle: 0.5}, Seed: seed})
		var b strings.Builder
		for range 64 {
			b.WriteString(http.StatusText(post(s, form("Action", "DescribeDBClusters")).Code)[:1])
		}
		return b.String()
	}
	if a, b := run(9), run(9); a != b {
		t.Errorf("same seed, different faults:\n%s\n%s", a, b)
	}
	if run(9) == run(10) {
		t.Errorf("the seed does not change the faults")
	}
}

func TestFaultedCreateCreatesNothing(t *testing.T) {
	for _, f := range []Faults{{Throttle: 1}, {Server5xx: 1}} {
		s, _ := newServer(t, DemoFleet(), Options{Faults: f})
		w := post(s, form("Action", "CreateDBClusterSnapshot", "DBClusterIdentifier", "orders-prod", "DBClusterSnapshotIdentifier", "faulted"))
		if w.Code == http.StatusOK {
			t.Fatalf("%+v: create answered 200", f)
		}
		s.SetFaults(Faults{})
		wantError(t, post(s, form("Action", "DescribeDBClusterSnapshots", "DBClusterSnapshotIdentifier", "faulted")), 404, "DBClusterSnapshotNotFoundFault")
		// And the id is free: the retry succeeds.
		decode[createAnswer](t, post(s, form("Action", "CreateDBClusterSnapshot", "DBClusterIdentifier", "orders-prod", "DBClusterSnapshotIdentifier", "faulted")))
	}
}

// postLive sends a form over a real connection, with no connection reuse, so
// that a dropped one is seen as such.
func postLive(t *testing.T, url string, kv ...string) (*http.Response, error) {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Post(url, "application/x-www-form-urlencoded", strings.NewReader(form(kv...).Encode()))
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	return resp, err
}

func TestDropNextRunsTheActionThenDropsTheAnswer(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	ep, err := Listen("127.0.0.1:0", s)
	if err != nil {
		t.Fatal(err)
	}
	defer ep.Close()
	s.DropNext("CreateDBClusterSnapshot", 1)
	create := []string{"Action", "CreateDBClusterSnapshot", "DBClusterIdentifier", "orders-prod", "DBClusterSnapshotIdentifier", "dropped"}
	if resp, err := postLive(t, ep.URL, create...); err == nil {
		t.Fatalf("a dropped create got an answer: %s", resp.Status)
	}
	if resp, err := postLive(t, ep.URL, "Action", "DescribeDBClusterSnapshots", "DBClusterSnapshotIdentifier", "dropped"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("the dropped create did not create: %v %v", resp, err)
	}
	resp, err := postLive(t, ep.URL, create...) // the retry hears that it exists
	if err != nil || resp.StatusCode != 400 {
		t.Fatalf("retry: %v %v, want 400 DBClusterSnapshotAlreadyExistsFault", resp, err)
	}
	if n := s.Calls("CreateDBClusterSnapshot"); n != 2 {
		t.Errorf("Calls = %d, want 2", n)
	}
}

func TestDropShare(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{Faults: Faults{Drop: 0.25}, Seed: 5})
	ep, err := Listen("127.0.0.1:0", s)
	if err != nil {
		t.Fatal(err)
	}
	defer ep.Close()
	const calls = 300
	dropped := 0
	for range calls {
		if _, err := postLive(t, ep.URL, "Action", "DescribeDBClusters", "MaxRecords", "20"); err != nil {
			dropped++
		}
	}
	if got := float64(dropped) / calls; math.Abs(got-0.25) > 0.07 {
		t.Errorf("%.2f of calls dropped, want about 0.25", got)
	}
	if n := s.Calls("DescribeDBClusters"); n != calls {
		t.Errorf("Calls = %d, want %d", n, calls)
	}
}

func TestLatencyRespectsCancellation(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{Faults: Faults{Latency: time.Hour}})
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the client has given up
	r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/", strings.NewReader(form("Action", "CreateDBClusterSnapshot",
		"DBClusterIdentifier", "orders-prod", "DBClusterSnapshotIdentifier", "late").Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r) // returns at once, not in an hour
	if w.Body.Len() != 0 {
		t.Errorf("a canceled call was answered: %s", w.Body)
	}
	s.SetFaults(Faults{})
	wantError(t, post(s, form("Action", "DescribeDBClusterSnapshots", "DBClusterSnapshotIdentifier", "late")), 404, "DBClusterSnapshotNotFoundFault")

	s.SetFaults(Faults{Latency: 30 * time.Millisecond})
	start := time.Now()
	decode[clustersAnswer](t, post(s, form("Action", "DescribeDBClusters")))
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("answered after %v, want the latency of 30ms first", d)
	}
}

func TestRateLimitThrottlesTheCallsBeyondItEachSecond(t *testing.T) {
	s, clock := newServer(t, DemoFleet(), Options{Faults: Faults{RateLimit: 5}})
	call := func() *httptest.ResponseRecorder { return post(s, form("Action", "DescribeDBClusters")) }
	answered := func(n int) (ok, throttled int) {
		for range n {
			if w := call(); w.Code == http.StatusOK {
				ok++
			} else {
				wantError(t, w, 400, "Throttling")
				throttled++
			}
		}
		return ok, throttled
	}
	if ok, throttled := answered(8); ok != 5 || throttled != 3 || s.Throttled() != 3 {
		t.Fatalf("first second: %d answered, %d throttled (counter %d); want 5, 3", ok, throttled, s.Throttled())
	}
	clock.Advance(999 * time.Millisecond) // still the same second of the clock
	if ok, _ := answered(1); ok != 0 {
		t.Fatal("a throttled call made room in its second")
	}
	clock.Advance(time.Millisecond)
	if ok, throttled := answered(6); ok != 5 || throttled != 1 || s.Throttled() != 5 {
		t.Fatalf("next second: %d answered, %d throttled (counter %d); want 5, 1 and 5 in all", ok, throttled, s.Throttled())
	}
	s.SetFaults(Faults{})
	if ok, _ := answered(20); ok != 20 {
		t.Fatalf("without a limit: %d of 20 answered", ok)
	}
}
