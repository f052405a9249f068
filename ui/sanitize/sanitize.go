// Package sanitize makes text from AWS (names, statuses, tags, error
// messages) safe to put on a terminal: a hostile or broken endpoint must not
// be able to move the cursor, change colours, set the window title, or
// reorder what the user reads.
package sanitize

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/docsnap/docsnap/awsclient"
)

// String returns s as one line of plain text: escape sequences are removed
// whole, tabs and line breaks become spaces, and every other control
// character (C0, DEL, C1), bidirectional override or isolate, and invalid
// UTF-8 byte is dropped. Clean text comes back as it is, without allocating.
func String(s string) string {
	if clean(s) {
		return s
	}
	if strings.IndexByte(s, 0x1b) >= 0 || strings.IndexByte(s, 0x9b) >= 0 || strings.IndexByte(s, 0x9d) >= 0 {
		// Remove whole sequences (ESC or 8-bit CSI and OSC), not just their
		// first byte, so that no "[31m" debris is left on screen.
		s = ansi.Strip(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			i++
			continue
		}
		i += n
		switch {
		case r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == '\u2028' || r == '\u2029' || r == '\u0085':
			b.WriteByte(' ')
		case !dropped(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// clean reports whether s is printable ASCII, the common case, so that
// sanitizing costs one scan and no allocation.
func clean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return cleanUnicode(s[i:])
		}
	}
	return true
}

func cleanUnicode(s string) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
				return false
			}
		}
		if dropped(r) {
			return false
		}
	}
	return true
}

// dropped reports the characters that must never reach a terminal: C0 and
// C1 controls, DEL, the Unicode line and paragraph separators (String makes
// them spaces, as it does the other line breaks), and the bidirectional
// controls that can make text display in an order other than the one it has
// (Trojan Source).
func dropped(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f, r == '\u2028', r == '\u2029':
		return true
	case r == '\u061c', r == '\u200e', r == '\u200f',
		r >= '\u202a' && r <= '\u202e',
		r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// Rune maps one character typed by the user to what a field shows for it:
// itself, or U+FFFD for a character that String would not keep, so that a
// field shows one cell for each character it holds and the cursor stays
// aligned.
func Rune(r rune) rune {
	if dropped(r) {
		return utf8.RuneError
	}
	return r
}

// Cluster returns c with every text field sanitized.
func Cluster(c awsclient.Cluster) awsclient.Cluster {
	c.ID = String(c.ID)
	c.ARN = String(c.ARN)
	c.Region = String(c.Region)
	c.Status = String(c.Status)
	c.Engine = String(c.Engine)
	c.EngineVersion = String(c.EngineVersion)
	c.Endpoint = String(c.Endpoint)
	c.ReaderEndpoint = String(c.ReaderEndpoint)
	c.BackupWindow = String(c.BackupWindow)
	if len(c.Members) > 0 {
		ms := make([]awsclient.Member, len(c.Members))
		for i, m := range c.Members {
			ms[i] = awsclient.Member{InstanceID: String(m.InstanceID), Writer: m.Writer}
		}
		c.Members = ms
	}
	return c
}

// GlobalCluster returns g with every text field sanitized.
func GlobalCluster(g awsclient.GlobalCluster) awsclient.GlobalCluster {
	g.ID = String(g.ID)
	g.ARN = String(g.ARN)
	g.Status = String(g.Status)
	g.Engine = String(g.Engine)
	g.EngineVersion = String(g.EngineVersion)
	if len(g.Members) > 0 {
		ms := make([]awsclient.GlobalMember, len(g.Members))
		for i, m := range g.Members {
			ms[i] = awsclient.GlobalMember{ClusterARN: String(m.ClusterARN), Region: String(m.Region),
				ClusterID: String(m.ClusterID), Primary: m.Primary}
		}
		g.Members = ms
	}
	return g
}

// Instance returns in with every text field sanitized.
func Instance(in awsclient.Instance) awsclient.Instance {
	in.ID = String(in.ID)
	in.ClusterID = String(in.ClusterID)
	in.Class = String(in.Class)
	in.Status = String(in.Status)
	in.AvailabilityZone = String(in.AvailabilityZone)
	return in
}

// Snapshot returns s with every text field sanitized.
func Snapshot(s awsclient.Snapshot) awsclient.Snapshot {
	s.ID = String(s.ID)
	s.ARN = String(s.ARN)
	s.ClusterID = String(s.ClusterID)
	s.Status = String(s.Status)
	s.Type = String(s.Type)
	s.EngineVersion = String(s.EngineVersion)
	return s
}

// Tags returns a sanitized copy of tags.
func Tags(tags []awsclient.Tag) []awsclient.Tag {
	out := make([]awsclient.Tag, len(tags))
	for i, t := range tags {
		out[i] = awsclient.Tag{Key: String(t.Key), Value: String(t.Value)}
	}
	return out
}
