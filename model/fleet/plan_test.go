package fleet

import (
	"strings"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
)

var t0 = time.Date(2026, 12, 4, 21, 5, 0, 0, time.UTC)

func TestExpandUsesUTC(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	got := Expand("{cluster}-{region}-{date}-{time}", "orders", "eu-west-3", t0.In(paris))
	if want := "orders-eu-west-3-2026-12-04-2105"; got != want {
		t.Fatalf("Expand = %q, want %q", got, want)
	}
	// The default template names a snapshot as the single form does.
	if got, want := Expand(DefaultTemplate, "orders", "eu-west-3", t0), awsclient.SuggestSnapshotID("orders", t0); got != want {
		t.Fatalf("default template: %q, the single form suggests %q", got, want)
	}
}

func TestCheckTemplate(t *testing.T) {
	for _, tc := range []struct {
		template string
		want     []string // substrings of each problem, in order
	}{
		{DefaultTemplate, nil},
		{"pre-upgrade-{cluster}", nil},
		{"{cluster}-{hour}", []string{`"{hour}" is not a placeholder`}},
		{"{cluster-{date}", []string{`"{cluster-{date}" is not a placeholder`}},
		{"{cluster}-{date", []string{"'{' that is never closed"}},
		{"x}-{cluster}", []string{"'}' that closes no placeholder"}},
		{"{" + strings.Repeat("a", 100) + "}", []string{`"{` + strings.Repeat("a", 31) + `…" is not`}},
	} {
		ps := CheckTemplate(tc.template)
		if len(ps) != len(tc.want) {
			t.Errorf("CheckTemplate(%q) = %v, want %d problems", tc.template, ps, len(tc.want))
			continue
		}
		for i, p := range ps {
			if !strings.Contains(p.Message, tc.want[i]) || !strings.Contains(p.Message, "use {cluster}, {region}, {date} or {time}") {
				t.Errorf("CheckTemplate(%q)[%d] = %q, want it to say %q and the placeholders", tc.template, i, p.Message, tc.want[i])
			}
		}
	}
}

func cluster(id, region, status string) Target {
	return Target{Cluster: awsclient.Cluster{ID: id, Region: region, Status: status}}
}

func TestPlanFindsEveryProblem(t *testing.T) {
	long := strings.Repeat("a", 60)
	targets := []Target{
		cluster("orders", "us-east-1", "available"),
		cluster("Billing", "us-east-1", "available"),
		cluster("billing", "eu-west-1", "available"),
		cluster(long, "us-east-1", "available"),
		cluster("search", "us-east-1", "stopped"),
		cluster("taken", "us-east-1", "available"),
	}
	exists := func(region, id string) bool { return region == "us-east-1" && id == "taken-pre" }
	items := Plan("{cluster}-pre", targets, t0, exists)

	if items[0].ID != "orders-pre" || !items[0].Sendable() || len(items[0].Problems) != 0 {
		t.Errorf("orders: %+v, want orders-pre and no problem", items[0])
	}
	// AWS stores identifiers in lower case: Billing's and billing's collide.
	for _, i := range []int{1, 2} {
		if items[i].ID != "billing-pre" || items[i].Sendable() || !hasProblem(items[i], "is also the identifier for cluster") {
			t.Errorf("item %d: %+v, want a collision", i, items[i])
		}
	}
	if !strings.Contains(items[1].Problems[0].Message, "billing (eu-west-1)") {
		t.Errorf("the first of a collision names the second: %q", items[1].Problems[0].Message)
	}
	// 64 characters: a warning (AWS's documents disagree), sendable.
	if it := items[3]; !it.Sendable() || len(awsclient.Warnings(it.Problems)) != 1 {
		t.Errorf("a 64-character expansion: %+v, want one warning", it)
	}
	if it := items[4]; it.Sendable() || !strings.Contains(it.Blocked, "stopped") || !strings.Contains(it.Blocked, "start-db-cluster") {
		t.Errorf("a stopped cluster: %+v, want it blocked with how to start it", it)
	}
	if !hasProblem(items[5], "taken-pre already exists in us-east-1") {
		t.Errorf("an existing snapshot: %+v", items[5])
	}
	if ok, n := Sendable(items); ok || n != 4 {
		t.Errorf("Sendable = %v, %d; want false, 4", ok, n)
	}

	tooLong := Plan(strings.Repeat("{cluster}", 5), targets[3:4], t0, nil)
	if tooLong[0].Sendable() || !hasProblem(tooLong[0], "is 300 characters long: the limit is 255") {
		t.Errorf("a long expansion: %+v", tooLong[0])
	}
	unknown := Plan("{cluster}-{when}", targets[:1], t0, nil)
	if unknown[0].Sendable() || !hasProblem(unknown[0], `"{when}" is not a placeholder`) {
		t.Errorf("an unknown placeholder: %+v", unknown[0])
	}
	if ok, n := Sendable(Plan(DefaultTemplate, targets[:1], t0, nil)); !ok || n != 0 {
		t.Errorf("Sendable of a clean plan = %v, %d", ok, n)
	}
}

func hasProblem(it Item, s string) bool {
	for _, p := range it.Problems {
		if strings.Contains(p.Message, s) {
			return true
		}
	}
	return false
}

func TestPlanAndBatchOfElasticClusters(t *testing.T) {
	arn := "arn:aws:docdb-elastic:us-east-1:123456789012:cluster/abc"
	elastic := func(name, status string) Target {
		return Target{Cluster: awsclient.Cluster{ID: name, ARN: arn + name, Region: "us-east-1", Status: status, Type: awsclient.TypeElastic}}
	}
	items := Plan("{cluster}-Pre", []Target{elastic("Events", awsclient.StatusActive), elastic("audit", "STOPPED"),
		cluster("events", "us-east-1", "available")}, t0, nil)
	// An elastic snapshot keeps its name as given; it still collides with
	// an identifier that differs only in case.
	if it := items[0]; it.ID != "Events-Pre" || it.Blocked != "" || !hasProblem(it, "is also the identifier for cluster events") {
		t.Errorf("an active elastic cluster: %+v", it)
	}
	if it := items[1]; it.Sendable() || !strings.Contains(it.Blocked, "STOPPED, not ACTIVE") {
		t.Errorf("a stopped elastic cluster: %+v", it)
	}
	items[0].Problems = nil // sent alone, it collides with nothing
	b := NewBatch(items[:1], 1, nil, "b")
	in := b.Next(t0)
	if len(in) != 1 || in[0].ClusterID != arn+"Events" || !awsclient.ElasticARN(in[0].ClusterID) {
		t.Fatalf("elastic create %+v: want the cluster named by ARN", in)
	}
	b.Answered("Events-Pre", awsclient.Snapshot{ID: "Events-Pre", Status: awsclient.StatusElasticCreating}, nil, t0)
	b.Polled("Events-Pre", awsclient.Snapshot{ID: "Events-Pre", Status: awsclient.StatusActive}, nil, t0.Add(time.Minute))
	if r, _ := b.Row("Events-Pre", t0); r.Status != StatusAvailable || r.Percent != 100 {
		t.Fatalf("an ACTIVE elastic snapshot: %+v", r)
	}
}
