package awsclient_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// TestSSOLoginThenRetry is what a user does when docsnap says the SSO
// session expired: run `aws sso login`, which writes a new token into the
// cache, then press r. The same client (no restart) must then work: the SDK
// reads the token cache again on the next call (a failed credentials lookup
// is not cached) and trades the token for role credentials at the SSO
// portal, here a local stand-in reached through AWS_ENDPOINT_URL_SSO.
func TestSSOLoginThenRetry(t *testing.T) {
	login := ssoHome(t)
	token := func(value string, expires time.Time) { login("corp", "https://corp.awsapps.com/start", value, expires) }
	token("old-token", time.Now().Add(-time.Hour))

	var portalCalls atomic.Int32
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		portalCalls.Add(1)
		q := r.URL.Query()
		if r.URL.Path != "/federation/credentials" || q.Get("account_id") != "123456789012" || q.Get("role_name") != "ReadOnly" ||
			r.Header.Get("x-amz-sso_bearer_token") != "fresh-token" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"message":"Session token not found or invalid"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"roleCredentials": map[string]any{
			"accessKeyId": "ASIAEXAMPLE", "secretAccessKey": "secret", "sessionToken": "session",
			"expiration": time.Now().Add(time.Hour).UnixMilli()}})
	}))
	t.Cleanup(portal.Close)
	t.Setenv("AWS_ENDPOINT_URL_SSO", portal.URL)
	_, url := startEmulator(t, emulator.Options{Now: newClock().Now}, tiny())

	c := newClient(t, url, func(o *awsclient.Options) { o.Profile = "dev" })
	_, err := awsclient.All(context.Background(), c.Clusters())
	e := wantKind(t, err, awsclient.KindExpiredCredentials, "list clusters")
	if !strings.Contains(e.Hint(), "aws sso login --profile dev") {
		t.Fatalf("hint %q", e.Hint())
	}
	if n := portalCalls.Load(); n != 0 {
		t.Fatalf("an expired token went to the portal (%d calls)", n)
	}

	token("fresh-token", time.Now().Add(8*time.Hour)) // what `aws sso login` does
	ids := clusterIDs(t, c)
	if len(ids) != 2 || portalCalls.Load() != 1 {
		t.Fatalf("after login: clusters %v, %d portal calls", ids, portalCalls.Load())
	}
}
