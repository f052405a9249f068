package model

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/form"
	"github.com/docsnap/docsnap/model/stamp"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// The snapshot flow is one component: the form, the confirmation of what
// will be sent, the protection guard and the create on the wire. It reads
// what it needs of the root in a flowEnv, keeps its own state, and asks the
// root for everything outside it (send a create, read tags, change screens,
// follow the new snapshot) with the flowAction its calls return, so that it
// can be driven and tested without a Model.

// stage is which of its two screens the flow shows.
type stage int

const (
	stageForm stage = iota
	stageConfirm
)

// snapFlow is the state of the snapshot flow. It outlives one form: the
// create on the wire and the last one whose outcome is unknown are still
// reported on quit after the form has closed.
type snapFlow struct {
	form       *form.Form
	row        row    // the cluster of the form
	back       screen // where back goes: the screen the form was opened from
	stage      stage
	createErr  error
	lastInput  *awsclient.CreateSnapshotInput
	unsure     *sentCreate // the last create sent whose outcome is unknown
	submitting bool
	off        int       // the confirmation's scroll
	seq        stamp.Seq // numbers the creates sent
	guard      guard     // a protected cluster's typed confirmation
}

// flowEnv is what the flow reads of the root; the root builds it afresh
// for each call.
type flowEnv struct {
	keys       *ui.KeyMap
	styles     *ui.Styles
	width      int
	now        func() time.Time
	protect    []string      // patterns of protected cluster identifiers
	protectTag awsclient.Tag // the tag that protects a cluster
	demo       bool          // the client is the demo endpoint
	spinner    string        // the spinner's frame
	shown      bool          // the flow is the root's screen
	// membership tells whether a row's cluster is in a global cluster.
	membership func(*row) (awsclient.Membership, bool)
}

// flowAction is what the flow asks the root to do; the zero value asks
// nothing.
type flowAction struct {
	move     bool // show the screen to
	to       screen
	readTags *tagsRequest
	tags     *learnedTags
	send     *createRequest
	follow   *sentSnapshot
}

// tagsRequest asks for the tags of the form's cluster, for the guard.
type tagsRequest struct {
	seq    stamp.Seq
	client awsclient.Client
	arn    string
}

// learnedTags are a row's tags, read for the guard: the list keeps them.
type learnedTags struct {
	sc   *scope
	id   string
	tags []awsclient.Tag
}

// createRequest asks for one create to be sent.
type createRequest struct {
	seq     stamp.Seq
	sc      *scope
	in      awsclient.CreateSnapshotInput
	elastic bool // CreateClusterSnapshot of the docdb-elastic API
}

// sentSnapshot is a snapshot just created, to follow on the progress
// screen.
type sentSnapshot struct {
	sc   *scope
	snap awsclient.Snapshot
}

// open starts the form for r, opened from screen from. refused, when not
// empty, says why no snapshot of r may be taken, and the flow is
// unchanged: snapshots are forbidden (read-only), or r's identifier breaks
// AWS's rules (such an identifier did not come from AWS, and the
// confirmation could not show byte for byte what would be sent: control
// and format characters are stripped on screen).
func (fl *snapFlow) open(env flowEnv, r row, from screen) (a flowAction, refused string) {
	if r.sc.readOnly != "" {
		return a, r.sc.readOnly
	}
	elastic := kindOf(&r.c) == awsclient.TypeElastic
	if _, problems := awsclient.ValidateClusterID(r.id); len(problems) > 0 && !elastic {
		return a, "No snapshot: AWS never lists a cluster identifier like " + strconv.Quote(r.c.ID) + " (" +
			sanitize.String(problems[0].Message) + ")."
	}
	if elastic && (r.c.ARN == "" || sanitize.String(r.c.ARN) != r.c.ARN) {
		// What is sent is the ARN: it must show as it is.
		return a, "No snapshot: AWS never lists an elastic cluster ARN like " + strconv.Quote(r.c.ARN) + "."
	}
	k := env.keys
	keys := form.Keys{Next: k.NextField, Prev: k.PrevField, AddTag: k.AddTag, DeleteTag: k.DeleteTag}
	suggestion := awsclient.SuggestSnapshotID(r.id, env.now())
	if elastic {
		fl.form = form.NewElastic(r.c.ARN, r.c.Status, suggestion, keys)
	} else {
		fl.form = form.New(r.id, r.c.Status, suggestion, keys)
	}
	fl.row = r
	fl.back = screenClusters
	if from == screenCluster {
		fl.back = screenCluster
	}
	fl.createErr, fl.lastInput = nil, nil
	fl.stage = stageForm
	return flowAction{move: true, to: screenSnapshot, readTags: fl.guard.check(r, env.protect, env.protectTag)}, ""
}

// Update takes a message for the flow: a key or a paste while it is on
// screen, the tags its guard asked for, the answer to its create.
func (fl *snapFlow) Update(env flowEnv, msg tea.Msg) flowAction {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if fl.stage == stageConfirm {
			return fl.confirmKey(env, msg)
		}
		return fl.formKey(env, msg)
	case tea.PasteMsg:
		switch {
		case fl.stage == stageForm && fl.form != nil:
			fl.form.Update(msg)
		case fl.stage == stageConfirm && fl.guard.typing():
			ui.Edit(&fl.guard.input, msg)
		}
	case protectMsg:
		return fl.tagsRead(env, msg)
	case createdMsg:
		return fl.created(msg)
	}
	return flowAction{}
}

func (fl *snapFlow) formKey(env flowEnv, k tea.KeyPressMsg) flowAction {
	keys := env.keys
	switch {
	case key.Matches(k, keys.Back):
		fl.form = nil
		return flowAction{move: true, to: fl.back}
	case key.Matches(k, keys.Review):
		if fl.form.Valid() {
			fl.stage, fl.off = stageConfirm, 0
		}
		return flowAction{}
	case key.Matches(k, keys.RetryCreate):
		// Retry exactly what failed, if nothing has been edited since.
		if fl.canRetry() && sameInput(*fl.lastInput, fl.form.Input()) && fl.form.Valid() {
			return flowAction{send: fl.submit(env.now())}
		}
		return flowAction{}
	}
	fl.form.Update(k)
	return flowAction{}
}

// canRetry reports whether the form can send again at once what failed.
func (fl *snapFlow) canRetry() bool { return fl.createErr != nil && fl.lastInput != nil }

// sameInput reports whether a and b would send the same request (Resend is
// not sent).
func sameInput(a, b awsclient.CreateSnapshotInput) bool {
	return a.ClusterID == b.ClusterID && a.SnapshotID == b.SnapshotID && slices.Equal(a.Tags, b.Tags)
}

func (fl *snapFlow) confirmKey(env flowEnv, k tea.KeyPressMsg) flowAction {
	if fl.submitting {
		return flowAction{} // sent once; wait for the answer
	}
	keys := env.keys
	typing := fl.guard.typing()
	switch {
	case key.Matches(k, keys.Create):
		fl.guard.waiting = !fl.guard.known
		return flowAction{send: fl.submit(env.now())}
	case key.Matches(k, keys.Edit):
		fl.guard.waiting = false
		fl.stage = stageForm
	case k.String() == "up", !typing && key.Matches(k, keys.Up):
		fl.off--
	case k.String() == "down", !typing && key.Matches(k, keys.Down):
		fl.off++
	case typing:
		ui.Edit(&fl.guard.input, k)
	}
	return flowAction{}
}

// submit sends the form's input once; it cannot be sent again until the
// answer arrives, nor at all for a protected cluster until its name has
// been typed. nil: nothing to send.
func (fl *snapFlow) submit(now time.Time) *createRequest {
	if fl.submitting || fl.form == nil || !fl.form.Valid() || !fl.guard.satisfied() {
		return nil
	}
	in := fl.form.Input()
	// A resend of an input whose earlier send may have created the snapshot
	// takes that snapshot rather than failing with already-exists; only
	// where that send went (a same-named cluster elsewhere is another).
	in.Resend = fl.unsure != nil && fl.unsure.sc == fl.row.sc && sameInput(fl.unsure.in, in)
	in.Since = now
	if in.Resend {
		in.Since = fl.unsure.in.Since // the first send's
	}
	fl.submitting = true
	fl.stage = stageConfirm
	return &createRequest{seq: fl.seq.Next(), sc: fl.row.sc, in: in, elastic: fl.form.Elastic}
}

// tagsRead takes the tags the guard asked for; a create waiting for them
// is sent if the cluster turns out unprotected (a protected one asks for
// its name).
func (fl *snapFlow) tagsRead(env flowEnv, msg protectMsg) flowAction {
	g := &fl.guard
	if !g.asked(msg) {
		return flowAction{}
	}
	var a flowAction
	if msg.err != nil {
		sentence, _, _ := explain(msg.err)
		g.set(true, "its tags could not be read to tell ("+strings.TrimSuffix(sentence, ".")+")")
	} else {
		tags := sanitize.Tags(msg.tags)
		g.decide(env.protectTag, tags)
		a.tags = &learnedTags{sc: fl.row.sc, id: fl.row.id, tags: tags}
	}
	if g.waiting && env.shown && fl.stage == stageConfirm {
		g.waiting = false
		a.send = fl.submit(env.now())
	}
	return a
}

// sentCreate is a create sent to a scope.
type sentCreate struct {
	sc      *scope
	in      awsclient.CreateSnapshotInput
	elastic bool
	// wire says it has no answer yet; otherwise the answer left its outcome
	// unknown.
	wire bool
}

// unanswered are the creates whose snapshot may exist unbeknown to
// docsnap: the one on the wire, and the last whose outcome is unknown
// (once, when it is the one sent again).
func (fl *snapFlow) unanswered() []sentCreate {
	var out []sentCreate
	if fl.submitting && fl.form != nil {
		out = append(out, sentCreate{sc: fl.row.sc, in: fl.form.Input(), elastic: fl.form.Elastic, wire: true})
	}
	if u := fl.unsure; u != nil && !(len(out) > 0 && out[0].sc == u.sc && sameInput(out[0].in, u.in)) {
		out = append(out, *u)
	}
	return out
}

// answers reports whether msg answers the create on the wire; the answer
// to an earlier one is dropped.
func (fl *snapFlow) answers(msg createdMsg) bool { return fl.submitting && fl.seq.Fresh(msg.seq) }

// created takes the create's answer: on success the progress screen; on
// failure the form, as it was, with the error.
func (fl *snapFlow) created(msg createdMsg) flowAction {
	if !fl.answers(msg) {
		return flowAction{}
	}
	fl.submitting = false
	if msg.err != nil {
		fl.createErr = msg.err
		in := msg.in
		fl.lastInput = &in
		if awsclient.OutcomeUnknown(msg.err) {
			fl.unsure = &sentCreate{sc: msg.sc, in: in, elastic: msg.elastic}
		}
		fl.stage = stageForm
		return flowAction{move: true, to: screenSnapshot}
	}
	if fl.unsure != nil && sameInput(fl.unsure.in, msg.in) {
		fl.unsure = nil
	}
	fl.form, fl.createErr, fl.lastInput = nil, nil, nil
	snap := msg.snap
	if snap.ClusterID == "" {
		snap.ClusterID = msg.in.ClusterID
	}
	if snap.ID == "" {
		snap.ID = storedID(msg.in.SnapshotID, msg.elastic)
	}
	if msg.elastic {
		// Followed under the cluster's name, as the list knows it.
		snap.ClusterID, snap.ClusterARN, snap.ClusterType = fl.row.id, msg.in.ClusterID, awsclient.TypeElastic
	}
	return flowAction{move: true, to: screenProgress, follow: &sentSnapshot{sc: msg.sc, snap: snap}}
}

// storedID is a new snapshot's identifier as AWS stores it: lowered, but
// for an elastic snapshot's name.
func storedID(id string, elastic bool) string {
	if elastic {
		return id
	}
	return strings.ToLower(id)
}

// busy reports whether the flow waits for AWS: a create on the wire, or
// the confirmation on screen with its guard reading the cluster's tags.
func (fl *snapFlow) busy(shown bool) bool {
	return fl.submitting || shown && fl.stage == stageConfirm && !fl.guard.known
}

// header is the right of the header line while the flow is on screen.
func (fl *snapFlow) header(spinner string) string {
	if fl.stage == stageConfirm && fl.submitting {
		return spinner + " creating…"
	}
	return ""
}

// flowHelp is what the flow's help lines depend on.
type flowHelp struct {
	stage        stage
	retry, typed bool
}

func (fl *snapFlow) helpState() flowHelp {
	return flowHelp{stage: fl.stage, retry: fl.canRetry(), typed: fl.guard.typing()}
}

func (fl *snapFlow) help(keys *ui.KeyMap) ui.Help {
	if fl.stage == stageConfirm {
		return keys.ConfirmHelp(fl.guard.typing())
	}
	return keys.FormHelp(fl.canRetry())
}

// fit keeps the confirmation's scroll within its lines, for a body of
// height lines.
func (fl *snapFlow) fit(env flowEnv, height int) {
	if fl.stage == stageConfirm && fl.form != nil {
		fl.off = scrollWithin(fl.off, len(fl.confirmLines(env).lines), height)
	}
}

// scrollWithin is off kept to the scrolls of n lines in height that leave
// no blank line at the end.
func scrollWithin(off, n, height int) int { return min(max(off, 0), max(n-height, 0)) }

// View draws the flow's stage in height lines; it returns where the
// terminal's cursor goes (relative to the body), if anywhere.
func (fl *snapFlow) View(env flowEnv, b *strings.Builder, height int) *tea.Cursor {
	if fl.stage == stageConfirm {
		return fl.confirmView(env, b, height)
	}
	return fl.formView(env, b, height)
}

func (fl *snapFlow) init() { fl.guard.init() }

// The root's side of the flow: what the flow reads, and doing what it asks.

// flowEnv is what the flow may read of the model now.
func (m *Model) flowEnv() flowEnv {
	return flowEnv{keys: &m.keys, styles: m.styles, width: m.width, now: m.cfg.Now,
		protect: m.cfg.Protect, protectTag: *m.cfg.ProtectTag, demo: m.cfg.Demo,
		spinner: m.spinner(), shown: m.screen == screenSnapshot, membership: m.list.membership}
}

// openForm opens the snapshot form for a cluster, or says in the status
// line why not.
func (m *Model) openForm(r row) tea.Cmd {
	a, refused := m.flow.open(m.flowEnv(), r, m.screen)
	if refused != "" {
		m.status = refused
		return nil
	}
	m.status = ""
	return m.carry(a)
}

// carry does what the flow asked.
func (m *Model) carry(a flowAction) tea.Cmd {
	if a.tags != nil {
		m.list.rowTags(a.tags.sc, a.tags.id, a.tags.tags)
	}
	if a.move {
		m.screen = a.to
	}
	switch {
	case a.readTags != nil:
		return m.protectTags(a.readTags.seq, a.readTags.client, a.readTags.arn)
	case a.send != nil:
		return m.create(a.send.seq, a.send.sc, a.send.in, a.send.elastic)
	case a.follow != nil:
		m.progress.show(snapKey{a.follow.sc, a.follow.snap.ID})
		return m.follow(a.follow.sc, a.follow.snap, true)
	}
	return nil
}
