package awsclient_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
)

// parentEnv is the environment the test binary started with, for the
// programs the tests start (moto_server, python3), which need the real HOME
// and PATH.
var parentEnv []string

// TestMain isolates the tests from the machine's AWS setup: no shared config
// or credentials files, no instance metadata, no AWS_* variable from outside,
// and dummy static credentials that a test unsets to see them missing.
func TestMain(m *testing.M) {
	parentEnv = os.Environ()
	dir, err := os.MkdirTemp("", "awsclient-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			os.Unsetenv(k)
		}
	}
	for k, v := range map[string]string{
		"AWS_CONFIG_FILE":             empty,
		"AWS_SHARED_CREDENTIALS_FILE": empty,
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_ACCESS_KEY_ID":           "testing",
		"AWS_SECRET_ACCESS_KEY":       "testing",
	} {
		os.Setenv(k, v)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// fast are options that keep failing calls quick: a tiny backoff and a short
// call timeout.
func fast(o *awsclient.Options) {
	o.RetryMaxBackoff = time.Millisecond
	o.CallTimeout = 10 * time.Second
}

// newClient returns a client for endpoint in us-east-1 with fast retries.
func newClient(t *testing.T, endpoint string, opts ...func(*awsclient.Options)) *awsclient.SDK {
	t.Helper()
	o := awsclient.Options{Region: "us-east-1", EndpointURL: endpoint}
	fast(&o)
	for _, f := range opts {
		f(&o)
	}
	c, err := awsclient.New(context.Background(), o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// closedPort returns the URL of a loopback port nobody listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// wantKind asserts that err is an *awsclient.Error of kind k for op.
func wantKind(t *testing.T, err error, k awsclient.Kind, op string) *awsclient.Error {
	t.Helper()
	var e *awsclient.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *awsclient.Error", err, err)
	}
	if e.Kind != k {
		t.Fatalf("kind %v, want %v: %v (cause: %v)", e.Kind, k, e, e.Err)
	}
	if op != "" && e.Op != op {
		t.Errorf("op %q, want %q", e.Op, op)
	}
	return e
}

// pagesOf drains p, returning the items and the number of pages seen.
func pagesOf[T any](t *testing.T, p awsclient.Pages[T]) ([]T, int) {
	t.Helper()
	var all []T
	n := 0
	for p.More() {
		page, err := p.Next(context.Background())
		if err != nil {
			t.Fatalf("page %d: %v", n+1, err)
		}
		n++
		all = append(all, page...)
	}
	return all, n
}
