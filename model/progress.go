package model

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/model/stamp"
	"github.com/docsnap/docsnap/model/track"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/awscli"
	"github.com/docsnap/docsnap/ui/sanitize"
)

func (m *Model) progressKey(k tea.KeyPressMsg) tea.Cmd {
	if cmd, ok := m.commonKey(k); ok {
		return cmd
	}
	switch {
	case key.Matches(k, m.keys.ToList):
		m.screen = screenClusters
		m.lookup = nil
	case key.Matches(k, m.keys.CheckNow):
		if m.lookup != nil && m.lookup.left == 0 {
			return m.startWatch(m.lookup.id) // the lookup failed: try again
		}
		s, ok := m.watchedSnap()
		if !ok {
			return nil
		}
		sc := m.watching.sc
		if seq, ok := sc.tracker.Now(s.ClusterID); ok {
			return send(pollMsg{sc: sc, cluster: s.ClusterID, seq: seq})
		}
	case key.Matches(k, m.keys.Copy), key.Matches(k, m.keys.CopyARN):
		if s, ok := m.watchedSnap(); ok {
			return m.copy(key.Matches(k, m.keys.CopyARN), "snapshot", sanitize.String(s.ID), sanitize.String(s.ARN))
		}
	}
	return nil
}

// watchedSnap is the snapshot on the progress screen, once known.
func (m *Model) watchedSnap() (*track.Snapshot, bool) {
	if m.watching.sc == nil {
		return nil, false
	}
	return m.watching.sc.tracker.Get(m.watching.id)
}

// watchLookup is --watch finding its snapshot: described in every region
// at once, the first that knows it wins.
type watchLookup struct {
	seq  stamp.Seq
	id   string
	left int             // regions not answered yet
	errs []regionFailure // the failures, in the order they came
}

// regionFailure is one region's failure to describe the --watch snapshot.
type regionFailure struct {
	sc  *scope
	err error
}

// startWatch opens the progress screen on a snapshot given by identifier,
// and describes it in every active region to find its cluster.
func (m *Model) startWatch(id string) tea.Cmd {
	m.screen, m.watching = screenProgress, snapKey{}
	m.lookup = &watchLookup{seq: m.lookupSeq.Next(), id: id, left: len(m.active)}
	var cmds []tea.Cmd
	for _, sc := range m.active {
		cmds = append(cmds, m.describeIn(m.lookup.seq, sc, id))
	}
	return tea.Batch(cmds...)
}

// watched takes one region's answer to the --watch lookup.
func (m *Model) watched(msg watchedMsg) tea.Cmd {
	l := m.lookup
	if msg.err != nil {
		l.left--
		l.errs = append(l.errs, regionFailure{msg.sc, msg.err})
		return nil
	}
	m.lookup = nil
	s := msg.snap
	m.watching = snapKey{msg.sc, s.ID}
	return m.follow(msg.sc, s, false)
}

// polled records a poll's answer, says when one finishes, and schedules the
// cluster's next poll while anything of it is in flight.
func (m *Model) polled(msg polledMsg) tea.Cmd {
	sc := msg.sc
	o := sc.tracker.Observe(msg.cluster, msg.req, msg.got, msg.err, m.cfg.Now())
	sc.notes[msg.cluster] = o.Note()
	for _, s := range o.Finished {
		m.notice, m.noticeGood = finishedNotice(s, m.cfg.Now())
	}
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
		if len(m.scopes) > 1 {
			parts[i] = sanitize.String(t.sc.target.Region) + "/" + parts[i]
		}
	}
	label := "Tracking: "
	return s.Busy.Render(ui.ToneBusy.Glyph()+" ") + s.Muted.Render(ui.Truncate(label+strings.Join(parts, " · "), m.width-2))
}

// terminalProgress mirrors the watched snapshot in the terminal's own
// progress indicator (where the terminal has one).
func (m *Model) terminalProgress() *tea.ProgressBar {
	t, ok := m.watchedSnap()
	if !ok {
		return nil
	}
	switch {
	case t.Failed():
		return tea.NewProgressBar(tea.ProgressBarError, t.Percent)
	case t.Done():
		return nil
	}
	return tea.NewProgressBar(tea.ProgressBarDefault, t.Percent)
}

func (m *Model) progressView(b *strings.Builder, height int) {
	s := m.styles
	w := m.width
	t, ok := m.watchedSnap()
	if !ok {
		m.writeBlock(b, m.lookupLines(), height, 1)
		return
	}
	now := m.cfg.Now()
	id := sanitize.String(t.ID)
	var lines []string
	add := func(l string) { lines = append(lines, l) }
	add(s.Heading.Render("Snapshot " + id))
	of := "of cluster " + sanitize.String(t.ClusterID)
	if m.multi() || m.watching.sc != m.active[0] {
		of += " in " + sanitize.String(m.watching.sc.target.Region)
	}
	if !m.mine[m.watching] {
		of += " · not started by this docsnap"
	}
	add(s.Muted.Render(of))
	add("")
	// The percent follows the status rather than ending the bar: the
	// renderer rewrites a line from its first changed cell to its last, so
	// a percent after the bar would resend the rest of the bar at every
	// step (BenchmarkBytesPerProgressStep).
	add(s.Bar(t.Percent, max(min(w-4, 60), 6)))
	status := s.Status(sanitize.String(t.Status), 0) + s.Muted.Render(" · ") + ui.Percent(t.Percent)
	switch {
	case t.Done() && !t.Failed():
		add(status + s.Muted.Render(" · took "+ui.Duration(t.Elapsed(now))))
		add("")
		add(s.Good.Render("✓ The snapshot is available."))
		label := func(l string) string { return s.Muted.Render(ui.Fit(l, 6)) }
		add(label("ARN") + sanitize.String(t.ARN))
		add(label("Took") + ui.Duration(t.Elapsed(now)))
	case t.Failed():
		add(status + s.Muted.Render(" · after "+ui.Duration(t.Elapsed(now))))
		add("")
		if t.Gone {
			add(s.Bad.Render("✗ The snapshot no longer exists: AWS does not find it."))
		} else {
			add(s.Bad.Render("✗ The snapshot failed: its status is " + sanitize.String(t.Status) + "."))
		}
		add("Look at the cluster's events in the AWS console (or `aws docdb describe-events`), then take a new snapshot.")
	default:
		info := " · elapsed " + ui.Duration(t.Elapsed(now))
		if eta, ok := t.ETA(now); ok {
			if eta < 5e9 {
				info += " · finishing"
			} else {
				info += " · about " + ui.Duration(eta) + " left"
			}
		}
		add(status + s.Muted.Render(info))
		add("")
		if t.Err != nil {
			for _, l := range m.errorLines("Could not check the progress.", t.Err, "") {
				add(l)
			}
		}
		if note := m.watching.sc.notes[t.ClusterID]; note != "" {
			add(s.Warn.Render(sanitize.String(note) + " Press " + keyName(m.keys.CheckNow) + " to check now."))
		} else {
			add(s.Muted.Render("Checked every " + ui.Duration(m.watching.sc.tracker.Interval) + ". AWS goes on if you leave: " + keyName(m.keys.ToList) + " returns to the list."))
		}
	}
	var wrapped []string
	for _, l := range lines {
		for _, wl := range wrapStyled(l, w-2) {
			wrapped = append(wrapped, " "+wl)
		}
	}
	m.writeBlock(b, wrapped, height, 0)
}

// lookupLines are the progress screen's while --watch looks for its
// snapshot, or once no region knows it.
func (m *Model) lookupLines() []string {
	l := m.lookup
	if l == nil {
		return nil
	}
	s := m.styles
	id := sanitize.String(l.id)
	if l.left > 0 {
		return []string{s.Muted.Render(m.spinner() + " Looking for snapshot " + id + " in " + sanitize.String(strings.Join(m.regions(), ", ")) + "…")}
	}
	var lines []string
	if len(l.errs) == 1 {
		lines = m.errorLines("Could not watch snapshot "+id+".", l.errs[0].err, "")
	} else {
		lines = []string{s.Bad.Render("✗ Could not watch snapshot " + id + ": no region knows it.")}
		for _, f := range l.errs {
			sentence, _, _ := explain(f.err)
			lines = append(lines, s.Muted.Render(sanitize.String(f.sc.target.Region)+": ")+sentence)
		}
	}
	return append(lines, "", s.Muted.Render("Check the identifier (aws docdb describe-db-cluster-snapshots lists them), press "+
		keyName(m.keys.CheckNow)+" to look again, or "+keyName(m.keys.ToList)+" for the list."))
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
		b.WriteString("  " + sanitize.String(s.ID) + " of cluster " + sanitize.String(s.ClusterID) + ": " +
			sanitize.String(s.Status) + ", " + ui.Percent(s.Percent) + "\n")
	}
	if !m.cfg.Demo {
		b.WriteString("Follow one with:\n")
		for _, f := range in {
			b.WriteString("  " + sanitize.String(awscli.DescribeSnapshot(f.snap.ID, f.sc.target).String()) + "\n")
		}
	}
}

// unansweredReport is the exit report's part on the creates that had no
// answer: each snapshot may exist, and following it by its identifier
// tells (never sending another create).
func (m *Model) unansweredReport(b *strings.Builder) {
	for _, u := range m.flow.unanswered() {
		id := strings.ToLower(u.in.SnapshotID) // as AWS stores it
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
		b.WriteString("Follow it (or learn that AWS has no such snapshot) with:\n")
		b.WriteString("  " + sanitize.String(awscli.Docsnap(u.sc.target, "snapshot", "wait", id).String()) + "\n")
		b.WriteString("or in docsnap:\n")
		b.WriteString("  " + sanitize.String(awscli.Docsnap(u.sc.target, "--watch", id).String()) + "\n")
	}
}
