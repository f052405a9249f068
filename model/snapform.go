package model

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/form"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/awscli"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// formDraw builds the lines of a form (package form): its fields, their
// problems and warnings, and where the focused field and the terminal's
// cursor are, so that it can be scrolled into view. The snapshot form and
// the fleet form draw with it.
type formDraw struct {
	s     *ui.Styles
	f     *form.Form
	w     int
	lines []string
	// The focused field's first line, the last line of its problems, and
	// the cursor's column.
	focusLine, focusEnd, cursorX int
}

func (d *formDraw) add(l string) { d.lines = append(d.lines, ui.Truncate(l, d.w)) }

// problem adds a problem, wrapped, never cut: it says what to fix.
func (d *formDraw) problem(text string) {
	for i, l := range ui.Wrap(text, max(d.w-4, 1)) {
		if i == 0 {
			d.add("  " + d.s.Bad.Render("✗ "+l))
		} else {
			d.add("    " + d.s.Bad.Render(l))
		}
	}
}

// warning adds a warning, wrapped the same way, in the warning colour:
// AWS's own documents disagree on the rule, so the form may still be sent.
func (d *formDraw) warning(text string) {
	for i, l := range ui.Wrap(text, max(d.w-4, 1)) {
		if i == 0 {
			d.add("  " + d.s.Warn.Render("! "+l))
		} else {
			d.add("    " + d.s.Warn.Render(l))
		}
	}
}

// field is field i drawn width wide, starting indent cells in; a
// placeholder shows in an empty field without the focus.
func (d *formDraw) field(i int, indent, width int, placeholder string) string {
	s, f := d.s, d.f
	in := f.Field(i)
	if in.Value() == "" && f.Focus() != i && placeholder != "" {
		return s.Muted.Render(ui.Fit(placeholder, width))
	}
	text, x := s.Field(in.Value(), in.Position(), width)
	if f.Focus() == i {
		d.focusLine, d.cursorX = len(d.lines), indent+x
	}
	return text
}

// marker is the gutter of field i: a bar when it has the focus.
func (d *formDraw) marker(i int) string {
	if d.f.Focus() == i {
		return d.s.Gutter.Render("▌") + " "
	}
	return "  "
}

// identifier adds field 0, the identifier (or template), under title.
func (d *formDraw) identifier(title, note string) {
	d.add(d.s.Bold.Render(title) + d.s.Muted.Render(note))
	d.add(d.marker(0) + d.field(0, 2, max(min(d.w-4, 64), 1), "identifier"))
}

// tags adds the tag rows with their problems.
func (d *formDraw) tags(keys *ui.KeyMap) {
	s, f, w := d.s, d.f, d.w
	d.add(s.Bold.Render("Tags") + s.Muted.Render("  (a row left empty is ignored)"))
	kw := max(min((w-6)/3, 40), 1)
	vw := max(min(w-6-kw, 60), 1)
	if len(f.Rows()) > 0 {
		d.add("  " + s.ColHead.Render(ui.Fit("KEY", kw)) + "  " + s.ColHead.Render(ui.Fit("VALUE", vw)))
	} else {
		d.add(s.Muted.Render("  No tag rows: " + keyName(keys.AddTag) + " adds one."))
	}
	for i := range f.Rows() {
		k, v := 1+2*i, 2+2*i
		mark := "  "
		if f.Focus() == k || f.Focus() == v {
			mark = s.Gutter.Render("▌") + " "
		}
		key := d.field(k, 2, kw, "key")
		val := d.field(v, 2+kw+2, vw, "value (optional)")
		d.add(mark + key + "  " + val)
		kp, vp := f.RowProblems(i)
		kw, vw := f.RowWarnings(i)
		switch {
		case kp != "":
			d.problem("key: " + kp)
		case kw != "":
			d.warning("key: " + kw)
		}
		switch {
		case vp != "":
			d.problem("value: " + vp)
		case vw != "":
			d.warning("value: " + vw)
		}
		if f.Focus() == k || f.Focus() == v {
			d.focusEnd = len(d.lines) - 1 // its problems show with it
		}
	}
	if p := f.TagsProblem(); p != "" {
		d.problem(p)
	}
}

// draw writes the lines in height lines, scrolled so that the focused
// field and its problems are in view, and returns where the terminal's
// cursor goes (relative to the body).
func (d *formDraw) draw(b *strings.Builder, height int) *tea.Cursor {
	off := 0
	if d.focusEnd >= height {
		off = min(d.focusEnd-height+1, d.focusLine)
	}
	win := newWindow(b, height)
	for _, l := range d.lines[off:] {
		win.line(l)
	}
	win.fill()
	c := tea.NewCursor(min(d.cursorX, d.w-1), d.focusLine-off)
	c.Blink = false
	return c
}

// formView draws the form, scrolled so that the focused field shows; it
// returns where the terminal's cursor goes (relative to the body).
func (fl *snapFlow) formView(env flowEnv, b *strings.Builder, height int) *tea.Cursor {
	s := env.styles
	f := fl.form
	w := env.width
	keys := env.keys
	d := &formDraw{s: s, f: f, w: w}
	add := d.add
	add(s.Heading.Render("New snapshot of "+fl.row.c.ID) + "  " + s.Status(sanitize.String(f.ClusterStatus), 0))
	if !f.ClusterReady() {
		hint := awsclient.ClusterStateHint(f.ClusterID, f.ClusterStatus)
		for _, l := range wrapStyled(s.Warn.Render("! "+capitalize(f.Blocked())+". "+sanitize.String(hint)+" Press "+keyName(keys.Back)+", then "+
			keyName(keys.Refresh)+" on the list to refresh it."), w) {
			add(l)
		}
	}
	if g, ok := env.membership(&fl.row); ok && !g.Primary {
		// AWS allows it, and it is easy to mistake for a snapshot of the
		// primary's region.
		note := "Note: a secondary of global cluster " + g.Global.ID + ". The snapshot is of this read-only copy, taken and kept in " +
			fl.row.c.Region
		if p, ok := g.Global.Primary(); ok {
			note += "; the primary is " + memberName(p)
		}
		for _, l := range wrapStyled(s.Accent.Render(note+"."), w) {
			add(l)
		}
	}
	add("")
	if f.Elastic {
		d.identifier("Snapshot name", "  (an elastic cluster: the docdb-elastic API's rules)")
	} else {
		d.identifier("Snapshot identifier", "")
	}
	switch {
	case f.IDProblem() != "":
		d.problem(f.IDProblem())
	case f.IDWarning() != "":
		d.warning(f.IDWarning())
	}
	switch {
	case f.IDProblem() != "":
	case f.Stored() != f.ID().Value():
		add("  " + s.Accent.Render("→ AWS will store it as "+f.Stored()))
	case f.IDWarning() == "":
		add("  " + s.Good.Render("✓ valid"))
	}
	if f.Focus() == 0 {
		d.focusEnd = len(d.lines) - 1
	}
	add("")
	d.tags(keys)
	add("")
	if fl.createErr != nil {
		what, next := "The snapshot was not created.", "Press "+keyName(keys.Review)+" to review and send it again"
		if fl.lastInput != nil && sameInput(*fl.lastInput, f.Input()) {
			next += ", or " + keyName(keys.RetryCreate) + " to retry now"
		}
		if awsclient.OutcomeUnknown(fl.createErr) {
			// Named, so that it is sent again as it was, not as another.
			id := "the snapshot"
			if fl.lastInput != nil {
				id = "snapshot " + sanitize.String(fl.lastInput.SnapshotID)
			}
			what = "No answer came back: " + id + " may have been created."
			next += " (if the first send made it, docsnap takes that one: never two)"
		}
		for _, l := range errorLines(s, keys.RetryCreate, what, fl.createErr, next+".") {
			for _, wl := range wrapStyled(l, w-2) {
				add("  " + wl)
			}
		}
		add("")
	}
	if blocked := f.Blocked(); blocked != "" {
		add(s.Warn.Render("Cannot send yet: " + blocked + "."))
	} else {
		add(s.Good.Render("Ready: " + keyName(keys.Review) + " shows what will be sent."))
	}
	return d.draw(b, height)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// confirmText is the confirmation's lines, unclipped, and where in them
// the field the protected cluster's name is typed in is (inputLine -1: no
// such field).
type confirmText struct {
	lines             []string
	inputLine, inputX int
}

// confirmLines shows exactly what will be sent, and the same as an AWS CLI
// command line; for a protected cluster, the field its name is typed in,
// first.
func (fl *snapFlow) confirmLines(env flowEnv) confirmText {
	s := env.styles
	keys := env.keys
	in := fl.form.Input()
	w := env.width
	var lines []string
	add := func(l string) { lines = append(lines, l) }
	add(s.Heading.Render("Create this snapshot?"))
	add("")
	g := &fl.guard
	inputLine, inputX := -1, 0
	switch {
	case !g.known:
		add(s.Muted.Render(env.spinner + " Checking whether " + g.name + " is protected…"))
		add("")
	case g.protected:
		for _, l := range ui.Wrap("! "+g.name+" is protected: "+g.why+".", max(w-2, 1)) {
			add(" " + s.Warn.Render(l))
		}
		add(" Type its name, " + s.Bold.Render(g.name) + ", to confirm:")
		line, x := typedField(s, &g.input, g.satisfied(), min(w-4, 64))
		inputLine, inputX = len(lines), x
		add(line)
		add("")
	}
	field := func(l, v string) {
		for _, line := range labelled(s, l, v, w) {
			add(line)
		}
	}
	field("Cluster", sanitize.String(in.ClusterID))
	if fl.form.Elastic {
		field("", "elastic cluster "+fl.row.c.ID)
	}
	field("Snapshot", sanitize.String(in.SnapshotID))
	if stored := fl.form.Stored(); stored != in.SnapshotID {
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
	where := sanitize.String(fl.row.sc.target.Region)
	if env.demo {
		where += " (demo endpoint)"
	}
	field("Region", where)
	add("")
	add(s.Muted.Render("The same with the AWS CLI:"))
	cli := awscli.CreateSnapshot(in, fl.row.sc.target)
	if fl.form.Elastic {
		cli = awscli.CreateElasticSnapshot(in, fl.row.sc.target)
	}
	for _, l := range cli.Lines(w - 2) {
		// Hard-wrapped where a single argument is wider than the window:
		// nothing is hidden, though such a line must be rejoined to paste.
		for _, wl := range ui.Wrap(sanitize.String(l), w-2) {
			add("  " + wl)
		}
	}
	add("")
	create, back := keyName(keys.Create), " · "+keyName(keys.Edit)+" goes back to the form"
	switch {
	case fl.submitting:
		add(s.Busy.Render(env.spinner + " Creating the snapshot…"))
	case g.waiting:
		add(s.Busy.Render(env.spinner+" Sending once the check is done…") + s.Muted.Render(back))
	case !g.satisfied():
		add(s.Muted.Render(create + " creates it once the name is typed" + back))
	default:
		add(s.Bold.Render(create+" creates it") + s.Muted.Render(back))
	}
	return confirmText{lines: lines, inputLine: inputLine, inputX: inputX}
}

// confirmView draws the confirmation, scrolled with the arrows when taller
// than the window. It returns where the terminal's cursor goes (relative
// to the body), if anywhere.
func (fl *snapFlow) confirmView(env flowEnv, b *strings.Builder, height int) *tea.Cursor {
	c := fl.confirmLines(env)
	w := env.width
	off := scrollWithin(fl.off, len(c.lines), height)
	win := newWindow(b, height)
	for _, l := range c.lines[off:] {
		if !win.start() {
			break
		}
		b.WriteString(ui.Truncate(l, w))
	}
	win.fill()
	if row := c.inputLine - off; c.inputLine >= 0 && row >= 0 && row < height && !fl.submitting {
		cur := tea.NewCursor(min(c.inputX, w-1), row)
		cur.Blink = false
		return cur
	}
	return nil
}
