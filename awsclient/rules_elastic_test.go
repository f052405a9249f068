package awsclient

import (
	"strings"
	"testing"
)

// The elastic rules: CreateClusterSnapshot's length is an error, the shape
// CopyClusterSnapshot documents a warning; tag keys follow the model's
// pattern, values only its length.
func TestValidateElasticSnapshotName(t *testing.T) {
	for _, tc := range []struct {
		in               string
		errors, warnings int
		first            string
	}{
		{"events-before-upgrade", 0, 0, ""},
		{"Events-1", 0, 0, ""},
		{strings.Repeat("a", 63), 0, 0, ""},
		{"", 1, 0, "is required: 1 to 63 letters, digits or hyphens, starting with a letter"},
		{strings.Repeat("a", 64), 1, 0, "is 64 characters long: the limit is 63"},
		{"1st", 0, 1, "must start with a letter: character 1 is '1' (CopyClusterSnapshot's rule; CreateClusterSnapshot's documents only a length: AWS may refuse it)"},
		{"snap_1", 0, 1, "character 5 '_' is not allowed: use letters, digits or hyphens (CopyClusterSnapshot's rule; CreateClusterSnapshot's documents only a length: AWS may refuse it)"},
		{"a--b-", 0, 2, "characters 2 and 3 are two hyphens in a row: use one (CopyClusterSnapshot's rule; CreateClusterSnapshot's documents only a length: AWS may refuse it)"},
		{"x\x1b" + strings.Repeat("a", 70), 1, 1, "is 72 characters long: the limit is 63"},
	} {
		ps := ValidateElasticSnapshotName(tc.in)
		if len(Blocking(ps)) != tc.errors || len(Warnings(ps)) != tc.warnings {
			t.Errorf("%q: %d errors and %d warnings, want %d and %d: %v", tc.in, len(Blocking(ps)), len(Warnings(ps)), tc.errors, tc.warnings, ps)
			continue
		}
		if len(ps) > 0 && ps[0].Message != tc.first {
			t.Errorf("%q: first problem %q, want %q", tc.in, ps[0].Message, tc.first)
		}
		for _, p := range ps {
			if p.Field != FieldSnapshotID {
				t.Errorf("%q: %+v is not about the name", tc.in, p)
			}
		}
	}
}

func TestValidateElasticTags(t *testing.T) {
	for _, tc := range []struct {
		tags             []Tag
		errors, warnings int
		first            string
	}{
		{[]Tag{{"team", "events"}, {"cost-center_1", ""}, {"a+b=c.d:e/f", "anything at all: 日本 @ ü"}}, 0, 0, ""},
		{[]Tag{{"", "v"}}, 1, 0, "the key is required"},
		{[]Tag{{"aws:team", "v"}}, 1, 0, `must not start with "aws:": that prefix is reserved for AWS`},
		{[]Tag{{"AWS:team", "v"}}, 0, 1, `starts with "AWS:", which AWS may take for its reserved prefix "aws:" and refuse`},
		{[]Tag{{"team name", "v"}}, 1, 0, "character 5 ' ' (space) is not allowed: use ASCII letters, digits or + - = . _ : /"},
		{[]Tag{{"équipe", "v"}}, 1, 0, "character 1 'é' is not allowed: use ASCII letters, digits or + - = . _ : /"},
		{[]Tag{{"a;b", "v"}}, 0, 1, "character 2 ';' is allowed only by a range in the API model's pattern: AWS may refuse it"},
		{[]Tag{{strings.Repeat("k", 129), "v"}}, 1, 0, "is 129 characters long: the limit is 128"},
		{[]Tag{{"k", strings.Repeat("v", 257)}}, 1, 0, "is 257 characters long: the limit is 256"},
		{[]Tag{{"k", "1"}, {"k", "2"}}, 1, 0, `key "k" is already used by tag 1: keys must be unique`},
		{make51Tags(), 0, 1, "51 tags: AWS's tagging guide allows at most 50 on a resource: AWS may refuse them"},
	} {
		ps := ValidateElasticTags(tc.tags)
		if len(Blocking(ps)) != tc.errors || len(Warnings(ps)) != tc.warnings {
			t.Errorf("%v: %d errors and %d warnings, want %d and %d: %v", tc.tags, len(Blocking(ps)), len(Warnings(ps)), tc.errors, tc.warnings, ps)
			continue
		}
		if len(ps) > 0 && ps[0].Message != tc.first {
			t.Errorf("%v: first problem %q, want %q", tc.tags, ps[0].Message, tc.first)
		}
	}
}

func make51Tags() []Tag {
	tags := make([]Tag, 51)
	for i := range tags {
		tags[i] = Tag{Key: "k" + strings.Repeat("x", i)}
	}
	return tags
}
