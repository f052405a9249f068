package emulator

import (
	"reflect"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
)

// The fleets hold only what a client could have made: identifiers and tags
// that the shared rules accept (automated snapshots excepted: AWS names
// those rds:…).
func TestFleetsFollowTheRules(t *testing.T) {
	for name, f := range map[string]Fleet{"demo": DemoFleet(), "generated": GeneratedFleet(500)} {
		for _, c := range f.Clusters {
			if _, ps := awsclient.ValidateClusterID(c.ID); len(ps) > 0 {
				t.Errorf("%s: cluster %q: %v", name, c.ID, ps)
			}
			if ps := awsclient.ValidateTags(c.Tags); len(ps) > 0 {
				t.Errorf("%s: tags of %s: %v", name, c.ID, ps)
			}
			if n := len(c.Instances); n < 1 || n > 5 {
				t.Errorf("%s: %s has %d instances, want 1 to 5", name, c.ID, n)
			}
			for _, s := range c.Snapshots {
				if ps := awsclient.ValidateTags(s.Tags); len(ps) > 0 {
					t.Errorf("%s: tags of a snapshot of %s: %v", name, c.ID, ps)
				}
				if s.Type == awsclient.SnapshotAutomated {
					continue
				}
				if _, ps := awsclient.ValidateSnapshotID(s.ID); len(ps) > 0 {
					t.Errorf("%s: snapshot %q: %v", name, s.ID, ps)
				}
				for _, a := range s.SharedWith {
					if ps := awsclient.ValidateAccountID(a); len(ps) > 0 {
						t.Errorf("%s: snapshot %q is shared with %q: %v", name, s.ID, a, ps)
					}
				}
			}
		}
		for _, s := range f.SharedWithMe {
			_, ids := awsclient.ValidateSnapshotID(s.ID)
			_, clusters := awsclient.ValidateClusterID(s.ClusterID)
			if ps := append(append(ids, clusters...), awsclient.ValidateAccountID(s.Owner)...); len(ps) > 0 || s.Owner == awsclient.ShareAll {
				t.Errorf("%s: shared snapshot %+v: %v", name, s, ps)
			}
		}
	}
}

func TestDemoFleetIsVaried(t *testing.T) {
	versions, statuses, encrypted := map[string]bool{}, map[string]bool{}, map[bool]bool{}
	docdb := 0
	for _, c := range DemoFleet().Clusters {
		if c.Engine != awsclient.Engine {
			continue
		}
		docdb++
		versions[c.EngineVersion], statuses[c.Status], encrypted[c.Encrypted] = true, true, true
	}
	for _, v := range []string{"4.0.0", "5.0.0", "8.0.0"} {
		if !versions[v] {
			t.Errorf("no DocumentDB %s cluster", v)
		}
	}
	for _, s := range []string{"available", "backing-up", "modifying", "stopped", "creating"} {
		if !statuses[s] {
			t.Errorf("no %s cluster", s)
		}
	}
	if docdb < 10 || len(encrypted) != 2 {
		t.Errorf("%d DocumentDB clusters, encrypted %v: want about a dozen, some encrypted and some not", docdb, encrypted)
	}
}

func TestGeneratedFleetIsDeterministic(t *testing.T) {
	if !reflect.DeepEqual(GeneratedFleet(300), GeneratedFleet(300)) {
		t.Error("two fleets of the same size differ")
	}
	s, _ := newServer(t, GeneratedFleet(10_000), Options{})
	s.Load(DemoFleet()) // names never clash
	if n, want := len(s.world.clusters), 10_000+len(DemoFleet().Clusters); n != want {
		t.Errorf("%d clusters loaded, want %d", n, want)
	}
	s.Load(DemoFleet()) // loading again adds nothing
	if n, want := len(s.world.clusters), 10_000+len(DemoFleet().Clusters); n != want {
		t.Errorf("after a second load %d clusters, want %d", n, want)
	}
}

// The demo's global clusters are the same in every region, and each member
// is a DocumentDB cluster of its own region's demo fleet.
func TestDemoGlobalMembersExist(t *testing.T) {
	globals := DemoFleet().Globals
	if len(globals) == 0 {
		t.Fatal("the demo has no global cluster")
	}
	for _, g := range globals {
		primaries := 0
		for _, m := range g.Members {
			if m.Primary {
				primaries++
			}
			f := DemoFleetFor(m.Region)
			if !reflect.DeepEqual(f.Globals, globals) {
				t.Errorf("%s holds other global clusters: %+v", m.Region, f.Globals)
			}
			found := false
			for _, c := range f.Clusters {
				found = found || c.ID == m.ClusterID && c.Engine == awsclient.Engine
			}
			if !found {
				t.Errorf("%s: member %s is not in %s's fleet", g.ID, m.ClusterID, m.Region)
			}
		}
		if primaries != 1 || len(g.Members) < 2 {
			t.Errorf("%s: %d members, %d primaries", g.ID, len(g.Members), primaries)
		}
	}
}
