package emulator

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// testStart is when every test's clock starts.
var testStart = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

// newServer is a Server on a manual clock with a fleet loaded.
func newServer(t testing.TB, f Fleet, opts Options) (*Server, *Clock) {
	t.Helper()
	c := NewClock(testStart)
	opts.Now = c.Now
	s := New(opts)
	s.Load(f)
	return s, c
}

// form builds parameters from key, value pairs.
func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// post sends a form POST, as the SDKs do.
func post(h http.Handler, v url.Values) *httptest.ResponseRecorder {
	return postRaw(h, v.Encode())
}

func postRaw(h http.Handler, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// get sends the same parameters as a GET query string.
func get(h http.Handler, v url.Values) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/?"+v.Encode(), nil))
	return w
}

// Decoded answers: only what the tests look at. The SDK test checks the
// full shapes through aws-sdk-go-v2's own deserializers.

type clustersAnswer struct {
	XMLName xml.Name `xml:"DescribeDBClustersResponse"`
	Marker  string   `xml:"DescribeDBClustersResult>Marker"`
	Items   []struct {
		ID      string `xml:"DBClusterIdentifier"`
		Engine  string `xml:"Engine"`
		Status  string `xml:"Status"`
		Members []struct {
			ID     string `xml:"DBInstanceIdentifier"`
			Writer bool   `xml:"IsClusterWriter"`
		} `xml:"DBClusterMembers>DBClusterMember"`
	} `xml:"DescribeDBClustersResult>DBClusters>DBCluster"`
	RequestID string `xml:"ResponseMetadata>RequestId"`
}

type snapshotXML struct {
	ID        string `xml:"DBClusterSnapshotIdentifier"`
	ClusterID string `xml:"DBClusterIdentifier"`
	Status    string `xml:"Status"`
	Type      string `xml:"SnapshotType"`
	Percent   int    `xml:"PercentProgress"`
	ARN       string `xml:"DBClusterSnapshotArn"`
	Created   string `xml:"SnapshotCreateTime"`
}

type snapshotsAnswer struct {
	XMLName xml.Name      `xml:"DescribeDBClusterSnapshotsResponse"`
	Marker  string        `xml:"DescribeDBClusterSnapshotsResult>Marker"`
	Items   []snapshotXML `xml:"DescribeDBClusterSnapshotsResult>DBClusterSnapshots>DBClusterSnapshot"`
}

type createAnswer struct {
	XMLName  xml.Name    `xml:"CreateDBClusterSnapshotResponse"`
	Snapshot snapshotXML `xml:"CreateDBClusterSnapshotResult>DBClusterSnapshot"`
}

type instancesAnswer struct {
	XMLName xml.Name `xml:"DescribeDBInstancesResponse"`
	Marker  string   `xml:"DescribeDBInstancesResult>Marker"`
	Items   []struct {
		ID        string `xml:"DBInstanceIdentifier"`
		Class     string `xml:"DBInstanceClass"`
		Status    string `xml:"DBInstanceStatus"`
		Zone      string `xml:"AvailabilityZone"`
		ClusterID string `xml:"DBClusterIdentifier"`
	} `xml:"DescribeDBInstancesResult>DBInstances>DBInstance"`
}

type tagsAnswer struct {
	XMLName xml.Name `xml:"ListTagsForResourceResponse"`
	Tags    []struct {
		Key   string  `xml:"Key"`
		Value *string `xml:"Value"`
	} `xml:"ListTagsForResourceResult>TagList>Tag"`
}

type errorAnswer struct {
	XMLName   xml.Name `xml:"http://rds.amazonaws.com/doc/2014-10-31/ ErrorResponse"`
	Type      string   `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	RequestID string   `xml:"RequestId"`
}

// decode checks a successful answer and decodes it into out.
func decode[T any](t testing.TB, w *httptest.ResponseRecorder) T {
	t.Helper()
	var out T
	if w.Code != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", w.Code, w.Body)
	}
	if err := xml.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("decode %T: %v\n%s", out, err, w.Body)
	}
	return out
}

// wantError checks an error answer: status, code, the XML shape and the
// request id in both places.
func wantError(t testing.TB, w *httptest.ResponseRecorder, status int, code string) errorAnswer {
	t.Helper()
	var e errorAnswer
	if err := xml.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("decode error answer: %v\n%s", err, w.Body)
	}
	if w.Code != status || e.Code != code {
		t.Fatalf("got %d %s (%s), want %d %s", w.Code, e.Code, e.Message, status, code)
	}
	wantType := "Sender"
	if status >= 500 {
		wantType = "Receiver"
	}
	if e.Type != wantType || e.Message == "" {
		t.Errorf("Error Type %q Message %q, want Type %s and a message", e.Type, e.Message, wantType)
	}
	if id := w.Header().Get("x-amzn-RequestId"); id == "" || id != e.RequestID {
		t.Errorf("request id header %q, body %q: want the same, not empty", id, e.RequestID)
	}
	if ct := w.Header().Get("Content-Type"); ct != "text/xml" {
		t.Errorf("Content-Type %q, want text/xml", ct)
	}
	return e
}

func clusterIDs(a clustersAnswer) []string {
	ids := make([]string, len(a.Items))
	for i, c := range a.Items {
		ids[i] = c.ID
	}
	return ids
}
