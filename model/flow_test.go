package model

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
	"go.uber.org/goleak"
)

// TestWholeFlowOnTheRealStack runs the model in a real Bubble Tea program
// against the real SDK client, over HTTP, against the local endpoint on
// 127.0.0.1: list, form, an invalid identifier and its error, the fix, a
// tag, the confirmation, the progress to available; then no goroutine is
// left behind. Time is the endpoint's
// manual clock, shared with the model; polls are delivered, not waited for.
func TestWholeFlowOnTheRealStack(t *testing.T) {
	// Registered first, so that it runs after every other cleanup (the
	// program, the endpoint): the flow leaves no goroutine behind but
	// teatest's own, which waits for a SIGINT for as long as the test
	// binary runs.
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() {
		goleak.VerifyNone(t, ignore, goleak.IgnoreTopFunction("github.com/charmbracelet/x/exp/teatest/v2.NewTestModel.func2"))
	})
	a := &app{t: t, clock: emulator.NewClock(time.Date(2024, 5, 1, 12, 34, 0, 0, time.UTC)), timer: &timers{}}
	world := emulator.New(emulator.Options{Now: a.clock.Now, SnapshotDuration: 20 * time.Second, Seed: 7})
	world.Load(emulator.DemoFleet())
	ep, err := emulator.Listen("127.0.0.1:0", world)
	if err != nil {
		t.Fatal(err)
	}
	defer ep.Close()
	client, err := awsclient.NewLocal(awsclient.Options{EndpointURL: ep.URL,
		RetryMaxAttempts: 1, Now: a.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	a.run(client, 120, 40)
	a.loaded()
	a.await("the demo fleet listed, DocumentDB only", func(m *Model) bool {
		ids := make([]string, len(m.list.rows))
		for i, r := range m.list.rows {
			ids[i] = r.id
		}
		return slices.Contains(ids, "orders-prod") && !slices.Contains(ids, "billing-aurora-pg") && !slices.Contains(ids, "fraud-graph")
	})

	// Find the cluster with the filter, open the form.
	a.press("/")
	a.typeText("orders-prod")
	a.press("enter", "s")
	a.await("the form for orders-prod", func(m *Model) bool {
		return showing(m, stageForm) && m.flow.form.ClusterID == "orders-prod" && m.flow.guard.known
	})

	// An invalid identifier, and the error under it.
	a.press("ctrl+u")
	a.typeText("9-lives")
	a.await("the error shown", func(m *Model) bool {
		return strings.Contains(ansiFree(m), "must start with a letter: character 1 is '9'") && !m.flow.form.Valid()
	})
	a.press("enter") // blocked: stays on the form
	a.press("ctrl+u")
	a.typeText("Flow-Test-Snap")
	a.await("fixed", func(m *Model) bool {
		return m.flow.form.Valid() && strings.Contains(ansiFree(m), "AWS will store it as flow-test-snap")
	})
	a.press("tab")
	a.typeText("team")
	a.press("tab")
	a.typeText("orders ops")
	a.press("enter")
	a.await("the confirmation", func(m *Model) bool {
		s := ansiFree(m)
		return showing(m, stageConfirm) && strings.Contains(s, "--db-cluster-snapshot-identifier Flow-Test-Snap") &&
			strings.Contains(s, `--tags '[{"Key":"team","Value":"orders ops"}]'`) && strings.Contains(s, "--endpoint-url "+ep.URL)
	})
	a.press("enter", "enter") // the second enter must not send again
	a.await("the progress screen", func(m *Model) bool { return m.screen == screenProgress && m.progress.watching.id == "flow-test-snap" })

	// Time passes at the endpoint; each poll the model scheduled is sent.
	percents := []int{}
	for range 20 {
		a.clock.Advance(5 * time.Second)
		a.deliverPoll()
		var pct int
		var done bool
		a.await("polled", func(m *Model) bool {
			_, s, _ := m.tracked("flow-test-snap")
			pct, done = s.Percent, s.Done()
			return !m.calling()
		})
		percents = append(percents, pct)
		if done {
			break
		}
	}
	if last := percents[len(percents)-1]; last != 100 {
		t.Fatalf("the snapshot never became available: percents %v", percents)
	}
	if !slices.IsSorted(percents) || len(percents) < 3 {
		t.Fatalf("progress seen %v", percents)
	}
	a.await("success shown", func(m *Model) bool {
		s := ansiFree(m)
		return strings.Contains(s, "The snapshot is available") &&
			strings.Contains(s, "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:flow-test-snap")
	})
	a.final()

	// The endpoint has it, once, with its tag.
	if n := world.Calls("CreateDBClusterSnapshot"); n != 1 {
		t.Fatalf("%d CreateDBClusterSnapshot calls", n)
	}
	snap, err := client.Snapshot(context.Background(), "flow-test-snap")
	if err != nil {
		t.Fatal(err)
	}
	if snap.Status != "available" || snap.ClusterID != "orders-prod" || snap.Type != awsclient.SnapshotManual {
		t.Fatalf("at the endpoint: %+v", snap)
	}
	tags, err := client.Tags(context.Background(), snap.ARN)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(tags, awsclient.Tag{Key: "team", Value: "orders ops"}) {
		t.Fatalf("tags at the endpoint: %+v", tags)
	}
}

// deliverPoll sends the poll the model scheduled.
func (a *app) deliverPoll() {
	a.t.Helper()
	var polls []pollMsg
	a.await("a poll scheduled", func(*Model) bool {
		polls = take[pollMsg](a.timer)
		return len(polls) > 0
	})
	for _, p := range polls {
		a.tm.Send(p)
	}
}

func ansiFree(m *Model) string { return stripANSI(m.View().Content) }
