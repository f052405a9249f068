package model

import (
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/cursor"
	fleets "github.com/docsnap/docsnap/model/fleet" // the tests name their clusters fleet()
	"github.com/docsnap/docsnap/model/form"
	"github.com/docsnap/docsnap/model/stamp"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// The fleet flow is one component: a snapshot of each marked cluster. Its
// form (one identifier template, shared tags, every expansion checked
// live with package fleet's plan), its confirmation (every create, the
// protected clusters, one typed confirmation, the AWS CLI script), and the
// multi-progress view of the batch being sent (package fleet's Batch). It
// reads the root in a fleetEnv and asks it for calls, timers and screens
// with the fleetAction its calls return.

// fleetStage is which of its screens the flow shows.
type fleetStage int

const (
	fleetForm fleetStage = iota
	fleetConfirm
	fleetProgress
)

// fleetFlow is the state of the fleet flow. Its batch outlives the
// screen: esc leaves it sending, and the root's trackers follow its
// snapshots.
type fleetFlow struct {
	stage   fleetStage
	form    *form.Form
	targets []row         // the marked clusters, in the plan's order
	at      time.Time     // the time the template expands with, fixed when the form opens
	items   []fleets.Item // the plan, worked out again on every edit
	cur     cursor.Cursor

	// What opening the form checks in a command: the snapshots of the
	// marked clusters (an expansion may exist already) and the tags that
	// tell whether they are protected.
	checkSeq  stamp.Seq
	checking  bool
	existing  map[string]bool // region and identifier of the snapshots found
	checkErrs []string        // the clusters whose snapshots could not be listed, and why
	protected []protectedRow  // the protected marked clusters (or those whose tags could not be read)

	confirm textinput.Model // the number of clusters, typed when any is protected
	off     int             // the confirmation's scroll

	batch    *fleets.Batch
	scopes   map[string]*scope // where each item's create goes, by identifier
	tickSeq  stamp.Seq         // numbers the timers of the batch's waits
	tickAt   time.Time         // when the scheduled timer fires; zero: none
	progress cursor.Cursor     // the multi-progress view's rows
}

// protectedRow is a marked cluster that needs the typed confirmation.
type protectedRow struct {
	id, why string
}

// fleetEnv is what the flow reads of the root; the root builds it afresh
// for each call.
type fleetEnv struct {
	keys        *ui.KeyMap
	styles      *ui.Styles
	width       int
	now         time.Time
	spinner     string
	demo        bool
	concurrency int
	protect     []string
	protectTag  awsclient.Tag
	rand        func() float64
}

// fleetAction is what the flow asks the root to do; the zero value asks
// nothing.
type fleetAction struct {
	move       bool
	to         screen
	check      *fleetCheck
	tags       []learnedTags
	sends      []createRequest
	tick       *fleetTickMsg // schedule it after tickIn
	tickIn     time.Duration
	follow     []sentSnapshot
	clearMarks bool
}

// fleetCheck asks for the snapshots and, where needed, the tags of the
// marked clusters.
type fleetCheck struct {
	seq  stamp.Seq
	rows []row
	tags []bool // rows[i]'s tags are needed
}

// fleetCheckedMsg answers a fleetCheck, one result a row.
type fleetCheckedMsg struct {
	seq     stamp.Seq
	results []fleetCheckResult
}

type fleetCheckResult struct {
	snaps    []awsclient.Snapshot
	snapsErr error
	tags     []awsclient.Tag
	tagsRead bool
	tagsErr  error
}

// fleetCreatedMsg is the answer to one create of a batch.
type fleetCreatedMsg struct {
	batch *fleets.Batch
	sc    *scope
	in    awsclient.CreateSnapshotInput
	snap  awsclient.Snapshot
	err   error
}

// fleetTickMsg says the batch's wait (a backoff after throttling, a
// resend's pause) is over.
type fleetTickMsg struct{ seq stamp.Seq }

func (msg fleetTickMsg) fresh(m *Model) bool { return m.fleet.tickSeq.Fresh(msg.seq) }

func (fl *fleetFlow) init() {
	fl.confirm = newField(16)
}

// busy reports whether a sending batch's creates are being sent, or
// waiting to be; the root's quit asks first then.
func (fl *fleetFlow) sending() bool {
	if fl.batch == nil {
		return false
	}
	return fl.batch.Summary(time.Time{}).Pending > 0
}

// open starts the form for the marked rows. refused, when not empty, says
// why not, and the flow is unchanged.
func (fl *fleetFlow) open(env fleetEnv, marked []row) (a fleetAction, refused string) {
	for _, r := range marked {
		if r.sc.readOnly != "" {
			return a, r.sc.readOnly
		}
	}
	if fl.sending() {
		return a, "A batch is still being sent: wait for it (its snapshots are in the footer) before starting another."
	}
	k := env.keys
	fl.form = form.NewTemplate(fleets.DefaultTemplate, form.Keys{Next: k.NextField, Prev: k.PrevField, AddTag: k.AddTag, DeleteTag: k.DeleteTag})
	fl.targets, fl.at, fl.stage = marked, env.now, fleetForm
	fl.existing, fl.checkErrs, fl.protected = map[string]bool{}, nil, nil
	fl.cur = cursor.Cursor{}
	fl.cur.SetLen(len(marked))
	fl.replan()
	check := &fleetCheck{seq: fl.checkSeq.Next(), rows: marked, tags: make([]bool, len(marked))}
	for i := range marked {
		protected, known, why := protection(&marked[i], env.protect, env.protectTag)
		switch {
		case !known:
			check.tags[i] = true
		case protected:
			fl.protected = append(fl.protected, protectedRow{id: marked[i].c.ID, why: why})
		}
	}
	fl.checking = true
	return fleetAction{move: true, to: screenFleet, check: check}, ""
}

// replan expands the template for every marked cluster and checks each
// expansion.
func (fl *fleetFlow) replan() {
	targets := make([]fleets.Target, len(fl.targets))
	for i, r := range fl.targets {
		c := r.c
		c.ID = r.id // the identifier as AWS sent it: it is what is sent
		targets[i] = fleets.Target{Cluster: c}
	}
	fl.items = fleets.Plan(fl.form.ID().Value(), targets, fl.at, func(region, id string) bool {
		return fl.existing[region+"\x00"+id]
	})
}

// checked takes what the check found.
func (fl *fleetFlow) checked(env fleetEnv, msg fleetCheckedMsg) fleetAction {
	if !fl.checkSeq.Fresh(msg.seq) || !fl.checking {
		return fleetAction{}
	}
	fl.checking = false
	var a fleetAction
	for i, res := range msg.results {
		r := &fl.targets[i]
		if res.snapsErr != nil {
			sentence, _, _ := explain(res.snapsErr)
			fl.checkErrs = append(fl.checkErrs, r.c.ID+": "+strings.TrimSuffix(sentence, "."))
		}
		for _, s := range res.snaps {
			fl.existing[r.c.Region+"\x00"+s.ID] = true
		}
		if !res.tagsRead {
			continue
		}
		if res.tagsErr != nil {
			sentence, _, _ := explain(res.tagsErr)
			fl.protected = append(fl.protected, protectedRow{id: r.c.ID,
				why: "its tags could not be read to tell (" + strings.TrimSuffix(sentence, ".") + ")"})
			continue
		}
		tags := sanitize.Tags(res.tags)
		if protected, why := tagProtects(env.protectTag, tags); protected {
			fl.protected = append(fl.protected, protectedRow{id: r.c.ID, why: why})
		}
		a.tags = append(a.tags, learnedTags{sc: r.sc, id: r.id, tags: tags})
	}
	fl.replan()
	return a
}

// Update takes a key or a paste while the flow is on screen.
func (fl *fleetFlow) Update(env fleetEnv, msg tea.Msg) fleetAction {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch fl.stage {
		case fleetForm:
			return fl.formKey(env, msg)
		case fleetConfirm:
			return fl.confirmKey(env, msg)
		}
		return fl.progressKey(env, msg)
	case tea.PasteMsg:
		switch {
		case fl.stage == fleetForm:
			fl.form.Update(msg)
			fl.replan()
		case fl.stage == fleetConfirm && fl.typing():
			ui.Edit(&fl.confirm, msg)
		}
	}
	return fleetAction{}
}

func (fl *fleetFlow) formKey(env fleetEnv, k tea.KeyPressMsg) fleetAction {
	keys := env.keys
	switch {
	case key.Matches(k, keys.Back):
		fl.form, fl.checking = nil, false
		return fleetAction{move: true, to: screenClusters}
	case key.Matches(k, keys.Review):
		if fl.ready() {
			fl.stage, fl.off = fleetConfirm, 0
			fl.confirm.SetValue("")
			fl.confirm.Focus()
		}
		return fleetAction{}
	case k.String() == "up":
		fl.cur.Move(-1)
		return fleetAction{}
	case k.String() == "down":
		fl.cur.Move(1)
		return fleetAction{}
	case k.String() == "pgup":
		fl.cur.PageUp()
		return fleetAction{}
	case k.String() == "pgdown":
		fl.cur.PageDown()
		return fleetAction{}
	}
	fl.form.Update(k)
	fl.replan()
	return fleetAction{}
}

// ready reports whether the plan may go to the confirmation: checked, the
// tags valid, no expansion with a problem.
func (fl *fleetFlow) ready() bool {
	ok, _ := fleets.Sendable(fl.items)
	return !fl.checking && fl.form.Valid() && ok && len(fl.items) > 0
}

// typing reports whether the confirmation asks for the number typed.
func (fl *fleetFlow) typing() bool { return len(fl.protected) > 0 }

// satisfied reports whether the batch may be sent.
func (fl *fleetFlow) satisfied() bool {
	return !fl.typing() || fl.confirm.Value() == strconv.Itoa(len(fl.items))
}

func (fl *fleetFlow) confirmKey(env fleetEnv, k tea.KeyPressMsg) fleetAction {
	keys := env.keys
	typing := fl.typing()
	switch {
	case key.Matches(k, keys.Create):
		if fl.satisfied() {
			return fl.send(env)
		}
	case key.Matches(k, keys.Edit):
		fl.stage = fleetForm
	case k.String() == "up", !typing && key.Matches(k, keys.Up):
		fl.off--
	case k.String() == "down", !typing && key.Matches(k, keys.Down):
		fl.off++
	case typing:
		ui.Edit(&fl.confirm, k)
	}
	return fleetAction{}
}

// send starts the batch: the marks are spent, and the first creates go.
func (fl *fleetFlow) send(env fleetEnv) fleetAction {
	in := fl.form.Input()
	fl.batch = fleets.NewBatch(fl.items, env.concurrency, in.Tags, fleets.NewBatchID(env.now, env.rand))
	fl.batch.Rand = env.rand
	fl.scopes = make(map[string]*scope, len(fl.items))
	for i, it := range fl.items {
		fl.scopes[it.ID] = fl.targets[i].sc
	}
	fl.stage, fl.form = fleetProgress, nil
	fl.progress = cursor.Cursor{}
	fl.progress.SetLen(len(fl.items))
	fl.tickAt = time.Time{}
	a := fl.pump(env.now)
	a.clearMarks = true
	return a
}

// pump asks for the creates the batch has to send now, and for a timer to
// its next wait when it has one.
func (fl *fleetFlow) pump(now time.Time) fleetAction {
	var a fleetAction
	for _, in := range fl.batch.Next(now) {
		a.sends = append(a.sends, createRequest{sc: fl.scopes[in.SnapshotID], in: in})
	}
	wait := fl.batch.Wait(now)
	if wait == fleets.Idle {
		return a
	}
	at := now.Add(wait)
	if !fl.tickAt.IsZero() && !fl.tickAt.After(at) {
		return a // a timer already fires by then
	}
	fl.tickAt = at
	a.tick, a.tickIn = &fleetTickMsg{seq: fl.tickSeq.Next()}, wait
	return a
}

// tick takes the timer of the batch's wait.
func (fl *fleetFlow) tick(now time.Time) fleetAction {
	fl.tickAt = time.Time{}
	if fl.batch == nil {
		return fleetAction{}
	}
	return fl.pump(now)
}

// created takes a create's answer; the snapshot made is followed by its
// region's tracker (the footer, the polls).
func (fl *fleetFlow) created(msg fleetCreatedMsg, now time.Time) fleetAction {
	if msg.batch != fl.batch || fl.batch == nil {
		return fleetAction{}
	}
	id := msg.in.SnapshotID
	fl.batch.Answered(id, msg.snap, msg.err, now)
	a := fl.pump(now)
	if msg.err == nil {
		if r, ok := fl.batch.Row(id, now); ok && r.Status != fleets.StatusSending {
			a.follow = append(a.follow, sentSnapshot{sc: msg.sc, snap: r.Snapshot})
		}
	}
	return a
}

// polled passes a poll's answer on to the batch: the progress of its
// snapshots, and those the tracker now counts as gone.
func (fl *fleetFlow) polled(sc *scope, got []awsclient.Snapshot, gone []string, now time.Time) {
	if fl.batch == nil {
		return
	}
	for _, s := range got {
		if fl.scopes[s.ID] == sc {
			fl.batch.Polled(s.ID, s, nil, now)
		}
	}
	for _, id := range gone {
		if fl.scopes[id] == sc {
			fl.batch.Polled(id, awsclient.Snapshot{}, &awsclient.Error{Kind: awsclient.KindSnapshotNotFound,
				Op: "describe snapshot", Code: "DBClusterSnapshotNotFoundFault"}, now)
		}
	}
}

func (fl *fleetFlow) progressKey(env fleetEnv, k tea.KeyPressMsg) fleetAction {
	keys := env.keys
	switch {
	case key.Matches(k, keys.ToList):
		return fleetAction{move: true, to: screenClusters}
	case key.Matches(k, keys.RetryFailed):
		if fl.batch.RetryFailed() > 0 {
			return fl.pump(env.now)
		}
	case key.Matches(k, keys.Up):
		fl.progress.Move(-1)
	case key.Matches(k, keys.Down):
		fl.progress.Move(1)
	case key.Matches(k, keys.PageUp):
		fl.progress.PageUp()
	case key.Matches(k, keys.PageDown):
		fl.progress.PageDown()
	}
	return fleetAction{}
}

// canRetry reports whether r would send failed creates again.
func (fl *fleetFlow) canRetry(now time.Time) bool {
	if fl.batch == nil || fl.stage != fleetProgress {
		return false
	}
	for _, f := range fl.batch.Summary(now).Failures {
		if f.Item.Sendable() {
			return true
		}
	}
	return false
}

// waiting is how many of the batch's creates have not been sent yet.
func (fl *fleetFlow) waiting() int {
	if fl.batch == nil {
		return 0
	}
	n := 0
	for _, r := range fl.batch.Rows(time.Time{}) {
		if r.Status == fleets.StatusWaiting && !r.Resend {
			n++
		}
	}
	return n
}

// unanswered are the batch's creates whose snapshot may exist unbeknown
// to docsnap: on the wire, or waiting to be sent again after an answer
// was lost.
func (fl *fleetFlow) unanswered() []sentCreate {
	if fl.batch == nil {
		return nil
	}
	var out []sentCreate
	for _, in := range fl.batch.Unanswered() {
		r, _ := fl.batch.Row(in.SnapshotID, time.Time{})
		out = append(out, sentCreate{sc: fl.scopes[in.SnapshotID], in: in, elastic: awsclient.ElasticARN(in.ClusterID), wire: r.Status == fleets.StatusSending})
	}
	return out
}

// fleetHelp is what the flow's help lines depend on.
type fleetHelp struct {
	stage          fleetStage
	typed, retries bool
}

func (fl *fleetFlow) helpState(now time.Time) fleetHelp {
	return fleetHelp{stage: fl.stage, typed: fl.typing(), retries: fl.canRetry(now)}
}

func (fl *fleetFlow) help(keys *ui.KeyMap, now time.Time) ui.Help {
	switch fl.stage {
	case fleetForm:
		return keys.FleetFormHelp()
	case fleetConfirm:
		return keys.ConfirmHelp(fl.typing())
	}
	return keys.FleetProgressHelp(fl.canRetry(now))
}

// The root's side of the fleet flow.

// fleetEnv is what the fleet flow may read of the model now.
func (m *Model) fleetEnv() fleetEnv {
	return fleetEnv{keys: &m.keys, styles: m.styles, width: m.width, now: m.cfg.Now(), spinner: m.spinner(),
		demo: m.cfg.Demo, concurrency: m.cfg.Concurrency, protect: m.cfg.Protect, protectTag: *m.cfg.ProtectTag,
		rand: m.cfg.Rand}
}

// openFleet opens the fleet form for the marked clusters, or says in the
// status line why not.
func (m *Model) openFleet() tea.Cmd {
	a, refused := m.fleet.open(m.fleetEnv(), m.list.marked())
	if refused != "" {
		m.status = refused
		return nil
	}
	m.status = ""
	return m.carryFleet(a)
}

// carryFleet does what the fleet flow asked.
func (m *Model) carryFleet(a fleetAction) tea.Cmd {
	for _, t := range a.tags {
		m.list.rowTags(t.sc, t.id, t.tags)
	}
	if a.move {
		m.screen = a.to
	}
	if a.clearMarks {
		m.list.marks.Clear()
	}
	var cmds []tea.Cmd
	if a.check != nil {
		cmds = append(cmds, m.fleetCheck(*a.check))
	}
	for _, s := range a.sends {
		cmds = append(cmds, m.fleetCreate(m.fleet.batch, s.sc, s.in))
	}
	if a.tick != nil {
		cmds = append(cmds, m.cfg.After(a.tickIn, *a.tick))
	}
	for _, f := range a.follow {
		cmds = append(cmds, m.follow(f.sc, f.snap, true))
	}
	return tea.Batch(cmds...)
}

// fleetCheck lists the snapshots of the marked clusters, and the tags of
// those whose protection they tell, concurrency at a time.
func (m *Model) fleetCheck(c fleetCheck) tea.Cmd {
	return func() tea.Msg {
		msg := fleetCheckedMsg{seq: c.seq, results: make([]fleetCheckResult, len(c.rows))}
		each(len(c.rows), func(i int) {
			r := &c.rows[i]
			res := &msg.results[i]
			ctx, cancel := m.ctx()
			defer cancel()
			res.snaps, res.snapsErr = awsclient.All(ctx, r.sc.client.Snapshots(r.id))
			if c.tags[i] {
				res.tagsRead = true
				res.tags, res.tagsErr = r.sc.client.Tags(ctx, r.c.ARN)
			}
		})
		return msg
	}
}

// fleetCreate sends one create of a batch, through its scope's client.
func (m *Model) fleetCreate(b *fleets.Batch, sc *scope, in awsclient.CreateSnapshotInput) tea.Cmd {
	client := sc.client
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		create := client.CreateSnapshot
		if awsclient.ElasticARN(in.ClusterID) { // the batch names an elastic cluster by ARN
			create = client.CreateElasticSnapshot
		}
		s, err := create(ctx, in)
		return fleetCreatedMsg{batch: b, sc: sc, in: in, snap: s, err: err}
	}
}
