package awsclient

import (
	"bytes"
	"io"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// bufferedBodies hands the HTTP transport a request body of its own.
//
// The SDK closes its request body once the HTTP client returns, while
// net/http's write loop may still be using it; the loop then fails and
// closes the connection under the response being read ("use of closed
// network connection", the SDK's known bug
// github.com/aws/aws-sdk-go-v2/issues/2737; seen here in about one call in
// ten under -race). The SDK retries that, so a read costs a second call and a
// create needs the lost-response rule for nothing. Query-protocol bodies are
// small forms, so the copy costs nothing.
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
