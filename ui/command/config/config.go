// Package config reads docsnap's own config file: defaults for the profile,
// the regions and the poll interval, the theme, key overrides for the main
// actions, protected clusters and read-only profiles. Every setting is
// optional; a file that is not there is no error. A file that is there must
// be right: any mistake is an error naming the file, the line and the key,
// and docsnap refuses to start on it (unless --ignore-config).
//
// The format is one `key = value` a line; a line starting with # or ; is a
// comment; blank lines are ignored; a list is values separated by commas.
// There are no sections and no quoting (see Keys for every key).
package config

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/ui"
)

// Config is what the file says; fields it does not set are zero.
type Config struct {
	Path string // the file read

	Profile      string        // profile: the AWS profile when neither --profile nor AWS_PROFILE names one
	Regions      []string      // region: one or more regions, or all, when neither --region nor AWS_REGION says
	PollInterval time.Duration // poll-interval: between two checks of a snapshot's progress
	Theme        ui.Theme      // theme: auto (zero), dark, light or high-contrast
	ReadOnly     bool          // read-only: never take snapshots
	// ReadOnlyProfiles are patterns of profile names that are read-only
	// (read-only-profiles).
	ReadOnlyProfiles []string
	// Protect are patterns of cluster identifiers whose snapshots need the
	// cluster's name typed to confirm (protect).
	Protect []string
	// ProtectTag is the tag that marks a protected cluster (protect-tag);
	// nil: the default, docsnap:protected=true.
	ProtectTag *awsclient.Tag
	// Keys is the key map with the key.ACTION overrides; nil: no override.
	Keys *ui.KeyMap
	// SnapshotQuota is the manual snapshots a region may hold, where the
	// account's quota was raised (snapshot-quota); 0: AWS's default.
	SnapshotQuota int
}

// Keys are the settings the file may hold, documented in the README's
// config reference; key.ACTION is one for each of ui.Actions.
var Keys = []string{"profile", "region", "poll-interval", "theme", "read-only", "read-only-profiles",
	"protect", "protect-tag", "snapshot-quota", "key.ACTION"}

// DefaultPath is the file docsnap reads when --config does not name one:
// docsnap/config in the user's config directory ($XDG_CONFIG_HOME or
// ~/.config on Linux, ~/Library/Application Support on macOS, %AppData% on
// Windows). Empty when there is no such directory.
func DefaultPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "docsnap", "config")
}

// Error is a mistake in the file.
type Error struct {
	Path string
	Line int
	Key  string // empty when the line is not a setting at all
	Msg  string
}

func (e *Error) Error() string {
	where := e.Path + ":" + strconv.Itoa(e.Line) + ": "
	if e.Key == "" {
		return where + e.Msg
	}
	return where + "key " + strconv.Quote(e.Key) + ": " + e.Msg
}

// Load reads the file at p. When mustExist is false (the default path), a
// file that does not exist gives an empty Config; otherwise (--config) it
// is an error.
func Load(p string, mustExist bool) (*Config, error) {
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) && !mustExist {
		return &Config{Path: p}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the config file: %w", err)
	}
	defer f.Close()
	return Parse(p, f)
}

// Parse reads a config file's text; name is how errors call it.
func Parse(name string, r io.Reader) (*Config, error) {
	c := &Config{Path: name}
	seen := map[string]int{} // key -> line
	var keys *ui.KeyMap
	keyLines := map[string]int{} // action -> line
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, &Error{Path: name, Line: n, Msg: fmt.Sprintf("%q is not a setting: want key = value", clip(line))}
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		fail := func(format string, a ...any) error {
			return &Error{Path: name, Line: n, Key: k, Msg: fmt.Sprintf(format, a...)}
		}
		if first, dup := seen[k]; dup {
			return nil, fail("set twice (first on line %d)", first)
		}
		seen[k] = n
		if v == "" {
			return nil, fail("no value (leave the line out to keep the default)")
		}
		var err error
		switch k {
		case "profile":
			c.Profile = v
		case "region":
			c.Regions, err = awsclient.ParseRegions(v)
		case "poll-interval":
			c.PollInterval, err = time.ParseDuration(v)
			if err == nil && c.PollInterval < time.Second {
				err = fmt.Errorf("%v is too often: want 1s or more", c.PollInterval)
			}
		case "theme":
			c.Theme, err = ui.ParseTheme(v)
		case "read-only":
			c.ReadOnly, err = strconv.ParseBool(v)
			if err != nil {
				err = fmt.Errorf("%q: want true or false", v)
			}
		case "read-only-profiles":
			c.ReadOnlyProfiles, err = patterns(v)
		case "protect":
			c.Protect, err = patterns(v)
		case "snapshot-quota":
			c.SnapshotQuota, err = strconv.Atoi(v)
			if err == nil && (c.SnapshotQuota < 1 || c.SnapshotQuota > 1_000_000) {
				err = fmt.Errorf("%d: want a number of snapshots from 1 to 1000000", c.SnapshotQuota)
			}
		case "protect-tag":
			var t awsclient.Tag
			t, err = ParseTag(v)
			c.ProtectTag = &t
		default:
			action, isKey := strings.CutPrefix(k, "key.")
			if !isKey {
				return nil, fail("unknown setting%s (the settings: %s)", suggest(k), strings.Join(Keys, ", "))
			}
			if keys == nil {
				km := ui.DefaultKeyMap()
				keys = &km
			}
			err = keys.Rebind(action, list(v))
			keyLines[action] = n
		}
		if err != nil {
			return nil, fail("%v", err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if keys != nil {
		if a, b, shared, clash := keys.Clash(); clash {
			// Report it on the line of an override involved (the later one).
			line, at := keyLines[b], b
			if keyLines[a] > line {
				line, at = keyLines[a], a
			}
			return nil, &Error{Path: name, Line: line, Key: "key." + at,
				Msg: fmt.Sprintf("%s is both %s and %s: give one of them another key", shared, a, b)}
		}
		c.Keys = keys
	}
	return c, nil
}

// list splits a comma-separated value, dropping empty items.
func list(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func patterns(v string) ([]string, error) {
	ps := list(v)
	for _, p := range ps {
		if err := CheckPattern(p); err != nil {
			return nil, err
		}
	}
	return ps, nil
}

// CheckPattern checks a pattern of names as --protect and the config file
// take them: shell-style, with * ? and [a-z] (path.Match).
func CheckPattern(p string) error {
	if _, err := path.Match(p, ""); err != nil {
		return fmt.Errorf("%q is not a valid pattern (use * ? and [a-z])", p)
	}
	return nil
}

// ParseTag reads key=value (or key alone, any value) as protect-tag takes
// it.
func ParseTag(v string) (awsclient.Tag, error) {
	k, val, _ := strings.Cut(v, "=")
	t := awsclient.Tag{Key: strings.TrimSpace(k), Value: strings.TrimSpace(val)}
	if t.Key == "" {
		return t, fmt.Errorf("%q has no tag key: want key=value", v)
	}
	return t, nil
}

// suggest names the known setting closest to k, if one is close.
func suggest(k string) string {
	best, dist := "", 3
	for _, known := range append(slices.Clone(Keys[:len(Keys)-1]), keyNames()...) {
		if d := distance(k, known); d < dist {
			best, dist = known, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func keyNames() []string {
	out := make([]string, len(ui.Actions))
	for i, a := range ui.Actions {
		out[i] = "key." + a
	}
	return out
}

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
