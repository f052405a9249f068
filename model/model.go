// Package model is docsnap's Elm-style model: the state of every screen,
// the messages that change it, Update, and the composition of the screens
// into a frame. Update does no I/O: every AWS call runs in a tea.Cmd through
// awsclient.Client (see cmds.go) and comes back as a message.
//
// A screen with state of its own is a component, as the snapshot flow
// (snapflow.go) and the progress screen (progress.go) are: a type holding
// that state, an Update and a View that read what they need of the root in
// a small env struct, and an action value, returned by Update, that the
// root carries out (send a call, change screens). The root keeps one field per component and routes its keys
// and messages to it.
package model

import (
	"context"
	"math/rand/v2"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/stamp"
	"github.com/docsnap/docsnap/ui"
)

// Config is what a Model is built from. Only Client (or Clients) is
// required.
type Config struct {
	// Client is how the model reaches DocumentDB.
	Client awsclient.Client
	// Clients, when set, replaces Client: several regions listed in one
	// table (a client each, in the order the header names them).
	Clients []awsclient.Client
	// Connect makes a client for a profile and a region (either may be
	// empty: the default chain's profile, the profile's region), for the
	// profile and region pickers and the :profile and :region commands. It
	// runs in a tea.Cmd, never in Update. nil: no switching.
	Connect func(profile, region string) (awsclient.Client, error)
	// Profiles lists the profiles the profile picker offers (it reads the
	// shared config files, in a tea.Cmd). nil: the picker has none.
	Profiles func() ([]awsclient.Profile, error)
	// Demo says the client talks to the embedded demo endpoint; the header
	// says so.
	Demo bool
	// ReadOnly, when not empty, forbids taking snapshots and is the sentence
	// shown to a user who tries (a read-only SSH key, --read-only). The
	// clients are wrapped so that no create can be sent at all.
	ReadOnly string
	// ReadOnlyProfiles are patterns (path.Match) of profile names that may
	// not take snapshots ("default" names the default chain's).
	ReadOnlyProfiles []string
	// Protect are patterns (path.Match) of cluster identifiers whose
	// snapshots need the cluster's name typed to confirm.
	Protect []string
	// ProtectTag is the tag that protects a cluster the same way; nil:
	// DefaultProtectTag. An empty Value matches any value.
	ProtectTag *awsclient.Tag
	// Watch, when set, opens on the progress of this snapshot (--watch),
	// found by describing it in each region.
	Watch string
	// Keys replaces the default key map (config file overrides); nil: the
	// defaults.
	Keys *ui.KeyMap
	// Now is the clock; nil: time.Now.
	Now func() time.Time
	// PollInterval is the time between two polls of a snapshot's progress;
	// 0: track.DefaultInterval.
	PollInterval time.Duration
	// Rand returns numbers in [0, 1) for the jitter of polls; nil: a random
	// source.
	Rand func() float64
	// After returns a command that delivers msg after d; nil: tea.Tick.
	// Tests replace it to send the messages themselves instead of waiting.
	After func(d time.Duration, msg tea.Msg) tea.Cmd
	// CallTimeout bounds each call to AWS, so that no call can hang a
	// screen; 0: 45 seconds.
	CallTimeout time.Duration
	// Context is the life of the model's work: once it ends (the SSH
	// session closed), its calls and timers in flight stop at once instead
	// of at their deadlines. nil: context.Background(), for as long as the
	// process runs.
	Context context.Context
	// Theme forces a dark, light or high-contrast palette; ThemeAuto asks
	// the terminal.
	Theme ui.Theme
	// SnapshotQuota is the manual cluster snapshots a region may hold, which
	// the snapshots view counts against; 0: DefaultSnapshotQuota.
	SnapshotQuota int
	// Concurrency bounds the creates of a fleet (a snapshot of each marked
	// cluster) on the wire at once; 0: fleet.DefaultConcurrency.
	Concurrency int
}

// DefaultProtectTag is the tag that marks a protected cluster unless
// Config.ProtectTag says otherwise.
var DefaultProtectTag = awsclient.Tag{Key: "docsnap:protected", Value: "true"}

// DefaultCallTimeout bounds each call when Config.CallTimeout is zero; it
// is longer than the client's own (which includes its retries).
const DefaultCallTimeout = 45 * time.Second

type screen int

const (
	screenClusters screen = iota
	screenCluster
	screenSnapshot // the snapshot flow: its form and confirmation
	screenProgress
	screenPicker
	screenSnapshots // the snapshots view and its copy, delete and share screens
	screenFleet     // the fleet flow: its form, confirmation and multi-progress view
)

// Model is the whole state of a docsnap session.
type Model struct {
	cfg    Config
	keys   ui.KeyMap
	styles *ui.Styles
	help   help.Model

	width, height int
	helpCache     struct {
		key   helpKey
		lines []string
	}
	screen   screen
	showHelp bool

	scopes    []*scope // every account and region seen, in order
	active    []*scope // those the list shows, one a region
	switchSeq stamp.Seq
	switching string // what a switch in progress connects to

	list    clusterList
	detail  clusterDetail
	picker  picker
	cmdline cmdline
	flow    snapFlow // the snapshot form, its confirmation, its create
	snaps   snapsView
	fleet   fleetFlow

	progress progressScreen   // the progress of one snapshot
	mine     map[snapKey]bool // the snapshots docsnap created

	env        tea.EnvMsg // the terminal's environment (the client's, over SSH)
	notice     string     // a one-line notice (a snapshot finished), until the next key
	noticeGood bool       // ...good news
	status     string     // a one-line error or hint about the last action
	quitAsk    bool       // asking whether to quit with snapshots in flight
	spinSeq    stamp.Seq
	spinning   bool
	frame      int
}

// New builds a model from cfg, filling in the defaults.
func New(cfg Config) *Model {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Float64
	}
	if cfg.Context == nil {
		cfg.Context = context.Background()
	}
	if cfg.After == nil {
		cfg.After = func(d time.Duration, msg tea.Msg) tea.Cmd { return after(cfg.Context, d, msg) }
	}
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = DefaultCallTimeout
	}
	if cfg.SnapshotQuota <= 0 {
		cfg.SnapshotQuota = DefaultSnapshotQuota
	}
	if cfg.ProtectTag == nil {
		cfg.ProtectTag = &DefaultProtectTag
	}
	clients := cfg.Clients
	if len(clients) == 0 {
		clients = []awsclient.Client{cfg.Client}
	}
	m := &Model{
		cfg:  cfg,
		keys: ui.DefaultKeyMap(),
		help: help.New(),
		mine: map[snapKey]bool{},
	}
	if cfg.Keys != nil {
		m.keys = *cfg.Keys
	}
	m.setStyles(true)
	m.list.init()
	m.picker.init()
	m.cmdline.init()
	m.flow.init()
	m.snaps.init()
	m.fleet.init()
	m.activate(clients)
	return m
}

func (m *Model) setStyles(terminalDark bool) {
	m.styles = m.cfg.Theme.Styles(terminalDark)
	m.help.Styles = m.styles.Help
	m.help.Ellipsis = ui.Ellipsis
}

// Init asks the terminal for its background colour and starts listing the
// clusters (and, with --watch, finding the snapshot to watch).
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.list.start(m), m.spin()}
	if m.cfg.Theme.Follows() {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	if m.cfg.Watch != "" {
		cmds = append(cmds, m.startWatch(m.cfg.Watch))
	}
	return tea.Batch(cmds...)
}

// Update changes the model for one message. It does no I/O.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	m.fit()
	return m, tea.Batch(cmd, m.list.planDetails(m), m.spin(), m.clock(), m.planShares())
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	if s, ok := msg.(stamped); ok && !s.fresh(m) {
		if r, ok := msg.(releaser); ok {
			return r.release(m)
		}
		return nil
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = max(msg.Width, 0), max(msg.Height, 0)
		return nil
	case tea.BackgroundColorMsg:
		m.setStyles(msg.IsDark())
		return nil
	case tea.EnvMsg:
		m.env = msg
		return nil
	case spinMsg:
		m.spinning = false
		m.frame++
		return nil
	case clockMsg:
		m.progress.ticking = false
		return nil
	case clustersPageMsg:
		return m.list.page(m, msg)
	case listRetryMsg:
		return m.list.retry(m, msg)
	case discoveredMsg:
		return m.adopt(msg.sc, msg.snaps)
	case tagsMsg:
		return m.list.tagsArrived(m, msg)
	case elasticDetailsMsg:
		m.list.detailsArrived(msg)
		return nil
	case globalsMsg:
		m.list.globalsArrived(msg)
		return nil
	case instancesMsg, elasticClusterMsg, snapshotsMsg, clusterTagsMsg:
		return m.detailArrived(msg)
	case protectMsg, createdMsg:
		return m.carry(m.flow.Update(m.flowEnv(), msg))
	case copyConnectedMsg:
		if msg.err == nil {
			msg.sc = m.scopeFor(msg.client)
		}
		return m.carrySnaps(m.snaps.Update(m.snapsEnv(), msg))
	case snapsPageMsg, sharesMsg, deletedMsg, sharedMsg, copiedMsg:
		return m.carrySnaps(m.snaps.Update(m.snapsEnv(), msg))
	case fleetCheckedMsg:
		return m.carryFleet(m.fleet.checked(m.fleetEnv(), msg))
	case fleetCreatedMsg:
		return m.carryFleet(m.fleet.created(msg, m.cfg.Now()))
	case fleetTickMsg:
		return m.carryFleet(m.fleet.tick(m.cfg.Now()))
	case pollMsg:
		if req, ok := msg.sc.tracker.Begin(msg.cluster, msg.seq); ok {
			return m.poll(msg.sc, msg.seq, req)
		}
		return nil
	case polledMsg:
		return m.polled(msg)
	case watchedMsg:
		return m.watched(msg)
	case connectedMsg:
		return m.connected(msg)
	case profilesMsg:
		m.profilesArrived(msg)
		return nil
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.PasteMsg:
		return m.paste(msg)
	case tea.MouseWheelMsg:
		return m.wheel(msg)
	case tea.MouseClickMsg:
		return m.click(msg)
	}
	return nil
}

// key handles a key press: the quit question first, then the screen's keys.
func (m *Model) key(k tea.KeyPressMsg) tea.Cmd {
	m.notice = ""
	if m.quitAsk {
		switch {
		case key.Matches(k, m.keys.Yes), key.Matches(k, m.keys.ForceQuit):
			return tea.Quit
		case key.Matches(k, m.keys.No):
			m.quitAsk = false
		}
		return nil
	}
	if key.Matches(k, m.keys.ForceQuit) {
		return m.quit()
	}
	if m.cmdline.on {
		return m.cmdlineKey(k)
	}
	switch m.screen {
	case screenClusters:
		return m.clustersKey(k)
	case screenPicker:
		return m.pickerKey(k)
	case screenCluster:
		return m.clusterKey(k)
	case screenSnapshot:
		return m.carry(m.flow.Update(m.flowEnv(), k))
	case screenSnapshots:
		return m.snapsKey(k)
	case screenFleet:
		if m.fleet.stage == fleetProgress {
			if cmd, ok := m.commonKey(k); ok {
				return cmd
			}
		}
		return m.carryFleet(m.fleet.Update(m.fleetEnv(), k))
	case screenProgress:
		if cmd, ok := m.commonKey(k); ok {
			return cmd
		}
		return m.carryProgress(m.progress.Update(m.progressEnv(), k))
	}
	return nil
}

// commonKey handles the keys every screen without a text field shares.
func (m *Model) commonKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	switch {
	case key.Matches(k, m.keys.Quit):
		return m.quit(), true
	case key.Matches(k, m.keys.Help):
		m.showHelp = !m.showHelp
		return nil, true
	}
	return nil, false
}

// quit quits at once, or asks first while snapshots are in flight or a
// create has no answer: AWS keeps creating them, and the user should know
// how to follow them.
func (m *Model) quit() tea.Cmd {
	if len(m.inFlight(true)) > 0 || len(m.unanswered()) > 0 || m.fleet.sending() {
		m.quitAsk = true
		return nil
	}
	return tea.Quit
}

func (m *Model) paste(p tea.PasteMsg) tea.Cmd {
	switch {
	case m.cmdline.on:
		ui.Edit(&m.cmdline.input, p)
	case m.screen == screenSnapshot:
		m.flow.Update(m.flowEnv(), p)
	case m.screen == screenSnapshots:
		m.snaps.Update(m.snapsEnv(), p)
	case m.screen == screenFleet:
		m.fleet.Update(m.fleetEnv(), p)
	case m.screen == screenPicker:
		ui.Edit(&m.picker.input, p)
		m.picker.refilter()
	case m.screen == screenClusters && m.list.filtering:
		ui.Edit(&m.list.input, p)
		return m.list.applyFilter(m)
	}
	return nil
}

// busy reports whether something is loading or being sent: only then does
// the spinner turn. A guard not yet known on the confirmation is reading
// the cluster's tags.
func (m *Model) busy() bool {
	return m.list.loading || m.detail.loading() || m.flow.busy(m.screen == screenSnapshot) || m.list.tagBusy ||
		m.switching != "" || m.picker.loading || m.progress.looking() || m.snaps.busy() ||
		m.fleet.checking && m.screen == screenFleet
}

// spin schedules the spinner's next frame while busy; nothing when idle.
func (m *Model) spin() tea.Cmd {
	if !m.busy() || m.spinning {
		return nil
	}
	m.spinning = true
	return m.cfg.After(spinInterval, spinMsg{seq: m.spinSeq.Next()})
}

// clock schedules the progress screen's next redraw of the elapsed time,
// when it is shown and wants one.
func (m *Model) clock() tea.Cmd {
	if m.screen != screenProgress {
		return nil
	}
	if seq, ok := m.progress.tick(); ok {
		return m.cfg.After(time.Second, clockMsg{seq: seq})
	}
	return nil
}

const spinInterval = 100 * time.Millisecond

var spinFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

func (m *Model) spinner() string { return spinFrames[m.frame%len(spinFrames)] }

// Pending is a snapshot still being created when docsnap quit.
type Pending struct {
	ID, ClusterID string
	Percent       int
	Status        string
}

// InFlight lists the snapshots docsnap created that are still being
// created.
func (m *Model) InFlight() []Pending {
	var out []Pending
	for _, f := range m.inFlight(true) {
		s := f.snap
		out = append(out, Pending{ID: s.ID, ClusterID: s.ClusterID, Percent: s.Percent, Status: s.Status})
	}
	return out
}

// Target is where the model's client points (the first region's, when the
// list shows several).
func (m *Model) Target() awsclient.Target { return m.active[0].target }

func (m *Model) wheel(msg tea.MouseWheelMsg) tea.Cmd {
	delta := 0
	switch msg.Button {
	case tea.MouseWheelUp:
		delta = -3
	case tea.MouseWheelDown:
		delta = 3
	}
	switch m.screen {
	case screenClusters:
		m.list.cur.Move(delta)
	case screenCluster:
		m.detail.cur.Move(delta)
	case screenPicker:
		m.picker.cur.Move(delta)
	case screenSnapshots:
		if m.snaps.stage == snapsList {
			m.snaps.cur.Move(delta)
		}
	}
	return nil
}

// click selects the clicked row of the clusters table.
func (m *Model) click(msg tea.MouseClickMsg) tea.Cmd {
	if m.screen != screenClusters || msg.Button != tea.MouseLeft {
		return nil
	}
	if i, ok := m.list.lay.rowAt(msg.Y-1, &m.list.cur); ok { // the body starts under the header
		m.list.cur.Set(i)
	}
	return nil
}
