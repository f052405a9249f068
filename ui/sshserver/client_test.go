package sshserver

import (
	"net/http"

	"github.com/docsnap/docsnap/awsclient"
)

// localClient is the real SDK client for a local endpoint, over hc (nil:
// the SDK's own HTTP client).
func localClient(endpointURL string, hc *http.Client) (awsclient.Client, error) {
	o := awsclient.Options{EndpointURL: endpointURL}
	if hc != nil {
		o.HTTPClient = hc
	}
	return awsclient.NewLocal(o)
}
