package awsclient_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"

	"github.com/docsnap/docsnap/awsclient"
)

// TestCreateHintsMakeNoSecondSnapshot: what a failed create says to do
// never leads to a second snapshot of a send whose answer was lost: an
// unknown outcome, whatever its kind, is sent again under the same
// identifier (not "press r", which on the form types into a field); an
// already-exists first points at the snapshot that may be that send's.
func TestCreateHintsMakeNoSecondSnapshot(t *testing.T) {
	for _, k := range []awsclient.Kind{awsclient.KindUnreachable, awsclient.KindTimeout, awsclient.KindServerError} {
		e := &awsclient.Error{Kind: k, Op: "create snapshot", OutcomeUnknown: true}
		if h := e.Hint(); !strings.HasPrefix(h, "Send it again under the same identifier, never another") {
			t.Errorf("%v, outcome unknown: hint %q", k, h)
		}
	}
	e := &awsclient.Error{Kind: awsclient.KindSnapshotExists, Op: "create snapshot", Code: "DBClusterSnapshotAlreadyExistsFault"}
	if h := e.Hint(); !strings.HasPrefix(h, "If an earlier send whose answer was lost used this identifier") {
		t.Errorf("already exists: hint %q", h)
	}
}

func TestEveryKindHasSentenceAndHint(t *testing.T) {
	n := 0
	for k := awsclient.KindUnknown; !strings.HasPrefix(k.String(), "Kind("); k++ {
		for _, e := range []*awsclient.Error{
			{Kind: k, Op: "list clusters"},
			{Kind: k, Op: "list clusters", Profile: "dev", Message: "m", Code: "C", RequestID: "r", Err: errors.New("cause")},
		} {
			if e.Sentence() == "" || e.Hint() == "" {
				t.Errorf("%v: sentence %q, hint %q", k, e.Sentence(), e.Hint())
			}
			if !strings.HasSuffix(e.Sentence(), ".") && e.Message == "" {
				t.Errorf("%v: sentence %q is not a sentence", k, e.Sentence())
			}
			if !strings.HasPrefix(e.Error(), "list clusters: ") {
				t.Errorf("%v: Error() %q does not say what docsnap was doing", k, e.Error())
			}
		}
		n++
	}
	if n < int(awsclient.KindConfig)+1 {
		t.Fatalf("only %d kinds have names", n)
	}
	e := &awsclient.Error{Kind: awsclient.KindThrottled, Op: "create snapshot", Code: "Throttling", RequestID: "req-1"}
	if got, want := e.Error(), "create snapshot: AWS is throttling requests (rate exceeded). (Throttling, request id req-1)"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
}

// TestAnswersClassified sends real calls through the SDK to a server that
// answers with the error documents of codes neither the local endpoint nor
// moto produce, and checks the kind, code, message and request id.
func TestAnswersClassified(t *testing.T) {
	cases := []struct {
		status int
		code   string
		kind   awsclient.Kind
	}{
		{403, "AccessDenied", awsclient.KindAccessDenied},
		{400, "ExpiredToken", awsclient.KindExpiredCredentials},
		{403, "InvalidClientTokenId", awsclient.KindExpiredCredentials},
		{403, "SignatureDoesNotMatch", awsclient.KindExpiredCredentials},
		{400, "InvalidAction", awsclient.KindInvalidParameter},
		{400, "InvalidParameterCombination", awsclient.KindInvalidParameter},
		{400, "Throttling", awsclient.KindThrottled},
		{500, "InternalFailure", awsclient.KindServerError},
		{503, "ServiceUnavailable", awsclient.KindServerError},
		{404, "DBClusterSnapshotNotFoundFault", awsclient.KindSnapshotNotFound},
		{400, "InvalidDBClusterSnapshotStateFault", awsclient.KindSnapshotState},
		{400, "SomethingNew", awsclient.KindUnknown},
	}
	for _, tc := range cases {
		t.Run(tc.code, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/xml")
				w.WriteHeader(tc.status)
				fmt.Fprintf(w, `<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/">`+
					`<Error><Type>Sender</Type><Code>%s</Code><Message>about %s</Message></Error>`+
					`<RequestId>req-%s</RequestId></ErrorResponse>`, tc.code, tc.code, tc.code)
			}))
			defer srv.Close()
			c := newClient(t, srv.URL, func(o *awsclient.Options) { o.RetryMaxAttempts = 2 })
			_, err := c.CreateSnapshot(context.Background(), awsclient.CreateSnapshotInput{ClusterID: "c", SnapshotID: "s"})
			e := wantKind(t, err, tc.kind, "create snapshot")
			if e.Code != tc.code || e.Message != "about "+tc.code || e.RequestID != "req-"+tc.code {
				t.Fatalf("code %q, message %q, request id %q", e.Code, e.Message, e.RequestID)
			}
			if tc.kind == awsclient.KindUnknown && !strings.Contains(e.Sentence(), "about SomethingNew") {
				t.Fatalf("an unknown answer's sentence %q does not carry AWS's message", e.Sentence())
			}
		})
	}
}

// TestClassifyChains covers the errors that are hard to cause on purpose
// here (DNS failures, resets), as the SDK wraps them.
func TestClassifyChains(t *testing.T) {
	sent := func(err error) error {
		return &smithy.OperationError{ServiceID: "DocDB", OperationName: "DescribeDBClusters", Err: err}
	}
	cases := []struct {
		name string
		err  error
		kind awsclient.Kind
	}{
		{"dns", sent(&net.DNSError{Err: "no such host", Name: "rds.nowhere.amazonaws.com", IsNotFound: true}), awsclient.KindUnreachable},
		{"refused", sent(&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}), awsclient.KindUnreachable},
		{"reset mid-response", sent(fmt.Errorf("read body: %w", io.ErrUnexpectedEOF)), awsclient.KindUnreachable},
		{"deadline", sent(context.DeadlineExceeded), awsclient.KindTimeout},
		{"deadline in backoff", sent(&aws.RequestCanceledError{Err: context.DeadlineExceeded}), awsclient.KindTimeout},
		{"canceled", sent(&aws.RequestCanceledError{Err: context.Canceled}), awsclient.KindCanceled},
		{"sdk refused a parameter", sent(&smithy.InvalidParamsError{Context: "CreateDBClusterSnapshotInput"}), awsclient.KindInvalidParameter},
		{"no region", sent(&aws.MissingRegionError{}), awsclient.KindNoRegion},
		{"other", errors.New("something"), awsclient.KindUnknown},
	}
	for _, tc := range cases {
		err := awsclient.Classify("list clusters", "", tc.err)
		wantKind(t, err, tc.kind, "list clusters")
		if !errors.Is(err, tc.err) {
			t.Errorf("%s: the cause is not kept in the chain", tc.name)
		}
	}
	if awsclient.Classify("x", "", nil) != nil {
		t.Fatal("Classify(nil) is not nil")
	}
	done := &awsclient.Error{Kind: awsclient.KindThrottled, Op: "first"}
	if got := awsclient.Classify("second", "", fmt.Errorf("again: %w", done)); !errors.Is(got, done) {
		t.Fatalf("an *Error was classified again: %v", got)
	}
}

// TestCutMidResponse: a connection closed after the headers, in the middle
// of the body, is an endpoint gone away (unreachable), and retried like a
// connection closed before the answer.
func TestCutMidResponse(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		io.Copy(io.Discard, r.Body) // read it all, so that closing sends FIN, not RST
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 4000\r\n\r\n" +
			`<DescribeDBClustersResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><DescribeDBClustersResult><DBClusters><DBCluster><DBClusterIdentifier>or`)
		buf.Flush()
	}))
	defer srv.Close()
	_, err := newClient(t, srv.URL).Clusters().Next(context.Background())
	e := wantKind(t, err, awsclient.KindUnreachable, "list clusters")
	if !errors.Is(e, io.ErrUnexpectedEOF) {
		t.Fatalf("cause %v", e.Err)
	}
	if n := calls.Load(); n != 3 {
		t.Fatalf("%d attempts, want the SDK's 3", n)
	}
}
