package awsclient

import "context"

// Client is what the model needs from DocumentDB. Every error it returns is
// an *Error (see Classify). Implementations are safe for concurrent use.
type Client interface {
	// Target names the profile, region and endpoint the client talks to.
	Target() Target
	// Clusters lists the DocumentDB clusters (engine docdb only), a page at
	// a time.
	Clusters() Pages[Cluster]
	// Instances lists one cluster's instances, a page at a time.
	Instances(clusterID string) Pages[Instance]
	// Snapshots lists one cluster's snapshots, manual and automated, a page
	// at a time.
	Snapshots(clusterID string) Pages[Snapshot]
	// Snapshot describes one snapshot by identifier. snapshotType, when
	// given, is its type as a listing or an earlier describe said: AWS finds
	// an automated snapshot by identifier only when told its type. Without
	// it, an identifier starting with "rds:" is taken as automated.
	Snapshot(ctx context.Context, snapshotID string, snapshotType ...string) (Snapshot, error)
	// CreateSnapshot starts a cluster snapshot with tags.
	CreateSnapshot(ctx context.Context, in CreateSnapshotInput) (Snapshot, error)
	// AllSnapshots lists every cluster snapshot of the region, manual and
	// automated, with those other accounts shared with this one when
	// includeShared (public ones never), a page at a time.
	AllSnapshots(includeShared bool) Pages[Snapshot]
	// CopySnapshot copies a snapshot into the client's region: called on
	// the target region's client.
	CopySnapshot(ctx context.Context, in CopySnapshotInput) (Snapshot, error)
	// DeleteSnapshot deletes a manual snapshot; deleting a copy still being
	// copied cancels the copy.
	DeleteSnapshot(ctx context.Context, snapshotID string) (Snapshot, error)
	// SnapshotShares lists the accounts a manual snapshot is shared with:
	// 12-digit account ids, or ShareAll when it is public.
	SnapshotShares(ctx context.Context, snapshotID string) ([]string, error)
	// ShareSnapshot adds and removes accounts (or ShareAll) a manual
	// snapshot is shared with, and returns the list as it now stands.
	ShareSnapshot(ctx context.Context, snapshotID string, add, remove []string) ([]string, error)
	// GlobalClusters lists the account's DocumentDB global clusters, with
	// their members in every region, a page at a time. AWS answers the same
	// in every region: one listing covers the account.
	GlobalClusters() Pages[GlobalCluster]
	// Tags lists the tags of a resource by ARN, of either API: a
	// docdb-elastic ARN is asked of docdb-elastic. Tags come sorted by key
	// from there (the API gives a map).
	Tags(ctx context.Context, arn string) ([]Tag, error)

	// ElasticClusters lists the elastic clusters, a page at a time, with
	// their name, ARN and status only (Detailed false).
	ElasticClusters() Pages[Cluster]
	// ElasticCluster describes one elastic cluster by ARN (Detailed true).
	ElasticCluster(ctx context.Context, arn string) (Cluster, error)
	// ElasticSnapshots lists one elastic cluster's snapshots, manual then
	// automated, a page at a time, in no particular order.
	ElasticSnapshots(clusterARN string) Pages[Snapshot]
	// ElasticSnapshot describes one elastic snapshot by ARN.
	ElasticSnapshot(ctx context.Context, arn string) (Snapshot, error)
	// CreateElasticSnapshot starts a snapshot of an elastic cluster:
	// in.ClusterID is the cluster's ARN, in.SnapshotID the snapshot's name.
	// Resend works as for CreateSnapshot.
	CreateElasticSnapshot(ctx context.Context, in CreateSnapshotInput) (Snapshot, error)
}

// Pages streams a listing page by page, so that a caller can show the first
// page before the last one arrives. A failed Next may be called again: it
// retries the same page, but for a listing stopped as one the endpoint would
// never end (KindPaging), which fails the same way again without a call.
type Pages[T any] interface {
	More() bool
	Next(ctx context.Context) ([]T, error)
}

// All drains pages into one slice.
func All[T any](ctx context.Context, p Pages[T]) ([]T, error) {
	var all []T
	for p.More() {
		page, err := p.Next(ctx)
		if err != nil {
			return all, err
		}
		all = append(all, page...)
	}
	return all, nil
}
