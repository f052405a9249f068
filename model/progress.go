package model

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/model/stamp"
	"github.com/docsnap/docsnap/model/track"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// The progress screen is one component: the snapshot it shows, followed
// by its region's tracker, or --watch looking for one in every region. It
// reads what it needs of the root in a progressEnv, and asks the root for
// what is outside it (the list, a describe in each region, a poll now, the
// clipboard) with the progressAction its calls return.

// progressScreen is the progress screen's state.
type progressScreen struct {
	watching  snapKey      // the snapshot shown, once known
	lookup    *watchLookup // --watch: finding the snapshot
	lookupSeq stamp.Seq    // numbers the lookups
	clockSeq  stamp.Seq    // numbers the redraws of the elapsed time
	ticking   bool         // a redraw is scheduled
}

// progressEnv is what the progress screen reads of the root; the root
// builds it afresh for each call.
type progressEnv struct {
	keys    *ui.KeyMap
	styles  *ui.Styles
	width   int
	now     time.Time
	spinner string
	active  []*scope         // the regions shown: --watch looks in each
	mine    map[snapKey]bool // the snapshots docsnap created
}

// progressAction is what the progress screen asks the root to do; the
// zero value asks nothing.
type progressAction struct {
	toList bool
	look   *lookRequest // describe a snapshot in every active region
	poll   *pollMsg     // poll the snapshot's cluster now
	copy   *copyRequest
}

// lookRequest asks for a snapshot to be described in every active region.
type lookRequest struct {
	seq stamp.Seq
	id  string
}

// copyRequest asks for the snapshot's identifier, or ARN, on the clipboard.
type copyRequest struct {
	arn         bool
	id, arnText string
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

// show shows a snapshot whose scope follows it.
func (p *progressScreen) show(k snapKey) {
	p.watching, p.lookup = k, nil
}

// watch starts looking for a snapshot given by identifier in every active
// region, to find its cluster.
func (p *progressScreen) watch(env progressEnv, id string) progressAction {
	p.watching = snapKey{}
	p.lookup = &watchLookup{seq: p.lookupSeq.Next(), id: id, left: len(env.active)}
	return progressAction{look: &lookRequest{seq: p.lookup.seq, id: id}}
}

// looking reports whether the lookup still awaits answers.
func (p *progressScreen) looking() bool { return p.lookup != nil && p.lookup.left > 0 }

// freshLookup reports whether an answer numbered seq is awaited: none is
// once a region found the snapshot or every region answered.
func (p *progressScreen) freshLookup(seq stamp.Seq) bool {
	return p.looking() && p.lookup.seq.Fresh(seq)
}

// watched takes one region's answer to the lookup, and reports the
// snapshot when that region knows it.
func (p *progressScreen) watched(msg watchedMsg) (snapKey, bool) {
	if msg.err != nil {
		p.lookup.left--
		p.lookup.errs = append(p.lookup.errs, regionFailure{msg.sc, msg.err})
		return snapKey{}, false
	}
	k := snapKey{msg.sc, msg.snap.ID}
	p.show(k)
	return k, true
}

// snap is the snapshot shown, once known.
func (p *progressScreen) snap() (*track.Snapshot, bool) {
	if p.watching.sc == nil {
		return nil, false
	}
	return p.watching.sc.tracker.Get(p.watching.id)
}

// tick numbers the next redraw of the elapsed time, once a second while
// the snapshot shown is in flight, and reports whether one is due: none is
// while one is scheduled, or when nothing moves.
func (p *progressScreen) tick() (stamp.Seq, bool) {
	if p.ticking {
		return 0, false
	}
	if s, ok := p.snap(); !ok || s.Done() {
		return 0, false
	}
	p.ticking = true
	return p.clockSeq.Next(), true
}

// canCheck reports whether check now does something: poll the snapshot in
// flight, or look again for a --watch snapshot not found.
func (p *progressScreen) canCheck() bool {
	t, ok := p.snap()
	return ok && !t.Done() || p.lookup != nil && p.lookup.left == 0
}

// Update handles a key; the keys every screen shares are the root's.
func (p *progressScreen) Update(env progressEnv, k tea.KeyPressMsg) progressAction {
	switch {
	case key.Matches(k, env.keys.ToList):
		p.lookup = nil
		return progressAction{toList: true}
	case key.Matches(k, env.keys.CheckNow):
		if p.lookup != nil && p.lookup.left == 0 {
			return p.watch(env, p.lookup.id) // the lookup failed: try again
		}
		s, ok := p.snap()
		if !ok {
			return progressAction{}
		}
		sc := p.watching.sc
		if seq, ok := sc.tracker.Now(s.ClusterID); ok {
			return progressAction{poll: &pollMsg{sc: sc, cluster: s.ClusterID, seq: seq}}
		}
	case key.Matches(k, env.keys.Copy), key.Matches(k, env.keys.CopyARN):
		if s, ok := p.snap(); ok {
			return progressAction{copy: &copyRequest{arn: key.Matches(k, env.keys.CopyARN),
				id: sanitize.String(s.ID), arnText: sanitize.String(s.ARN)}}
		}
	}
	return progressAction{}
}

// terminalProgress mirrors the snapshot shown in the terminal's own
// progress indicator (where the terminal has one).
func (p *progressScreen) terminalProgress() *tea.ProgressBar {
	t, ok := p.snap()
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

// View draws the screen in height lines.
func (p *progressScreen) View(env progressEnv, b *strings.Builder, height int) {
	s := env.styles
	w := env.width
	t, ok := p.snap()
	if !ok {
		writeBlock(b, p.lookupLines(env), w, height, 1)
		return
	}
	now := env.now
	sc := p.watching.sc
	id := sanitize.String(t.ID)
	var lines []string
	add := func(l string) { lines = append(lines, l) }
	add(s.Heading.Render("Snapshot " + id))
	of := "of cluster " + sanitize.String(t.ClusterID)
	if len(env.active) > 1 || sc != env.active[0] {
		of += " in " + sanitize.String(sc.target.Region)
	}
	if !env.mine[p.watching] {
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
			for _, l := range errorLines(s, env.keys.CheckNow, "Could not check the progress.", t.Err, "") {
				add(l)
			}
		}
		if note := sc.notes[t.ClusterID]; note != "" {
			add(s.Warn.Render(sanitize.String(note) + " Press " + keyName(env.keys.CheckNow) + " to check now."))
		} else {
			add(s.Muted.Render("Checked every " + ui.Duration(sc.tracker.Interval) + ". AWS goes on if you leave: " + keyName(env.keys.ToList) + " returns to the list."))
		}
	}
	var wrapped []string
	for _, l := range lines {
		for _, wl := range wrapStyled(l, w-2) {
			wrapped = append(wrapped, " "+wl)
		}
	}
	writeBlock(b, wrapped, w, height, 0)
}

// lookupLines are the screen's while --watch looks for its snapshot, or
// once no region knows it.
func (p *progressScreen) lookupLines(env progressEnv) []string {
	l := p.lookup
	if l == nil {
		return nil
	}
	s := env.styles
	id := sanitize.String(l.id)
	if l.left > 0 {
		regions := make([]string, len(env.active))
		for i, sc := range env.active {
			regions[i] = sc.target.Region
		}
		return []string{s.Muted.Render(env.spinner + " Looking for snapshot " + id + " in " + sanitize.String(strings.Join(regions, ", ")) + "…")}
	}
	var lines []string
	if len(l.errs) == 1 {
		lines = errorLines(s, env.keys.CheckNow, "Could not watch snapshot "+id+".", l.errs[0].err, "")
	} else {
		lines = []string{s.Bad.Render("✗ Could not watch snapshot " + id + ": no region knows it.")}
		for _, f := range l.errs {
			sentence, _, _ := explain(f.err)
			lines = append(lines, s.Muted.Render(sanitize.String(f.sc.target.Region)+": ")+sentence)
		}
	}
	return append(lines, "", s.Muted.Render("Check the identifier (aws docdb describe-db-cluster-snapshots lists them), press "+
		keyName(env.keys.CheckNow)+" to look again, or "+keyName(env.keys.ToList)+" for the list."))
}

// The root's side of the progress screen.

// progressEnv is what the progress screen may read of the model now.
func (m *Model) progressEnv() progressEnv {
	return progressEnv{keys: &m.keys, styles: m.styles, width: m.width, now: m.cfg.Now(),
		spinner: m.spinner(), active: m.active, mine: m.mine}
}

// startWatch opens the progress screen on a snapshot given by identifier.
func (m *Model) startWatch(id string) tea.Cmd {
	m.screen = screenProgress
	return m.carryProgress(m.progress.watch(m.progressEnv(), id))
}

// watched takes one region's answer to the --watch lookup.
func (m *Model) watched(msg watchedMsg) tea.Cmd {
	if _, found := m.progress.watched(msg); !found {
		return nil
	}
	return m.follow(msg.sc, msg.snap, false)
}

// carryProgress does what the progress screen asked.
func (m *Model) carryProgress(a progressAction) tea.Cmd {
	switch {
	case a.toList:
		m.screen = screenClusters
	case a.look != nil:
		cmds := make([]tea.Cmd, len(m.active))
		for i, sc := range m.active {
			cmds[i] = m.describeIn(a.look.seq, sc, a.look.id)
		}
		return tea.Batch(cmds...)
	case a.poll != nil:
		return send(*a.poll)
	case a.copy != nil:
		return m.copy(a.copy.arn, "snapshot", a.copy.id, a.copy.arnText)
	}
	return nil
}
