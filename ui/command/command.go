// Package command is docsnap's command line: its commands and their flags,
// wired to the TUI (model), the scriptable commands (ui/cli), the SSH server
// (ui/sshserver) and the local endpoint (awsclient/emulator).
package command

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
	"github.com/docsnap/docsnap/model"
	"github.com/docsnap/docsnap/model/fleet"
	"github.com/docsnap/docsnap/model/track"
	"github.com/docsnap/docsnap/ui/cli"
	"github.com/docsnap/docsnap/ui/command/config"
	"github.com/docsnap/docsnap/ui/sshserver"
)

const usage = `Usage:
  docsnap [flags]            browse DocumentDB clusters and take snapshots (see docsnap --help)
  docsnap clusters [flags]   list the clusters, as a table or JSON
  docsnap snapshots CLUSTER [flags]
                             list a cluster's snapshots, newest first
  docsnap snapshot create CLUSTER [SNAPSHOT_ID] [--tag key=value]... [--wait] [--timeout 2h]
                             take a snapshot, for scripts; --wait follows it to the end
  docsnap snapshot wait SNAPSHOT_ID [flags]
                             follow a snapshot until it is available
  docsnap serve [flags]      serve the TUI over SSH (see docsnap serve --help)
  docsnap emulator [flags]   serve a local DocumentDB endpoint (see docsnap emulator --help)
Each command takes --help.
`

// Run runs the command line args (without the program name) and returns
// the exit status. version is the build's version ("" when unset).
func Run(version string, args []string, stdout, stderr io.Writer) int {
	command := ""
	if len(args) > 0 {
		command = args[0]
	}
	switch {
	case command == "emulator":
		return runEmulator(args[1:], stdout, stderr)
	case command == "serve":
		return runServe(args[1:], stdout, stderr)
	case slices.Contains(cli.Commands, command):
		return runCLI(command, args[1:], stdout, stderr)
	case command == "help":
		fmt.Fprint(stdout, usage)
		return 0
	case command == "" || strings.HasPrefix(command, "-"):
		return runTUI(versionString(version), args, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "docsnap: unknown command %q\n", command)
		fmt.Fprint(stderr, usage)
		return 2
	}
}

// versionString is the version set at build time, else the module version
// Go recorded, or "devel".
func versionString(version string) string {
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
P and R switch profile and region while it runs; --region takes several
regions (us-east-1,eu-west-1) or all. Settings are read from the config file
(docsnap/config in the user's config directory, or --config); flags and the
AWS_PROFILE and AWS_REGION variables win over it.

Flags:
`

// demoSnapshotDuration is how long a demo snapshot of an average cluster
// takes: long enough to watch, short enough to wait for.
const demoSnapshotDuration = 20 * time.Second

func runTUI(version string, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("docsnap", tuiUsage, stderr)
	af := addAWSFlags(fs)
	fs.Lookup("region").Usage = "the AWS `regions`: one, several (us-east-1,eu-west-1) or all (default: AWS_REGION, else the profile's region)"
	ap := addAppFlags(fs)
	showVersion := fs.Bool("version", false, "print the version and exit")
	noColor := fs.Bool("no-color", false, "no colours, whatever the terminal supports (as NO_COLOR does)")
	watch := fs.String("watch", "", "open on the progress of the snapshot `SNAPSHOT_ID`, wherever it was started")
	concurrency := fs.Int("concurrency", fleet.DefaultConcurrency, fmt.Sprintf("snapshots of marked clusters: at most `N` creates on the wire at once (1 to %d)", fleet.MaxConcurrency))
	if code, done := parseArgs(fs, args, stderr); done {
		return code
	}
	if *concurrency < 1 || *concurrency > fleet.MaxConcurrency {
		fmt.Fprintf(stderr, "docsnap: --concurrency %d: want 1 to %d\n", *concurrency, fleet.MaxConcurrency)
		return 2
	}
	if *showVersion {
		fmt.Fprintln(stdout, "docsnap", version)
		return 0
	}
	// The snapshot to watch exists: named as docsnap snapshot wait takes it
	// (automated, by ARN...).
	if problems := awsclient.ValidateExistingSnapshot(*watch); *watch != "" && len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(stderr, "docsnap: --watch: %s\n", p.String())
		}
		return 2
	}
	af.demoRegions = true // the demo serves any region
	if !af.check(fs, stderr) {
		return 2
	}
	mc, file, ok := ap.load(fs, af, stderr)
	if !ok {
		return 2
	}
	regions, err := awsclient.ParseRegions(af.region)
	if err != nil {
		fmt.Fprintf(stderr, "docsnap: --region: %v\n", err)
		return 2
	}
	if af.region == "" && !regionInEnv() {
		regions = file.Regions
	}
	if len(regions) == 0 {
		regions = []string{""} // the profile's
	}

	mc.Connect = func(profile, region string) (awsclient.Client, error) {
		return awsclient.New(context.Background(), awsclient.Options{Profile: profile, Region: region, EndpointURL: af.endpoint})
	}
	mc.Profiles = func() ([]awsclient.Profile, error) { return awsclient.LoadProfiles(awsclient.DefaultProfileFiles()) }
	if af.demo {
		worlds := newDemoWorlds()
		defer worlds.Close()
		mc.Profiles = nil
		mc.Connect = demoConnect(worlds)
	}
	for _, r := range regions {
		client, err := mc.Connect(af.profile, r)
		if err != nil {
			explainStartup(stderr, err)
			return 1
		}
		mc.Clients = append(mc.Clients, client)
	}
	mc.Demo, mc.Watch, mc.Concurrency = af.demo, *watch, *concurrency

	var opts []tea.ProgramOption
	if *noColor {
		opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
	}
	m := model.New(mc)
	final, err := tea.NewProgram(m, opts...).Run()
	if err != nil {
		fmt.Fprintf(stderr, "docsnap: %v\n", err)
		return 1
	}
	if fm, ok := final.(*model.Model); ok {
		fmt.Fprint(stdout, fm.ExitReport())
	}
	return 0
}

// newFlagSet is the flag set of a command whose help is usage followed by
// its flags.
func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	return fs
}

// parseArgs parses a command's flags. done says the command ends here, with
// code: help was asked for (0), or a flag or an argument is wrong (2).
func parseArgs(fs *flag.FlagSet, args []string, stderr io.Writer) (code int, done bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, true
		}
		return 2, true
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return 2, true
	}
	return 0, false
}

// awsFlags choose what docsnap talks to: AWS (through the CLI's
// configuration) or the embedded demo endpoint. The root command and serve
// share them.
type awsFlags struct {
	demo                      bool
	profile, region, endpoint string
	poll                      time.Duration
	demoRegions               bool // --region goes with --demo (the TUI's demo serves any region)
}

func addAWSFlags(fs *flag.FlagSet) *awsFlags {
	af := addTargetFlags(fs)
	af.addPollFlag(fs)
	return af
}

// addTargetFlags registers the flags that choose the account or the demo,
// without --poll-interval, for the commands that follow no snapshot.
func addTargetFlags(fs *flag.FlagSet) *awsFlags {
	af := &awsFlags{poll: track.DefaultInterval}
	fs.BoolVar(&af.demo, "demo", false, "run against an embedded local DocumentDB endpoint with a demo fleet (no AWS account needed)")
	fs.StringVar(&af.profile, "profile", "", "the AWS `profile` to use (default: AWS_PROFILE, else the default profile)")
	fs.StringVar(&af.region, "region", "", "the AWS `region` (default: AWS_REGION, else the profile's region)")
	fs.StringVar(&af.endpoint, "endpoint-url", "", "a DocumentDB endpoint `URL` other than AWS's, such as http://127.0.0.1:4566")
	return af
}

func (af *awsFlags) addPollFlag(fs *flag.FlagSet) {
	fs.DurationVar(&af.poll, "poll-interval", track.DefaultInterval, "time between two checks of a snapshot's progress (2s with --demo unless given)")
}

// check says what is wrong with the flags, on w, after fs has parsed them,
// and applies the demo's default poll interval.
func (af *awsFlags) check(fs *flag.FlagSet, w io.Writer) bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if af.poll < time.Second {
		fmt.Fprintf(w, "%s: --poll-interval %v: want 1s or more\n", fs.Name(), af.poll)
		return false
	}
	if af.demo {
		for _, name := range []string{"profile", "region", "endpoint-url"} {
			if set[name] && !(name == "region" && af.demoRegions) {
				fmt.Fprintf(w, "%s: --demo runs against its own local endpoint: leave out --%s\n", fs.Name(), name)
				return false
			}
		}
		if !set["poll-interval"] {
			af.poll = 2 * time.Second
		}
	}
	return true
}

// client is the SDK client for AWS as the flags say.
func (af *awsFlags) client() (*awsclient.SDK, error) {
	return awsclient.New(context.Background(), awsclient.Options{Profile: af.profile, Region: af.region, EndpointURL: af.endpoint})
}

// appFlags are the settings of the TUI that the root command and serve
// share: the config file, read-only mode and protected clusters. The
// scriptable commands take the first two (addReadOnlyFlags).
type appFlags struct {
	readOnly, ignoreConfig bool
	configPath             string
	protect                patternsFlag
}

func addAppFlags(fs *flag.FlagSet) *appFlags {
	ap := addReadOnlyFlags(fs)
	fs.Lookup("read-only").Usage = "browse only: nothing that writes is offered or sent (the header says READ-ONLY)"
	fs.Var(&ap.protect, "protect", "a `pattern` of cluster identifiers (orders-*) whose snapshots need the cluster's name typed to confirm; repeatable")
	return ap
}

// addReadOnlyFlags registers --read-only and the config file's flags, which
// hold the read-only rules.
func addReadOnlyFlags(fs *flag.FlagSet) *appFlags {
	ap := &appFlags{}
	fs.BoolVar(&ap.readOnly, "read-only", false, "send nothing that writes: snapshot create refuses, with exit status 3")
	fs.StringVar(&ap.configPath, "config", "", "the config `file` (default: docsnap/config in the user's config directory)")
	fs.BoolVar(&ap.ignoreConfig, "ignore-config", false, "start with the default settings, whatever the config file says")
	return ap
}

// patternsFlag is a repeatable flag of name patterns.
type patternsFlag []string

func (p *patternsFlag) String() string { return strings.Join(*p, ",") }

func (p *patternsFlag) Set(v string) error {
	if err := config.CheckPattern(v); err != nil {
		return err
	}
	*p = append(*p, v)
	return nil
}

// load reads the config file (unless --ignore-config) and returns the
// model's settings from it and the flags: a flag that fs set, or
// AWS_PROFILE, wins over the file. A bad file is said on stderr: false.
func (ap *appFlags) load(fs *flag.FlagSet, af *awsFlags, stderr io.Writer) (model.Config, *config.Config, bool) {
	file, ok := ap.file(fs.Name(), stderr)
	if !ok {
		return model.Config{}, nil, false
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	mc := ap.readOnlyRules(file)
	mc.Theme, mc.Keys, mc.ProtectTag, mc.PollInterval = file.Theme, file.Keys, file.ProtectTag, af.poll
	mc.SnapshotQuota = file.SnapshotQuota
	mc.Protect = append(slices.Clone(file.Protect), ap.protect...)
	if !set["poll-interval"] && file.PollInterval > 0 {
		mc.PollInterval = file.PollInterval
	}
	if !set["profile"] && os.Getenv("AWS_PROFILE") == "" {
		af.profile = file.Profile
	}
	return mc, file, true
}

// file reads the config file (unless --ignore-config); a bad one is said on
// stderr, with the way around it: false.
func (ap *appFlags) file(name string, stderr io.Writer) (*config.Config, bool) {
	file := &config.Config{}
	if p := cmp.Or(ap.configPath, config.DefaultPath()); p != "" && !ap.ignoreConfig {
		var err error
		if file, err = config.Load(p, ap.configPath != ""); err != nil {
			fmt.Fprintf(stderr, "%s: %v\nFix the file, or start with the default settings: %s --ignore-config\n", name, err, name)
			return nil, false
		}
	}
	return file, true
}

// readOnlyRules are the model's settings that forbid writes, from
// --read-only and the file: the TUI, serve and the scriptable commands
// decide with them (model.Config.ReadOnlyReason).
func (ap *appFlags) readOnlyRules(file *config.Config) model.Config {
	mc := model.Config{ReadOnlyProfiles: file.ReadOnlyProfiles}
	switch {
	case ap.readOnly:
		mc.ReadOnly = "docsnap runs with --read-only: it browses, and takes no snapshot."
	case file.ReadOnly:
		mc.ReadOnly = "docsnap runs read-only (read-only = true in " + file.Path + "): it browses, and takes no snapshot."
	}
	return mc
}

// regionInEnv reports whether the environment names the AWS region, which
// then wins over the config file's regions.
func regionInEnv() bool {
	return os.Getenv("AWS_REGION") != "" || os.Getenv("AWS_DEFAULT_REGION") != ""
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

// newDemoWorlds are the demo's regions, each served on a loopback port
// when first asked for.
func newDemoWorlds() *emulator.Regions {
	return emulator.NewRegions(emulator.Options{SnapshotDuration: demoSnapshotDuration}, emulator.DemoFleetFor)
}

// demoConnect connects to a region of the demo (its default region when
// none is named) with the real SDK client and dummy static credentials: the
// demo never reads the user's AWS configuration or credentials.
func demoConnect(worlds *emulator.Regions) func(profile, region string) (awsclient.Client, error) {
	return func(_, region string) (awsclient.Client, error) {
		region = cmp.Or(region, emulator.DefaultRegion)
		url, err := worlds.URL(region)
		if err != nil {
			return nil, fmt.Errorf("start the demo endpoint: %w", err)
		}
		return awsclient.NewLocal(awsclient.Options{Region: region, EndpointURL: url})
	}
}

// runCLI runs a scriptable command (package ui/cli) with the AWS flags of
// the other commands. The first Ctrl-C (or SIGTERM) stops it cleanly, with
// exit status 130; a second one ends the process at once.
func runCLI(command string, args []string, stdout, stderr io.Writer) int {
	// A write to a closed pipe on stdout would end the process by SIGPIPE,
	// silently, even after a snapshot was created: ignored, the write fails
	// with EPIPE and the command says what it did.
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := interruptContext()
	defer stop()
	env := cli.Env{Stdout: stdout, Stderr: stderr, Rand: rand.Float64,
		Globals: func(fs *flag.FlagSet, polls bool) cli.Backend {
			af := addTargetFlags(fs)
			if polls {
				af.addPollFlag(fs)
			}
			return &cliBackend{fs: fs, af: af, ap: addReadOnlyFlags(fs)}
		}}
	return cli.Run(ctx, env, command, args)
}

// interruptContext ends at the first Ctrl-C (or SIGTERM), and then lets
// the signals go, so that a second one ends the process at once.
func interruptContext() (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}

// cliBackend connects a scriptable command as its AWS flags say, with the
// TUI's read-only rules (--read-only, the config file's read-only and
// read-only-profiles): a client they forbid to write refuses every write
// before it is sent. The file's other settings are the TUI's alone.
type cliBackend struct {
	fs    *flag.FlagSet
	af    *awsFlags
	ap    *appFlags
	rules model.Config // read by Check
}

func (b *cliBackend) Check(w io.Writer) bool {
	if !b.af.check(b.fs, w) {
		return false
	}
	file, ok := b.ap.file(b.fs.Name(), w)
	if ok {
		b.rules = b.ap.readOnlyRules(file)
	}
	return ok
}

func (b *cliBackend) Connect(context.Context) (cli.Conn, error) {
	conn := cli.Conn{Poll: b.af.poll}
	var inRegion func(region string) (awsclient.Client, error)
	if b.af.demo {
		worlds := newDemoWorlds()
		connect := demoConnect(worlds)
		client, err := connect("", "")
		if err != nil {
			worlds.Close()
			return cli.Conn{}, err
		}
		conn.Client, conn.Demo, conn.Close = client, true, worlds.Close
		inRegion = func(region string) (awsclient.Client, error) { return connect("", region) }
	} else {
		client, err := b.af.client()
		if err != nil {
			return cli.Conn{}, err
		}
		conn.Client = client
		inRegion = func(region string) (awsclient.Client, error) {
			return awsclient.New(context.Background(), awsclient.Options{Profile: b.af.profile, Region: region, EndpointURL: b.af.endpoint})
		}
	}
	guard := func(c awsclient.Client) awsclient.Client {
		if reason := b.rules.ReadOnlyReason(c.Target().Profile); reason != "" {
			return awsclient.ReadOnly(c, reason)
		}
		return c
	}
	conn.Client = guard(conn.Client)
	conn.InRegion = func(region string) (awsclient.Client, error) {
		c, err := inRegion(region)
		if err != nil {
			return nil, err
		}
		return guard(c), nil
	}
	return conn, nil
}

const serveUsage = `Usage: docsnap serve [flags]

Serves the docsnap TUI over SSH: every session runs its own program, with
its own window size and colours. Public keys only. Real AWS sessions share
this process's AWS credentials, so give keys with --authorized-keys (may
take snapshots) or --read-only-keys (may browse). With --demo and no keys
file, any key gets a private demo world of its own.

Examples:
  docsnap serve --demo --listen 0.0.0.0:23234      # then: ssh -p 23234 HOST
  docsnap serve --authorized-keys ops.pub --read-only-keys viewers.pub \
    --profile ops --region eu-west-1 --audit-log /var/log/docsnap/audit.jsonl

Flags:
`

func runServe(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("docsnap serve", serveUsage, stderr)
	af := addAWSFlags(fs)
	ap := addAppFlags(fs)
	cfg := sshserver.Config{}
	fs.StringVar(&cfg.Listen, "listen", sshserver.DefaultListen, "`host:port` to accept SSH connections on")
	fs.StringVar(&cfg.HostKeyPath, "host-key", "", "the server's private host key `file`, created (ed25519, mode 0600) when missing (default: docsnap/ssh_host_ed25519 in the user's config directory)")
	fs.StringVar(&cfg.AuthorizedKeys, "authorized-keys", "", "OpenSSH authorized_keys `file` of the keys that may browse and take snapshots")
	fs.StringVar(&cfg.ReadOnlyKeys, "read-only-keys", "", "OpenSSH authorized_keys `file` of the keys that may only browse")
	fs.IntVar(&cfg.MaxSessions, "max-sessions", sshserver.DefaultMaxSessions, "sessions at once; the next one is told the server is full")
	fs.DurationVar(&cfg.IdleTimeout, "idle-timeout", sshserver.DefaultIdleTimeout, "close a session after this long without input (0: never)")
	fs.IntVar(&cfg.FPS, "fps", sshserver.DefaultFPS, fmt.Sprintf("draw each session at most `N` times a second (1 to %d): fewer saves idle CPU, more echoes keys sooner", sshserver.MaxFPS))
	auditLog := fs.String("audit-log", "", "append the JSON log lines (sessions, snapshots created) to `file` (default: stderr)")
	if code, done := parseArgs(fs, args, stderr); done {
		return code
	}
	if !af.check(fs, stderr) {
		return 2
	}
	mc, file, ok := ap.load(fs, af, stderr)
	if !ok {
		return 2
	}
	fileRegions := af.region == "" && !regionInEnv()
	if fileRegions && len(file.Regions) == 1 {
		af.region = file.Regions[0]
	}
	if regions, _ := awsclient.ParseRegions(af.region); !af.demo && (len(regions) > 1 || fileRegions && len(file.Regions) > 1) {
		fmt.Fprintf(stderr, "docsnap serve: serve lists one region: give one with --region\n")
		return 2
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = -1 // the flag's 0 is never; the Config's 0 is the default
	}
	cfg.Demo = af.demo
	if err := cfg.Check(); err != nil {
		fmt.Fprintf(stderr, "docsnap serve: %v\n", err)
		return 2
	}

	logOut := stderr
	if *auditLog != "" {
		f, err := os.OpenFile(*auditLog, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			fmt.Fprintf(stderr, "docsnap serve: --audit-log: %v\n", err)
			return 1
		}
		defer f.Close()
		logOut = f
	}
	cfg.Log = slog.New(slog.NewJSONHandler(logOut, nil))
	slog.SetDefault(cfg.Log) // the SSH library's own warnings, as JSON lines too

	if af.demo {
		cfg.Backend = sshserver.DemoWorlds(emulator.Options{SnapshotDuration: demoSnapshotDuration}, emulator.DemoFleet)
	} else {
		client, err := af.client()
		if err != nil {
			explainStartup(stderr, err)
			return 1
		}
		cfg.Backend = sshserver.Shared(client)
	}
	cfg.NewApp = func(a sshserver.AppConfig) tea.Model {
		c := mc
		c.Client, c.Demo, c.Context = a.Client, a.Demo, a.Context
		if a.ReadOnly != "" {
			c.ReadOnly = a.ReadOnly
		}
		return model.New(c)
	}

	srv, err := sshserver.New(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "docsnap serve: %v\n", err)
		return 1
	}
	ctx, stop := interruptContext()
	defer stop()
	host, port, _ := net.SplitHostPort(cfg.Listen)
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "HOST"
	}
	fmt.Fprintf(stdout, "docsnap serve: listening on %s; connect with: ssh -p %s %s\n", cfg.Listen, port, host)
	fmt.Fprintf(stdout, "Host key %s\n", srv.HostKeyFingerprint())
	if err := srv.Run(ctx); err != nil {
		fmt.Fprintf(stderr, "docsnap serve: %v\n", err)
		return 1
	}
	return 0
}

const emulatorUsage = `Usage: docsnap emulator [flags]

Serves a local Amazon DocumentDB control-plane endpoint (the RDS Query API:
DescribeDBClusters, DescribeDBClusterSnapshots, CreateDBClusterSnapshot,
DescribeDBInstances, DescribeGlobalClusters, ListTagsForResource) with a
demo fleet, until Ctrl-C.
The AWS CLI, the SDKs and docsnap talk to it with any dummy credentials.

Example:
  docsnap emulator --listen 127.0.0.1:4566 --fault-throttle 0.2
  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
    aws docdb describe-db-clusters --endpoint-url http://127.0.0.1:4566 --region us-east-1

Flags:
`

func runEmulator(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("docsnap emulator", emulatorUsage, stderr)
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
	fs.IntVar(&o.Faults.RateLimit, "rate-limit", 0, "answer Throttling beyond `N` calls a second, as AWS does under a burst (0: no limit)")
	fs.Int64Var(&o.Seed, "seed", 0, "`seed` of the injected faults and of snapshot progress")
	if code, done := parseArgs(fs, args, stderr); done {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := emulator.Serve(ctx, cfg, stdout); err != nil {
		fmt.Fprintf(stderr, "docsnap emulator: %v\n", err)
		return 1
	}
	return 0
}
