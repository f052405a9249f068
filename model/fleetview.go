package model

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	fleets "github.com/docsnap/docsnap/model/fleet" // the tests name their clusters fleet()
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/awscli"
	"github.com/docsnap/docsnap/ui/sanitize"
	"github.com/docsnap/docsnap/ui/table"
)

// View draws the flow's stage in height lines; it returns where the
// terminal's cursor goes (relative to the body), if anywhere.
func (fl *fleetFlow) View(env fleetEnv, b *strings.Builder, height int) *tea.Cursor {
	switch fl.stage {
	case fleetForm:
		return fl.formView(env, b, height)
	case fleetConfirm:
		return fl.confirmView(env, b, height)
	}
	fl.progressView(env, b, height)
	return nil
}

// planColumns are the columns of the form's list of expansions.
func planColumns(items []fleets.Item) []table.Column {
	cw, rw := len("CLUSTER"), len("REGION")
	for _, it := range items {
		cw = max(cw, ui.Width(sanitize.String(it.Cluster.ID)))
		rw = max(rw, ui.Width(sanitize.String(it.Region)))
	}
	return []table.Column{
		{Title: "CLUSTER", Width: min(cw, 28)},
		{Title: "REGION", Width: rw, Drop: 1},
		{Title: "SNAPSHOT IDENTIFIER", Width: 20, Flex: true},
	}
}

// itemProblem is the first thing that stops an item, in a sentence; ""
// when it may be sent.
func itemProblem(it fleets.Item) string {
	if it.Blocked != "" {
		return it.Blocked
	}
	if ps := awsclient.Blocking(it.Problems); len(ps) > 0 {
		return "The identifier " + ps[0].Message + "."
	}
	return ""
}

// formView draws the template, the tags and every expansion: the
// expansions scroll with the arrows, the problems of the one under the
// cursor are spelled out under them.
func (fl *fleetFlow) formView(env fleetEnv, b *strings.Builder, height int) *tea.Cursor {
	s, w, keys := env.styles, env.width, env.keys
	f := fl.form
	d := &formDraw{s: s, f: f, w: w}
	d.add(s.Heading.Render("New snapshot of " + count(len(fl.items), "cluster")))
	d.add("")
	d.identifier("Identifier template", "")
	d.add(s.Muted.Render("  placeholders: {cluster} {region} {date} (YYYY-MM-DD) {time} (HHMM, UTC)"))
	if f.Focus() == 0 {
		d.focusEnd = len(d.lines) - 1
	}
	d.add("")
	d.tags(keys)
	d.add("")
	_, blocked := fleets.Sendable(fl.items)
	title := "Snapshots"
	if blocked > 0 {
		title += s.Bad.Render("  " + strconv.Itoa(blocked) + " of " + strconv.Itoa(len(fl.items)) + " with a problem")
	}
	d.add(s.Bold.Render(title))

	// The bottom: the problems of the expansion under the cursor, and
	// whether the batch can be sent.
	var bottom []string
	if i := fl.cur.Pos(); i < len(fl.items) {
		it := fl.items[i]
		glyph, paint, text := "✗ ", s.Bad, itemProblem(it)
		if ws := awsclient.Warnings(it.Problems); text == "" && len(ws) > 0 {
			// AWS's own documents disagree on the rule: it may be sent.
			glyph, paint, text = "! ", s.Warn, "The identifier "+ws[0].Message+"."
		}
		if text != "" {
			for j, l := range ui.Wrap(sanitize.String(it.Cluster.ID)+": "+sanitize.String(text), max(w-4, 1)) {
				if j == 0 {
					l = glyph + l
				} else {
					l = "  " + l
				}
				bottom = append(bottom, "  "+paint.Render(l))
			}
		}
	}
	for _, e := range fl.checkErrs {
		bottom = append(bottom, s.Warn.Render(ui.Truncate("! No snapshot listed for "+sanitize.String(e)+": AWS refuses a duplicate anyway.", w)))
	}
	switch {
	case fl.checking:
		bottom = append(bottom, s.Muted.Render(ui.Truncate(env.spinner+" Checking the clusters' snapshots and protection…", w)))
	case blocked > 0:
		bottom = append(bottom, s.Warn.Render(ui.Truncate("Cannot send: "+count(blocked, "cluster")+" with a problem. Fix the template, or unmark them ("+
			keyName(keys.Back)+", then "+keyName(keys.Mark)+").", w)))
	case !f.Valid():
		bottom = append(bottom, s.Warn.Render(ui.Truncate("Cannot send yet: "+f.Blocked()+".", w)))
	default:
		bottom = append(bottom, s.Good.Render(ui.Truncate("Ready: "+keyName(keys.Review)+" shows what will be sent.", w)))
	}

	// The form's lines first (scrolled to the focused field), then as many
	// expansions as fit above the bottom.
	lay := table.NewLayout(planColumns(fl.items), w-4)
	top := d.lines
	rows := max(height-len(top)-1-len(bottom), 1) // the column titles
	off := 0
	if need := len(top) + 1 + min(rows, 3) + len(bottom); need > height {
		off = min(max(need-height, 0), d.focusLine) // keep the focused field shown
		rows = max(height-(len(top)-off)-1-len(bottom), 1)
	}
	fl.cur.SetHeight(rows)
	win := newWindow(b, height)
	for _, l := range top[off:] {
		win.line(l)
	}
	win.line("    " + lay.Header(s.ColHead))
	win.rows(&fl.cur, s.Gutter.Render("▌")+" ", func(b *strings.Builder, i int, sel bool) {
		it := fl.items[i]
		mark := s.Good.Render("✓ ")
		switch {
		case !it.Sendable():
			mark = s.Bad.Render("✗ ")
		case len(awsclient.Warnings(it.Problems)) > 0:
			mark = s.Warn.Render("! ")
		}
		b.WriteString(mark)
		lay.Row(b, func(col, cw int) string {
			switch col {
			case 0:
				return ui.Fit(sanitize.String(it.Cluster.ID), cw)
			case 1:
				return ui.Fit(sanitize.String(it.Region), cw)
			}
			id := ui.Fit(sanitize.String(it.ID), cw)
			if !it.Sendable() {
				return s.Bad.Render(id)
			}
			return id
		})
	})
	for win.n < height-len(bottom) {
		win.line("")
	}
	for _, l := range bottom {
		win.line(l)
	}
	win.fill()
	c := tea.NewCursor(min(d.cursorX, w-1), d.focusLine-off)
	c.Blink = false
	return c
}

// confirmLines lists every create, the protected clusters and the typed
// confirmation first, and the same as an AWS CLI script.
func (fl *fleetFlow) confirmLines(env fleetEnv) confirmText {
	s, w, keys := env.styles, env.width, env.keys
	in := fl.form.Input()
	var lines []string
	add := func(l string) { lines = append(lines, l) }
	add(s.Heading.Render("Create these " + count(len(fl.items), "snapshot") + "?"))
	add("")
	inputLine, inputX := -1, 0
	n := strconv.Itoa(len(fl.items))
	protected := map[string]bool{}
	if fl.typing() {
		head := "! " + count(len(fl.protected), "protected cluster") + ":"
		for _, l := range ui.Wrap(head, max(w-2, 1)) {
			add(" " + s.Warn.Render(l))
		}
		for _, p := range fl.protected {
			protected[p.id] = true
			for _, l := range ui.Wrap(sanitize.String(p.id)+": "+p.why+".", max(w-4, 1)) {
				add("   " + s.Warn.Render(l))
			}
		}
		add(" Type the number of snapshots, " + s.Bold.Render(n) + ", to confirm them all:")
		line, x := typedField(s, &fl.confirm, fl.satisfied(), min(w-4, 16))
		inputLine, inputX = len(lines), x
		add(line)
		add("")
	}
	cw := 0
	for _, it := range fl.items {
		cw = max(cw, ui.Width(sanitize.String(it.Cluster.ID)))
	}
	cw = min(cw, max(w/3, 8))
	for _, it := range fl.items {
		mark := "  "
		if protected[sanitize.String(it.Cluster.ID)] {
			mark = s.Warn.Render("! ")
		}
		add(" " + mark + ui.Fit(sanitize.String(it.Cluster.ID), cw) + " → " + sanitize.String(it.ID) + s.Muted.Render("  "+sanitize.String(it.Region)))
	}
	add("")
	tags := "none"
	if len(in.Tags) > 0 {
		parts := make([]string, len(in.Tags))
		for i, t := range in.Tags {
			parts[i] = sanitize.String(tagText(t))
		}
		tags = strings.Join(parts, ", ")
	}
	for _, l := range ui.Wrap("Tags on each: "+tags, max(w-1, 1)) {
		add(" " + l)
	}
	where := "at most " + strconv.Itoa(concurrencyOf(env)) + " at a time, backing off when AWS throttles"
	if env.demo {
		where += " (demo endpoint)"
	}
	add(" " + s.Muted.Render(ui.Truncate("Sent "+where+".", max(w-1, 1))))
	add("")
	add(s.Muted.Render("The same with the AWS CLI:"))
	ins := make([]awsclient.CreateSnapshotInput, len(fl.items))
	targets := make([]awsclient.Target, len(fl.items))
	for i, it := range fl.items {
		ins[i] = awsclient.CreateSnapshotInput{ClusterID: it.Cluster.ID, SnapshotID: it.ID, Tags: in.Tags}
		targets[i] = fl.targets[i].sc.target
	}
	for _, l := range awscli.CreateSnapshots(ins, targets) {
		for _, wl := range ui.Wrap(sanitize.String(l), max(w-2, 1)) {
			add("  " + wl)
		}
	}
	add("")
	create, back := keyName(keys.Create), " · "+keyName(keys.Edit)+" goes back to the form"
	if fl.satisfied() {
		add(s.Bold.Render(create+" creates them") + s.Muted.Render(back))
	} else {
		add(s.Muted.Render(create + " creates them once " + n + " is typed" + back))
	}
	return confirmText{lines: lines, inputLine: inputLine, inputX: inputX}
}

// concurrencyOf is the batch's concurrency as NewBatch will take it.
func concurrencyOf(env fleetEnv) int {
	if env.concurrency <= 0 {
		return fleets.DefaultConcurrency
	}
	return min(env.concurrency, fleets.MaxConcurrency)
}

// confirmView draws the confirmation, scrolled with the arrows.
func (fl *fleetFlow) confirmView(env fleetEnv, b *strings.Builder, height int) *tea.Cursor {
	c := fl.confirmLines(env)
	w := env.width
	fl.off = scrollWithin(fl.off, len(c.lines), height)
	win := newWindow(b, height)
	for _, l := range c.lines[fl.off:] {
		if !win.start() {
			break
		}
		b.WriteString(ui.Truncate(l, w))
	}
	win.fill()
	if row := c.inputLine - fl.off; c.inputLine >= 0 && row >= 0 && row < height {
		cur := tea.NewCursor(min(c.inputX, w-1), row)
		cur.Blink = false
		return cur
	}
	return nil
}

// progressColumns are the multi-progress view's columns.
func progressColumns(rows []fleets.Row) []table.Column {
	cw := len("CLUSTER")
	for _, r := range rows {
		cw = max(cw, ui.Width(sanitize.String(r.Item.Cluster.ID)))
	}
	return []table.Column{
		{Title: "CLUSTER", Width: min(cw, 24)},
		{Title: "SNAPSHOT", Width: 16, Flex: true, Max: 40, Drop: 4},
		{Title: "PROGRESS", Width: 10},
		{Title: "STATUS", Width: 16},
		{Title: "ELAPSED", Width: 7, Right: true, Drop: 2},
		{Title: "LEFT", Width: 11, Drop: 3},
	}
}

// progressView is one row per snapshot, the overall line, and the failures
// with their reasons.
func (fl *fleetFlow) progressView(env fleetEnv, b *strings.Builder, height int) {
	s, w, keys, now := env.styles, env.width, env.keys, env.now
	rows := fl.batch.Rows(now)
	sum := fl.batch.Summary(now)
	var top []string
	top = append(top, s.Heading.Render("Snapshots of "+count(sum.Total, "cluster"))+s.Muted.Render(" · batch "+sanitize.String(fl.batch.ID)))
	overall := strconv.Itoa(sum.Available) + " of " + strconv.Itoa(sum.Total) + " available"
	var more []string
	if sum.Creating > 0 {
		more = append(more, strconv.Itoa(sum.Creating)+" creating")
	}
	if sum.Pending > 0 {
		more = append(more, strconv.Itoa(sum.Pending)+" being sent")
	}
	if sum.Failed > 0 {
		more = append(more, s.Bad.Render(strconv.Itoa(sum.Failed)+" failed"))
	}
	if sum.HasSlowest {
		more = append(more, "the slowest about "+ui.Duration(sum.Slowest)+" left")
	}
	if sum.Throttled > 0 {
		more = append(more, "AWS throttled "+count(sum.Throttled, "create"))
	}
	line := s.Bold.Render(overall)
	if len(more) > 0 {
		line += s.Muted.Render(" · ") + strings.Join(more, s.Muted.Render(" · "))
	}
	if sum.Done && sum.Failed == 0 {
		line = s.Good.Render("✓ All " + count(sum.Total, "snapshot") + " are available.")
	}
	top = append(top, ui.Truncate(line, w-1))
	top = append(top, "")

	var bottom []string
	if len(sum.Failures) > 0 {
		bottom = append(bottom, s.Bad.Render("Failed:"))
		for i, f := range sum.Failures {
			if i == 3 && len(sum.Failures) > 4 {
				bottom = append(bottom, s.Muted.Render("  and "+strconv.Itoa(len(sum.Failures)-3)+" more (↑/↓ to each row)"))
				break
			}
			for j, l := range ui.Wrap(sanitize.String(f.Item.Cluster.ID)+": "+failureReason(f), max(w-4, 1)) {
				switch {
				case j == 0:
					l = "  ✗ " + l
				case j == 1:
					l = "    " + l
				default:
					continue // a sentence and a half is enough here; the row says the rest
				}
				bottom = append(bottom, s.Bad.Render(l))
			}
		}
	}
	switch {
	case fl.canRetry(now):
		bottom = append(bottom, s.Muted.Render(ui.Truncate(keyName(keys.RetryFailed)+" retries the failed ones (same identifiers) · "+
			keyName(keys.ToList)+": the list, the footer follows them", w)))
	case !sum.Done:
		bottom = append(bottom, s.Muted.Render(ui.Truncate("AWS goes on if you leave: "+keyName(keys.ToList)+
			" returns to the list, the footer follows them.", w)))
	}

	lay := table.NewLayout(progressColumns(rows), w-2)
	body := max(height-len(top)-1-len(bottom), 1)
	fl.progress.SetHeight(body)
	win := newWindow(b, height)
	for _, l := range top {
		win.line(ui.Truncate(" "+l, w))
	}
	win.line("  " + lay.Header(s.ColHead))
	win.rows(&fl.progress, s.Gutter.Render("▌")+" ", func(b *strings.Builder, i int, sel bool) {
		r := rows[i]
		lay.Row(b, func(col, cw int) string {
			switch col {
			case 0:
				return ui.Fit(sanitize.String(r.Item.Cluster.ID), cw)
			case 1:
				return ui.Fit(sanitize.String(r.Item.ID), cw)
			case 2:
				return s.Bar(r.Percent, cw)
			case 3:
				return rowStatus(s, r, cw)
			case 4:
				if r.Elapsed <= 0 {
					return ui.PadLeft("—", cw)
				}
				return ui.PadLeft(ui.Duration(r.Elapsed), cw)
			}
			if r.HasETA {
				return ui.Fit("about "+ui.Duration(r.ETA), cw)
			}
			return ui.Fit("—", cw)
		})
	})
	for win.n < height-len(bottom) {
		win.line("")
	}
	for _, l := range bottom {
		win.line(l)
	}
	win.fill()
}

// rowStatus is a row's status: the batch's while its create is not
// answered, then AWS's with the percent (after the bar's end, where the
// renderer rewrites the least).
func rowStatus(s *ui.Styles, r fleets.Row, w int) string {
	switch r.Status {
	case fleets.StatusWaiting:
		if r.Err != nil {
			return s.Warn.Render(ui.Fit("◔ sending again", w))
		}
		return s.Muted.Render(ui.Fit("○ waiting", w))
	case fleets.StatusSending:
		return s.Busy.Render(ui.Fit("◔ sending", w))
	case fleets.StatusFailed:
		return s.Status("failed", w)
	}
	status := sanitize.String(r.Snapshot.Status)
	if r.Status == fleets.StatusAvailable {
		status = awsclient.StatusAvailable
	}
	pct := " " + ui.Percent(r.Percent)
	return s.Status(status, max(w-ui.Width(pct), 1)) + pct
}

// failureReason says why an item failed, in a sentence of the screens.
func failureReason(r fleets.Row) string {
	if r.Err == nil {
		return "failed"
	}
	if p := itemProblem(r.Item); p != "" {
		return p
	}
	sentence, code, _ := explain(r.Err)
	if code != "" {
		sentence += " (" + code + ")"
	}
	return sentence
}
