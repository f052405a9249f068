package awsclient

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/docdbelastic"
	etypes "github.com/aws/aws-sdk-go-v2/service/docdbelastic/types"
)

// Elastic clusters: the docdb-elastic REST API, whose calls name clusters
// and snapshots by ARN.

// ElasticARN reports whether arn is a docdb-elastic ARN
// (arn:PARTITION:docdb-elastic:REGION:ACCOUNT:...), which only that API
// answers for.
func ElasticARN(arn string) bool {
	parts := strings.SplitN(arn, ":", 4)
	return len(parts) == 4 && parts[0] == "arn" && parts[2] == "docdb-elastic"
}

// ElasticClusters lists the elastic clusters: name, ARN and status.
func (c *SDK) ElasticClusters() Pages[Cluster] {
	p := docdbelastic.NewListClustersPaginator(c.elastic, &docdbelastic.ListClustersInput{},
		func(o *docdbelastic.ListClustersPaginatorOptions) { o.Limit = c.pageSize })
	return newPages(c, "list elastic clusters", "elastic cluster", p,
		func(out *docdbelastic.ListClustersOutput) (*string, []etypes.ClusterInList) {
			return out.NextToken, out.Clusters
		},
		func(r etypes.ClusterInList) string { return aws.ToString(r.ClusterArn) },
		func(r etypes.ClusterInList) (Cluster, bool) {
			return Cluster{ID: aws.ToString(r.ClusterName), ARN: aws.ToString(r.ClusterArn), Type: TypeElastic,
				Engine: Engine, Region: c.target.Region, Status: string(r.Status)}, true
		})
}

// ElasticCluster describes one elastic cluster by ARN.
func (c *SDK) ElasticCluster(ctx context.Context, arn string) (Cluster, error) {
	var cl Cluster
	err := c.call(ctx, "describe elastic cluster", func(ctx context.Context) error {
		out, err := c.elastic.GetCluster(ctx, &docdbelastic.GetClusterInput{ClusterArn: aws.String(arn)})
		if err == nil && out.Cluster == nil {
			err = errors.New("the answer did not describe the cluster")
		}
		if err == nil {
			cl = elasticClusterOf(*out.Cluster, c.target.Region)
		}
		return err
	})
	return cl, err
}

func elasticClusterOf(r etypes.Cluster, region string) Cluster {
	return Cluster{
		ID:                  aws.ToString(r.ClusterName),
		ARN:                 aws.ToString(r.ClusterArn),
		Type:                TypeElastic,
		Detailed:            true,
		Region:              region,
		Status:              string(r.Status),
		Engine:              Engine,
		Endpoint:            aws.ToString(r.ClusterEndpoint),
		StorageEncrypted:    true, // elastic clusters are always encrypted
		BackupRetentionDays: int(aws.ToInt32(r.BackupRetentionPeriod)),
		BackupWindow:        aws.ToString(r.PreferredBackupWindow),
		MaintenanceWindow:   aws.ToString(r.PreferredMaintenanceWindow),
		Created:             elasticTime(r.CreateTime),
		ShardCount:          int(aws.ToInt32(r.ShardCount)),
		ShardCapacity:       int(aws.ToInt32(r.ShardCapacity)),
		ShardInstanceCount:  int(aws.ToInt32(r.ShardInstanceCount)),
		AuthType:            string(r.AuthType),
		AdminUser:           aws.ToString(r.AdminUserName),
		KMSKeyID:            aws.ToString(r.KmsKeyId),
	}
}

// elasticTime reads the API's times, which it sends as strings (ISO 8601 in
// UTC); a time it cannot read is the zero time, shown as unknown.
func elasticTime(s *string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, aws.ToString(s))
	if err != nil {
		return time.Time{}
	}
	return t
}

// Elastic snapshot types, as ListClusterSnapshots takes them.
var elasticSnapshotTypes = []string{SnapshotManual, SnapshotAutomated}

// ElasticSnapshots lists one elastic cluster's snapshots: its manual ones,
// then its automated ones. A listing's rows do not say their type, so each
// type is a listing of its own.
func (c *SDK) ElasticSnapshots(clusterARN string) Pages[Snapshot] {
	var chain chainPages[Snapshot]
	for _, typ := range elasticSnapshotTypes {
		chain = append(chain, c.elasticSnapshots(clusterARN, typ))
	}
	return &chain
}

func (c *SDK) elasticSnapshots(clusterARN, typ string) Pages[Snapshot] {
	in := &docdbelastic.ListClusterSnapshotsInput{ClusterArn: aws.String(clusterARN), SnapshotType: aws.String(typ)}
	p := docdbelastic.NewListClusterSnapshotsPaginator(c.elastic, in,
		func(o *docdbelastic.ListClusterSnapshotsPaginatorOptions) { o.Limit = c.pageSize })
	return newPages(c, "list snapshots", "snapshot", p,
		func(out *docdbelastic.ListClusterSnapshotsOutput) (*string, []etypes.ClusterSnapshotInList) {
			return out.NextToken, out.Snapshots
		},
		func(r etypes.ClusterSnapshotInList) string { return aws.ToString(r.SnapshotArn) },
		func(r etypes.ClusterSnapshotInList) (Snapshot, bool) {
			return Snapshot{
				ID: aws.ToString(r.SnapshotName), ARN: aws.ToString(r.SnapshotArn),
				ClusterID: aws.ToString(r.ClusterArn), ClusterARN: aws.ToString(r.ClusterArn),
				ClusterType: TypeElastic, Status: string(r.Status), Type: typ,
				Created: elasticTime(r.SnapshotCreationTime), StorageEncrypted: true,
			}, true
		})
}

// chainPages reads listings one after the other, as one.
type chainPages[T any] []Pages[T]

func (c *chainPages[T]) More() bool {
	for len(*c) > 0 && !(*c)[0].More() {
		*c = (*c)[1:]
	}
	return len(*c) > 0
}

func (c *chainPages[T]) Next(ctx context.Context) ([]T, error) {
	if !c.More() {
		return nil, nil
	}
	return (*c)[0].Next(ctx)
}

// ElasticSnapshot describes one elastic snapshot by ARN.
func (c *SDK) ElasticSnapshot(ctx context.Context, arn string) (Snapshot, error) {
	var s Snapshot
	err := c.call(ctx, "describe snapshot", func(ctx context.Context) error {
		out, err := c.elastic.GetClusterSnapshot(ctx, &docdbelastic.GetClusterSnapshotInput{SnapshotArn: aws.String(arn)})
		if err == nil && out.Snapshot == nil {
			err = errors.New("the answer did not describe the snapshot")
		}
		if err == nil {
			s = elasticSnapshotOf(*out.Snapshot)
		}
		return err
	})
	return s, snapshotNotFound(err)
}

// snapshotNotFound makes a ResourceNotFoundException that names no kind of
// resource, answering a call about a snapshot, a snapshot not found.
func snapshotNotFound(err error) error {
	var (
		e    *Error
		gone *etypes.ResourceNotFoundException
	)
	if errors.As(err, &e) && errors.As(err, &gone) && aws.ToString(gone.ResourceType) == "" {
		e.Kind = KindSnapshotNotFound
	}
	return err
}

func elasticSnapshotOf(r etypes.ClusterSnapshot) Snapshot {
	return Snapshot{
		ID:               aws.ToString(r.SnapshotName),
		ARN:              aws.ToString(r.SnapshotArn),
		ClusterID:        aws.ToString(r.ClusterArn),
		ClusterARN:       aws.ToString(r.ClusterArn),
		ClusterType:      TypeElastic,
		Status:           string(r.Status),
		Type:             strings.ToLower(string(r.SnapshotType)),
		Created:          elasticTime(r.SnapshotCreationTime),
		ClusterCreated:   elasticTime(r.ClusterCreationTime),
		StorageEncrypted: true,
	}
}

// CreateElasticSnapshot starts a snapshot of an elastic cluster, with the
// lost-response rule of CreateSnapshot: a ConflictException answering a
// retry, or a resend, is this call's snapshot when the cluster's manual
// snapshot of that name was created within the last minute.
func (c *SDK) CreateElasticSnapshot(ctx context.Context, in CreateSnapshotInput) (Snapshot, error) {
	const op = "create snapshot"
	var (
		out      *docdbelastic.CreateClusterSnapshotOutput
		attempts retry.AttemptResults
	)
	err := c.call(ctx, op, func(ctx context.Context) (err error) {
		out, err = c.elastic.CreateClusterSnapshot(ctx, elasticCreateInput(in), func(o *docdbelastic.Options) {
			o.APIOptions = append(o.APIOptions, recordAttempts(&attempts))
		})
		return err
	})
	if err == nil && out.Snapshot == nil {
		return Snapshot{}, &Error{Op: op, Profile: c.target.Profile, OutcomeUnknown: true,
			Err: errors.New("the answer did not describe the snapshot")}
	}
	if err == nil {
		return elasticSnapshotOf(*out.Snapshot), nil
	}
	return c.settleCreate(ctx, op, err, attempts, in, func(ctx context.Context) (Snapshot, error) {
		return c.elasticSnapshotNamed(ctx, in.ClusterID, in.SnapshotID)
	})
}

func elasticCreateInput(in CreateSnapshotInput) *docdbelastic.CreateClusterSnapshotInput {
	var tags map[string]string
	if len(in.Tags) > 0 {
		tags = make(map[string]string, len(in.Tags))
		for _, t := range in.Tags {
			tags[t.Key] = t.Value
		}
	}
	return &docdbelastic.CreateClusterSnapshotInput{
		ClusterArn:   aws.String(in.ClusterID),
		SnapshotName: aws.String(in.SnapshotID),
		Tags:         tags,
	}
}

// elasticSnapshotNamed finds a cluster's manual snapshot by name: the API
// describes a snapshot by ARN only, which a create whose answer was lost
// never learnt.
func (c *SDK) elasticSnapshotNamed(ctx context.Context, clusterARN, name string) (Snapshot, error) {
	p := c.elasticSnapshots(clusterARN, SnapshotManual)
	for p.More() {
		page, err := p.Next(ctx)
		if err != nil {
			return Snapshot{}, err
		}
		for _, s := range page {
			if strings.EqualFold(s.ID, name) {
				return s, nil
			}
		}
	}
	return Snapshot{}, &Error{Kind: KindSnapshotNotFound, Op: "describe snapshot", Profile: c.target.Profile}
}

// elasticTags lists a docdb-elastic resource's tags, sorted by key.
func (c *SDK) elasticTags(ctx context.Context, arn string) ([]Tag, error) {
	var tags []Tag
	err := c.call(ctx, "list tags", func(ctx context.Context) error {
		out, err := c.elastic.ListTagsForResource(ctx, &docdbelastic.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
		if err == nil {
			tags = make([]Tag, 0, len(out.Tags))
			for _, k := range slices.Sorted(maps.Keys(out.Tags)) {
				tags = append(tags, Tag{Key: k, Value: out.Tags[k]})
			}
		}
		return err
	})
	return tags, err
}
