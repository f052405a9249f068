package emulator

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
)

func TestDemoFleetFor(t *testing.T) {
	if !reflect.DeepEqual(DemoFleetFor(DefaultRegion), DemoFleet()) {
		t.Fatal("the default region's fleet is not the demo fleet")
	}
	eu := DemoFleetFor("eu-west-1")
	if !reflect.DeepEqual(eu, DemoFleetFor("eu-west-1")) {
		t.Fatal("not deterministic")
	}
	if len(eu.Clusters) < 3 || eu.Clusters[0].ID[len(eu.Clusters[0].ID)-5:] != "-euw1" {
		t.Fatalf("eu-west-1 fleet %+v", eu.Clusters)
	}
	for _, c := range append(eu.Clusters, DemoFleetFor("ap-southeast-7").Clusters...) {
		if _, p := awsclient.ValidateClusterID(c.ID); len(p) > 0 {
			t.Errorf("%q: %v", c.ID, p)
		}
		if p := awsclient.ValidateTags(c.Tags); len(p) > 0 {
			t.Errorf("%q tags: %v", c.ID, p)
		}
	}
	if regionSuffix("us-gov-west-1") != "usgw1" {
		t.Fatal(regionSuffix("us-gov-west-1"))
	}
}

// Each region is its own endpoint, started once, answering for its region.
func TestRegions(t *testing.T) {
	r := NewRegions(Options{}, DemoFleetFor)
	defer r.Close()
	a, err := r.URL("eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := r.URL("eu-west-1")
	b, _ := r.URL("us-east-1")
	if a != again || a == b {
		t.Fatalf("urls %s %s %s", a, again, b)
	}
	c, err := awsclient.NewLocal(awsclient.Options{Region: "eu-west-1", EndpointURL: a})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := awsclient.All(context.Background(), c.Clusters())
	if err != nil || len(cs) != len(DemoFleetFor("eu-west-1").Clusters) || cs[0].Region != "eu-west-1" {
		t.Fatalf("%d clusters, %v", len(cs), err)
	}
}

// The demo's regions are one account's: a copy in one reads its source in
// another, made on demand, and an ARN of a region DocumentDB is not offered
// in makes no server.
func TestRegionsCopyAcross(t *testing.T) {
	clk := NewClock(time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC))
	r := NewRegions(Options{Now: clk.Now}, DemoFleetFor)
	defer r.Close()
	url, err := r.URL("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	c, err := awsclient.NewLocal(awsclient.Options{Region: "us-east-1", EndpointURL: url, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	source := "arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:rds:shipping-prod-euw1-2025-03-14-10-09"
	s, err := c.CopySnapshot(ctx, awsclient.CopySnapshotInput{SourceID: source, SourceRegion: "eu-west-1", TargetID: "shipping-dr",
		KMSKeyID: "alias/aws/rds"})
	if err != nil || s.Status != awsclient.StatusCopying || s.SourceARN != source {
		t.Fatalf("copy from eu-west-1: %+v, %v", s, err)
	}
	_, err = c.CopySnapshot(ctx, awsclient.CopySnapshotInput{SourceID: "arn:aws:rds:xx-nowhere-9:123456789012:cluster-snapshot:s",
		SourceRegion: "xx-nowhere-9", TargetID: "nowhere"})
	if awsclient.KindOf(err) != awsclient.KindSnapshotNotFound {
		t.Fatalf("copy from a region DocumentDB is not in: %v", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.worlds) != 2 || r.worlds["eu-west-1"] == nil {
		t.Fatalf("worlds %v: want us-east-1 and eu-west-1", r.worlds)
	}
}
