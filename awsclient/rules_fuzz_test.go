package awsclient

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// The rules as AWS words them (docdb-api.md, "Semantics"), written a second
// way for the fuzz tests to hold the rules to.
var (
	identifierShape = regexp.MustCompile(`^[A-Za-z](?:[A-Za-z0-9]|-[A-Za-z0-9])*$`)
	tagShape        = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-]*$`)
	// rdsTagShape is RDS's Tag pattern, which adds '@': what only it allows
	// is a warning.
	rdsTagShape = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
)

// plainMessage fails the test when a problem's message holds anything a
// terminal could act on or hide: control or format characters, line
// separators, invalid UTF-8.
func plainMessage(t *testing.T, p Problem) {
	t.Helper()
	for _, s := range []string{p.Message, p.String()} {
		if !utf8.ValidString(s) {
			t.Fatalf("message %q is not valid UTF-8", s)
		}
		for _, r := range s {
			if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp) {
				t.Fatalf("message %q holds %U", s, r)
			}
		}
	}
}

// FuzzValidateSnapshotID: the identifier rules never panic, accept exactly
// what AWS's rule describes, store lower case, and say what is wrong in
// plain text (the form shows the message under the field).
func FuzzValidateSnapshotID(f *testing.F) {
	for _, id := range []string{
		"a", "Nightly-2024", strings.Repeat("a", 63), strings.Repeat("a", 64), "", "-", "a-", "a--b", "1a",
		"snap_1", "snap\x1b[31m", "snap\u202eevil", "a\u200bb", "İ", "\u212a", "\xff", "a\x00", "日本", "a\u0301",
		"snap\u2028x", "\ufeffa",
	} {
		f.Add(id)
	}
	f.Fuzz(func(t *testing.T, id string) {
		for _, v := range []struct {
			validate func(string) (string, []Problem)
			warnMax  int // lengths above 63 up to this are a warning
		}{{ValidateSnapshotID, MaxLongSnapshotIDLen}, {ValidateClusterID, MaxIdentifierLen}} {
			norm, problems := v.validate(id)
			if norm != strings.ToLower(id) {
				t.Fatalf("%q is stored as %q", id, norm)
			}
			valid := identifierShape.MatchString(id) && len(id) <= v.warnMax
			if valid != (len(Blocking(problems)) == 0) {
				t.Fatalf("%q: problems %v, but AWS's rule says valid=%v", id, problems, valid)
			}
			n := utf8.RuneCountInString(id)
			if warned := n > MaxIdentifierLen && n <= v.warnMax; warned != (len(Warnings(problems)) == 1) {
				t.Fatalf("%q: warnings %v, want one: %v", id, Warnings(problems), warned)
			}
			if valid {
				if _, again := v.validate(norm); len(Blocking(again)) > 0 {
					t.Fatalf("%q is valid but its stored form %q is not: %v", id, norm, again)
				}
			}
			for _, p := range problems {
				plainMessage(t, p)
			}
		}
	})
}

// FuzzSuggestSnapshotID: a suggested identifier is valid by construction,
// whatever the cluster's name and the time.
func FuzzSuggestSnapshotID(f *testing.F) {
	f.Add("orders-prod", int64(1714566840))
	f.Add(strings.Repeat("a", 70), int64(0))
	f.Add("9-lives", int64(-62135596800))
	f.Add("a--b-", int64(253402300799))
	f.Add("日本語", int64(1))
	f.Add("", int64(-1))
	f.Add("orders", int64(-621355968000))
	f.Fuzz(func(t *testing.T, cluster string, unix int64) {
		at := time.Unix(unix, 0)
		id := SuggestSnapshotID(cluster, at)
		if _, problems := ValidateSnapshotID(id); len(problems) > 0 {
			t.Fatalf("SuggestSnapshotID(%q, %v) = %q, which is not valid: %v", cluster, at, id, problems)
		}
	})
}

// FuzzValidateTags: the tag rules never panic, accept exactly what AWS's
// rule describes (lengths in characters, the character class, no aws: or
// rds: prefix, unique keys), and say what is wrong in plain text.
func FuzzValidateTags(f *testing.F) {
	f.Add("team", "payments", "env", "")
	f.Add("", "", "", "")
	f.Add("aws:x", "v", "RDS:y", "v")
	f.Add("k", strings.Repeat("値", 256), "k", strings.Repeat("é", 257))
	f.Add(strings.Repeat("k", 129), "a b", "cost center", "x=y+z/w:v.u_t-s")
	f.Add("k\x1b]52;c;eA==\x07", "v\n", "k\u202e", "\xff")
	f.Add("مفتاح", "قيمة", "キー", "値 値")
	f.Add("a\u00a0b", "\u3000", "k", "v")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		tags := []Tag{{Key: k1, Value: v1}, {Key: k2, Value: v2}}
		problems := ValidateTags(tags)
		for _, p := range problems {
			plainMessage(t, p)
		}
		want := 0
		// text is whether s can be sent: RDS's wider pattern, and no
		// lower-case reserved prefix; warned is whether a document
		// forbids it all the same.
		text := func(s string, minLen, maxLen int) bool {
			n := utf8.RuneCountInString(s)
			prefix := s[:min(len(s), 4)]
			return n >= minLen && n <= maxLen && rdsTagShape.MatchString(s) && utf8.ValidString(s) &&
				prefix != "aws:" && prefix != "rds:"
		}
		warned := func(s string) bool {
			lower := strings.ToLower(s[:min(len(s), 4)])
			return !tagShape.MatchString(s) || lower == "aws:" || lower == "rds:"
		}
		for i, tg := range tags {
			keyOK := text(tg.Key, 1, MaxTagKeyLen) && (i == 0 || tg.Key != tags[0].Key)
			valueOK := tg.Value == "" || text(tg.Value, 0, MaxTagValueLen)
			var keyProblems, valueProblems, keyWarnings, valueWarnings int
			for _, p := range problems {
				switch {
				case p.Tag != i:
				case p.Warning && p.Field == FieldTagKey:
					keyWarnings++
				case p.Warning && p.Field == FieldTagValue:
					valueWarnings++
				case p.Field == FieldTagKey:
					keyProblems++
				case p.Field == FieldTagValue:
					valueProblems++
				}
			}
			if keyOK != (keyProblems == 0) || valueOK != (valueProblems == 0) {
				t.Fatalf("tag %d %q=%q: %d key and %d value problems %v; AWS's rule says key ok %v, value ok %v",
					i+1, tg.Key, tg.Value, keyProblems, valueProblems, problems, keyOK, valueOK)
			}
			if keyOK && (keyWarnings > 0) != warned(tg.Key) || valueOK && tg.Value != "" && (valueWarnings > 0) != warned(tg.Value) {
				t.Fatalf("tag %d %q=%q: %d key and %d value warnings %v", i+1, tg.Key, tg.Value, keyWarnings, valueWarnings, problems)
			}
			if keyOK && valueOK {
				want++
			}
		}
		if (want == len(tags)) != (len(Blocking(problems)) == 0) {
			t.Fatalf("%v: problems %v", tags, problems)
		}
	})
}

// FuzzValidateExisting: the rules for names of what exists never panic,
// say what is wrong in plain text, never warn, and accept every valid new
// identifier, its automated form and its ARN.
func FuzzValidateExisting(f *testing.F) {
	for _, s := range []string{"payments-prod", "rds:payments-prod-2026-11-29-00-30", "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:x",
		"arn:aws-cn:rds:cn-north-1:123456789012:cluster:c", "arn:", "arn:aws:rds:\u202e:1:cluster:x", "rds:", "RDS:\x00", "arn:aws:rds:a:123456789012:cluster:\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		for _, ps := range [][]Problem{ValidateExistingSnapshot(name), ValidateExistingCluster(name)} {
			for _, p := range ps {
				plainMessage(t, p)
				if p.Warning {
					t.Fatalf("%q: a warning %v", name, p)
				}
			}
		}
		if _, ps := ValidateClusterID(name); len(ps) == 0 {
			for _, n := range []string{name, "rds:" + name + "-2026-11-29-00-30", "arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:" + name} {
				if ps := ValidateExistingSnapshot(n); len(ps) > 0 {
					t.Fatalf("%q is refused: %v", n, ps)
				}
			}
			if ps := ValidateExistingCluster("arn:aws-us-gov:rds:us-gov-west-1:123456789012:cluster:" + name); len(ps) > 0 {
				t.Fatalf("the ARN of %q is refused: %v", name, ps)
			}
		}
	})
}
