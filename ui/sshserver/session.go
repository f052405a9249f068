package sshserver

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"
	"github.com/docsnap/docsnap/awsclient"
)

// Why a session ended, for its end record and its last line on screen.
const (
	endQuit     = "quit"     // the user quit, or the client went away
	endIdle     = "idle"     // no input for IdleTimeout
	endShutdown = "shutdown" // the server shut down
	endPanic    = "panic"    // the app panicked
	endRefused  = "refused"  // never started: no PTY, a command, server full or closing
	endError    = "error"    // never started: its world could not be opened
)

// session is one SSH session's state, shared by the middlewares and the
// server's shutdown.
type session struct {
	who   who
	start time.Time
	audit *auditClient // nil until the app starts
	app   tea.Model    // the app, once its program has ended (read only then)
	stop  []func()     // run when the session ends: end its calls, release its world, keep its app, stop the idle timer

	mu      sync.Mutex
	program *tea.Program
	notice  string // to show once the program runs
	ending  bool   // quit the program as soon as it runs
	reason  string
	detail  string // for the end line: the refusal, the error, the panic
}

// tell shows a notice on the session's screen.
func (ss *session) tell(notice string) {
	ss.mu.Lock()
	ss.notice = notice
	p := ss.program
	ss.mu.Unlock()
	if p != nil {
		// Send blocks until the event loop takes it (or the program ends).
		go p.Send(noticeMsg(notice))
	}
}

// end quits the session's program, recording why; the first reason wins.
func (ss *session) end(reason string) {
	ss.mu.Lock()
	if ss.reason == "" {
		ss.reason = reason
	}
	ss.ending = true
	p := ss.program
	ss.mu.Unlock()
	if p != nil {
		go p.Quit()
	}
}

// run records the program, then delivers what arrived before it existed.
func (ss *session) run(p *tea.Program) {
	ss.mu.Lock()
	ss.program = p
	notice, ending := ss.notice, ss.ending
	ss.mu.Unlock()
	if notice != "" {
		go p.Send(noticeMsg(notice))
	}
	if ending {
		go p.Quit()
	}
}

func (ss *session) refuse(reason, detail string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.reason, ss.detail = reason, detail
}

func (ss *session) outcome() (reason, detail string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.reason == "" {
		return endQuit, ""
	}
	return ss.reason, ss.detail
}

// The size of a terminal that reports none.
const defaultWidth, defaultHeight = 80, 24

// sessionOf is the state of sess. It is kept by session, not in the
// context, which the sessions multiplexed on one connection share.
func (s *Server) sessionOf(sess ssh.Session) *session {
	if c, ok := sess.(*cappedSession); ok { // the program's view of it
		sess = c.Session
	}
	ss, _ := s.states.Load(sess)
	return ss.(*session)
}

// middlewares are the session pipeline, outermost first (wish composes its
// list the other way round).
func (s *Server) middlewares() []wish.Middleware {
	mws := []wish.Middleware{
		s.recoverMiddleware,
		s.logMiddleware,
		s.terminalMiddleware,
		s.gateMiddleware,
		s.endMiddleware,
		s.windowMiddleware,
		bubbletea.MiddlewareWithProgramHandler(s.program),
	}
	for i, j := 0, len(mws)-1; i < j; i, j = i+1, j-1 {
		mws[i], mws[j] = mws[j], mws[i]
	}
	return mws
}

// panicLine is what a session that panicked is told, whichever part panicked.
const panicLine = "docsnap: an internal error ended this session; it has been logged."

// recoverMiddleware ends a session whose handler panics, with a message,
// and keeps the server running.
func (s *Server) recoverMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("session panic", slog.String("panic", fmt.Sprint(r)), slog.String("stack", string(debug.Stack())))
				fmt.Fprintln(sess.Stderr(), panicLine)
				_ = sess.Exit(1)
			}
		}()
		next(sess)
	}
}

// logMiddleware writes the start and end records of every session.
func (s *Server) logMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		g, _ := roleOf(sess)
		id := sess.Context().SessionID()
		if len(id) > 8 {
			id = id[:8]
		}
		ss := &session{
			who: who{
				session: fmt.Sprintf("%s-%d", id, s.seq.Add(1)),
				user:    sess.User(),
				key:     keyOf(sess.PublicKey()),
				comment: g.comment,
				remote:  sess.RemoteAddr().String(),
				role:    g.role,
				demo:    s.cfg.Demo,
			},
			start: time.Now(),
		}
		s.states.Store(sess, ss)
		defer s.states.Delete(sess)
		pty, _, hasPty := sess.Pty()
		attrs := ss.who.attrs()
		if hasPty {
			attrs = append(attrs, slog.String("term", pty.Term),
				slog.Int("width", pty.Window.Width), slog.Int("height", pty.Window.Height))
		}
		s.log.Info("session start", attrs...)
		defer func() {
			reason, detail := ss.outcome()
			attrs := append(ss.who.attrs(),
				slog.String("duration", time.Since(ss.start).Round(time.Millisecond).String()),
				slog.String("end", reason))
			if detail != "" {
				attrs = append(attrs, slog.String("detail", detail))
			}
			if ss.audit != nil {
				if fl := ss.audit.inFlight(); len(fl) > 0 {
					ids := make([]string, len(fl))
					for i, p := range fl {
						ids[i] = p.snapshot
					}
					attrs = append(attrs, slog.Any("snapshots_in_flight", ids))
				}
			}
			s.log.Info("session end", attrs...)
		}()
		next(sess)
	}
}

// terminalMiddleware refuses sessions the TUI cannot serve: without a PTY
// (`ssh -T`, scp, scripts), or asking for a command.
func (s *Server) terminalMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		_, _, hasPty := sess.Pty()
		switch {
		case !hasPty:
			s.refuse(sess, "docsnap is an interactive terminal app and this session has no terminal: "+
				"connect with `ssh -t` (and without -T).")
		case len(sess.Command()) > 0 || sess.Subsystem() != "":
			s.refuse(sess, "docsnap runs no commands over SSH: connect without one to open the app.")
		default:
			next(sess)
		}
	}
}

// gateMiddleware holds a slot for the session, or tells it the server is
// full or shutting down.
func (s *Server) gateMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		ss := s.sessionOf(sess)
		if why := s.admit(ss); why != "" {
			s.refuse(sess, why)
			return
		}
		defer s.leave(ss)
		next(sess)
	}
}

func (s *Server) refuse(sess ssh.Session, line string) {
	s.sessionOf(sess).refuse(endRefused, line)
	fmt.Fprintln(sess.Stderr(), line)
	_ = sess.Exit(1)
}

// endMiddleware runs after the program: it writes the session's last line
// when the server ended it, releases its world, and sets the exit status.
func (s *Server) endMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		ss := s.sessionOf(sess)
		next(sess)
		for _, stop := range ss.stop {
			stop()
		}
		reason, detail := ss.outcome()
		var lines []string
		code := 0
		switch reason {
		case endIdle:
			lines = append(lines, fmt.Sprintf("docsnap: session closed after %s without input.", s.cfg.IdleTimeout))
		case endShutdown:
			lines = append(lines, "docsnap: the server shut down.")
		case endPanic:
			lines = append(lines, panicLine)
			code = 1
		case endError:
			lines = append(lines, "docsnap: "+detail)
			code = 1
		}
		if r, ok := ss.app.(interface{ ExitReport() string }); ok && reason != endPanic {
			if report := strings.TrimRight(r.ExitReport(), "\n"); report != "" {
				lines = append(lines, report)
			}
		}
		if len(lines) > 0 {
			_, _ = io.WriteString(sess, strings.Join(lines, "\n")+"\n")
		}
		_ = sess.Exit(code)
	}
}

// program builds a session's app: its client (from the backend, audited,
// read-only when the key is), its model inside the frame, and the program
// with the session's terminal, size and colour profile.
func (s *Server) program(sess ssh.Session) *tea.Program {
	ss := s.sessionOf(sess)
	client, release, err := s.cfg.Backend(sess.Context())
	if err != nil {
		ss.refuse(endError, fmt.Sprintf("could not open the session's DocumentDB client: %v", err))
		return nil
	}
	ctx, cancel := context.WithCancel(sess.Context())
	ss.stop = append(ss.stop, cancel, release)
	ss.audit = newAuditClient(client, s.log, ss.who)
	app := AppConfig{Client: ss.audit, Demo: s.cfg.Demo, Context: ctx}
	if ss.who.role == RoleReadOnly {
		// Refused below the screens too: a read-only key cannot create a
		// snapshot even if a screen let it try.
		app.Client = awsclient.ReadOnly(ss.audit, ReadOnlyReason)
		app.ReadOnly = ReadOnlyReason
	}
	fr := &frame{app: s.cfg.NewApp(app)}
	if c, ok := sess.(*cappedSession); ok {
		fr.sized = c.sized
	}
	ss.stop = append(ss.stop, func() { ss.app = fr.app })
	if s.viewHook != nil {
		fr.onView = func(content string) { s.viewHook(ss, content) }
	}
	var failed atomic.Bool
	fr.fail = func(r any, stack []byte) {
		if failed.Swap(true) {
			return
		}
		s.log.Error("session panic", append(ss.who.attrs(),
			slog.String("panic", fmt.Sprint(r)), slog.String("stack", string(stack)))...)
		ss.refuse(endPanic, fmt.Sprint(r))
		ss.end(endPanic)
	}
	opts := append(bubbletea.MakeOptions(sess),
		// Signals belong to the server (shutdown), not to each program.
		tea.WithoutSignalHandler(),
		tea.WithFPS(s.cfg.FPS),
	)
	if pty, _, _ := sess.Pty(); pty.Window.Width <= 0 || pty.Window.Height <= 0 {
		// A client without a terminal of its own (ssh -tt from a script)
		// reports 0x0, which RFC 4254 says to ignore: assume the classic
		// size until a window change says otherwise.
		opts = append(opts, tea.WithWindowSize(defaultWidth, defaultHeight))
	}
	// Replaces MakeOptions' filter, so it does that filter's job too.
	opts = append(opts, tea.WithFilter(sessionFilter))
	if s.cfg.IdleTimeout > 0 {
		w := &idleWatch{timeout: s.cfg.IdleTimeout, now: s.now, afterFunc: s.afterFunc,
			expire: func() { ss.end(endIdle) }}
		w.start()
		ss.stop = append(ss.stop, w.stop)
		opts = append(opts, tea.WithInput(&activityReader{r: sess, w: w}))
	}
	p := tea.NewProgram(fr, opts...)
	ss.run(p)
	return p
}

// sessionFilter drops window sizes with a zero dimension (RFC 4254: to be
// ignored; the renderer would draw nothing), and, as wish's MakeOptions
// does, turns a suspend (ctrl+z) into a resume: a session has no job
// control.
func sessionFilter(_ tea.Model, msg tea.Msg) tea.Msg {
	switch msg := msg.(type) {
	case tea.SuspendMsg:
		return tea.ResumeMsg{}
	case tea.WindowSizeMsg:
		if msg.Width <= 0 || msg.Height <= 0 {
			return nil
		}
	}
	return msg
}
