// Package sanitize makes text from AWS (names, statuses, tags, error
// messages) safe to put on a terminal: a hostile or broken endpoint must not
// be able to move the cursor, change colours, set the window title, or
// reorder what the user reads.
package sanitize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/docsnap/docsnap/awsclient"
)

// String returns s as one line of plain text that every terminal draws in
// the cells ui.Width counts: escape sequences are removed whole, tabs and
// line breaks become spaces, and every other control character (C0, DEL,
// C1), format character, variation selector, emoji skin-tone modifier and
// invalid UTF-8 byte is dropped; a character Unicode has not assigned, and a
// cluster terminals draw at different widths, becomes U+FFFD. Clean text
// comes back as it is, without allocating.
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
			b.WriteRune(Rune(r))
		}
	}
	return settle(b.String())
}

// clean reports whether s is printable ASCII, the common case, or text
// String would leave as it is, so that sanitizing costs one scan and no
// allocation.
func clean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return cleanUnicode(s, i)
		}
	}
	return true
}

func cleanUnicode(s string, from int) bool {
	for i, r := range s[from:] {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[from+i:]); n <= 1 {
				return false
			}
		}
		if Rune(r) != r {
			return false
		}
	}
	return settle(s) == s
}

// dropped reports the characters that must never reach a terminal:
//   - C0 and C1 controls, DEL, and the Unicode line and paragraph separators
//     (String makes them spaces, as it does the other line breaks);
//   - format characters (category Cf). Among them are the bidirectional
//     controls that can make text display in an order other than the one it
//     has (Trojan Source), and invisible ones (soft hyphen, zero-width space
//     and joiners, word joiner, byte order mark, tag characters) that one
//     terminal draws in no cell and another in one. Text without them reads
//     the same: they mark where a line may break or how letters join, which
//     a one-line cell does not use. Without the zero-width joiner an emoji
//     sequence shows as the emoji it is made of, which terminals agree are
//     two cells each; as one cluster some draw it in two cells, some in six.
//   - variation selectors: one after a character that can be text or emoji
//     (❤, ©, a keycap digit) makes it one cell for some terminals and two
//     for others; without it the character takes its default form, on
//     whose width they agree;
//   - emoji skin-tone modifiers, for the same reason: 👍🏻 is two cells or
//     four; 👍 is two.
func dropped(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f, r == '\u2028', r == '\u2029':
		return true
	case r < 0xa0:
		return false
	case r >= 0x1f3fb && r <= 0x1f3ff:
		return true
	}
	return unicode.In(r, unicode.Cf, unicode.Variation_Selector)
}

// Rune maps one character typed by the user to what a field shows for it:
// itself, or U+FFFD for a character that String would not keep as it is, so
// that a field shows one cell for each character it holds and the cursor
// stays aligned. A character Unicode has not assigned (as of the tables Go
// was built with) is shown as U+FFFD too: terminals built with other tables
// disagree on its width, as they do on any new emoji.
func Rune(r rune) rune {
	if r < 0x7f && !dropped(r) {
		return r
	}
	if dropped(r) || !unicode.IsGraphic(r) && !unicode.Is(unicode.Co, r) {
		return utf8.RuneError
	}
	return r
}

// settle returns s with U+FFFD for each grapheme cluster (a character with
// its accents or vowel signs) that would not take the same cells on every
// terminal, and s itself when there is none. Terminals that segment text
// into clusters (mode 2027, which Bubble Tea turns on where the terminal
// has it) draw a cluster in the cells ui.Width counts; the others advance
// for each character of it. The two counts differ for a cluster with an
// Indic vowel sign or conjunct ("हि" is one cell or two), a halfwidth kana
// with its sound mark, or a lone regional indicator (a pair, a flag, is two
// cells either way). No way of drawing those is measured the same by every
// terminal, so they are marked rather than left to shift the rest of the
// row. Conjoining Hangul jamo are the exception: those of modern Korean
// are put together into the syllable they spell, two cells everywhere.
// Also marked: a cluster at the start that would join the character before
// it (a mark with no letter) and one at the end that would join the one
// after it (a mark written before a letter), since next to other text they
// would change its width.
//
// Characters of ambiguous width (é, Greek, Cyrillic, …) stay: they are one
// cell, or two for both counts where RUNEWIDTH_EASTASIAN says the terminal
// draws them so, as it does docsnap's own ellipses and dots.
func settle(s string) string {
	var b strings.Builder
	done := 0 // s[:done] is in b
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf && (i+1 == len(s) || s[i+1] < utf8.RuneSelf) {
			i++ // ASCII next to ASCII: a cluster of its own, one cell
			continue
		}
		c, w := ansi.FirstGraphemeCluster(s[i:], ansi.GraphemeWidth)
		steady := w == ansi.StringWidthWc(c)
		if r, _ := utf8.DecodeRuneInString(c); i == 0 && mayJoin(r) {
			steady = steady && !joins('a', r)
		}
		if r, _ := utf8.DecodeLastRuneInString(c); i+len(c) == len(s) && mayJoin(r) {
			steady = steady && !joins(r, 'a')
		}
		if !steady {
			b.Grow(len(s))
			b.WriteString(s[done:i])
			b.WriteRune(syllable(c))
			done = i + len(c)
		}
		i += len(c)
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// syllable returns the precomposed Hangul syllable that the conjoining jamo
// of cluster spell (a leading consonant and a vowel, or a syllable without
// a final consonant, then maybe a final consonant), or U+FFFD for any other
// cluster.
func syllable(cluster string) rune {
	const (
		sBase, lBase, vBase, tBase = 0xac00, 0x1100, 0x1161, 0x11a7
		vCount, tCount             = 21, 28
	)
	rs := []rune(cluster)
	var s rune
	switch {
	case len(rs) >= 2 && rs[0] >= lBase && rs[0] < lBase+19 && rs[1] >= vBase && rs[1] < vBase+vCount:
		s = sBase + ((rs[0]-lBase)*vCount+rs[1]-vBase)*tCount
		rs = rs[2:]
	case len(rs) >= 1 && rs[0] >= sBase && rs[0] < sBase+11172 && (rs[0]-sBase)%tCount == 0:
		s = rs[0]
		rs = rs[1:]
	default:
		return utf8.RuneError
	}
	switch {
	case len(rs) == 0:
		return s
	case len(rs) == 1 && rs[0] > tBase && rs[0] < tBase+tCount:
		return s + rs[0] - tBase
	}
	return utf8.RuneError
}

// mayJoin reports whether r may make one grapheme cluster with a letter
// next to it: only marks and some letters do (vowel signs, sound marks,
// marks written before a letter), and no letter of the Chinese, Japanese
// or Korean scripts. Asking it first spares most text the allocation joins
// costs.
func mayJoin(r rune) bool {
	return unicode.Is(unicode.M, r) ||
		unicode.In(r, unicode.Lm, unicode.Lo) && !unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// joins reports whether a and b, one after the other, make one grapheme
// cluster.
func joins(a, b rune) bool {
	var buf [2 * utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], a)
	m := utf8.EncodeRune(buf[n:], b)
	c, _ := ansi.FirstGraphemeCluster(buf[:n+m], ansi.GraphemeWidth)
	return len(c) > n
}

// Cluster returns c with every text field sanitized.
func Cluster(c awsclient.Cluster) awsclient.Cluster {
	fields(&c.ID, &c.ARN, &c.Region, &c.Status, &c.Engine, &c.EngineVersion,
		&c.Endpoint, &c.ReaderEndpoint, &c.BackupWindow, &c.MaintenanceWindow, &c.AuthType, &c.AdminUser, &c.KMSKeyID)
	c.Members = each(c.Members, func(m *awsclient.Member) { fields(&m.InstanceID) })
	return c
}

// GlobalCluster returns g with every text field sanitized.
func GlobalCluster(g awsclient.GlobalCluster) awsclient.GlobalCluster {
	fields(&g.ID, &g.ARN, &g.Status, &g.Engine, &g.EngineVersion)
	g.Members = each(g.Members, func(m *awsclient.GlobalMember) { fields(&m.ClusterARN, &m.Region, &m.ClusterID) })
	return g
}

// Instance returns in with every text field sanitized.
func Instance(in awsclient.Instance) awsclient.Instance {
	fields(&in.ID, &in.ClusterID, &in.Class, &in.Status, &in.AvailabilityZone)
	return in
}

// Snapshot returns s with every text field sanitized.
func Snapshot(s awsclient.Snapshot) awsclient.Snapshot {
	fields(&s.ID, &s.ARN, &s.ClusterID, &s.ClusterARN, &s.Status, &s.Type, &s.EngineVersion)
	return s
}

// fields sanitizes each of the strings in place.
func fields(fs ...*string) {
	for _, f := range fs {
		*f = String(*f)
	}
}

// each returns a copy of list with sanitize applied to every element, so
// that the caller's slice, which others may share, is never written; an
// empty or nil list comes back as it was.
func each[T any](list []T, sanitize func(*T)) []T {
	if len(list) == 0 {
		return list
	}
	out := make([]T, len(list))
	for i := range list {
		out[i] = list[i]
		sanitize(&out[i])
	}
	return out
}

// Tags returns a sanitized copy of tags.
func Tags(tags []awsclient.Tag) []awsclient.Tag {
	out := make([]awsclient.Tag, len(tags))
	for i, t := range tags {
		out[i] = awsclient.Tag{Key: String(t.Key), Value: String(t.Value)}
	}
	return out
}
