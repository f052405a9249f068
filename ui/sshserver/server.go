// Package sshserver serves the docsnap TUI over SSH (`docsnap serve`): one
// Bubble Tea program per session, public-key authentication only, full and
// read-only keys, isolated demo worlds, structured session and audit logs,
// and a shutdown that tells every session before it closes.
package sshserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"github.com/docsnap/docsnap/awsclient"
	gossh "golang.org/x/crypto/ssh"
)

// Defaults of the serve flags.
const (
	DefaultListen        = "127.0.0.1:23234"
	DefaultMaxSessions   = 32
	DefaultIdleTimeout   = 15 * time.Minute
	DefaultShutdownGrace = 5 * time.Second
	// DefaultFPS is how often, at most, a session's screen is drawn. Bubble
	// Tea wakes at that rate whether or not anything changed, so it is idle
	// CPU per session, traded against the delay a keystroke's echo may wait
	// (a frame at most: 50 ms at 20 fps).
	DefaultFPS = 20
	MaxFPS     = 120 // Bubble Tea draws no faster
)

// handshakeTimeout bounds how long a connection may take to authenticate, so
// that half-open connections cannot pile up.
const handshakeTimeout = 30 * time.Second

// Backend opens the DocumentDB client one session uses. release is called
// once when the session ends.
type Backend func(ctx context.Context) (c awsclient.Client, release func(), err error)

// Shared is the backend of real AWS: every session uses the same client (one
// set of credentials, one connection pool).
func Shared(c awsclient.Client) Backend {
	return func(context.Context) (awsclient.Client, func(), error) { return c, func() {}, nil }
}

// AppConfig is what a session's app is built from.
type AppConfig struct {
	// Client is the session's client, already wrapped: audited, and refusing
	// to create snapshots when the key is read-only.
	Client awsclient.Client
	// ReadOnly, when not empty, is the sentence to show when the user tries
	// to take a snapshot: the key may only browse.
	ReadOnly string
	// Demo is true when the client talks to a demo world.
	Demo bool
	// Context ends when the session does: the app stops its calls and
	// timers in flight then (model.Config.Context), so that nothing of the
	// session outlives it.
	Context context.Context
}

// Config configures a Server.
type Config struct {
	Listen         string // address to listen on; DefaultListen if empty
	HostKeyPath    string // created (ed25519, 0600) when missing; DefaultHostKeyPath() if empty
	AuthorizedKeys string // OpenSSH authorized_keys file: full access
	ReadOnlyKeys   string // OpenSSH authorized_keys file: browse only
	// Demo admits any key when no keys file is given; Backend then gives
	// each session its own world.
	Demo          bool
	MaxSessions   int           // DefaultMaxSessions if 0
	IdleTimeout   time.Duration // without input; DefaultIdleTimeout if 0, never if negative
	ShutdownGrace time.Duration // how long sessions are warned before the server closes; DefaultShutdownGrace if 0
	FPS           int           // frames a second each session draws at most, 1 to MaxFPS; DefaultFPS if 0 in New
	// Log receives JSON-ready records: session start and end, refused
	// connections, and one audit record per snapshot created.
	Log     *slog.Logger
	Backend Backend // required
	// NewApp builds a session's model (required). If the model has an
	// ExitReport() string method, its report (snapshots still in flight)
	// is written to the session after the program ends.
	NewApp func(AppConfig) tea.Model
}

// Check says what is wrong with the access settings, in a sentence for the
// serve flags, before anything else is set up. It takes FPS and
// MaxSessions as the flags give them, so 0 is refused; New gives a Config
// without them the defaults.
func (c Config) Check() error {
	if c.AuthorizedKeys == "" && c.ReadOnlyKeys == "" && !c.Demo {
		return errors.New("serve needs --authorized-keys or --read-only-keys (OpenSSH authorized_keys files): " +
			"without one, anyone who can reach the port would use your AWS credentials; " +
			"for a public demo with no AWS access, pass --demo")
	}
	if c.MaxSessions < 1 { // --max-sessions 0 would admit no one, not 32
		return fmt.Errorf("--max-sessions %d: want a positive number of sessions", c.MaxSessions)
	}
	if c.FPS < 1 || c.FPS > MaxFPS {
		return fmt.Errorf("--fps %d: want 1 to %d frames a second", c.FPS, MaxFPS)
	}
	return nil
}

// Server is a docsnap SSH server.
type Server struct {
	cfg    Config
	log    *slog.Logger
	gate   *gate
	ssh    *ssh.Server
	hostFP string

	// Injectable for tests: the clock of the idle and grace timers.
	now       func() time.Time
	afterFunc func(time.Duration, func()) (stop func() bool)
	viewHook  func(*session, string) // tests: every frame of every session

	seq    atomic.Int64 // session numbers
	conns  sync.Map     // remote address → ssh.Context, while connected
	states sync.Map     // ssh.Session → *session, while it runs

	mu       sync.Mutex
	sessions map[*session]struct{}
	closing  bool
	drained  chan struct{} // closed when closing and no session is left
}

// New checks the configuration, loads (or creates) the host key and reads
// the keys files. It refuses to start an open server: without a keys file,
// only --demo admits anyone.
func New(cfg Config) (*Server, error) {
	if cfg.FPS == 0 {
		cfg.FPS = DefaultFPS
	}
	if cfg.MaxSessions == 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if cfg.Backend == nil || cfg.NewApp == nil {
		return nil, errors.New("sshserver: Config.Backend and Config.NewApp are required")
	}
	if cfg.Listen == "" {
		cfg.Listen = DefaultListen
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.ShutdownGrace == 0 {
		cfg.ShutdownGrace = DefaultShutdownGrace
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.HostKeyPath == "" {
		p, err := DefaultHostKeyPath()
		if err != nil {
			return nil, err
		}
		cfg.HostKeyPath = p
	}
	g := &gate{demo: cfg.Demo}
	var err error
	if cfg.AuthorizedKeys != "" {
		if g.full, err = loadKeysFile(cfg.AuthorizedKeys); err != nil {
			return nil, fmt.Errorf("--authorized-keys: %w", err)
		}
	}
	if cfg.ReadOnlyKeys != "" {
		if g.readOnly, err = loadKeysFile(cfg.ReadOnlyKeys); err != nil {
			return nil, fmt.Errorf("--read-only-keys: %w", err)
		}
	}
	signer, err := LoadHostKey(cfg.HostKeyPath)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:       cfg,
		log:       cfg.Log,
		gate:      g,
		hostFP:    Fingerprint(signer.PublicKey()),
		now:       time.Now,
		afterFunc: func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop },
		sessions:  map[*session]struct{}{},
		drained:   make(chan struct{}),
	}
	s.ssh, err = wish.NewServer(
		wish.WithAddress(cfg.Listen),
		func(srv *ssh.Server) error { srv.AddHostKey(signer); return nil },
		wish.WithPublicKeyAuth(s.authenticate),
		wish.WithMiddleware(s.middlewares()...),
		func(srv *ssh.Server) error {
			srv.HandshakeTimeout = handshakeTimeout
			if cfg.IdleTimeout > 0 {
				// A backstop for connections that open no session: the
				// sessions' own timeout (input only) always fires first.
				srv.IdleTimeout = cfg.IdleTimeout + time.Minute
			}
			srv.ConnCallback = s.onConnect
			srv.ConnectionFailedCallback = s.onConnFailed
			srv.ConnectionCloseCallback = s.onConnClosed
			return nil
		},
	)
	if err != nil {
		return nil, fmt.Errorf("ssh server: %w", err)
	}
	return s, nil
}

// HostKeyFingerprint is the SHA256 fingerprint of the server's host key, for
// users to check the first time they connect.
func (s *Server) HostKeyFingerprint() string { return s.hostFP }

// listen opens the configured address.
func (s *Server) listen() (net.Listener, error) {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", s.cfg.Listen, err)
	}
	return ln, nil
}

// Serve accepts connections on ln until Shutdown or Close. It returns nil
// after a shutdown.
func (s *Server) Serve(ln net.Listener) error {
	s.log.Info("serve", slog.String("listen", ln.Addr().String()),
		slog.String("host_key", s.hostFP), slog.Bool("demo", s.cfg.Demo),
		slog.Int("max_sessions", s.cfg.MaxSessions), slog.String("idle_timeout", s.cfg.IdleTimeout.String()),
		slog.Int("fps", s.cfg.FPS))
	err := s.ssh.Serve(ln)
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// shutdownDrain is how long Run waits, after the grace period, for sessions
// to end before it closes their connections.
const shutdownDrain = 5 * time.Second

// shutdownLinger is how long Shutdown lets clients hang up, once their
// sessions have ended, before it closes their connections.
const shutdownLinger = time.Second

// Run listens and serves until ctx is done (SIGINT or SIGTERM, in main),
// then shuts down: sessions are told, get ShutdownGrace to finish, and the
// server closes at most a few seconds after that.
func (s *Server) Run(ctx context.Context) error {
	ln, err := s.listen()
	if err != nil {
		return err
	}
	served := make(chan error, 1)
	accepting := &firstAccept{Listener: ln, first: make(chan struct{})}
	go func() { served <- s.Serve(accepting) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	// A signal that comes as the server starts can find Serve not yet
	// holding the listener, which Shutdown could then not close (Serve
	// would accept for ever): wait until it accepts.
	select {
	case err := <-served:
		return err
	case <-accepting.first:
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownGrace+shutdownDrain)
	defer cancel()
	err = s.Shutdown(sctx)
	return errors.Join(err, <-served)
}

// firstAccept is a listener that says when it is first asked for a
// connection: by then Serve holds it, and Shutdown closes it.
type firstAccept struct {
	net.Listener
	once  sync.Once
	first chan struct{}
}

func (l *firstAccept) Accept() (net.Conn, error) {
	l.once.Do(func() { close(l.first) })
	return l.Listener.Accept()
}

// Shutdown stops accepting connections, tells every session the server is
// going down, gives them ShutdownGrace (or until they have all left), ends
// the ones still running, and closes every connection. Snapshots created
// over SSH keep going at AWS; each session's end record names its own.
// When ctx expires first, connections are closed at once.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	first := !s.closing
	s.closing = true
	live := s.liveLocked()
	s.checkDrainedLocked()
	s.mu.Unlock()
	if first {
		s.log.Info("shutdown", slog.Int("sessions", len(live)), slog.String("grace", s.cfg.ShutdownGrace.String()))
	}

	// Closes the listener now; returns once every connection has closed.
	closed := make(chan error, 1)
	go func() { closed <- s.ssh.Shutdown(ctx) }()

	notice := fmt.Sprintf("Server going down in %s; submitted snapshots keep going at AWS.",
		s.cfg.ShutdownGrace.Round(time.Second))
	for _, ss := range live {
		ss.tell(notice)
	}
	grace := make(chan struct{})
	stop := s.afterFunc(s.cfg.ShutdownGrace, func() { close(grace) })
	defer stop()
	select {
	case <-s.drained:
	case <-grace:
	case <-ctx.Done():
	}
	s.mu.Lock()
	live = s.liveLocked()
	s.mu.Unlock()
	for _, ss := range live {
		ss.end(endShutdown)
	}
	select {
	case <-s.drained:
	case <-ctx.Done():
	}
	// Clients close their connection once told their session's exit
	// status; the ones that keep it open (multiplexers) are not waited for
	// beyond a moment.
	linger := time.NewTimer(shutdownLinger)
	defer linger.Stop()
	var err error
	left := false
	select {
	case err = <-closed:
		left = true
	case <-linger.C:
	case <-ctx.Done():
	}
	closeErr := s.ssh.Close()
	if !left {
		err = <-closed
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		err = nil
	}
	if ctx.Err() != nil {
		err = fmt.Errorf("shutdown: sessions still running at the deadline: %w", ctx.Err())
	}
	s.log.Info("stopped")
	return errors.Join(err, ignoreClosed(closeErr))
}

// Close closes the listener and every connection at once.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closing = true
	s.checkDrainedLocked()
	s.mu.Unlock()
	return ignoreClosed(s.ssh.Close())
}

func ignoreClosed(err error) error {
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

func (s *Server) liveLocked() []*session {
	out := make([]*session, 0, len(s.sessions))
	for ss := range s.sessions {
		out = append(out, ss)
	}
	return out
}

func (s *Server) checkDrainedLocked() {
	if s.closing && len(s.sessions) == 0 {
		select {
		case <-s.drained:
		default:
			close(s.drained)
		}
	}
}

// admit reserves a session slot, or says why there is none.
func (s *Server) admit(ss *session) (refusal string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closing:
		return "docsnap: the server is shutting down; try again later."
	case len(s.sessions) >= s.cfg.MaxSessions:
		return fmt.Sprintf("docsnap: the server is full (%d sessions); try again in a few minutes.", s.cfg.MaxSessions)
	}
	s.sessions[ss] = struct{}{}
	return ""
}

func (s *Server) leave(ss *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, ss)
	s.checkDrainedLocked()
}

// Sessions is the number of sessions running now.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

// authState is what authentication learned about one connection: the role
// of each key the client offered, so that the session can look up the role
// of the key that signed in, and the log can name the keys that were
// refused.
type authState struct {
	mu      sync.Mutex
	roles   map[string]grant // by fingerprint
	refused []string         // fingerprints, in the order offered
}

type grant struct {
	role    Role
	comment string
}

type authKey struct{}

// onConnect runs first for every connection, before the handshake.
func (s *Server) onConnect(ctx ssh.Context, conn net.Conn) net.Conn {
	ctx.SetValue(authKey{}, &authState{roles: map[string]grant{}})
	s.conns.Store(conn.RemoteAddr().String(), ctx)
	return conn
}

// authenticate admits a public key the gate knows. There is no password or
// keyboard-interactive handler, so the server offers neither.
func (s *Server) authenticate(ctx ssh.Context, key ssh.PublicKey) bool {
	role, comment, err := s.gate.role(key)
	if err != nil {
		// A keys file became unreadable, malformed or too large: until it is fixed,
		// nobody it might list gets in (gate.role).
		s.log.Error("keys file", slog.String("error", err.Error()))
	}
	fp := Fingerprint(key)
	if st, ok := ctx.Value(authKey{}).(*authState); ok {
		st.mu.Lock()
		if role == RoleNone {
			st.refused = append(st.refused, fp)
		} else {
			st.roles[fp] = grant{role: role, comment: comment}
		}
		st.mu.Unlock()
	}
	return role != RoleNone
}

// onConnFailed logs a connection that did not authenticate (refused keys,
// no acceptable method, handshake errors). charm's ssh passes only the
// connection, so its context is found by remote address.
func (s *Server) onConnFailed(conn net.Conn, err error) {
	remote := conn.RemoteAddr().String()
	attrs := []any{slog.String("remote", remote), slog.String("error", err.Error())}
	if v, ok := s.conns.Load(remote); ok {
		ctx := v.(ssh.Context)
		if u, ok := ctx.Value(ssh.ContextKeyUser).(string); ok {
			attrs = append(attrs, slog.String("user", u))
		}
		if st, ok := ctx.Value(authKey{}).(*authState); ok {
			st.mu.Lock()
			if len(st.refused) > 0 {
				attrs = append(attrs, slog.Any("refused_keys", append([]string(nil), st.refused...)))
			}
			st.mu.Unlock()
		}
	}
	s.log.Info("connection refused", attrs...)
}

func (s *Server) onConnClosed(conn net.Conn) { s.conns.Delete(conn.RemoteAddr().String()) }

// roleOf returns the grant of the key that authenticated sess.
func roleOf(sess ssh.Session) (grant, bool) {
	k := sess.PublicKey()
	st, ok := sess.Context().Value(authKey{}).(*authState)
	if k == nil || !ok {
		return grant{}, false
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	g, ok := st.roles[Fingerprint(k)]
	return g, ok
}

// keyOf is a session's key fingerprint, for logs.
func keyOf(k gossh.PublicKey) string {
	if k == nil {
		return ""
	}
	return Fingerprint(k)
}
