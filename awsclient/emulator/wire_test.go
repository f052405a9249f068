package emulator

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/docdb"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/docsnap/docsnap/awsclient"
)

// referenceResult is the answer as encoding/xml writes it from the structs
// and their tags: what the endpoint sent before it wrote XML by hand.
func referenceResult(t testing.TB, action string, result any, requestID string) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	root := xml.StartElement{
		Name: xml.Name{Local: action + "Response"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: xmlns}},
	}
	meta := struct {
		RequestID string `xml:"RequestId"`
	}{requestID}
	err := enc.EncodeToken(root)
	if err == nil {
		err = enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: action + "Result"}})
	}
	if err == nil {
		err = enc.EncodeElement(meta, xml.StartElement{Name: xml.Name{Local: "ResponseMetadata"}})
	}
	if err == nil {
		err = enc.EncodeToken(root.End())
	}
	if err == nil {
		err = enc.Flush()
	}
	if err != nil {
		t.Fatalf("encoding/xml %s: %v", action, err)
	}
	return buf.Bytes()
}

// hostileStrings are values a fleet may hold that XML must escape, or
// cannot carry at all (encoding/xml writes U+FFFD for those).
var hostileStrings = []string{
	`a&b<c>d"e'f`, "o'brien", `"quoted"`, "a>b", "&amp;&lt;&#65;", "]]>", "tab\there\nnew\rline\r\n", "ctl\x00\x01\x1b\x1f\x7f",
	"ünïcødé 雪 🚀", "bad\xffutf8\xc3", "\uFFFD\uFFFE\U0010FFFF", "\u2028\u00a0", " spaced ",
}

// hostileFleet puts each hostile string in every string a fleet gives the
// endpoint: identifiers, engine version, status, windows, log exports,
// instance classes and statuses, snapshot identifiers and statuses, tags.
func hostileFleet() Fleet {
	var f Fleet
	for i, s := range hostileStrings {
		id := fmt.Sprintf("hostile-%d-%s", i, s)
		t := []awsclient.Tag{{Key: s, Value: s}, {Key: "k" + s}}
		f.Clusters = append(f.Clusters, ClusterSpec{
			ID: id, Engine: awsclient.Engine, EngineVersion: s, Status: s, StorageGiB: 10, Encrypted: i%2 == 0,
			BackupRetentionDays: i, BackupWindow: s, MaintenanceWindow: s, LogExports: []string{s, "audit"}, Tags: t,
			Instances: []InstanceSpec{{ID: id + "-1", Class: s, Status: s, Writer: true, Tags: t}, {ID: id + "-2", Class: s}},
			Snapshots: []SnapshotSpec{{ID: "snap-" + s, Type: awsclient.SnapshotManual, Status: s, Tags: t},
				{Type: awsclient.SnapshotAutomated}, {ID: "busy-" + s, Type: awsclient.SnapshotManual, Elapsed: 0.5}},
		})
	}
	// A cluster of another engine, one with nothing optional set, and one
	// that can take a snapshot.
	f.Clusters = append(f.Clusters, ClusterSpec{ID: "other&<", Engine: "neptune", EngineVersion: "1.3.0", Status: "available"},
		ClusterSpec{ID: "bare"}, ClusterSpec{ID: "plain", Engine: awsclient.Engine, Status: awsclient.StatusAvailable})
	// Global clusters with hostile names, members and versions, one of them
	// with no member at all.
	for i, s := range hostileStrings {
		f.Globals = append(f.Globals, GlobalClusterSpec{ID: fmt.Sprintf("global-%d-%s", i, s), Engine: s, EngineVersion: s,
			Members: []GlobalMemberSpec{{Region: s, ClusterID: "p-" + s, Primary: true}, {Region: "eu-west-1", ClusterID: s}}})
	}
	f.Globals = append(f.Globals, GlobalClusterSpec{ID: "empty"})
	return f
}

var wireFleets = map[string]func() Fleet{
	"demo":      DemoFleet,
	"generated": func() Fleet { return GeneratedFleet(250) },
	"hostile":   hostileFleet,
}

// wireCalls runs every action over a fleet, page by page (20 records), and
// gives each result to check.
func wireCalls(t *testing.T, s *Server, check func(action string, result xmlResult)) {
	t.Helper()
	call := func(action string, kv ...string) xmlResult {
		t.Helper()
		result, apiErr := actions[action](s, params(form(kv...)), s.opts.Now())
		if apiErr != nil {
			t.Fatalf("%s %v: %v", action, kv, apiErr)
		}
		check(action, result)
		return result
	}
	for _, action := range []string{"DescribeDBClusters", "DescribeDBClusterSnapshots", "DescribeDBInstances", "DescribeGlobalClusters"} {
		for marker := ""; ; {
			var arns []string
			switch r := call(action, "MaxRecords", "20", "Marker", marker).(type) {
			case clustersResult:
				marker, arns = r.Marker, collect(r.DBClusters.Items, func(c xmlCluster) string { return c.DBClusterArn })
			case snapshotsResult:
				marker, arns = r.Marker, collect(r.DBClusterSnapshots.Items, func(s xmlSnapshot) string { return s.DBClusterSnapshotArn })
			case instancesResult:
				marker, arns = r.Marker, collect(r.DBInstances.Items, func(in xmlInstance) string { return in.DBInstanceArn })
			case globalClustersResult:
				marker = r.Marker
			}
			for _, arn := range arns {
				call("ListTagsForResource", "ResourceName", arn)
			}
			if marker == "" {
				break
			}
		}
	}
	for _, c := range s.world.clusters {
		if _, problems := awsclient.ValidateClusterID(c.id); c.status == awsclient.StatusAvailable && len(problems) == 0 {
			call("CreateDBClusterSnapshot", "DBClusterIdentifier", c.id, "DBClusterSnapshotIdentifier", "wire-test")
			break
		}
	}
	call("ModifyDBClusterSnapshotAttribute", "DBClusterSnapshotIdentifier", "wire-test", "AttributeName", "restore",
		"ValuesToAdd.AttributeValue.1", "123456789012")
	call("DescribeDBClusterSnapshotAttributes", "DBClusterSnapshotIdentifier", "wire-test")
	// A source every fleet can copy: encrypted, tagged, available.
	s.Load(Fleet{Clusters: []ClusterSpec{{ID: "wire-source", Engine: awsclient.Engine, Status: awsclient.StatusAvailable, Encrypted: true,
		Snapshots: []SnapshotSpec{manual("wire-source-1", day, tags("k", "v"))}}}})
	call("CopyDBClusterSnapshot", "SourceDBClusterSnapshotIdentifier", "wire-source-1", "TargetDBClusterSnapshotIdentifier", "wire-copy",
		"CopyTags", "true")
	call("DeleteDBClusterSnapshot", "DBClusterSnapshotIdentifier", "wire-copy")
}

func collect[T any](items []T, f func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = f(it)
	}
	return out
}

// TestHandWrittenXMLIsEncodingXML: for every action over the demo, a
// generated and a hostile fleet, the hand-written XML is byte for byte what
// encoding/xml writes from the structs.
func TestHandWrittenXMLIsEncodingXML(t *testing.T) {
	const requestID = "0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"
	for name, fleet := range wireFleets {
		t.Run(name, func(t *testing.T) {
			s, _ := newServer(t, fleet(), Options{})
			calls := map[string]int{}
			wireCalls(t, s, func(action string, result xmlResult) {
				calls[action]++
				got := encodeResult(action, result, requestID).body
				want := referenceResult(t, action, result, requestID)
				if !bytes.Equal(got, want) {
					i := 0
					for i < min(len(got), len(want)) && got[i] == want[i] {
						i++
					}
					t.Fatalf("%s: the bytes differ at %d:\n got …%q\nwant …%q", action, i,
						got[max(0, i-80):min(len(got), i+80)], want[max(0, i-80):min(len(want), i+80)])
				}
			})
			if len(calls) != len(actions) {
				t.Errorf("checked %v, want every action", calls)
			}
		})
	}
}

// sdkDecode reads a DescribeDBClusters answer with aws-sdk-go-v2's own
// deserializer.
func sdkDecode(t *testing.T, body []byte) *docdb.DescribeDBClustersOutput {
	t.Helper()
	client := docdb.New(docdb.Options{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: 1,
		HTTPClient: smithyhttp.ClientDoFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"text/xml"}},
				Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: r}, nil
		}),
	})
	out, err := client.DescribeDBClusters(context.Background(), &docdb.DescribeDBClustersInput{})
	if err != nil {
		t.Fatalf("the SDK cannot read the answer: %v\n%s", err, body)
	}
	out.ResultMetadata = docdb.DescribeDBClustersOutput{}.ResultMetadata
	return out
}

// TestHostileStringsReachTheSDK: the SDK and encoding/xml read from the
// hand-written answers what they read from encoding/xml's, and that is the
// fleet's own strings, except what XML cannot carry (control characters,
// invalid UTF-8, U+FFFE), which arrives as U+FFFD.
func TestHostileStringsReachTheSDK(t *testing.T) {
	s, _ := newServer(t, hostileFleet(), Options{})
	seen := map[string]bool{}
	wireCalls(t, s, func(action string, result xmlResult) {
		if action != "DescribeDBClusters" {
			return
		}
		got := encodeResult(action, result, "id").body
		want := referenceResult(t, action, result, "id")
		gotSDK, wantSDK := sdkDecode(t, got), sdkDecode(t, want)
		if !reflect.DeepEqual(gotSDK, wantSDK) {
			t.Fatalf("the SDK reads the answers differently:\n got %+v\nwant %+v", gotSDK, wantSDK)
		}
		var gotXML, wantXML clustersAnswer
		if err := xml.Unmarshal(got, &gotXML); err != nil {
			t.Fatal(err)
		}
		if err := xml.Unmarshal(want, &wantXML); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(gotXML, wantXML) {
			t.Fatalf("encoding/xml reads the answers differently:\n got %+v\nwant %+v", gotXML, wantXML)
		}
		for _, c := range gotSDK.DBClusters {
			for i, h := range hostileStrings {
				if !strings.HasPrefix(aws.ToString(c.DBClusterIdentifier), fmt.Sprintf("hostile-%d-", i)) {
					continue
				}
				seen[h] = true
				if got, want := aws.ToString(c.Status), xmlCarried(h); got != want {
					t.Errorf("status %q arrives as %q, want %q", h, got, want)
				}
				if got, want := aws.ToString(c.PreferredBackupWindow), xmlCarried(h); got != want {
					t.Errorf("backup window %q arrives as %q, want %q", h, got, want)
				}
			}
		}
	})
	if len(seen) != len(hostileStrings) {
		t.Errorf("saw %d of the %d hostile strings", len(seen), len(hostileStrings))
	}
}

// xmlCarried is s as XML 1.0 can carry it: each character outside its range
// and each byte of invalid UTF-8 replaced by U+FFFD.
func xmlCarried(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if !(r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000) || r == utf8.RuneError && n == 1 {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}
