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
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
	"github.com/docsnap/docsnap/model"
	"github.com/docsnap/docsnap/model/track"
)

const usage = `Usage:
  docsnap [flags]            browse DocumentDB clusters and take snapshots (see docsnap --help)
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
	switch {
	case command == "emulator":
		return runEmulator(args[1:], stdout, stderr)
	case command == "help":
		fmt.Fprint(stdout, usage)
		return 0
	case command == "" || strings.HasPrefix(command, "-"):
		return runTUI(args, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "docsnap: unknown command %q\n", command)
		fmt.Fprint(stderr, usage)
		return 2
	}
}

// version is set at build time (-ldflags "-X main.version=v1.2.3"); else
// the module version Go recorded, or "devel".
var version = ""

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

const tuiUsage = `Usage: docsnap [flags]

Browse the Amazon DocumentDB clusters of an account and region, and take
cluster snapshots with live validation and a progress bar. It uses the AWS
CLI's configuration: the default credential chain, --profile or AWS_PROFILE,
--region or AWS_REGION. With --demo it needs no AWS account at all.

Flags:
`

// demoSnapshotDuration is how long a demo snapshot of an average cluster
// takes: long enough to watch, short enough to wait for.
const demoSnapshotDuration = 20 * time.Second

func runTUI(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("docsnap", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), tuiUsage)
		fs.PrintDefaults()
	}
	demo := fs.Bool("demo", false, "run against an embedded local DocumentDB endpoint with a demo fleet (no AWS account needed)")
	profile := fs.String("profile", "", "the AWS `profile` to use (default: AWS_PROFILE, else the default profile)")
	region := fs.String("region", "", "the AWS `region` (default: AWS_REGION, else the profile's region)")
	endpoint := fs.String("endpoint-url", "", "a DocumentDB endpoint `URL` other than AWS's, such as http://127.0.0.1:4566")
	poll := fs.Duration("poll-interval", track.DefaultInterval, "time between two checks of a snapshot's progress (2s with --demo unless given)")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "docsnap: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if *showVersion {
		fmt.Fprintln(stdout, "docsnap", versionString())
		return 0
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *poll < time.Second {
		fmt.Fprintf(stderr, "docsnap: --poll-interval %v: want 1s or more\n", *poll)
		return 2
	}

	var (
		client awsclient.Client
		err    error
	)
	if *demo {
		for _, name := range []string{"profile", "region", "endpoint-url"} {
			if set[name] {
				fmt.Fprintf(stderr, "docsnap: --demo runs against its own local endpoint: leave out --%s\n", name)
				return 2
			}
		}
		if !set["poll-interval"] {
			*poll = 2 * time.Second
		}
		var stop func()
		client, stop, err = startDemo()
		if err != nil {
			fmt.Fprintf(stderr, "docsnap: start the demo endpoint: %v\n", err)
			return 1
		}
		defer stop()
	} else {
		client, err = awsclient.New(context.Background(), awsclient.Options{Profile: *profile, Region: *region, EndpointURL: *endpoint})
		if err != nil {
			explainStartup(stderr, err)
			return 1
		}
	}

	m := model.New(model.Config{Client: client, Demo: *demo, PollInterval: *poll})
	final, err := tea.NewProgram(m).Run()
	if err != nil {
		fmt.Fprintf(stderr, "docsnap: %v\n", err)
		return 1
	}
	if fm, ok := final.(*model.Model); ok {
		fmt.Fprint(stdout, fm.ExitReport())
	}
	return 0
}

// explainStartup says in a sentence what is missing to reach AWS, and what
// to do, including trying the demo.
func explainStartup(w io.Writer, err error) {
	var e *awsclient.Error
	if !errors.As(err, &e) {
		fmt.Fprintf(w, "docsnap: %v\nTry docsnap --demo to look around without an AWS account.\n", err)
		return
	}
	fmt.Fprintf(w, "docsnap: %s\n%s\n", e.Sentence(), e.Hint())
	if !strings.Contains(e.Hint(), "--demo") {
		fmt.Fprintln(w, "Or try docsnap --demo to look around without an AWS account.")
	}
}

// startDemo serves the demo fleet on an ephemeral loopback port and returns
// the real SDK client pointed at it, with dummy static credentials: the
// demo never reads the user's AWS configuration or credentials.
func startDemo() (awsclient.Client, func(), error) {
	world := emulator.New(emulator.Options{SnapshotDuration: demoSnapshotDuration})
	world.Load(emulator.DemoFleet())
	ep, err := emulator.Listen("127.0.0.1:0", world)
	if err != nil {
		return nil, nil, err
	}
	// awsclient.Options has no credentials option: the environment is how
	// the default chain is given static credentials and kept away from the
	// shared files (~/.aws) and the instance metadata service.
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID":           "demo",
		"AWS_SECRET_ACCESS_KEY":       "demo",
		"AWS_CONFIG_FILE":             os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
		"AWS_EC2_METADATA_DISABLED":   "true",
	} {
		os.Setenv(k, v)
	}
	for _, k := range []string{"AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DOCDB", "AWS_CA_BUNDLE"} {
		os.Unsetenv(k)
	}
	client, err := awsclient.New(context.Background(), awsclient.Options{Region: emulator.DefaultRegion, EndpointURL: ep.URL})
	if err != nil {
		ep.Close()
		return nil, nil, err
	}
	return client, func() { ep.Close() }, nil
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
