package emulator

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/docsnap/docsnap/awsclient"
)

// Fleet is what a region holds before anyone calls it: clusters with their
// instances, snapshots and tags. Times are ages, relative to the clock of the
// Server that loads it, so the same fleet on the same clock is the same
// region.
type Fleet struct {
	Clusters []ClusterSpec
	// Globals are the account's global clusters. A global cluster belongs
	// to the account, not to a region: DescribeGlobalClusters lists it, with
	// its members in every region, wherever it is called, so each region's
	// fleet holds the same ones.
	Globals []GlobalClusterSpec
	// Elastic are the elastic clusters, which the docdb-elastic API serves.
	Elastic []ElasticClusterSpec
	// SharedWithMe are other accounts' manual snapshots shared with this
	// one: listed with IncludeShared, as type "shared", named by ARN.
	SharedWithMe []SharedSnapshotSpec
}

// ElasticClusterSpec is one elastic cluster of a Fleet. Its snapshots'
// identifiers are their names; an automated one with none is named as an
// instance-based cluster's is.
type ElasticClusterSpec struct {
	Name                string
	Status              string // as the API writes it; empty: ACTIVE
	ShardCount          int
	ShardCapacity       int // vCPUs per shard: 2, 4, 8, 16, 32 or 64
	ShardInstanceCount  int
	AuthType            string // PLAIN_TEXT (empty) or SECRET_ARN
	AdminUser           string // empty: docdbadmin
	CustomerKey         bool   // encrypted with the account's KMS key, not AWS_OWNED_KMS_KEY
	StorageGiB          int    // how long its snapshots take (see AverageStorageGiB)
	BackupRetentionDays int
	BackupWindow        string
	MaintenanceWindow   string
	Age                 time.Duration
	Tags                []awsclient.Tag
	Snapshots           []SnapshotSpec // Status as the API writes it; empty: ACTIVE
}

// SharedSnapshotSpec is a manual snapshot of another account's cluster in
// the same region, shared with the fleet's account.
type SharedSnapshotSpec struct {
	Owner         string // the account that owns it: 12 digits
	ClusterID     string
	ID            string
	EngineVersion string
	Encrypted     bool
	Age           time.Duration
}

// GlobalClusterSpec is one global cluster: a primary cluster that takes the
// writes and read-only secondaries in other regions.
type GlobalClusterSpec struct {
	ID            string
	Engine        string
	EngineVersion string
	Encrypted     bool
	Members       []GlobalMemberSpec
}

// GlobalMemberSpec is one cluster of a global cluster, in any region: the
// endpoint names it by ARN and does not check that it exists.
type GlobalMemberSpec struct {
	Region    string
	ClusterID string
	Primary   bool
}

// ClusterSpec is one cluster of a Fleet.
type ClusterSpec struct {
	ID                  string
	Engine              string // "docdb"; also "aurora-postgresql", "neptune"…, which share the API
	EngineVersion       string
	Status              string
	StorageGiB          int // its size: how long its snapshots take (see AverageStorageGiB)
	Encrypted           bool
	DeletionProtection  bool
	BackupRetentionDays int
	BackupWindow        string        // "07:00-07:30" (UTC)
	MaintenanceWindow   string        // "sun:09:00-sun:09:30" (UTC)
	Age                 time.Duration // created this long before now
	LogExports          []string      // "audit", "profiler"
	Tags                []awsclient.Tag
	Instances           []InstanceSpec
	Snapshots           []SnapshotSpec
}

// InstanceSpec is one instance of a cluster. Its availability zone is the
// region's a, b, c in turn.
type InstanceSpec struct {
	ID     string
	Class  string // "db.r6g.large"
	Status string // empty: what the cluster's status implies
	Writer bool
	Tags   []awsclient.Tag
}

// SnapshotSpec is one snapshot of a cluster.
type SnapshotSpec struct {
	// ID is the identifier; empty for an automated snapshot, which is named
	// rds:{cluster}-YYYY-MM-DD-HH-MM after its time, as AWS names them.
	ID     string
	Type   string        // awsclient.SnapshotManual or awsclient.SnapshotAutomated
	Age    time.Duration // taken this long before now
	Status string        // empty: available
	Tags   []awsclient.Tag
	// Elapsed, when between 0 and 1, makes a snapshot still being taken: the
	// share of its duration (see Options.SnapshotDuration) already elapsed.
	Elapsed float64
	// SharedWith are the accounts (12 digits, or "all") a manual snapshot
	// is shared with.
	SharedWith []string
}

const day = 24 * time.Hour

func tags(kv ...string) []awsclient.Tag {
	out := make([]awsclient.Tag, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, awsclient.Tag{Key: kv[i], Value: kv[i+1]})
	}
	return out
}

// instances names n instances of cluster id "{id}-1"…"{id}-n", the first the
// writer.
func instances(id, class string, n int) []InstanceSpec {
	out := make([]InstanceSpec, n)
	for i := range out {
		out[i] = InstanceSpec{ID: id + "-" + strconv.Itoa(i+1), Class: class, Writer: i == 0}
	}
	return out
}

// automated is the daily automated snapshots of the last n days, the latest
// taken five hours ago.
func automated(n int, t []awsclient.Tag) []SnapshotSpec {
	out := make([]SnapshotSpec, n)
	for i := range out {
		out[i] = SnapshotSpec{Type: awsclient.SnapshotAutomated, Age: time.Duration(i)*day + 5*time.Hour, Tags: t}
	}
	return out
}

func manual(id string, age time.Duration, t []awsclient.Tag) SnapshotSpec {
	return SnapshotSpec{ID: id, Type: awsclient.SnapshotManual, Age: age, Tags: t}
}

// DemoFleet is the fixed demo region: a dozen DocumentDB clusters of the
// three engine versions in varied states, an Aurora PostgreSQL and a Neptune
// cluster that an engine=docdb filter must hide, manual and automated
// snapshots with tags, one snapshot of orders-prod still being taken, and
// shipping-prod the primary of a global cluster (demoGlobals).
func DemoFleet() Fleet {
	docdb := func(id, version, status string, sizeGiB int, encrypted bool, class string, n int, team, env string) ClusterSpec {
		return ClusterSpec{
			ID: id, Engine: awsclient.Engine, EngineVersion: version, Status: status, StorageGiB: sizeGiB,
			Encrypted: encrypted, BackupRetentionDays: 7, BackupWindow: "03:00-03:30",
			MaintenanceWindow: "sun:05:00-sun:05:30", Age: 400 * day,
			Tags:      tags("team", team, "env", env, "owner", team+"-oncall"),
			Instances: instances(id, class, n),
		}
	}
	payments := docdb("payments-prod", "5.0.0", "available", 180, true, "db.r6g.xlarge", 3, "payments", "prod")
	payments.DeletionProtection = true
	payments.BackupRetentionDays = 14
	payments.LogExports = []string{"audit", "profiler"}
	payments.Tags = append(payments.Tags, awsclient.Tag{Key: "cost-center", Value: "cc-1042"}, awsclient.Tag{Key: "compliance", Value: "pci"})
	payments.Snapshots = append(automated(3, payments.Tags),
		manual("payments-prod-pre-migration", 20*day, tags("reason", "before the 5.0 upgrade", "created-by", "alice")),
		manual("payments-prod-2024-q4-audit", 90*day, tags("reason", "quarterly audit", "retain-until", "2026-01-01")))
	payments.Snapshots[4].SharedWith = []string{demoAuditAccount} // the auditors restore it in their account

	paymentsStaging := docdb("payments-staging", "5.0.0", "available", 60, true, "db.r6g.large", 2, "payments", "staging")
	paymentsStaging.BackupRetentionDays = 1
	paymentsStaging.Snapshots = automated(1, nil)

	orders := docdb("orders-prod", "8.0.0", "available", 140, true, "db.r6g.2xlarge", 5, "orders", "prod")
	orders.DeletionProtection = true
	orders.LogExports = []string{"audit"}
	orders.Snapshots = append(automated(2, orders.Tags),
		SnapshotSpec{ID: "orders-prod-before-reindex", Type: awsclient.SnapshotManual, Elapsed: 0.45,
			Tags: tags("reason", "before reindexing orders", "created-by", "bob")})

	ordersStaging := docdb("orders-staging", "5.0.0", "modifying", 45, true, "db.r6g.large", 2, "orders", "staging")
	ordersStaging.Snapshots = []SnapshotSpec{manual("orders-staging-seed-data", 45*day, tags("purpose", "seed data for load tests"))}

	inventory := docdb("inventory-prod", "4.0.0", "backing-up", 220, true, "db.r5.xlarge", 3, "inventory", "prod")
	inventory.Snapshots = automated(3, inventory.Tags)

	catalog := docdb("catalog-search-prod", "8.0.0", "available", 90, true, "db.r6g.large", 2, "catalog", "prod")
	catalog.Snapshots = automated(1, catalog.Tags)

	profiles := docdb("user-profiles-dev", "5.0.0", "stopped", 12, false, "db.t3.medium", 1, "identity", "dev")
	profiles.BackupRetentionDays = 1

	analytics := docdb("analytics-events", "8.0.0", "available", 160, true, "db.r6g.4xlarge", 4, "data", "prod")
	analytics.Snapshots = append(automated(1, nil),
		manual("analytics-events-schema-v2", 7*day, tags("reason", "schema v2 rollout")))
	analytics.Snapshots[1].SharedWith = []string{demoDataAccount, demoAuditAccount}

	notifications := docdb("notifications-qa", "4.0.0", "available", 20, false, "db.t4g.medium", 1, "messaging", "qa")

	sessions := docdb("sessions-cache-test", "5.0.0", "creating", 10, false, "db.t4g.medium", 1, "identity", "test")
	sessions.Age = 10 * time.Minute

	audit := docdb("audit-log-archive", "4.0.0", "available", 120, true, "db.r5.large", 2, "security", "prod")
	audit.DeletionProtection = true
	audit.BackupRetentionDays = 35
	audit.Tags = append(audit.Tags, awsclient.Tag{Key: "docsnap:protected", Value: "true"}) // its snapshots need its name typed
	audit.Snapshots = []SnapshotSpec{manual("audit-log-archive-yearly-2024", 300*day, tags("retain-until", "2031-12-31", "legal-hold", "true"))}

	shipping := docdb("shipping-prod", "5.0.0", "available", 75, true, "db.r6g.large", 3, "logistics", "prod")
	shipping.Snapshots = automated(2, shipping.Tags)

	loyalty := docdb("loyalty-sandbox", "8.0.0", "stopped", 15, false, "db.t4g.medium", 1, "marketing", "sandbox")

	billing := ClusterSpec{
		ID: "billing-aurora-pg", Engine: "aurora-postgresql", EngineVersion: "15.4", Status: "available",
		StorageGiB: 250, Encrypted: true, BackupRetentionDays: 7, BackupWindow: "04:00-04:30",
		MaintenanceWindow: "mon:06:00-mon:06:30", Age: 700 * day, Tags: tags("team", "billing", "env", "prod"),
		Instances: instances("billing-aurora-pg", "db.r6g.large", 2), Snapshots: automated(1, nil),
	}
	graph := ClusterSpec{
		ID: "fraud-graph", Engine: "neptune", EngineVersion: "1.3.1.0", Status: "available",
		StorageGiB: 80, Encrypted: true, BackupRetentionDays: 1, BackupWindow: "02:00-02:30",
		MaintenanceWindow: "tue:07:00-tue:07:30", Age: 200 * day, Tags: tags("team", "risk", "env", "prod"),
		Instances: instances("fraud-graph", "db.r5.large", 2),
	}
	// Clusters made over the years, as a real account's were (sessions is
	// being created now).
	for c, days := range map[*ClusterSpec]time.Duration{
		&payments: 1112, &paymentsStaging: 431, &orders: 958, &ordersStaging: 240, &inventory: 1387,
		&catalog: 163, &profiles: 77, &analytics: 522, &notifications: 309, &audit: 1460,
		&shipping: 688, &loyalty: 41,
	} {
		c.Age = days*day + time.Duration(days%24)*time.Hour + time.Duration(days*7%60)*time.Minute
	}
	return Fleet{Clusters: []ClusterSpec{
		payments, paymentsStaging, orders, ordersStaging, inventory, catalog, profiles, analytics,
		notifications, sessions, audit, shipping, loyalty, billing, graph,
	}, Globals: demoGlobals(), Elastic: demoElastic(), SharedWithMe: demoSharedWithMe()}
}

// demoElastic is the demo region's elastic clusters: one ACTIVE with a
// snapshot being taken, one UPDATING, one STOPPED, each with a few
// snapshots.
func demoElastic() []ElasticClusterSpec {
	events := ElasticClusterSpec{
		Name: "events-elastic-prod", ShardCount: 4, ShardCapacity: 8, ShardInstanceCount: 2,
		AuthType: "SECRET_ARN", CustomerKey: true, StorageGiB: 120, BackupRetentionDays: 7,
		BackupWindow: "04:00-04:30", MaintenanceWindow: "sat:06:00-sat:06:30", Age: 318 * day,
		Tags: tags("team", "events", "env", "prod", "owner", "events-oncall"),
	}
	events.Snapshots = append(automated(2, events.Tags),
		manual("events-elastic-prod-before-resharding", 12*day, tags("reason", "before going from 2 to 4 shards", "created-by", "carol")),
		SnapshotSpec{ID: "events-elastic-prod-hourly", Type: awsclient.SnapshotManual, Elapsed: 0.4,
			Tags: tags("created-by", "scheduler")})
	clickstream := ElasticClusterSpec{
		Name: "clickstream-elastic", Status: "UPDATING", ShardCount: 2, ShardCapacity: 4, ShardInstanceCount: 1,
		StorageGiB: 40, BackupRetentionDays: 1, BackupWindow: "01:00-01:30", MaintenanceWindow: "sun:03:00-sun:03:30",
		Age: 95 * day, Tags: tags("team", "data", "env", "staging"),
	}
	clickstream.Snapshots = append(automated(1, nil),
		manual("clickstream-elastic-baseline", 30*day, tags("purpose", "baseline for load tests")))
	search := ElasticClusterSpec{
		Name: "search-elastic-dev", Status: "STOPPED", ShardCount: 2, ShardCapacity: 2, ShardInstanceCount: 1,
		StorageGiB: 8, BackupRetentionDays: 1, BackupWindow: "02:00-02:30", MaintenanceWindow: "mon:04:00-mon:04:30",
		Age: 51 * day, Tags: tags("team", "catalog", "env", "dev"),
		Snapshots: []SnapshotSpec{manual("search-elastic-dev-fixtures", 60*day, tags("purpose", "test fixtures"))},
	}
	return []ElasticClusterSpec{events, clickstream, search}
}

// The demo's other accounts: the data platform's, which shares its
// snapshots with the demo account and is shared some of the demo's, and the
// auditors'.
const (
	demoDataAccount  = "210987654321"
	demoAuditAccount = "555566667777"
)

// demoSharedWithMe are the snapshots other accounts share with the demo
// account: what IncludeShared lists.
func demoSharedWithMe() []SharedSnapshotSpec {
	return []SharedSnapshotSpec{
		{Owner: demoDataAccount, ClusterID: "data-lake-prod", ID: "data-lake-prod-2026-q1-export", EngineVersion: "5.0.0",
			Encrypted: true, Age: 12 * day},
		{Owner: demoDataAccount, ClusterID: "data-lake-prod", ID: "data-lake-prod-schema-baseline", EngineVersion: "5.0.0",
			Encrypted: true, Age: 64 * day},
		{Owner: demoAuditAccount, ClusterID: "reference-data", ID: "reference-data-golden-copy", EngineVersion: "4.0.0",
			Age: 180 * day},
	}
}

// demoGlobalRegion is where the demo's global cluster has its secondary.
const demoGlobalRegion = "eu-west-1"

// demoGlobals is the demo account's global cluster: shipping-prod of the
// demo region, the primary, replicated to shipping-prod-euw1 (see
// demoSecondary) in demoGlobalRegion.
func demoGlobals() []GlobalClusterSpec {
	return []GlobalClusterSpec{{
		ID: "shipping-global", Engine: awsclient.Engine, EngineVersion: "5.0.0", Encrypted: true,
		Members: []GlobalMemberSpec{
			{Region: DefaultRegion, ClusterID: "shipping-prod", Primary: true},
			{Region: demoGlobalRegion, ClusterID: "shipping-prod-euw1"},
		},
	}}
}

// demoSecondary is the secondary cluster of demoGlobals, as its region
// holds it.
func demoSecondary() ClusterSpec {
	t := tags("team", "logistics", "env", "prod", "owner", "logistics-oncall")
	return ClusterSpec{
		ID: "shipping-prod-euw1", Engine: awsclient.Engine, EngineVersion: "5.0.0", Status: "available",
		StorageGiB: 75, Encrypted: true, BackupRetentionDays: 7, BackupWindow: "03:00-03:30",
		MaintenanceWindow: "sun:05:00-sun:05:30", Age: 212 * day, Tags: t,
		Instances: instances("shipping-prod-euw1", "db.r6g.large", 2), Snapshots: automated(2, t),
	}
}

// GeneratedFleet is n DocumentDB clusters for scale tests, the same for the
// same n: mostly available, in the three engine versions, 1 to 5 instances,
// each with the automated snapshot of last night; and one elastic cluster
// for every 20 of them, likewise. Their identifiers
// ("payments-prod-000042", "events-elastic-000003") never clash with the
// demo fleet's.
func GeneratedFleet(n int) Fleet {
	services := []string{"payments", "orders", "inventory", "catalog", "profiles", "sessions", "analytics", "shipping", "search", "ledger"}
	envs := []string{"prod", "staging", "dev", "qa"}
	versions := []string{"4.0.0", "5.0.0", "8.0.0"}
	classes := []string{"db.t4g.medium", "db.r6g.large", "db.r6g.xlarge", "db.r6g.2xlarge"}
	statuses := []string{"available", "available", "available", "available", "available", "available", "available",
		"available", "backing-up", "modifying", "stopped", "creating"}
	// Tag lists are shared between clusters of the same service and
	// environment, which keeps a large fleet small in memory.
	tagSets := make([][]awsclient.Tag, len(services)*len(envs))
	for i := range tagSets {
		svc, env := services[i/len(envs)], envs[i%len(envs)]
		tagSets[i] = tags("team", svc, "env", env)
	}
	snapshotTags := tags("generated", "true")
	rng := rand.New(rand.NewPCG(uint64(n), 42))
	f := Fleet{Clusters: make([]ClusterSpec, n)}
	for i := range f.Clusters {
		s, e := rng.IntN(len(services)), rng.IntN(len(envs))
		id := fmt.Sprintf("%s-%s-%06d", services[s], envs[e], i)
		f.Clusters[i] = ClusterSpec{
			ID: id, Engine: awsclient.Engine, EngineVersion: versions[rng.IntN(len(versions))],
			Status: statuses[rng.IntN(len(statuses))], StorageGiB: 10 + rng.IntN(400),
			Encrypted: rng.IntN(4) > 0, BackupRetentionDays: 1 + rng.IntN(7),
			BackupWindow: "03:00-03:30", MaintenanceWindow: "sun:05:00-sun:05:30",
			Age:       time.Duration(30+rng.IntN(1000)) * day,
			Tags:      tagSets[s*len(envs)+e],
			Instances: instances(id, classes[rng.IntN(len(classes))], 1+rng.IntN(5)),
			Snapshots: automated(1, snapshotTags),
		}
	}
	elasticStatuses := []string{"ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE", "UPDATING", "STOPPED", "CREATING"}
	capacities := []int{2, 4, 8, 16, 32, 64}
	f.Elastic = make([]ElasticClusterSpec, n/20)
	for i := range f.Elastic {
		s, e := rng.IntN(len(services)), rng.IntN(len(envs))
		f.Elastic[i] = ElasticClusterSpec{
			Name:   fmt.Sprintf("%s-elastic-%s-%06d", services[s], envs[e], i),
			Status: elasticStatuses[rng.IntN(len(elasticStatuses))], ShardCount: 1 + rng.IntN(8),
			ShardCapacity: capacities[rng.IntN(len(capacities))], ShardInstanceCount: 1 + rng.IntN(3),
			StorageGiB: 10 + rng.IntN(400), BackupRetentionDays: 1 + rng.IntN(7),
			BackupWindow: "03:00-03:30", MaintenanceWindow: "sun:05:00-sun:05:30",
			Age: time.Duration(30+rng.IntN(1000)) * day, Tags: tagSets[s*len(envs)+e],
			Snapshots: automated(1, snapshotTags),
		}
	}
	return f
}
