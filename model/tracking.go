package model

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/model/track"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/awscli"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// The snapshots in flight, whatever screen is shown: their polls, the
// footer's tracker line, the notice when one finishes, and the report
// printed on exit.

// polled records a poll's answer, says when one finishes, and schedules the
// cluster's next poll while anything of it is in flight.
func (m *Model) polled(msg polledMsg) tea.Cmd {
	sc := msg.sc
	o := sc.tracker.Observe(msg.cluster, msg.req, msg.got, msg.err, m.cfg.Now())
	sc.notes[msg.cluster] = o.Note()
	var gone []string
	for _, s := range o.Finished {
		m.notice, m.noticeGood = finishedNotice(s, m.cfg.Now())
		if s.Gone {
			gone = append(gone, s.ID)
		}
	}
	m.fleet.polled(sc, msg.got, gone, m.cfg.Now())
	if !o.Continue {
		delete(sc.notes, msg.cluster)
		return nil
	}
	return m.cfg.After(o.Next, pollMsg{sc: sc, cluster: msg.cluster, seq: msg.seq})
}

// finishedNotice says that a snapshot finished, well or not.
func finishedNotice(s *track.Snapshot, now time.Time) (string, bool) {
	id := sanitize.String(s.ID)
	switch {
	case s.Gone:
		return "✗ Snapshot " + id + " no longer exists.", false
	case s.Failed():
		return "✗ Snapshot " + id + " failed: its status is " + sanitize.String(s.Status) + ".", false
	}
	return "✓ Snapshot " + id + " is available (took " + ui.Duration(s.Elapsed(now)) + ").", true
}

// trackedLine lists the snapshots in flight with their percent: those
// docsnap created and those it found being created; with several regions,
// each with its region.
func (m *Model) trackedLine() string {
	in := m.inFlight(false)
	if len(in) == 0 {
		return ""
	}
	s := m.styles
	parts := make([]string, len(in))
	for i, t := range in {
		parts[i] = sanitize.String(t.snap.ID) + " " + ui.Percent(t.snap.Percent)
		if t.snap.Elastic { // no percent: its status
			parts[i] = sanitize.String(t.snap.ID) + " " + sanitize.String(t.snap.Status)
		}
		if len(m.scopes) > 1 {
			parts[i] = sanitize.String(t.sc.target.Region) + "/" + parts[i]
		}
	}
	label := "Tracking: "
	return s.Busy.Render(ui.ToneBusy.Glyph()+" ") + s.Muted.Render(ui.Truncate(label+strings.Join(parts, " · "), m.width-2))
}

// ExitReport is what to print after the program exits: the snapshots
// docsnap created that are still being created, and those whose create had
// no answer, and how to follow them without docsnap. Empty when none.
func (m *Model) ExitReport() string {
	var b strings.Builder
	m.trackedReport(&b)
	m.unansweredReport(&b)
	return b.String()
}

// trackedReport is the exit report's part on the snapshots docsnap created
// that are still being created.
func (m *Model) trackedReport(b *strings.Builder) {
	in := m.inFlight(true)
	if len(in) == 0 {
		return
	}
	if m.cfg.Demo {
		b.WriteString("docsnap exited with snapshots in flight on the demo endpoint, which stopped with it:\n")
	} else {
		b.WriteString("AWS is still creating these snapshots (docsnap no longer follows them):\n")
	}
	for _, f := range in {
		s := f.snap
		progress := ", " + ui.Percent(s.Percent)
		if s.Elastic {
			progress = ""
		}
		b.WriteString("  " + sanitize.String(s.ID) + " of cluster " + sanitize.String(s.ClusterID) + ": " +
			sanitize.String(s.Status) + progress + "\n")
	}
	if !m.cfg.Demo {
		b.WriteString("Follow one with:\n")
		for _, f := range in {
			c := awscli.DescribeSnapshot(f.snap.ID, f.sc.target)
			if f.snap.Elastic {
				c = awscli.DescribeElasticSnapshot(f.snap.ARN, f.sc.target)
			}
			b.WriteString("  " + sanitize.String(c.String()) + "\n")
		}
	}
}

// unansweredReport is the exit report's part on the creates that had no
// answer: each snapshot may exist, and following it by its identifier
// tells (never sending another create).
func (m *Model) unansweredReport(b *strings.Builder) {
	for _, u := range m.unanswered() {
		id := storedID(u.in.SnapshotID, u.elastic) // as AWS stores it
		what := "docsnap quit before AWS answered its create"
		if !u.wire {
			what = "no answer came back to its create"
		}
		b.WriteString("Snapshot " + sanitize.String(id) + " of cluster " + sanitize.String(u.in.ClusterID) +
			" may have been created: " + what + ".\n")
		if m.cfg.Demo {
			b.WriteString("The demo endpoint stopped with docsnap: nothing more will happen to it.\n")
			continue
		}
		if u.elastic {
			// The elastic API finds a snapshot by ARN only, which a lost
			// answer did not give: its cluster's listing shows it.
			b.WriteString("See whether it was with:\n")
			b.WriteString("  " + sanitize.String(awscli.Docsnap(u.sc.target, "snapshots", u.in.ClusterID).String()) + "\n")
			continue
		}
		b.WriteString("Follow it (or learn that AWS has no such snapshot) with:\n")
		b.WriteString("  " + sanitize.String(awscli.Docsnap(u.sc.target, "snapshot", "wait", id).String()) + "\n")
		b.WriteString("or in docsnap:\n")
		b.WriteString("  " + sanitize.String(awscli.Docsnap(u.sc.target, "--watch", id).String()) + "\n")
	}
}

// unanswered are the creates whose snapshot may exist unbeknown to
// docsnap: the snapshot form's and the fleet's.
func (m *Model) unanswered() []sentCreate {
	return append(m.flow.unanswered(), m.fleet.unanswered()...)
}
