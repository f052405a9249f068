package awsclient

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"
)

// Profile is one named profile of the shared AWS config and credentials
// files, as the profile picker lists it.
type Profile struct {
	Name   string
	Region string // the profile's region, if it sets one
	// SSO marks a profile whose credentials come from IAM Identity Center:
	// it needs `aws sso login --profile NAME` when its session expires.
	SSO bool
	// SSOSession names the [sso-session] it uses (empty for the legacy form
	// with sso_start_url in the profile itself).
	SSOSession string
	// Role is the role_arn it assumes, if any.
	Role string
	// InConfig and InCredentials say which file defines it.
	InConfig, InCredentials bool
}

// ProfileFiles are the shared config and credentials files.
type ProfileFiles struct {
	Config, Credentials string
}

// DefaultProfileFiles are the files the SDK and the AWS CLI read:
// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE when set, else ~/.aws/config
// and ~/.aws/credentials.
func DefaultProfileFiles() ProfileFiles {
	f := ProfileFiles{Config: os.Getenv("AWS_CONFIG_FILE"), Credentials: os.Getenv("AWS_SHARED_CREDENTIALS_FILE")}
	if f.Config == "" {
		f.Config = config.DefaultSharedConfigFilename()
	}
	if f.Credentials == "" {
		f.Credentials = config.DefaultSharedCredentialsFilename()
	}
	return f
}

// LoadProfiles lists the profiles of the shared files: `[default]` and
// `[profile NAME]` sections of the config file, `[NAME]` sections of the
// credentials file, merged by name; default first, then by name. A file that
// does not exist lists nothing; one that cannot be read is an error. The
// SDK's config package reads these files but does not expose the list of
// their profiles, hence this small reader of the same INI dialect (sections,
// `key = value`, # and ; comments, indented lines of nested settings).
func LoadProfiles(files ProfileFiles) ([]Profile, error) {
	byName := map[string]*Profile{}
	get := func(name string) *Profile {
		p, ok := byName[name]
		if !ok {
			p = &Profile{Name: name}
			byName[name] = p
		}
		return p
	}
	err := readINI(files.Config, func(section, key, value string) {
		name, ok := configProfileName(section)
		if !ok {
			return // [sso-session X], [services X]: not profiles
		}
		p := get(name)
		p.InConfig = true
		switch key {
		case "region":
			p.Region = value
		case "sso_session":
			p.SSO, p.SSOSession = true, value
		case "sso_start_url", "sso_account_id", "sso_role_name":
			p.SSO = true
		case "role_arn":
			p.Role = value
		}
	})
	if err != nil {
		return nil, err
	}
	err = readINI(files.Credentials, func(section, key, value string) {
		if section != "" {
			get(section).InCredentials = true
		}
	})
	if err != nil {
		return nil, err
	}
	out := make([]Profile, 0, len(byName))
	for _, p := range byName {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b Profile) int {
		switch {
		case a.Name == b.Name:
			return 0
		case a.Name == "default":
			return -1
		case b.Name == "default":
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out, nil
}

// configProfileName is the profile a config file section defines.
func configProfileName(section string) (string, bool) {
	if section == "default" {
		return "default", true
	}
	if name, ok := strings.CutPrefix(section, "profile "); ok {
		name = strings.TrimSpace(name)
		return name, name != ""
	}
	return "", false
}

// readINI calls f once for each section header (key "") and each
// `key = value` line of path, with the section's name. A missing file reads
// as empty.
func readINI(path string, f func(section, key, value string)) error {
	file, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read AWS profiles: %w", err)
	}
	defer file.Close()
	if err := parseINI(file, f); err != nil {
		return fmt.Errorf("read AWS profiles from %s: %w", path, err)
	}
	return nil
}

func parseINI(r io.Reader, f func(section, key, value string)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	section := ""
	for sc.Scan() {
		raw := sc.Text()
		line := strings.TrimSpace(raw)
		switch {
		case line == "", line[0] == '#', line[0] == ';':
			continue
		case raw[0] == ' ' || raw[0] == '\t':
			continue // a nested setting (s3 =\n  max_concurrent_requests = 20)
		case line[0] == '[':
			end := strings.IndexByte(line, ']')
			if end < 0 {
				end = len(line)
			}
			section = strings.Join(strings.Fields(line[1:end]), " ")
			f(section, "", "")
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok || section == "" {
			continue
		}
		if i := strings.IndexAny(value, "#;"); i > 0 && (value[i-1] == ' ' || value[i-1] == '\t') {
			value = value[:i] // an inline comment
		}
		f(section, strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(value))
	}
	return sc.Err()
}
