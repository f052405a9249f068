// Package emulatortest starts the local DocumentDB endpoint for a test or a
// benchmark, as net/http/httptest starts an HTTP server: on a free loopback
// port, closed when the test ends; and it reads botocore's API model for the
// tests that check against it. Only tests import it.
package emulatortest

import (
	"net/http"
	"testing"

	"github.com/docsnap/docsnap/awsclient/emulator"
)

// Serve serves a new emulator.Server made with opts and holding fleet, its
// handler wrapped in each of wrap in turn (emulator.BrokenPaging.Wrap), and
// returns the server and its endpoint.
func Serve(tb testing.TB, opts emulator.Options, fleet emulator.Fleet, wrap ...func(http.Handler) http.Handler) (*emulator.Server, *emulator.Endpoint) {
	tb.Helper()
	srv := emulator.New(opts)
	srv.Load(fleet)
	var h http.Handler = srv
	for _, w := range wrap {
		h = w(h)
	}
	ep, err := emulator.Listen("127.0.0.1:0", h)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ep.Close() })
	return srv, ep
}
