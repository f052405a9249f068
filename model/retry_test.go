package model

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
)

// flaky is a fake whose cluster listing fails on one page with the errors
// queued for it, one a call, then succeeds.
type flaky struct {
	*fakeClient
	mu     sync.Mutex
	failAt int     // the page (0-based) that fails
	errs   []error // its failures, in order
}

func (f *flaky) fail(page int, errs ...error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failAt, f.errs = page, append(f.errs, errs...)
}

func (f *flaky) Clusters() awsclient.Pages[awsclient.Cluster] {
	return &flakyPages{Pages: f.fakeClient.Clusters(), f: f}
}

type flakyPages struct {
	awsclient.Pages[awsclient.Cluster]
	f    *flaky
	page int
}

func (p *flakyPages) Next(ctx context.Context) ([]awsclient.Cluster, error) {
	p.f.mu.Lock()
	if p.page == p.f.failAt && len(p.f.errs) > 0 {
		err := p.f.errs[0]
		p.f.errs = p.f.errs[1:]
		p.f.mu.Unlock()
		p.f.count("DescribeDBClusters")
		return nil, err
	}
	p.f.mu.Unlock()
	items, err := p.Pages.Next(ctx)
	if err == nil {
		p.page++
	}
	return items, err
}

var throttled = &awsclient.Error{Kind: awsclient.KindThrottled, Op: "list clusters", Code: "Throttling", Message: "Rate exceeded"}

// TestListRetriesWhatMayPass: a page that fails in a way that may pass (after
// the client's own retries) is asked again by itself after a pause that
// doubles, the screen saying so with a countdown; the rows already listed
// stay; when it passes the listing goes on from that page.
func TestListRetriesWhatMayPass(t *testing.T) {
	f := &flaky{fakeClient: populated()}
	f.pageSize = 3
	f.fail(1, throttled, &awsclient.Error{Kind: awsclient.KindServerError, Op: "list clusters", Code: "InternalFailure"})
	hs := newHarness(t, f.fakeClient, 110, 20, func(c *Config) { c.Client = f })

	d := hs.timer.lastDelay()
	retries := take[listRetryMsg](hs.timer)
	if len(retries) != 1 || d != 4*time.Second {
		t.Fatalf("%d retries scheduled after a throttled page, the first in %v", len(retries), d)
	}
	scr := hs.screen()
	if !strings.Contains(scr, "AWS is throttling; retrying in 4s (r retries now)") || !strings.Contains(scr, "orders-prod") {
		t.Fatalf("the first page's rows and the retry notice are not both shown:\n%s", scr)
	}
	if !hs.m.list.loading {
		t.Fatal("the listing is not going on")
	}
	hs.clock.Advance(1500 * time.Millisecond)
	if scr := hs.screen(); !strings.Contains(scr, "retrying in 3s") {
		t.Fatalf("the countdown did not move:\n%s", scr)
	}

	// The retry fails again, with a 5xx: the pause doubles.
	hs.clock.Advance(2500 * time.Millisecond)
	before := f.Calls("DescribeDBClusters")
	hs.send(retries[0])
	if f.Calls("DescribeDBClusters") != before+1 {
		t.Fatal("the retry did not ask for the page again")
	}
	retries = take[listRetryMsg](hs.timer)
	if len(retries) != 1 || !strings.Contains(hs.screen(), "AWS had an internal error; retrying in 8s") {
		t.Fatalf("after a second failure:\n%s", hs.screen())
	}
	hs.send(retries[0])
	hs.send(retries[0]) // a duplicate does nothing
	if len(hs.m.list.rows) != 7 || hs.m.list.loading || hs.m.list.err != nil || strings.Contains(hs.screen(), "retrying") {
		t.Fatalf("after the retry passed: %d rows, loading %v, err %v\n%s", len(hs.m.list.rows), hs.m.list.loading, hs.m.list.err, hs.screen())
	}
	if n := f.Calls("DescribeDBClusters"); n != before+3 {
		t.Fatalf("%d page calls after the retries, want %d (the failed page again, then the last)", n, before+3)
	}
}

// TestListRetryRNow: r during the pause lists again at once; the pending
// retry is then stale. A failure that will not pass is not retried.
func TestListRetryRNow(t *testing.T) {
	f := &flaky{fakeClient: populated()}
	f.fail(0, &awsclient.Error{Kind: awsclient.KindUnreachable, Op: "list clusters"})
	hs := newHarness(t, f.fakeClient, 110, 20, func(c *Config) { c.Client = f })
	scr := hs.screen()
	if !strings.Contains(scr, "Listing DocumentDB clusters") ||
		!strings.Contains(scr, "The DocumentDB endpoint could not be reached, or it closed the connection; retrying in 4s") {
		t.Fatalf("an empty list waiting to retry does not say so:\n%s", scr)
	}
	stale := take[listRetryMsg](hs.timer)
	hs.press("r")
	if len(hs.m.list.rows) != 7 || hs.m.list.loading {
		t.Fatalf("r did not list at once: %d rows", len(hs.m.list.rows))
	}
	calls := f.Calls("DescribeDBClusters")
	for _, r := range stale {
		hs.send(r)
	}
	if f.Calls("DescribeDBClusters") != calls {
		t.Fatal("a retry of a listing r replaced asked again")
	}

	f.fail(0, &awsclient.Error{Kind: awsclient.KindAccessDenied, Op: "list clusters", Code: "AccessDenied"})
	hs.press("r")
	if got := take[listRetryMsg](hs.timer); len(got) != 0 || hs.m.list.loading || !strings.Contains(hs.screen(), "Access denied") {
		t.Fatalf("a refusal was retried (%d) or not shown:\n%s", len(got), hs.screen())
	}
}

// TestListRetryPausesCap: the pause doubles up to a minute and retrying goes
// on for as long as the failure may pass.
func TestListRetryPausesCap(t *testing.T) {
	f := &flaky{fakeClient: populated()}
	for range 8 {
		f.fail(0, throttled)
	}
	hs := newHarness(t, f.fakeClient, 110, 20, func(c *Config) { c.Client = f })
	var pauses []time.Duration
	for range 8 {
		pauses = append(pauses, hs.timer.lastDelay())
		r := take[listRetryMsg](hs.timer)
		if len(r) != 1 {
			t.Fatalf("after %d failures no retry is scheduled", len(pauses))
		}
		hs.send(r[0])
	}
	want := []time.Duration{4, 8, 16, 32, 60, 60, 60, 60}
	for i := range want {
		if pauses[i] != want[i]*time.Second {
			t.Fatalf("pauses %v, want %v seconds", pauses, want)
		}
	}
	if len(hs.m.list.rows) != 7 {
		t.Fatalf("%d rows once it passed", len(hs.m.list.rows))
	}
}

// lastDelay is the delay of the last retry scheduled, 0 when none is.
func (t *timers) lastDelay() time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := len(t.got) - 1; i >= 0; i-- {
		if _, ok := t.got[i].msg.(listRetryMsg); ok {
			return t.got[i].d
		}
	}
	return 0
}

// TestGoldenListRetrying: the rows listed so far, and the line saying the
// next page is retried and when, at a narrow and a wide size.
func TestGoldenListRetrying(t *testing.T) {
	for _, size := range [][2]int{{60, 12}, {110, 14}} {
		t.Run(strconv.Itoa(size[0])+"x"+strconv.Itoa(size[1]), func(t *testing.T) {
			f := &flaky{fakeClient: populated()}
			f.pageSize = 3
			f.fail(1, throttled)
			hs := newHarness(t, f.fakeClient, size[0], size[1], func(c *Config) { c.Client = f })
			goldenView(t, hs.m)
		})
	}
}
