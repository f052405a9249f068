package emulator_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/docdb"
	"github.com/aws/aws-sdk-go-v2/service/docdb/types"
	"github.com/aws/smithy-go"

	"github.com/docsnap/docsnap/awsclient/emulator"
	"github.com/docsnap/docsnap/awsclient/emulator/emulatortest"
)

// The endpoint as aws-sdk-go-v2 sees it: its serializers, its
// deserializers and its typed errors, over HTTP.

func sdkClient(t *testing.T, fleet emulator.Fleet, opts emulator.Options) (*docdb.Client, *emulator.Server, *emulator.Clock) {
	t.Helper()
	now := emulator.NewClock(time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC))
	opts.Now = now.Now
	s, ep := emulatortest.Serve(t, opts, fleet)
	client := docdb.New(docdb.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(ep.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		// The standard retryer, as in production, with no backoff to keep
		// tests fast: it covers the rare closed connection that the
		// endpoint's turnaround does not prevent (the SDK's known bug
		// github.com/aws/aws-sdk-go-v2/issues/2737).
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		}),
	})
	return client, s, now
}

func TestSDKPaginatesClusters(t *testing.T) {
	client, _, _ := sdkClient(t, emulator.GeneratedFleet(250), emulator.Options{})
	p := docdb.NewDescribeDBClustersPaginator(client, &docdb.DescribeDBClustersInput{
		MaxRecords: aws.Int32(20),
		Filters:    []types.Filter{{Name: aws.String("engine"), Values: []string{"docdb"}}},
	})
	pages, seen := 0, map[string]bool{}
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, c := range out.DBClusters {
			seen[aws.ToString(c.DBClusterIdentifier)] = true
		}
		if id, _ := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata); id == "" {
			t.Error("no request id in the result metadata")
		}
	}
	if pages != 13 || len(seen) != 250 {
		t.Errorf("%d pages, %d clusters; want 13 and 250", pages, len(seen))
	}
}

func TestSDKReadsEveryFieldTheAppShows(t *testing.T) {
	client, _, now := sdkClient(t, emulator.DemoFleet(), emulator.Options{})
	ctx := context.Background()
	out, err := client.DescribeDBClusters(ctx, &docdb.DescribeDBClustersInput{DBClusterIdentifier: aws.String("payments-prod")})
	if err != nil {
		t.Fatal(err)
	}
	c := out.DBClusters[0]
	if aws.ToString(c.Status) != "available" || aws.ToString(c.Engine) != "docdb" || aws.ToString(c.EngineVersion) != "5.0.0" ||
		aws.ToInt32(c.Port) != 27017 || !aws.ToBool(c.StorageEncrypted) || !aws.ToBool(c.DeletionProtection) ||
		aws.ToInt32(c.BackupRetentionPeriod) != 14 || aws.ToString(c.PreferredBackupWindow) != "03:00-03:30" ||
		!aws.ToBool(c.MultiAZ) || aws.ToString(c.DBClusterArn) != "arn:aws:rds:us-east-1:123456789012:cluster:payments-prod" {
		t.Errorf("cluster %+v", c)
	}
	if e, r := aws.ToString(c.Endpoint), aws.ToString(c.ReaderEndpoint); e == "" || r == "" || e == r {
		t.Errorf("endpoints %q and %q", e, r)
	}
	if created := aws.ToTime(c.ClusterCreateTime); !created.Before(now.Now()) || created.IsZero() {
		t.Errorf("ClusterCreateTime %v", created)
	}
	if len(c.DBClusterMembers) != 3 || !aws.ToBool(c.DBClusterMembers[0].IsClusterWriter) || aws.ToBool(c.DBClusterMembers[1].IsClusterWriter) {
		t.Errorf("members %+v", c.DBClusterMembers)
	}
	if len(c.AvailabilityZones) != 3 || len(c.VpcSecurityGroups) != 1 || len(c.EnabledCloudwatchLogsExports) != 2 {
		t.Errorf("zones %v, security groups %v, log exports %v", c.AvailabilityZones, c.VpcSecurityGroups, c.EnabledCloudwatchLogsExports)
	}

	snaps, err := client.DescribeDBClusterSnapshots(ctx, &docdb.DescribeDBClusterSnapshotsInput{DBClusterSnapshotIdentifier: aws.String("orders-prod-before-reindex")})
	if err != nil {
		t.Fatal(err)
	}
	sn := snaps.DBClusterSnapshots[0]
	if aws.ToString(sn.Status) != "creating" || aws.ToInt32(sn.PercentProgress) <= 0 || aws.ToString(sn.SnapshotType) != "manual" ||
		aws.ToString(sn.DBClusterIdentifier) != "orders-prod" || aws.ToString(sn.EngineVersion) != "8.0.0" || !aws.ToBool(sn.StorageEncrypted) ||
		aws.ToTime(sn.SnapshotCreateTime).IsZero() || aws.ToTime(sn.ClusterCreateTime).IsZero() ||
		aws.ToString(sn.DBClusterSnapshotArn) != "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:orders-prod-before-reindex" {
		t.Errorf("snapshot %+v", sn)
	}

	ins, err := client.DescribeDBInstances(ctx, &docdb.DescribeDBInstancesInput{
		Filters: []types.Filter{{Name: aws.String("db-cluster-id"), Values: []string{"payments-prod"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ins.DBInstances) != 3 {
		t.Fatalf("%d instances", len(ins.DBInstances))
	}
	in := ins.DBInstances[0]
	if aws.ToString(in.DBInstanceClass) != "db.r6g.xlarge" || aws.ToString(in.DBInstanceStatus) != "available" ||
		aws.ToString(in.AvailabilityZone) != "us-east-1a" || aws.ToString(in.DBClusterIdentifier) != "payments-prod" ||
		in.Endpoint == nil || aws.ToInt32(in.Endpoint.Port) != 27017 {
		t.Errorf("instance %+v", in)
	}

	// An empty but non-nil list of values goes out as a bare key.
	empty, err := client.DescribeDBClusters(ctx, &docdb.DescribeDBClustersInput{
		Filters: []types.Filter{{Name: aws.String("engine"), Values: []string{}}},
	})
	if err != nil || len(empty.DBClusters) != 0 {
		t.Errorf("engine in {}: %v, %d clusters", err, len(empty.DBClusters))
	}
}

func TestSDKCreateAndProgress(t *testing.T) {
	client, _, now := sdkClient(t, emulator.DemoFleet(), emulator.Options{SnapshotDuration: time.Minute})
	ctx := context.Background()
	out, err := client.CreateDBClusterSnapshot(ctx, &docdb.CreateDBClusterSnapshotInput{
		DBClusterIdentifier:         aws.String("Shipping-Prod"),
		DBClusterSnapshotIdentifier: aws.String("Shipping-Before-Peak"),
		Tags:                        []types.Tag{{Key: aws.String("reason"), Value: aws.String("peak season")}, {Key: aws.String("ticket")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	sn := out.DBClusterSnapshot
	if aws.ToString(sn.DBClusterSnapshotIdentifier) != "shipping-before-peak" || aws.ToString(sn.Status) != "creating" || aws.ToInt32(sn.PercentProgress) != 0 {
		t.Fatalf("created %+v", sn)
	}
	tags, err := client.ListTagsForResource(ctx, &docdb.ListTagsForResourceInput{ResourceName: sn.DBClusterSnapshotArn})
	if err != nil || len(tags.TagList) != 2 || aws.ToString(tags.TagList[0].Value) != "peak season" || tags.TagList[1].Value != nil {
		t.Errorf("tags %+v, %v", tags, err)
	}
	now.Advance(10 * time.Minute)
	got, err := client.DescribeDBClusterSnapshots(ctx, &docdb.DescribeDBClusterSnapshotsInput{DBClusterSnapshotIdentifier: aws.String("shipping-before-peak")})
	if err != nil || aws.ToString(got.DBClusterSnapshots[0].Status) != "available" || aws.ToInt32(got.DBClusterSnapshots[0].PercentProgress) != 100 {
		t.Errorf("later: %+v, %v", got, err)
	}
}

func TestSDKTypedErrors(t *testing.T) {
	client, s, _ := sdkClient(t, emulator.DemoFleet(), emulator.Options{Quota: 7})
	ctx := context.Background()
	create := func(cluster, id string) error {
		_, err := client.CreateDBClusterSnapshot(ctx, &docdb.CreateDBClusterSnapshotInput{
			DBClusterIdentifier: aws.String(cluster), DBClusterSnapshotIdentifier: aws.String(id)})
		return err
	}
	if err := create("orders-prod", "seventh"); err != nil { // the demo fleet holds 6
		t.Fatal(err)
	}
	var (
		exists   *types.DBClusterSnapshotAlreadyExistsFault
		state    *types.InvalidDBClusterStateFault
		notFound *types.DBClusterNotFoundFault
		quota    *types.SnapshotQuotaExceededFault
		snapGone *types.DBClusterSnapshotNotFoundFault
		instGone *types.DBInstanceNotFoundFault
	)
	_, describeSnapErr := client.DescribeDBClusterSnapshots(ctx, &docdb.DescribeDBClusterSnapshotsInput{DBClusterSnapshotIdentifier: aws.String("nope")})
	_, describeInstErr := client.DescribeDBInstances(ctx, &docdb.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String("nope")})
	for name, tc := range map[string]struct {
		err    error
		target any
	}{
		"exists":             {create("orders-prod", "seventh"), &exists},
		"state":              {create("user-profiles-dev", "x1"), &state},
		"not found":          {create("nope", "x2"), &notFound},
		"quota":              {create("orders-prod", "eighth"), &quota},
		"snapshot not found": {describeSnapErr, &snapGone},
		"instance not found": {describeInstErr, &instGone},
	} {
		if !errors.As(tc.err, tc.target) {
			t.Errorf("%s: %v is not a %T", name, tc.err, tc.target)
		}
		var resp *awshttp.ResponseError
		if !errors.As(tc.err, &resp) || resp.ServiceRequestID() == "" {
			t.Errorf("%s: no request id in %v", name, tc.err)
		}
	}

	generic := func(err error) (string, int) {
		var api smithy.APIError
		var resp *awshttp.ResponseError
		if !errors.As(err, &api) || !errors.As(err, &resp) {
			t.Fatalf("%v is not an API error", err)
		}
		return api.ErrorCode(), resp.HTTPStatusCode()
	}
	_, err := client.DescribeDBClusters(ctx, &docdb.DescribeDBClustersInput{MaxRecords: aws.Int32(5)})
	if code, status := generic(err); code != "InvalidParameterValue" || status != 400 {
		t.Errorf("MaxRecords 5: %s %d", code, status)
	}
	_, err = client.DescribeDBClusterSnapshots(ctx, &docdb.DescribeDBClusterSnapshotsInput{
		DBClusterIdentifier: aws.String("orders-prod"), DBClusterSnapshotIdentifier: aws.String("seventh")})
	if code, status := generic(err); code != "InvalidParameterCombination" || status != 400 {
		t.Errorf("both ids: %s %d", code, status)
	}
	s.SetFaults(emulator.Faults{Throttle: 1})
	_, err = client.DescribeDBClusters(ctx, &docdb.DescribeDBClustersInput{})
	if code, status := generic(err); code != "Throttling" || status != 400 {
		t.Errorf("throttled: %s %d", code, status)
	}
	s.SetFaults(emulator.Faults{Server5xx: 1})
	_, err = client.DescribeDBClusters(ctx, &docdb.DescribeDBClustersInput{})
	if code, status := generic(err); code != "InternalFailure" || status != 500 {
		t.Errorf("5xx: %s %d", code, status)
	}
}

// Global clusters as the SDK reads them: the demo's, with its members in two
// regions, whichever region is asked; a listing of many, page by page; the
// db-cluster-id filter; and the typed fault for an unknown identifier.
func TestSDKDescribesGlobalClusters(t *testing.T) {
	ctx := context.Background()
	for _, region := range []string{"us-east-1", "eu-west-1", "ap-south-1"} {
		client, _, _ := sdkClient(t, emulator.DemoFleetFor(region), emulator.Options{Region: region})
		out, err := client.DescribeGlobalClusters(ctx, &docdb.DescribeGlobalClustersInput{})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.GlobalClusters) != 1 {
			t.Fatalf("%s: %d global clusters", region, len(out.GlobalClusters))
		}
		g := out.GlobalClusters[0]
		const primary, secondary = "arn:aws:rds:us-east-1:123456789012:cluster:shipping-prod", "arn:aws:rds:eu-west-1:123456789012:cluster:shipping-prod-euw1"
		if aws.ToString(g.GlobalClusterIdentifier) != "shipping-global" || aws.ToString(g.Engine) != "docdb" ||
			aws.ToString(g.GlobalClusterArn) != "arn:aws:rds::123456789012:global-cluster:shipping-global" || len(g.GlobalClusterMembers) != 2 {
			t.Fatalf("%s: %+v", region, g)
		}
		p, s := g.GlobalClusterMembers[0], g.GlobalClusterMembers[1]
		if aws.ToString(p.DBClusterArn) != primary || !aws.ToBool(p.IsWriter) || len(p.Readers) != 1 || p.Readers[0] != secondary {
			t.Fatalf("%s: primary %+v", region, p)
		}
		if aws.ToString(s.DBClusterArn) != secondary || aws.ToBool(s.IsWriter) || len(s.Readers) != 0 || s.SynchronizationStatus != types.GlobalClusterMemberSynchronizationStatusConnected {
			t.Fatalf("%s: secondary %+v", region, s)
		}
	}

	var f emulator.Fleet
	for i := range 45 {
		f.Globals = append(f.Globals, emulator.GlobalClusterSpec{ID: fmt.Sprintf("global-%02d", i), Engine: "docdb",
			Members: []emulator.GlobalMemberSpec{{Region: "us-east-1", ClusterID: fmt.Sprintf("c-%02d", i), Primary: true}}})
	}
	client, s, _ := sdkClient(t, f, emulator.Options{})
	p := docdb.NewDescribeGlobalClustersPaginator(client, &docdb.DescribeGlobalClustersInput{MaxRecords: aws.Int32(20)})
	pages, seen := 0, map[string]bool{}
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, g := range out.GlobalClusters {
			seen[aws.ToString(g.GlobalClusterIdentifier)] = true
		}
	}
	if pages != 3 || len(seen) != 45 || s.Calls("DescribeGlobalClusters") != 3 {
		t.Fatalf("%d pages, %d global clusters, %d calls", pages, len(seen), s.Calls("DescribeGlobalClusters"))
	}

	for _, v := range []string{"c-07", "arn:aws:rds:us-east-1:123456789012:cluster:c-07"} {
		out, err := client.DescribeGlobalClusters(ctx, &docdb.DescribeGlobalClustersInput{
			Filters: []types.Filter{{Name: aws.String("db-cluster-id"), Values: []string{v}}}})
		if err != nil || len(out.GlobalClusters) != 1 || aws.ToString(out.GlobalClusters[0].GlobalClusterIdentifier) != "global-07" {
			t.Fatalf("filter %s: %+v, %v", v, out, err)
		}
	}
	out, err := client.DescribeGlobalClusters(ctx, &docdb.DescribeGlobalClustersInput{GlobalClusterIdentifier: aws.String("GLOBAL-03")})
	if err != nil || len(out.GlobalClusters) != 1 {
		t.Fatalf("by identifier: %+v, %v", out, err)
	}
	_, err = client.DescribeGlobalClusters(ctx, &docdb.DescribeGlobalClustersInput{GlobalClusterIdentifier: aws.String("nope")})
	var notFound *types.GlobalClusterNotFoundFault
	var resp *awshttp.ResponseError
	if !errors.As(err, &notFound) || !errors.As(err, &resp) || resp.HTTPStatusCode() != 404 {
		t.Fatalf("unknown global cluster: %v", err)
	}
}
