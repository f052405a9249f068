package emulator

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/docsnap/docsnap/awsclient"
)

// Regions are the regions of one account, each made the first time it is
// asked for with fleet(region) loaded, and served on a local endpoint when
// its URL is: the demo of a multi-region account (docsnap --demo --region
// us-east-1,eu-west-1, and the region picker). A copy in one region reads its
// source in another, as a cross-region copy does. Safe for concurrent use.
type Regions struct {
	opts  Options
	fleet func(region string) Fleet

	mu     sync.Mutex
	worlds map[string]*Server
	eps    map[string]*Endpoint
}

// NewRegions serves regions on demand with opts (its Region is set for
// each) and fleet.
func NewRegions(opts Options, fleet func(region string) Fleet) *Regions {
	return &Regions{opts: opts, fleet: fleet, worlds: map[string]*Server{}, eps: map[string]*Endpoint{}}
}

// URL is the endpoint of region, started on a loopback port if need be.
func (r *Regions) URL(region string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ep, ok := r.eps[region]; ok {
		return ep.URL, nil
	}
	ep, err := Listen("127.0.0.1:0", r.world(region))
	if err != nil {
		return "", err
	}
	r.eps[region] = ep
	return ep.URL, nil
}

// World is the server of region, made if need be, with no endpoint of its
// own.
func (r *Regions) World(region string) *Server {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.world(region)
}

// world is World for a caller that holds r.mu.
func (r *Regions) world(region string) *Server {
	if w, ok := r.worlds[region]; ok {
		return w
	}
	o := r.opts
	o.Region = region
	w := New(o)
	w.Load(r.fleet(region))
	w.peers = r.peer
	r.worlds[region] = w
	return w
}

// peer is the account's server of region for a copy's source: only a
// region DocumentDB is offered in, so that the ARNs a client sends cannot
// make a server for every name it makes up.
func (r *Regions) peer(region string) *Server {
	if _, ok := awsclient.RegionInfo(region); !ok {
		return nil
	}
	return r.World(region)
}

// Close stops every endpoint.
func (r *Regions) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for region, ep := range r.eps {
		ep.Close()
		delete(r.eps, region)
	}
}

// DemoFleetFor is the demo fleet of a region: DemoFleet in DefaultRegion;
// elsewhere a few clusters named after the region (orders-prod-euw1), the
// same for the same region, one of them with a snapshot being taken, and in
// eu-west-1 the secondary of the demo's global cluster too. Every region
// holds the global cluster.
func DemoFleetFor(region string) Fleet {
	if region == DefaultRegion {
		return DemoFleet()
	}
	h := fnv.New64a()
	h.Write([]byte(region))
	rng := rand.New(rand.NewPCG(h.Sum64(), 7))
	suffix := regionSuffix(region)
	services := []string{"orders", "payments", "catalog", "sessions", "ledger", "search", "profiles"}
	envs := []string{"prod", "staging", "dev"}
	versions := []string{"4.0.0", "5.0.0", "8.0.0"}
	statuses := []string{"available", "available", "available", "available", "stopped", "backing-up", "modifying"}
	n := 3 + rng.IntN(4)
	f := Fleet{Clusters: make([]ClusterSpec, 0, n)}
	seen := map[string]bool{}
	for len(f.Clusters) < n {
		svc, env := services[rng.IntN(len(services))], envs[rng.IntN(len(envs))]
		id := fmt.Sprintf("%s-%s-%s", svc, env, suffix)
		if seen[id] {
			continue
		}
		seen[id] = true
		c := ClusterSpec{
			ID: id, Engine: awsclient.Engine, EngineVersion: versions[rng.IntN(len(versions))],
			Status: statuses[rng.IntN(len(statuses))], StorageGiB: 20 + rng.IntN(200), Encrypted: rng.IntN(4) > 0,
			BackupRetentionDays: 7, BackupWindow: "02:00-02:30", MaintenanceWindow: "sat:04:00-sat:04:30",
			Age:       time.Duration(30+rng.IntN(600)) * day,
			Tags:      tags("team", svc, "env", env, "region", region),
			Instances: instances(id, "db.r6g.large", 1+rng.IntN(3)),
			Snapshots: automated(2, nil),
		}
		f.Clusters = append(f.Clusters, c)
	}
	// One snapshot being taken, as if by another operator.
	f.Clusters[0].Snapshots = append(f.Clusters[0].Snapshots, SnapshotSpec{ID: f.Clusters[0].ID + "-console",
		Type: awsclient.SnapshotManual, Elapsed: 0.3, Tags: tags("created-by", "console")})
	if region == demoGlobalRegion {
		f.Clusters = append(f.Clusters, demoSecondary())
	}
	f.Globals = demoGlobals()
	return f
}

// regionSuffix shortens a region code: eu-west-1 is euw1.
func regionSuffix(region string) string {
	parts := strings.Split(region, "-")
	var b strings.Builder
	for i, p := range parts {
		switch {
		case p == "":
		case i == 0 || i == len(parts)-1:
			b.WriteString(p)
		default:
			b.WriteByte(p[0])
		}
	}
	return b.String()
}
