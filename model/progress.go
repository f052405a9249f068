package model

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
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
	case key.Matches(k, m.keys.CheckNow):
		s, ok := m.tracker.Get(m.watching)
		if !ok {
			return nil
		}
		if token, ok := m.tracker.Now(s.ClusterID); ok {
			return send(pollMsg{cluster: s.ClusterID, token: token})
		}
	}
	return nil
}

// polled records a poll's answer, says when one finishes, and schedules the
// cluster's next poll while anything of it is in flight.
func (m *Model) polled(msg polledMsg) tea.Cmd {
	o := m.tracker.Observe(msg.cluster, msg.req, msg.got, msg.err, m.cfg.Now())
	m.pollNotes[msg.cluster] = o.Note()
	for _, s := range o.Finished {
		m.notice, m.noticeGood = finishedNotice(s, m.cfg.Now())
	}
	if !o.Continue {
		delete(m.pollNotes, msg.cluster)
		return nil
	}
	return m.cfg.After(o.Next, pollMsg{cluster: msg.cluster, token: msg.token})
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

// trackedLine lists the snapshots in flight with their percent.
func (m *Model) trackedLine() string {
	in := m.tracker.InFlight()
	if len(in) == 0 {
		return ""
	}
	s := m.styles
	parts := make([]string, len(in))
	for i, t := range in {
		parts[i] = sanitize.String(t.ID) + " " + ui.Percent(t.Percent)
	}
	label := "Tracking: "
	return s.Busy.Render("◐ ") + s.Muted.Render(ui.Truncate(label+strings.Join(parts, " · "), m.width-2))
}

// terminalProgress mirrors the watched snapshot in the terminal's own
// progress indicator (where the terminal has one).
func (m *Model) terminalProgress() *tea.ProgressBar {
	t, ok := m.tracker.Get(m.watching)
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
	t, ok := m.tracker.Get(m.watching)
	if !ok {
		m.writeBlock(b, nil, height, 0)
		return
	}
	now := m.cfg.Now()
	id := sanitize.String(t.ID)
	var lines []string
	add := func(l string) { lines = append(lines, l) }
	add(s.Heading.Render("Snapshot " + id))
	add(s.Muted.Render("of cluster " + sanitize.String(t.ClusterID)))
	add("")
	barW := max(min(w-4, 60), 6)
	add(s.BarWithPercent(t.Percent, barW))
	status := s.Status(sanitize.String(t.Status), 0)
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
		if note := m.pollNotes[t.ClusterID]; note != "" {
			add(s.Warn.Render(sanitize.String(note) + " Press r to check now."))
		} else {
			add(s.Muted.Render("Checked every " + ui.Duration(m.tracker.Interval) + ". AWS goes on if you leave: esc returns to the list."))
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

// ExitReport is what to print after the program exits: the snapshots still
// being created, and how to follow them without docsnap. Empty when none.
func (m *Model) ExitReport() string {
	in := m.tracker.InFlight()
	if len(in) == 0 {
		return ""
	}
	var b strings.Builder
	if m.cfg.Demo {
		b.WriteString("docsnap exited with snapshots in flight on the demo endpoint, which stopped with it:\n")
	} else {
		b.WriteString("AWS is still creating these snapshots (docsnap no longer follows them):\n")
	}
	for _, s := range in {
		b.WriteString("  " + sanitize.String(s.ID) + " of cluster " + sanitize.String(s.ClusterID) + ": " +
			sanitize.String(s.Status) + ", " + ui.Percent(s.Percent) + "\n")
	}
	if !m.cfg.Demo {
		b.WriteString("Follow one with:\n")
		for _, s := range in {
			b.WriteString("  " + sanitize.String(awscli.DescribeSnapshot(s.ID, m.target).String()) + "\n")
		}
	}
	return b.String()
}
