package model

import (
	"path"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/stamp"
	"github.com/docsnap/docsnap/model/track"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// scope is one account and region docsnap talks to: its client, and the
// tracker that follows the snapshots being created there. The list shows
// the active scopes (one a region); a scope left behind by a switch lives
// on while snapshots of it are in flight, so that their polls still go to
// the client of their own account and region.
type scope struct {
	target awsclient.Target
	client awsclient.Client // wrapped by awsclient.ReadOnly when readOnly is set
	// readOnly, when not empty, is why no snapshot may be taken here.
	readOnly string
	tracker  *track.Tracker
	notes    map[string]string // cluster -> why its polls are late
}

// scopeFor returns the scope of client's target, reusing the one already
// known (its tracker and its snapshots in flight) and taking the new client.
func (m *Model) scopeFor(client awsclient.Client) *scope {
	t := client.Target()
	reason := m.cfg.ReadOnlyReason(t.Profile)
	if reason != "" {
		client = awsclient.ReadOnly(client, reason)
	}
	for _, sc := range m.scopes {
		if sc.target == t {
			sc.client, sc.readOnly = client, reason
			return sc
		}
	}
	sc := &scope{target: t, client: client, readOnly: reason,
		tracker: track.New(m.cfg.PollInterval, m.cfg.Rand), notes: map[string]string{}}
	m.scopes = append(m.scopes, sc)
	return sc
}

// ReadOnlyReason says why a profile may not take snapshots: ReadOnly
// (--read-only, the config file's read-only, a read-only SSH key) for every
// profile, or a ReadOnlyProfiles pattern; "" when it may. The scriptable
// commands decide with it too.
func (c Config) ReadOnlyReason(profile string) string {
	if c.ReadOnly != "" {
		return c.ReadOnly
	}
	name := profileName(profile)
	for _, p := range c.ReadOnlyProfiles {
		if ok, _ := path.Match(p, name); ok {
			return "The profile " + sanitize.String(name) + " is read-only (read-only-profiles " + sanitize.String(p) +
				" in the config file): docsnap does not take snapshots with it."
		}
	}
	return ""
}

// profileName names a profile for people: the default chain's is "default".
func profileName(p string) string {
	if p == "" {
		return "default"
	}
	return p
}

// multi reports whether the list shows several regions.
func (m *Model) multi() bool { return len(m.active) > 1 }

// readOnly is why the active scopes may not take snapshots, if so.
func (m *Model) readOnly() string {
	if len(m.active) == 0 {
		return m.cfg.ReadOnly
	}
	return m.active[0].readOnly
}

// regions are the active scopes' regions, in order.
func (m *Model) regions() []string {
	out := make([]string, len(m.active))
	for i, sc := range m.active {
		out[i] = sc.target.Region
	}
	return out
}

// cannotSwitch says in the status line why switching is not possible
// here, and reports whether it is not: without Config.Connect (an SSH
// session: its client is the server's, audited).
func (m *Model) cannotSwitch() bool {
	if m.cfg.Connect != nil {
		return false
	}
	m.status = "Switching is not available here: this docsnap was started for one account and region."
	return true
}

// connectedMsg is the answer to a switch: a client per region, or the
// reason there is none.
type connectedMsg struct {
	seq     stamp.Seq
	clients []awsclient.Client
	err     error
	what    string // "profile ops", "eu-west-1"
}

func (msg connectedMsg) fresh(m *Model) bool { return m.switchSeq.Fresh(msg.seq) }

// switchTo connects to profile in regions (the current ones when nil) and,
// once connected, lists the clusters there. Connect runs in the command:
// loading a profile reads files, and may start an SSO token refresh.
func (m *Model) switchTo(profile string, regions []string, what string) tea.Cmd {
	if m.cannotSwitch() {
		return nil
	}
	if regions == nil {
		regions = m.regions()
	}
	m.switching = what
	m.status = ""
	seq, connect := m.switchSeq.Next(), m.cfg.Connect
	return func() tea.Msg {
		msg := connectedMsg{seq: seq, what: what}
		for _, r := range regions {
			c, err := connect(profile, r)
			if err != nil {
				msg.err = err
				return msg
			}
			msg.clients = append(msg.clients, c)
		}
		return msg
	}
}

// connected takes a switch's clients: the list starts over with them.
func (m *Model) connected(msg connectedMsg) tea.Cmd {
	m.switching = ""
	if msg.err != nil {
		sentence, _, _ := explain(msg.err)
		hint := hintOf(msg.err, m.retryKey())
		m.status = "Could not switch to " + msg.what + ": " + strings.TrimSpace(sentence+" "+hint)
		return nil
	}
	m.activate(msg.clients)
	if m.screen == screenCluster || m.screen == screenPicker {
		m.screen = screenClusters // what it showed was of the old scopes
	}
	m.detail = clusterDetail{seq: m.detail.seq.Next()}
	m.notice, m.noticeGood = "Switched to "+msg.what+".", true
	return m.list.start(m)
}

// activate makes clients the list's scopes.
func (m *Model) activate(clients []awsclient.Client) {
	m.active = m.active[:0]
	for _, c := range clients {
		sc := m.scopeFor(c)
		if !slices.Contains(m.active, sc) {
			m.active = append(m.active, sc)
		}
	}
	m.list.reset(m)
}

// inFlightSnap is a snapshot being created, with its scope.
type inFlightSnap struct {
	sc   *scope
	snap *track.Snapshot
	mine bool // docsnap created it (others were found being created)
}

// inFlight lists the snapshots being created that docsnap follows, scope
// by scope; with mineOnly, only those docsnap created.
func (m *Model) inFlight(mineOnly bool) []inFlightSnap {
	var out []inFlightSnap
	for _, sc := range m.scopes {
		for _, s := range sc.tracker.InFlight() {
			mine := m.mine[snapKey{sc, s.ID}]
			if mine || !mineOnly {
				out = append(out, inFlightSnap{sc: sc, snap: s, mine: mine})
			}
		}
	}
	return out
}

// snapKey names a snapshot: identifiers are unique per account and region.
type snapKey struct {
	sc *scope
	id string
}

// follow starts following a snapshot of sc, and schedules its cluster's
// first poll when none is scheduled. Its time runs from now when docsnap
// started it (mine), else from when AWS says it began: now again when AWS
// gives no time, or one ahead of this clock.
func (m *Model) follow(sc *scope, s awsclient.Snapshot, mine bool) tea.Cmd {
	started := m.cfg.Now()
	if mine {
		m.mine[snapKey{sc, s.ID}] = true
	} else if !s.Created.IsZero() && !s.Created.After(started) {
		started = s.Created
	}
	seq, delay, start := sc.tracker.Add(s, started)
	if !start {
		return nil
	}
	return m.cfg.After(delay, pollMsg{sc: sc, cluster: s.ClusterID, seq: seq})
}

// adopt follows the snapshots of sc found being created that docsnap did
// not start (the console, a backup window, another operator), from when AWS
// says they began.
func (m *Model) adopt(sc *scope, snaps []awsclient.Snapshot) tea.Cmd {
	var cmds []tea.Cmd
	for _, s := range snaps {
		if s.Status != awsclient.StatusCreating && s.Status != awsclient.StatusElasticCreating {
			continue
		}
		if _, known := sc.tracker.Get(s.ID); known {
			continue
		}
		cmds = append(cmds, m.follow(sc, s, false))
	}
	return tea.Batch(cmds...)
}

// describeIn describes a snapshot in one scope, for --watch.
func (m *Model) describeIn(seq stamp.Seq, sc *scope, id string) tea.Cmd {
	client := sc.client
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		s, err := client.Snapshot(ctx, id)
		return watchedMsg{seq: seq, sc: sc, snap: s, err: err}
	}
}
