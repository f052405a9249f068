package sshserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// demoHost is the endpoint host of every demo world. It is never resolved:
// the world's transport hands requests for it to the world's handler and
// refuses everything else (the SDK's instance-metadata probes included).
const demoHost = "demo.docsnap.invalid"

// DemoWorlds is the backend of `serve --demo`: every session gets its own
// local endpoint (its own clusters, snapshots and quota), loaded with fleet
// and served in-process, and its own client for it, which reads nothing of
// the server's AWS setup. Nothing is shared, so one visitor's snapshots
// never appear in another's session, and a world is garbage once its
// session ends.
func DemoWorlds(opts emulator.Options, fleet func() emulator.Fleet) Backend {
	return func(context.Context) (awsclient.Client, func(), error) {
		world := emulator.New(opts)
		world.Load(fleet())
		c, err := awsclient.NewLocal(awsclient.Options{Region: opts.Region, EndpointURL: "http://" + demoHost,
			HTTPClient: &http.Client{Transport: handlerTransport{world}}})
		if err != nil {
			return nil, nil, fmt.Errorf("demo world: %w", err)
		}
		return c, func() {}, nil
	}
}

// handlerTransport is an http.RoundTripper that serves requests for demoHost
// with a handler in the calling goroutine: no socket, no connection pool, no
// goroutine per world, which is what keeps a demo session small.
type handlerTransport struct{ h http.Handler }

var errNotDemo = errors.New("a demo world reaches nothing but its own endpoint")

func (t handlerTransport) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	if req.Body != nil {
		defer req.Body.Close()
	}
	if req.URL.Host != demoHost {
		return nil, fmt.Errorf("%s: %w", req.URL.Host, errNotDemo)
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	w := &recorder{header: http.Header{}}
	in := req.Clone(req.Context())
	in.RequestURI = req.URL.RequestURI()
	in.RemoteAddr = "127.0.0.1:0"
	defer func() {
		// The endpoint aborts a response (http.ErrAbortHandler) to simulate
		// a lost connection: the client sees one.
		if r := recover(); r != nil {
			if r != http.ErrAbortHandler {
				panic(r)
			}
			resp, err = nil, io.ErrUnexpectedEOF
		}
	}()
	t.h.ServeHTTP(w, in)
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

// recorder is the ResponseWriter of handlerTransport.
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
