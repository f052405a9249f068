package model

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/stamp"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// snapsDeletion is the typed confirmation of a delete and the deletes on
// the wire: nothing is sent until the identifier (one snapshot) or the
// count ("delete 7 snapshots") is typed exactly.
type snapsDeletion struct {
	targets []deleteTarget
	want    string // what must be typed
	input   textinput.Model
	seq     stamp.Seq // numbers the batches sent
	sending int       // deletes without an answer
	failed  []string  // what went wrong, a sentence a snapshot
	deleted int
}

// deleteTarget is one snapshot to delete.
type deleteTarget struct {
	sc      *scope
	id      string // raw, for the call
	shown   string // sanitized
	copying bool   // still being copied: the delete cancels the copy
}

// deleteRequest asks for one snapshot to be deleted.
type deleteRequest struct {
	seq stamp.Seq
	sc  *scope
	id  string
}

// deletedMsg is the answer to a delete; its seq is the batch's, which the
// view checks.
type deletedMsg struct {
	seq  stamp.Seq
	sc   *scope
	id   string
	snap awsclient.Snapshot
	err  error
}

// deleteRefusal says why the rows may not be deleted, or "": read-only,
// an automated snapshot (it goes with the cluster's retention), one that
// another account owns.
func deleteRefusal(targets []*snapRow) string {
	several := len(targets) > 1
	for _, r := range targets {
		switch {
		case r.sc.readOnly != "":
			return r.sc.readOnly
		case r.s.Shared:
			return r.s.ID + " is shared with this account by its owner: only the owner can delete it."
		case r.s.Type != awsclient.SnapshotManual:
			why := r.s.ID + " is automated: AWS deletes it when it passes the cluster's backup retention " +
				"(copy it to keep it)."
			if several {
				why += " Unmark it to delete the others."
			}
			return why
		}
	}
	return ""
}

// openDelete asks for the typed confirmation of deleting the marked rows,
// or the row under the cursor; refused with the reason when one of them
// may not be deleted.
func (sv *snapsView) openDelete() snapsAction {
	targets := sv.targets()
	if len(targets) == 0 {
		return snapsAction{}
	}
	if why := deleteRefusal(targets); why != "" {
		return snapsAction{status: why}
	}
	d := &sv.del
	d.targets, d.failed, d.deleted = d.targets[:0], nil, 0
	for _, r := range targets {
		d.targets = append(d.targets, deleteTarget{sc: r.sc, id: r.id, shown: r.s.ID, copying: r.s.Status == awsclient.StatusCopying})
	}
	d.want = deleteWords(len(targets), targets[0].id)
	d.input = newField(256)
	d.input.Focus()
	sv.stage = snapsDelete
	return snapsAction{}
}

// deleteWords is what must be typed to delete n snapshots: the identifier
// of the one, or "delete N snapshots".
func deleteWords(n int, id string) string {
	if n == 1 {
		return id
	}
	return "delete " + strconv.Itoa(n) + " snapshots"
}

// typed reports whether the confirmation has been typed exactly.
func (d *snapsDeletion) typed() bool { return d.want != "" && d.input.Value() == d.want }

func (sv *snapsView) deleteKey(env snapsEnv, k tea.KeyPressMsg) snapsAction {
	d := &sv.del
	if d.sending > 0 {
		return snapsAction{} // sent once; wait for the answers
	}
	switch {
	case key.Matches(k, env.keys.Back):
		sv.stage = snapsList
	case key.Matches(k, env.keys.Confirm):
		if !d.typed() {
			return snapsAction{}
		}
		seq := d.seq.Next()
		var a snapsAction
		for _, t := range d.targets {
			a.deletes = append(a.deletes, deleteRequest{seq: seq, sc: t.sc, id: t.id})
		}
		d.sending = len(a.deletes)
		return a
	default:
		ui.Edit(&d.input, k)
	}
	return snapsAction{}
}

// deleted takes one delete's answer; once all are in, the list again,
// with what happened.
func (sv *snapsView) deleted(msg deletedMsg) snapsAction {
	d := &sv.del
	if !d.seq.Fresh(msg.seq) || d.sending == 0 {
		return snapsAction{}
	}
	d.sending--
	if msg.err != nil {
		sentence, _, _ := explain(msg.err)
		d.failed = append(d.failed, sanitize.String(msg.id)+": "+sentence)
	} else {
		d.deleted++
		status := msg.snap.Status
		if status == "" {
			status = "deleting" // as AWS answers a delete
		}
		for i := range sv.rows {
			if r := &sv.rows[i]; r.sc == msg.sc && r.id == msg.id {
				r.s.Status = sanitize.String(status)
				if sv.marks.Has(r.key()) {
					sv.marks.Toggle(r.key())
				}
			}
		}
	}
	if d.sending > 0 {
		return snapsAction{}
	}
	sv.stage = snapsList
	a := snapsAction{}
	if d.deleted > 0 {
		a.notice = "✓ Deleting " + count(d.deleted, "snapshot") + " (AWS removes them in a few minutes)."
	}
	if len(d.failed) > 0 {
		a.status = "✗ Not deleted: " + strings.Join(d.failed, "; ")
	}
	return a
}

// deleteView is the typed confirmation.
func (sv *snapsView) deleteView(env snapsEnv, b *strings.Builder, height int) *tea.Cursor {
	s := env.styles
	d := &sv.del
	w := env.width
	var lines []string
	add := func(l string) { lines = append(lines, l) }
	wrapped := func(text string, paint ui.Paint) {
		for _, l := range ui.Wrap(text, max(w-2, 1)) {
			add(" " + paint.Render(l))
		}
	}
	title := "Delete snapshot " + d.targets[0].shown + "?"
	if len(d.targets) > 1 {
		title = "Delete " + count(len(d.targets), "snapshot") + "?"
	}
	add(s.Heading.Render(ui.Truncate(title, w)))
	add("")
	const shown = 8 // the list of several is cut: the count is what is typed
	for i, t := range d.targets {
		if i == shown {
			add(s.Muted.Render("   … and " + strconv.Itoa(len(d.targets)-shown) + " more"))
			break
		}
		where := ""
		if env.multi {
			where = sanitize.String(t.sc.target.Region) + "  "
		}
		add(ui.Truncate("   "+where+t.shown, w))
	}
	add("")
	for _, t := range d.targets {
		if t.copying {
			wrapped("! "+t.shown+" is still being copied: deleting it cancels the copy.", s.Warn)
		}
	}
	wrapped("A deleted snapshot cannot be restored or brought back.", s.Warn)
	add("")
	add(" Type " + s.Bold.Render(sanitize.String(d.want)) + " to confirm:")
	line, x := typedField(s, &d.input, d.typed(), min(w-4, 64))
	inputLine := len(lines)
	add(line)
	add("")
	switch {
	case d.sending > 0:
		add(s.Busy.Render(env.spinner + " Deleting…"))
	case d.typed():
		add(s.Bold.Render(keyName(env.keys.Confirm)+" deletes") + s.Muted.Render(" · "+keyName(env.keys.Back)+" goes back"))
	default:
		add(s.Muted.Render(keyName(env.keys.Confirm) + " deletes once it is typed · " + keyName(env.keys.Back) + " goes back"))
	}
	win := newWindow(b, height)
	for _, l := range lines {
		win.line(ui.Truncate(l, w))
	}
	win.fill()
	if inputLine >= height || d.sending > 0 {
		return nil
	}
	cur := tea.NewCursor(min(x, w-1), inputLine)
	cur.Blink = false
	return cur
}
