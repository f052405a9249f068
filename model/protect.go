package model

import (
	"path"
	"strings"

	"charm.land/bubbles/v2/textinput"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/stamp"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// guard is the protection of the form's cluster: a cluster matching a
// --protect pattern or carrying the protect tag needs its name typed on the
// confirmation before a snapshot is sent. Until its tags are known it
// counts as unknown (enter waits); tags that cannot be read count as
// protected.
type guard struct {
	seq       stamp.Seq
	known     bool
	protected bool
	why       string // "it matches the pattern orders-*"
	// waiting says enter was pressed on the confirmation while its tags
	// were being read (not known yet): the snapshot is sent as soon as the
	// cluster turns out unprotected (a protected one asks for its name).
	waiting bool
	name    string // what must be typed: the identifier as shown
	input   textinput.Model
}

func (g *guard) init() {
	g.input = newField(256)
}

// typing reports whether the confirmation asks for the name.
func (g *guard) typing() bool { return g.known && g.protected }

// satisfied reports whether a snapshot may be sent: the cluster is known
// not to be protected, or its name has been typed exactly.
func (g *guard) satisfied() bool {
	return g.known && (!g.protected || g.input.Value() == g.name)
}

// check works out whether r is protected: at once from the patterns or
// from tags already known; otherwise it asks for r's tags.
func (g *guard) check(r row, patterns []string, tag awsclient.Tag) *tagsRequest {
	g.seq.Next()
	g.known, g.protected, g.why, g.waiting, g.name = false, false, "", false, r.c.ID
	g.input.SetValue("")
	g.input.Blur()
	if protected, known, why := protection(&r, patterns, tag); known {
		g.set(protected, why)
		return nil
	}
	return &tagsRequest{seq: g.seq, client: r.sc.client, arn: r.c.ARN}
}

// protection says whether r is protected and why, from the patterns and
// the tags known of it; known is false when its tags must be read to tell.
func protection(r *row, patterns []string, tag awsclient.Tag) (protected, known bool, why string) {
	for _, p := range patterns {
		if ok, _ := path.Match(p, r.id); ok {
			return true, true, "it matches the pattern " + sanitize.String(p) + " (--protect)"
		}
	}
	switch {
	case r.tagsKnown:
		protected, why = tagProtects(tag, r.tags)
		return protected, true, why
	case r.c.ARN == "":
		return false, true, ""
	}
	return false, false, ""
}

// asked reports whether msg answers the guard's last check; the tags of
// an earlier form's cluster are dropped.
func (g *guard) asked(msg protectMsg) bool { return g.seq.Fresh(msg.seq) }

func (g *guard) set(protected bool, why string) {
	g.known, g.protected, g.why = true, protected, why
	if protected {
		g.input.Focus()
	}
}

// decide looks for the protect tag want among tags.
func (g *guard) decide(want awsclient.Tag, tags []awsclient.Tag) {
	g.set(tagProtects(want, tags))
}

// tagProtects says whether tags hold the protect tag want, and why.
func tagProtects(want awsclient.Tag, tags []awsclient.Tag) (bool, string) {
	for _, t := range tags {
		if t.Key == want.Key && (want.Value == "" || strings.EqualFold(t.Value, want.Value)) {
			return true, "it has the tag " + sanitize.String(tagText(want))
		}
	}
	return false, ""
}

func tagText(t awsclient.Tag) string {
	if t.Value == "" {
		return t.Key
	}
	return t.Key + "=" + t.Value
}
