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

// Cluster is one DocumentDB cluster as the list and detail screens show it.
type Cluster struct {
	ID                  string
	ARN                 string
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
	Created             time.Time
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

// Snapshot is one cluster snapshot, manual or automated.
type Snapshot struct {
	ID               string
	ARN              string
	ClusterID        string
	Status           string
	Type             string // SnapshotManual or SnapshotAutomated
	PercentProgress  int
	Created          time.Time
	ClusterCreated   time.Time
	EngineVersion    string
	StorageEncrypted bool
}

// Snapshot types as AWS names them.
const (
	SnapshotManual    = "manual"
	SnapshotAutomated = "automated"
)

// Snapshot statuses with a meaning docsnap acts on.
const (
	StatusAvailable = "available"
	StatusCreating  = "creating"
)

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
	// Batch names the fleet batch the create belongs to, if any, for audit
	// lines. It is not sent to AWS.
	Batch string
}

// Target names where a client points, for headers, logs and hints.
type Target struct {
	Profile  string // empty: the default chain
	Region   string
	Endpoint string // empty: the AWS endpoint for Region
}

// SnapshotFailed reports whether a snapshot status is a terminal failure.
func SnapshotFailed(status string) bool {
	switch status {
	case "failed", "deleted", "deleting", "incompatible-restore", "incompatible-parameters":
		return true
	}
	return false
}

// SnapshotDone reports whether a snapshot will not change any more, either
// way.
func SnapshotDone(status string) bool {
	return status == StatusAvailable || SnapshotFailed(status)
}
