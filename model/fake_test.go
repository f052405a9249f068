package model

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
)

// fakeClient is an in-memory awsclient.Client for the model's unit and
// golden tests (the whole-flow test uses the real SDK client and the local
// endpoint instead). It answers at once and counts its calls.
type fakeClient struct {
	mu         sync.Mutex
	target     awsclient.Target
	clusters   []awsclient.Cluster
	pageSize   int
	listErr    error // the listing fails on page listErrAt (0-based)
	listErrAt  int
	block      chan struct{} // when set, cluster pages from blockAfter on wait on it (a "loading" state)
	blockAfter int
	instances  map[string][]awsclient.Instance
	globals    []awsclient.GlobalCluster
	globalsErr error // every DescribeGlobalClusters fails with it
	snapshots  map[string][]awsclient.Snapshot
	tags       map[string][]awsclient.Tag
	tagsErr    error // every ListTagsForResource fails with it
	createErr  error
	refuse     map[string]error // cluster -> the error its creates fail with
	createHold chan struct{}    // when set, a create is recorded, then waits on it for its answer (on the wire)
	creates    []awsclient.CreateSnapshotInput
	describe   map[string]awsclient.Snapshot
	copyErr    error
	copies     []awsclient.CopySnapshotInput
	deleteErr  error
	deletes    []string
	shareErr   error
	shares     map[string][]string // by snapshot id
	descErr    error
	calls      map[string]int
	now        func() time.Time
	// Elastic clusters: the listing (Detailed false), each one's
	// description by ARN, and the listing's failure.
	elastic        []awsclient.Cluster
	elasticErr     error
	elasticDetails map[string]awsclient.Cluster
}

func newFake() *fakeClient {
	return &fakeClient{
		target:    awsclient.Target{Profile: "ops", Region: "us-east-1"},
		pageSize:  100,
		instances: map[string][]awsclient.Instance{},
		snapshots: map[string][]awsclient.Snapshot{},
		tags:      map[string][]awsclient.Tag{},
		describe:  map[string]awsclient.Snapshot{},
		shares:    map[string][]string{},
		calls:     map[string]int{},

		elasticDetails: map[string]awsclient.Cluster{},
		now:            func() time.Time { return t0 },
	}
}

func (f *fakeClient) count(op string) {
	f.mu.Lock()
	f.calls[op]++
	f.mu.Unlock()
}

func (f *fakeClient) Calls(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

func (f *fakeClient) Target() awsclient.Target { return f.target }

type fakePages[T any] struct {
	f          *fakeClient
	op         string
	items      []T
	size       int
	page       int
	errAt      int
	err        error
	block      chan struct{}
	blockAfter int
}

func (p *fakePages[T]) pages() int { return max(1, (len(p.items)+p.size-1)/p.size) }

func (p *fakePages[T]) More() bool { return p.page < p.pages() }

func (p *fakePages[T]) Next(ctx context.Context) ([]T, error) {
	p.f.count(p.op)
	if p.block != nil && p.page >= p.blockAfter {
		select {
		case <-p.block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if p.err != nil && p.page == p.errAt {
		return nil, p.err // a failed Next may be retried: the same page
	}
	from := min(p.page*p.size, len(p.items))
	to := min(from+p.size, len(p.items))
	p.page++
	return p.items[from:to], nil
}

func (f *fakeClient) Clusters() awsclient.Pages[awsclient.Cluster] {
	f.mu.Lock()
	defer f.mu.Unlock()
	return &fakePages[awsclient.Cluster]{f: f, op: "DescribeDBClusters", items: append([]awsclient.Cluster(nil), f.clusters...),
		size: f.pageSize, err: f.listErr, errAt: f.listErrAt, block: f.block, blockAfter: f.blockAfter}
}

func (f *fakeClient) GlobalClusters() awsclient.Pages[awsclient.GlobalCluster] {
	f.mu.Lock()
	defer f.mu.Unlock()
	return &fakePages[awsclient.GlobalCluster]{f: f, op: "DescribeGlobalClusters", items: f.globals, size: 100, err: f.globalsErr}
}

func (f *fakeClient) Instances(id string) awsclient.Pages[awsclient.Instance] {
	f.mu.Lock()
	defer f.mu.Unlock()
	return &fakePages[awsclient.Instance]{f: f, op: "DescribeDBInstances", items: f.instances[id], size: 100}
}

func (f *fakeClient) Snapshots(id string) awsclient.Pages[awsclient.Snapshot] {
	f.mu.Lock()
	defer f.mu.Unlock()
	var items []awsclient.Snapshot
	items = append(items, f.snapshots[id]...)
	for _, s := range f.describe {
		if s.ClusterID == id {
			items = append(items, s)
		}
	}
	return &fakePages[awsclient.Snapshot]{f: f, op: "DescribeDBClusterSnapshots", items: items, size: 100}
}

func (f *fakeClient) Snapshot(_ context.Context, id string, _ ...string) (awsclient.Snapshot, error) {
	f.count("DescribeDBClusterSnapshots")
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.descErr != nil {
		return awsclient.Snapshot{}, f.descErr
	}
	s, ok := f.describe[id]
	if !ok {
		return s, &awsclient.Error{Kind: awsclient.KindSnapshotNotFound, Op: "describe snapshot", Code: "DBClusterSnapshotNotFoundFault"}
	}
	return s, nil
}

func (f *fakeClient) CreateSnapshot(ctx context.Context, in awsclient.CreateSnapshotInput) (awsclient.Snapshot, error) {
	if err := f.create(ctx, "CreateDBClusterSnapshot", in); err != nil {
		return awsclient.Snapshot{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	id := strings.ToLower(in.SnapshotID)
	s := awsclient.Snapshot{ID: id, ClusterID: in.ClusterID, Status: "creating", Type: awsclient.SnapshotManual,
		ARN: "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:" + id, Created: f.now()}
	f.describe[id] = s
	return s, nil
}

// create records a create of either kind, waits for createHold if set, and
// returns createErr.
func (f *fakeClient) create(ctx context.Context, op string, in awsclient.CreateSnapshotInput) error {
	f.count(op)
	f.mu.Lock()
	f.creates = append(f.creates, in)
	hold := f.createHold
	f.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.createErr != nil {
		return f.createErr
	}
	return f.refuse[in.ClusterID]
}

// AllSnapshots lists every snapshot of every cluster, those of f.snapshots
// first, then those created or copied; shared ones only when asked.
func (f *fakeClient) AllSnapshots(includeShared bool) awsclient.Pages[awsclient.Snapshot] {
	f.mu.Lock()
	defer f.mu.Unlock()
	var items []awsclient.Snapshot
	keep := func(s awsclient.Snapshot) {
		if includeShared || !s.Shared {
			items = append(items, s)
		}
	}
	ids := make([]string, 0, len(f.snapshots))
	for id := range f.snapshots {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		for _, s := range f.snapshots[id] {
			keep(s)
		}
	}
	made := slices.Sorted(maps.Keys(f.describe))
	for _, id := range made {
		keep(f.describe[id])
	}
	return &fakePages[awsclient.Snapshot]{f: f, op: "DescribeDBClusterSnapshots", items: items, size: f.pageSize}
}

// find is the snapshot of id, listed or made, and whether there is one.
func (f *fakeClient) find(id string) (awsclient.Snapshot, bool) {
	if s, ok := f.describe[id]; ok {
		return s, true
	}
	for _, list := range f.snapshots {
		for _, s := range list {
			if s.ID == id || s.ARN == id {
				return s, true
			}
		}
	}
	return awsclient.Snapshot{}, false
}

func (f *fakeClient) CopySnapshot(_ context.Context, in awsclient.CopySnapshotInput) (awsclient.Snapshot, error) {
	f.count("CopyDBClusterSnapshot")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.copies = append(f.copies, in)
	if f.copyErr != nil {
		return awsclient.Snapshot{}, f.copyErr
	}
	src, _ := f.find(in.SourceID)
	id := strings.ToLower(in.TargetID)
	s := awsclient.Snapshot{ID: id, ClusterID: src.ClusterID, Region: f.target.Region, Status: awsclient.StatusCopying,
		Type: awsclient.SnapshotManual, ARN: "arn:aws:rds:" + f.target.Region + ":123456789012:cluster-snapshot:" + id,
		Created: src.Created, StorageEncrypted: src.StorageEncrypted, KMSKeyID: in.KMSKeyID, SourceARN: src.ARN}
	f.describe[id] = s
	return s, nil
}

func (f *fakeClient) DeleteSnapshot(_ context.Context, id string) (awsclient.Snapshot, error) {
	f.count("DeleteDBClusterSnapshot")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.deletes = append(f.deletes, id)
	if f.deleteErr != nil {
		return awsclient.Snapshot{}, f.deleteErr
	}
	s, ok := f.find(id)
	if !ok {
		return s, &awsclient.Error{Kind: awsclient.KindSnapshotNotFound, Op: "delete snapshot", Code: "DBClusterSnapshotNotFoundFault"}
	}
	delete(f.describe, id)
	for c, list := range f.snapshots {
		f.snapshots[c] = slices.DeleteFunc(list, func(s awsclient.Snapshot) bool { return s.ID == id })
	}
	s.Status = "deleted"
	return s, nil
}

func (f *fakeClient) SnapshotShares(_ context.Context, id string) ([]string, error) {
	f.count("DescribeDBClusterSnapshotAttributes")
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.shareErr != nil {
		return nil, f.shareErr
	}
	return slices.Clone(f.shares[id]), nil
}

func (f *fakeClient) ShareSnapshot(_ context.Context, id string, add, remove []string) ([]string, error) {
	f.count("ModifyDBClusterSnapshotAttribute")
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.shareErr != nil {
		return nil, f.shareErr
	}
	list := slices.DeleteFunc(slices.Clone(f.shares[id]), func(a string) bool { return slices.Contains(remove, a) })
	for _, a := range add {
		if !slices.Contains(list, a) {
			list = append(list, a)
		}
	}
	f.shares[id] = list
	return slices.Clone(list), nil
}

func (f *fakeClient) Tags(_ context.Context, arn string) ([]awsclient.Tag, error) {
	f.count("ListTagsForResource")
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.tagsErr != nil {
		return nil, f.tagsErr
	}
	return f.tags[arn], nil
}

func (f *fakeClient) ElasticClusters() awsclient.Pages[awsclient.Cluster] {
	f.mu.Lock()
	defer f.mu.Unlock()
	return &fakePages[awsclient.Cluster]{f: f, op: "ListClusters", items: append([]awsclient.Cluster(nil), f.elastic...),
		size: f.pageSize, err: f.elasticErr}
}

func (f *fakeClient) ElasticCluster(_ context.Context, arn string) (awsclient.Cluster, error) {
	f.count("GetCluster")
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.elasticDetails[arn]
	if !ok {
		return c, &awsclient.Error{Kind: awsclient.KindClusterNotFound, Op: "describe elastic cluster", Code: "ResourceNotFoundException"}
	}
	return c, nil
}

// ElasticSnapshots lists the snapshots kept under the cluster's ARN in
// snapshots, and those created since.
func (f *fakeClient) ElasticSnapshots(arn string) awsclient.Pages[awsclient.Snapshot] {
	p := f.Snapshots(arn).(*fakePages[awsclient.Snapshot])
	p.op = "ListClusterSnapshots"
	return p
}

// ElasticSnapshot describes a snapshot kept in describe by its ARN.
func (f *fakeClient) ElasticSnapshot(_ context.Context, arn string) (awsclient.Snapshot, error) {
	f.count("GetClusterSnapshot")
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.descErr != nil {
		return awsclient.Snapshot{}, f.descErr
	}
	for _, s := range f.describe {
		if s.ARN == arn {
			return s, nil
		}
	}
	return awsclient.Snapshot{}, &awsclient.Error{Kind: awsclient.KindSnapshotNotFound, Op: "describe snapshot", Code: "ResourceNotFoundException"}
}

func (f *fakeClient) CreateElasticSnapshot(ctx context.Context, in awsclient.CreateSnapshotInput) (awsclient.Snapshot, error) {
	if err := f.create(ctx, "CreateClusterSnapshot", in); err != nil {
		return awsclient.Snapshot{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	s := awsclient.Snapshot{ID: in.SnapshotID, ClusterID: in.ClusterID, ClusterARN: in.ClusterID,
		ClusterType: awsclient.TypeElastic, Status: awsclient.StatusElasticCreating, Type: awsclient.SnapshotManual,
		ARN: "arn:aws:docdb-elastic:us-east-1:123456789012:cluster-snapshot/" + in.SnapshotID, Created: f.now()}
	f.describe[s.ARN] = s
	return s, nil
}

// regionFake is a fake of another region and profile: clusters named
// after the region, their ARNs in it.
func regionFake(profile, region string, ids ...string) *fakeClient {
	f := newFake()
	f.target = awsclient.Target{Profile: profile, Region: region}
	for _, id := range ids {
		f.clusters = append(f.clusters, awsclient.Cluster{ID: id, ARN: "arn:aws:rds:" + region + ":123456789012:cluster:" + id,
			Region: region, Engine: "docdb", EngineVersion: "5.0.0", Status: "available", Created: t0.Add(-time.Hour)})
	}
	return f
}

// accounts is a fake Config.Connect: a client for each profile and region,
// and the calls made.
type accounts struct {
	mu      sync.Mutex
	clients map[[2]string]*fakeClient
	calls   [][2]string
}

func (a *accounts) connect(profile, region string) (awsclient.Client, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls = append(a.calls, [2]string{profile, region})
	c, ok := a.clients[[2]string{profile, region}]
	if !ok {
		return nil, &awsclient.Error{Kind: awsclient.KindConfig, Op: "configure AWS", Profile: profile,
			Err: fmt.Errorf("no profile %q in the fake", profile)}
	}
	return c, nil
}

// setProgress changes what the endpoint says about a snapshot.
func (f *fakeClient) setProgress(id, status string, pct int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.describe[id]
	s.Status, s.PercentProgress = status, pct
	f.describe[id] = s
}

func (f *fakeClient) createCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.creates)
}

var t0 = time.Date(2024, 5, 1, 12, 34, 0, 0, time.UTC)

// fleet is the clusters of the golden files.
func fleet() []awsclient.Cluster {
	mk := func(id, status, version string, members int, enc bool, age time.Duration) awsclient.Cluster {
		c := awsclient.Cluster{ID: id, ARN: "arn:aws:rds:us-east-1:123456789012:cluster:" + id, Region: "us-east-1",
			Status: status, Engine: "docdb", EngineVersion: version, Port: 27017,
			Endpoint: id + ".cluster-c1xample.us-east-1.docdb.amazonaws.com", StorageEncrypted: enc,
			BackupRetentionDays: 7, BackupWindow: "07:00-07:30", Created: t0.Add(-age), DeletionProtection: enc}
		for i := range members {
			c.Members = append(c.Members, awsclient.Member{InstanceID: fmt.Sprintf("%s-%d", id, i+1), Writer: i == 0})
		}
		return c
	}
	return []awsclient.Cluster{
		mk("orders-prod", "available", "5.0.0", 3, true, 400*24*time.Hour),
		mk("orders-staging", "available", "5.0.0", 1, true, 90*24*time.Hour),
		mk("payments-ledger", "backing-up", "4.0.0", 2, true, 700*24*time.Hour),
		mk("inventory-search-analytics-eu-replica", "modifying", "5.0.0", 2, false, 30*24*time.Hour),
		mk("legacy-catalog", "stopped", "3.6.0", 1, false, 1500*24*time.Hour),
		mk("sessions-cache", "inaccessible-encryption-credentials", "4.0.0", 1, true, 200*24*time.Hour),
		mk("Reporting-OLAP", "available", "5.0.0", 2, true, 10*24*time.Hour),
	}
}

func populate(f *fakeClient) {
	f.clusters = fleet()
	for _, c := range f.clusters {
		for i, mem := range c.Members {
			f.instances[c.ID] = append(f.instances[c.ID], awsclient.Instance{ID: mem.InstanceID, ClusterID: c.ID,
				Class: "db.r6g.large", Status: "available", Writer: i == 0, AvailabilityZone: "us-east-1a"})
		}
	}
	f.snapshots["orders-prod"] = []awsclient.Snapshot{
		{ID: "rds:orders-prod-2024-04-30-07-05", ClusterID: "orders-prod", Status: "available", Type: "automated", PercentProgress: 100, Created: t0.Add(-29 * time.Hour)},
		{ID: "rds:orders-prod-2024-05-01-07-05", ClusterID: "orders-prod", Status: "available", Type: "automated", PercentProgress: 100, Created: t0.Add(-5 * time.Hour)},
		{ID: "before-migration", ClusterID: "orders-prod", Status: "available", Type: "manual", PercentProgress: 100, Created: t0.Add(-72 * time.Hour)},
		{ID: "orders-prod-hourly-check", ClusterID: "orders-prod", Status: "creating", Type: "manual", PercentProgress: 42, Created: t0.Add(-10 * time.Minute)},
	}
	f.tags["arn:aws:rds:us-east-1:123456789012:cluster:orders-prod"] = []awsclient.Tag{{Key: "team", Value: "payments"}, {Key: "env", Value: "prod"}}
}

// timers records what the model schedules instead of waiting for it.
type timers struct {
	mu  sync.Mutex
	got []scheduled
}

type scheduled struct {
	d   time.Duration
	msg tea.Msg
}

func (t *timers) after(d time.Duration, msg tea.Msg) tea.Cmd {
	t.mu.Lock()
	t.got = append(t.got, scheduled{d, msg})
	t.mu.Unlock()
	return nil
}

// take returns and forgets the scheduled messages of type T.
func take[T tea.Msg](t *timers) []T {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []T
	keep := t.got[:0]
	for _, s := range t.got {
		if m, ok := s.msg.(T); ok {
			out = append(out, m)
		} else {
			keep = append(keep, s)
		}
	}
	t.got = keep
	return out
}

func (t *timers) delays() []time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []time.Duration
	for _, s := range t.got {
		if _, ok := s.msg.(pollMsg); ok {
			out = append(out, s.d)
		}
	}
	return out
}
