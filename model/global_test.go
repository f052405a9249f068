package model

import (
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
)

// globalArn is the ARN of cluster id in region, as the fakes make them.
func globalArn(region, id string) string {
	return "arn:aws:rds:" + region + ":123456789012:cluster:" + id
}

// withGlobals is the populated fake with two global clusters: orders-prod
// the primary of one (its secondary in eu-west-1), orders-staging the
// secondary of another (its primary in us-west-2).
func withGlobals() *fakeClient {
	f := populated()
	f.globals = []awsclient.GlobalCluster{
		{ID: "orders-global", Engine: "docdb", Members: []awsclient.GlobalMember{
			{ClusterARN: globalArn("us-east-1", "orders-prod"), Region: "us-east-1", ClusterID: "orders-prod", Primary: true},
			{ClusterARN: globalArn("eu-west-1", "orders-prod-euw1"), Region: "eu-west-1", ClusterID: "orders-prod-euw1"},
		}},
		{ID: "staging-global", Engine: "docdb", Members: []awsclient.GlobalMember{
			{ClusterARN: globalArn("us-west-2", "orders-staging-usw2"), Region: "us-west-2", ClusterID: "orders-staging-usw2", Primary: true},
			{ClusterARN: globalArn("us-east-1", "orders-staging"), Region: "us-east-1", ClusterID: "orders-staging"},
		}},
	}
	return f
}

func TestGoldenGlobal(t *testing.T) {
	t.Run("list", func(t *testing.T) {
		hs := newHarness(t, withGlobals(), 100, 12)
		goldenView(t, hs.m)
	})
	t.Run("list_narrow", func(t *testing.T) {
		hs := newHarness(t, withGlobals(), 40, 10)
		goldenView(t, hs.m)
	})
	t.Run("list_filtered", func(t *testing.T) {
		hs := newHarness(t, withGlobals(), 60, 8)
		hs.press("/")
		hs.typeText("stag")
		goldenView(t, hs.m)
	})
	t.Run("cluster_secondary", func(t *testing.T) {
		hs := newHarness(t, withGlobals(), 100, 16)
		hs.press("j", "enter")
		goldenView(t, hs.m)
	})
	t.Run("form_secondary", func(t *testing.T) {
		hs := newHarness(t, withGlobals(), 100, 16)
		hs.press("j", "s")
		goldenView(t, hs.m)
	})
}

// One DescribeGlobalClusters listing for the account, whatever the number
// of regions and clusters listed, and one more a refresh.
func TestGlobalClustersListedOnceAnAccount(t *testing.T) {
	us := regionFake("ops", "us-east-1", "a", "b", "c")
	eu := regionFake("ops", "eu-west-1", "d")
	us.globals = []awsclient.GlobalCluster{{ID: "g", Members: []awsclient.GlobalMember{
		{ClusterARN: globalArn("us-east-1", "a"), Primary: true}, {ClusterARN: globalArn("eu-west-1", "d")}}}}
	eu.globals = us.globals
	hs := newHarness(t, us, 100, 12, func(c *Config) { c.Clients = []awsclient.Client{us, eu} })
	if n := us.Calls("DescribeGlobalClusters") + eu.Calls("DescribeGlobalClusters"); n != 1 {
		t.Fatalf("%d global listings for one account", n)
	}
	scr := hs.screen()
	if !strings.Contains(scr, "a ◆ primary") || !strings.Contains(scr, "d ◇ secondary") || strings.Contains(scr, "b ◆") {
		t.Fatalf("marks wrong:\n%s", scr)
	}
	hs.press("r")
	if n := us.Calls("DescribeGlobalClusters") + eu.Calls("DescribeGlobalClusters"); n != 2 {
		t.Fatalf("%d global listings after a refresh", n)
	}
}

// A policy without rds:DescribeGlobalClusters: the list shows as ever,
// without marks or an error, and the cluster screen says quietly that the
// global cluster is not known.
func TestGlobalClustersDeniedStillLists(t *testing.T) {
	f := withGlobals()
	f.globalsErr = &awsclient.Error{Kind: awsclient.KindAccessDenied, Op: "list global clusters", Code: "AccessDenied"}
	hs := newHarness(t, f, 100, 16)
	scr := hs.screen()
	if !strings.Contains(scr, "orders-prod") || !strings.Contains(scr, "7 clusters") || strings.Contains(scr, "◆") ||
		strings.Contains(scr, "global") || strings.Contains(scr, "denied") {
		t.Fatalf("list:\n%s", scr)
	}
	hs.press("enter")
	if scr := hs.screen(); !strings.Contains(scr, "Global cluster       not known: access denied: the credentials in use lack a permission") {
		t.Fatalf("cluster screen:\n%s", scr)
	}
}
