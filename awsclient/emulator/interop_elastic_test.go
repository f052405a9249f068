package emulator_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

// The docdb-elastic API of `docsnap emulator` with the AWS CLI and boto3.

type cliElasticSnapshot struct {
	SnapshotName string
	SnapshotArn  string
	ClusterArn   string
	Status       string
	SnapshotType string
}

func TestAWSCLIElastic(t *testing.T) {
	requireTool(t, "aws")
	url, clock := startEmulator(t)
	env := isolatedEnv(t)
	ep := []string{"--endpoint-url", url}

	// The CLI pages through the clusters itself, following nextToken.
	clusters := awsJSON[struct {
		Clusters []struct{ ClusterName, ClusterArn, Status string }
	}](t, env, append([]string{"docdb-elastic", "list-clusters", "--page-size", "1"}, ep...)...).Clusters
	var names []string
	events := ""
	for _, c := range clusters {
		names = append(names, c.ClusterName+" "+c.Status)
		if c.ClusterName == "events-elastic-prod" {
			events = c.ClusterArn
		}
	}
	if want := []string{"clickstream-elastic UPDATING", "events-elastic-prod ACTIVE", "search-elastic-dev STOPPED"}; !slices.Equal(names, want) {
		t.Fatalf("list-clusters --page-size 1: %v, want %v", names, want)
	}

	created := awsJSON[struct{ Snapshot cliElasticSnapshot }](t, env, append([]string{"docdb-elastic", "create-cluster-snapshot",
		"--cluster-arn", events, "--snapshot-name", "cli-elastic-1", "--tags", "reason=made by the aws cli,ticket="}, ep...)...).Snapshot
	if created.SnapshotName != "cli-elastic-1" || created.Status != "CREATING" || created.ClusterArn != events ||
		created.SnapshotType != "MANUAL" || !strings.HasPrefix(created.SnapshotArn, "arn:aws:docdb-elastic:us-east-1:") {
		t.Errorf("created %+v", created)
	}
	get := func() cliElasticSnapshot {
		return awsJSON[struct{ Snapshot cliElasticSnapshot }](t, env, append([]string{"docdb-elastic", "get-cluster-snapshot",
			"--snapshot-arn", created.SnapshotArn}, ep...)...).Snapshot
	}
	if s := get(); s.Status != "CREATING" {
		t.Errorf("at once: %+v", s)
	}
	clock.Advance(10 * time.Minute)
	if s := get(); s.Status != "ACTIVE" || s.SnapshotName != "cli-elastic-1" {
		t.Errorf("ten minutes later: %+v", s)
	}
	tags := awsJSON[struct{ Tags map[string]string }](t, env, append([]string{"docdb-elastic", "list-tags-for-resource",
		"--resource-arn", created.SnapshotArn}, ep...)...).Tags
	if len(tags) != 2 || tags["reason"] != "made by the aws cli" || tags["ticket"] != "" {
		t.Errorf("tags %v", tags)
	}
	manual := awsJSON[struct{ Snapshots []cliElasticSnapshot }](t, env, append([]string{"docdb-elastic", "list-cluster-snapshots",
		"--cluster-arn", events, "--snapshot-type", "manual"}, ep...)...).Snapshots
	if len(manual) != 3 {
		t.Errorf("manual snapshots of events-elastic-prod: %+v, want 3", manual)
	}

	r := runTool(t, env, "aws", append([]string{"docdb-elastic", "create-cluster-snapshot",
		"--cluster-arn", events, "--snapshot-name", "cli-elastic-1"}, ep...)...)
	if (r.code != 254 && r.code != 255) || !strings.Contains(r.stderr, "ConflictException") {
		t.Errorf("a name taken: exit %d, stderr %q; want 254 or 255 and ConflictException", r.code, r.stderr)
	}
	r = runTool(t, env, "aws", append([]string{"docdb-elastic", "get-cluster", "--cluster-arn",
		strings.Replace(events, "cluster/", "cluster/0", 1)}, ep...)...)
	if r.code == 0 || !strings.Contains(r.stderr, "ResourceNotFoundException") {
		t.Errorf("an unknown cluster: exit %d, stderr %q", r.code, r.stderr)
	}

	// The variable of docdb-elastic alone.
	viaEnv := awsJSON[struct{ Cluster struct{ ClusterName string } }](t, isolatedEnv(t, "AWS_ENDPOINT_URL_DOCDB_ELASTIC="+url),
		"docdb-elastic", "get-cluster", "--cluster-arn", events)
	if viaEnv.Cluster.ClusterName != "events-elastic-prod" {
		t.Errorf("with AWS_ENDPOINT_URL_DOCDB_ELASTIC: %+v", viaEnv)
	}
}

const botoElasticScript = `
import json
import boto3, botocore
c = boto3.client("docdb-elastic")  # the endpoint comes from AWS_ENDPOINT_URL_DOCDB_ELASTIC
out = {}
pages = c.get_paginator("list_clusters").paginate(PaginationConfig={"PageSize": 2})
clusters = {cl["clusterName"]: cl["clusterArn"] for p in pages for cl in p["clusters"]}
out["clusters"] = sorted(clusters)
arn = clusters["events-elastic-prod"]
out["shards"] = [c.get_cluster(clusterArn=arn)["cluster"][k] for k in ("shardCount", "shardCapacity", "shardInstanceCount", "authType")]
pages = c.get_paginator("list_cluster_snapshots").paginate(clusterArn=arn, PaginationConfig={"PageSize": 20})
out["snapshots"] = len([s for p in pages for s in p["snapshots"]])
s = c.create_cluster_snapshot(clusterArn=arn, snapshotName="boto-elastic", tags={"via": "boto3"})["snapshot"]
out["created"] = [s["snapshotName"], s["status"], s["snapshotType"]]
s = c.get_cluster_snapshot(snapshotArn=s["snapshotArn"])["snapshot"]
out["tags"] = c.list_tags_for_resource(resourceArn=s["snapshotArn"])["tags"]
try:
    c.create_cluster_snapshot(clusterArn=arn, snapshotName="boto-elastic")
except botocore.exceptions.ClientError as e:
    out["error"] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"],
                    e.response.get("resourceType", "")]
print(json.dumps(out))
`

func TestBoto3Elastic(t *testing.T) {
	python := requireBoto3(t)
	url, _ := startEmulator(t)
	r := runTool(t, isolatedEnv(t, "AWS_ENDPOINT_URL_DOCDB_ELASTIC="+url), python, "-c", botoElasticScript)
	if r.code != 0 {
		t.Fatalf("boto3 script: exit %d\n%s", r.code, r.stderr)
	}
	var out struct {
		Clusters  []string
		Shards    []any
		Snapshots int
		Created   []string
		Tags      map[string]string
		Error     []any
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("decode %q: %v", r.stdout, err)
	}
	if want := []string{"clickstream-elastic", "events-elastic-prod", "search-elastic-dev"}; !slices.Equal(out.Clusters, want) {
		t.Errorf("clusters %v, want %v", out.Clusters, want)
	}
	if want := []any{4.0, 8.0, 2.0, "SECRET_ARN"}; !slices.Equal(out.Shards, want) {
		t.Errorf("get_cluster %v, want %v", out.Shards, want)
	}
	if out.Snapshots != 4 {
		t.Errorf("%d snapshots of events-elastic-prod, want 4", out.Snapshots)
	}
	if want := []string{"boto-elastic", "CREATING", "MANUAL"}; !slices.Equal(out.Created, want) {
		t.Errorf("created %v, want %v", out.Created, want)
	}
	if len(out.Tags) != 1 || out.Tags["via"] != "boto3" {
		t.Errorf("tags %v", out.Tags)
	}
	if len(out.Error) != 3 || out.Error[0] != "ConflictException" || out.Error[1] != 409.0 {
		t.Errorf("error %v", out.Error)
	}
}
