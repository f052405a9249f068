// Command docsnap browses Amazon DocumentDB clusters and takes cluster
// snapshots. This file holds flags and wiring only.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/docsnap/docsnap/awsclient/emulator"
)

const usage = `Usage:
  docsnap emulator [flags]   serve a local DocumentDB endpoint (see docsnap emulator --help)
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	command := ""
	if len(args) > 0 {
		command = args[0]
	}
	switch command {
	case "emulator":
		return runEmulator(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprint(stderr, usage)
		return 2
	}
}

const emulatorUsage = `Usage: docsnap emulator [flags]

Serves a local Amazon DocumentDB control-plane endpoint (the RDS Query API:
DescribeDBClusters, DescribeDBClusterSnapshots, CreateDBClusterSnapshot,
DescribeDBInstances, ListTagsForResource) with a demo fleet, until Ctrl-C.
The AWS CLI, the SDKs and docsnap talk to it with any dummy credentials.

Example:
  docsnap emulator --listen 127.0.0.1:4566 --fault-throttle 0.2
  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
    aws docdb describe-db-clusters --endpoint-url http://127.0.0.1:4566 --region us-east-1

Flags:
`

func runEmulator(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("docsnap emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), emulatorUsage)
		fs.PrintDefaults()
	}
	var cfg emulator.Config
	o := &cfg.Options
	fs.StringVar(&cfg.Listen, "listen", "127.0.0.1:4566", "`host:port` to serve on (loopback unless --allow-remote)")
	fs.BoolVar(&cfg.AllowRemote, "allow-remote", false, "allow a --listen address other than loopback")
	fs.IntVar(&cfg.Clusters, "clusters", 0, "serve `N` generated DocumentDB clusters instead of the demo fleet")
	fs.StringVar(&o.Region, "region", emulator.DefaultRegion, "the `region` the endpoint answers for")
	fs.DurationVar(&o.SnapshotDuration, "snapshot-duration", emulator.DefaultSnapshotDuration,
		fmt.Sprintf("how long a snapshot of a %d GiB cluster takes (larger ones take longer)", emulator.AverageStorageGiB))
	fs.IntVar(&o.Quota, "quota", emulator.DefaultQuota, "manual snapshots allowed in the region")
	fs.Float64Var(&o.Faults.Throttle, "fault-throttle", 0, "`share` of calls answered Throttling (0 to 1)")
	fs.Float64Var(&o.Faults.Server5xx, "fault-5xx", 0, "`share` of calls answered 500 InternalFailure (0 to 1)")
	fs.DurationVar(&o.Faults.Latency, "fault-latency", 0, "`delay` added before every answer")
	fs.Float64Var(&o.Faults.Drop, "fault-drop", 0, "`share` of calls whose connection is closed after the call ran (0 to 1)")
	fs.Int64Var(&o.Seed, "seed", 0, "`seed` of the injected faults and of snapshot progress")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "docsnap emulator: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := emulator.Serve(ctx, cfg, stdout); err != nil {
		fmt.Fprintf(stderr, "docsnap emulator: %v\n", err)
		return 1
	}
	return 0
}
