package emulator

import (
	"context"
	"reflect"
	"testing"

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
