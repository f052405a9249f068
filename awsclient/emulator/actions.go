package emulator

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/docsnap/docsnap/awsclient"
)

// idSet is the identifiers a filter such as db-cluster-id names, each given
// as an identifier or an ARN.
func (s *Server) idSet(f filter, kind string) map[string]bool {
	set := make(map[string]bool, len(f.values))
	for _, v := range f.values {
		set[s.ids.resourceID(v, kind)] = true
	}
	return set
}

// matchAll is a page's predicate: every test must hold.
func matchAll[T any](tests []func(T) bool) func(T) bool {
	return func(item T) bool {
		for _, test := range tests {
			if !test(item) {
				return false
			}
		}
		return true
	}
}

// byIDs returns the items named in set, in identifier order.
func byIDs[T any](set map[string]bool, lookup func(string) *T, key func(*T) string) []*T {
	var out []*T
	for id := range set {
		if item := lookup(id); item != nil {
			out = append(out, item)
		}
	}
	slices.SortFunc(out, func(a, b *T) int { return strings.Compare(key(a), key(b)) })
	return out
}

func (s *Server) describeClusters(p params, now time.Time) (xmlResult, *apiError) {
	from, limit, err := p.page()
	if err != nil {
		return nil, err
	}
	// The filters the API documents: db-cluster-id among the parameters,
	// engine in the action's description.
	filters, err := p.filters("engine", "db-cluster-id")
	if err != nil {
		return nil, err
	}
	var tests []func(*cluster) bool
	var ids map[string]bool // the first db-cluster-id filter, to look up rather than scan
	var engine string       // a single-engine filter, to page through that engine's index
	for _, f := range filters {
		switch f.name {
		case "engine":
			tests = append(tests, func(c *cluster) bool { return f.has(c.engine) })
			if len(f.values) == 1 && engine == "" {
				engine = f.values[0]
			}
		case "db-cluster-id":
			set := s.idSet(f, kindCluster)
			tests = append(tests, func(c *cluster) bool { return set[c.id] })
			if ids == nil {
				ids = set
			}
		}
	}

	s.mu.RLock()
	defer s.mu.RUnlock()
	w := s.world
	base := w.clusters
	switch id, _ := p.get("DBClusterIdentifier"); {
	case id != "":
		c := w.cluster(s.ids.resourceID(id, kindCluster))
		if c == nil {
			return nil, clusterNotFound(id)
		}
		base = []*cluster{c}
	case ids != nil:
		base = byIDs(ids, w.cluster, clusterID)
	case engine != "":
		base = w.byEngine[engine]
	}
	items, next := page(base, clusterID, from, limit, matchAll(tests))
	out := clustersResult{Marker: encodeMarker(next), DBClusters: list[xmlCluster]{make([]xmlCluster, len(items))}}
	for i, c := range items {
		out.DBClusters.Items[i] = s.renderCluster(c, now)
	}
	return out, nil
}

// Snapshot types DescribeDBClusterSnapshots accepts, as the API documents
// them; this endpoint has no public snapshots.
var snapshotTypes = []string{awsclient.SnapshotAutomated, awsclient.SnapshotManual, awsclient.SnapshotShared, "public"}

func (s *Server) describeSnapshots(p params, now time.Time) (xmlResult, *apiError) {
	from, limit, err := p.page()
	if err != nil {
		return nil, err
	}
	// Filters are not read: the API documents them as not supported here.
	// IncludePublic adds nothing, as this endpoint holds no public
	// snapshots, but must be a boolean.
	includeShared, err := p.boolean("IncludeShared")
	if err != nil {
		return nil, err
	}
	if _, err := p.boolean("IncludePublic"); err != nil {
		return nil, err
	}
	var tests []func(*snapshot) bool
	typ, _ := p.get("SnapshotType")
	if typ != "" {
		if !slices.Contains(snapshotTypes, typ) {
			return nil, invalidParameter("Invalid value %q for SnapshotType. Must be one of %s.", typ, strings.Join(snapshotTypes, ", "))
		}
		tests = append(tests, func(sn *snapshot) bool { return sn.typ == typ })
	} else if !includeShared {
		// Other accounts' snapshots shared with this one are listed only
		// when asked for.
		tests = append(tests, func(sn *snapshot) bool { return sn.typ != awsclient.SnapshotShared })
	}
	clusterArg, _ := p.get("DBClusterIdentifier")
	snapshotArg, _ := p.get("DBClusterSnapshotIdentifier")
	if clusterArg != "" && snapshotArg != "" {
		return nil, errorf(http.StatusBadRequest, "InvalidParameterCombination",
			"DBClusterIdentifier and DBClusterSnapshotIdentifier cannot be given together.")
	}
	// Names of what exists: automated snapshots and ARNs are names too.
	if problems := awsclient.ValidateExistingSnapshot(snapshotArg); snapshotArg != "" && len(problems) > 0 {
		return nil, invalidIdentifier("DBClusterSnapshotIdentifier", snapshotArg, problems)
	}
	if problems := awsclient.ValidateExistingCluster(clusterArg); clusterArg != "" && len(problems) > 0 {
		return nil, invalidIdentifier("DBClusterIdentifier", clusterArg, problems)
	}

	s.mu.RLock()
	defer s.mu.RUnlock()
	w := s.world
	base := w.snapshots
	switch {
	case snapshotArg != "":
		sn := s.lookupSnapshot(snapshotArg)
		// The API documents that an automated snapshot's identifier needs
		// SnapshotType too: without it, or with another type than the
		// snapshot's, the identifier names no snapshot of that kind.
		if sn == nil || typ != sn.typ && (typ != "" || sn.typ == awsclient.SnapshotAutomated) {
			return nil, snapshotNotFound(snapshotArg)
		}
		base = []*snapshot{sn}
	case clusterArg != "":
		base = nil
		if c := w.cluster(s.ids.resourceID(clusterArg, kindCluster)); c != nil {
			base = w.snapshotsOf(c)
		}
	}
	items, next := page(base, snapshotKey, from, limit, matchAll(tests))
	out := snapshotsResult{Marker: encodeMarker(next), DBClusterSnapshots: list[xmlSnapshot]{make([]xmlSnapshot, len(items))}}
	for i, sn := range items {
		out.DBClusterSnapshots.Items[i] = s.renderSnapshot(sn, now)
	}
	return out, nil
}

func (s *Server) createSnapshot(p params, now time.Time) (xmlResult, *apiError) {
	snapshotArg, err := p.required("DBClusterSnapshotIdentifier")
	if err != nil {
		return nil, err
	}
	clusterArg, err := p.required("DBClusterIdentifier")
	if err != nil {
		return nil, err
	}
	tags, err := p.tags()
	if err != nil {
		return nil, err
	}
	// Warnings are rules AWS's documents disagree on: accepted, as docsnap
	// sends them.
	snapshotID, problems := awsclient.ValidateSnapshotID(snapshotArg)
	if problems := awsclient.Blocking(problems); len(problems) > 0 {
		return nil, invalidIdentifier("DBClusterSnapshotIdentifier", snapshotArg, problems)
	}
	id, problems := awsclient.ValidateClusterID(clusterArg)
	if problems := awsclient.Blocking(problems); len(problems) > 0 {
		return nil, invalidIdentifier("DBClusterIdentifier", clusterArg, problems)
	}
	if problems := awsclient.Blocking(awsclient.ValidateTags(tags)); len(problems) > 0 {
		return nil, invalidParameter("Invalid Tags: %s.", joinProblems(problems, awsclient.Problem.String))
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.world
	c := w.cluster(id)
	switch {
	case c == nil:
		return nil, clusterNotFound(clusterArg)
	case w.snapshotByID(snapshotID) != nil:
		return nil, errorf(http.StatusBadRequest, "DBClusterSnapshotAlreadyExistsFault",
			"Cannot create the cluster snapshot because one with the identifier %s already exists.", snapshotID)
	case c.status != "available":
		return nil, errorf(http.StatusBadRequest, "InvalidDBClusterStateFault",
			"DBCluster %s is %s: a snapshot can be taken only while it is available.", c.id, c.status)
	case w.manual >= s.opts.Quota:
		return nil, errorf(http.StatusBadRequest, "SnapshotQuotaExceeded",
			"Cannot create more than %d manual snapshots.", s.opts.Quota)
	}
	final := awsclient.StatusAvailable
	if w.failNew {
		final = "failed"
	}
	sn := &snapshot{
		id: snapshotID, typ: awsclient.SnapshotManual, cluster: c, created: now,
		status: final, duration: snapshotDuration(s.opts.SnapshotDuration, c.sizeGiB),
		tags: slices.Clone(tags),
	}
	w.addSnapshot(sn)
	return createSnapshotResult{DBClusterSnapshot: s.renderSnapshot(sn, now)}, nil
}

// FailSnapshots makes the snapshots created from now on, while on is set,
// run their course and then end in status "failed" instead of "available"
// (an elastic snapshot "FAILED" instead of "ACTIVE"),
// as a fleet's SnapshotSpec.Status does for the snapshots it holds: for
// tests and demos of a snapshot that fails.
func (s *Server) FailSnapshots(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.world.failNew = on
}

// invalidIdentifier names the parameter and says every rule the value
// breaks, in the words of the shared rules.
func invalidIdentifier(param, value string, problems []awsclient.Problem) *apiError {
	return invalidParameter("Invalid %s %q: %s.", param, value,
		joinProblems(problems, func(p awsclient.Problem) string { return p.Message }))
}

// joinProblems says the first few problems, and how many more there are: a
// value of many bad characters has a problem for each, and an answer
// listing them all would be a hundred times the request.
func joinProblems(problems []awsclient.Problem, say func(awsclient.Problem) string) string {
	const shown = 5
	parts := make([]string, 0, min(len(problems), shown+1))
	for _, p := range problems[:min(len(problems), shown)] {
		parts = append(parts, say(p))
	}
	if more := len(problems) - shown; more > 0 {
		parts = append(parts, "and "+strconv.Itoa(more)+" more")
	}
	return strings.Join(parts, "; ")
}

func (s *Server) describeInstances(p params, now time.Time) (xmlResult, *apiError) {
	from, limit, err := p.page()
	if err != nil {
		return nil, err
	}
	filters, err := p.filters("db-cluster-id", "db-instance-id") // the filters the API documents
	if err != nil {
		return nil, err
	}
	var tests []func(*instance) bool
	var clusters map[string]bool // the first db-cluster-id filter: page through those clusters' members
	for _, f := range filters {
		switch f.name {
		case "db-cluster-id":
			set := s.idSet(f, kindCluster)
			tests = append(tests, func(in *instance) bool { return set[in.cluster.id] })
			if clusters == nil {
				clusters = set
			}
		case "db-instance-id":
			set := s.idSet(f, kindInstance)
			tests = append(tests, func(in *instance) bool { return set[in.id] })
		}
	}

	s.mu.RLock()
	defer s.mu.RUnlock()
	w := s.world
	base := w.instances
	switch id, _ := p.get("DBInstanceIdentifier"); {
	case id != "":
		in := w.instance(s.ids.resourceID(id, kindInstance))
		if in == nil {
			return nil, instanceNotFound(id)
		}
		base = []*instance{in}
	case clusters != nil:
		base = nil
		for _, c := range byIDs(clusters, w.cluster, clusterID) {
			base = append(base, c.members...)
		}
		slices.SortFunc(base, func(a, b *instance) int { return strings.Compare(a.id, b.id) })
	}
	items, next := page(base, instanceID, from, limit, matchAll(tests))
	out := instancesResult{Marker: encodeMarker(next), DBInstances: list[xmlInstance]{make([]xmlInstance, len(items))}}
	for i, in := range items {
		out.DBInstances.Items[i] = s.renderInstance(in)
	}
	return out, nil
}

// describeGlobalClusters lists the account's global clusters, with their
// members in every region. The db-cluster-id filter takes a member's ARN, or
// the identifier of a member in this region.
func (s *Server) describeGlobalClusters(p params, _ time.Time) (xmlResult, *apiError) {
	from, limit, err := p.page()
	if err != nil {
		return nil, err
	}
	filters, err := p.filters("db-cluster-id")
	if err != nil {
		return nil, err
	}
	var tests []func(*globalCluster) bool
	for _, f := range filters {
		set := make(map[string]bool, len(f.values))
		for _, v := range f.values {
			if !strings.HasPrefix(v, "arn:") {
				v = s.ids.arn(kindCluster, strings.ToLower(v))
			}
			set[v] = true
		}
		tests = append(tests, func(g *globalCluster) bool {
			return slices.ContainsFunc(g.members, func(m GlobalMemberSpec) bool { return set[s.memberARN(m)] })
		})
	}

	s.mu.RLock()
	defer s.mu.RUnlock()
	base := s.world.globals
	if id, _ := p.get("GlobalClusterIdentifier"); id != "" {
		g := find(base, globalID, strings.ToLower(id))
		if g == nil {
			return nil, globalClusterNotFound(id)
		}
		base = []*globalCluster{g}
	}
	items, next := page(base, globalID, from, limit, matchAll(tests))
	out := globalClustersResult{Marker: encodeMarker(next), GlobalClusters: list[xmlGlobalCluster]{make([]xmlGlobalCluster, len(items))}}
	for i, g := range items {
		out.GlobalClusters.Items[i] = s.renderGlobalCluster(g)
	}
	return out, nil
}

// listTags answers for a cluster, snapshot or instance ARN. Filters are
// accepted and ignored, as AWS documents them as not supported.
func (s *Server) listTags(p params, now time.Time) (xmlResult, *apiError) {
	arn, err := p.required("ResourceName")
	if err != nil {
		return nil, err
	}
	kind, id, ok := s.ids.parseARN(arn)
	if !ok {
		return nil, invalidParameter("The specified resource name %q does not match a DocumentDB resource in %s of account %s.",
			arn, s.opts.Region, s.opts.Account)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var tags []awsclient.Tag
	switch kind {
	case kindCluster:
		c := s.world.cluster(id)
		if c == nil {
			return nil, clusterNotFound(id)
		}
		tags = c.tags
	case kindSnapshot:
		sn := s.world.snapshotByID(id)
		if sn == nil {
			// The fault the API model gives this action for a snapshot:
			// it lists no cluster-snapshot fault.
			return nil, errorf(http.StatusNotFound, "DBSnapshotNotFound", "DBClusterSnapshot %s not found.", id)
		}
		tags = sn.tags
	case kindInstance:
		in := s.world.instance(id)
		if in == nil {
			return nil, instanceNotFound(id)
		}
		tags = in.tags
	default:
		return nil, invalidParameter("The specified resource name %q is not a cluster, cluster-snapshot or db ARN.", arn)
	}
	out := tagsResult{TagList: list[xmlTag]{make([]xmlTag, len(tags))}}
	for i, t := range tags {
		out.TagList.Items[i] = xmlTag{Key: t.Key, Value: t.Value}
	}
	return out, nil
}
