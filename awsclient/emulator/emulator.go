// Package emulator is a local Amazon DocumentDB control-plane endpoint: an
// HTTP server that speaks the Query protocol of the RDS/DocumentDB API well
// enough for aws-sdk-go-v2, the AWS CLI and boto3, so that docsnap, its demo
// and its tests run with no AWS account.
//
// It implements DescribeDBClusters, DescribeDBClusterSnapshots,
// CreateDBClusterSnapshot, CopyDBClusterSnapshot (across regions too, see
// Link and Regions), DeleteDBClusterSnapshot,
// ModifyDBClusterSnapshotAttribute, DescribeDBClusterSnapshotAttributes,
// DescribeDBInstances, DescribeGlobalClusters and ListTagsForResource, with
// AWS's error codes and statuses, and answers InvalidAction to anything else.
// Snapshots progress with an injectable clock, computed when described, so
// that nothing runs in the background and tests advance time instead of
// sleeping. Faults (throttling, 5xx, latency, dropped connections) can be
// injected, deterministically for a seed.
package emulator

import (
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Faults are failures injected into answers, for tests and demos.
type Faults struct {
	Throttle  float64       // share of calls answered 400 Throttling "Rate exceeded"
	Server5xx float64       // share of calls answered 500 InternalFailure
	Latency   time.Duration // added before every answer
	// Drop is the share of calls whose connection is closed with no response
	// after the action ran: a create may have happened, as at AWS.
	Drop float64
	// RateLimit is how many calls a second (of the server's clock) are
	// answered; the calls beyond it in the same second are answered 400
	// Throttling "Rate exceeded", as AWS answers a burst. 0: no limit.
	RateLimit int
}

// Options configure a Server. The zero value of each field means its default.
type Options struct {
	Region  string           // default "us-east-1"
	Account string           // default "123456789012"
	Now     func() time.Time // the clock; default time.Now
	// SnapshotDuration is how long a snapshot of a cluster of
	// AverageStorageGiB takes; default 45s.
	SnapshotDuration time.Duration
	Quota            int // manual snapshots per region; default 100
	Faults           Faults
	// Seed drives the faults and the unevenness of snapshot progress: the
	// same seed gives the same behaviour.
	Seed int64
}

// Defaults of Options.
const (
	DefaultRegion           = "us-east-1"
	DefaultAccount          = "123456789012"
	DefaultSnapshotDuration = 45 * time.Second
	DefaultQuota            = 100
)

// Server is the endpoint: an http.Handler over one region of one account.
// It is safe for concurrent use.
type Server struct {
	opts Options
	ids  accountIDs

	mu    sync.RWMutex // guards world
	world *world

	faultMu sync.Mutex // guards the fields below
	faults  Faults
	rng     *rand.Rand
	drops   map[string]int // by counted name
	calls   map[string]int // by counted name
	// second is the second of the clock the rate limit counts calls in,
	// and answered how many calls it let through in it.
	second    int64
	answered  int
	throttled int // calls answered Throttling, by the rate limit or the Throttle share

	// peers finds this account's server of another region, for a copy
	// across regions; nil: none (see Link and Regions).
	peers func(region string) *Server
}

// New returns a Server over an empty region.
func New(opts Options) *Server {
	if opts.Region == "" {
		opts.Region = DefaultRegion
	}
	if opts.Account == "" {
		opts.Account = DefaultAccount
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.SnapshotDuration <= 0 {
		opts.SnapshotDuration = DefaultSnapshotDuration
	}
	if opts.Quota <= 0 {
		opts.Quota = DefaultQuota
	}
	return &Server{
		opts:   opts,
		ids:    newAccountIDs(opts.Account, opts.Region),
		world:  newWorld(opts.Region),
		faults: opts.Faults,
		rng:    rand.New(rand.NewPCG(uint64(opts.Seed), 0x5eed)),
		drops:  map[string]int{},
		calls:  map[string]int{},
	}
}

// Load adds a fleet's clusters, instances, snapshots and tags; its times are
// relative to the server's clock now. Identifiers already loaded are skipped.
func (s *Server) Load(f Fleet) {
	now := s.opts.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.world.load(f, s.opts.Region, now, s.opts.SnapshotDuration)
	s.loadElastic(f.Elastic, now)
}

// SetFaults replaces the injected faults.
func (s *Server) SetFaults(f Faults) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.faults = f
}

// DropNext closes the connection of the next n calls of action after the
// action ran, without a response, whatever the other faults say. A
// docdb-elastic operation is named "elastic:" and its name
// ("elastic:CreateClusterSnapshot").
func (s *Server) DropNext(action string, n int) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.drops[counted(action)] += n
}

// Calls reports how many requests of action have arrived, faulted or not;
// a docdb-elastic operation is named as for DropNext. Requests of actions
// the endpoint does not have are counted together.
func (s *Server) Calls(action string) int {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	return s.calls[counted(action)]
}

// Throttled reports how many calls have been answered Throttling, by the
// rate limit or the Throttle share.
func (s *Server) Throttled() int {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	return s.throttled
}

// counted is the name a request's calls and drops are kept under: its
// action (for docdb-elastic, "elastic:" and its operation), or one name for
// every action the endpoint does not have, so that a client making up names
// cannot make the endpoint keep a counter for each.
func counted(action string) string {
	_, query := actions[action]
	_, elastic := elasticOps[action]
	if query || elastic {
		return action
	}
	return ""
}

// ServeHTTP answers one request: of the docdb Query protocol, sent as a
// form POST or a GET query string to the root path, or of the
// docdb-elastic REST-JSON protocol, whose paths name its operations.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := newRequestID()
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, maxRequest)
	}
	var (
		action string
		run    func(fault *apiError) answer
	)
	if r.URL.Path != "/" && r.URL.Path != "" {
		action, run = s.elasticRequest(r, requestID)
	} else {
		action, run = s.queryRequest(r, requestID)
	}
	fault, drop, latency := s.arrive(action)
	if r.Context().Value(http.LocalAddrContextKey) != nil { // over a connection
		latency = max(latency, turnaround)
	}
	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-r.Context().Done(): // the client gave up: nothing runs
			t.Stop()
			return
		}
	}
	a := run(fault)
	if drop {
		a.release()
		dropConnection(w)
		return
	}
	a.write(w, requestID)
	a.release()
}

// queryRequest reads a Query-protocol request: its action, and how to
// answer it, given the fault injected, if any.
func (s *Server) queryRequest(r *http.Request, requestID string) (string, func(*apiError) answer) {
	parseErr := r.ParseForm()
	var tooLarge *http.MaxBytesError
	if errors.As(parseErr, &tooLarge) || parseErr == nil && len(r.URL.RawQuery) > maxRequest {
		parseErr = errRequestTooLarge
	}
	p := params(r.Form)
	action, _ := p.get("Action")
	return action, func(fault *apiError) answer {
		switch {
		case fault != nil:
			return encodeError(fault, requestID)
		case parseErr != nil:
			// 404, as AWS's common errors document it.
			return encodeError(errorf(http.StatusNotFound, "MalformedQueryString", "The query string is malformed: %v", parseErr), requestID)
		}
		return s.run(action, p, requestID)
	}
}

// maxRequest is the most parameters a request may send, in its body or its
// query string. The largest the API takes, a snapshot with 50 tags whose
// keys and values are as long as allowed, all in four-byte characters, is
// under 230 KiB percent-encoded. Without a limit of its own net/http reads
// 10 MiB, and checking that many bad characters of an identifier, one
// problem each, took seconds and gigabytes to answer.
const maxRequest = 256 << 10

var errRequestTooLarge = errors.New("it is longer than " + strconv.Itoa(maxRequest) + " bytes")

// turnaround is the least time between a request that came over a
// connection and its answer. aws-sdk-go-v2 (smithy-go) closes a request's
// body as soon as the answer's headers arrive, while net/http may not yet
// have finished checking that body for extra bytes; when net/http loses that
// race it closes the connection under the answer ("use of closed network
// connection", the SDK's known bug github.com/aws/aws-sdk-go-v2/issues/2737),
// which the SDK's retryer retries: a read costs two calls, and a create
// meets its own snapshot on the retry.
// AWS is never fast enough for that to matter; a local endpoint is, so it
// waits first, which also gives the client's goroutines the processor.
// Measured with a plain SDK client in another process, retries off, 3,000
// calls each (pages of 20 clusters, describes, tags): with no wait 5.0% of
// calls failed (18.8% for a client built with -race), waiting 1 ms none
// (0.4%), 2 ms none (0.03%); a 1 ms floor counted from the request's arrival,
// so that making the answer counts, let 1.2% fail under -race.
// docsnap's own client is not exposed (awsclient/transport.go: none of 3,000
// calls failed with no wait).
const turnaround = 2 * time.Millisecond

// arrive counts a call and decides its faults. It draws the same numbers
// from the seeded source for every call, so the n-th call of a run meets the
// same faults whatever the settings were for the calls before it.
func (s *Server) arrive(action string) (fault *apiError, drop bool, latency time.Duration) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	action = counted(action)
	s.calls[action]++
	throttle, server, lose := s.rng.Float64(), s.rng.Float64(), s.rng.Float64()
	f := s.faults
	if s.drops[action] > 0 {
		s.drops[action]--
		return nil, true, f.Latency
	}
	switch {
	case s.overRate(f.RateLimit), throttle < f.Throttle:
		s.throttled++
		return errThrottled, false, f.Latency
	case server < f.Server5xx:
		return errInternal, false, f.Latency
	}
	return nil, lose < f.Drop, f.Latency
}

// overRate reports whether a call arriving now is beyond the rate limit
// (0: none), and counts it in its second if not. A throttled call does not
// count: it is refused before it uses anything.
func (s *Server) overRate(limit int) bool {
	if limit <= 0 {
		return false
	}
	if now := s.opts.Now().Unix(); now != s.second {
		s.second, s.answered = now, 0
	}
	if s.answered >= limit {
		return true
	}
	s.answered++
	return false
}

// dropConnection closes the client's connection with no response, as a
// lost network does. Where the connection cannot be taken over (HTTP/2),
// net/http's abort closes the stream instead.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

type action func(s *Server, p params, now time.Time) (xmlResult, *apiError)

var actions = map[string]action{
	"DescribeDBClusters":                  (*Server).describeClusters,
	"DescribeDBClusterSnapshots":          (*Server).describeSnapshots,
	"CreateDBClusterSnapshot":             (*Server).createSnapshot,
	"DescribeDBInstances":                 (*Server).describeInstances,
	"ListTagsForResource":                 (*Server).listTags,
	"DescribeGlobalClusters":              (*Server).describeGlobalClusters,
	"CopyDBClusterSnapshot":               (*Server).copySnapshot,
	"DeleteDBClusterSnapshot":             (*Server).deleteSnapshot,
	"DescribeDBClusterSnapshotAttributes": (*Server).describeSnapshotAttributes,
	"ModifyDBClusterSnapshotAttribute":    (*Server).modifySnapshotAttribute,
}

func (s *Server) run(name string, p params, requestID string) answer {
	act, ok := actions[name]
	if !ok {
		if name == "" {
			return encodeError(errorf(http.StatusBadRequest, "InvalidAction", "The request has no Action parameter."), requestID)
		}
		return encodeError(errorf(http.StatusBadRequest, "InvalidAction",
			"Could not find operation %s for version %s", name, apiVersion), requestID)
	}
	result, apiErr := act(s, p, s.opts.Now())
	if apiErr != nil {
		return encodeError(apiErr, requestID)
	}
	return encodeResult(name, result, requestID)
}
