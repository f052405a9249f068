package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/ui/awscli"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// DefaultTimeout bounds --wait unless --timeout says otherwise.
const DefaultTimeout = 2 * time.Hour

// snapshotStatuses are the exit statuses of the snapshot commands, done
// meaning what 0 says, with the command's own after 5.
func snapshotStatuses(done string, own ...string) string {
	lines := []string{"0 " + done,
		"1 AWS could not be configured or reached, or its answer was lost",
		"2 invalid input: nothing was sent",
		"3 refused: by AWS (its error code is printed), or by read-only mode",
		"4 the snapshot ended in a failure state (failed, deleted...)",
		"5 --timeout passed while waiting (the snapshot goes on)"}
	lines = append(lines, own...)
	return exitStatuses(append(lines, "130 interrupted (the snapshot goes on)")...)
}

var createUsage = `Usage: docsnap snapshot create CLUSTER [SNAPSHOT_ID] [flags]
       docsnap snapshot create --clusters FILTER [--name TEMPLATE] [flags]

Takes a manual snapshot of a cluster and prints its identifier on stdout.
Without SNAPSHOT_ID it is named CLUSTER-YYYY-MM-DD-HHMM (now, in UTC). The
identifier and the tags are checked with the same rules as the docsnap form
before anything is sent; AWS stores the identifier in lower case.

With --wait it follows the snapshot until it is available: a progress bar
on a terminal, otherwise one line per change of percent or status, for CI
logs (both on stderr). Ctrl-C stops the waiting, not the snapshot.
With --output json it prints the snapshot (its last known state) as one
object with the fields
` + fieldList(snapshotFields) + `

With --clusters it takes a snapshot of every cluster the filter chooses
(the TUI's filter syntax), each named by the --name template. Every
identifier is checked first, and any problem stops the whole batch before
anything is sent; --dry-run prints the plan and sends nothing (exit 0 when
all would be sent, 2 otherwise). At most --concurrency creates are on the
wire; throttling is waited out, and a create whose answer was lost is sent
again under the same identifier, which never makes a second snapshot. With
--wait, 4 means that any snapshot failed; the others are still reported.
JSON is then an array of the snapshots taken.

Examples:
  docsnap snapshot create payments-prod --tag reason=pre-deploy --wait
  docsnap snapshot create --clusters 'tag:env=prod status:available' \
    --name '{cluster}-pre-upgrade-{date}' --concurrency 8 --wait
  id=$(docsnap snapshot create payments-prod "pre-deploy-$BUILD_ID" \
    --tag build="$BUILD_ID" --tag owner=ci --wait --timeout 1h)

` + snapshotStatuses("created (with --wait: available)",
	"6 created, but stdout could not be written (a closed pipe): stderr names the snapshot") + `
Flags:
`

// tagFlag is --tag key=value, repeatable: split on the first "=", so that a
// value may hold "="; a key alone is a tag with no value.
type tagFlag []awsclient.Tag

func (t *tagFlag) String() string { return "" }

func (t *tagFlag) Set(s string) error {
	k, v, _ := strings.Cut(s, "=")
	*t = append(*t, awsclient.Tag{Key: k, Value: v})
	return nil
}

func addTimeoutFlag(c *command) *time.Duration {
	return c.fs.Duration("timeout", DefaultTimeout, "how long to wait at most, such as 30m or 2h (0: as long as it takes)")
}

func runCreate(ctx context.Context, env *Env, args []string) int {
	c := newCommand(env, "docsnap snapshot create", createUsage, true)
	out := addOutputFlag(c)
	var tags tagFlag
	c.fs.Var(&tags, "tag", "a tag `key=value` for the snapshot, repeatable; a key alone has no value")
	wait := c.fs.Bool("wait", false, "wait until the snapshot is available, showing its progress on stderr")
	timeout := addTimeoutFlag(c)
	fleetFlags := addFleetFlags(c)
	pos, code, done := c.parse(args, "[CLUSTER]", "[SNAPSHOT_ID]")
	if done {
		return code
	}
	if c.set("timeout") && !*wait {
		return c.bad("--timeout is how long --wait waits: add --wait, or leave out --timeout")
	}
	if *timeout < 0 {
		return c.bad(fmt.Sprintf("--timeout %v: want 0 (no limit) or more", *timeout))
	}
	if c.set("clusters") {
		if len(pos) > 0 {
			return c.bad(fmt.Sprintf("unexpected argument %q: --clusters chooses the clusters, and --name names the snapshots", pos[0]))
		}
		return c.runFleet(ctx, fleetFlags, *out, tags, *wait, *timeout)
	}
	for _, name := range fleetOnly {
		if c.set(name) {
			return c.bad("--" + name + " goes with --clusters: to snapshot one cluster, name it (CLUSTER [SNAPSHOT_ID])")
		}
	}
	if len(pos) == 0 {
		return c.bad("missing CLUSTER")
	}

	in := awsclient.CreateSnapshotInput{ClusterID: pos[0], Tags: tags}
	byARN := awsclient.ElasticARN(pos[0]) // an elastic cluster, by ARN
	_, problems := awsclient.ValidateClusterID(in.ClusterID)
	if byARN {
		problems = nil
	}
	if len(pos) > 1 {
		in.SnapshotID = pos[1]
		_, idProblems := awsclient.ValidateSnapshotID(in.SnapshotID)
		problems = append(problems, idProblems...)
	} else if len(problems) == 0 && !byARN {
		in.SnapshotID = awsclient.SuggestSnapshotID(in.ClusterID, env.Now())
	}
	if byARN {
		problems = append(problems, awsclient.ValidateElasticTags(in.Tags)...)
	} else {
		problems = append(problems, awsclient.ValidateTags(in.Tags)...)
	}
	if code, ok := c.checked(problems); !ok {
		return code
	}

	conn, code, ok := c.connect(ctx)
	if !ok {
		return code
	}
	defer conn.close()
	var snap awsclient.Snapshot
	var err error
	var cl awsclient.Cluster
	elastic := false
	if byARN {
		if cl, err = elasticCluster(ctx, conn.Client, pos[0]); err != nil {
			return c.fail(ctx, err)
		}
		elastic = true
	} else {
		snap, err = conn.Client.CreateSnapshot(ctx, in)
		if awsclient.KindOf(err) == awsclient.KindClusterNotFound {
			// No instance-based cluster of that name: an elastic one, maybe
			// (else the instance-based answer stands).
			var e error
			cl, e = elasticCluster(ctx, conn.Client, pos[0])
			elastic = e == nil
		}
	}
	if elastic {
		in.ClusterID = cl.ARN
		if len(pos) < 2 {
			in.SnapshotID = awsclient.SuggestSnapshotID(cl.ID, env.Now())
		}
		// Checked again by the elastic API's own rules, before sending.
		problems := append(awsclient.ValidateElasticSnapshotName(in.SnapshotID), awsclient.ValidateElasticTags(in.Tags)...)
		if len(awsclient.Blocking(problems)) > 0 {
			return c.invalid(problems)
		}
		snap, err = conn.Client.CreateElasticSnapshot(ctx, in)
		if err == nil {
			snap.ClusterID, snap.ClusterARN, snap.ClusterType = cl.ID, cl.ARN, awsclient.TypeElastic
		}
	}
	switch {
	case err != nil && ctx.Err() != nil:
		fmt.Fprintf(env.Stderr, "%s: interrupted before AWS answered: snapshot %s may have been created.\n",
			c.fs.Name(), sanitize.String(in.SnapshotID))
		c.resume(conn, in)
		return ExitInterrupted
	case awsclient.OutcomeUnknown(err):
		// Not the usual "run the command again": without SNAPSHOT_ID that
		// would name, and make, a second snapshot. Nor exit 3, even when a
		// 5xx has a code: a refusal says nothing was made.
		describe(env.Stderr, c.fs.Name(), err)
		fmt.Fprintf(env.Stderr, "No answer came back: snapshot %s may have been created all the same.\n", sanitize.String(in.SnapshotID))
		c.resume(conn, in)
		return ExitError
	case err != nil:
		return c.fail(ctx, err)
	}
	id := sanitize.String(snap.ID)
	if *out == "table" {
		// A reader gone (a closed pipe) must not hide that the snapshot
		// exists: no waiting for a reader that is not there.
		if _, err := fmt.Fprintln(env.Stdout, id); err != nil {
			return c.unwritten(conn, snap, err, ExitOK)
		}
	}
	code = ExitOK
	if *wait {
		snap, code = c.follow(ctx, conn, snap, *timeout)
	} else {
		fmt.Fprintf(env.Stderr, "Snapshot %s of cluster %s is %s.\n", id, sanitize.String(snap.ClusterID), sanitize.String(snap.Status))
		c.howToFollow(conn, snap.ID, elasticSnapARN(snap), "Follow it with")
	}
	if err := c.printSnapshot(*out, snap); err != nil {
		return c.unwritten(conn, snap, err, code)
	}
	return code
}

// unwritten says on stderr that the snapshot was created although stdout
// could not be written, and how to follow it unless the end of waiting
// (code) already said how; it returns code, or ExitUnwritten for ExitOK.
func (c *command) unwritten(conn Conn, snap awsclient.Snapshot, err error, code int) int {
	fmt.Fprintf(c.env.Stderr, "%s: snapshot %s of cluster %s was created, but the output could not be written: %s\n",
		c.fs.Name(), sanitize.String(snap.ID), sanitize.String(snap.ClusterID), sanitize.String(err.Error()))
	if code != ExitOK {
		return code
	}
	c.howToFollow(conn, snap.ID, elasticSnapARN(snap), "Follow it with")
	return ExitUnwritten
}

var waitUsage = `Usage: docsnap snapshot wait SNAPSHOT_ID [flags]

Follows a snapshot that is being created until it is available: a progress
bar on a terminal, otherwise one line per change of percent or status, for
CI logs (both on stderr). Use it to pick up a snapshot that docsnap snapshot
create --wait stopped waiting for, or one started elsewhere. With --output
json it prints the snapshot (its last known state) as one object with the
fields
` + fieldList(snapshotFields) + `

SNAPSHOT_ID may be an automated snapshot's (rds:CLUSTER-YYYY-MM-DD-HH-MM)
or an ARN (arn:aws:rds:REGION:ACCOUNT:cluster-snapshot:ID), as shared and
copied snapshots are named.

Examples:
  docsnap snapshot wait payments-prod-2026-11-29-0530
  docsnap snapshot wait payments-prod-2026-11-29-0530 --timeout 30m --output json | jq -r .status

` + snapshotStatuses("the snapshot is available") + `
Flags:
`

func runWait(ctx context.Context, env *Env, args []string) int {
	c := newCommand(env, "docsnap snapshot wait", waitUsage, true)
	out := addOutputFlag(c)
	timeout := addTimeoutFlag(c)
	pos, code, done := c.parse(args, "SNAPSHOT_ID")
	if done {
		return code
	}
	if *timeout < 0 {
		return c.bad(fmt.Sprintf("--timeout %v: want 0 (no limit) or more", *timeout))
	}
	// An existing snapshot: automated (rds:...) and ARNs are names too.
	id := pos[0]
	if problems := awsclient.ValidateExistingSnapshot(id); len(problems) > 0 {
		return c.invalid(problems)
	}

	conn, code, ok := c.connect(ctx)
	if !ok {
		return code
	}
	defer conn.close()
	snap, err := conn.Client.Snapshot(ctx, id)
	if err != nil {
		return c.fail(ctx, err)
	}
	snap, code = c.follow(ctx, conn, snap, *timeout)
	if w := c.written(c.printSnapshot(*out, snap)); w != ExitOK && code == ExitOK {
		return w
	}
	return code
}

// printSnapshot prints the snapshot on stdout with --output json.
func (c *command) printSnapshot(out outputFlag, snap awsclient.Snapshot) error {
	if out != "json" {
		return nil
	}
	return writeJSON(c.env.Stdout, snapshotJSON(snap))
}

// set reports whether the flag was given.
func (c *command) set(name string) bool {
	found := false
	c.fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// docsnap is a docsnap command line aimed where conn points, quoted for a
// shell: the same line the TUI shows for following a snapshot.
func (c *command) docsnap(conn Conn, args ...string) string {
	return sanitize.String(awscli.Docsnap(conn.Client.Target(), args...).String())
}

// resume says on stderr how to carry on after a create whose outcome is
// unknown without any chance of a second snapshot: follow the identifier
// that was sent, and only if no such snapshot exists, send the same create
// again, which under that identifier can make one snapshot at most.
func (c *command) resume(conn Conn, in awsclient.CreateSnapshotInput) {
	if c.demoGone(conn) {
		return
	}
	w := c.env.Stderr
	see := c.docsnap(conn, "snapshot", "wait", in.SnapshotID)
	if awsclient.ElasticARN(in.ClusterID) { // found by ARN only: its cluster's listing shows it
		see = c.docsnap(conn, "snapshots", in.ClusterID)
	}
	fmt.Fprintf(w, "See whether it was, and follow it, with:\n  %s\n", see)
	fmt.Fprintf(w, "If that finds no such snapshot, create it under the same identifier, never another (it cannot make a second one):\n  %s\n",
		c.docsnap(conn, createArgs(in)...))
}

// createArgs are the arguments of the docsnap command line that sends in.
func createArgs(in awsclient.CreateSnapshotInput) []string {
	create := []string{"snapshot", "create", in.ClusterID, in.SnapshotID}
	for _, t := range in.Tags {
		tag := t.Key
		if t.Value != "" {
			tag += "=" + t.Value
		}
		create = append(create, "--tag", tag)
	}
	return create
}

// howToFollow says on stderr, after lead, how to follow a snapshot that AWS
// goes on creating: with docsnap, or with the AWS CLI (an elastic
// snapshot, of ARN elasticARN, with the AWS CLI). The demo endpoint
// stops with docsnap, and its snapshots with it.
func (c *command) howToFollow(conn Conn, snapshotID, elasticARN, lead string) {
	if c.demoGone(conn) {
		return
	}
	w := c.env.Stderr
	if elasticARN != "" { // the elastic API finds a snapshot by ARN
		fmt.Fprintf(w, "%s:\n  %s\n", lead, sanitize.String(awscli.DescribeElasticSnapshot(elasticARN, conn.Client.Target()).String()))
		return
	}
	fmt.Fprintf(w, "%s:\n  %s\n  %s\n", lead, c.docsnap(conn, "snapshot", "wait", snapshotID),
		sanitize.String(awscli.DescribeSnapshot(snapshotID, conn.Client.Target()).String()))
}

// demoGone says on stderr, for the demo endpoint, that nothing can be
// followed after docsnap exits, and reports whether it said so.
func (c *command) demoGone(conn Conn) bool {
	if conn.Demo {
		fmt.Fprintln(c.env.Stderr, "The demo endpoint stops with docsnap: nothing more will happen to it.")
	}
	return conn.Demo
}

// elasticCluster finds an elastic cluster by ARN, or by name among those
// listed, and describes it; a name no elastic cluster has is
// KindClusterNotFound.
func elasticCluster(ctx context.Context, client awsclient.Client, nameOrARN string) (awsclient.Cluster, error) {
	arn := nameOrARN
	if !awsclient.ElasticARN(nameOrARN) {
		arn = ""
		p := client.ElasticClusters()
		for arn == "" && p.More() {
			page, err := p.Next(ctx)
			if err != nil {
				return awsclient.Cluster{}, err
			}
			for _, cl := range page {
				if cl.ID == nameOrARN {
					arn = cl.ARN
				}
			}
		}
		if arn == "" {
			return awsclient.Cluster{}, &awsclient.Error{Kind: awsclient.KindClusterNotFound, Op: "find elastic cluster", Cluster: nameOrARN}
		}
	}
	return client.ElasticCluster(ctx, arn)
}

// elasticSnapARN is an elastic snapshot's ARN, by which it is followed; ""
// for another.
func elasticSnapARN(s awsclient.Snapshot) string {
	if s.ClusterType == awsclient.TypeElastic {
		return s.ARN
	}
	return ""
}
