package sshserver

import "charm.land/ssh"

// The largest window a session is drawn in. The client chooses its window
// size, and Bubble Tea keeps two screen buffers of that many cells (about
// 110 bytes each), at connect and at every resize: a 10000x10000 request
// alone would take gigabytes. 400x150 is a 4K screen at a small font, and
// costs about 15 MiB a session; a larger window is drawn at this size, in
// its top left corner.
const maxWidth, maxHeight = 400, 150

// capWindow is w with its size capped at maxWidth x maxHeight.
func capWindow(w ssh.Window) ssh.Window {
	w.Width, w.Height = min(w.Width, maxWidth), min(w.Height, maxHeight)
	return w
}

// cappedSession is an SSH session whose terminal reports its window size
// capped, at connect and at every window change, to the program: its first
// size, and the resizes wish's middleware sends it.
type cappedSession struct {
	ssh.Session
	windows chan ssh.Window
	sized   chan struct{} // closed by the program's frame when it has its first size
}

func (s *cappedSession) Pty() (ssh.Pty, <-chan ssh.Window, bool) {
	pty, _, ok := s.Session.Pty()
	pty.Window = capWindow(pty.Window)
	return pty, s.windows, ok
}

// windowMiddleware gives the program a session whose window is capped, and
// ends the session when the client closes it: the program would otherwise
// run on, holding its screen buffers, until the connection closes, which a
// client multiplexing sessions over one connection may never do.
func (s *Server) windowMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		_, changes, _ := sess.Pty() // every session here has a PTY (terminalMiddleware)
		ss := s.sessionOf(sess)
		capped := &cappedSession{Session: sess, windows: make(chan ssh.Window), sized: make(chan struct{})}
		done := make(chan struct{})
		defer close(done)
		go func() {
			// The SSH library puts the PTY request's window first: the
			// program starts at that size and sends it to itself, from a
			// goroutine of its own. So it is not sent twice, and resizes
			// wait until the program has it: arriving later, that first
			// size would undo them.
			first := true
			for {
				select {
				case w, open := <-changes:
					if !open {
						// The SSH library closes it when the client
						// closes the session.
						ss.end(endQuit)
						return
					}
					if first {
						first = false
						continue
					}
					select {
					case <-capped.sized:
					case <-done:
						return
					}
					select {
					case capped.windows <- capWindow(w):
					case <-done:
						return
					}
				case <-done:
					return
				}
			}
		}()
		next(capped)
	}
}
