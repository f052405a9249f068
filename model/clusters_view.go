package model

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/cursor"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/sanitize"
	"github.com/docsnap/docsnap/ui/table"
)

// listLayout is where the clusters screen puts its parts, worked out once
// an Update (by fit) from the window, the rows and the list's state: the
// drawing, the cursor's height and mouse clicks all read it.
type listLayout struct {
	table table.Layout // the columns fitted to the window
	kinds []int        // column i of table is clusterColumns[kinds[i]]
	top   int          // the body's line of the first row: under the column titles and the failed regions' lines
	rows  int          // how many rows are shown at a time
}

// layoutList lays the clusters screen out in a body of height lines.
func (m *Model) layoutList(height int) listLayout {
	cols, kinds := m.listColumns()
	top := 1 + len(m.list.failureLines(m))
	return listLayout{table: table.NewLayout(cols, m.width-2-m.list.markWidth()), kinds: kinds, top: top, rows: max(height-top, 1)}
}

// rowAt is the row drawn at line y of the body, if one is.
func (lay *listLayout) rowAt(y int, c *cursor.Cursor) (int, bool) {
	row := y - lay.top
	from, to := c.Visible()
	if row < 0 || row >= lay.rows || from+row >= to {
		return 0, false
	}
	return from + row, true
}

// clustersView draws the clusters screen's body: height lines.
func (m *Model) clustersView(b *strings.Builder, height int) {
	l := &m.list
	s := m.styles
	if height <= 0 {
		return
	}
	if len(l.rows) == 0 {
		m.emptyView(b, height)
		return
	}
	lay := &l.lay
	win := newWindow(b, height)
	marking := strings.Repeat(" ", l.markWidth())
	win.line("  " + marking + lay.table.Header(s.ColHead))
	for _, f := range l.failureLines(m) {
		win.line(f)
	}
	if l.Len() == 0 {
		win.line(ui.Truncate("  No cluster matches "+strconv.Quote(sanitize.String(l.input.Value()))+m.tagsPending()+": "+keyName(m.keys.FilterClear)+" clears the filter.", m.width))
	}
	words := l.filter.Query().Words()
	win.rows(&l.cur, s.Gutter.Render("▌")+" ", func(b *strings.Builder, i int, sel bool) {
		r := l.at(i)
		switch {
		case marking == "":
		case l.marks.Has(r.markKey()):
			b.WriteString(s.Good.Render("✓") + " ")
		default:
			b.WriteString(marking)
		}
		lay.table.Row(b, func(col, w int) string { return clusterColumns[lay.kinds[col]].cell(m, r, w, sel, words) })
	})
	win.fill()
}

// tagsPending says, after "No cluster matches X", that tags are still
// being fetched, when they are.
func (m *Model) tagsPending() string {
	if len(m.list.tagQueue) > 0 || m.list.tagBusy {
		return " yet (tags still loading)"
	}
	return ""
}

// maxFailureLines bounds the lines of failed regions above the rows.
const maxFailureLines = 3

// failure is the regions whose last listing failed the same way, and how.
type failure struct {
	regions []string
	text    string
}

// failures groups the failed regions by what went wrong, in order.
func (l *clusterList) failures(m *Model) []failure {
	var groups []failure
	for i, r := range l.regions {
		if r.state != regionFailed || l.sameFailure(i) {
			continue
		}
		sentence, _, _ := explain(r.err)
		hint := hintOf(r.err, m.retryKey())
		text := sentence
		switch {
		case l.regions[i].kind == awsclient.TypeElastic && awsclient.KindOf(r.err) == awsclient.KindAccessDenied:
			// The usual case: a policy written before elastic clusters.
			text = "elastic clusters not listed: docdb-elastic:ListClusters was refused (access denied)."
			if hint != "" {
				text += " " + hint
			}
		case l.regions[i].kind == awsclient.TypeElastic:
			text = "elastic clusters not listed: " + lowerFirst(sentence)
			if hint != "" {
				text += " " + hint
			}
		default:
			if info, ok := awsclient.RegionInfo(r.sc.target.Region); ok && info.OptIn && awsclient.KindOf(r.err) == awsclient.KindExpiredCredentials {
				text = "An opt-in region not enabled for this account, or " + lowerFirst(sentence)
			} else if hint != "" {
				text += " " + hint
			}
		}
		if i := slices.IndexFunc(groups, func(g failure) bool { return g.text == text }); i >= 0 {
			groups[i].regions = append(groups[i].regions, r.sc.target.Region)
		} else {
			groups = append(groups, failure{regions: []string{r.sc.target.Region}, text: text})
		}
	}
	return groups
}

// sameFailure reports whether listing i is a region's elastic clusters
// that failed as its instance-based clusters did (the network, the
// credentials): one line says it for both.
func (l *clusterList) sameFailure(i int) bool {
	r := &l.regions[i]
	if r.kind != awsclient.TypeElastic || i == 0 {
		return false
	}
	o := &l.regions[i-1]
	if o.sc != r.sc || o.state != regionFailed || awsclient.KindOf(r.err) == awsclient.KindAccessDenied {
		return false
	}
	a, _, _ := explain(r.err)
	b, _, _ := explain(o.err)
	return a == b
}

// retryGroup is the regions waiting to ask a failed page again after
// failing the same way, and the soonest retry.
type retryGroup struct {
	regions []string
	err     error
	at      time.Time
}

// retrying groups the regions waiting to retry a page by what went wrong.
func (l *clusterList) retrying() []retryGroup {
	var groups []retryGroup
	for _, r := range l.regions {
		if r.state != regionRetrying {
			continue
		}
		sentence, _, _ := explain(r.err)
		i := slices.IndexFunc(groups, func(g retryGroup) bool { s, _, _ := explain(g.err); return s == sentence })
		if i < 0 {
			groups = append(groups, retryGroup{err: r.err, at: r.retryAt})
			i = len(groups) - 1
		}
		g := &groups[i]
		if !slices.Contains(g.regions, r.sc.target.Region) { // both its listings
			g.regions = append(g.regions, r.sc.target.Region)
		}
		if r.retryAt.Before(g.at) {
			g.at = r.retryAt
		}
	}
	return groups
}

// retryNote says why a listing paused and when it goes on: "AWS is
// throttling; retrying in 4s (r retries now)".
func (m *Model) retryNote(g retryGroup) string {
	what := "AWS is throttling"
	if awsclient.KindOf(g.err) != awsclient.KindThrottled {
		sentence, _, _ := explain(g.err)
		what = strings.TrimSuffix(sentence, ".")
	}
	when := "retrying now"
	if left := g.at.Sub(m.cfg.Now()); left > 0 {
		when = "retrying in " + ui.Duration((left + time.Second - 1).Truncate(time.Second)) + " (" + keyName(m.keys.Refresh) + " retries now)"
	}
	return what + "; " + when
}

// failureLines are the lines of the regions whose last listing failed,
// shown above the rows of the others: first those waiting to retry a page,
// then one line for the regions that failed the same way, at most
// maxFailureLines.
func (l *clusterList) failureLines(m *Model) []string {
	if len(l.rows) == 0 {
		return nil // the empty screen explains
	}
	s := m.styles
	var out []string
	for _, g := range l.retrying() {
		line := "  ! " + sanitize.String(strings.Join(g.regions, ", ")) + ": " + m.retryNote(g)
		out = append(out, s.Warn.Render(ui.Truncate(line, m.width)))
	}
	groups := l.failures(m)
	for i, g := range groups {
		if i == maxFailureLines-1 && len(groups) > maxFailureLines {
			n := 0
			for _, g := range groups[i:] {
				n += len(g.regions)
			}
			out = append(out, s.Bad.Render(ui.Truncate("  ✗ "+count(n, "more region")+" failed too: press "+keyName(m.keys.Refresh)+" to try again.", m.width)))
			break
		}
		line := "  ✗ " + sanitize.String(strings.Join(g.regions, ", ")) + ": " + g.text
		out = append(out, s.Bad.Render(ui.Truncate(line, m.width)))
	}
	return out
}

// lowerFirst lowers a sentence's first letter, for a sentence that follows others.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// emptyView says why there are no clusters, and what to try.
func (m *Model) emptyView(b *strings.Builder, height int) {
	l := &m.list
	s := m.styles
	var lines []string
	where := sanitize.String(strings.Join(m.regions(), ", "))
	again := "Press " + keyName(m.keys.Refresh) + " to try again."
	switch {
	case l.loading:
		lines = []string{s.Muted.Render(m.spinner() + " Listing DocumentDB clusters…")}
		for _, g := range l.retrying() {
			note := m.retryNote(g)
			if m.multi() {
				note = sanitize.String(strings.Join(g.regions, ", ")) + ": " + note
			}
			lines = append(lines, s.Warn.Render("! "+note))
		}
	case l.err != nil && !m.multi():
		what := "Could not list the clusters."
		if l.errKind == awsclient.TypeElastic {
			what = "Could not list the elastic clusters (docdb-elastic:ListClusters); no instance-based cluster was listed."
		}
		lines = m.errorLines(what, l.err, again)
	case l.err != nil:
		lines = []string{s.Bad.Render("✗ Could not list the clusters of any region.")}
		for _, g := range l.failures(m) {
			lines = append(lines, s.Bad.Render(sanitize.String(strings.Join(g.regions, ", "))+": ")+g.text)
		}
		lines = append(lines, s.Muted.Render(again))
	default:
		try := "Try another region with --region, another account with --profile,"
		if m.cfg.Connect != nil {
			try = "Try another region with " + keyName(m.keys.Region) + " or --region, another account with " +
				keyName(m.keys.Profile) + " or --profile,"
		}
		lines = []string{
			s.Bold.Render("No DocumentDB clusters in " + where + "."),
			"",
			"DescribeDBClusters answered with no cluster of engine docdb (Aurora and",
			"Neptune clusters share the API and are left out), and docdb-elastic's",
			"ListClusters with no elastic cluster.",
			try,
			"press " + keyName(m.keys.Refresh) + " to list again, or run docsnap --demo to look around.",
		}
		for _, g := range l.failures(m) {
			lines = append(lines, s.Bad.Render("✗ "+sanitize.String(strings.Join(g.regions, ", "))+": "+g.text))
		}
	}
	writeBlock(b, lines, m.width, height, 2)
}

// writeBlock writes lines indented by indent, each wrapped to width,
// filling exactly height lines.
func writeBlock(b *strings.Builder, lines []string, width, height, indent int) {
	win := newWindow(b, height)
	pad := strings.Repeat(" ", indent)
	for _, line := range lines {
		for _, w := range wrapStyled(line, width-indent) {
			if !win.start() {
				return
			}
			if w != "" {
				b.WriteString(pad)
				b.WriteString(w)
			}
		}
	}
	win.fill()
}
