package awsclient_test

import (
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
)

func TestLoadProfiles(t *testing.T) {
	dir := t.TempDir()
	files := awsclient.ProfileFiles{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
	writeFile(t, files.Config, `# the shared config file
[default]
region = us-east-1

[profile dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = ReadOnly
region = eu-west-1   # Ireland

[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = eu-west-1

[profile admin]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = default
s3 =
  region = not-this-one
  max_concurrent_requests = 20

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1

[services local]
docdb =
  endpoint_url = http://127.0.0.1:4566

[not-a-profile]
region = ap-south-1

[  profile   spaced  ]
region=ca-central-1
`)
	writeFile(t, files.Credentials, `[default]
aws_access_key_id = AKIAEXAMPLE
aws_secret_access_key = secret
; a comment
[ci]
aws_access_key_id = AKIAEXAMPLE2
aws_secret_access_key = secret2
`)
	got, err := awsclient.LoadProfiles(files)
	if err != nil {
		t.Fatal(err)
	}
	want := []awsclient.Profile{
		{Name: "default", Region: "us-east-1", InConfig: true, InCredentials: true},
		{Name: "admin", Role: "arn:aws:iam::123456789012:role/admin", InConfig: true},
		{Name: "ci", InCredentials: true},
		{Name: "dev", Region: "eu-west-1", SSO: true, SSOSession: "corp", InConfig: true},
		{Name: "legacy", SSO: true, InConfig: true},
		{Name: "spaced", Region: "ca-central-1", InConfig: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("profiles:\n got %+v\nwant %+v", got, want)
	}
	for _, p := range got {
		if strings.Contains(p.Name, "secret") || strings.Contains(p.Region, "AKIA") {
			t.Fatalf("a secret leaked into %+v", p)
		}
	}
}

// Missing files list nothing, without an error; AWS_CONFIG_FILE and
// AWS_SHARED_CREDENTIALS_FILE choose the files.
func TestProfileFilesFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "cfg"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "creds"))
	files := awsclient.DefaultProfileFiles()
	if files.Config != filepath.Join(dir, "cfg") || files.Credentials != filepath.Join(dir, "creds") {
		t.Fatalf("files %+v", files)
	}
	got, err := awsclient.LoadProfiles(files)
	if err != nil || len(got) != 0 {
		t.Fatalf("no files: %v, %v", got, err)
	}
	writeFile(t, files.Credentials, "[only]\naws_access_key_id = x\n")
	got, err = awsclient.LoadProfiles(files)
	if err != nil || len(got) != 1 || got[0].Name != "only" {
		t.Fatalf("credentials only: %v, %v", got, err)
	}
	// A directory where the file should be cannot be read: say so.
	t.Setenv("AWS_CONFIG_FILE", dir)
	if _, err := awsclient.LoadProfiles(awsclient.DefaultProfileFiles()); err == nil || !strings.Contains(err.Error(), dir) {
		t.Fatalf("unreadable config: %v", err)
	}
}

func TestParseRegions(t *testing.T) {
	got, err := awsclient.ParseRegions(" us-east-1, EU-WEST-1,us-east-1,, ")
	if err != nil || !slices.Equal(got, []string{"us-east-1", "eu-west-1"}) {
		t.Fatalf("list: %v, %v", got, err)
	}
	all, err := awsclient.ParseRegions("all")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range all {
		info, ok := awsclient.RegionInfo(r)
		if !ok || info.Partition != "aws" {
			t.Fatalf("all has %q (%+v)", r, info)
		}
	}
	if len(all) < 20 || slices.Contains(all, "cn-north-1") || slices.Contains(all, "us-gov-west-1") {
		t.Fatalf("all: %v", all)
	}
	mixed, err := awsclient.ParseRegions("eu-west-1,all")
	if err != nil || mixed[0] != "eu-west-1" || len(mixed) != len(all) {
		t.Fatalf("eu-west-1,all: %v, %v", mixed, err)
	}
	// A region AWS adds later works before the list knows it.
	if got, err := awsclient.ParseRegions("xx-newplace-9"); err != nil || got[0] != "xx-newplace-9" {
		t.Fatalf("new region: %v, %v", got, err)
	}
	for _, bad := range []string{"us east 1", "useast1", "us-east-1;rm", "all-of-them"} {
		if _, err := awsclient.ParseRegions(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if got, err := awsclient.ParseRegions(""); err != nil || got != nil {
		t.Fatalf("empty: %v, %v", got, err)
	}
}
