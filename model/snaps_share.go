package model

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/stamp"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// snapsSharing is the share screen of one manual snapshot: the accounts it
// is shared with (its restore attribute), a field to add one, and the
// removal of the one under the cursor. Making it public (all) asks for its
// identifier typed after a warning.
type snapsSharing struct {
	sc       *scope
	id       string // raw, for calls
	shown    string // sanitized
	blocked  string // why it cannot be shared, said before anything is sent
	accounts []string
	known    bool  // accounts has been read
	readErr  error // the read failed
	cur      int   // the account under the cursor
	input    textinput.Model
	public   bool            // asking for the typed confirmation of all
	confirm  textinput.Model // ...typed here
	seq      stamp.Seq       // numbers the reads and changes sent
	sending  bool
	added    string // the account the change on the wire adds
	err      error  // the last change's failure
}

// shareRequest asks for a change to a snapshot's share list (add and
// remove both empty: only read it).
type shareRequest struct {
	seq         stamp.Seq
	sc          *scope
	id          string
	add, remove []string
}

// sharedMsg answers a shareRequest with the list as it now stands.
type sharedMsg struct {
	seq      stamp.Seq
	accounts []string
	err      error
}

// awsManagedKey reports whether a snapshot's key is the default key AWS
// manages for RDS and DocumentDB (aws/rds): AWS refuses to share a
// snapshot encrypted with it ("You can't share a snapshot that is
// encrypted using the default AWS KMS key": Amazon DocumentDB Developer
// Guide, Sharing Amazon DocumentDB cluster snapshots). Only a key named by
// its alias can be told apart without a KMS call.
func awsManagedKey(kmsKeyID string) bool {
	return kmsKeyID == "alias/aws/rds" || strings.HasSuffix(kmsKeyID, ":alias/aws/rds")
}

// open shows r's share list, reading it afresh; refused for what cannot be
// shared at all.
func (sh *snapsSharing) open(sv *snapsView, r *snapRow) snapsAction {
	switch {
	case r.s.Shared:
		return snapsAction{status: r.s.ID + " is shared with this account by its owner: only the owner can share it."}
	case r.s.Type != awsclient.SnapshotManual:
		return snapsAction{status: r.s.ID + " is automated: AWS shares manual snapshots only (copy it to a manual one first)."}
	}
	*sh = snapsSharing{sc: r.sc, id: r.id, shown: r.s.ID, seq: sh.seq}
	if r.s.StorageEncrypted && awsManagedKey(r.s.KMSKeyID) {
		sh.blocked = r.s.ID + " is encrypted with the default AWS-managed key (aws/rds): AWS cannot share it. " +
			"Copy it with a customer-managed KMS key, then share the copy."
	}
	sh.input = newField(64)
	sh.input.Focus()
	sh.confirm = newField(256)
	sv.stage = snapsShare
	sh.sending = true
	return snapsAction{change: &shareRequest{seq: sh.seq.Next(), sc: sh.sc, id: sh.id}}
}

// problem is what is wrong with the account typed, live; "" when it can be
// added.
func (sh *snapsSharing) problem() string {
	if ps := awsclient.ValidateAccountID(sh.input.Value()); len(ps) > 0 {
		return ps[0].Message
	}
	if slices.Contains(sh.accounts, sh.input.Value()) {
		return "is already in the list"
	}
	return ""
}

func (sh *snapsSharing) paste(p tea.PasteMsg) {
	if sh.public {
		ui.Edit(&sh.confirm, p)
	} else {
		ui.Edit(&sh.input, p)
	}
}

func (sh *snapsSharing) key(env snapsEnv, sv *snapsView, k tea.KeyPressMsg) snapsAction {
	keys := env.keys
	if sh.public {
		switch {
		case key.Matches(k, keys.Back):
			sh.public = false
			sh.confirm.SetValue("")
		case key.Matches(k, keys.Confirm):
			if sh.confirm.Value() == sh.id {
				sh.public = false
				return sh.send([]string{awsclient.ShareAll}, nil)
			}
		default:
			ui.Edit(&sh.confirm, k)
		}
		return snapsAction{}
	}
	switch {
	case key.Matches(k, keys.Back):
		sv.stage = snapsList
	case k.String() == "up":
		sh.cur = max(sh.cur-1, 0)
	case k.String() == "down":
		sh.cur = min(sh.cur+1, max(len(sh.accounts)-1, 0))
	case key.Matches(k, keys.RemoveAccount):
		if sh.known && sh.cur < len(sh.accounts) {
			return sh.send(nil, []string{sh.accounts[sh.cur]})
		}
	case key.Matches(k, keys.Confirm):
		switch {
		case sh.blocked != "" || sh.problem() != "":
		case sh.input.Value() == awsclient.ShareAll:
			sh.public = true
			sh.confirm.SetValue("")
			sh.confirm.Focus()
		default:
			return sh.send([]string{sh.input.Value()}, nil)
		}
	default:
		ui.Edit(&sh.input, k)
	}
	return snapsAction{}
}

// send asks for one change; read-only refuses it here, before the client
// would.
func (sh *snapsSharing) send(add, remove []string) snapsAction {
	switch {
	case sh.sending:
		return snapsAction{} // one at a time: each answer is the list it left
	case sh.sc.readOnly != "":
		return snapsAction{status: sh.sc.readOnly}
	}
	sh.sending, sh.err, sh.added = true, nil, ""
	if len(add) == 1 {
		sh.added = add[0]
	}
	return snapsAction{change: &shareRequest{seq: sh.seq.Next(), sc: sh.sc, id: sh.id, add: add, remove: remove}}
}

// answered takes the list as a read or a change left it.
func (sh *snapsSharing) answered(sv *snapsView, msg sharedMsg) snapsAction {
	if !sh.seq.Fresh(msg.seq) {
		return snapsAction{}
	}
	sh.sending = false
	if msg.err != nil {
		if !sh.known {
			sh.readErr = msg.err
		} else {
			sh.err = msg.err
		}
		return snapsAction{}
	}
	sh.accounts, sh.known, sh.readErr = msg.accounts, true, nil
	sh.cur = min(sh.cur, max(len(sh.accounts)-1, 0))
	if sh.added != "" && sh.input.Value() == sh.added {
		sh.input.SetValue("") // added: the field is free for the next
	}
	sv.setShares(sh.sc, sh.id, msg.accounts)
	return snapsAction{}
}

// View draws the share screen.
func (sh *snapsSharing) View(env snapsEnv, b *strings.Builder, height int) *tea.Cursor {
	s := env.styles
	w := env.width
	keys := env.keys
	var lines []string
	add := func(l string) { lines = append(lines, l) }
	wrapped := func(text string, paint ui.Paint) {
		for _, l := range ui.Wrap(text, max(w-2, 1)) {
			add(" " + paint.Render(l))
		}
	}
	add(s.Heading.Render(ui.Truncate("Share snapshot "+sh.shown, w)))
	add("")
	if sh.blocked != "" {
		wrapped("✗ "+sh.blocked, s.Bad)
		add("")
	}
	switch {
	case sh.readErr != nil:
		for _, l := range errorLines(s, keys.Refresh, "The share list could not be read.", sh.readErr, "") {
			add(" " + ui.Truncate(l, w-1))
		}
	case !sh.known:
		add(s.Muted.Render(" " + env.spinner + " Reading who it is shared with…"))
	case len(sh.accounts) == 0:
		add(s.Muted.Render(" Shared with no other account."))
	default:
		add(" Shared with:")
		for i, a := range sh.accounts {
			text := sanitize.String(a)
			if a == awsclient.ShareAll {
				text = s.Warn.Render("all: public, any AWS account may restore it")
			}
			mark := "   "
			if i == sh.cur {
				mark = " " + s.Gutter.Render("▌") + " "
			}
			add(ui.Truncate(mark+text, w))
		}
	}
	add("")
	var cur *tea.Cursor
	cursorAt := func(x int) {
		cur = tea.NewCursor(min(x, w-1), len(lines)-1)
		cur.Blink = false
	}
	if sh.public {
		wrapped("! Sharing with all makes "+sh.shown+" public: any AWS account can restore it, and with it every document "+
			"it holds. Type its identifier to confirm:", s.Warn)
		field, x := s.Field(sh.confirm.Value(), sh.confirm.Position(), max(min(w-4, 64), 1))
		add(" " + s.Muted.Render("> ") + field)
		cursorAt(3 + x)
		add("")
		add(s.Muted.Render(" " + keyName(keys.Confirm) + " makes it public once typed · " + keyName(keys.Back) + " cancels"))
	} else {
		add(" Add an account (12 digits, or all for public):")
		field, x := s.Field(sh.input.Value(), sh.input.Position(), max(min(w-4, 32), 1))
		add(" " + s.Muted.Render("> ") + field)
		cursorAt(3 + x)
		switch p := sh.problem(); {
		case sh.input.Value() == "":
		case p != "":
			wrapped("✗ "+p, s.Bad)
		default:
			add(" " + s.Good.Render("✓ valid"))
		}
		add("")
		add(s.Muted.Render(ui.Truncate(" "+keyName(keys.Confirm)+" adds · "+keyName(keys.RemoveAccount)+" removes the one under the cursor · "+
			keyName(keys.Back)+" goes back", w)))
	}
	if sh.err != nil {
		add("")
		for _, l := range errorLines(s, keys.Confirm, "The share list was not changed.", sh.err, "") {
			add(" " + ui.Truncate(l, w-1))
		}
	}
	if sh.sending && sh.known {
		add(s.Busy.Render(" " + env.spinner + " Sending…"))
		cur = nil
	}
	win := newWindow(b, height)
	for _, l := range lines {
		win.line(ui.Truncate(l, w))
	}
	win.fill()
	if cur != nil && cur.Y >= height {
		return nil
	}
	return cur
}
