package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// clusterFields and snapshotFields are the fields of the --output json
// documents for the help, in the order of the json tags of Cluster and
// Snapshot.
const (
	clusterFields  = "clusterId, arn, status, engine, engineVersion, endpoint, readerEndpoint, port, instances, members [{instanceId, writer}], storageEncrypted, deletionProtection, multiAz, backupRetentionDays, backupWindow, created, region, globalClusterId, globalRole (primary, secondary or null), type (instance or elastic), shards, shardCapacity (vCPUs a shard; null but for elastic clusters)"
	snapshotFields = "snapshotId, clusterId, arn, status, type, percentProgress, created, clusterCreated, engineVersion, storageEncrypted"
)

var listStatuses = exitStatuses(
	"0 listed",
	"1 AWS could not be configured or reached",
	"2 invalid input: nothing was sent",
	"3 AWS refused: its error code is printed",
	"130 interrupted")

var clustersUsage = `Usage: docsnap clusters [flags]

Lists the Amazon DocumentDB clusters of the account and region, one row
each: instance-based clusters, then elastic ones. Aurora and Neptune
clusters, which share the API, are left out. With
--output json: an array of objects with the fields
` + fieldList(clusterFields) + `
(times in RFC 3339, UTC).

Examples:
  docsnap clusters --region eu-west-1
  docsnap clusters --output json | jq -r '.[] | select(.status == "available") | .clusterId'
  docsnap clusters --demo

` + listStatuses + `
Flags:
`

func runClusters(ctx context.Context, env *Env, args []string) int {
	c := newCommand(env, "docsnap clusters", clustersUsage, false)
	out := addOutputFlag(c)
	if _, code, done := c.parse(args); done {
		return code
	}
	conn, code, ok := c.connect(ctx)
	if !ok {
		return code
	}
	defer conn.close()

	clusters, err := awsclient.All(ctx, conn.Client.Clusters())
	if err != nil {
		return c.fail(ctx, err)
	}
	// Elastic clusters, described for their shards. Without them (a policy
	// without the docdb-elastic actions) the others are still listed.
	elastic, err := listElastic(ctx, conn.Client)
	if err != nil {
		if ctx.Err() != nil {
			return c.fail(ctx, err)
		}
		fmt.Fprintf(env.Stderr, "%s: elastic clusters not listed: %s\n", c.fs.Name(), sanitize.String(sentence(err)))
	}
	clusters = append(clusters, elastic...)
	if *out == "json" {
		// One listing for the account; without it (a policy without
		// rds:DescribeGlobalClusters) the clusters are still listed.
		globals, err := awsclient.All(ctx, conn.Client.GlobalClusters())
		if err != nil {
			if ctx.Err() != nil {
				return c.fail(ctx, err)
			}
			fmt.Fprintf(env.Stderr, "%s: global clusters not known, globalClusterId and globalRole are null: %s\n",
				c.fs.Name(), sanitize.String(sentence(err)))
		}
		index := awsclient.Memberships(globals)
		docs := make([]Cluster, len(clusters))
		for i, cl := range clusters {
			docs[i] = clusterJSON(cl, index)
		}
		return c.written(writeClustersJSON(env.Stdout, docs))
	}
	if len(clusters) == 0 {
		fmt.Fprintf(env.Stderr, "No DocumentDB clusters in %s.\n", sanitize.String(conn.Client.Target().Region))
		return ExitOK
	}
	t := &table{heads: []string{"CLUSTER", "STATUS", "ENGINE", "INSTANCES", "ENCRYPTED", "CREATED (UTC)"},
		right: []bool{false, false, false, true, false, false}, status: 1}
	if len(elastic) > 0 { // a column to tell the kinds apart, and shards
		t.heads = []string{"CLUSTER", "STATUS", "TYPE", "ENGINE", "INSTANCES/SHARDS", "ENCRYPTED", "CREATED (UTC)"}
		t.right = []bool{false, false, false, false, true, false, false}
	}
	for _, cl := range clusters {
		cl = sanitize.Cluster(cl)
		size, enc := strconv.Itoa(len(cl.Members)), yesNo(cl.StorageEncrypted)
		row := []string{cl.ID, cl.Status, cl.EngineVersion, size, enc, tableTime(cl.Created)}
		if len(elastic) > 0 {
			kind := string(awsclient.TypeInstance)
			if cl.Type == awsclient.TypeElastic {
				kind, enc, size = string(awsclient.TypeElastic), yesNo(true), "?" // encrypted always, with a KMS key
				if cl.Detailed {
					size = strconv.Itoa(cl.ShardCount) + " x " + strconv.Itoa(cl.ShardCapacity) + " vCPU"
				}
			}
			row = []string{cl.ID, cl.Status, kind, cl.EngineVersion, size, enc, tableTime(cl.Created)}
		}
		t.add(row...)
	}
	return c.written(t.write(env.Stdout, env.paintsFor(env.Stdout), env.IsTerminal(env.Stdout)))
}

var snapshotsUsage = `Usage: docsnap snapshots [CLUSTER] [flags]

Lists a cluster's snapshots, manual and automated, newest first; without
CLUSTER, every cluster snapshot of the region, those other accounts share
with this one included. CLUSTER is its identifier or its ARN
(arn:aws:rds:REGION:ACCOUNT:cluster:ID), or an elastic cluster's name or
ARN (arn:aws:docdb-elastic:...). --type keeps one kind. With
--output json: an array of objects with the fields
` + fieldList(snapshotFields) + `
(times in RFC 3339, UTC).

Examples:
  docsnap snapshots payments-prod
  docsnap snapshots --type manual
  docsnap snapshots payments-prod --output json | jq -r '.[] | select(.type == "manual") | .snapshotId'

` + listStatuses + `
Flags:
`

func runSnapshots(ctx context.Context, env *Env, args []string) int {
	c := newCommand(env, "docsnap snapshots", snapshotsUsage, false)
	out := addOutputFlag(c)
	kind := c.fs.String("type", "", "keep only `kind`: manual, automated or shared")
	pos, code, done := c.parse(args, "[CLUSTER]")
	if done {
		return code
	}
	switch *kind {
	case "", awsclient.SnapshotManual, awsclient.SnapshotAutomated, awsclient.SnapshotShared:
	default:
		return c.bad("--type " + strconv.Quote(*kind) + ": want manual, automated or shared")
	}
	byARN := len(pos) == 1 && awsclient.ElasticARN(pos[0]) // an elastic cluster, by ARN
	if len(pos) == 1 && !byARN {
		if problems := awsclient.ValidateExistingCluster(pos[0]); len(problems) > 0 {
			return c.invalid(problems)
		}
	}
	conn, code, ok := c.connect(ctx)
	if !ok {
		return code
	}
	defer conn.close()

	var snaps []awsclient.Snapshot
	var err error
	switch {
	case len(pos) == 0:
		snaps, err = awsclient.All(ctx, conn.Client.AllSnapshots(true))
	case !byARN:
		snaps, err = awsclient.All(ctx, conn.Client.Snapshots(pos[0]))
		if err == nil && len(snaps) == 0 {
			// AWS lists no snapshots for a cluster that does not exist:
			// tell the two apart. Listing its instances describes the
			// cluster first.
			_, err = conn.Client.Instances(pos[0]).Next(ctx)
		}
	}
	if byARN || awsclient.KindOf(err) == awsclient.KindClusterNotFound {
		// An elastic cluster, by ARN or by a name no instance-based
		// cluster has (else the instance-based answer stands).
		cl, e := elasticCluster(ctx, conn.Client, pos[0])
		switch {
		case e == nil:
			snaps, err = awsclient.All(ctx, conn.Client.ElasticSnapshots(cl.ARN))
			for i := range snaps {
				snaps[i].ClusterID = cl.ID
			}
		case byARN:
			err = e
		}
	}
	if err != nil {
		return c.fail(ctx, err)
	}
	if *kind != "" {
		snaps = slices.DeleteFunc(snaps, func(s awsclient.Snapshot) bool { return snapshotKind(s) != *kind })
	}
	slices.SortStableFunc(snaps, func(a, b awsclient.Snapshot) int {
		return cmp.Or(b.Created.Compare(a.Created), cmp.Compare(a.ID, b.ID))
	})
	if *out == "json" {
		docs := make([]Snapshot, len(snaps))
		for i, s := range snaps {
			docs[i] = snapshotJSON(s)
		}
		return c.written(writeJSON(env.Stdout, docs))
	}
	if len(snaps) == 0 {
		if len(pos) == 1 {
			fmt.Fprintf(env.Stderr, "Cluster %s has no snapshots.\n", sanitize.String(pos[0]))
		} else {
			fmt.Fprintf(env.Stderr, "No cluster snapshot in %s.\n", sanitize.String(conn.Client.Target().Region))
		}
		return ExitOK
	}
	heads := []string{"SNAPSHOT", "TYPE", "STATUS", "PROGRESS", "CREATED (UTC)"}
	right := []bool{false, false, false, true, false}
	if len(pos) == 0 { // the whole region: say whose each is
		heads = slices.Insert(heads, 1, "CLUSTER")
		right = slices.Insert(right, 1, false)
	}
	t := &table{heads: heads, right: right, status: len(heads) - 3}
	for _, s := range snaps {
		kind := snapshotKind(s)
		s = sanitize.Snapshot(s)
		progress := ui.Percent(s.PercentProgress)
		if s.ClusterType == awsclient.TypeElastic {
			progress = "" // the elastic API tells none
		}
		if len(pos) == 0 {
			t.add(s.ID, s.ClusterID, kind, s.Status, progress, tableTime(s.Created))
		} else {
			t.add(s.ID, kind, s.Status, progress, tableTime(s.Created))
		}
	}
	return c.written(t.write(env.Stdout, env.paintsFor(env.Stdout), env.IsTerminal(env.Stdout)))
}

// snapshotKind is a snapshot's type as --type names it.
func snapshotKind(s awsclient.Snapshot) string {
	if s.Shared {
		return awsclient.SnapshotShared
	}
	return s.Type
}

// written is the exit status after writing the output: a failed write (a
// closed pipe, a full disk) is a failure, said on stderr.
func (c *command) written(err error) int {
	if err != nil {
		fmt.Fprintf(c.env.Stderr, "%s: write the output: %v\n", c.fs.Name(), err)
		return ExitError
	}
	return ExitOK
}

// invalid says every problem of the input, in the words of the shared rules
// (the TUI form's), and returns ExitInvalid: nothing was sent.
func (c *command) invalid(problems []awsclient.Problem) int {
	for _, p := range awsclient.Blocking(problems) {
		fmt.Fprintf(c.env.Stderr, "%s: %s\n", c.fs.Name(), p.String())
	}
	c.warn(problems)
	fmt.Fprintln(c.env.Stderr, "Nothing was sent to AWS.")
	return ExitInvalid
}

// warn says the warnings among problems: rules AWS's own documents disagree
// on, which do not stop a send.
// checked says the problems of the input: a blocking one ends the command
// (ExitInvalid: nothing sent); a warning, a rule AWS's own documents
// disagree on, is said and the input sent.
func (c *command) checked(problems []awsclient.Problem) (code int, ok bool) {
	if len(awsclient.Blocking(problems)) > 0 {
		return c.invalid(problems), false
	}
	c.warn(problems)
	return ExitOK, true
}

func (c *command) warn(problems []awsclient.Problem) {
	for _, p := range awsclient.Warnings(problems) {
		fmt.Fprintf(c.env.Stderr, "%s: warning: %s\n", c.fs.Name(), p.String())
	}
}

func (c Conn) close() {
	if c.Close != nil {
		c.Close()
	}
}

// listElastic lists the elastic clusters, each described for its details
// (ListClusters gives name, ARN and status only), concurrency at a time.
func listElastic(ctx context.Context, client awsclient.Client) ([]awsclient.Cluster, error) {
	listed, err := awsclient.All(ctx, client.ElasticClusters())
	if err != nil {
		return nil, err
	}
	out := make([]awsclient.Cluster, len(listed))
	errs := make([]error, len(listed))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, cl := range listed {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out[i], errs[i] = client.ElasticCluster(ctx, cl.ARN)
			if errs[i] != nil {
				out[i] = cl // listed, without its shards
			}
			out[i].Type = awsclient.TypeElastic
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}
