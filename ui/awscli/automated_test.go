package awscli

import (
	"testing"

	"github.com/docsnap/docsnap/awsclient"
)

// The command that follows an automated snapshot says its type, without
// which AWS does not find it; a manual one's does not.
func TestDescribeAutomatedSnapshot(t *testing.T) {
	target := awsclient.Target{Region: "eu-west-1"}
	for id, want := range map[string]string{
		"rds:orders-2026-11-29-05-30": "aws docdb describe-db-cluster-snapshots --db-cluster-snapshot-identifier rds:orders-2026-11-29-05-30" +
			" --query 'DBClusterSnapshots[0].[Status,PercentProgress]' --output text --snapshot-type automated --region eu-west-1",
		"arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:rds:orders-2026-11-29-05-30": "aws docdb describe-db-cluster-snapshots" +
			" --db-cluster-snapshot-identifier arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:rds:orders-2026-11-29-05-30" +
			" --query 'DBClusterSnapshots[0].[Status,PercentProgress]' --output text --snapshot-type automated --region eu-west-1",
		"pre-deploy": "aws docdb describe-db-cluster-snapshots --db-cluster-snapshot-identifier pre-deploy" +
			" --query 'DBClusterSnapshots[0].[Status,PercentProgress]' --output text --region eu-west-1",
	} {
		if got := DescribeSnapshot(id, target).String(); got != want {
			t.Errorf("DescribeSnapshot(%s):\n got %s\nwant %s", id, got, want)
		}
	}
}
