package awsclient

import (
	"bytes"
	"io"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// bufferedBodies hands the HTTP transport a request body of its own.
//
// The SDK closes its request body as soon as the response headers arrive,
// while net/http may still be reading that body to check that it ended; the
// read then fails and net/http closes the connection under the response
// being read ("use of closed network connection", aws-sdk-go-v2 #2737). The
// SDK retries that, which a create must not need. Query-protocol bodies are
// small forms, so a copy costs nothing.
type bufferedBodies struct{ aws.HTTPClient }

func (c bufferedBodies) Do(r *http.Request) (*http.Response, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return c.HTTPClient.Do(r)
	}
	b, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	r.ContentLength = int64(len(b))
	return c.HTTPClient.Do(r)
}
