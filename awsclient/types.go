// Package awsclient is everything docsnap knows about talking to Amazon
// DocumentDB: plain Go types for what the screens show, the Client interface
// the model calls, its implementation over aws-sdk-go-v2, the identifier and
// tag rules, and the classification of AWS errors into kinds a person can act
// on. Nothing above this package imports the AWS SDK.
package awsclient

import "time"

// Engine is the only engine docsnap lists: DescribeDBClusters also returns
// Aurora and Neptune clusters, which share the RDS endpoint.
const Engine = "docdb"

// ClusterType says which of DocumentDB's two kinds of cluster a cluster is,
// and so which API answers for it: instance-based clusters are the docdb
// (RDS) Query API's, elastic clusters the docdb-elastic REST API's.
type ClusterType string

// Cluster types.
const (
	TypeInstance ClusterType = "instance"
	TypeElastic  ClusterType = "elastic"
)

// Cluster is one DocumentDB cluster as the list and detail screens show it.
// For an elastic cluster ID is its name and ARN its docdb-elastic ARN, which
// is what its API calls take.
type Cluster struct {
	ID                  string
	ARN                 string
	Type                ClusterType
	Region              string
	Status              string
	Engine              string
	EngineVersion       string
	Endpoint            string
	ReaderEndpoint      string
	Port                int
	Members             []Member
	StorageEncrypted    bool
	DeletionProtection  bool
	MultiAZ             bool
	BackupRetentionDays int
	BackupWindow        string
	MaintenanceWindow   string
	Created             time.Time

	// Elastic clusters only.
	ShardCount         int
	ShardCapacity      int // vCPUs per shard
	ShardInstanceCount int // instances per shard, the writer included
	AuthType           string
	AdminUser          string
	KMSKeyID           string
	// Detailed is false for an elastic cluster as ListClusters gives it
	// (name, ARN and status only) and true once ElasticCluster has filled
	// in the rest. Instance-based clusters are always detailed.
	Detailed bool
}

// Member is an instance's place in its cluster.
type Member struct {
	InstanceID string
	Writer     bool
}

// GlobalCluster is one global cluster: a primary cluster, which takes the
// writes, and read-only secondaries in other regions. It belongs to the
// account, not to a region.
type GlobalCluster struct {
	ID            string
	ARN           string
	Status        string
	Engine        string
	EngineVersion string
	Members       []GlobalMember
}

// GlobalMember is one cluster of a global cluster, in any region.
type GlobalMember struct {
	ClusterARN string
	Region     string // from the ARN
	ClusterID  string // from the ARN
	Primary    bool   // AWS's IsWriter
}

// Membership is a cluster's place in a global cluster.
type Membership struct {
	Global  GlobalCluster
	Primary bool
}

// Memberships indexes global clusters by the ARN of each of their members,
// the only link between the two: DescribeDBClusters says nothing of global
// clusters.
func Memberships(globals []GlobalCluster) map[string]Membership {
	out := map[string]Membership{}
	for _, g := range globals {
		for _, m := range g.Members {
			if m.ClusterARN != "" {
				out[m.ClusterARN] = Membership{Global: g, Primary: m.Primary}
			}
		}
	}
	return out
}

// Role names a member's role as AWS's console does: "primary" or
// "secondary".
func (m Membership) Role() string {
	if m.Primary {
		return "primary"
	}
	return "secondary"
}

// Primary is the global cluster's primary member, if it has one.
func (g GlobalCluster) Primary() (GlobalMember, bool) {
	for _, m := range g.Members {
		if m.Primary {
			return m, true
		}
	}
	return GlobalMember{}, false
}

// Instance is one instance of a cluster.
type Instance struct {
	ID               string
	ClusterID        string
	Class            string
	Status           string
	AvailabilityZone string
	Writer           bool
}

// Snapshot is one cluster snapshot, manual, automated, or shared with this
// account by another. For an elastic snapshot ID is its name, ClusterID its
// cluster's ARN (the docdb-elastic API never names the cluster of a
// snapshot), Status AWS's word as sent (CREATING, ACTIVE...) and
// PercentProgress always 0: that API has none.
type Snapshot struct {
	ID               string // a shared snapshot's is its ARN
	ARN              string
	ClusterID        string
	ClusterARN       string // when known: docdb's snapshots do not say it
	ClusterType      ClusterType
	Region           string // the region of the client that listed it
	Status           string
	Type             string // SnapshotManual, SnapshotAutomated or SnapshotShared
	PercentProgress  int
	Created          time.Time
	ClusterCreated   time.Time
	EngineVersion    string
	StorageEncrypted bool
	KMSKeyID         string // the key of an encrypted snapshot (an ARN)
	SourceARN        string // a copy's source snapshot
	// Shared says the snapshot is owned by another account, which shared
	// it with this one.
	Shared bool
}

// Snapshot types as AWS names them.
const (
	SnapshotManual    = "manual"
	SnapshotAutomated = "automated"
	SnapshotShared    = "shared" // another account's, shared with this one
)

// Snapshot statuses with a meaning docsnap acts on. The docdb API writes
// them in lower case, the docdb-elastic API in upper case.
const (
	StatusAvailable = "available"
	StatusCreating  = "creating"
	StatusCopying   = "copying"
	// StatusActive is an elastic cluster's or snapshot's "available".
	StatusActive = "ACTIVE"
	// StatusElasticCreating is an elastic snapshot being taken.
	StatusElasticCreating = "CREATING"
)

// ShareAll is the restore attribute's value that makes a snapshot public:
// any AWS account may restore it.
const ShareAll = "all"

// Tag is one key/value pair. An empty Value is an absent value, which AWS
// allows.
type Tag struct {
	Key   string
	Value string
}

// CreateSnapshotInput is everything CreateDBClusterSnapshot sends.
type CreateSnapshotInput struct {
	ClusterID  string
	SnapshotID string
	Tags       []Tag
	// Resend says that this very input was sent before and that send's
	// outcome is unknown (its error had OutcomeUnknown set): an
	// already-exists answer is then taken as that send's snapshot when the
	// lost-response rule says it is (see SDK.CreateSnapshot). It is not sent
	// to AWS.
	Resend bool
	// Since, on a resend, is when this input was first sent: the snapshot
	// a lost answer made was created after it, however long ago (backoff
	// under throttling can put minutes between two sends). Zero: the
	// snapshot must be of the last minute. It is not sent to AWS.
	Since time.Time
	// Batch names the fleet batch the create belongs to, if any, for audit
	// lines. It is not sent to AWS.
	Batch string
}

// CopySnapshotInput is everything CopyDBClusterSnapshot sends. The copy is
// made by the client of the target region.
type CopySnapshotInput struct {
	// SourceID names the snapshot to copy: its identifier in the same
	// region, its ARN across regions (or for another account's).
	SourceID string
	// SourceRegion is the source's region when it is not the target's
	// (the SDK then sends a presigned URL AWS reads it with); "": the same
	// region.
	SourceRegion string
	TargetID     string
	// KMSKeyID is the target region's key to encrypt the copy with: needed
	// for an encrypted snapshot copied to another region, refused for an
	// unencrypted one. "": the source's key (same region only).
	KMSKeyID string
	CopyTags bool
	Tags     []Tag
	// Resend is CreateSnapshotInput.Resend for a copy: an already-exists
	// answer is taken as the lost send's copy when its source is this
	// input's. It is not sent to AWS.
	Resend bool
}

// Target names where a client points, for headers, logs and hints.
type Target struct {
	Profile  string // empty: the default chain
	Region   string
	Endpoint string // empty: the AWS endpoint for Region
}

// SnapshotFailed reports whether a snapshot status, of either API, is a
// terminal failure. An elastic snapshot whose key cannot be reached is
// unusable until someone acts, which docsnap cannot wait for.
func SnapshotFailed(status string) bool {
	switch status {
	case "failed", "deleted", "deleting", "incompatible-restore", "incompatible-parameters",
		"FAILED", "DELETING", "INACCESSIBLE_ENCRYPTION_CREDS":
		return true
	}
	return false
}

// SnapshotAvailable reports whether a snapshot status, of either API, says
// the snapshot is complete and usable.
func SnapshotAvailable(status string) bool {
	return status == StatusAvailable || status == StatusActive
}

// SnapshotDone reports whether a snapshot will not change any more, either
// way.
func SnapshotDone(status string) bool {
	return SnapshotAvailable(status) || SnapshotFailed(status)
}
