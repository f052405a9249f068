package model

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
	fleets "github.com/docsnap/docsnap/model/fleet"
)

// TestFleetUnderFaultsMakesOneSnapshotEach: under throttling, 5xx and
// dropped answers, through the real SDK and the local endpoint, N marked
// clusters get exactly N snapshots, each reaching 100%; the failed creates
// retried with r never add one.
func TestFleetUnderFaultsMakesOneSnapshotEach(t *testing.T) {
	const n = 6
	s := newStack(t, docdbFleet(n), stackOpts{emulator: emulator.Options{Faults: hostileNetwork, Seed: 9,
		SnapshotDuration: time.Minute}, wrap: refuseOnce("svc-0003"), model: []appOption{func(c *Config) { c.Concurrency = 2 }}})
	s.loadedThroughFaults()
	s.world.DropNext("CreateDBClusterSnapshot", 3) // the first create's every attempt: its answer lost

	s.press("ctrl+a", "s")
	var typing bool
	s.await("the fleet form, checked", func(m *Model) bool {
		typing = len(m.fleet.protected) > 0
		return m.screen == screenFleet && !m.fleet.checking
	})
	s.press("enter")
	s.await("the confirmation", func(m *Model) bool { return m.fleet.stage == fleetConfirm })
	if typing { // tags that could not be read through the faults count as protected
		s.typeText(strconv.Itoa(n))
	}
	s.press("enter")
	s.await("sending", func(m *Model) bool { return m.fleet.stage == fleetProgress })

	retries, maxOnWire := 0, 0
	for step := 0; ; step++ {
		var sum fleets.Summary
		var scr string
		var waits []scheduled
		s.await("the batch settled or waiting", func(m *Model) bool {
			onWire := 0
			for _, r := range m.fleet.batch.Rows(m.cfg.Now()) {
				if r.Status == fleets.StatusSending {
					onWire++
				}
			}
			maxOnWire = max(maxOnWire, onWire)
			sum = m.fleet.batch.Summary(m.cfg.Now())
			scr = ansiFree(m)
			if onWire > 0 || m.calling() {
				return false
			}
			s.timer.mu.Lock()
			defer s.timer.mu.Unlock()
			for _, sc := range s.timer.got {
				switch sc.msg.(type) {
				case pollMsg, fleetTickMsg:
					waits = append(waits, sc)
				}
			}
			return sum.Done || len(waits) > 0
		})
		if strings.Contains(scr, "already exists") {
			t.Fatalf("a false already-exists:\n%s", scr)
		}
		if sum.Done && sum.Failed == 0 {
			break
		}
		if step > 400 || retries > 20 {
			t.Fatalf("the batch never ended: %+v\n%s", sum, scr)
		}
		if sum.Done {
			retries++
			s.press("r")
			continue
		}
		got := append(due[pollMsg](s.timer), due[fleetTickMsg](s.timer)...)
		next := got[0].d
		for _, g := range got {
			next = min(next, g.d)
		}
		s.clock.Advance(max(next, 0))
		for _, g := range got {
			s.tm.Send(g.msg)
		}
	}
	if retries == 0 {
		t.Error("the refused create was never retried with r")
	}
	if maxOnWire > 2 {
		t.Errorf("%d creates on the wire at once, with a concurrency of 2", maxOnWire)
	}
	s.await("each at 100%", func(m *Model) bool {
		for _, r := range m.fleet.batch.Rows(m.cfg.Now()) {
			if r.Percent != 100 || r.Status != fleets.StatusAvailable {
				t.Errorf("%s ended %s at %d%%", r.Item.ID, r.Status, r.Percent)
			}
		}
		return true
	})

	s.world.SetFaults(emulator.Faults{})
	var made []string
	for i := range n {
		snaps, err := awsclient.All(context.Background(), s.client.Snapshots("svc-000"+strconv.Itoa(i)))
		if err != nil {
			t.Fatal(err)
		}
		for _, sn := range snaps {
			if sn.Type == awsclient.SnapshotManual {
				made = append(made, sn.ClusterID)
			}
		}
	}
	slices.Sort(made)
	if len(made) != n || len(slices.Compact(slices.Clone(made))) != n {
		t.Fatalf("manual snapshots at the endpoint, by cluster: %v; want exactly one for each of %d", made, n)
	}
	t.Logf("%d creates asked by the model, %d reached the endpoint; %d rounds of r", s.client.creates.Load(),
		s.world.Calls("CreateDBClusterSnapshot"), retries)
}

// refuseOnce answers the first create of cluster with AWS's refusal
// (SnapshotQuotaExceeded, which no retry passes) without making it.
func refuseOnce(cluster string) func(http.Handler) http.Handler {
	var done atomic.Bool
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			q, _ := url.ParseQuery(string(body))
			if q.Get("Action") == "CreateDBClusterSnapshot" && q.Get("DBClusterIdentifier") == cluster && done.CompareAndSwap(false, true) {
				w.Header().Set("Content-Type", "text/xml")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = io.WriteString(w, `<ErrorResponse><Error><Type>Sender</Type><Code>SnapshotQuotaExceeded</Code>`+
					`<Message>Cannot create more than 100 manual snapshots.</Message></Error><RequestId>1</RequestId></ErrorResponse>`)
				return
			}
			h.ServeHTTP(w, r)
		})
	}
}

func TestGoldenFleet(t *testing.T) {
	t.Run("form_too_long", func(t *testing.T) {
		f := populated()
		long := f.clusters[0]
		long.ID, long.ARN = "customer-analytics-warehouse-eu-central-1-replica", "arn:aws:rds:us-east-1:123456789012:cluster:customer-analytics-warehouse-eu-central-1-replica"
		f.clusters = append(f.clusters, long) // its expansion is 65 characters long
		a := start(t, f, 100, 24)
		a.loaded()
		a.press("space", "j", "j", "space", "G", "space", "s") // orders-prod, payments-ledger (backing-up), the long one
		a.await("the fleet form, checked", func(m *Model) bool { return m.screen == screenFleet && !m.fleet.checking })
		goldenView(t, a.final())
	})
	t.Run("confirm", func(t *testing.T) {
		a := start(t, populated(), 100, 30, func(c *Config) { c.Protect = []string{"orders-*"} })
		a.loaded()
		a.press("space", "j", "space", "G", "space", "s") // orders-prod, orders-staging, Reporting-OLAP
		a.await("the fleet form, checked", func(m *Model) bool { return m.screen == screenFleet && !m.fleet.checking })
		a.press("tab")
		a.typeText("change")
		a.press("tab")
		a.typeText("CHG-4711")
		a.press("enter")
		a.await("confirming", func(m *Model) bool { return m.fleet.stage == fleetConfirm })
		a.typeText("3")
		a.await("typed", func(m *Model) bool { return m.fleet.satisfied() })
		goldenView(t, a.final())
	})
	t.Run("progress_one_failed", func(t *testing.T) {
		f := populated()
		f.refuse = map[string]error{"orders-staging": &awsclient.Error{Kind: awsclient.KindQuotaExceeded, Op: "create snapshot",
			Code: "SnapshotQuotaExceeded", Message: "Cannot create more than 100 manual snapshots."}}
		a := start(t, f, 100, 20)
		a.loaded()
		a.press("space", "j", "space", "G", "space", "s")
		a.await("the fleet form, checked", func(m *Model) bool { return m.screen == screenFleet && !m.fleet.checking })
		a.press("enter", "enter")
		a.await("sent, answered", func(m *Model) bool {
			return m.fleet.stage == fleetProgress && m.fleet.batch.Summary(m.cfg.Now()).Pending == 0
		})
		a.clock.Advance(20 * time.Second)
		f.setProgress("orders-prod-2024-05-01-1234", "creating", 10)
		f.setProgress("reporting-olap-2024-05-01-1234", "creating", 30)
		a.pollOnce()
		a.clock.Advance(40 * time.Second)
		f.setProgress("orders-prod-2024-05-01-1234", "creating", 40)
		f.setProgress("reporting-olap-2024-05-01-1234", "available", 100)
		a.pollOnce()
		goldenView(t, a.final())
	})
}

// TestFleetEscKeepsFollowingAndBatchReturns: esc leaves the batch to the
// footer's tracker, the marks spent; :batch shows its progress again, and
// quitting asks while its snapshots are in flight.
func TestFleetEscKeepsFollowingAndBatchReturns(t *testing.T) {
	hs := newHarness(t, populated(), 100, 24)
	hs.press("space", "j", "space", "s", "enter", "enter")
	if hs.m.fleet.stage != fleetProgress || hs.f.createCount() != 2 {
		t.Fatalf("stage %d, %d creates: the batch was not sent", hs.m.fleet.stage, hs.f.createCount())
	}
	hs.press("esc")
	scr := hs.screen()
	if hs.m.screen != screenClusters || hs.m.list.marks.Len() != 0 || !strings.Contains(scr, "Tracking: orders-prod-2024-05-01-1234 0% · orders-staging-2024-05-01-1234 0%") {
		t.Fatalf("after esc: screen %d, %d marks:\n%s", hs.m.screen, hs.m.list.marks.Len(), scr)
	}
	hs.press(":")
	hs.typeText("batch")
	hs.press("enter")
	if hs.m.screen != screenFleet || !strings.Contains(hs.screen(), "Snapshots of 2 clusters") {
		t.Fatalf(":batch does not show the batch:\n%s", hs.screen())
	}
	hs.press("q")
	if !hs.m.quitAsk || !strings.Contains(hs.screen(), "2 snapshots still being created") {
		t.Fatalf("quit did not ask:\n%s", hs.screen())
	}
	if hs.f.createCount() != 2 {
		t.Fatalf("%d creates for 2 clusters", hs.f.createCount())
	}
}

// TestFleetScreensFitEverySize: the fleet's form, confirmation and
// multi-progress view fit every window, the cursor inside it.
func TestFleetScreensFitEverySize(t *testing.T) {
	hs := newHarness(t, populated(), 100, 24, func(c *Config) { c.Protect = []string{"orders-*"} })
	fitsEverySize(t, hs, []func(){
		func() { hs.press("ctrl+a", "s") },
		func() { hs.press("esc", "ctrl+a", "space", "j", "space", "s", "tab") },
		func() { hs.press("enter") },
		func() { hs.typeText("2"); hs.press("enter") },
	})
	if hs.m.fleet.stage != fleetProgress {
		t.Fatalf("stage %d: the batch was not sent", hs.m.fleet.stage)
	}
}
