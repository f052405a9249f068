// Package awscli writes the AWS CLI command lines equivalent to what docsnap
// does, quoted for a POSIX shell, so that a user can see exactly what will be
// sent and repeat or follow it without docsnap.
package awscli

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/docsnap/docsnap/awsclient"
)

// Command is one command line as separate arguments (unquoted).
type Command []string

// CreateSnapshot is the `aws docdb create-db-cluster-snapshot` equivalent of
// in, aimed at t (region, profile and endpoint when set).
func CreateSnapshot(in awsclient.CreateSnapshotInput, t awsclient.Target) Command {
	c := Command{"aws", "docdb", "create-db-cluster-snapshot",
		"--db-cluster-identifier", in.ClusterID,
		"--db-cluster-snapshot-identifier", in.SnapshotID}
	if len(in.Tags) > 0 {
		c = append(c, "--tags")
		c = append(c, tagArgs(in.Tags)...)
	}
	return c.target(t)
}

// CreateElasticSnapshot is the `aws docdb-elastic create-cluster-snapshot`
// equivalent of in, whose ClusterID is the elastic cluster's ARN, aimed at
// t.
func CreateElasticSnapshot(in awsclient.CreateSnapshotInput, t awsclient.Target) Command {
	c := Command{"aws", "docdb-elastic", "create-cluster-snapshot",
		"--cluster-arn", in.ClusterID,
		"--snapshot-name", in.SnapshotID}
	if len(in.Tags) > 0 {
		c = append(c, "--tags", tagMapArg(in.Tags))
	}
	return c.target(t)
}

// CopySnapshot is the `aws docdb copy-db-cluster-snapshot` equivalent of
// in, sent to t (the target region); a copy from another region names it
// with --source-region, from which the CLI builds the presigned URL as the
// SDK does.
func CopySnapshot(in awsclient.CopySnapshotInput, t awsclient.Target) Command {
	c := Command{"aws", "docdb", "copy-db-cluster-snapshot",
		"--source-db-cluster-snapshot-identifier", in.SourceID,
		"--target-db-cluster-snapshot-identifier", in.TargetID}
	if in.KMSKeyID != "" {
		c = append(c, "--kms-key-id", in.KMSKeyID)
	}
	if in.CopyTags {
		c = append(c, "--copy-tags")
	}
	if len(in.Tags) > 0 {
		c = append(c, "--tags")
		c = append(c, tagArgs(in.Tags)...)
	}
	if in.SourceRegion != "" {
		c = append(c, "--source-region", in.SourceRegion)
	}
	return c.target(t)
}

// DescribeElasticSnapshot is the command that shows an elastic snapshot's
// status, for following one after docsnap has exited.
func DescribeElasticSnapshot(snapshotARN string, t awsclient.Target) Command {
	return Command{"aws", "docdb-elastic", "get-cluster-snapshot",
		"--snapshot-arn", snapshotARN,
		"--query", "snapshot.status",
		"--output", "text"}.target(t)
}

// DescribeSnapshot is the command that shows a snapshot's status and
// progress, for following one after docsnap has exited.
func DescribeSnapshot(snapshotID string, t awsclient.Target) Command {
	c := Command{"aws", "docdb", "describe-db-cluster-snapshots",
		"--db-cluster-snapshot-identifier", snapshotID,
		"--query", "DBClusterSnapshots[0].[Status,PercentProgress]",
		"--output", "text"}
	if awsclient.AutomatedID(snapshotID) { // AWS finds one only when told its type
		c = append(c, "--snapshot-type", awsclient.SnapshotAutomated)
	}
	return c.target(t)
}

// Docsnap is a docsnap command line (args, then the flags that aim it at
// t), for following a snapshot after the docsnap that created it has gone.
func Docsnap(t awsclient.Target, args ...string) Command {
	return append(Command{"docsnap"}, args...).target(t)
}

func (c Command) target(t awsclient.Target) Command {
	if t.Region != "" {
		c = append(c, "--region", t.Region)
	}
	if t.Profile != "" {
		c = append(c, "--profile", t.Profile)
	}
	if t.Endpoint != "" {
		c = append(c, "--endpoint-url", t.Endpoint)
	}
	return c
}

// tagArgs uses the CLI's shorthand (Key=k,Value=v, one argument a tag) when
// every key and value is made of characters the shorthand parser takes
// literally, and the JSON form otherwise: the shorthand gives meaning to
// commas, equals signs, brackets, quotes and backslashes, and trims spaces.
func tagArgs(tags []awsclient.Tag) []string {
	short := true
	for _, t := range tags {
		short = short && shorthandSafe(t.Key) && (t.Value == "" || shorthandSafe(t.Value))
	}
	if !short {
		type tag struct {
			Key   string
			Value *string `json:",omitempty"`
		}
		list := make([]tag, len(tags))
		for i, t := range tags {
			list[i].Key = t.Key
			if t.Value != "" {
				v := t.Value
				list[i].Value = &v
			}
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(list) // strings and pointers to strings always encode
		return []string{strings.TrimSuffix(b.String(), "\n")}
	}
	args := make([]string, len(tags))
	for i, t := range tags {
		args[i] = "Key=" + t.Key
		if t.Value != "" {
			args[i] += ",Value=" + t.Value
		}
	}
	return args
}

// tagMapArg is the elastic API's tags, a map: the CLI's shorthand
// (k=v,k2=v2) when every key and value is made of characters it takes
// literally, and a JSON object otherwise, in the order given.
func tagMapArg(tags []awsclient.Tag) string {
	short := true
	for _, t := range tags {
		short = short && shorthandSafe(t.Key) && shorthandSafe(t.Value)
	}
	parts := make([]string, len(tags))
	for i, t := range tags {
		if short {
			parts[i] = t.Key + "=" + t.Value
			continue
		}
		parts[i] = jsonString(t.Key) + ":" + jsonString(t.Value)
	}
	if short {
		return strings.Join(parts, ",")
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// jsonString is s as a JSON string, with <, > and & left as they are.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

func shorthandSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_.:/+-@", c) >= 0) {
			return false
		}
	}
	return s != ""
}

// Quote quotes one argument for a POSIX shell: bare when it has only
// characters no shell treats specially, in single quotes otherwise (a single
// quote inside becomes '\”).
func Quote(s string) string {
	if s == "" {
		return "''"
	}
	bare := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_@%+=:,./-", c) >= 0) {
			bare = false
			break
		}
	}
	if bare {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// String is the command on one line, each argument quoted.
func (c Command) String() string {
	q := make([]string, len(c))
	for i, a := range c {
		q[i] = Quote(a)
	}
	return strings.Join(q, " ")
}

// Lines is the command broken before each option onto lines of at most width
// columns where it can be, each continued with " \" as a shell reads it.
// An option and its values stay together when they fit; what cannot fit is
// left for the caller to wrap.
func (c Command) Lines(width int) []string {
	var groups []string
	for i := 0; i < len(c); {
		j := i + 1
		if strings.HasPrefix(c[i], "--") || i == 0 {
			for j < len(c) && !strings.HasPrefix(c[j], "--") && (i != 0 || j < 3) {
				j++
			}
		}
		groups = append(groups, Command(c[i:j]).String())
		i = j
	}
	var lines []string
	line := ""
	for _, g := range groups {
		switch {
		case line == "":
			line = g
		case ansi.StringWidth(line)+1+ansi.StringWidth(g)+2 <= width:
			line += " " + g
		default:
			lines = append(lines, line+" \\")
			line = "  " + g
		}
	}
	return append(lines, line)
}

// CreateSnapshots is a short POSIX shell script equivalent to the creates
// ins, each aimed at targets[i]: one create-db-cluster-snapshot in a loop
// that reads each cluster, snapshot identifier and region from a
// here-document, so that it stays short however many clusters. The
// creates share their tags (a fleet's). Where a value would need quoting
// in the here-document (no valid identifier does), it is one command a
// create instead.
func CreateSnapshots(ins []awsclient.CreateSnapshotInput, targets []awsclient.Target) []string {
	if len(ins) == 0 {
		return nil
	}
	loop := true
	for i, in := range ins {
		t := targets[i]
		loop = loop && Quote(in.ClusterID) == in.ClusterID && Quote(in.SnapshotID) == in.SnapshotID &&
			Quote(t.Region) == t.Region && t.Region != "" &&
			t.Profile == targets[0].Profile && t.Endpoint == targets[0].Endpoint
	}
	if !loop {
		out := make([]string, len(ins))
		for i, in := range ins {
			out[i] = CreateSnapshot(in, targets[i]).String()
		}
		return out
	}
	rest := Command{}
	if len(ins[0].Tags) > 0 {
		rest = append(rest, "--tags")
		rest = append(rest, tagArgs(ins[0].Tags)...)
	}
	aim := Command{}.target(awsclient.Target{Profile: targets[0].Profile, Endpoint: targets[0].Endpoint})
	lines := []string{
		"while read -r cluster snapshot region; do",
		`  aws docdb create-db-cluster-snapshot --db-cluster-identifier "$cluster" \`,
		`    --db-cluster-snapshot-identifier "$snapshot" --region "$region"`,
	}
	if more := strings.TrimPrefix(suffix(rest)+suffix(aim), " "); more != "" {
		lines[2] += ` \`
		lines = append(lines, "    "+more)
	}
	lines = append(lines, "done <<'EOF'")
	for i, in := range ins {
		lines = append(lines, in.ClusterID+" "+in.SnapshotID+" "+targets[i].Region)
	}
	return append(lines, "EOF")
}

// suffix is c after a space, or nothing.
func suffix(c Command) string {
	if len(c) == 0 {
		return ""
	}
	return " " + c.String()
}
