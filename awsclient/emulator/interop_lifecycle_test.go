package emulator_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

// The AWS CLI's and boto3's snapshot lifecycle against `docsnap emulator`:
// copies (across regions with the presigned URL botocore makes from
// --source-region), deletes and shares.

// demoAutomatedEU is an automated snapshot of the demo's eu-west-1 fleet on
// startEmulator's clock: shipping-prod-euw1's of five hours before.
const demoAutomatedEU = "arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:rds:shipping-prod-euw1-2025-03-14-10-09"

type cliAttributes struct {
	DBClusterSnapshotAttributesResult struct {
		DBClusterSnapshotIdentifier string
		DBClusterSnapshotAttributes []struct {
			AttributeName   string
			AttributeValues []string
		}
	}
}

func (a cliAttributes) restore() []string {
	for _, attr := range a.DBClusterSnapshotAttributesResult.DBClusterSnapshotAttributes {
		if attr.AttributeName == "restore" {
			return attr.AttributeValues
		}
	}
	return nil
}

func TestAWSCLISnapshotLifecycle(t *testing.T) {
	requireTool(t, "aws")
	url, clock := startEmulator(t)
	env := isolatedEnv(t)
	ep := []string{"--endpoint-url", url}
	run := func(args ...string) cliResult {
		return runTool(t, env, "aws", append(append([]string{"docdb"}, args...), ep...)...)
	}

	copied := awsJSON[struct{ DBClusterSnapshot cliSnapshot }](t, env, append([]string{"docdb", "copy-db-cluster-snapshot",
		"--source-db-cluster-snapshot-identifier", "payments-prod-pre-migration",
		"--target-db-cluster-snapshot-identifier", "CLI-Copy", "--copy-tags"}, ep...)...).DBClusterSnapshot
	if copied.DBClusterSnapshotIdentifier != "cli-copy" || copied.Status != "copying" || copied.SnapshotType != "manual" ||
		!strings.HasSuffix(copied.SourceDBClusterSnapshotArn, ":cluster-snapshot:payments-prod-pre-migration") {
		t.Errorf("copied %+v", copied)
	}

	// Across regions: botocore presigns the request for --source-region.
	dr := awsJSON[struct{ DBClusterSnapshot cliSnapshot }](t, env, append([]string{"docdb", "copy-db-cluster-snapshot",
		"--source-db-cluster-snapshot-identifier", demoAutomatedEU, "--target-db-cluster-snapshot-identifier", "shipping-dr",
		"--kms-key-id", "alias/aws/rds", "--source-region", "eu-west-1"}, ep...)...).DBClusterSnapshot
	if dr.Status != "copying" || dr.SourceDBClusterSnapshotArn != demoAutomatedEU || !strings.HasPrefix(dr.KmsKeyID, "arn:aws:kms:us-east-1:") {
		t.Errorf("cross-region copy %+v", dr)
	}
	// Without --source-region there is no presigned URL: refused.
	r := run("copy-db-cluster-snapshot", "--source-db-cluster-snapshot-identifier", demoAutomatedEU,
		"--target-db-cluster-snapshot-identifier", "shipping-dr-2", "--kms-key-id", "alias/aws/rds")
	if r.code == 0 || !strings.Contains(r.stderr, "PreSignedUrl") {
		t.Errorf("cross-region copy without --source-region: exit %d, %s", r.code, r.stderr)
	}

	clock.Advance(10 * time.Minute)
	snaps := awsJSON[struct{ DBClusterSnapshots []cliSnapshot }](t, env, append([]string{"docdb", "describe-db-cluster-snapshots",
		"--db-cluster-snapshot-identifier", "shipping-dr"}, ep...)...).DBClusterSnapshots
	if len(snaps) != 1 || snaps[0].Status != "available" || snaps[0].PercentProgress != 100 {
		t.Errorf("the cross-region copy after ten minutes: %+v", snaps)
	}

	shares := awsJSON[cliAttributes](t, env, append([]string{"docdb", "modify-db-cluster-snapshot-attribute",
		"--db-cluster-snapshot-identifier", "cli-copy", "--attribute-name", "restore",
		"--values-to-add", "111122223333", "444455556666"}, ep...)...)
	if got := shares.restore(); !slices.Equal(got, []string{"111122223333", "444455556666"}) {
		t.Errorf("shared with %v", got)
	}
	described := awsJSON[cliAttributes](t, env, append([]string{"docdb", "describe-db-cluster-snapshot-attributes",
		"--db-cluster-snapshot-identifier", "cli-copy"}, ep...)...)
	if described.DBClusterSnapshotAttributesResult.DBClusterSnapshotIdentifier != "cli-copy" ||
		!slices.Equal(described.restore(), shares.restore()) {
		t.Errorf("described %+v", described)
	}
	r = run("modify-db-cluster-snapshot-attribute", "--db-cluster-snapshot-identifier", "cli-copy",
		"--attribute-name", "restore", "--values-to-add", "all")
	if r.code == 0 || !strings.Contains(r.stderr, "InvalidParameterValue") {
		t.Errorf("public share of an encrypted snapshot: exit %d, %s", r.code, r.stderr)
	}

	deleted := awsJSON[struct{ DBClusterSnapshot cliSnapshot }](t, env, append([]string{"docdb", "delete-db-cluster-snapshot",
		"--db-cluster-snapshot-identifier", "cli-copy"}, ep...)...).DBClusterSnapshot
	if deleted.DBClusterSnapshotIdentifier != "cli-copy" {
		t.Errorf("deleted %+v", deleted)
	}
	r = run("delete-db-cluster-snapshot", "--db-cluster-snapshot-identifier", "cli-copy")
	if r.code == 0 || !strings.Contains(r.stderr, "DBClusterSnapshotNotFoundFault") {
		t.Errorf("second delete: exit %d, %s", r.code, r.stderr)
	}
	r = run("delete-db-cluster-snapshot", "--db-cluster-snapshot-identifier", "rds:payments-prod-2025-03-14-10-09")
	if r.code == 0 || !strings.Contains(r.stderr, "InvalidDBClusterSnapshotStateFault") {
		t.Errorf("delete of an automated snapshot: exit %d, %s", r.code, r.stderr)
	}

	shared := awsJSON[struct{ DBClusterSnapshots []cliSnapshot }](t, env, append([]string{"docdb", "describe-db-cluster-snapshots",
		"--include-shared", "--snapshot-type", "shared"}, ep...)...).DBClusterSnapshots
	if len(shared) != 3 || !strings.HasPrefix(shared[0].DBClusterSnapshotIdentifier, "arn:aws:rds:us-east-1:") {
		t.Errorf("shared with this account: %+v", shared)
	}
}

const botoLifecycleScript = `
import json
import boto3, botocore
c = boto3.client("docdb")  # the endpoint comes from AWS_ENDPOINT_URL_DOCDB
out = {}
s = c.copy_db_cluster_snapshot(SourceDBClusterSnapshotIdentifier="analytics-events-schema-v2",
                               TargetDBClusterSnapshotIdentifier="boto-copy", CopyTags=True)["DBClusterSnapshot"]
out["copy"] = [s["DBClusterSnapshotIdentifier"], s["Status"], s["SourceDBClusterSnapshotArn"]]
s = c.copy_db_cluster_snapshot(SourceDBClusterSnapshotIdentifier=SOURCE, TargetDBClusterSnapshotIdentifier="boto-dr",
                               KmsKeyId="alias/aws/rds", SourceRegion="eu-west-1")["DBClusterSnapshot"]
out["dr"] = [s["Status"], s["SourceDBClusterSnapshotArn"]]
a = c.modify_db_cluster_snapshot_attribute(DBClusterSnapshotIdentifier="boto-copy", AttributeName="restore",
                                           ValuesToAdd=["123456789012"])["DBClusterSnapshotAttributesResult"]
out["shared"] = a["DBClusterSnapshotAttributes"][0]["AttributeValues"]
a = c.describe_db_cluster_snapshot_attributes(DBClusterSnapshotIdentifier="analytics-events-schema-v2")
out["described"] = a["DBClusterSnapshotAttributesResult"]["DBClusterSnapshotAttributes"][0]["AttributeValues"]
out["deleted"] = c.delete_db_cluster_snapshot(DBClusterSnapshotIdentifier="boto-copy")["DBClusterSnapshot"]["DBClusterSnapshotIdentifier"]
try:
    c.modify_db_cluster_snapshot_attribute(DBClusterSnapshotIdentifier="analytics-events-schema-v2", AttributeName="restore",
                                           ValuesToAdd=["%012d" % (100000000000 + i) for i in range(21)])
except botocore.exceptions.ClientError as e:
    out["error"] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
print(json.dumps(out))
`

func TestBoto3SnapshotLifecycle(t *testing.T) {
	python := requireBoto3(t)
	url, _ := startEmulator(t)
	script := strings.Replace(botoLifecycleScript, "SOURCE", `"`+demoAutomatedEU+`"`, 1)
	r := runTool(t, isolatedEnv(t, "AWS_ENDPOINT_URL_DOCDB="+url), python, "-c", script)
	if r.code != 0 {
		t.Fatalf("boto3 script: exit %d\n%s", r.code, r.stderr)
	}
	var out struct {
		Copy, DR, Shared, Described []string
		Deleted                     string
		Error                       []any
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("decode %q: %v", r.stdout, err)
	}
	if len(out.Copy) != 3 || out.Copy[0] != "boto-copy" || out.Copy[1] != "copying" ||
		!strings.HasSuffix(out.Copy[2], ":cluster-snapshot:analytics-events-schema-v2") {
		t.Errorf("copy %v", out.Copy)
	}
	if !slices.Equal(out.DR, []string{"copying", demoAutomatedEU}) {
		t.Errorf("cross-region copy %v", out.DR)
	}
	if !slices.Equal(out.Shared, []string{"123456789012"}) || len(out.Described) != 2 || out.Deleted != "boto-copy" {
		t.Errorf("shared %v, described %v, deleted %q", out.Shared, out.Described, out.Deleted)
	}
	if len(out.Error) != 2 || out.Error[0] != "SharedSnapshotQuotaExceeded" || out.Error[1] != 400.0 {
		t.Errorf("error %v", out.Error)
	}
}
