// Package cli is docsnap's scriptable commands: `docsnap clusters`,
// `docsnap snapshots CLUSTER`, `docsnap snapshot create CLUSTER [SNAPSHOT_ID]`
// and `docsnap snapshot wait SNAPSHOT_ID`, for pipelines, cron jobs and
// runbooks. They share the client, the identifier and tag rules and the
// snapshot tracker with the TUI. Data goes to stdout (a table for people, or
// JSON); errors and progress go to stderr; the exit status says what
// happened (see the Exit constants).
//
// Everything a command touches comes in through Env, so that tests run the
// commands against the local endpoint with a manual clock and no sleeps.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/ui"
)

// Exit statuses, documented in each command's help and in the README.
const (
	ExitOK          = 0
	ExitError       = 1 // anything else: AWS could not be configured or reached
	ExitInvalid     = 2 // invalid input: nothing was sent
	ExitRefused     = 3 // refused: AWS answered with an error (its code is printed), or read-only mode forbade a write
	ExitFailed      = 4 // the snapshot ended in a failure state
	ExitTimedOut    = 5 // --timeout passed while waiting
	ExitUnwritten   = 6 // the snapshot was created, but stdout could not be written (stderr names it)
	ExitInterrupted = 130
)

// Env is what a command runs with: its streams, the terminal, the clock,
// and the flags it shares with the other docsnap commands. The zero value of
// each function field means the real thing.
type Env struct {
	Stdout, Stderr io.Writer
	// Globals registers the flags every docsnap command shares (the AWS
	// flags: --profile, --region, --endpoint-url, --demo), and --poll-interval
	// when polls is set, on fs. Required.
	Globals func(fs *flag.FlagSet, polls bool) Backend

	// IsTerminal reports whether w is a terminal; nil: an *os.File that is
	// one.
	IsTerminal func(w io.Writer) bool
	// Width is the terminal's width in columns; nil: asked of the terminal
	// (80 when it does not say).
	Width func(w io.Writer) int
	// Getenv reads NO_COLOR and TERM; nil: os.Getenv.
	Getenv func(string) string
	// Now is the clock; nil: time.Now.
	Now func() time.Time
	// Sleep waits d, or less when ctx ends (then it returns ctx's error);
	// nil: a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand spreads the polls (jitter), in [0, 1); nil: no jitter.
	Rand func() float64
	// Stdin is where a confirmation is read; nil: os.Stdin.
	Stdin io.Reader
	// AskTerminal reports whether a question can be asked (stdin is a
	// terminal); nil: whether os.Stdin is one.
	AskTerminal func() bool
}

// Backend is what the shared flags chose, once parsed.
type Backend interface {
	// Check says on w what is wrong with the shared flags; false means the
	// command stops with ExitInvalid.
	Check(w io.Writer) bool
	// Connect returns the client the flags chose. It sends nothing: the
	// first call does. An *awsclient.Error is said with its hint.
	Connect(ctx context.Context) (Conn, error)
}

// Conn is a connected client.
type Conn struct {
	Client awsclient.Client
	// Demo is set for the embedded demo endpoint, which stops (and forgets
	// its snapshots) when docsnap exits.
	Demo bool
	// Poll is the time between two checks of a snapshot's progress; 0: the
	// tracker's default.
	Poll time.Duration
	// Close releases the client (stops the demo endpoint); nil: nothing to
	// release.
	Close func()
	// InRegion is a client of the same account in another region (for a
	// copy there), under the same read-only rules; nil: none can be had.
	InRegion func(region string) (awsclient.Client, error)
}

func (e *Env) defaults() {
	if e.IsTerminal == nil {
		e.IsTerminal = func(w io.Writer) bool {
			f, ok := w.(*os.File)
			return ok && term.IsTerminal(f.Fd())
		}
	}
	if e.Width == nil {
		e.Width = func(w io.Writer) int {
			if f, ok := w.(*os.File); ok {
				if cols, _, err := term.GetSize(f.Fd()); err == nil && cols > 0 {
					return cols
				}
			}
			return 80
		}
	}
	if e.Getenv == nil {
		e.Getenv = os.Getenv
	}
	if e.Now == nil {
		e.Now = time.Now
	}
	if e.Sleep == nil {
		e.Sleep = sleep
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Commands are the names Run answers to, for the dispatcher.
var Commands = []string{"clusters", "snapshots", "snapshot"}

// Run runs one command (one of Commands) with its arguments and returns
// the exit status. A cancelled ctx (Ctrl-C) stops it with ExitInterrupted.
func Run(ctx context.Context, env Env, command string, args []string) int {
	env.defaults()
	switch command {
	case "clusters":
		return runClusters(ctx, &env, args)
	case "snapshots":
		return runSnapshots(ctx, &env, args)
	case "snapshot":
		if len(args) > 0 {
			switch args[0] {
			case "create":
				return runCreate(ctx, &env, args[1:])
			case "wait":
				return runWait(ctx, &env, args[1:])
			case "delete":
				return runDelete(ctx, &env, args[1:])
			case "share":
				return runShare(ctx, &env, args[1:])
			case "copy":
				return runCopy(ctx, &env, args[1:])
			}
		}
		return snapshotGroup(&env, args)
	}
	fmt.Fprintf(env.Stderr, "docsnap: unknown command %q\n", command)
	return ExitInvalid
}

const snapshotUsage = `Usage:
  docsnap snapshot create CLUSTER [SNAPSHOT_ID] [flags]   take a snapshot of a cluster
  docsnap snapshot wait SNAPSHOT_ID [flags]               follow a snapshot until it is available
  docsnap snapshot copy SOURCE TARGET [flags]             copy a snapshot, in its region or to another
  docsnap snapshot delete SNAPSHOT_ID... [flags]          delete manual snapshots
  docsnap snapshot share SNAPSHOT_ID --account N... [flags]  share a manual snapshot with accounts

Example:
  docsnap snapshot create payments-prod --tag reason=pre-deploy --wait

Run docsnap snapshot SUBCOMMAND --help for its flags.
`

// snapshotGroup answers `docsnap snapshot` without a known subcommand.
func snapshotGroup(env *Env, args []string) int {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprint(env.Stdout, snapshotUsage)
		return ExitOK
	}
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "docsnap snapshot: say what to do: create, wait, copy, delete or share")
	} else {
		fmt.Fprintf(env.Stderr, "docsnap snapshot: unknown subcommand %q: want create, wait, copy, delete or share\n", args[0])
	}
	fmt.Fprint(env.Stderr, snapshotUsage)
	return ExitInvalid
}

func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "help":
		return true
	}
	return false
}

// command is one command's flag set and how to tell its user about it.
type command struct {
	env   *Env
	fs    *flag.FlagSet
	usage string // the help text before the flags
	back  Backend
}

func newCommand(env *Env, name, usage string, polls bool) *command {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are said by parse, help by help
	fs.Usage = func() {}
	c := &command{env: env, fs: fs, usage: usage}
	c.back = env.Globals(fs, polls)
	return c
}

// parse parses flags and positional arguments in any order (`snapshot
// create payments-prod --wait` as well as `--wait payments-prod`); after
// "--" everything is positional. names are the positional arguments, the
// optional ones in brackets: ["CLUSTER", "[SNAPSHOT_ID]"]. done says the
// command ends here with code: help was asked for (0), or the arguments or
// the shared flags are wrong (2).
func (c *command) parse(args []string, names ...string) (pos []string, code int, done bool) {
	for {
		err := c.fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			c.help()
			return nil, ExitOK, true
		}
		if err != nil {
			return nil, c.bad(err.Error()), true
		}
		rest := c.fs.Args()
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
	// A last name "[X...]" takes any number of arguments.
	if variadic := len(names) > 0 && strings.HasSuffix(names[len(names)-1], "...]"); len(pos) > len(names) && !variadic {
		return nil, c.bad(fmt.Sprintf("unexpected argument %q", pos[len(names)])), true
	}
	for _, name := range names[len(pos):] {
		if !strings.HasPrefix(name, "[") {
			return nil, c.bad("missing " + name), true
		}
	}
	if !c.back.Check(c.env.Stderr) {
		return nil, ExitInvalid, true
	}
	return pos, ExitOK, false
}

// bad says what is wrong with the command line and how to get help.
func (c *command) bad(problem string) int {
	fmt.Fprintf(c.env.Stderr, "%s: %s\nRun %s --help for its usage.\n", c.fs.Name(), problem, c.fs.Name())
	return ExitInvalid
}

// help prints the usage, examples and flags on stdout: asked-for help is
// the command's output.
func (c *command) help() {
	fmt.Fprint(c.env.Stdout, c.usage)
	c.fs.SetOutput(c.env.Stdout)
	c.fs.PrintDefaults()
	c.fs.SetOutput(io.Discard)
}

// connect makes the client; on failure it says why and returns the exit
// status.
func (c *command) connect(ctx context.Context) (Conn, int, bool) {
	conn, err := c.back.Connect(ctx)
	if err != nil {
		return Conn{}, c.fail(ctx, err), false
	}
	return conn, ExitOK, true
}

// exitStatuses is the part of each command's help that says what its exit
// status means, from lines "N meaning".
func exitStatuses(lines ...string) string {
	var b strings.Builder
	b.WriteString("Exit status:\n")
	for _, l := range lines {
		code, meaning, _ := strings.Cut(l, " ")
		fmt.Fprintf(&b, "  %3s  %s\n", code, meaning)
	}
	return b.String()
}

// fieldList is a list of JSON fields for a help text, wrapped and
// indented.
func fieldList(fields string) string {
	return "  " + strings.Join(ui.Wrap(fields, 72), "\n  ")
}
