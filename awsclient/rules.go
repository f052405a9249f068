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
//
// docsnap is never stricter than AWS and never looser than AWS's documents.
// Where the documents agree, a broken rule is an error and nothing is sent.
// Where they disagree, the broken rule is a warning: the input may be sent
// and AWS decides. The sources:
//   - the DocumentDB API reference (the same text as the API model in
//     botocore and aws-sdk-go-v2): CreateDBClusterSnapshot, Tag;
//   - the RDS API reference's Tag page, for the control plane DocumentDB
//     shares with RDS;
//   - AWS's general tagging guide (Tagging AWS resources).

// Limits AWS enforces.
const (
	MaxIdentifierLen = 63
	MaxTagKeyLen     = 128
	MaxTagValueLen   = 256
	MaxTags          = 50

	// MaxLongSnapshotIDLen is the length of a cluster snapshot identifier
	// some documents allow: the API model's DeleteDBCluster
	// (FinalDBSnapshotIdentifier: "from 1 to 255 letters, numbers, or
	// hyphens") and the DocumentDB console guide, where
	// CreateDBClusterSnapshot's reference says 63. A new identifier longer
	// than 63 is a warning up to this length; an existing snapshot may have
	// one this long.
	MaxLongSnapshotIDLen = 255
)

// Field names the input a Problem is about.
type Field int

// Fields a Problem can name.
const (
	FieldSnapshotID Field = iota
	FieldClusterID
	FieldTagKey
	FieldTagValue
	FieldTags      // the tag list as a whole (how many)
	FieldAccountID // an account a snapshot is shared with
	FieldKMSKey    // the KMS key of a copy
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
	// Warning marks a rule AWS's own documents disagree on: the input may
	// be sent all the same, and AWS decides.
	Warning bool
}

// Blocking returns the problems that forbid sending: all but the warnings.
func Blocking(ps []Problem) []Problem {
	var out []Problem
	for _, p := range ps {
		if !p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// Warnings returns the warnings among ps.
func Warnings(ps []Problem) []Problem {
	var out []Problem
	for _, p := range ps {
		if p.Warning {
			out = append(out, p)
		}
	}
	return out
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
	case FieldAccountID:
		return "account: " + p.Message
	case FieldKMSKey:
		return "KMS key: " + p.Message
	default:
		return "tags: " + p.Message
	}
}

// ValidateSnapshotID checks the identifier of a new cluster snapshot and
// returns the form AWS stores (lower case) with every problem found, in the
// order they occur. Letters are ASCII letters: AWS's documents say
// "letters", and RDS's refusal of any other names ASCII letters. A length
// from 64 to MaxLongSnapshotIDLen is a warning (see there).
func ValidateSnapshotID(id string) (string, []Problem) {
	return strings.ToLower(id), identifierRule{field: FieldSnapshotID, max: MaxIdentifierLen, warnMax: MaxLongSnapshotIDLen}.problems(id)
}

// ValidateClusterID checks a cluster identifier the same way; AWS matches
// cluster identifiers case-insensitively and stores them lower case.
func ValidateClusterID(id string) (string, []Problem) {
	return strings.ToLower(id), identifierProblems(FieldClusterID, id)
}

// identifierProblems checks id with the plain identifier rule: 1 to 63
// characters, no warnings.
func identifierProblems(f Field, id string) []Problem {
	return identifierRule{field: f, max: MaxIdentifierLen}.problems(id)
}

// identifierRule is the shape of DocumentDB identifiers: 1 to max ASCII
// letters, digits or hyphens, starting with a letter, with no hyphen at the
// end nor two in a row.
type identifierRule struct {
	field Field
	max   int
	// warnMax, when above max, makes a length up to it a warning, not an
	// error: only a new snapshot identifier has one (see
	// MaxLongSnapshotIDLen), which its message names.
	warnMax int
	// offset is how many characters come before the identifier in what the
	// user typed (a prefix, an ARN's head), so that positions are theirs.
	offset int
	// shapeWarning, when set, makes the rules of the identifier's shape
	// (which characters, where) warnings, ending in it: the length stays
	// an error.
	shapeWarning string
}

func (r identifierRule) problems(id string) []Problem {
	var ps []Problem
	add := func(format string, a ...any) {
		ps = append(ps, Problem{Field: r.field, Message: fmt.Sprintf(format, a...)})
	}
	n := utf8.RuneCountInString(id)
	switch {
	case n == 0:
		add("is required: 1 to %d letters, digits or hyphens, starting with a letter", r.max)
		return ps
	case n > r.max && n <= r.warnMax:
		ps = append(ps, Problem{Field: r.field, Warning: true, Message: fmt.Sprintf(
			"is %d characters long: CreateDBClusterSnapshot's reference allows %d, other AWS documents %d: AWS may refuse it",
			n, r.max, r.warnMax)})
	case n > r.max:
		add("is %d characters long: the limit is %d", n, max(r.max, r.warnMax))
	}
	shape := add
	if r.shapeWarning != "" {
		shape = func(format string, a ...any) {
			ps = append(ps, Problem{Field: r.field, Warning: true, Message: fmt.Sprintf(format, a...) + r.shapeWarning})
		}
	}
	pos, prev := r.offset, rune(0)
	var more moreProblems
	for _, c := range id {
		pos++
		switch {
		case pos == r.offset+1 && !isASCIILetter(c):
			shape("must start with a letter: character %d is %s", pos, showRune(c))
		case !isASCIILetter(c) && !isASCIIDigit(c) && c != '-':
			if more.take() {
				shape("character %d %s is not allowed: use letters, digits or hyphens", pos, showRune(c))
			}
		case c == '-' && prev == '-':
			if more.take() {
				shape("characters %d and %d are two hyphens in a row: use one", pos-1, pos)
			}
		}
		prev = c
	}
	if more.left > 0 {
		shape("%s", more.sentence())
	}
	if prev == '-' && n > 1 {
		shape("ends with a hyphen: remove the last character or add a letter or digit after it")
	}
	return ps
}

// The rules of elastic clusters (the docdb-elastic API), from its API
// reference and model: CreateClusterSnapshot and its TagMap (TagKey,
// TagValue); CopyClusterSnapshot, for the shape of a snapshot name; the
// tagging guide, for the count of tags.

// ValidateElasticSnapshotName checks the name of a new elastic snapshot.
// CreateClusterSnapshot's reference and model ask for 1 to 63 characters
// and nothing more; CopyClusterSnapshot's reference gives the name of a new
// snapshot the shape of a DocumentDB identifier (letters, digits, hyphens,
// starting with a letter). The length is an error, the shape a warning.
func ValidateElasticSnapshotName(name string) []Problem {
	return identifierRule{field: FieldSnapshotID, max: MaxIdentifierLen,
		shapeWarning: " (CopyClusterSnapshot's rule; CreateClusterSnapshot's documents only a length: AWS may refuse it)"}.problems(name)
}

// ValidateElasticTags checks the tags of a CreateClusterSnapshot request,
// which sends them as a map: keys 1 to 128 characters of the model's
// pattern ^(?!aws:)[a-zA-Z+-=._:/]+$, values up to 256 characters of any
// kind, unique keys (a map holds one value a key: a second would be lost).
// The model sets no count; the tagging guide's 50 a resource is a warning.
func ValidateElasticTags(tags []Tag) []Problem {
	var ps []Problem
	if len(tags) > MaxTags {
		ps = append(ps, Problem{Field: FieldTags, Warning: true,
			Message: fmt.Sprintf("%d tags: AWS's tagging guide allows at most %d on a resource: AWS may refuse them", len(tags), MaxTags)})
	}
	first := make(map[string]int, len(tags))
	for i, t := range tags {
		for _, p := range elasticTagKeyProblems(t.Key) {
			ps = append(ps, Problem{Field: FieldTagKey, Tag: i, Message: p.message, Warning: p.warning})
		}
		if j, seen := first[t.Key]; seen && t.Key != "" {
			ps = append(ps, Problem{Field: FieldTagKey, Tag: i, Message: fmt.Sprintf("key %q is already used by tag %d: keys must be unique", t.Key, j+1)})
		} else if !seen {
			first[t.Key] = i
		}
		if n := utf8.RuneCountInString(t.Value); n > MaxTagValueLen {
			ps = append(ps, Problem{Field: FieldTagValue, Tag: i, Message: fmt.Sprintf("is %d characters long: the limit is %d", n, MaxTagValueLen)})
		}
	}
	return ps
}

// elasticTagKeyProblems checks an elastic tag key against the model's
// pattern. Its class [a-zA-Z+-=._:/] holds the range '+' to '=', which lets
// in digits and , ; < as well as the + - = it seems to list: digits are
// taken as allowed, , ; < as warnings. Its (?!aws:) is case-sensitive; the
// tagging guide reserves aws: in any case, so another case is a warning.
func elasticTagKeyProblems(key string) []tagProblem {
	n := utf8.RuneCountInString(key)
	if n == 0 {
		return []tagProblem{{"the key is required", false}}
	}
	var ps []tagProblem
	add := func(warn bool, format string, a ...any) {
		ps = append(ps, tagProblem{fmt.Sprintf(format, a...), warn})
	}
	if n > MaxTagKeyLen {
		add(false, "is %d characters long: the limit is %d", n, MaxTagKeyLen)
	}
	if len(key) >= 4 {
		switch p := key[:4]; {
		case p == "aws:":
			add(false, "must not start with %q: that prefix is reserved for AWS", p)
		case strings.EqualFold(p, "aws:"):
			add(true, "starts with %q, which AWS may take for its reserved prefix \"aws:\" and refuse", p)
		}
	}
	pos := 0
	var more, moreWarnings moreProblems
	for _, r := range key {
		pos++
		switch {
		case r == ',' || r == ';' || r == '<':
			if moreWarnings.take() {
				add(true, "character %d %s is allowed only by a range in the API model's pattern: AWS may refuse it", pos, showRune(r))
			}
		case !isASCIILetter(r) && !isASCIIDigit(r) && !strings.ContainsRune("+-=._:/", r):
			if more.take() {
				add(false, "character %d %s is not allowed: use ASCII letters, digits or + - = . _ : /", pos, showRune(r))
			}
		}
	}
	if more.left > 0 {
		add(false, "%s", more.sentence())
	}
	if moreWarnings.left > 0 {
		add(true, "%s", moreWarnings.sentence())
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
		for _, p := range tagTextProblems(t.Key, "key", 1, MaxTagKeyLen) {
			ps = append(ps, Problem{Field: FieldTagKey, Tag: i, Message: p.message, Warning: p.warning})
		}
		if j, seen := first[t.Key]; seen && t.Key != "" {
			ps = append(ps, Problem{Field: FieldTagKey, Tag: i, Message: fmt.Sprintf("key %q is already used by tag %d: keys must be unique", t.Key, j+1)})
		} else if !seen {
			first[t.Key] = i
		}
		for _, p := range tagTextProblems(t.Value, "value", 0, MaxTagValueLen) {
			ps = append(ps, Problem{Field: FieldTagValue, Tag: i, Message: p.message, Warning: p.warning})
		}
	}
	return ps
}

// tagTextProblems checks a tag key or value. Lengths are characters: every
// document says "Unicode characters" (the tagging guide's "in UTF-8" names
// the encoding, not a count of bytes).
func tagTextProblems(s, what string, minLen, maxLen int) []tagProblem {
	var ps []tagProblem
	add := func(warn bool, format string, a ...any) {
		ps = append(ps, tagProblem{fmt.Sprintf(format, a...), warn})
	}
	n := utf8.RuneCountInString(s)
	if n < minLen {
		return []tagProblem{{fmt.Sprintf("the %s is required", what), false}}
	}
	if n > maxLen {
		add(false, "is %d characters long: the limit is %d", n, maxLen)
	}
	// Both Tag references forbid "aws:" and "rds:" on keys and values
	// without saying whether case matters; the tagging guide reserves
	// "aws:" in any case. So the lower-case prefix is an error, any other
	// case a warning.
	if len(s) >= 4 {
		switch p := s[:4]; {
		case p == "aws:" || p == "rds:":
			add(false, "must not start with %q: that prefix is reserved for AWS", p)
		case strings.EqualFold(p, "aws:") || strings.EqualFold(p, "rds:"):
			add(true, "starts with %q, which AWS may take for its reserved prefix %q and refuse", p, strings.ToLower(p))
		}
	}
	pos := 0
	var more, moreWarnings moreProblems
	for _, r := range s {
		pos++
		switch {
		case r == '@':
			if moreWarnings.take() {
				add(true, "character %d '@' is allowed by RDS's Tag reference but not DocumentDB's: AWS may refuse it", pos)
			}
		case !tagRune(r):
			if more.take() {
				add(false, "character %d %s is not allowed: use letters, digits, spaces or _ . : / = + -", pos, showRune(r))
			}
		}
	}
	if more.left > 0 {
		add(false, "%s", more.sentence())
	}
	if moreWarnings.left > 0 {
		add(true, "%s", moreWarnings.sentence())
	}
	return ps
}

// maxCharProblems is how many characters of one field are named one by
// one; the rest are counted in one more problem. A pasted (or, at the local
// endpoint, a client's) field of thousands of bad characters would otherwise
// make thousands of messages.
const maxCharProblems = 5

// moreProblems counts the character problems of one field past the first
// maxCharProblems.
type moreProblems struct{ named, left int }

// take reports whether the next character problem is named; if not, it is
// counted.
func (m *moreProblems) take() bool {
	if m.named < maxCharProblems {
		m.named++
		return true
	}
	m.left++
	return false
}

func (m moreProblems) sentence() string {
	if m.left == 1 {
		return "and 1 more character like these"
	}
	return fmt.Sprintf("and %d more characters like these", m.left)
}

type tagProblem struct {
	message string
	warning bool
}

// tagRune is the character class of DocumentDB's Tag reference,
// ^([\p{L}\p{Z}\p{N}_.:/=+\-]*)$. Its prose leaves ':' out but its
// pattern, and RDS's Tag reference, let it in: ':' is allowed. RDS's
// pattern adds '@', a warning (see tagTextProblems).
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

// Names of what exists already, as the commands that follow or list it take
// them. They are not held to the rules of a new identifier: an automated
// snapshot is named rds:CLUSTER-YYYY-MM-DD-HH-MM, longer than 63 characters
// for a long cluster identifier; a snapshot shared from another account, or
// copied from another region, is named by its ARN (the API model's
// CopyDBClusterSnapshot: "specify the snapshot ARN"); and a cluster may be
// named by ARN too (DescribeDBClusters' db-cluster-id filter "accepts
// cluster identifiers and cluster Amazon Resource Names").

// backupPrefix begins the identifiers of the snapshots AWS Backup takes:
// awsbackup:job-ID (AWS Backup's recovery points of a DocumentDB cluster are
// cluster snapshots, arn:aws:rds:REGION:ACCOUNT:cluster-snapshot:awsbackup:job-ID).
const backupPrefix = "awsbackup:"

// automatedSuffixLen is the length of an automated snapshot identifier's
// time: "-YYYY-MM-DD-HH-MM".
const automatedSuffixLen = len("-2006-01-02-15-04")

// ValidateExistingSnapshot checks how a snapshot that exists is named: a
// manual identifier (up to MaxLongSnapshotIDLen characters, which some were
// given), an automated one (rds: then a cluster identifier and its time), one
// AWS Backup took (awsbackup: then its job), or the ARN of any of them
// (arn:PARTITION:rds:REGION:ACCOUNT:cluster-snapshot:ID).
func ValidateExistingSnapshot(name string) []Problem {
	id, offset, ps := nameOrARN(FieldSnapshotID, name, "cluster-snapshot")
	if len(ps) > 0 {
		return ps
	}
	if AutomatedID(id) {
		return identifierRule{field: FieldSnapshotID, max: MaxIdentifierLen + automatedSuffixLen, offset: offset + 4}.problems(id[4:])
	}
	if n := len(backupPrefix); len(id) > n && strings.EqualFold(id[:n], backupPrefix) {
		return identifierRule{field: FieldSnapshotID, max: MaxIdentifierLen, offset: offset + n}.problems(id[n:])
	}
	return identifierRule{field: FieldSnapshotID, max: MaxLongSnapshotIDLen, offset: offset}.problems(id)
}

// AutomatedID reports whether a snapshot identifier, or a snapshot ARN,
// names an automated snapshot: AWS names those rds:CLUSTER-…, and a manual
// one holds no colon. Describing one by identifier needs SnapshotType
// automated.
func AutomatedID(id string) bool {
	if strings.HasPrefix(id, "arn:") {
		if _, rest, ok := strings.Cut(id, ":cluster-snapshot:"); ok {
			id = rest
		}
	}
	return len(id) >= 4 && strings.EqualFold(id[:4], "rds:") // identifiers are not case sensitive
}

// ValidateExistingCluster checks how a cluster that exists is named: its
// identifier, or its ARN (arn:PARTITION:rds:REGION:ACCOUNT:cluster:ID).
func ValidateExistingCluster(name string) []Problem {
	id, offset, ps := nameOrARN(FieldClusterID, name, "cluster")
	if len(ps) > 0 {
		return ps
	}
	return identifierRule{field: FieldClusterID, max: MaxIdentifierLen, offset: offset}.problems(id)
}

// nameOrARN is the identifier in name, which is either that identifier or
// an RDS ARN of a kind of resource, and the number of characters before it;
// or what is wrong with the ARN's head. The partition is aws or another AWS partition
// (aws-cn, aws-us-gov...).
func nameOrARN(f Field, name, kind string) (id string, offset int, ps []Problem) {
	if !strings.HasPrefix(name, "arn:") {
		return name, 0, nil
	}
	bad := func(format string, a ...any) (string, int, []Problem) {
		return "", 0, []Problem{{Field: f, Message: fmt.Sprintf(format, a...)}}
	}
	parts := strings.SplitN(name, ":", 7)
	if len(parts) < 7 {
		return bad("is not a whole ARN: want arn:aws:rds:REGION:ACCOUNT:%s:ID", kind)
	}
	partition, service, region, account, what := parts[1], parts[2], parts[3], parts[4], parts[5]
	switch {
	case partition != "aws" && !(strings.HasPrefix(partition, "aws-") && lowerWord(partition)):
		return bad("the ARN's partition %q is not AWS's: want aws, aws-cn, aws-us-gov...", partition)
	case service != "rds":
		return bad("the ARN's service %q is not rds (DocumentDB's ARNs name rds)", service)
	case region == "" || !lowerWord(region):
		return bad("the ARN's region %q is not a region name such as us-east-1", region)
	case len(account) != 12 || strings.Trim(account, "0123456789") != "":
		return bad("the ARN's account %q is not 12 digits", account)
	case what != kind:
		return bad("the ARN names a %q: want a %s", what, kind)
	}
	return parts[6], len(name) - len(parts[6]), nil
}

// lowerWord reports whether s is lower-case ASCII letters, digits and
// hyphens.
func lowerWord(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || isASCIIDigit(r) || r == '-') {
			return false
		}
	}
	return true
}

// ValidateAccountID checks a value of a snapshot's restore attribute: a
// 12-digit AWS account id ("Your AWS account ID is a 12-digit number":
// AWS Account Management guide, View AWS account identifiers), or ShareAll,
// which makes the snapshot public (the API model's
// ModifyDBClusterSnapshotAttribute, ValuesToAdd).
func ValidateAccountID(s string) []Problem {
	if s == ShareAll {
		return nil
	}
	bad := func(format string, a ...any) []Problem {
		return []Problem{{Field: FieldAccountID, Message: fmt.Sprintf(format, a...)}}
	}
	n := utf8.RuneCountInString(s)
	switch {
	case n == 0:
		return bad("is required: a 12-digit AWS account id, or %q for every account", ShareAll)
	case strings.EqualFold(s, ShareAll):
		return bad("write %q in lower case to share with every account", ShareAll)
	}
	pos := 0
	for _, c := range s {
		pos++
		if !isASCIIDigit(c) {
			return bad("character %d %s is not a digit: an account id is 12 digits", pos, showRune(c))
		}
	}
	if n != 12 {
		return bad("is %d digits long: an account id is 12 digits", n)
	}
	return nil
}

// Limits of the KMS key names the rules check (AWS KMS developer guide, Key
// identifiers; the KMS API reference, CreateAlias: AliasName is 1 to 256
// characters of letters, digits, '/', '_' and '-', starting "alias/").
const (
	maxAliasLen = 256
	aliasPrefix = "alias/"
)

// ValidateKMSKey checks the KMS key a copy is encrypted with in region (its
// target region): a key id (1234abcd-12ab-34cd-56ef-1234567890ab, or a
// multi-Region key's mrk- and 32 hexadecimal digits), a key ARN
// (arn:aws:kms:REGION:ACCOUNT:key/ID), an alias name (alias/NAME) or an
// alias ARN (arn:aws:kms:REGION:ACCOUNT:alias/NAME), per the AWS KMS
// developer guide, Key identifiers (KeyId). KMS keys belong to one region
// ("KMS encryption keys are specific to the Amazon Web Services Region that
// they are created in": the API model's CopyDBClusterSnapshot, KmsKeyId), so
// an ARN of another region than region is a problem. An empty key is none:
// whether one is needed is the caller's to say.
func ValidateKMSKey(key, region string) []Problem {
	if key == "" {
		return nil
	}
	bad := func(format string, a ...any) []Problem {
		return []Problem{{Field: FieldKMSKey, Message: fmt.Sprintf(format, a...)}}
	}
	name := key
	if strings.HasPrefix(key, "arn:") {
		parts := strings.SplitN(key, ":", 6)
		if len(parts) < 6 {
			return bad("is not a whole ARN: want arn:aws:kms:REGION:ACCOUNT:key/ID or …:alias/NAME")
		}
		partition, service, keyRegion, account := parts[1], parts[2], parts[3], parts[4]
		switch {
		case partition != "aws" && !(strings.HasPrefix(partition, "aws-") && lowerWord(partition)):
			return bad("the ARN's partition %s is not AWS's: want aws, aws-cn, aws-us-gov...", quoteShort(partition))
		case service != "kms":
			return bad("the ARN's service %s is not kms", quoteShort(service))
		case keyRegion == "" || !lowerWord(keyRegion):
			return bad("the ARN's region %s is not a region name such as us-east-1", quoteShort(keyRegion))
		case len(account) != 12 || strings.Trim(account, "0123456789") != "":
			return bad("the ARN's account %s is not 12 digits", quoteShort(account))
		case region != "" && keyRegion != region:
			return bad("the key is in %s: a copy in %s needs a key of %s (KMS keys belong to one region)", keyRegion, region, region)
		}
		name = parts[5]
		if id, ok := strings.CutPrefix(name, "key/"); ok {
			if !keyID(id) {
				return bad("the ARN's key id is not a key id such as 1234abcd-12ab-34cd-56ef-1234567890ab")
			}
			return nil
		}
		if !strings.HasPrefix(name, aliasPrefix) {
			return bad("the ARN names neither a key/ID nor an alias/NAME")
		}
	}
	alias, ok := strings.CutPrefix(name, aliasPrefix)
	if !ok {
		if keyID(key) {
			return nil
		}
		return bad("is not a key id (1234abcd-12ab-34cd-56ef-1234567890ab), key ARN, alias/NAME or alias ARN")
	}
	if alias == "" {
		return bad("names no alias: want alias/NAME")
	}
	if n := utf8.RuneCountInString(name); n > maxAliasLen {
		return bad("the alias is %d characters long: the limit is %d", n, maxAliasLen)
	}
	pos := utf8.RuneCountInString(key) - utf8.RuneCountInString(alias)
	for _, c := range alias {
		pos++
		if !isASCIILetter(c) && !isASCIIDigit(c) && !strings.ContainsRune("/_-", c) {
			return bad("character %d %s is not allowed in an alias: use letters, digits, '/', '_' or '-'", pos, showRune(c))
		}
	}
	return nil
}

// keyID reports whether s is a KMS key id: a UUID, or mrk- and 32
// hexadecimal digits for a multi-Region key.
func keyID(s string) bool {
	if rest, ok := strings.CutPrefix(s, "mrk-"); ok {
		return len(rest) == 32 && hexDigits(rest)
	}
	groups := strings.Split(s, "-")
	if len(groups) != 5 {
		return false
	}
	for i, g := range groups {
		if len(g) != []int{8, 4, 4, 4, 12}[i] || !hexDigits(g) {
			return false
		}
	}
	return true
}

func hexDigits(s string) bool {
	return strings.Trim(s, "0123456789abcdefABCDEF") == ""
}

// quoteShort quotes a part of what the user typed for a message, cut short
// and with invisible characters escaped.
func quoteShort(s string) string {
	return fmt.Sprintf("%q", shorten(s, 32))
}
