package cli

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
	"github.com/docsnap/docsnap/awsclient/emulator/emulatortest"
)

// t0 is when every test's clock starts.
var t0 = time.Date(2026, 11, 29, 5, 30, 0, 0, time.UTC)

// endpoint is the local DocumentDB endpoint on 127.0.0.1, on a manual clock,
// and the real SDK client pointed at it over HTTP. wrap, if given, wraps
// its handler (emulator.BrokenPaging.Wrap).
type endpoint struct {
	t      *testing.T
	server *emulator.Server
	clock  *emulator.Clock
	url    string
	client *awsclient.SDK
}

func newEndpoint(t *testing.T, f emulator.Fleet, opts emulator.Options, wrap ...func(http.Handler) http.Handler) *endpoint {
	t.Helper()
	clock := emulator.NewClock(t0)
	opts.Now = clock.Now
	if opts.Seed == 0 {
		opts.Seed = 7
	}
	server, ep := emulatortest.Serve(t, opts, f, wrap...)
	// One attempt a call: a throttled or failed call reaches the command at
	// once instead of after the SDK's own backoff.
	client, err := awsclient.NewLocal(awsclient.Options{EndpointURL: ep.URL, RetryMaxAttempts: 1, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &endpoint{t: t, server: server, clock: clock, url: ep.URL, client: client}
}

// calls is how many requests of every action the endpoint has received.
func (e *endpoint) calls() int {
	n := 0
	for _, a := range []string{"DescribeDBClusters", "DescribeDBClusterSnapshots", "CreateDBClusterSnapshot",
		"DescribeDBInstances", "ListTagsForResource", "DescribeGlobalClusters"} {
		n += e.server.Calls(a)
	}
	return n
}

// result is what one command did.
type result struct {
	code           int
	stdout, stderr string
}

// options of one run.
type runOpts struct {
	terminal bool              // stdout and stderr are terminals
	width    int               // the terminal's width (default 100)
	env      map[string]string // NO_COLOR, TERM
	poll     time.Duration     // --poll-interval (default 5s)
	demo     bool
	// onSleep runs after each sleep with the clock already advanced, and
	// may cancel the command (Ctrl-C).
	onSleep func(now time.Time, cancel context.CancelFunc)
	ctx     context.Context
	// client replaces the endpoint's client; readOnly, when set, wraps the
	// client as --read-only would (awsclient.ReadOnly).
	client   awsclient.Client
	readOnly string
	// stdout, when set, replaces the buffer that stdout goes to.
	stdout io.Writer
	// ask, when set, is what is typed on a terminal stdin (a question can
	// be asked); otherwise stdin is no terminal.
	ask string
}

// testBackend connects a command to the test's endpoint: the real SDK
// client, over HTTP. It registers no flags: the command line's flags are
// tested in ui/command.
type testBackend struct {
	e    *endpoint
	o    runOpts
	conn *int // how many times Connect was called
}

func (b testBackend) Check(io.Writer) bool { return true }

func (b testBackend) Connect(context.Context) (Conn, error) {
	*b.conn++
	var client awsclient.Client = b.e.client
	if b.o.client != nil {
		client = b.o.client
	}
	if b.o.readOnly != "" {
		client = awsclient.ReadOnly(client, b.o.readOnly)
	}
	return Conn{Client: client, Poll: b.o.poll, Demo: b.o.demo}, nil
}

// run runs a command line (its first word the command) with the manual
// clock: each sleep advances it, so no test waits for real time.
func (e *endpoint) run(o runOpts, args ...string) result {
	e.t.Helper()
	if o.poll == 0 {
		o.poll = 5 * time.Second
	}
	if o.width == 0 {
		o.width = 100
	}
	ctx := o.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var stdout, stderr bytes.Buffer
	connects := 0
	env := Env{
		Stdout: io.Writer(&stdout), Stderr: &stderr,
		Globals: func(*flag.FlagSet, bool) Backend {
			return testBackend{e: e, o: o, conn: &connects}
		},
		IsTerminal: func(io.Writer) bool { return o.terminal },
		Width:      func(io.Writer) int { return o.width },
		Getenv:     func(k string) string { return o.env[k] },
		Now:        e.clock.Now,
		Sleep: func(ctx context.Context, d time.Duration) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if d <= 0 {
				e.t.Errorf("a sleep of %v", d)
			}
			e.clock.Advance(d)
			if o.onSleep != nil {
				o.onSleep(e.clock.Now(), cancel)
			}
			return ctx.Err()
		},
	}
	if o.stdout != nil {
		env.Stdout = o.stdout
	}
	env.AskTerminal = func() bool { return o.ask != "" }
	env.Stdin = strings.NewReader(o.ask)
	code := Run(ctx, env, args[0], args[1:])
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// want fails the test unless the command ended with code.
func (r result) want(t *testing.T, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
}

// stderrHas fails the test unless stderr holds every part.
func (r result) stderrHas(t *testing.T, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(r.stderr, p) {
			t.Errorf("stderr lacks %q:\n%s", p, r.stderr)
		}
	}
}
