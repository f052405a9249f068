package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"charm.land/bubbles/v2/progress"
	"github.com/charmbracelet/x/ansi"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/track"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// follow waits for a snapshot to finish, polling its progress through the
// tracker the TUI uses (same intervals, jitter and backoff), and reporting
// it on stderr. It returns the snapshot as last described and the exit
// status: ExitOK when it is available, ExitFailed when it failed or is gone,
// ExitTimedOut when timeout (0: none) passed first, ExitInterrupted when
// ctx ended, or the status of an error that polling again will not cure.
func (c *command) follow(ctx context.Context, conn Conn, first awsclient.Snapshot, timeout time.Duration) (awsclient.Snapshot, int) {
	env := c.env
	tr := track.New(conn.Poll, env.Rand)
	start := env.Now()
	token, delay, polling := tr.Add(first, start)
	s, _ := tr.Get(first.ID)
	last := first
	p := env.progressFor(env.Stderr)
	p.update(s, start)

	var deadline time.Time
	if timeout > 0 {
		deadline = start.Add(timeout)
	}
	said := map[awsclient.Kind]bool{} // what has been said about failed polls
	polls := 0
	next := start.Add(delay)
	for polling {
		if !deadline.IsZero() && next.After(deadline) {
			next = deadline // one last look at the deadline
		}
		for now := env.Now(); now.Before(next); now = env.Now() {
			d := next.Sub(now)
			if p.ticks() {
				d = min(d, time.Second)
			}
			if err := env.Sleep(ctx, d); err != nil {
				p.end()
				return last, c.stopped(conn, s, "interrupted")
			}
			p.tick(s, env.Now())
		}
		req, ok := tr.Begin(first.ClusterID, token)
		if !ok {
			break // nothing left in flight
		}
		got, err := conn.Client.Snapshot(ctx, req.Snapshot, req.Type)
		if ctx.Err() != nil {
			p.end()
			return last, c.stopped(conn, s, "interrupted")
		}
		polls++
		now := env.Now()
		var seen []awsclient.Snapshot
		if err == nil {
			last, seen = got, []awsclient.Snapshot{got}
		}
		o := tr.Observe(first.ClusterID, req, seen, err, now)
		if len(o.Changed) > 0 {
			p.update(s, now)
		}
		if o.Err != nil {
			kind := awsclient.KindOf(o.Err)
			if !kind.Retryable() {
				p.end()
				explain(env.Stderr, c.fs.Name(), o.Err)
				fmt.Fprintf(env.Stderr, "Stopped waiting for snapshot %s.\n", sanitize.String(s.ID))
				c.howToFollow(conn, s.ID, "AWS goes on creating it; follow it with")
				return last, exitStatus(o.Err)
			}
			if !said[kind] { // once: the tracker backs off, polling goes on
				said[kind] = true
				p.note(sanitize.String(o.Note()), now)
			}
		}
		if !o.Continue {
			break
		}
		if !deadline.IsZero() && !now.Before(deadline) {
			p.end()
			return last, c.stopped(conn, s, "timed out")
		}
		next = now.Add(o.Next)
	}
	p.end()
	return last, c.finished(s, polls)
}

// stopped says that docsnap stopped waiting (interrupted, or timed out)
// while AWS goes on, and how to follow the snapshot.
func (c *command) stopped(conn Conn, s *track.Snapshot, why string) int {
	now := c.env.Now()
	fmt.Fprintf(c.env.Stderr, "%s: %s after %s: stopped waiting for snapshot %s (%s, %s).\n",
		c.fs.Name(), why, ui.Duration(s.Elapsed(now)), sanitize.String(s.ID), sanitize.String(s.Status), ui.Percent(s.Percent))
	c.howToFollow(conn, s.ID, "AWS goes on creating it; follow it with")
	if why == "timed out" {
		return ExitTimedOut
	}
	return ExitInterrupted
}

// finished says how a snapshot ended and returns the exit status.
func (c *command) finished(s *track.Snapshot, polls int) int {
	w, id := c.env.Stderr, sanitize.String(s.ID)
	took := ui.Duration(s.Elapsed(s.Finished))
	switch {
	case s.Gone:
		fmt.Fprintf(w, "%s: snapshot %s no longer exists: AWS does not find it (after %s).\n", c.fs.Name(), id, took)
	case s.Failed():
		fmt.Fprintf(w, "%s: snapshot %s failed: its status is %s (after %s).\n", c.fs.Name(), id, sanitize.String(s.Status), took)
	case polls == 0:
		fmt.Fprintf(w, "Snapshot %s is available.\n", id)
		return ExitOK
	default:
		fmt.Fprintf(w, "Snapshot %s is available (took %s).\n", id, took)
		return ExitOK
	}
	fmt.Fprintf(w, "Look at the cluster's events (aws docdb describe-events --source-type db-cluster --source-identifier %s), then take a new snapshot.\n",
		sanitize.String(s.ClusterID))
	return ExitFailed
}

// progressView shows a snapshot's progress while docsnap waits.
type progressView interface {
	// ticks reports whether the view wants tick every second (to move its
	// elapsed time) rather than only when something changes.
	ticks() bool
	update(s *track.Snapshot, now time.Time) // the percent or the status changed
	tick(s *track.Snapshot, now time.Time)   // time passed
	note(msg string, now time.Time)          // something to say once
	end()                                    // the waiting is over
}

// progressFor is a bar, rewritten in place, when w is a terminal; else
// lines for logs.
func (env *Env) progressFor(w io.Writer) progressView {
	if !env.IsTerminal(w) {
		return lines{w: w}
	}
	model := progress.New(progress.WithoutPercentage(), progress.WithFillCharacters('█', '░'), progress.WithColors(ansi.Blue))
	model.EmptyColor = ansi.BrightBlack
	return &bar{w: w, width: func() int { return env.Width(w) }, paints: env.paintsFor(w), model: model}
}

// lines writes one line per change, for CI logs:
//
//	2026-11-29T05:30:00Z payments-prod-2026-11-29-0530 creating 37% elapsed 1m10s eta 2m00s
type lines struct{ w io.Writer }

func (lines) ticks() bool                      { return false }
func (lines) tick(*track.Snapshot, time.Time)  {}
func (lines) end()                             {}
func (l lines) note(msg string, now time.Time) { fmt.Fprintln(l.w, stamp(now), msg) }
func (l lines) update(s *track.Snapshot, now time.Time) {
	eta, ok := s.ETA(now)
	fmt.Fprintln(l.w, logLine(now, s.ID, s.Status, s.Percent, s.Elapsed(now), eta, ok))
}

// logLine is the line of one change of a snapshot, for logs.
func logLine(now time.Time, id, status string, percent int, elapsed, eta time.Duration, hasETA bool) string {
	line := fmt.Sprintf("%s %s %s %s elapsed %s", stamp(now), sanitize.String(id), sanitize.String(status),
		ui.Percent(percent), ui.Duration(elapsed))
	if hasETA {
		line += " eta " + ui.Duration(eta)
	}
	return line
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// bar is one line on a terminal, rewritten in place with a carriage return:
// the snapshot, a Bubbles progress bar drawn from the percent (never
// animated), the status, the elapsed time and the estimate. It is fitted to
// the terminal's width on every draw, so a resize never leaves a wrapped
// line behind, and it needs no raw mode and no input: Ctrl-C stays a signal.
type bar struct {
	w      io.Writer
	width  func() int
	paints paints
	model  progress.Model
	drawn  bool
	last   *track.Snapshot
}

func (b *bar) ticks() bool { return true }

func (b *bar) update(s *track.Snapshot, now time.Time) { b.draw(s, now) }
func (b *bar) tick(s *track.Snapshot, now time.Time)   { b.draw(s, now) }

func (b *bar) note(msg string, now time.Time) {
	io.WriteString(b.w, "\r"+ansi.EraseLineRight+msg+"\n")
	b.drawn = false
	if b.last != nil {
		b.draw(b.last, now)
	}
}

func (b *bar) end() {
	if b.drawn {
		io.WriteString(b.w, "\n")
		b.drawn = false
	}
}

// Sizes of the bar, in cells.
const (
	minBar = 10
	maxBar = 40
)

func (b *bar) draw(s *track.Snapshot, now time.Time) {
	b.last = s
	id, status := sanitize.String(s.ID), sanitize.String(s.Status)
	percent := " " + ui.PadLeft(ui.Percent(s.Percent), 4) + "  "
	// What follows the status, least needed last.
	infos := []string{" · elapsed " + ui.Duration(s.Elapsed(now))}
	if eta, ok := s.ETA(now); ok {
		left := " · about " + ui.Duration(eta) + " left"
		if eta < 5*time.Second {
			left = " · finishing"
		}
		infos = append(infos, left)
	}
	// Never the last column: some terminals wrap as soon as it is written.
	// The bar takes a third of what the identifier leaves, so that its
	// width stays put while the text after it changes; that text loses its
	// least needed parts first when it does not fit. Where the identifier
	// leaves no room for the bar, it goes (create printed it above).
	room := max(b.width()-1, 1)
	head := id + " "
	if (room-ui.Width(head))/3 < minBar {
		head = ""
	}
	drawn := ""
	if w := min((room-ui.Width(head))/3, maxBar); w >= minBar {
		b.model.SetWidth(w)
		drawn = b.model.ViewAs(float64(s.Percent) / 100)
		if !b.paints.on {
			drawn = ansi.Strip(drawn)
		}
	}
	info := ""
	for n := len(infos); n >= 0; n-- {
		info = strings.Join(infos[:n], "")
		if ui.Width(head+drawn+percent+status+info) <= room {
			break
		}
	}
	line := ui.Truncate(strings.TrimLeft(head+drawn+percent, " ")+b.paints.status(status, status)+info, room)
	if b.paints.on {
		line += ansi.ResetStyle // in case the cut fell inside a colour
	}
	io.WriteString(b.w, "\r"+line+ansi.EraseLineRight)
	b.drawn = true
}
