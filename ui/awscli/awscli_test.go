package awscli

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
)

// shellWords runs line through a real POSIX shell and returns the argv the
// shell hands to a program.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	script := `set -- ` + line + `; for a in "$@"; do printf '%s\0' "$a"; done`
	out, err := exec.Command("sh", "-c", script).Output()
	if err != nil {
		t.Fatalf("sh: %v", err)
	}
	words := strings.Split(string(out), "\x00")
	return words[:len(words)-1]
}

var hard = []string{"plain", "", "two words", "it's", `"double"`, "$HOME", "`id`", "a\\b", "semi;colon", "tab\there",
	"new\nline", "glob*?[x]", "~user", "comma,equals=", "東京 タグ", "'", "''", "!bang", "#hash", "-dash", "back\\'slash"}

func TestQuoteSurvivesTheShell(t *testing.T) {
	for _, s := range hard {
		got := shellWords(t, Quote(s))
		if len(got) != 1 || got[0] != s {
			t.Errorf("Quote(%q) = %s: the shell gives %q", s, Quote(s), got)
		}
	}
	if Quote("orders-prod") != "orders-prod" || Quote("Key=k,Value=v") != "Key=k,Value=v" {
		t.Error("safe words are quoted")
	}
}

func TestCommandLine(t *testing.T) {
	in := awsclient.CreateSnapshotInput{ClusterID: "orders-prod", SnapshotID: "orders-prod-2024-05-01-1200",
		Tags: []awsclient.Tag{{Key: "team", Value: "payments"}, {Key: "env", Value: ""}}}
	c := CreateSnapshot(in, awsclient.Target{Region: "us-east-1", Profile: "ops team"})
	want := "aws docdb create-db-cluster-snapshot --db-cluster-identifier orders-prod " +
		"--db-cluster-snapshot-identifier orders-prod-2024-05-01-1200 --tags Key=team,Value=payments Key=env " +
		"--region us-east-1 --profile 'ops team'"
	if c.String() != want {
		t.Fatalf("got  %s\nwant %s", c, want)
	}
	in.Tags = []awsclient.Tag{{Key: "owner name", Value: "Jo O'Brien, ops=1"}}
	c = CreateSnapshot(in, awsclient.Target{Endpoint: "http://127.0.0.1:4566"})
	if !strings.Contains(c.String(), `--tags '[{"Key":"owner name","Value":"Jo O'\''Brien, ops=1"}]'`) ||
		!strings.HasSuffix(c.String(), "--endpoint-url http://127.0.0.1:4566") {
		t.Fatalf("json form: %s", c)
	}
	for _, w := range []int{20, 40, 80, 200} {
		lines := c.Lines(w)
		joined := strings.ReplaceAll(strings.Join(lines, "\n"), " \\\n  ", " ")
		if joined != c.String() {
			t.Fatalf("width %d: lines do not join back:\n%s", w, strings.Join(lines, "\n"))
		}
		for _, l := range lines {
			if w >= 80 && len(l) > w {
				t.Errorf("width %d: line %q is wider", w, l)
			}
		}
	}
	if got := shellWords(t, strings.Join(c.Lines(30), "\n")); !slices.Equal(got, c) {
		t.Fatalf("continued lines give %q", got)
	}
}

func TestDocsnapLine(t *testing.T) {
	c := Docsnap(awsclient.Target{Region: "eu-west-1", Profile: "ops team", Endpoint: "http://127.0.0.1:4566"}, "snapshot", "wait", "nightly-1")
	want := "docsnap snapshot wait nightly-1 --region eu-west-1 --profile 'ops team' --endpoint-url http://127.0.0.1:4566"
	if c.String() != want {
		t.Fatalf("got  %s\nwant %s", c, want)
	}
}

// TestTheAWSCLISendsWhatTheFormSends runs the shown command with the real
// AWS CLI against a recorder and checks the request it makes: the
// identifiers and every tag arrive exactly, whatever characters they hold.
func TestTheAWSCLISendsWhatTheFormSends(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		if os.Getenv("DOCSNAP_REQUIRE_INTEROP") != "" {
			t.Fatal("the AWS CLI is required (DOCSNAP_REQUIRE_INTEROP is set) but not installed")
		}
		t.Skip("skipping: the AWS CLI (`aws`) is not installed")
	}
	bodies := make(chan url.Values, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		v, _ := url.ParseQuery(string(b))
		select {
		case bodies <- v:
		default:
		}
		w.WriteHeader(400)
		fmt.Fprint(w, `<ErrorResponse><Error><Type>Sender</Type><Code>Recorded</Code><Message>recorded</Message></Error><RequestId>1</RequestId></ErrorResponse>`)
	}))
	defer srv.Close()
	cases := [][]awsclient.Tag{
		{{Key: "team", Value: "payments"}, {Key: "env"}},
		{{Key: "owner name", Value: "Jo O'Brien, ops=1"}, {Key: "a=b", Value: " padded "}, {Key: "東京", Value: `"quoted" [x] {y}`}},
	}
	for _, tags := range cases {
		in := awsclient.CreateSnapshotInput{ClusterID: "orders-prod", SnapshotID: "snap-1", Tags: tags}
		line := CreateSnapshot(in, awsclient.Target{Region: "us-east-1", Endpoint: srv.URL}).String()
		cmd := exec.Command("sh", "-c", line)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
			"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_MAX_ATTEMPTS=1")
		out, _ := cmd.CombinedOutput()
		var v url.Values
		select {
		case v = <-bodies:
		default:
			t.Fatalf("the CLI sent nothing for %s:\n%s", line, out)
		}
		if v.Get("Action") != "CreateDBClusterSnapshot" || v.Get("DBClusterIdentifier") != "orders-prod" || v.Get("DBClusterSnapshotIdentifier") != "snap-1" {
			t.Fatalf("request %v", v)
		}
		for i, tag := range tags {
			k, val := v.Get(fmt.Sprintf("Tags.Tag.%d.Key", i+1)), v.Get(fmt.Sprintf("Tags.Tag.%d.Value", i+1))
			if k != tag.Key || val != tag.Value {
				t.Errorf("%s\ntag %d arrived as %q=%q, want %q=%q", line, i+1, k, val, tag.Key, tag.Value)
			}
		}
	}
}

func TestElasticCommandLine(t *testing.T) {
	arn := "arn:aws:docdb-elastic:us-east-1:123456789012:cluster/3c1d2e4f-0a9b-4c8d-8e7f-6a5b4c3d2e1f"
	in := awsclient.CreateSnapshotInput{ClusterID: arn, SnapshotID: "catalog-2024-05-01-1200",
		Tags: []awsclient.Tag{{Key: "team", Value: "payments"}, {Key: "env", Value: "prod"}}}
	c := CreateElasticSnapshot(in, awsclient.Target{Region: "us-east-1", Profile: "ops team"})
	want := "aws docdb-elastic create-cluster-snapshot --cluster-arn " + arn +
		" --snapshot-name catalog-2024-05-01-1200 --tags team=payments,env=prod --region us-east-1 --profile 'ops team'"
	if c.String() != want {
		t.Fatalf("got  %s\nwant %s", c, want)
	}
	in.Tags = []awsclient.Tag{{Key: "owner", Value: "Jo O'Brien, ops=1"}, {Key: "empty"}}
	if got := CreateElasticSnapshot(in, awsclient.Target{}).String(); !strings.Contains(got, `--tags '{"owner":"Jo O'\''Brien, ops=1","empty":""}'`) {
		t.Fatalf("json form: %s", got)
	}
	in.Tags = nil
	if got := CreateElasticSnapshot(in, awsclient.Target{}).String(); strings.Contains(got, "--tags") {
		t.Fatalf("no tags, yet: %s", got)
	}
}

// TestTheAWSCLISendsWhatTheElasticFormSends runs the shown docdb-elastic
// command with the real AWS CLI against a recorder: the ARN, the name and
// every tag of the map arrive exactly.
func TestTheAWSCLISendsWhatTheElasticFormSends(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		if os.Getenv("DOCSNAP_REQUIRE_INTEROP") != "" {
			t.Fatal("the AWS CLI is required (DOCSNAP_REQUIRE_INTEROP is set) but not installed")
		}
		t.Skip("skipping: the AWS CLI (`aws`) is not installed")
	}
	type request struct {
		path string
		body struct {
			ClusterArn   string            `json:"clusterArn"`
			SnapshotName string            `json:"snapshotName"`
			Tags         map[string]string `json:"tags"`
		}
	}
	got := make(chan request, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req request
		req.path = r.URL.Path
		_ = json.NewDecoder(r.Body).Decode(&req.body)
		select {
		case got <- req:
		default:
		}
		w.Header().Set("x-amzn-ErrorType", "ValidationException")
		w.WriteHeader(400)
		fmt.Fprint(w, `{"message":"recorded"}`)
	}))
	defer srv.Close()
	arn := "arn:aws:docdb-elastic:us-east-1:123456789012:cluster/3c1d2e4f-0a9b-4c8d-8e7f-6a5b4c3d2e1f"
	for _, tags := range [][]awsclient.Tag{
		{{Key: "team", Value: "payments"}, {Key: "env", Value: "prod"}},
		{{Key: "owner", Value: "Jo O'Brien, ops=1"}, {Key: "a=b", Value: " padded "}, {Key: "empty"}, {Key: "x", Value: `"quoted" [x] {y} 東京`}},
	} {
		in := awsclient.CreateSnapshotInput{ClusterID: arn, SnapshotID: "snap-1", Tags: tags}
		line := CreateElasticSnapshot(in, awsclient.Target{Region: "us-east-1", Endpoint: srv.URL}).String()
		cmd := exec.Command("sh", "-c", line)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
			"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_MAX_ATTEMPTS=1")
		out, _ := cmd.CombinedOutput()
		var r request
		select {
		case r = <-got:
		default:
			t.Fatalf("the CLI sent nothing for %s:\n%s", line, out)
		}
		if r.path != "/cluster-snapshot" || r.body.ClusterArn != arn || r.body.SnapshotName != "snap-1" {
			t.Fatalf("request %+v", r)
		}
		want := map[string]string{}
		for _, tag := range tags {
			want[tag.Key] = tag.Value
		}
		if !maps.Equal(r.body.Tags, want) {
			t.Errorf("%s\ntags arrived as %q, want %q", line, r.body.Tags, want)
		}
	}
}

// TestCreateSnapshotsScriptRunsEachCreate: the fleet's script, run by a
// real shell with a stand-in aws on the PATH, calls aws once a create with
// exactly the arguments of that create's own command line.
func TestCreateSnapshotsScriptRunsEachCreate(t *testing.T) {
	tags := []awsclient.Tag{{Key: "team", Value: "pay ments"}, {Key: "change", Value: "CHG-1"}}
	ins := []awsclient.CreateSnapshotInput{
		{ClusterID: "orders-prod", SnapshotID: "orders-prod-2024-05-01-1234", Tags: tags},
		{ClusterID: "orders-eu", SnapshotID: "orders-eu-2024-05-01-1234", Tags: tags},
	}
	targets := []awsclient.Target{{Profile: "ops", Region: "us-east-1"}, {Profile: "ops", Region: "eu-west-1"}}
	for _, c := range []struct {
		name    string
		ins     []awsclient.CreateSnapshotInput
		targets []awsclient.Target
		lines   int
	}{
		{"loop", ins, targets, 5 + len(ins) + 1},
		{"one a create: an endpoint each", ins, []awsclient.Target{targets[0], {Region: "eu-west-1", Endpoint: "http://127.0.0.1:9"}}, len(ins)},
	} {
		t.Run(c.name, func(t *testing.T) {
			script := CreateSnapshots(c.ins, c.targets)
			if len(script) != c.lines {
				t.Fatalf("%d lines, want %d:\n%s", len(script), c.lines, strings.Join(script, "\n"))
			}
			dir := t.TempDir()
			stand := "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done >> " + dir + "/calls\necho >> " + dir + "/calls\n"
			if err := os.WriteFile(dir+"/aws", []byte(stand), 0o755); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("sh", "-c", strings.Join(script, "\n"))
			cmd.Env = append(os.Environ(), "PATH="+dir+":"+os.Getenv("PATH"))
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("sh: %v: %s", err, out)
			}
			got, err := os.ReadFile(dir + "/calls")
			if err != nil {
				t.Fatal(err)
			}
			calls := strings.Split(strings.TrimSuffix(string(got), "\n"), "\n")
			if len(calls) != len(c.ins) {
				t.Fatalf("aws ran %d times, want %d", len(calls), len(c.ins))
			}
			for i, call := range calls {
				args := strings.Split(strings.TrimSuffix(call, "\x00"), "\x00")
				want := []string(CreateSnapshot(c.ins[i], c.targets[i]))[1:]
				slices.Sort(args) // the loop names the region before the tags
				slices.Sort(want)
				if !slices.Equal(args, want) {
					t.Errorf("call %d: %q, want %q", i, args, want)
				}
			}
		})
	}
}
