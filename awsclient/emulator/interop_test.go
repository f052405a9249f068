package emulator_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient/emulator"
)

// Interoperability with clients nobody here wrote: the AWS CLI (v1) and
// boto3, against the endpoint `docsnap emulator` serves (Start).

// requireTool finds a program, or skips saying why; with
// DOCSNAP_REQUIRE_INTEROP=1 (as CI sets it) a missing one fails the test.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("DOCSNAP_REQUIRE_INTEROP") == "1" {
			t.Fatalf("%s is required (DOCSNAP_REQUIRE_INTEROP=1) but was not found: %v", name, err)
		}
		t.Skipf("skipping: %s was not found (%v); set DOCSNAP_REQUIRE_INTEROP=1 to make this a failure", name, err)
	}
	return path
}

// startEmulator serves the demo fleet as `docsnap emulator` does, on a
// manual clock.
func startEmulator(t *testing.T) (string, *emulator.Clock) {
	t.Helper()
	now := emulator.NewClock(time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC))
	var banner bytes.Buffer
	ep, err := emulator.Start(emulator.Config{
		Listen:  "127.0.0.1:0",
		Options: emulator.Options{Now: now.Now, SnapshotDuration: time.Minute, Quota: 100},
	}, &banner)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ep.Close() })
	if !strings.Contains(banner.String(), "--endpoint-url "+ep.URL) {
		t.Errorf("the banner does not give the endpoint URL %s:\n%s", ep.URL, banner.String())
	}
	return ep.URL, now
}

// isolatedEnv is an environment with dummy credentials and no AWS
// configuration of the machine's own.
func isolatedEnv(t *testing.T, extra ...string) []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_ACCESS_KEY_ID=test",
		"AWS_SECRET_ACCESS_KEY=test",
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_PAGER=",
		"AWS_EC2_METADATA_DISABLED=true",
	}
	for _, kv := range os.Environ() { // pyenv finds its Python through these
		if strings.HasPrefix(kv, "PYENV_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

type cliResult struct {
	stdout, stderr string
	code           int
}

func runTool(t *testing.T, env []string, name string, args ...string) cliResult {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run %s: %v", name, err)
	}
	return cliResult{stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()}
}

// awsJSON runs the CLI and decodes its --output json.
func awsJSON[T any](t *testing.T, env []string, args ...string) T {
	t.Helper()
	r := runTool(t, env, "aws", append(args, "--output", "json")...)
	if r.code != 0 {
		t.Fatalf("aws %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	var out T
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, r.stdout)
	}
	return out
}

type cliCluster struct {
	DBClusterIdentifier string
	Engine              string
	Status              string
	Port                int
	StorageEncrypted    bool
	DBClusterMembers    []struct {
		DBInstanceIdentifier string
		IsClusterWriter      bool
	}
}

type cliSnapshot struct {
	DBClusterSnapshotIdentifier string
	DBClusterIdentifier         string
	Status                      string
	SnapshotType                string
	PercentProgress             int
	DBClusterSnapshotArn        string
	SourceDBClusterSnapshotArn  string
	KmsKeyID                    string `json:"KmsKeyId"`
}

func TestAWSCLI(t *testing.T) {
	requireTool(t, "aws")
	url, clock := startEmulator(t)
	env := isolatedEnv(t)
	ep := []string{"--endpoint-url", url}

	all := awsJSON[struct{ DBClusters []cliCluster }](t, env, append([]string{"docdb", "describe-db-clusters"}, ep...)...)
	engines := map[string]int{}
	for _, c := range all.DBClusters {
		engines[c.Engine]++
	}
	if engines["aurora-postgresql"] != 1 || engines["neptune"] != 1 || engines["docdb"] < 10 {
		t.Errorf("without a filter the CLI lists engines %v: want Aurora and Neptune among the DocumentDB clusters", engines)
	}

	docdb := awsJSON[struct{ DBClusters []cliCluster }](t, env, append([]string{"docdb", "describe-db-clusters",
		"--filters", "Name=engine,Values=docdb"}, ep...)...)
	if len(docdb.DBClusters) != engines["docdb"] {
		t.Errorf("engine=docdb lists %d clusters, want %d", len(docdb.DBClusters), engines["docdb"])
	}
	for _, c := range docdb.DBClusters {
		if c.Engine != "docdb" || c.Port != 27017 || len(c.DBClusterMembers) == 0 {
			t.Errorf("engine=docdb listed %+v", c)
		}
	}

	created := awsJSON[struct{ DBClusterSnapshot cliSnapshot }](t, env, append([]string{"docdb", "create-db-cluster-snapshot",
		"--db-cluster-identifier", "Payments-Prod", "--db-cluster-snapshot-identifier", "CLI-Snap-1",
		"--tags", "Key=reason,Value=made by the aws cli", "Key=ticket"}, ep...)...).DBClusterSnapshot
	if created.DBClusterSnapshotIdentifier != "cli-snap-1" || created.Status != "creating" || created.PercentProgress != 0 ||
		created.DBClusterIdentifier != "payments-prod" || created.SnapshotType != "manual" {
		t.Errorf("created %+v", created)
	}

	clock.Advance(10 * time.Minute)
	snaps := awsJSON[struct{ DBClusterSnapshots []cliSnapshot }](t, env, append([]string{"docdb", "describe-db-cluster-snapshots",
		"--db-cluster-identifier", "payments-prod"}, ep...)...).DBClusterSnapshots
	i := slices.IndexFunc(snaps, func(s cliSnapshot) bool { return s.DBClusterSnapshotIdentifier == "cli-snap-1" })
	if i < 0 || snaps[i].Status != "available" || snaps[i].PercentProgress != 100 || len(snaps) != 6 {
		t.Errorf("payments-prod snapshots %+v: want 6, cli-snap-1 available at 100", snaps)
	}

	tags := awsJSON[struct{ TagList []map[string]string }](t, env, append([]string{"docdb", "list-tags-for-resource",
		"--resource-name", created.DBClusterSnapshotArn}, ep...)...).TagList
	if len(tags) != 2 || tags[0]["Value"] != "made by the aws cli" || tags[1]["Key"] != "ticket" {
		t.Errorf("tags %v", tags)
	}

	// The CLI pages through the instances itself, following Marker.
	instances := awsJSON[struct {
		DBInstances []struct{ DBInstanceIdentifier string }
	}](t, env, append([]string{"docdb",
		"describe-db-instances", "--page-size", "20"}, ep...)...).DBInstances
	want := 0
	for _, c := range emulator.DemoFleet().Clusters {
		want += len(c.Instances)
	}
	if len(instances) != want {
		t.Errorf("describe-db-instances --page-size 20 listed %d instances, want %d", len(instances), want)
	}

	r := runTool(t, env, "aws", append([]string{"docdb", "create-db-cluster-snapshot",
		"--db-cluster-identifier", "no-such-cluster", "--db-cluster-snapshot-identifier", "x1"}, ep...)...)
	if (r.code != 254 && r.code != 255) || !strings.Contains(r.stderr, "DBClusterNotFoundFault") {
		t.Errorf("create on an unknown cluster: exit %d, stderr %q; want 254 or 255 and DBClusterNotFoundFault", r.code, r.stderr)
	}
	r = runTool(t, env, "aws", append([]string{"docdb", "describe-db-clusters", "--max-records", "5"}, ep...)...)
	if r.code == 0 || !strings.Contains(r.stderr, "Invalid value 5 for MaxRecords. Must be between 20 and 100.") {
		t.Errorf("--max-records 5: exit %d, stderr %q", r.code, r.stderr)
	}

	// The service-specific endpoint variable, as the banner suggests. AWS CLI
	// v1 ignores it for docdb in us-east-1 only (it pins rds.amazonaws.com
	// there), so ask from another region: the endpoint does not check it.
	viaEnv := awsJSON[struct{ DBClusters []cliCluster }](t, isolatedEnv(t, "AWS_ENDPOINT_URL_DOCDB="+url, "AWS_DEFAULT_REGION=eu-west-1"),
		"docdb", "describe-db-clusters", "--db-cluster-identifier", "orders-prod")
	if len(viaEnv.DBClusters) != 1 || viaEnv.DBClusters[0].DBClusterIdentifier != "orders-prod" {
		t.Errorf("with AWS_ENDPOINT_URL_DOCDB: %+v", viaEnv.DBClusters)
	}
}

const botoScript = `
import json
import boto3, botocore
c = boto3.client("docdb")  # the endpoint comes from AWS_ENDPOINT_URL_DOCDB
out = {}
pages = c.get_paginator("describe_db_instances").paginate(PaginationConfig={"PageSize": 20})
out["instances"] = [i["DBInstanceIdentifier"] for p in pages for i in p["DBInstances"]]
pages = c.get_paginator("describe_db_clusters").paginate(Filters=[{"Name": "engine", "Values": ["docdb"]}])
out["engines"] = sorted({cl["Engine"] for p in pages for cl in p["DBClusters"]})
s = c.create_db_cluster_snapshot(DBClusterIdentifier="Orders-Prod", DBClusterSnapshotIdentifier="Boto-Snap",
                                 Tags=[{"Key": "via", "Value": "boto3"}])["DBClusterSnapshot"]
out["created"] = [s["DBClusterSnapshotIdentifier"], s["Status"], s["PercentProgress"], s["SnapshotCreateTime"].isoformat()]
s = c.describe_db_cluster_snapshots(DBClusterSnapshotIdentifier="boto-snap")["DBClusterSnapshots"][0]
out["tags"] = c.list_tags_for_resource(ResourceName=s["DBClusterSnapshotArn"])["TagList"]
try:
    c.create_db_cluster_snapshot(DBClusterIdentifier="orders-prod", DBClusterSnapshotIdentifier="boto-snap")
except botocore.exceptions.ClientError as e:
    out["error"] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"],
                    e.response["ResponseMetadata"]["RequestId"]]
print(json.dumps(out))
`

// requireBoto3 finds a python3 that imports boto3, or skips saying why;
// with DOCSNAP_REQUIRE_INTEROP=1 a missing one fails the test.
func requireBoto3(t *testing.T) string {
	t.Helper()
	python := requireTool(t, "python3")
	if r := runTool(t, isolatedEnv(t), python, "-c", "import boto3"); r.code != 0 {
		if os.Getenv("DOCSNAP_REQUIRE_INTEROP") == "1" {
			t.Fatalf("boto3 is required (DOCSNAP_REQUIRE_INTEROP=1) but does not import: %s", r.stderr)
		}
		t.Skipf("skipping: boto3 does not import (%s); set DOCSNAP_REQUIRE_INTEROP=1 to make this a failure", strings.TrimSpace(r.stderr))
	}
	return python
}

func TestBoto3(t *testing.T) {
	python := requireBoto3(t)
	url, _ := startEmulator(t)
	r := runTool(t, isolatedEnv(t, "AWS_ENDPOINT_URL_DOCDB="+url), python, "-c", botoScript)
	if r.code != 0 {
		t.Fatalf("boto3 script: exit %d\n%s", r.code, r.stderr)
	}
	var out struct {
		Instances []string
		Engines   []string
		Created   []any
		Tags      []map[string]string
		Error     []any
	}
	if err := json.NewDecoder(strings.NewReader(r.stdout)).Decode(&out); err != nil && err != io.EOF {
		t.Fatalf("decode %q: %v", r.stdout, err)
	}
	want := 0
	for _, c := range emulator.DemoFleet().Clusters {
		want += len(c.Instances)
	}
	if len(out.Instances) != want {
		t.Errorf("boto3 paginated %d instances, want %d", len(out.Instances), want)
	}
	if !slices.Equal(out.Engines, []string{"docdb"}) {
		t.Errorf("engine=docdb gave engines %v", out.Engines)
	}
	if len(out.Created) != 4 || out.Created[0] != "boto-snap" || out.Created[1] != "creating" || out.Created[2] != 0.0 ||
		!strings.HasPrefix(out.Created[3].(string), "2025-03-14T15:09:26") {
		t.Errorf("created %v", out.Created)
	}
	if len(out.Tags) != 1 || out.Tags[0]["Key"] != "via" || out.Tags[0]["Value"] != "boto3" {
		t.Errorf("tags %v", out.Tags)
	}
	if len(out.Error) != 3 || out.Error[0] != "DBClusterSnapshotAlreadyExistsFault" || out.Error[1] != 400.0 || out.Error[2] == "" {
		t.Errorf("error %v", out.Error)
	}
}
