package emulator

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/docsnap/docsnap/awsclient"
)

// connLimits bounds how long one connection may take to send a request and
// may stay idle between two; a variable so that a test can shorten it.
var connLimits = struct{ read, idle time.Duration }{read: 30 * time.Second, idle: 2 * time.Minute}

// Endpoint is a Server (or any handler) listening on a TCP address.
type Endpoint struct {
	URL string // http://127.0.0.1:PORT
	srv *http.Server
	// Server is the endpoint's server when Start made it, nil otherwise.
	Server *Server
}

// Listen serves h on addr ("127.0.0.1:0" picks a free port) until Close or
// Shutdown.
func Listen(addr string, h http.Handler) (*Endpoint, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		// A client trickling a body, or holding an idle connection, must
		// not keep a connection (and its goroutine) for ever: request
		// bodies are small (capped at maxRequest), so this is generous.
		ReadTimeout:    connLimits.read,
		IdleTimeout:    connLimits.idle,
		MaxHeaderBytes: 64 << 10,
	}
	go srv.Serve(ln)
	return &Endpoint{URL: "http://" + dialable(ln.Addr().(*net.TCPAddr)), srv: srv}, nil
}

// dialable is an address a local client can connect to: a server listening
// on every interface is reached on loopback.
func dialable(a *net.TCPAddr) string {
	ip := a.IP
	if ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return net.JoinHostPort(ip.String(), fmt.Sprint(a.Port))
}

// Close stops serving at once, closing open connections.
func (e *Endpoint) Close() error { return e.srv.Close() }

// Shutdown stops accepting and waits for the calls in flight, until ctx ends.
func (e *Endpoint) Shutdown(ctx context.Context) error { return e.srv.Shutdown(ctx) }

// Config is what `docsnap emulator` runs, as its flags give it: unlike
// Options, a zero SnapshotDuration or Quota is refused, not defaulted.
type Config struct {
	Listen      string // host:port
	AllowRemote bool   // serve on an address other than loopback
	Clusters    int    // 0: the demo fleet; N: GeneratedFleet(N)
	Options     Options
}

// Check says what is wrong with a Config, in a sentence for its flags.
func (c Config) Check() error {
	host, _, err := net.SplitHostPort(c.Listen)
	if err != nil {
		return fmt.Errorf("--listen %q: want host:port, such as 127.0.0.1:4566", c.Listen)
	}
	if ip := net.ParseIP(host); !c.AllowRemote && host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--listen %q is not a loopback address: anyone who can reach it could use the endpoint; pass --allow-remote to serve there anyway", c.Listen)
	}
	f := c.Options.Faults
	for _, share := range []struct {
		flag  string
		value float64
	}{{"--fault-throttle", f.Throttle}, {"--fault-5xx", f.Server5xx}, {"--fault-drop", f.Drop}} {
		if share.value < 0 || share.value > 1 {
			return fmt.Errorf("%s %v: want a share between 0 and 1, such as 0.2", share.flag, share.value)
		}
	}
	switch {
	case f.RateLimit < 0:
		return fmt.Errorf("--rate-limit %d: want 0 (no limit) or a number of calls a second, such as 5", f.RateLimit)
	case f.Latency < 0:
		return fmt.Errorf("--fault-latency %v: want a duration of 0 or more, such as 2s", f.Latency)
	case c.Clusters < 0:
		return fmt.Errorf("--clusters %d: want 0 (the demo fleet) or more", c.Clusters)
	case c.Options.SnapshotDuration <= 0:
		return fmt.Errorf("--snapshot-duration %v: want a positive duration, such as 45s", c.Options.SnapshotDuration)
	case c.Options.Quota < 1:
		return fmt.Errorf("--quota %d: want 1 or more manual snapshots", c.Options.Quota)
	}
	return nil
}

// Start checks cfg, loads its fleet, serves it and prints to out how to
// point the AWS CLI and SDKs at it.
func Start(cfg Config, out io.Writer) (*Endpoint, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	fleet, what := DemoFleet(), "the demo fleet"
	if cfg.Clusters > 0 {
		fleet, what = GeneratedFleet(cfg.Clusters), fmt.Sprintf("%d generated clusters", cfg.Clusters)
	}
	// The other regions of the account hold the demo's fleets, for copies
	// from them; only the first region is served.
	region := cmp.Or(cfg.Options.Region, DefaultRegion)
	s := NewRegions(cfg.Options, func(r string) Fleet {
		if r == region {
			return fleet
		}
		return DemoFleetFor(r)
	}).World(region)
	ep, err := Listen(cfg.Listen, s)
	if err != nil {
		return nil, err
	}
	ep.Server = s
	o := s.opts
	fmt.Fprintf(out, "docsnap emulator: a local DocumentDB endpoint serving %s (%d clusters, %d DocumentDB) in %s, account %s\n",
		what, len(fleet.Clusters), countDocDB(fleet), o.Region, o.Account)
	fmt.Fprintf(out, "Endpoint: %s\n\n", ep.URL)
	fmt.Fprintf(out, "Any dummy credentials work. Try:\n")
	fmt.Fprintf(out, "  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws docdb describe-db-clusters --endpoint-url %s --region %s\n", ep.URL, o.Region)
	fmt.Fprintf(out, "or point the AWS tools of a shell at it (SDKs, AWS CLI v2, docsnap):\n")
	fmt.Fprintf(out, "  export AWS_ENDPOINT_URL_DOCDB=%s AWS_DEFAULT_REGION=%s AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test\n", ep.URL, o.Region)
	if o.Region == "us-east-1" {
		// awscli/customizations/overridesslcommonname.py pins docdb in
		// us-east-1 to rds.amazonaws.com unless --endpoint-url is given.
		fmt.Fprintf(out, "  (AWS CLI v1 ignores that variable for docdb in us-east-1: pass --endpoint-url there.)\n")
	}
	fmt.Fprintln(out)
	fmt.Fprintf(out, "Snapshots of a %d GiB cluster take %v; manual snapshot quota %d.\n", AverageStorageGiB, o.SnapshotDuration, o.Quota)
	if f := o.Faults; f != (Faults{RateLimit: f.RateLimit}) {
		fmt.Fprintf(out, "Faults: throttle %v, 5xx %v, drop %v, latency %v (seed %d).\n", f.Throttle, f.Server5xx, f.Drop, f.Latency, o.Seed)
	}
	if o.Faults.RateLimit > 0 {
		fmt.Fprintf(out, "Rate limit: %d calls a second; the calls beyond it are answered Throttling.\n", o.Faults.RateLimit)
	}
	fmt.Fprintf(out, "Press Ctrl-C to stop.\n")
	return ep, nil
}

func countDocDB(f Fleet) int {
	n := 0
	for _, c := range f.Clusters {
		if c.Engine == awsclient.Engine {
			n++
		}
	}
	return n
}

// Serve runs Start and serves until ctx ends, then lets the calls in flight
// finish (for up to five seconds) before it returns.
func Serve(ctx context.Context, cfg Config, out io.Writer) error {
	ep, err := Start(cfg, out)
	if err != nil {
		return err
	}
	<-ctx.Done()
	if n := ep.Server.Throttled(); n > 0 {
		// For whoever measured a client against --rate-limit.
		fmt.Fprintf(out, "docsnap emulator: stopping (%d calls were answered Throttling)\n", n)
	} else {
		fmt.Fprintln(out, "docsnap emulator: stopping")
	}
	stop, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ep.Shutdown(stop); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("stop the emulator: %w", err)
	}
	return nil
}
