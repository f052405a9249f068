package emulator

import (
	"cmp"
	"encoding/base64"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/docsnap/docsnap/awsclient"
)

// world is the state of one region of one account. Clusters and instances
// never change once loaded; snapshots are added by CreateDBClusterSnapshot.
// Everything is kept sorted by identifier so that a page is found by binary
// search and never needs a scan or a sort of the whole region.
type world struct {
	clusters  []*cluster            // by id
	byEngine  map[string][]*cluster // by id, per engine: the common filter
	instances []*instance           // by id
	snapshots []*snapshot           // by cluster id, then id
	snapshot  map[string]*snapshot  // by id: ids are unique per region
	manual    int                   // manual snapshots, for the quota
	globals   []*globalCluster      // by id: the account's, members in any region
	zones     []string              // the region's availability zones
	failNew   bool                  // snapshots created now end failed (Server.FailSnapshots)
	elastic   elasticWorld          // the docdb-elastic API's clusters and snapshots
}

type cluster struct {
	id, engine, version, status     string
	backupWindow, maintenanceWindow string
	sizeGiB, backupDays             int
	encrypted, deletionProtection   bool
	created                         time.Time
	logExports                      []string
	tags                            []awsclient.Tag
	members                         []*instance // as the fleet lists them
}

// globalCluster is one of the account's global clusters. Its members are
// named by region and identifier, and may be in other regions.
type globalCluster struct {
	id, engine, version string
	encrypted           bool
	members             []GlobalMemberSpec
}

func globalID(g *globalCluster) string { return g.id }

type instance struct {
	id, class, status, zone string
	writer                  bool
	cluster                 *cluster
	tags                    []awsclient.Tag
}

type snapshot struct {
	id, typ string
	cluster *cluster // of a copy from another region or a shared snapshot, a cluster of elsewhere
	created time.Time
	// status is the final status; a snapshot with a duration is creating
	// (copying, for a copy) until created+duration, its progress computed
	// from the clock.
	status   string
	duration time.Duration
	tags     []awsclient.Tag
	copying  bool   // a copy: "copying" while it runs
	source   string // a copy's source snapshot ARN
	// arn and kmsKey, when set, are the snapshot's own: another account's
	// (a snapshot shared with this one), or, for kmsKey, the key a copy was
	// given. Unset, they are this account's and region's.
	arn, kmsKey string
	shares      []string // the restore attribute: accounts it is shared with, or "all"
}

func newWorld(region string) *world {
	return &world{
		byEngine: map[string][]*cluster{},
		snapshot: map[string]*snapshot{},
		zones:    []string{region + "a", region + "b", region + "c"},
	}
}

func clusterID(c *cluster) string   { return c.id }
func instanceID(i *instance) string { return i.id }

// snapshotKey orders snapshots by cluster, then identifier. NUL sorts before
// any character an identifier may hold, so the order of keys is the order of
// the (cluster, id) pairs.
func snapshotKey(s *snapshot) string { return s.cluster.id + "\x00" + s.id }

func compareSnapshots(a, b *snapshot) int {
	return cmp.Or(strings.Compare(a.cluster.id, b.cluster.id), strings.Compare(a.id, b.id))
}

// find returns the item of sorted whose key is id, or nil.
func find[T any](sorted []*T, key func(*T) string, id string) *T {
	i := sort.Search(len(sorted), func(i int) bool { return key(sorted[i]) >= id })
	if i < len(sorted) && key(sorted[i]) == id {
		return sorted[i]
	}
	return nil
}

func (w *world) cluster(id string) *cluster       { return find(w.clusters, clusterID, id) }
func (w *world) instance(id string) *instance     { return find(w.instances, instanceID, id) }
func (w *world) snapshotByID(id string) *snapshot { return w.snapshot[id] }

// snapshotsOf returns the snapshots of one cluster, in identifier order.
func (w *world) snapshotsOf(c *cluster) []*snapshot {
	lo := sort.Search(len(w.snapshots), func(i int) bool { return w.snapshots[i].cluster.id >= c.id })
	hi := lo + sort.Search(len(w.snapshots)-lo, func(i int) bool { return w.snapshots[lo+i].cluster.id > c.id })
	return w.snapshots[lo:hi]
}

// addSnapshot inserts a snapshot created by a call in its place.
func (w *world) addSnapshot(s *snapshot) {
	i, _ := slices.BinarySearchFunc(w.snapshots, s, compareSnapshots)
	w.snapshots = slices.Insert(w.snapshots, i, s)
	w.index(s)
}

// removeSnapshot takes a snapshot out of the region.
func (w *world) removeSnapshot(s *snapshot) {
	if i, ok := slices.BinarySearchFunc(w.snapshots, s, compareSnapshots); ok {
		w.snapshots = slices.Delete(w.snapshots, i, i+1)
	}
	delete(w.snapshot, s.id)
	if s.typ == awsclient.SnapshotManual {
		w.manual--
	}
}

// index files a snapshot by identifier and counts it against the quota.
func (w *world) index(s *snapshot) {
	w.snapshot[s.id] = s
	if s.typ == awsclient.SnapshotManual {
		w.manual++
	}
}

// page returns up to limit items of sorted that keep accepts, from the first
// whose key is at or after from, and the key of the next accepted item, or ""
// when there is none.
func page[T any](sorted []T, key func(T) string, from string, limit int, keep func(T) bool) ([]T, string) {
	start := 0
	if from != "" {
		start = sort.Search(len(sorted), func(i int) bool { return key(sorted[i]) >= from })
	}
	var out []T
	for _, item := range sorted[start:] {
		if !keep(item) {
			continue
		}
		if len(out) == limit {
			return out, key(item)
		}
		out = append(out, item)
	}
	return out, ""
}

// A marker is the key of the first item of the next page, encoded so that
// clients treat it as the opaque string it is.
func encodeMarker(key string) string {
	if key == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(key))
}

func decodeMarker(m string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(m)
	return string(b), err == nil
}

// load adds a fleet: times are relative to now; a snapshot still in progress
// gets the duration its cluster's size calls for. Identifiers already taken
// are skipped, so loading never changes what a client has already seen.
func (w *world) load(f Fleet, region string, now time.Time, base time.Duration) {
	// The sorted slices answer for what was loaded before; the maps for what
	// this fleet adds.
	oldClusters, oldInstances := w.clusters, w.instances
	newClusters, newInstances := map[string]bool{}, map[string]bool{}
	for _, spec := range f.Clusters {
		id := strings.ToLower(spec.ID)
		if id == "" || !fresh(oldClusters, clusterID, newClusters, id) {
			continue
		}
		c := &cluster{
			id: id, engine: spec.Engine, version: spec.EngineVersion, status: spec.Status,
			backupWindow: spec.BackupWindow, maintenanceWindow: spec.MaintenanceWindow,
			sizeGiB: spec.StorageGiB, backupDays: spec.BackupRetentionDays,
			encrypted: spec.Encrypted, deletionProtection: spec.DeletionProtection,
			created: now.Add(-spec.Age), logExports: spec.LogExports, tags: spec.Tags,
		}
		w.clusters = append(w.clusters, c)
		for i, is := range spec.Instances {
			iid := strings.ToLower(is.ID)
			if iid == "" || !fresh(oldInstances, instanceID, newInstances, iid) {
				continue
			}
			in := &instance{
				id: iid, class: is.Class, status: cmp.Or(is.Status, instanceStatus(c.status)),
				zone: w.zones[i%len(w.zones)], writer: is.Writer, cluster: c, tags: is.Tags,
			}
			c.members = append(c.members, in)
			w.instances = append(w.instances, in)
		}
		for _, ss := range spec.Snapshots {
			s := &snapshot{
				id: strings.ToLower(ss.ID), typ: ss.Type, cluster: c, created: now.Add(-ss.Age),
				status: cmp.Or(ss.Status, awsclient.StatusAvailable), tags: ss.Tags, shares: slices.Clone(ss.SharedWith),
			}
			if ss.Elapsed > 0 && ss.Elapsed < 1 {
				s.duration = snapshotDuration(base, c.sizeGiB)
				s.created = now.Add(-time.Duration(ss.Elapsed * float64(s.duration)))
			}
			if s.id == "" {
				s.id = automatedSnapshotID(c.id, s.created)
			}
			if w.snapshot[s.id] != nil {
				continue
			}
			w.snapshots = append(w.snapshots, s) // sorted below, with the rest
			w.index(s)
		}
	}
	for _, ss := range f.SharedWithMe {
		s := sharedSnapshot(ss, region, now)
		if w.snapshot[s.id] != nil {
			continue
		}
		w.snapshots = append(w.snapshots, s)
		w.index(s)
	}
	oldGlobals := w.globals
	newGlobals := map[string]bool{}
	for _, spec := range f.Globals {
		id := strings.ToLower(spec.ID)
		if id == "" || !fresh(oldGlobals, globalID, newGlobals, id) {
			continue
		}
		w.globals = append(w.globals, &globalCluster{id: id, engine: spec.Engine, version: spec.EngineVersion,
			encrypted: spec.Encrypted, members: slices.Clone(spec.Members)})
	}
	slices.SortFunc(w.globals, func(a, b *globalCluster) int { return strings.Compare(a.id, b.id) })
	slices.SortFunc(w.clusters, func(a, b *cluster) int { return strings.Compare(a.id, b.id) })
	slices.SortFunc(w.instances, func(a, b *instance) int { return strings.Compare(a.id, b.id) })
	slices.SortFunc(w.snapshots, compareSnapshots)
	clear(w.byEngine)
	for _, c := range w.clusters {
		w.byEngine[c.engine] = append(w.byEngine[c.engine], c)
	}
}

// sharedSnapshot is a snapshot another account shares with this one, in
// region: named by its ARN, of a cluster of that account's.
func sharedSnapshot(ss SharedSnapshotSpec, region string, now time.Time) *snapshot {
	c := &cluster{id: strings.ToLower(ss.ClusterID), engine: awsclient.Engine, version: ss.EngineVersion,
		status: awsclient.StatusAvailable, encrypted: ss.Encrypted, created: now.Add(-ss.Age - 100*day)}
	id := strings.ToLower(ss.ID)
	s := &snapshot{
		typ: awsclient.SnapshotShared, cluster: c, created: now.Add(-ss.Age), status: awsclient.StatusAvailable,
		arn: "arn:aws:rds:" + region + ":" + ss.Owner + ":" + kindSnapshot + ":" + id,
	}
	s.id = s.arn
	if ss.Encrypted {
		s.kmsKey = newAccountIDs(ss.Owner, region).kmsKey
	}
	return s
}

// fresh reports whether id is new: neither in old (sorted by key) nor in
// added, which it then joins.
func fresh[T any](old []*T, key func(*T) string, added map[string]bool, id string) bool {
	if added[id] || find(old, key, id) != nil {
		return false
	}
	added[id] = true
	return true
}

// automatedSnapshotID names an automated snapshot as AWS does:
// rds:{cluster}-YYYY-MM-DD-HH-MM.
func automatedSnapshotID(clusterID string, t time.Time) string {
	return "rds:" + clusterID + t.UTC().Format("-2006-01-02-15-04")
}

// instanceStatus is what an instance shows while its cluster is in a status.
func instanceStatus(clusterStatus string) string {
	switch clusterStatus {
	case "creating", "stopped", "stopping", "starting", "modifying", "upgrading", "deleting":
		return clusterStatus
	}
	return "available"
}
