package emulator

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
)

// The real SDK client reaches the server through InProcess, at the host
// the caller chose, in the server's region.
func TestInProcessClient(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{Region: "eu-west-1"})
	c, err := s.InProcessClient("127.0.0.1:4566", awsclient.Options{RetryMaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Target(), (awsclient.Target{Region: "eu-west-1", Endpoint: "http://127.0.0.1:4566"}); got != want {
		t.Errorf("target %+v, want %+v", got, want)
	}
	ctx := t.Context()
	cs, err := awsclient.All(ctx, c.Clusters())
	if err != nil || len(cs) == 0 || cs[0].Region != "eu-west-1" {
		t.Fatalf("%d clusters, %v; want the demo fleet in eu-west-1", len(cs), err)
	}
	in := awsclient.CreateSnapshotInput{ClusterID: "orders-prod", SnapshotID: "in-process"}
	if _, err := c.CreateSnapshot(ctx, in); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Snapshot(ctx, "in-process"); err != nil {
		t.Errorf("the snapshot just created: %v", err)
	}
	if n := s.Calls("CreateDBClusterSnapshot"); n != 1 {
		t.Errorf("%d CreateDBClusterSnapshot calls reached the server, want 1", n)
	}
}

// inProcessPost is a form POST of an action through tr.
func inProcessPost(ctx context.Context, tr http.RoundTripper, url, action string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(form("Action", action).Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	return tr.RoundTrip(req)
}

func TestInProcessReachesNothingElse(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	tr := InProcess{Host: "demo.invalid", Handler: s}
	for _, u := range []string{"http://169.254.169.254/latest/api/token", "https://rds.us-east-1.amazonaws.com/", "http://demo.invalid:80/"} {
		if _, err := inProcessPost(t.Context(), tr, u, "DescribeDBClusters"); !errors.Is(err, ErrOtherHost) {
			t.Errorf("%s: %v, want refused", u, err)
		}
	}
	if n := s.Calls("DescribeDBClusters"); n != 0 {
		t.Errorf("%d refused calls reached the server", n)
	}
}

func TestInProcessAnswers(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	tr := InProcess{Host: "demo.invalid", Handler: s}
	resp, err := inProcessPost(t.Context(), tr, "http://demo.invalid/", "DescribeDBClusters")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/xml" ||
		resp.ContentLength != int64(len(body)) || !strings.Contains(string(body), "orders-prod") {
		t.Errorf("%s %v length %d: %s", resp.Status, resp.Header, resp.ContentLength, body)
	}
	resp, err = inProcessPost(t.Context(), tr, "http://demo.invalid/", "DeleteDBCluster")
	if err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Errorf("an unknown action: %v %v, want 400", resp, err)
	}
}

// A dropped answer is a cut connection to the client, after the action ran.
func TestInProcessDropIsACutConnection(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	tr := InProcess{Host: "demo.invalid", Handler: s}
	s.DropNext("DescribeDBClusters", 1)
	if resp, err := inProcessPost(t.Context(), tr, "http://demo.invalid/", "DescribeDBClusters"); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("dropped: %v %v, want io.ErrUnexpectedEOF", resp, err)
	}
	if resp, err := inProcessPost(t.Context(), tr, "http://demo.invalid/", "DescribeDBClusters"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("after the drop: %v %v", resp, err)
	}
	if n := s.Calls("DescribeDBClusters"); n != 2 {
		t.Errorf("Calls = %d, want 2", n)
	}
}

// A call whose context has ended is not served.
func TestInProcessCanceled(t *testing.T) {
	s, _ := newServer(t, DemoFleet(), Options{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := inProcessPost(ctx, InProcess{Host: "demo.invalid", Handler: s}, "http://demo.invalid/", "DescribeDBClusters")
	if !errors.Is(err, context.Canceled) || s.Calls("DescribeDBClusters") != 0 {
		t.Errorf("%v, %d calls; want canceled before the server", err, s.Calls("DescribeDBClusters"))
	}
}
