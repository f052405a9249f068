package awsclient

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/docdb/types"
)

// Conversions from the SDK's types to the plain ones the model uses.

func convertAll[S, T any](in []S, f func(S) T) []T {
	out := make([]T, len(in))
	for i, s := range in {
		out[i] = f(s)
	}
	return out
}

func clusterOf(c types.DBCluster, region string) Cluster {
	return Cluster{
		ID:                  aws.ToString(c.DBClusterIdentifier),
		ARN:                 aws.ToString(c.DBClusterArn),
		Type:                TypeInstance,
		Detailed:            true,
		Region:              region,
		Status:              aws.ToString(c.Status),
		Engine:              aws.ToString(c.Engine),
		EngineVersion:       aws.ToString(c.EngineVersion),
		Endpoint:            aws.ToString(c.Endpoint),
		ReaderEndpoint:      aws.ToString(c.ReaderEndpoint),
		Port:                int(aws.ToInt32(c.Port)),
		Members:             convertAll(c.DBClusterMembers, memberOf),
		StorageEncrypted:    aws.ToBool(c.StorageEncrypted),
		DeletionProtection:  aws.ToBool(c.DeletionProtection),
		MultiAZ:             aws.ToBool(c.MultiAZ),
		BackupRetentionDays: int(aws.ToInt32(c.BackupRetentionPeriod)),
		BackupWindow:        aws.ToString(c.PreferredBackupWindow),
		MaintenanceWindow:   aws.ToString(c.PreferredMaintenanceWindow),
		Created:             aws.ToTime(c.ClusterCreateTime),
	}
}

func memberOf(m types.DBClusterMember) Member {
	return Member{InstanceID: aws.ToString(m.DBInstanceIdentifier), Writer: aws.ToBool(m.IsClusterWriter)}
}

func instanceOf(i types.DBInstance) Instance {
	return Instance{
		ID:               aws.ToString(i.DBInstanceIdentifier),
		ClusterID:        aws.ToString(i.DBClusterIdentifier),
		Class:            aws.ToString(i.DBInstanceClass),
		Status:           aws.ToString(i.DBInstanceStatus),
		AvailabilityZone: aws.ToString(i.AvailabilityZone),
	}
}

func snapshotOf(s types.DBClusterSnapshot, region string) Snapshot {
	return Snapshot{
		ID:               aws.ToString(s.DBClusterSnapshotIdentifier),
		ARN:              aws.ToString(s.DBClusterSnapshotArn),
		ClusterID:        aws.ToString(s.DBClusterIdentifier),
		ClusterType:      TypeInstance,
		Region:           region,
		Status:           aws.ToString(s.Status),
		Type:             aws.ToString(s.SnapshotType),
		PercentProgress:  int(aws.ToInt32(s.PercentProgress)),
		Created:          aws.ToTime(s.SnapshotCreateTime),
		ClusterCreated:   aws.ToTime(s.ClusterCreateTime),
		EngineVersion:    aws.ToString(s.EngineVersion),
		StorageEncrypted: aws.ToBool(s.StorageEncrypted),
		KMSKeyID:         aws.ToString(s.KmsKeyId),
		SourceARN:        aws.ToString(s.SourceDBClusterSnapshotArn),
		Shared:           aws.ToString(s.SnapshotType) == SnapshotShared,
	}
}

func tagOf(t types.Tag) Tag {
	return Tag{Key: aws.ToString(t.Key), Value: aws.ToString(t.Value)}
}

func globalClusterOf(g types.GlobalCluster) GlobalCluster {
	return GlobalCluster{
		ID:            aws.ToString(g.GlobalClusterIdentifier),
		ARN:           aws.ToString(g.GlobalClusterArn),
		Status:        aws.ToString(g.Status),
		Engine:        aws.ToString(g.Engine),
		EngineVersion: aws.ToString(g.EngineVersion),
		Members:       convertAll(g.GlobalClusterMembers, globalMemberOf),
	}
}

// globalMemberOf takes the member's region and identifier from its ARN,
// arn:aws:rds:REGION:ACCOUNT:cluster:ID; an ARN of another form leaves them
// empty.
func globalMemberOf(m types.GlobalClusterMember) GlobalMember {
	out := GlobalMember{ClusterARN: aws.ToString(m.DBClusterArn), Primary: aws.ToBool(m.IsWriter)}
	if parts := strings.SplitN(out.ClusterARN, ":", 7); len(parts) == 7 && parts[0] == "arn" && parts[5] == "cluster" {
		out.Region, out.ClusterID = parts[3], parts[6]
	}
	return out
}
