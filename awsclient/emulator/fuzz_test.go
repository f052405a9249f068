package emulator

import (
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
)

// FuzzSnapshotIDRules: the shared rules never panic, and the endpoint agrees
// with them: what they accept is created and comes back lower case; what they
// refuse is refused with 400 InvalidParameterValue naming the parameter.
func FuzzSnapshotIDRules(f *testing.F) {
	for _, id := range []string{
		"a", "my-snapshot", "My-Snapshot-2025-03-14", "A1-B2-C3", strings.Repeat("a", 63), strings.Repeat("a", 64),
		"", "-", "a-", "-a", "a--b", "1abc", "a_b", "a b", "a.b", "rds:payments-prod-2025-01-01-00-00",
		"ÄBC", "snapshot\u200b", "\u212aelvin", "İstanbul", "a\x00b", "a\r\nb", "\xff\xfe", "ab%2Fc", "a&b=c",
	} {
		f.Add(id)
	}
	fleet := Fleet{Clusters: []ClusterSpec{{ID: "fuzz-cluster", Engine: awsclient.Engine, EngineVersion: "5.0.0",
		Status: "available", StorageGiB: 10}}}
	f.Fuzz(func(t *testing.T, id string) {
		norm, problems := awsclient.ValidateSnapshotID(id)
		s, _ := newServer(t, fleet, Options{})
		w := post(s, form("Action", "CreateDBClusterSnapshot", "DBClusterIdentifier", "fuzz-cluster", "DBClusterSnapshotIdentifier", id))
		if len(awsclient.Blocking(problems)) > 0 {
			e := wantError(t, w, http.StatusBadRequest, "InvalidParameterValue")
			if !strings.Contains(e.Message, "DBClusterSnapshotIdentifier") {
				t.Errorf("refusal of %q does not name the parameter: %s", id, e.Message)
			}
			return
		}
		if norm != strings.ToLower(id) || norm != strings.ToLower(norm) {
			t.Errorf("the rules normalise %q to %q, want it lower case", id, norm)
		}
		if got := decode[createAnswer](t, w).Snapshot.ID; got != norm {
			t.Errorf("created %q as %q, want %q", id, got, norm)
		}
		a := decode[snapshotsAnswer](t, post(s, form("Action", "DescribeDBClusterSnapshots", "DBClusterSnapshotIdentifier", id)))
		if len(a.Items) != 1 || a.Items[0].ID != norm {
			t.Errorf("describe %q: %+v, want %q", id, a.Items, norm)
		}
	})
}

// FuzzRequest: whatever arrives (any method, query, body and content
// type), the answer is one well-formed XML document with a known status,
// never a panic: a success is the action's own {Op}Response holding its
// {Op}Result, anything else an ErrorResponse with a code and a message, and
// the request id in the header is the one in the body.
func FuzzRequest(f *testing.F) {
	const formType = "application/x-www-form-urlencoded"
	f.Add("POST", "", "Action=DescribeDBClusters&Version=2014-10-31&MaxRecords=20", formType)
	f.Add("GET", "Action=DescribeDBClusters&Filters.Filter.1.Name=engine&Filters.Filter.1.Values=", "", "")
	f.Add("POST", "", "Action=DescribeDBClusters&Filters.Filter.1.Name=engine&Filters.Filter.1.Values.Value.1=docdb", formType)
	f.Add("POST", "", "Action=DescribeDBClusterSnapshots&DBClusterIdentifier=payments-prod&SnapshotType=manual", formType)
	f.Add("POST", "", "Action=CreateDBClusterSnapshot&DBClusterIdentifier=orders-prod&DBClusterSnapshotIdentifier=x&Tags.Tag.1.Key=a&Tags.Tag.1.Value=b", formType)
	f.Add("POST", "", "Action=CreateDBClusterSnapshot&Tags.Tag.99999999999999999999.Key=a", formType)
	f.Add("POST", "", "Action=DescribeDBInstances&Filters.Filter.1.Name=db-cluster-id&Filters.Filter.1.Values.Value.1=orders-prod", formType)
	f.Add("POST", "", "Action=ListTagsForResource&ResourceName=arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:x", formType)
	f.Add("GET", "Action=DescribeDBClusters&Marker=%zz", "", "")
	f.Add("PUT", "Action=Nope", "Action=DescribeDBClusters;x", formType)
	f.Add("POST", "", "Action=DescribeDBClusters&Marker=AAAA&DBClusterIdentifier=\x01\x02", formType)
	f.Add("POST", "", "Action=CreateDBClusterSnapshot&DBClusterIdentifier=orders-prod&DBClusterSnapshotIdentifier=%1B%5D52%3Bc%3BeA%3D%3D%07", formType)
	f.Add("POST", "", "Action=DescribeDBClusterSnapshots&DBClusterSnapshotIdentifier=%EF%BF%BE%00%C3%28", formType)
	f.Add("POST", "Action=DescribeDBClusters", "--x\r\nContent-Disposition: form-data; name=\"Action\"\r\n\r\nNope\r\n--x--", "multipart/form-data; boundary=x")
	f.Add("POST", "", "Action=DescribeDBClusters", "text/plain; charset=\"")
	f.Add("POST", "", "Action=DescribeDBClusters&MaxRecords=-1&Marker="+strings.Repeat("A", 300), formType+"; charset=latin1")
	s, _ := newServer(f, DemoFleet(), Options{Quota: 1000})
	f.Fuzz(func(t *testing.T, method, query, body, contentType string) {
		r := &http.Request{
			Method: method,
			URL:    &url.URL{Path: "/", RawQuery: query},
			Header: http.Header{"Content-Type": {contentType}},
			Body:   io.NopCloser(strings.NewReader(body)),
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		switch w.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusNotFound:
		default:
			t.Fatalf("status %d", w.Code)
		}
		id := w.Header().Get("x-amzn-RequestId")
		if w.Header().Get("Content-Type") != "text/xml" || id == "" {
			t.Errorf("headers %v", w.Header())
		}
		doc := w.Body.String()
		wellFormed(t, doc)
		var a struct {
			XMLName   xml.Name
			Result    *struct{ XMLName xml.Name } `xml:",any"`
			Error     struct{ Code, Message string }
			RequestID string `xml:"RequestId"`
			Metadata  struct {
				RequestID string `xml:"RequestId"`
			} `xml:"ResponseMetadata"`
		}
		if err := xml.Unmarshal(w.Body.Bytes(), &a); err != nil {
			t.Fatalf("%v\n%s", err, doc)
		}
		if w.Code == http.StatusOK {
			action := strings.TrimSuffix(a.XMLName.Local, "Response")
			if action == "" || a.Result == nil || a.Result.XMLName.Local != action+"Result" || a.Metadata.RequestID != id {
				t.Fatalf("a success that is not an {Op}Response with its {Op}Result and request id %s:\n%s", id, doc)
			}
			return
		}
		if a.XMLName.Local != "ErrorResponse" || a.Error.Code == "" || a.Error.Message == "" || a.RequestID != id {
			t.Fatalf("a %d that is not an ErrorResponse with a code, a message and request id %s:\n%s", w.Code, id, doc)
		}
	})
}

// wellFormed checks that doc is one XML element, strictly parsed.
func wellFormed(t *testing.T, doc string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, doc)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if tok.Name.Space != xmlns || !strings.HasSuffix(tok.Name.Local, "Response") {
					t.Errorf("root element %v", tok.Name)
				}
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if roots != 1 || depth != 0 {
		t.Fatalf("%d root elements, depth %d at the end:\n%s", roots, depth, doc)
	}
}
