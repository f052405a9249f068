package awsclient

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The identifier and tag rules of DocumentDB, in one place: the snapshot form
// validates with them as the user types, the scriptable commands before they
// call AWS, and the local endpoint when a request arrives. Lengths count
// Unicode characters, not bytes, and positions are 1-based characters.

// Limits AWS enforces.
const (
	MaxIdentifierLen = 63
	MaxTagKeyLen     = 128
	MaxTagValueLen   = 256
	MaxTags          = 50
)

// Field names the input a Problem is about.
type Field int

// Fields a Problem can name.
const (
	FieldSnapshotID Field = iota
	FieldClusterID
	FieldTagKey
	FieldTagValue
	FieldTags // the tag list as a whole (how many)
)

// Problem is one rule an input breaks.
type Problem struct {
	Field Field
	// Tag is the 0-based index of the tag for FieldTagKey and FieldTagValue.
	Tag int
	// Message says what is wrong and where within the field, for showing
	// under it: "character 5 '_' is not allowed: use letters, digits or
	// hyphens".
	Message string
}

// String says which field the problem is in, then the problem, for places
// that show it away from the field (a command's stderr, an API error).
func (p Problem) String() string {
	switch p.Field {
	case FieldSnapshotID:
		return "snapshot identifier: " + p.Message
	case FieldClusterID:
		return "cluster identifier: " + p.Message
	case FieldTagKey:
		return fmt.Sprintf("tag %d key: %s", p.Tag+1, p.Message)
	case FieldTagValue:
		return fmt.Sprintf("tag %d value: %s", p.Tag+1, p.Message)
	default:
		return "tags: " + p.Message
	}
}

// ValidateSnapshotID checks a cluster snapshot identifier and returns the form
// AWS stores (lower case) with every problem found, in the order they occur.
func ValidateSnapshotID(id string) (string, []Problem) {
	return strings.ToLower(id), identifierProblems(FieldSnapshotID, id)
}

// ValidateClusterID checks a cluster identifier the same way; AWS matches
// cluster identifiers case-insensitively and stores them lower case.
func ValidateClusterID(id string) (string, []Problem) {
	return strings.ToLower(id), identifierProblems(FieldClusterID, id)
}

func identifierProblems(f Field, id string) []Problem {
	var ps []Problem
	add := func(format string, a ...any) {
		ps = append(ps, Problem{Field: f, Message: fmt.Sprintf(format, a...)})
	}
	n := utf8.RuneCountInString(id)
	switch {
	case n == 0:
		add("is required: 1 to %d letters, digits or hyphens, starting with a letter", MaxIdentifierLen)
		return ps
	case n > MaxIdentifierLen:
		add("is %d characters long: the limit is %d", n, MaxIdentifierLen)
	}
	pos, prev := 0, rune(0)
	for _, r := range id {
		pos++
		switch {
		case pos == 1 && !isASCIILetter(r):
			add("must start with a letter: character 1 is %s", showRune(r))
		case !isASCIILetter(r) && !isASCIIDigit(r) && r != '-':
			add("character %d %s is not allowed: use letters, digits or hyphens", pos, showRune(r))
		case r == '-' && prev == '-':
			add("characters %d and %d are two hyphens in a row: use one", pos-1, pos)
		}
		prev = r
	}
	if prev == '-' && n > 1 {
		add("ends with a hyphen: remove the last character or add a letter or digit after it")
	}
	return ps
}

// ValidateTags checks tags as one CreateDBClusterSnapshot request would send
// them: each key and value, unique keys, and the count.
func ValidateTags(tags []Tag) []Problem {
	var ps []Problem
	if len(tags) > MaxTags {
		ps = append(ps, Problem{Field: FieldTags, Message: fmt.Sprintf("%d tags: AWS allows at most %d on a snapshot", len(tags), MaxTags)})
	}
	first := make(map[string]int, len(tags))
	for i, t := range tags {
		for _, m := range tagTextProblems(t.Key, "key", 1, MaxTagKeyLen) {
			ps = append(ps, Problem{Field: FieldTagKey, Tag: i, Message: m})
		}
		if j, seen := first[t.Key]; seen && t.Key != "" {
			ps = append(ps, Problem{Field: FieldTagKey, Tag: i, Message: fmt.Sprintf("key %q is already used by tag %d: keys must be unique", t.Key, j+1)})
		} else if !seen {
			first[t.Key] = i
		}
		for _, m := range tagTextProblems(t.Value, "value", 0, MaxTagValueLen) {
			ps = append(ps, Problem{Field: FieldTagValue, Tag: i, Message: m})
		}
	}
	return ps
}

func tagTextProblems(s, what string, minLen, maxLen int) []string {
	var ms []string
	n := utf8.RuneCountInString(s)
	if n < minLen {
		return []string{fmt.Sprintf("the %s is required", what)}
	}
	if n > maxLen {
		ms = append(ms, fmt.Sprintf("is %d characters long: the limit is %d", n, maxLen))
	}
	if len(s) >= 4 {
		if p := strings.ToLower(s[:4]); p == "aws:" || p == "rds:" {
			ms = append(ms, fmt.Sprintf("must not start with %q: that prefix is reserved for AWS", s[:4]))
		}
	}
	pos := 0
	for _, r := range s {
		pos++
		if !tagRune(r) {
			ms = append(ms, fmt.Sprintf("character %d %s is not allowed: use letters, digits, spaces or _ . : / = + -", pos, showRune(r)))
		}
	}
	return ms
}

// tagRune is the character class of AWS tags: ^([\p{L}\p{Z}\p{N}_.:/=+\-]*)$
func tagRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.In(r, unicode.Z) || unicode.IsNumber(r) || strings.ContainsRune("_.:/=+-", r)
}

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
func isASCIIDigit(r rune) bool  { return r >= '0' && r <= '9' }

// showRune quotes a character for a message; invisible ones are named by
// code point so that a message never carries a raw control character.
func showRune(r rune) string {
	if r == ' ' {
		return "' ' (space)"
	}
	if unicode.IsGraphic(r) && !unicode.In(r, unicode.Z) {
		return "'" + string(r) + "'"
	}
	return fmt.Sprintf("U+%04X", r)
}

// SuggestSnapshotID proposes a valid identifier for a snapshot of a cluster
// taken at t: "<cluster>-YYYY-MM-DD-HHMM" in UTC, the cluster part shortened
// when the whole would be too long.
func SuggestSnapshotID(clusterID string, t time.Time) string {
	if t.UTC().Year() < 0 {
		t = time.Time{} // a year before 0 would add a minus sign: two hyphens in a row
	}
	suffix := t.UTC().Format("-2006-01-02-1504")
	base := strings.ToLower(clusterID)
	if max := MaxIdentifierLen - len(suffix); len(base) > max {
		base = base[:max]
	}
	base = strings.TrimRight(base, "-")
	if _, ps := ValidateSnapshotID(base + suffix); base == "" || len(ps) > 0 {
		return "snapshot" + suffix
	}
	return base + suffix
}
