package model

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/form"
	"github.com/docsnap/docsnap/model/stamp"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/awscli"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// snapsCopying is the copy of one snapshot: a form (the target identifier
// and extra tags from package form, the target region, the KMS key, copy
// tags), its confirmation with the AWS CLI equivalent, and the copy on the
// wire. A copy to another region first connects to it (Config.Connect, in
// a Cmd); the copy is then sent to that region's client, as AWS wants.
type snapsCopying struct {
	src      snapRow
	form     *form.Form // the target identifier and the extra tags
	region   textinput.Model
	kms      textinput.Model
	copyTags bool
	focus    int // copyFocusID, copyFocusRegion, copyFocusKMS, copyFocusTags, then the form's tag fields
	confirm  bool
	seq      stamp.Seq
	sending  bool // connecting or copying
	err      error
	last     *awsclient.CopySnapshotInput // the last sent, when its outcome is unknown
}

const (
	copyFocusID = iota
	copyFocusRegion
	copyFocusKMS
	copyFocusCopyTags
	copyFocusForm // the form's field 1 (the first tag key) and on
)

// connectRequest asks for a client of another region for a copy.
type connectRequest struct {
	seq     stamp.Seq
	profile string
	region  string
}

// copyConnectedMsg is the client of the copy's target region; sc is set
// by the root (its scope for that client).
type copyConnectedMsg struct {
	seq    stamp.Seq
	client awsclient.Client
	sc     *scope
	err    error
}

// snapCopyRequest asks for one copy, on the target region's scope.
type snapCopyRequest struct {
	seq stamp.Seq
	sc  *scope
	in  awsclient.CopySnapshotInput
}

// copiedMsg is the answer to a copy.
type copiedMsg struct {
	seq  stamp.Seq
	sc   *scope
	in   awsclient.CopySnapshotInput
	snap awsclient.Snapshot
	err  error
}

// open starts the copy form for r; refused when the copy could not be
// sent (read-only, a snapshot not available).
func (cp *snapsCopying) open(env snapsEnv, sv *snapsView, r *snapRow) snapsAction {
	switch {
	case r.sc.readOnly != "":
		return snapsAction{status: r.sc.readOnly}
	case r.s.Status != awsclient.StatusAvailable:
		return snapsAction{status: r.s.ID + " is " + r.s.Status + ": AWS copies available snapshots only."}
	}
	keys := env.keys
	fk := form.Keys{Next: keys.NextField, Prev: keys.PrevField, AddTag: keys.AddTag, DeleteTag: keys.DeleteTag}
	*cp = snapsCopying{src: *r, seq: cp.seq}
	cp.form = form.New(r.s.ClusterID, awsclient.StatusAvailable, awsclient.SuggestSnapshotID(r.s.ClusterID+"-copy", env.now()), fk)
	cp.region = newField(64)
	cp.region.SetValue(r.sc.target.Region)
	cp.kms = newField(2048)
	cp.copyTags = r.s.Type == awsclient.SnapshotManual && !r.s.Shared
	sv.stage = snapsCopy
	return snapsAction{}
}

func (cp *snapsCopying) busy() bool { return cp.sending }

// targetRegion is the region typed, or the source's when it is left empty.
func (cp *snapsCopying) targetRegion() string {
	if r := strings.TrimSpace(cp.region.Value()); r != "" {
		return strings.ToLower(r)
	}
	return cp.src.sc.target.Region
}

// crossRegion reports whether the copy goes to another region.
func (cp *snapsCopying) crossRegion() bool { return cp.targetRegion() != cp.src.sc.target.Region }

// regionProblem is what is wrong with the target region, live.
func (cp *snapsCopying) regionProblem() string {
	rs, err := awsclient.ParseRegions(cp.region.Value())
	switch {
	case err != nil:
		return err.Error()
	case len(rs) > 1:
		return "name one region"
	}
	return ""
}

// kmsProblem is what is wrong with the KMS key, live: required when an
// encrypted snapshot goes to another region (a key belongs to its region).
func (cp *snapsCopying) kmsProblem() string {
	if cp.kms.Value() == "" {
		if cp.src.s.StorageEncrypted && cp.crossRegion() {
			return "is required: an encrypted snapshot copied to " + cp.targetRegion() + " needs a KMS key of " + cp.targetRegion()
		}
		return ""
	}
	if ps := awsclient.ValidateKMSKey(cp.kms.Value(), cp.targetRegion()); len(ps) > 0 {
		return ps[0].Message
	}
	return ""
}

// blocked says what prevents the copy, or "".
func (cp *snapsCopying) blocked(env snapsEnv) string {
	switch {
	case !cp.form.Valid():
		return cp.form.Blocked()
	case cp.regionProblem() != "":
		return "the target region is not a region"
	case cp.kmsProblem() != "":
		return "the KMS key " + cp.kmsProblem()
	case cp.crossRegion() && !env.canCopy:
		return "docsnap cannot connect to another region here"
	}
	return ""
}

// input is what CopyDBClusterSnapshot sends: from the source's region its
// identifier, from another its ARN (as AWS wants it).
func (cp *snapsCopying) input() awsclient.CopySnapshotInput {
	f := cp.form.Input()
	in := awsclient.CopySnapshotInput{SourceID: cp.src.id, TargetID: f.SnapshotID, KMSKeyID: cp.kms.Value(),
		CopyTags: cp.copyTags, Tags: f.Tags}
	if cp.crossRegion() || cp.src.s.Shared {
		in.SourceID = cp.src.arn
	}
	if cp.crossRegion() {
		in.SourceRegion = cp.src.sc.target.Region
	}
	return in
}

// sameCopy reports whether a and b send the same request (Resend is not
// sent).
func sameCopy(a, b awsclient.CopySnapshotInput) bool {
	a.Resend, b.Resend = false, false
	return a.SourceID == b.SourceID && a.SourceRegion == b.SourceRegion && a.TargetID == b.TargetID &&
		a.KMSKeyID == b.KMSKeyID && a.CopyTags == b.CopyTags && slices.Equal(a.Tags, b.Tags)
}

// setFocus moves the focus among the copy's own fields and the form's.
func (cp *snapsCopying) setFocus(i int) {
	n := copyFocusForm + cp.form.Fields() - 1
	i = (i%n + n) % n
	cp.focus = i
	cp.region.Blur()
	cp.kms.Blur()
	cp.form.Blur()
	switch {
	case i == copyFocusID:
		cp.form.SetFocus(0)
	case i == copyFocusRegion:
		cp.region.Focus()
	case i == copyFocusKMS:
		cp.kms.Focus()
	case i >= copyFocusForm:
		cp.form.SetFocus(i - copyFocusForm + 1)
	}
}

// formFocus is the copy's focus for the form's focused field.
func formFocus(f int) int {
	if f == 0 {
		return copyFocusID
	}
	return copyFocusForm + f - 1
}

func (cp *snapsCopying) paste(p tea.PasteMsg) {
	if cp.confirm {
		return
	}
	switch cp.focus {
	case copyFocusRegion:
		ui.Edit(&cp.region, p)
	case copyFocusKMS:
		ui.Edit(&cp.kms, p)
	case copyFocusCopyTags:
	default:
		cp.form.Update(p)
	}
}

func (cp *snapsCopying) key(env snapsEnv, sv *snapsView, k tea.KeyPressMsg) snapsAction {
	keys := env.keys
	if cp.sending {
		return snapsAction{} // sent once; wait for the answer
	}
	if cp.confirm {
		switch {
		case key.Matches(k, keys.Confirm):
			return cp.send(env)
		case key.Matches(k, keys.Edit):
			cp.confirm = false
		}
		return snapsAction{}
	}
	switch {
	case key.Matches(k, keys.Back):
		sv.stage = snapsList
	case key.Matches(k, keys.Review):
		if cp.blocked(env) == "" {
			cp.confirm = true
		}
	case key.Matches(k, keys.NextField):
		cp.setFocus(cp.focus + 1)
	case key.Matches(k, keys.PrevField):
		cp.setFocus(cp.focus - 1)
	case key.Matches(k, keys.AddTag):
		cp.form.AddRow()
		cp.setFocus(formFocus(cp.form.Focus()))
	case key.Matches(k, keys.DeleteTag):
		if cp.focus >= copyFocusForm {
			cp.form.DeleteRow()
			cp.setFocus(formFocus(cp.form.Focus()))
		}
	case cp.focus == copyFocusCopyTags:
		if k.String() == "space" {
			cp.copyTags = !cp.copyTags
		}
	case cp.focus == copyFocusRegion:
		ui.Edit(&cp.region, k)
	case cp.focus == copyFocusKMS:
		ui.Edit(&cp.kms, k)
	default:
		cp.form.Update(k)
	}
	return snapsAction{}
}

// send sends the copy once: to the source's scope for the same region,
// else after connecting to the target region.
func (cp *snapsCopying) send(env snapsEnv) snapsAction {
	if cp.blocked(env) != "" {
		return snapsAction{}
	}
	cp.sending, cp.err = true, nil
	seq := cp.seq.Next()
	if cp.crossRegion() {
		return snapsAction{connect: &connectRequest{seq: seq, profile: cp.src.sc.target.Profile, region: cp.targetRegion()}}
	}
	return snapsAction{copy: cp.request(seq, cp.src.sc)}
}

func (cp *snapsCopying) request(seq stamp.Seq, sc *scope) *snapCopyRequest {
	in := cp.input()
	// A resend of a copy whose outcome is unknown takes the copy it made
	// rather than failing with already-exists.
	in.Resend = cp.last != nil && sameCopy(*cp.last, in)
	return &snapCopyRequest{seq: seq, sc: sc, in: in}
}

// connected takes the target region's client and sends the copy to it.
func (cp *snapsCopying) connected(msg copyConnectedMsg) snapsAction {
	if !cp.seq.Fresh(msg.seq) || !cp.sending {
		return snapsAction{}
	}
	if msg.err != nil {
		cp.sending, cp.err, cp.confirm = false, msg.err, false
		return snapsAction{}
	}
	if msg.sc.readOnly != "" {
		cp.sending, cp.confirm = false, false
		return snapsAction{status: msg.sc.readOnly}
	}
	return snapsAction{copy: cp.request(cp.seq.Next(), msg.sc)}
}

// copied takes the copy's answer: on success the list, and the copy in the
// footer's tracker; on failure the form, as it was, with the error.
func (cp *snapsCopying) copied(msg copiedMsg) snapsAction {
	if !cp.seq.Fresh(msg.seq) || !cp.sending {
		return snapsAction{}
	}
	cp.sending = false
	if msg.err != nil {
		cp.err, cp.confirm = msg.err, false
		cp.last = nil
		if awsclient.OutcomeUnknown(msg.err) {
			in := msg.in
			cp.last = &in
		}
		return snapsAction{}
	}
	cp.last = nil
	snap := msg.snap
	if snap.ID == "" {
		snap.ID = strings.ToLower(msg.in.TargetID)
	}
	if snap.ClusterID == "" {
		snap.ClusterID = cp.src.s.ClusterID
	}
	return snapsAction{follow: &sentSnapshot{sc: msg.sc, snap: snap},
		notice: "✓ Copying " + cp.src.s.ID + " to " + sanitize.String(snap.ID) + " in " + sanitize.String(msg.sc.target.Region) + "."}
}

// View draws the form or its confirmation.
func (cp *snapsCopying) View(env snapsEnv, b *strings.Builder, height int) *tea.Cursor {
	if cp.confirm {
		return cp.confirmView(env, b, height)
	}
	return cp.formView(env, b, height)
}

func (cp *snapsCopying) formView(env snapsEnv, b *strings.Builder, height int) *tea.Cursor {
	s := env.styles
	w := env.width
	keys := env.keys
	f := cp.form
	var lines []string
	var cur *tea.Cursor
	add := func(l string) { lines = append(lines, ui.Truncate(l, w)) }
	wrapped := func(text string, paint ui.Paint, indent string) {
		for _, l := range ui.Wrap(text, max(w-len(indent), 1)) {
			lines = append(lines, indent+paint.Render(l))
		}
	}
	mark := func(focus int) string {
		if cp.focus == focus {
			return s.Gutter.Render("▌") + " "
		}
		return "  "
	}
	fw := max(min(w-4, 64), 1)
	field := func(in *textinput.Model, focus int) string {
		if in.Value() == "" && cp.focus != focus {
			return s.Muted.Render("none")
		}
		text, x := s.Field(in.Value(), in.Position(), fw)
		if cp.focus == focus {
			cur = tea.NewCursor(min(2+x, w-1), len(lines))
			cur.Blink = false
		}
		return text
	}
	add(s.Heading.Render("Copy snapshot " + cp.src.s.ID))
	if cp.src.s.Type != awsclient.SnapshotManual || cp.src.s.Shared {
		wrapped("The copy of "+snapType(&cp.src.s)+" snapshot "+cp.src.s.ID+" is a manual snapshot: it stays until deleted.", s.Accent, "")
	}
	add("")
	add(s.Bold.Render("Target identifier"))
	add(mark(copyFocusID) + field(f.ID(), copyFocusID))
	switch {
	case f.IDProblem() != "":
		wrapped("✗ "+f.IDProblem(), s.Bad, "  ")
	case f.Stored() != f.ID().Value():
		add("  " + s.Accent.Render("→ AWS will store it as "+f.Stored()))
	default:
		add("  " + s.Good.Render("✓ valid"))
	}
	add(s.Bold.Render("Target region") + s.Muted.Render("  (the source's: "+sanitize.String(cp.src.sc.target.Region)+")"))
	add(mark(copyFocusRegion) + field(&cp.region, copyFocusRegion))
	if p := cp.regionProblem(); p != "" {
		wrapped("✗ "+p, s.Bad, "  ")
	}
	add(s.Bold.Render("KMS key") + s.Muted.Render("  (key id, key ARN, alias/NAME or alias ARN of the target region)"))
	add(mark(copyFocusKMS) + field(&cp.kms, copyFocusKMS))
	if p := cp.kmsProblem(); p != "" {
		wrapped("✗ "+p, s.Bad, "  ")
	}
	box := "[ ]"
	if cp.copyTags {
		box = "[x]"
	}
	add(mark(copyFocusCopyTags) + box + " copy the source's tags" + s.Muted.Render("  (space toggles)"))
	add("")
	add(s.Bold.Render("Extra tags") + s.Muted.Render("  ("+keyName(keys.AddTag)+" adds a row; a row left empty is ignored)"))
	for i := range f.Rows() {
		k, v := 1+2*i, 2+2*i
		kw := max(min((w-6)/3, 40), 1)
		m := "  "
		if cp.focus == formFocus(k) || cp.focus == formFocus(v) {
			m = s.Gutter.Render("▌") + " "
		}
		kt, kx := s.Field(f.Field(k).Value(), f.Field(k).Position(), kw)
		vt, vx := s.Field(f.Field(v).Value(), f.Field(v).Position(), max(min(w-6-kw, 60), 1))
		switch cp.focus {
		case formFocus(k):
			cur = tea.NewCursor(min(2+kx, w-1), len(lines))
		case formFocus(v):
			cur = tea.NewCursor(min(4+kw+vx, w-1), len(lines))
		}
		add(m + kt + "  " + vt)
		if kp, vp := f.RowProblems(i); kp != "" || vp != "" {
			wrapped("✗ "+strings.TrimSpace("key: "+kp+" value: "+vp), s.Bad, "  ")
		}
	}
	if p := f.TagsProblem(); p != "" {
		wrapped("✗ "+p, s.Bad, "  ")
	}
	add("")
	if cp.err != nil {
		for _, l := range errorLines(s, keys.Review, "The snapshot was not copied.", cp.err, "") {
			for _, wl := range wrapStyled(l, w-2) {
				add("  " + wl)
			}
		}
		add("")
	}
	if why := cp.blocked(env); why != "" {
		wrapped("Cannot send yet: "+why+".", s.Warn, "")
	} else {
		add(s.Good.Render("Ready: " + keyName(keys.Review) + " shows what will be sent."))
	}
	win := newWindow(b, height)
	for _, l := range lines {
		win.line(l)
	}
	win.fill()
	if cur != nil {
		cur.Blink = false
		if cur.Y >= height {
			return nil
		}
	}
	return cur
}

func (cp *snapsCopying) confirmView(env snapsEnv, b *strings.Builder, height int) *tea.Cursor {
	s := env.styles
	w := env.width
	keys := env.keys
	in := cp.input()
	var lines []string
	add := func(l string) { lines = append(lines, ui.Truncate(l, w)) }
	field := func(l, v string) {
		for _, line := range labelled(s, l, v, w) {
			add(line)
		}
	}
	add(s.Heading.Render("Copy this snapshot?"))
	add("")
	field("Source", sanitize.String(in.SourceID))
	field("From", sanitize.String(cp.src.sc.target.Region))
	field("Target", sanitize.String(in.TargetID))
	field("To", sanitize.String(cp.targetRegion()))
	if in.KMSKeyID != "" {
		field("KMS key", sanitize.String(in.KMSKeyID))
	}
	copyTags := "no"
	if in.CopyTags {
		copyTags = "yes"
	}
	field("Copy tags", copyTags)
	for i, t := range in.Tags {
		l := ""
		if i == 0 {
			l = "Tags"
		}
		field(l, sanitize.String(t.Key)+"  "+sanitize.String(t.Value))
	}
	add("")
	add(s.Muted.Render("The same with the AWS CLI:"))
	target := cp.src.sc.target
	target.Region = cp.targetRegion()
	for _, l := range awscli.CopySnapshot(in, target).Lines(w - 2) {
		for _, wl := range ui.Wrap(sanitize.String(l), w-2) {
			add("  " + wl)
		}
	}
	add("")
	if cp.sending {
		add(s.Busy.Render(env.spinner + " Copying…"))
	} else {
		add(s.Bold.Render(keyName(keys.Confirm)+" copies") + s.Muted.Render(" · "+keyName(keys.Edit)+" goes back to the form"))
	}
	win := newWindow(b, height)
	for _, l := range lines {
		win.line(l)
	}
	win.fill()
	return nil
}
