package emulator

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/docsnap/docsnap/awsclient"
)

// params are a request's Query-protocol parameters, from a form POST body or
// a GET query string. Lists are 1-based and wrapped:
// Filters.Filter.N.Name, Filters.Filter.N.Values.Value.M, Tags.Tag.N.Key.
type params map[string][]string

func (p params) get(name string) (string, bool) {
	v, ok := p[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

func (p params) required(name string) (string, *apiError) {
	v, ok := p.get(name)
	if !ok {
		return "", missingParameter(name)
	}
	return v, nil
}

// member is one element of a wrapped list: its parameters with the
// "List.Member.N." prefix cut off (a list of strings keeps its value under "").
type member struct {
	path string // "Filters.Filter.2", for messages
	params
}

// members collects the elements of the wrapped list name.memberName, in index
// order. An empty list arrives as the bare key with an empty value.
func (p params) members(name, memberName string) ([]member, *apiError) {
	prefix := name + "." + memberName + "."
	byIndex := map[int]params{}
	for key, values := range p {
		rest, ok := strings.CutPrefix(key, prefix)
		if !ok {
			if key == name && (len(values) == 0 || values[0] == "") {
				continue
			}
			if key == name || strings.HasPrefix(key, name+".") {
				return nil, invalidParameter("Malformed list parameter %s: expected %sN", key, prefix)
			}
			continue
		}
		index, field, _ := strings.Cut(rest, ".")
		n, err := strconv.Atoi(index)
		if err != nil || n < 1 {
			return nil, invalidParameter("Malformed list parameter %s: %q is not a list index (1, 2, …)", key, index)
		}
		if byIndex[n] == nil {
			byIndex[n] = params{}
		}
		byIndex[n][field] = values
	}
	out := make([]member, 0, len(byIndex))
	for _, n := range slices.Sorted(maps.Keys(byIndex)) {
		out = append(out, member{path: prefix + strconv.Itoa(n), params: byIndex[n]})
	}
	return out, nil
}

type filter struct {
	name   string
	values []string
}

// has reports whether v is one of the filter's values. A filter with an
// empty list of values matches nothing.
func (f filter) has(v string) bool { return slices.Contains(f.values, v) }

// filters parses Filters, accepting only the filter names an action knows.
func (p params) filters(known ...string) ([]filter, *apiError) {
	ms, err := p.members("Filters", "Filter")
	if err != nil {
		return nil, err
	}
	var fs []filter
	for _, m := range ms {
		name, ok := m.get("Name")
		if !ok {
			return nil, missingParameter(m.path + ".Name")
		}
		if !slices.Contains(known, name) {
			return nil, invalidParameter("Unrecognized filter name: %s", name)
		}
		if _, ok := m.params["Values"]; !ok && !hasPrefixedKey(m.params, "Values.") {
			return nil, missingParameter(m.path + ".Values")
		}
		values, err := m.members("Values", "Value")
		if err != nil {
			return nil, err
		}
		f := filter{name: name, values: []string{}}
		for _, v := range values {
			s, _ := v.get("")
			f.values = append(f.values, s)
		}
		fs = append(fs, f)
	}
	return fs, nil
}

func hasPrefixedKey(p params, prefix string) bool {
	for k := range p {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// tags parses Tags.Tag.N.Key and Tags.Tag.N.Value; a missing key becomes an
// empty one, for the rules to refuse by position.
func (p params) tags() ([]awsclient.Tag, *apiError) {
	ms, err := p.members("Tags", "Tag")
	if err != nil {
		return nil, err
	}
	tags := make([]awsclient.Tag, 0, len(ms))
	for _, m := range ms {
		key, _ := m.get("Key")
		value, _ := m.get("Value")
		tags = append(tags, awsclient.Tag{Key: key, Value: value})
	}
	return tags, nil
}

// Page sizes AWS allows.
const (
	minRecords     = 20
	maxRecords     = 100
	defaultRecords = 100
)

func (p params) maxRecords() (int, *apiError) {
	v, ok := p.get("MaxRecords")
	if !ok {
		return defaultRecords, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < minRecords || n > maxRecords {
		return 0, invalidParameter("Invalid value %s for MaxRecords. Must be between %d and %d.", v, minRecords, maxRecords)
	}
	return n, nil
}

// marker returns the key a page starts at: "" for the first page.
func (p params) marker() (string, *apiError) {
	v, _ := p.get("Marker")
	key, ok := decodeMarker(v)
	if !ok {
		return "", invalidParameter("Invalid value %q for Marker: pass the Marker of a previous response.", v)
	}
	return key, nil
}

// boolean parses an optional Boolean parameter ("true" or "false").
func (p params) boolean(name string) (bool, *apiError) {
	v, ok := p.get(name)
	switch {
	case !ok || strings.EqualFold(v, "false"):
		return false, nil
	case strings.EqualFold(v, "true"):
		return true, nil
	}
	return false, invalidParameter("Invalid value %q for %s: use true or false.", v, name)
}

// page reads the Marker and MaxRecords of a Describe call: the key the page
// starts at and how many items it holds at most.
func (p params) page() (from string, limit int, err *apiError) {
	if limit, err = p.maxRecords(); err != nil {
		return "", 0, err
	}
	from, err = p.marker()
	return from, limit, err
}
