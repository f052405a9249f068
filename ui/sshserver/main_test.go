package sshserver

import (
	"context"
	"net/http"
	"os"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
)

func TestMain(m *testing.M) {
	// The SDK client reads its credentials and settings from the
	// environment: give it dummy credentials (the local endpoint takes any)
	// and keep the host's AWS settings out.
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID":           "demo",
		"AWS_SECRET_ACCESS_KEY":       "demo",
		"AWS_SESSION_TOKEN":           "",
		"AWS_PROFILE":                 "",
		"AWS_CONFIG_FILE":             os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
		"AWS_CA_BUNDLE":               "",
		"AWS_EC2_METADATA_DISABLED":   "true",
	} {
		os.Setenv(k, v)
	}
	os.Exit(m.Run())
}

// sdkClient is the real client for a local endpoint, over hc (nil: the
// SDK's own HTTP client).
func sdkClient(ctx context.Context, endpointURL string, hc *http.Client) (awsclient.Client, error) {
	o := awsclient.Options{Region: "us-east-1", EndpointURL: endpointURL}
	if hc != nil {
		o.HTTPClient = hc
	}
	return awsclient.New(ctx, o)
}
