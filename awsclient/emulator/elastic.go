package emulator

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/docsnap/docsnap/awsclient"
)

// The docdb-elastic API: REST paths and JSON bodies, as botocore's
// docdb-elastic model (2022-11-28) gives them, on the same port as the
// docdb Query API. Elastic clusters and their snapshots are named by ARN:
// arn:aws:docdb-elastic:REGION:ACCOUNT:cluster/UUID and
// .../cluster-snapshot/UUID.

// elasticCluster is one elastic cluster. Like the instance-based ones, it
// never changes once loaded.
type elasticCluster struct {
	name, arn, status                 string
	auth, admin, kms                  string
	backupWindow, maintenanceWindow   string
	shards, capacity, instances, days int
	sizeGiB                           int
	created                           time.Time
	tags                              []awsclient.Tag
}

// elasticSnapshot is one elastic snapshot; it is CREATING until
// created+duration, then its status.
type elasticSnapshot struct {
	name, arn, typ string // typ as the API writes it: MANUAL or AUTOMATED
	cluster        *elasticCluster
	created        time.Time
	status         string
	duration       time.Duration
	tags           []awsclient.Tag
}

// elasticWorld is a region's elastic clusters and snapshots, kept sorted
// for paging as the instance-based ones are.
type elasticWorld struct {
	clusters      []*elasticCluster           // by name
	clusterByARN  map[string]*elasticCluster  //
	snapshots     []*elasticSnapshot          // by cluster name, then name
	snapshotByARN map[string]*elasticSnapshot //
	snapshotNamed map[string]*elasticSnapshot // by lower-case name: names are unique per region
	manual        int                         // manual snapshots, for the quota
}

func elasticClusterName(c *elasticCluster) string { return c.name }

func elasticSnapshotKey(s *elasticSnapshot) string { return s.cluster.name + "\x00" + s.name }

func (s *Server) elasticClusterARN(name string) string {
	return "arn:aws:docdb-elastic:" + s.ids.region + ":" + s.ids.account + ":cluster/" +
		formatUUID(token(hexDigits, 32, s.ids.account, s.ids.region, "elastic-cluster", name))
}

func (s *Server) elasticSnapshotARN(clusterARN, name string) string {
	return "arn:aws:docdb-elastic:" + s.ids.region + ":" + s.ids.account + ":cluster-snapshot/" +
		formatUUID(token(hexDigits, 32, clusterARN, strings.ToLower(name)))
}

// elasticTypes maps the snapshot types of a SnapshotSpec to the API's.
var elasticTypes = map[string]string{awsclient.SnapshotManual: "MANUAL", awsclient.SnapshotAutomated: "AUTOMATED"}

// loadElastic adds a fleet's elastic clusters and snapshots; names already
// taken are skipped. The caller holds s.mu.
func (s *Server) loadElastic(specs []ElasticClusterSpec, now time.Time) {
	e := &s.world.elastic
	if e.clusterByARN == nil {
		e.clusterByARN, e.snapshotByARN, e.snapshotNamed = map[string]*elasticCluster{}, map[string]*elasticSnapshot{}, map[string]*elasticSnapshot{}
	}
	for _, spec := range specs {
		arn := s.elasticClusterARN(spec.Name)
		if spec.Name == "" || e.clusterByARN[arn] != nil {
			continue
		}
		c := &elasticCluster{
			name: spec.Name, arn: arn, status: cmp.Or(spec.Status, awsclient.StatusActive),
			auth: cmp.Or(spec.AuthType, "PLAIN_TEXT"), admin: cmp.Or(spec.AdminUser, "docdbadmin"), kms: "AWS_OWNED_KMS_KEY",
			backupWindow: spec.BackupWindow, maintenanceWindow: spec.MaintenanceWindow,
			shards: spec.ShardCount, capacity: spec.ShardCapacity, instances: spec.ShardInstanceCount,
			days: spec.BackupRetentionDays, sizeGiB: spec.StorageGiB, created: now.Add(-spec.Age), tags: spec.Tags,
		}
		if spec.CustomerKey {
			c.kms = s.ids.kmsKey
		}
		e.clusters = append(e.clusters, c)
		e.clusterByARN[arn] = c
		for _, ss := range spec.Snapshots {
			sn := &elasticSnapshot{typ: elasticTypes[ss.Type], cluster: c, created: now.Add(-ss.Age),
				status: cmp.Or(ss.Status, awsclient.StatusActive), tags: ss.Tags}
			if ss.Elapsed > 0 && ss.Elapsed < 1 {
				sn.duration = snapshotDuration(s.opts.SnapshotDuration, c.sizeGiB)
				sn.created = now.Add(-time.Duration(ss.Elapsed * float64(sn.duration)))
			}
			sn.name = cmp.Or(ss.ID, automatedSnapshotID(c.name, sn.created))
			if e.snapshotNamed[strings.ToLower(sn.name)] != nil {
				continue
			}
			sn.arn = s.elasticSnapshotARN(arn, sn.name)
			e.snapshots = append(e.snapshots, sn) // sorted below
			e.index(sn)
		}
	}
	slices.SortFunc(e.clusters, func(a, b *elasticCluster) int { return strings.Compare(a.name, b.name) })
	slices.SortFunc(e.snapshots, compareElasticSnapshots)
}

func compareElasticSnapshots(a, b *elasticSnapshot) int {
	return strings.Compare(elasticSnapshotKey(a), elasticSnapshotKey(b))
}

func (e *elasticWorld) index(sn *elasticSnapshot) {
	e.snapshotByARN[sn.arn] = sn
	e.snapshotNamed[strings.ToLower(sn.name)] = sn
	if sn.typ == "MANUAL" {
		e.manual++
	}
}

// The JSON of the answers: the model's shapes, member for member.

type jsonClusterInList struct {
	ClusterArn  string `json:"clusterArn"`
	ClusterName string `json:"clusterName"`
	Status      string `json:"status"`
}

type jsonShard struct {
	CreateTime string `json:"createTime"`
	ShardID    string `json:"shardId"`
	Status     string `json:"status"`
}

type jsonCluster struct {
	AdminUserName              string      `json:"adminUserName"`
	AuthType                   string      `json:"authType"`
	BackupRetentionPeriod      int         `json:"backupRetentionPeriod"`
	ClusterArn                 string      `json:"clusterArn"`
	ClusterEndpoint            string      `json:"clusterEndpoint"`
	ClusterName                string      `json:"clusterName"`
	CreateTime                 string      `json:"createTime"`
	KmsKeyID                   string      `json:"kmsKeyId"`
	PreferredBackupWindow      string      `json:"preferredBackupWindow"`
	PreferredMaintenanceWindow string      `json:"preferredMaintenanceWindow"`
	ShardCapacity              int         `json:"shardCapacity"`
	ShardCount                 int         `json:"shardCount"`
	ShardInstanceCount         int         `json:"shardInstanceCount"`
	Shards                     []jsonShard `json:"shards"`
	Status                     string      `json:"status"`
	SubnetIDs                  []string    `json:"subnetIds"`
	VpcSecurityGroupIDs        []string    `json:"vpcSecurityGroupIds"`
}

type jsonSnapshotInList struct {
	ClusterArn           string `json:"clusterArn"`
	SnapshotArn          string `json:"snapshotArn"`
	SnapshotCreationTime string `json:"snapshotCreationTime"`
	SnapshotName         string `json:"snapshotName"`
	Status               string `json:"status"`
}

type jsonSnapshot struct {
	AdminUserName        string   `json:"adminUserName"`
	ClusterArn           string   `json:"clusterArn"`
	ClusterCreationTime  string   `json:"clusterCreationTime"`
	KmsKeyID             string   `json:"kmsKeyId"`
	SnapshotArn          string   `json:"snapshotArn"`
	SnapshotCreationTime string   `json:"snapshotCreationTime"`
	SnapshotName         string   `json:"snapshotName"`
	SnapshotType         string   `json:"snapshotType"`
	Status               string   `json:"status"`
	SubnetIDs            []string `json:"subnetIds"`
	VpcSecurityGroupIDs  []string `json:"vpcSecurityGroupIds"`
}

// elasticTime writes a time as the API does, a string in UTC.
func elasticTime(t time.Time) string { return t.UTC().Format(timestampLayout) }

func (s *Server) subnets() []string {
	out := make([]string, 0, len(s.world.zones))
	for _, z := range s.world.zones {
		out = append(out, "subnet-"+token(hexDigits, 17, s.ids.account, z))
	}
	return out
}

func (s *Server) securityGroupIDs() []string {
	return []string{s.ids.securityGroups[0].VpcSecurityGroupID}
}

func (s *Server) renderElasticCluster(c *elasticCluster) jsonCluster {
	shards := make([]jsonShard, c.shards)
	for i := range shards {
		shards[i] = jsonShard{CreateTime: elasticTime(c.created), Status: c.status,
			ShardID: token(lowerAlnum, 12, c.arn, strconv.Itoa(i))}
	}
	return jsonCluster{
		AdminUserName: c.admin, AuthType: c.auth, BackupRetentionPeriod: c.days, ClusterArn: c.arn,
		ClusterEndpoint: c.name + "-" + s.ids.account + "." + s.ids.region + ".docdb-elastic.amazonaws.com",
		ClusterName:     c.name, CreateTime: elasticTime(c.created), KmsKeyID: c.kms,
		PreferredBackupWindow: c.backupWindow, PreferredMaintenanceWindow: c.maintenanceWindow,
		ShardCapacity: c.capacity, ShardCount: c.shards, ShardInstanceCount: c.instances, Shards: shards,
		Status: c.status, SubnetIDs: s.subnets(), VpcSecurityGroupIDs: s.securityGroupIDs(),
	}
}

// elasticState is a snapshot's status at now.
func elasticState(sn *elasticSnapshot, now time.Time) string {
	if sn.duration > 0 && now.Sub(sn.created) < sn.duration {
		return awsclient.StatusElasticCreating
	}
	return sn.status
}

func (s *Server) renderElasticSnapshot(sn *elasticSnapshot, now time.Time) jsonSnapshot {
	return jsonSnapshot{
		AdminUserName: sn.cluster.admin, ClusterArn: sn.cluster.arn, ClusterCreationTime: elasticTime(sn.cluster.created),
		KmsKeyID: sn.cluster.kms, SnapshotArn: sn.arn, SnapshotCreationTime: elasticTime(sn.created),
		SnapshotName: sn.name, SnapshotType: sn.typ, Status: elasticState(sn, now),
		SubnetIDs: s.subnets(), VpcSecurityGroupIDs: s.securityGroupIDs(),
	}
}

// elasticError is an error answer of the docdb-elastic API: its code (the
// model's shape name), HTTP status, and the shape's members.
type elasticError struct {
	status int
	code   string
	fields map[string]any
}

func elasticErrorf(status int, code, format string, a ...any) *elasticError {
	return &elasticError{status: status, code: code, fields: map[string]any{"message": fmt.Sprintf(format, a...)}}
}

// with sets a member of the error's shape.
func (e *elasticError) with(name string, v any) *elasticError {
	e.fields[name] = v
	return e
}

func elasticNotFound(kind, id string) *elasticError {
	return elasticErrorf(http.StatusNotFound, "ResourceNotFoundException", "The %s %s was not found.", kind, id).
		with("resourceId", id).with("resourceType", kind)
}

// invalid is a ValidationException of reason, naming the fields at fault.
func invalid(reason string, fields []validationField, format string, a ...any) *elasticError {
	e := elasticErrorf(http.StatusBadRequest, "ValidationException", format, a...).with("reason", reason)
	if len(fields) > 0 {
		e.with("fieldList", fields)
	}
	return e
}

type validationField struct {
	Name    string `json:"name"`
	Message string `json:"message"`
}

// elasticFault is the docdb-elastic form of an injected fault.
func elasticFault(f *apiError) *elasticError {
	if f == errThrottled {
		return elasticErrorf(http.StatusTooManyRequests, "ThrottlingException", "Rate exceeded")
	}
	return elasticErrorf(http.StatusInternalServerError, "InternalServerException", "%s", f.Message)
}

func encodeElastic(v any) answer {
	// The values are plain structs, maps and strings: Marshal cannot fail.
	body, _ := json.Marshal(v)
	return answer{status: http.StatusOK, body: body, json: true}
}

func (e *elasticError) answer() answer {
	body, _ := json.Marshal(e.fields)
	return answer{status: e.status, body: body, json: true, errorType: e.code}
}

// elasticOp is one docdb-elastic operation: it answers the request's path
// argument (an ARN, unescaped), query and body.
type elasticOp func(s *Server, arg string, q url.Values, body io.Reader, now time.Time) (any, *elasticError)

// elasticOps are the operations served, by counted name.
var elasticOps = map[string]elasticOp{
	"elastic:ListClusters":          (*Server).listElasticClusters,
	"elastic:GetCluster":            (*Server).getElasticCluster,
	"elastic:ListClusterSnapshots":  (*Server).listElasticSnapshots,
	"elastic:GetClusterSnapshot":    (*Server).getElasticSnapshot,
	"elastic:CreateClusterSnapshot": (*Server).createElasticSnapshot,
	"elastic:ListTagsForResource":   (*Server).listElasticTags,
}

// elasticRoutes name the operation of a method and the first segment of a
// path; those that take an ARN take it as the second, whole segment.
var elasticRoutes = map[[2]string]struct {
	op     string
	hasArg bool
}{
	{"GET", "clusters"}:          {"elastic:ListClusters", false},
	{"GET", "cluster"}:           {"elastic:GetCluster", true},
	{"GET", "cluster-snapshots"}: {"elastic:ListClusterSnapshots", false},
	{"GET", "cluster-snapshot"}:  {"elastic:GetClusterSnapshot", true},
	{"POST", "cluster-snapshot"}: {"elastic:CreateClusterSnapshot", false},
	{"GET", "tags"}:              {"elastic:ListTagsForResource", true},
}

// elasticRequest reads a docdb-elastic request: its operation's counted
// name ("" when there is none), and how to answer it.
func (s *Server) elasticRequest(r *http.Request, requestID string) (string, func(*apiError) answer) {
	segments := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	route, ok := elasticRoutes[[2]string{r.Method, segments[0]}]
	var arg string
	var argErr error
	switch {
	case ok && route.hasArg && len(segments) == 2 && segments[1] != "":
		arg, argErr = url.PathUnescape(segments[1])
	case ok && !route.hasArg && len(segments) == 1:
	default:
		ok = false
	}
	tooLarge := len(r.URL.RawQuery)+len(r.URL.RawPath)+len(r.URL.Path) > maxRequest
	return route.op, func(fault *apiError) answer {
		var (
			out any
			e   *elasticError
		)
		switch {
		case fault != nil:
			e = elasticFault(fault)
		case !ok:
			e = invalid("unknownOperation", nil, "No docdb-elastic operation is %s %s.", r.Method, r.URL.Path)
		case tooLarge:
			e = invalid("other", nil, "The request is longer than %d bytes.", maxRequest)
		case argErr != nil:
			e = invalid("cannotParse", nil, "The path %s is not escaped correctly: %v", r.URL.EscapedPath(), argErr)
		default:
			out, e = elasticOps[route.op](s, arg, r.URL.Query(), r.Body, s.opts.Now())
		}
		if e != nil {
			return e.answer()
		}
		return encodeElastic(out)
	}
}

// elasticPage reads nextToken and maxResults, whose range is the
// operation's: the key a page starts at and how many items it holds.
func elasticPage(q url.Values, minResults int) (string, int, *elasticError) {
	limit := maxRecords
	if v := q.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < minResults || n > maxRecords {
			return "", 0, invalid("fieldValidationFailed", []validationField{{"maxResults", fmt.Sprintf("must be from %d to %d", minResults, maxRecords)}},
				"Invalid value %q for maxResults: it must be from %d to %d.", v, minResults, maxRecords)
		}
		limit = n
	}
	from, ok := decodeMarker(q.Get("nextToken"))
	if !ok {
		return "", 0, invalid("fieldValidationFailed", []validationField{{"nextToken", "is not a token this endpoint gave"}},
			"Invalid nextToken %q: pass the nextToken of a previous response.", q.Get("nextToken"))
	}
	return from, limit, nil
}

func (s *Server) listElasticClusters(_ string, q url.Values, _ io.Reader, _ time.Time) (any, *elasticError) {
	from, limit, err := elasticPage(q, 1)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	items, next := page(s.world.elastic.clusters, elasticClusterName, from, limit, func(*elasticCluster) bool { return true })
	out := struct {
		Clusters  []jsonClusterInList `json:"clusters"`
		NextToken string              `json:"nextToken,omitempty"`
	}{Clusters: make([]jsonClusterInList, len(items)), NextToken: encodeMarker(next)}
	for i, c := range items {
		out.Clusters[i] = jsonClusterInList{ClusterArn: c.arn, ClusterName: c.name, Status: c.status}
	}
	return out, nil
}

func (s *Server) getElasticCluster(arn string, _ url.Values, _ io.Reader, _ time.Time) (any, *elasticError) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := s.world.elastic.clusterByARN[arn]
	if c == nil {
		return nil, elasticNotFound("cluster", arn)
	}
	return struct {
		Cluster jsonCluster `json:"cluster"`
	}{s.renderElasticCluster(c)}, nil
}

func (s *Server) listElasticSnapshots(_ string, q url.Values, _ io.Reader, now time.Time) (any, *elasticError) {
	from, limit, err := elasticPage(q, minRecords)
	if err != nil {
		return nil, err
	}
	// The reference spells the types in lower case, the model's enum in
	// upper case: either is taken.
	typ := strings.ToUpper(q.Get("snapshotType"))
	if typ != "" && typ != "MANUAL" && typ != "AUTOMATED" {
		return nil, invalid("fieldValidationFailed", []validationField{{"snapshotType", "must be manual or automated"}},
			"Invalid snapshotType %q: use manual or automated.", q.Get("snapshotType"))
	}
	clusterARN := q.Get("clusterArn")
	s.mu.RLock()
	defer s.mu.RUnlock()
	items, next := page(s.world.elastic.snapshots, elasticSnapshotKey, from, limit, func(sn *elasticSnapshot) bool {
		return (clusterARN == "" || sn.cluster.arn == clusterARN) && (typ == "" || sn.typ == typ)
	})
	out := struct {
		NextToken string               `json:"nextToken,omitempty"`
		Snapshots []jsonSnapshotInList `json:"snapshots"`
	}{NextToken: encodeMarker(next), Snapshots: make([]jsonSnapshotInList, len(items))}
	for i, sn := range items {
		out.Snapshots[i] = jsonSnapshotInList{ClusterArn: sn.cluster.arn, SnapshotArn: sn.arn,
			SnapshotCreationTime: elasticTime(sn.created), SnapshotName: sn.name, Status: elasticState(sn, now)}
	}
	return out, nil
}

func (s *Server) getElasticSnapshot(arn string, _ url.Values, _ io.Reader, now time.Time) (any, *elasticError) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sn := s.world.elastic.snapshotByARN[arn]
	if sn == nil {
		return nil, elasticNotFound("snapshot", arn)
	}
	return struct {
		Snapshot jsonSnapshot `json:"snapshot"`
	}{s.renderElasticSnapshot(sn, now)}, nil
}

func (s *Server) createElasticSnapshot(_ string, _ url.Values, body io.Reader, now time.Time) (any, *elasticError) {
	var in struct {
		ClusterArn   *string           `json:"clusterArn"`
		SnapshotName *string           `json:"snapshotName"`
		Tags         map[string]string `json:"tags"`
	}
	if err := json.NewDecoder(body).Decode(&in); err != nil {
		return nil, invalid("cannotParse", nil, "The request body is not the JSON of CreateClusterSnapshot: %v", err)
	}
	var missing []validationField
	for name, v := range map[string]*string{"clusterArn": in.ClusterArn, "snapshotName": in.SnapshotName} {
		if v == nil {
			missing = append(missing, validationField{name, "is required"})
		}
	}
	if len(missing) > 0 {
		slices.SortFunc(missing, func(a, b validationField) int { return strings.Compare(a.Name, b.Name) })
		return nil, invalid("fieldValidationFailed", missing, "Missing required parameters.")
	}
	name, clusterARN := *in.SnapshotName, *in.ClusterArn
	tags := make([]awsclient.Tag, 0, len(in.Tags))
	for _, k := range slices.Sorted(maps.Keys(in.Tags)) {
		tags = append(tags, awsclient.Tag{Key: k, Value: in.Tags[k]})
	}
	// Warnings are rules AWS's documents disagree on: accepted, as docsnap
	// sends them.
	problems := slices.Concat(awsclient.Blocking(awsclient.ValidateElasticSnapshotName(name)),
		awsclient.Blocking(awsclient.ValidateElasticTags(tags)))
	if len(problems) > 0 {
		fields := make([]validationField, 0, len(problems))
		for _, p := range problems[:min(len(problems), 5)] {
			field := "snapshotName"
			if p.Field != awsclient.FieldSnapshotID {
				field = "tags"
			}
			fields = append(fields, validationField{field, p.Message})
		}
		return nil, invalid("fieldValidationFailed", fields, "Invalid request: %s.", joinProblems(problems, awsclient.Problem.String))
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	e := &s.world.elastic
	c := e.clusterByARN[clusterARN]
	switch {
	case c == nil:
		return nil, elasticNotFound("cluster", clusterARN)
	case e.snapshotNamed[strings.ToLower(name)] != nil:
		return nil, elasticErrorf(http.StatusConflict, "ConflictException", "A snapshot named %s already exists.", name).
			with("resourceId", name).with("resourceType", "snapshot")
	case c.status != awsclient.StatusActive:
		return nil, elasticErrorf(http.StatusConflict, "ConflictException",
			"Cluster %s is %s: a snapshot can be taken only while it is ACTIVE.", c.name, c.status).
			with("resourceId", c.arn).with("resourceType", "cluster")
	case e.manual >= s.opts.Quota:
		return nil, elasticErrorf(http.StatusPaymentRequired, "ServiceQuotaExceededException",
			"Cannot create more than %d manual elastic cluster snapshots.", s.opts.Quota)
	}
	final := awsclient.StatusActive
	if s.world.failNew {
		final = "FAILED"
	}
	sn := &elasticSnapshot{name: name, arn: s.elasticSnapshotARN(c.arn, name), typ: "MANUAL", cluster: c, created: now,
		status: final, duration: snapshotDuration(s.opts.SnapshotDuration, c.sizeGiB), tags: tags}
	i, _ := slices.BinarySearchFunc(e.snapshots, sn, compareElasticSnapshots)
	e.snapshots = slices.Insert(e.snapshots, i, sn)
	e.index(sn)
	return struct {
		Snapshot jsonSnapshot `json:"snapshot"`
	}{s.renderElasticSnapshot(sn, now)}, nil
}

func (s *Server) listElasticTags(arn string, _ url.Values, _ io.Reader, _ time.Time) (any, *elasticError) {
	if !awsclient.ElasticARN(arn) {
		return nil, invalid("fieldValidationFailed", []validationField{{"resourceArn", "is not a docdb-elastic ARN"}},
			"The resource ARN %q is not a docdb-elastic ARN.", arn)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var tags []awsclient.Tag
	if c := s.world.elastic.clusterByARN[arn]; c != nil {
		tags = c.tags
	} else if sn := s.world.elastic.snapshotByARN[arn]; sn != nil {
		tags = sn.tags
	} else {
		return nil, elasticNotFound("resource", arn)
	}
	out := struct {
		Tags map[string]string `json:"tags"`
	}{Tags: make(map[string]string, len(tags))}
	for _, t := range tags {
		out.Tags[t.Key] = t.Value
	}
	return out, nil
}
