package model

import (
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/form"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/awscli"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// openForm opens the snapshot form for a cluster, unless snapshots are
// forbidden (read-only) or its identifier breaks AWS's rules: such an
// identifier did not come from AWS, and the confirmation could not show
// byte for byte what would be sent (control and format characters are
// stripped on screen).
func (m *Model) openForm(r row) tea.Cmd {
	if r.sc.readOnly != "" {
		m.status = r.sc.readOnly
		return nil
	}
	if _, problems := awsclient.ValidateClusterID(r.id); len(problems) > 0 {
		m.status = "No snapshot: AWS never lists a cluster identifier like " + strconv.Quote(r.c.ID) + " (" +
			sanitize.String(problems[0].Message) + ")."
		return nil
	}
	keys := form.Keys{Next: m.keys.NextField, Prev: m.keys.PrevField, AddTag: m.keys.AddTag, DeleteTag: m.keys.DeleteTag}
	m.form = form.New(r.id, r.c.Status, awsclient.SuggestSnapshotID(r.id, m.cfg.Now()), keys)
	m.formRow = r
	m.formFromDetail = m.screen == screenCluster
	m.createErr, m.lastInput = nil, nil
	m.screen = screenForm
	m.status = ""
	return m.check(r)
}

func (m *Model) formKey(k tea.KeyPressMsg) tea.Cmd {
	f := m.form
	switch {
	case key.Matches(k, m.keys.Back):
		m.form = nil
		if m.formFromDetail {
			m.screen = screenCluster
		} else {
			m.screen = screenClusters
		}
		return nil
	case key.Matches(k, m.keys.Review):
		if f.Valid() {
			m.screen, m.confirmOff = screenConfirm, 0
		}
		return nil
	case key.Matches(k, m.keys.RetryCreate):
		// Retry exactly what failed, if nothing has been edited since.
		if m.createErr != nil && m.lastInput != nil && sameInput(*m.lastInput, f.Input()) && f.Valid() {
			return m.submit()
		}
		return nil
	}
	f.Update(k)
	return nil
}

// sameInput reports whether a and b would send the same request (Resend is
// not sent).
func sameInput(a, b awsclient.CreateSnapshotInput) bool {
	return a.ClusterID == b.ClusterID && a.SnapshotID == b.SnapshotID && slices.Equal(a.Tags, b.Tags)
}

func (m *Model) confirmKey(k tea.KeyPressMsg) tea.Cmd {
	if m.submitting {
		return nil // sent once; wait for the answer
	}
	typing := m.guard.typing()
	switch {
	case key.Matches(k, m.keys.Create):
		m.guard.waiting = !m.guard.known
		return m.submit()
	case key.Matches(k, m.keys.Edit):
		m.guard.waiting = false
		m.screen = screenForm
	case k.String() == "up", !typing && key.Matches(k, m.keys.Up):
		m.confirmOff--
	case k.String() == "down", !typing && key.Matches(k, m.keys.Down):
		m.confirmOff++
	case typing:
		ui.Edit(&m.guard.input, k)
	}
	return nil
}

// submit sends the form's input once; it cannot be sent again until the
// answer arrives, nor at all for a protected cluster until its name has
// been typed.
func (m *Model) submit() tea.Cmd {
	if m.submitting || m.form == nil || !m.form.Valid() || !m.guard.satisfied() {
		return nil
	}
	in := m.form.Input()
	// A resend of an input whose earlier send may have created the snapshot
	// takes that snapshot rather than failing with already-exists.
	in.Resend = m.unsure != nil && sameInput(m.unsure.in, in)
	m.submitting = true
	m.screen = screenConfirm
	return m.create(m.createSeq.Next(), m.formRow.sc, in)
}

// sentCreate is a create sent to a scope.
type sentCreate struct {
	sc *scope
	in awsclient.CreateSnapshotInput
	// wire says it has no answer yet; otherwise the answer left its outcome
	// unknown.
	wire bool
}

// unanswered are the creates whose snapshot may exist unbeknown to
// docsnap: the one on the wire, and the last whose outcome is unknown
// (once, when it is the one sent again).
func (m *Model) unanswered() []sentCreate {
	var out []sentCreate
	if m.submitting && m.form != nil {
		out = append(out, sentCreate{sc: m.formRow.sc, in: m.form.Input(), wire: true})
	}
	if u := m.unsure; u != nil && !(len(out) > 0 && out[0].sc == u.sc && sameInput(out[0].in, u.in)) {
		out = append(out, *u)
	}
	return out
}

// created takes the create's answer: on success the progress screen and a
// poll loop; on failure the form, as it was, with the error.
func (m *Model) created(msg createdMsg) tea.Cmd {
	m.submitting = false
	if msg.err != nil {
		m.createErr = msg.err
		in := msg.in
		m.lastInput = &in
		if awsclient.OutcomeUnknown(msg.err) {
			m.unsure = &sentCreate{sc: msg.sc, in: in}
		}
		m.screen = screenForm
		return nil
	}
	if m.unsure != nil && sameInput(m.unsure.in, msg.in) {
		m.unsure = nil
	}
	m.form, m.createErr, m.lastInput = nil, nil, nil
	snap := msg.snap
	if snap.ClusterID == "" {
		snap.ClusterID = msg.in.ClusterID
	}
	if snap.ID == "" {
		snap.ID = strings.ToLower(msg.in.SnapshotID)
	}
	m.watching = snapKey{msg.sc, snap.ID}
	m.screen = screenProgress
	return m.follow(msg.sc, snap, true)
}

// formView draws the form, scrolled so that the focused field shows; it
// returns where the terminal's cursor goes (relative to the body).
func (m *Model) formView(b *strings.Builder, height int) *tea.Cursor {
	s := m.styles
	f := m.form
	w := m.width
	var lines []string
	focusLine, focusEnd, cursorX := 0, 0, 0
	add := func(l string) { lines = append(lines, ui.Truncate(l, w)) }
	// A problem is wrapped, never cut: it says what to fix.
	problem := func(text string) {
		for i, l := range ui.Wrap(text, max(w-4, 1)) {
			if i == 0 {
				add("  " + s.Bad.Render("✗ "+l))
			} else {
				add("    " + s.Bad.Render(l))
			}
		}
	}
	// A warning, wrapped the same way, in the warning colour: AWS's own
	// documents disagree on the rule, so the form may still be sent.
	warning := func(text string) {
		for i, l := range ui.Wrap(text, max(w-4, 1)) {
			if i == 0 {
				add("  " + s.Warn.Render("! "+l))
			} else {
				add("    " + s.Warn.Render(l))
			}
		}
	}
	field := func(i int, indent, width int, placeholder string) string {
		in := f.Field(i)
		if in.Value() == "" && f.Focus() != i && placeholder != "" {
			return s.Muted.Render(ui.Fit(placeholder, width))
		}
		text, x := s.Field(in.Value(), in.Position(), width)
		if f.Focus() == i {
			focusLine, cursorX = len(lines), indent+x
		}
		return text
	}
	add(s.Heading.Render("New snapshot of "+m.formRow.c.ID) + "  " + s.Status(sanitize.String(f.ClusterStatus), 0))
	if !f.ClusterReady() {
		hint := awsclient.ClusterStateHint(f.ClusterID, f.ClusterStatus)
		for _, l := range wrapStyled(s.Warn.Render("! "+capitalize(f.Blocked())+". "+sanitize.String(hint)+" Press "+keyName(m.keys.Back)+", then "+
			keyName(m.keys.Refresh)+" on the list to refresh it."), w) {
			add(l)
		}
	}
	if g, ok := m.list.membership(&m.formRow); ok && !g.Primary {
		// AWS allows it, and it is easy to mistake for a snapshot of the
		// primary's region.
		note := "Note: a secondary of global cluster " + g.Global.ID + ". The snapshot is of this read-only copy, taken and kept in " +
			m.formRow.c.Region
		if p, ok := g.Global.Primary(); ok {
			note += "; the primary is " + memberName(p)
		}
		for _, l := range wrapStyled(s.Accent.Render(note+"."), w) {
			add(l)
		}
	}
	add("")
	add(s.Bold.Render("Snapshot identifier"))
	fw := max(min(w-4, 64), 1)
	marker := func(i int) string {
		if f.Focus() == i {
			return s.Gutter.Render("▌") + " "
		}
		return "  "
	}
	add(marker(0) + field(0, 2, fw, "identifier"))
	switch {
	case f.IDProblem() != "":
		problem(f.IDProblem())
	case f.IDWarning() != "":
		warning(f.IDWarning())
	}
	switch {
	case f.IDProblem() != "":
	case f.Stored() != f.ID().Value():
		add("  " + s.Accent.Render("→ AWS will store it as "+f.Stored()))
	case f.IDWarning() == "":
		add("  " + s.Good.Render("✓ valid"))
	}
	if f.Focus() == 0 {
		focusEnd = len(lines) - 1
	}
	add("")
	add(s.Bold.Render("Tags") + s.Muted.Render("  (a row left empty is ignored)"))
	kw := max(min((w-6)/3, 40), 1)
	vw := max(min(w-6-kw, 60), 1)
	if len(f.Rows()) > 0 {
		add("  " + s.ColHead.Render(ui.Fit("KEY", kw)) + "  " + s.ColHead.Render(ui.Fit("VALUE", vw)))
	} else {
		add(s.Muted.Render("  No tag rows: " + keyName(m.keys.AddTag) + " adds one."))
	}
	for i := range f.Rows() {
		k, v := 1+2*i, 2+2*i
		mark := "  "
		if f.Focus() == k || f.Focus() == v {
			mark = s.Gutter.Render("▌") + " "
		}
		key := field(k, 2, kw, "key")
		val := field(v, 2+kw+2, vw, "value (optional)")
		add(mark + key + "  " + val)
		kp, vp := f.RowProblems(i)
		kw, vw := f.RowWarnings(i)
		switch {
		case kp != "":
			problem("key: " + kp)
		case kw != "":
			warning("key: " + kw)
		}
		switch {
		case vp != "":
			problem("value: " + vp)
		case vw != "":
			warning("value: " + vw)
		}
		if f.Focus() == k || f.Focus() == v {
			focusEnd = len(lines) - 1 // its problems show with it
		}
	}
	if p := f.TagsProblem(); p != "" {
		problem(p)
	}
	add("")
	if m.createErr != nil {
		what, next := "The snapshot was not created.", "Press "+keyName(m.keys.Review)+" to review and send it again"
		if m.lastInput != nil && sameInput(*m.lastInput, f.Input()) {
			next += ", or " + keyName(m.keys.RetryCreate) + " to retry now"
		}
		if awsclient.OutcomeUnknown(m.createErr) {
			// Named, so that it is sent again as it was, not as another.
			id := "the snapshot"
			if m.lastInput != nil {
				id = "snapshot " + sanitize.String(m.lastInput.SnapshotID)
			}
			what = "No answer came back: " + id + " may have been created."
			next += " (if the first send made it, docsnap takes that one: never two)"
		}
		for _, l := range m.errorLines(what, m.createErr, next+".") {
			for _, wl := range wrapStyled(l, w-2) {
				add("  " + wl)
			}
		}
		add("")
	}
	if blocked := f.Blocked(); blocked != "" {
		add(s.Warn.Render("Cannot send yet: " + blocked + "."))
	} else {
		add(s.Good.Render("Ready: " + keyName(m.keys.Review) + " shows what will be sent."))
	}
	// Scroll so the focused field and its problems are in view.
	off := 0
	if focusEnd >= height {
		off = min(focusEnd-height+1, focusLine)
	}
	for i := range height {
		if i > 0 {
			b.WriteString("\n")
		}
		if off+i < len(lines) {
			b.WriteString(lines[off+i])
		}
	}
	c := tea.NewCursor(min(cursorX, w-1), focusLine-off)
	c.Blink = false
	return c
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// confirmView shows exactly what will be sent, and the same as an AWS CLI
// command line; for a protected cluster, the field its name is typed in,
// first. It returns where the terminal's cursor goes (relative to the
// body), if anywhere.
func (m *Model) confirmView(b *strings.Builder, height int) *tea.Cursor {
	s := m.styles
	in := m.form.Input()
	w := m.width
	var lines []string
	add := func(l string) { lines = append(lines, l) }
	add(s.Heading.Render("Create this snapshot?"))
	add("")
	g := &m.guard
	inputLine, inputX := -1, 0
	switch {
	case !g.known:
		add(s.Muted.Render(m.spinner() + " Checking whether " + g.name + " is protected…"))
		add("")
	case g.protected:
		for _, l := range ui.Wrap("! "+g.name+" is protected: "+g.why+".", max(w-2, 1)) {
			add(" " + s.Warn.Render(l))
		}
		add(" Type its name, " + s.Bold.Render(g.name) + ", to confirm:")
		field, x := s.Field(g.input.Value(), g.input.Position(), max(min(w-4, 64), 1))
		mark := s.Muted.Render("✗ ")
		if g.satisfied() {
			mark = s.Good.Render("✓ ")
		}
		inputLine, inputX = len(lines), 3+x
		add(" " + mark + field)
		add("")
	}
	const lw = 11
	// A label, then a value wrapped (never cut: this is what will be sent).
	field := func(l, v string) {
		for i, wl := range ui.Wrap(v, max(w-1-lw, 1)) {
			if i > 0 {
				l = ""
			}
			add(" " + s.Muted.Render(ui.Fit(l, lw-1)) + " " + wl)
		}
	}
	field("Cluster", sanitize.String(in.ClusterID))
	field("Snapshot", sanitize.String(in.SnapshotID))
	if stored := strings.ToLower(in.SnapshotID); stored != in.SnapshotID {
		field("", "stored as "+sanitize.String(stored))
	}
	if len(in.Tags) == 0 {
		field("Tags", "none")
	}
	kw := 0
	for _, t := range in.Tags {
		kw = max(kw, ui.Width(sanitize.String(t.Key)))
	}
	for i, t := range in.Tags {
		l := ""
		if i == 0 {
			l = "Tags"
		}
		v := sanitize.String(t.Value)
		switch {
		case t.Value == "":
			v = "(no value)"
		case strings.TrimSpace(t.Value) != t.Value:
			v = strconv.Quote(v) // make edge spaces visible
		}
		field(l, ui.Fit(sanitize.String(t.Key), kw)+"  "+v)
	}
	where := sanitize.String(m.formRow.sc.target.Region)
	if m.cfg.Demo {
		where += " (demo endpoint)"
	}
	field("Region", where)
	add("")
	add(s.Muted.Render("The same with the AWS CLI:"))
	for _, l := range awscli.CreateSnapshot(in, m.formRow.sc.target).Lines(w - 2) {
		// Hard-wrapped where a single argument is wider than the window:
		// nothing is hidden, though such a line must be rejoined to paste.
		for _, wl := range ui.Wrap(sanitize.String(l), w-2) {
			add("  " + wl)
		}
	}
	add("")
	create, back := keyName(m.keys.Create), " · "+keyName(m.keys.Edit)+" goes back to the form"
	switch {
	case m.submitting:
		add(s.Busy.Render(m.spinner() + " Creating the snapshot…"))
	case g.waiting:
		add(s.Busy.Render(m.spinner()+" Sending once the check is done…") + s.Muted.Render(back))
	case !g.satisfied():
		add(s.Muted.Render(create + " creates it once the name is typed" + back))
	default:
		add(s.Bold.Render(create+" creates it") + s.Muted.Render(back))
	}
	// Scrolled with the arrows when taller than the window.
	m.confirmOff = min(max(m.confirmOff, 0), max(len(lines)-height, 0))
	for i := range height {
		if i > 0 {
			b.WriteString("\n")
		}
		if j := m.confirmOff + i; j < len(lines) {
			b.WriteString(ui.Truncate(lines[j], w))
		}
	}
	if row := inputLine - m.confirmOff; inputLine >= 0 && row >= 0 && row < height && !m.submitting {
		c := tea.NewCursor(min(inputX, w-1), row)
		c.Blink = false
		return c
	}
	return nil
}
