package awsclient

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
)

// sourced is a credentials provider that fails and declares its sources,
// as the SDK's providers do.
type sourced struct {
	err     error
	sources []aws.CredentialSource
}

func (s sourced) Retrieve(context.Context) (aws.Credentials, error) { return aws.Credentials{}, s.err }
func (s sourced) ProviderSources() []aws.CredentialSource           { return s.sources }

// TestCredentialFailures checks what a failing provider's error means,
// depending on where the chain gets credentials: the marker reads that from
// the provider's sources.
func TestCredentialFailures(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	denied := &smithy.GenericAPIError{Code: "AccessDenied", Message: "not allowed to assume"}
	expired := &smithy.GenericAPIError{Code: "ExpiredToken", Message: "token expired"}
	untyped := errors.New("cached SSO token is expired, or not present, and cannot be refreshed")
	cases := []struct {
		name    string
		err     error
		sources []aws.CredentialSource
		kind    Kind
	}{
		{"imds fallback off EC2", fmt.Errorf("no EC2 IMDS role found, %w", refused),
			[]aws.CredentialSource{aws.CredentialSourceIMDS}, KindNoCredentials},
		{"sso session", untyped, []aws.CredentialSource{aws.CredentialSourceSSO}, KindExpiredCredentials},
		{"sso under assume-role", untyped, []aws.CredentialSource{aws.CredentialSourceProfileSourceProfile,
			aws.CredentialSourceProfileSSO, aws.CredentialSourceSTSAssumeRole}, KindExpiredCredentials},
		{"sso portal unreachable", refused, []aws.CredentialSource{aws.CredentialSourceSSO}, KindUnreachable},
		{"sts refuses the role", denied, []aws.CredentialSource{aws.CredentialSourceSTSAssumeRole}, KindAccessDenied},
		{"sts session expired", expired, []aws.CredentialSource{aws.CredentialSourceSTSAssumeRole}, KindExpiredCredentials},
		{"credential process fails", untyped, []aws.CredentialSource{aws.CredentialSourceProcess}, KindNoCredentials},
	}
	for _, tc := range cases {
		m := markCredentials(sourced{tc.err, tc.sources})
		_, err := m.Retrieve(context.Background())
		e := Classify("list clusters", "dev", err).(*Error)
		if e.Kind != tc.kind {
			t.Errorf("%s: kind %v, want %v", tc.name, e.Kind, tc.kind)
		}
		if tc.kind == KindExpiredCredentials && e.Hint() != "Run `aws sso login --profile dev`, then press r." && tc.sources[0] != aws.CredentialSourceSTSAssumeRole {
			t.Errorf("%s: hint %q", tc.name, e.Hint())
		}
	}

	// A failure caused by the call's own deadline is a timeout, not a
	// credentials problem.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m := markCredentials(sourced{context.Canceled, []aws.CredentialSource{aws.CredentialSourceIMDS}})
	_, err := m.Retrieve(ctx)
	if k := Classify("x", "", err).(*Error).Kind; k != KindCanceled {
		t.Fatalf("canceled retrieve: kind %v", k)
	}
}
