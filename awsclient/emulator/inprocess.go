package emulator

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/docsnap/docsnap/awsclient"
)

// InProcess is an http.RoundTripper that serves the requests for Host (the
// host:port of the endpoint URL) with Handler, in the calling goroutine: no
// socket, no connection pool, no goroutine per endpoint, which keeps a demo
// session small and a screenshot off the network. Host is never resolved;
// requests for any other host (the SDK's instance-metadata probes included)
// are refused with ErrOtherHost.
type InProcess struct {
	Host    string
	Handler http.Handler
}

// ErrOtherHost is the refusal of a request for a host other than an
// InProcess transport's own.
var ErrOtherHost = errors.New("an in-process endpoint reaches nothing but its own host")

// RoundTrip serves req with t.Handler. A response the handler aborts
// (http.ErrAbortHandler, which the endpoint uses to simulate a lost
// connection) reaches the client as io.ErrUnexpectedEOF, as a cut
// connection would.
func (t InProcess) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	if req.Body != nil {
		defer req.Body.Close()
	}
	if req.URL.Host != t.Host {
		return nil, fmt.Errorf("%s: %w", req.URL.Host, ErrOtherHost)
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	w := &recorder{header: http.Header{}}
	in := req.Clone(req.Context())
	in.RequestURI = req.URL.RequestURI()
	in.RemoteAddr = "127.0.0.1:0"
	defer func() {
		if r := recover(); r != nil {
			if r != http.ErrAbortHandler {
				panic(r)
			}
			resp, err = nil, io.ErrUnexpectedEOF
		}
	}()
	t.Handler.ServeHTTP(w, in)
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", w.status, http.StatusText(w.status)),
		StatusCode:    w.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        w.header,
		Body:          io.NopCloser(&w.body),
		ContentLength: int64(w.body.Len()),
		Request:       req,
	}, nil
}

// recorder is the ResponseWriter of InProcess.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(p)
}

// InProcessClient is the real SDK client (awsclient.NewLocal) of s served
// by InProcess at host: o with s's region, the endpoint http://host and the
// in-process transport. host is what the client reports as its endpoint.
func (s *Server) InProcessClient(host string, o awsclient.Options) (*awsclient.SDK, error) {
	o.Region = s.opts.Region
	o.EndpointURL = "http://" + host
	o.HTTPClient = &http.Client{Transport: InProcess{Host: host, Handler: s}}
	return awsclient.NewLocal(o)
}
