package awsclient_test

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// These tests change the environment, so they do not run in parallel.

func TestNoRegion(t *testing.T) {
	_, err := awsclient.New(context.Background(), awsclient.Options{EndpointURL: closedPort(t)})
	e := wantKind(t, err, awsclient.KindNoRegion, "configure AWS")
	if !strings.Contains(e.Error(), "No AWS region is set.") || !strings.Contains(e.Hint(), "--region") {
		t.Fatalf("error %q, hint %q", e.Error(), e.Hint())
	}

	_, err = awsclient.New(context.Background(), awsclient.Options{Region: "us east 1"})
	e = wantKind(t, err, awsclient.KindNoRegion, "configure AWS")
	if !strings.Contains(e.Sentence(), `"us east 1"`) {
		t.Fatalf("sentence %q does not name the region", e.Sentence())
	}

	// The region comes from the environment as well.
	t.Setenv("AWS_REGION", "eu-west-3")
	c, err := awsclient.New(context.Background(), awsclient.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Target(); got.Region != "eu-west-3" || got.Endpoint != "" || got.Profile != "" {
		t.Fatalf("target %+v", got)
	}
}

func TestMissingProfile(t *testing.T) {
	_, err := awsclient.New(context.Background(), awsclient.Options{Profile: "nope", Region: "us-east-1"})
	e := wantKind(t, err, awsclient.KindConfig, "configure AWS")
	if !strings.Contains(e.Sentence(), `"nope"`) {
		t.Fatalf("sentence %q does not name the profile", e.Sentence())
	}
}

func TestBadEndpoint(t *testing.T) {
	_, err := awsclient.New(context.Background(), awsclient.Options{Region: "us-east-1", EndpointURL: "127.0.0.1:4566"})
	e := wantKind(t, err, awsclient.KindConfig, "configure AWS")
	if !strings.Contains(e.Sentence(), `"127.0.0.1:4566"`) {
		t.Fatalf("sentence %q does not name the URL", e.Sentence())
	}
	t.Setenv("AWS_ENDPOINT_URL_DOCDB", "ftp://127.0.0.1:21")
	_, err = awsclient.New(context.Background(), awsclient.Options{Region: "us-east-1"})
	wantKind(t, err, awsclient.KindConfig, "configure AWS")
}

func TestMissingCredentials(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	c := newClient(t, closedPort(t))
	_, err := awsclient.All(context.Background(), c.Clusters())
	e := wantKind(t, err, awsclient.KindNoCredentials, "list clusters")
	if e.Code != "" || e.RequestID != "" {
		t.Fatalf("no request was sent, yet code %q, request id %q", e.Code, e.RequestID)
	}
}

// writeFile writes content to path, making its directories.
func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// ssoHome makes a temporary HOME holding the shared config file that `aws
// configure sso` writes, in both forms: a profile dev on the sso-session
// corp, and the legacy profile with sso_start_url; no static credentials.
// token writes a token into the SSO cache as `aws sso login` does (key is
// the session's name, or the legacy start URL).
func ssoHome(t *testing.T) (token func(key, startURL, value string, expires time.Time)) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	config := filepath.Join(home, ".aws", "config")
	t.Setenv("AWS_CONFIG_FILE", config)
	writeFile(t, config, `
[profile dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = ReadOnly
region = eu-west-1

[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 123456789012
sso_role_name = ReadOnly
region = eu-west-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
sso_registration_scopes = sso:account:access
`)
	return func(key, startURL, value string, expires time.Time) {
		sum := sha1.Sum([]byte(key))
		writeFile(t, filepath.Join(home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json"),
			`{"accessToken": "`+value+`", "expiresAt": "`+expires.UTC().Format(time.RFC3339)+
				`", "region": "eu-west-1", "startUrl": "`+startURL+`"}`)
	}
}

// TestExpiredSSO uses a real shared config file and a real SSO token cache
// in a temporary HOME, in both forms `aws configure sso` writes: a profile
// with sso_session (the SDK reports an expired token with an untyped
// error), and the legacy profile with sso_start_url (it reports
// *ssocreds.InvalidTokenError). Both must say to log in again, with the
// profile's name. The token is expired, so no request leaves the machine.
func TestExpiredSSO(t *testing.T) {
	token := ssoHome(t)
	expired := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	token("corp", "https://corp.awsapps.com/start", "expired-token", expired)
	token("https://legacy.awsapps.com/start", "https://legacy.awsapps.com/start", "expired-token", expired)

	for _, profile := range []string{"dev", "legacy"} {
		t.Run(profile, func(t *testing.T) {
			c, err := awsclient.New(context.Background(), awsclient.Options{Profile: profile, EndpointURL: closedPort(t)})
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Target(); got.Profile != profile || got.Region != "eu-west-1" {
				t.Fatalf("target %+v", got)
			}
			_, err = c.Snapshot(context.Background(), "any")
			e := wantKind(t, err, awsclient.KindExpiredCredentials, "describe snapshot")
			if want := "aws sso login --profile " + profile; !strings.Contains(e.Hint(), want) {
				t.Fatalf("hint %q does not say %q", e.Hint(), want)
			}
			if strings.Contains(e.Error(), "expired-token") {
				t.Fatalf("the error shows the token: %v", e)
			}
		})
	}

	// AWS_PROFILE names the profile just as --profile does.
	t.Setenv("AWS_PROFILE", "dev")
	c, err := awsclient.New(context.Background(), awsclient.Options{EndpointURL: closedPort(t)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Tags(context.Background(), "arn:aws:rds:eu-west-1:123456789012:cluster:x")
	e := wantKind(t, err, awsclient.KindExpiredCredentials, "list tags")
	if !strings.Contains(e.Hint(), "aws sso login --profile dev") {
		t.Fatalf("hint %q", e.Hint())
	}
}

// A local client reads nothing of the user's AWS setup: a profile that does
// not exist, an endpoint variable pointing elsewhere, no credentials at all.
func TestNewLocalIgnoresAWSSetup(t *testing.T) {
	_, url := startEmulator(t, emulator.Options{Now: newClock().Now}, tiny())
	t.Setenv("AWS_PROFILE", "nope")
	t.Setenv("AWS_ENDPOINT_URL_DOCDB", closedPort(t))
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_REGION", "eu-west-1")
	c, err := awsclient.NewLocal(awsclient.Options{EndpointURL: url})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Target(); got != (awsclient.Target{Region: "us-east-1", Endpoint: url}) {
		t.Fatalf("target %+v", got)
	}
	if ids := clusterIDs(t, c); len(ids) != 2 {
		t.Fatalf("clusters %v, want the 2 of the fleet", ids)
	}
	if _, err := awsclient.NewLocal(awsclient.Options{}); err == nil {
		t.Fatal("a local client without an endpoint was made")
	}
}
