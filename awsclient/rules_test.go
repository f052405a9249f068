package awsclient

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Cases follow the rules of ../shared/docs/docdb-api.md ("Semantics").
func TestValidateSnapshotID(t *testing.T) {
	cases := []struct {
		in, norm string
		first    string // first problem's message; empty when valid
		count    int    // number of problems
	}{
		{"a", "a", "", 0},
		{"A", "a", "", 0},
		{"snap", "snap", "", 0},
		{"Prod-Snap-1", "prod-snap-1", "", 0},
		{"a1-b2-c3", "a1-b2-c3", "", 0},
		{"x" + strings.Repeat("9", 62), "x" + strings.Repeat("9", 62), "", 0},
		{strings.Repeat("A", 63), strings.Repeat("a", 63), "", 0},
		{"", "", "is required: 1 to 63 letters, digits or hyphens, starting with a letter", 1},
		{strings.Repeat("a", 256), strings.Repeat("a", 256), "is 256 characters long: the limit is 255", 1},
		{"1abc", "1abc", "must start with a letter: character 1 is '1'", 1},
		{"-abc", "-abc", "must start with a letter: character 1 is '-'", 1},
		{"_abc", "_abc", "must start with a letter: character 1 is '_'", 1},
		{"snap_1", "snap_1", "character 5 '_' is not allowed: use letters, digits or hyphens", 1},
		{"snap.1", "snap.1", "character 5 '.' is not allowed: use letters, digits or hyphens", 1},
		{"snap 1", "snap 1", "character 5 ' ' (space) is not allowed: use letters, digits or hyphens", 1},
		{"snap/1", "snap/1", "character 5 '/' is not allowed: use letters, digits or hyphens", 1},
		{"snap:1", "snap:1", "character 5 ':' is not allowed: use letters, digits or hyphens", 1},
		{"snap\t1", "snap\t1", "character 5 U+0009 is not allowed: use letters, digits or hyphens", 1},
		{"snap\x1b[31m", "snap\x1b[31m", "character 5 U+001B is not allowed: use letters, digits or hyphens", 2},
		{"snäp", "snäp", "character 3 'ä' is not allowed: use letters, digits or hyphens", 1},
		{"ünicode", "ünicode", "must start with a letter: character 1 is 'ü'", 1},
		{"snap-日本", "snap-日本", "character 6 '日' is not allowed: use letters, digits or hyphens", 2},
		{"a--b", "a--b", "characters 2 and 3 are two hyphens in a row: use one", 1},
		{"a---b", "a---b", "characters 2 and 3 are two hyphens in a row: use one", 2},
		{"snap-", "snap-", "ends with a hyphen: remove the last character or add a letter or digit after it", 1},
		{"snap--", "snap--", "characters 5 and 6 are two hyphens in a row: use one", 2},
		{"-", "-", "must start with a letter: character 1 is '-'", 1},
		{"My_Snap-", "my_snap-", "character 3 '_' is not allowed: use letters, digits or hyphens", 2},
		{"a\u200bb", "a\u200bb", "character 2 U+200B is not allowed: use letters, digits or hyphens", 1},
		{"a\u00a0b", "a\u00a0b", "character 2 U+00A0 is not allowed: use letters, digits or hyphens", 1},
	}
	for _, c := range cases {
		norm, ps := ValidateSnapshotID(c.in)
		if norm != c.norm {
			t.Errorf("ValidateSnapshotID(%q) normalized = %q, want %q", c.in, norm, c.norm)
		}
		if len(ps) != c.count {
			t.Errorf("ValidateSnapshotID(%q) = %d problems %v, want %d", c.in, len(ps), ps, c.count)
			continue
		}
		if c.count > 0 && ps[0].Message != c.first {
			t.Errorf("ValidateSnapshotID(%q) first problem = %q, want %q", c.in, ps[0].Message, c.first)
		}
		for _, p := range ps {
			if p.Field != FieldSnapshotID {
				t.Errorf("ValidateSnapshotID(%q) problem field = %v", c.in, p.Field)
			}
		}
	}
}

// Multi-byte characters count once: 63 two-byte characters are not "too long"
// even though they are 126 bytes (they fail on the character class instead).
func TestIdentifierCountsCharactersNotBytes(t *testing.T) {
	_, ps := ValidateSnapshotID("a" + strings.Repeat("é", 62))
	for _, p := range ps {
		if strings.Contains(p.Message, "long") {
			t.Fatalf("63 characters reported as too long: %v", p)
		}
	}
	_, ps = ValidateSnapshotID("a" + strings.Repeat("é", 255))
	if len(ps) == 0 || ps[0].Message != "is 256 characters long: the limit is 255" {
		t.Fatalf("256 characters: got %v", ps)
	}
}

// A new snapshot identifier of 64 to 255 characters is a warning: the
// CreateDBClusterSnapshot reference allows 63, DeleteDBCluster's final
// snapshot identifier and the console guide 255. A cluster identifier has no
// such disagreement.
func TestLongSnapshotIDIsAWarning(t *testing.T) {
	for _, n := range []int{64, 200, 255} {
		_, ps := ValidateSnapshotID(strings.Repeat("a", n))
		if len(ps) != 1 || !ps[0].Warning || len(Blocking(ps)) != 0 || len(Warnings(ps)) != 1 ||
			ps[0].Message != fmt.Sprintf("is %d characters long: CreateDBClusterSnapshot's reference allows 63, other AWS documents 255: AWS may refuse it", n) {
			t.Errorf("%d characters: %v", n, ps)
		}
	}
	_, ps := ValidateSnapshotID(strings.Repeat("a", 70) + "_")
	if len(ps) != 2 || !ps[0].Warning || ps[1].Warning || len(Blocking(ps)) != 1 {
		t.Errorf("a long identifier with a bad character: %v", ps)
	}
	if _, ps := ValidateClusterID(strings.Repeat("a", 64)); len(Blocking(ps)) != 1 || ps[0].Message != "is 64 characters long: the limit is 63" {
		t.Errorf("64-character cluster identifier: %v", ps)
	}
}

func TestValidateClusterID(t *testing.T) {
	norm, ps := ValidateClusterID("Payments-PROD")
	if norm != "payments-prod" || len(ps) != 0 {
		t.Fatalf("got %q %v", norm, ps)
	}
	_, ps = ValidateClusterID("9lives")
	if len(ps) != 1 || ps[0].Field != FieldClusterID || ps[0].String() != "cluster identifier: must start with a letter: character 1 is '9'" {
		t.Fatalf("got %v", ps)
	}
}

func TestValidateTags(t *testing.T) {
	cases := []struct {
		name string
		tags []Tag
		want []string // Problem.String() of every problem, in order
	}{
		{"none", nil, nil},
		{"simple", []Tag{{"team", "payments"}}, nil},
		{"absent value", []Tag{{"backup", ""}}, nil},
		{"allowed punctuation", []Tag{{"a_b.c:d/e=f+g-h", "x y_z.1:2/3=4+5-6"}}, nil},
		{"unicode letters and numbers", []Tag{{"équipe", "日本語 ٣"}}, nil},
		{"key 128 characters", []Tag{{strings.Repeat("k", 128), "v"}}, nil},
		{"value 256 multi-byte characters", []Tag{{"k", strings.Repeat("ü", 256)}}, nil},
		{"empty key", []Tag{{"", "v"}}, []string{"tag 1 key: the key is required"}},
		{"key too long", []Tag{{strings.Repeat("k", 129), ""}}, []string{"tag 1 key: is 129 characters long: the limit is 128"}},
		{"value too long", []Tag{{"k", strings.Repeat("v", 257)}}, []string{"tag 1 value: is 257 characters long: the limit is 256"}},
		{"aws prefix key", []Tag{{"aws:team", "x"}}, []string{`tag 1 key: must not start with "aws:": that prefix is reserved for AWS`}},
		{"AWS prefix other case", []Tag{{"AwS:team", "x"}}, []string{`warning: tag 1 key: starts with "AwS:", which AWS may take for its reserved prefix "aws:" and refuse`}},
		{"RDS prefix other case", []Tag{{"k", "RDS:x"}}, []string{`warning: tag 1 value: starts with "RDS:", which AWS may take for its reserved prefix "rds:" and refuse`}},
		{"rds prefix value", []Tag{{"k", "rds:x"}}, []string{`tag 1 value: must not start with "rds:": that prefix is reserved for AWS`}},
		{"aws without colon is fine", []Tag{{"awsome", "rdsx"}}, nil},
		{"at sign", []Tag{{"owner", "alice@example.com"}}, []string{"warning: tag 1 value: character 6 '@' is allowed by RDS's Tag reference but not DocumentDB's: AWS may refuse it"}},
		{"at sign in a key, and an error", []Tag{{"@team!", ""}}, []string{"warning: tag 1 key: character 1 '@' is allowed by RDS's Tag reference but not DocumentDB's: AWS may refuse it",
			"tag 1 key: character 6 '!' is not allowed: use letters, digits, spaces or _ . : / = + -"}},
		{"control character", []Tag{{"k\x07", "v"}}, []string{"tag 1 key: character 2 U+0007 is not allowed: use letters, digits, spaces or _ . : / = + -"}},
		{"duplicate keys", []Tag{{"env", "a"}, {"team", "b"}, {"env", "c"}}, []string{`tag 3 key: key "env" is already used by tag 1: keys must be unique`}},
		{"keys are case-sensitive", []Tag{{"Env", "a"}, {"env", "b"}}, nil},
		{"second tag bad", []Tag{{"ok", "ok"}, {"bad!", "ok"}}, []string{"tag 2 key: character 4 '!' is not allowed: use letters, digits, spaces or _ . : / = + -"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, p := range ValidateTags(c.tags) {
				if p.Warning {
					got = append(got, "warning: "+p.String())
				} else {
					got = append(got, p.String())
				}
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

func TestValidateTagsCount(t *testing.T) {
	tags := make([]Tag, 51)
	for i := range tags {
		tags[i] = Tag{Key: "k" + strings.Repeat("x", i)}
	}
	ps := ValidateTags(tags)
	if len(ps) != 1 || ps[0].Field != FieldTags || ps[0].String() != "tags: 51 tags: AWS allows at most 50 on a snapshot" {
		t.Fatalf("got %v", ps)
	}
	if ps := ValidateTags(tags[:50]); len(ps) != 0 {
		t.Fatalf("50 tags refused: %v", ps)
	}
}

func TestSuggestSnapshotID(t *testing.T) {
	at := time.Date(2026, 11, 29, 5, 7, 0, 0, time.FixedZone("x", 3600))
	cases := []struct{ cluster, want string }{
		{"payments-prod", "payments-prod-2026-11-29-0407"},
		{"Orders", "orders-2026-11-29-0407"},
		{strings.Repeat("c", 63), strings.Repeat("c", 47) + "-2026-11-29-0407"},
		{strings.Repeat("c", 46) + "-x", strings.Repeat("c", 46) + "-2026-11-29-0407"},
		{"", "snapshot-2026-11-29-0407"},
		{"9bad", "snapshot-2026-11-29-0407"},
	}
	for _, c := range cases {
		got := SuggestSnapshotID(c.cluster, at)
		if got != c.want {
			t.Errorf("SuggestSnapshotID(%q) = %q, want %q", c.cluster, got, c.want)
		}
		if _, ps := ValidateSnapshotID(got); len(ps) != 0 {
			t.Errorf("suggestion %q is invalid: %v", got, ps)
		}
	}
}

// An existing snapshot may be named otherwise than a new one: automated
// (rds:, longer than 63 for a long cluster id), by ARN in any AWS
// partition, or with an identifier up to 255 characters.
func TestValidateExistingSnapshot(t *testing.T) {
	cluster60 := "c" + strings.Repeat("x", 59)
	cases := []struct {
		name  string
		first string // the first problem; empty when accepted
	}{
		{"payments-prod-pre-migration", ""},
		{"rds:payments-prod-2026-11-29-00-30", ""},
		{"RDS:Payments-Prod-2026-11-29-00-30", ""},
		{"rds:" + cluster60 + "-2026-11-29-00-30", ""},
		{"a" + strings.Repeat("b", 254), ""},
		{"arn:aws:rds:us-east-1:123456789012:cluster-snapshot:payments-prod-pre-migration", ""},
		{"arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:" + cluster60 + "-2026-11-29-00-30", ""},
		{"arn:aws-cn:rds:cn-north-1:123456789012:cluster-snapshot:shared-1", ""},
		{"awsbackup:job-1b6f1c6a-5e2f-4d0e-9c1a-3f3c2a1b0e9d", ""},
		{"arn:aws:rds:us-east-1:123456789012:cluster-snapshot:awsbackup:job-1b6f1c6a-5e2f-4d0e-9c1a-3f3c2a1b0e9d", ""},
		{"awsbackup:job_1", "character 14 '_' is not allowed: use letters, digits or hyphens"},
		{"arn:aws-us-gov:rds:us-gov-west-1:123456789012:cluster-snapshot:shared-1", ""},
		{"", "is required: 1 to 255 letters, digits or hyphens, starting with a letter"},
		{"bad_id", "character 4 '_' is not allowed: use letters, digits or hyphens"},
		{"a" + strings.Repeat("b", 255), "is 256 characters long: the limit is 255"},
		{"rds:", "is required: 1 to 80 letters, digits or hyphens, starting with a letter"},
		{"rds:9lives-2026-11-29-00-30", "must start with a letter: character 5 is '9'"},
		{"rds:" + strings.Repeat("c", 64) + "-2026-11-29-00-30", "is 81 characters long: the limit is 80"},
		{"arn:aws:rds:us-east-1:123456789012:cluster-snapshot:snap_1", "character 57 '_' is not allowed: use letters, digits or hyphens"},
		{"arn:aws:rds:us-east-1:123456789012:cluster:payments-prod", `the ARN names a "cluster": want a cluster-snapshot`},
		{"arn:aws:rds:us-east-1:1234:cluster-snapshot:s", `the ARN's account "1234" is not 12 digits`},
		{"arn:aws:ec2:us-east-1:123456789012:cluster-snapshot:s", `the ARN's service "ec2" is not rds (DocumentDB's ARNs name rds)`},
		{"arn:gcp:rds:us-east-1:123456789012:cluster-snapshot:s", `the ARN's partition "gcp" is not AWS's: want aws, aws-cn, aws-us-gov...`},
		{"arn:aws:rds:US_EAST:123456789012:cluster-snapshot:s", `the ARN's region "US_EAST" is not a region name such as us-east-1`},
		{"arn:aws:rds:us-east-1", "is not a whole ARN: want arn:aws:rds:REGION:ACCOUNT:cluster-snapshot:ID"},
	}
	for _, c := range cases {
		ps := ValidateExistingSnapshot(c.name)
		got := ""
		if len(ps) > 0 {
			got = ps[0].Message
			if ps[0].Field != FieldSnapshotID || ps[0].Warning {
				t.Errorf("%q: %+v", c.name, ps[0])
			}
		}
		if got != c.first {
			t.Errorf("ValidateExistingSnapshot(%q) = %q, want %q", c.name, got, c.first)
		}
	}
	// A new identifier is held to 63 characters (a warning up to 255); an
	// automated one is not a new identifier at all.
	auto := "rds:" + cluster60 + "-2026-11-29-00-30"
	if _, ps := ValidateSnapshotID(auto); len(Blocking(ps)) == 0 {
		t.Errorf("%q is accepted as a new identifier", auto)
	}
}

func TestValidateExistingCluster(t *testing.T) {
	for name, first := range map[string]string{
		"payments-prod": "",
		"arn:aws:rds:eu-west-1:123456789012:cluster:payments-prod":         "",
		"arn:aws-cn:rds:cn-northwest-1:123456789012:cluster:Payments-Prod": "",
		"9_lives": "must start with a letter: character 1 is '9'",
		"arn:aws:rds:eu-west-1:123456789012:cluster:pay--ments":                 "characters 47 and 48 are two hyphens in a row: use one",
		"arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:payments-prod":     `the ARN names a "cluster-snapshot": want a cluster`,
		"arn:aws:rds:eu-west-1:123456789012:cluster:" + strings.Repeat("a", 64): "is 64 characters long: the limit is 63",
	} {
		ps := ValidateExistingCluster(name)
		got := ""
		if len(ps) > 0 {
			got = ps[0].Message
			if ps[0].Field != FieldClusterID {
				t.Errorf("%q: %+v", name, ps[0])
			}
		}
		if got != first {
			t.Errorf("ValidateExistingCluster(%q) = %q, want %q", name, got, first)
		}
	}
}

// A field of thousands of bad characters (pasted, or sent to the local
// endpoint) names the first few and counts the rest, so the messages stay
// short whatever the input's length.
func TestManyBadCharactersAreCounted(t *testing.T) {
	bad := "a" + strings.Repeat("_", 10000)
	_, ps := ValidateSnapshotID(bad)
	if len(ps) > maxCharProblems+3 {
		t.Fatalf("%d problems for one identifier", len(ps))
	}
	if last := ps[len(ps)-1].Message; !strings.Contains(last, "and 9995 more characters") {
		t.Errorf("the last problem does not count the rest: %q", last)
	}
	tp := ValidateTags([]Tag{{Key: strings.Repeat("!", 100), Value: strings.Repeat("@", 200)}})
	if len(tp) > 2*(maxCharProblems+1)+2 {
		t.Fatalf("%d problems for one tag", len(tp))
	}
	for _, want := range []string{"and 95 more characters", "and 195 more characters"} {
		found := false
		for _, p := range tp {
			found = found || strings.Contains(p.Message, want)
		}
		if !found {
			t.Errorf("no problem says %q: %v", want, tp)
		}
	}
	if len(Blocking(tp)) == len(tp) {
		t.Error("the counted '@' characters lost their warning state")
	}
}
