package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// outputFlag is --output: table (for people) or json (for programs).
type outputFlag string

func (o *outputFlag) String() string { return string(*o) }

func (o *outputFlag) Set(s string) error {
	switch s {
	case "table", "json":
		*o = outputFlag(s)
		return nil
	}
	return fmt.Errorf("want table or json")
}

func addOutputFlag(c *command) *outputFlag {
	o := outputFlag("table")
	c.fs.Var(&o, "output", "`format` of what is printed on stdout: table or json")
	return &o
}

// The JSON documents. Field names are lower camel case and stable: scripts
// depend on them (the README lists them). Times are RFC 3339 in UTC, null
// when AWS did not give one. Every string passes the sanitizer.

// Cluster is one element of `docsnap clusters --output json`.
type Cluster struct {
	ClusterID           string   `json:"clusterId"`
	ARN                 string   `json:"arn"`
	Status              string   `json:"status"`
	Engine              string   `json:"engine"`
	EngineVersion       string   `json:"engineVersion"`
	Endpoint            string   `json:"endpoint"`
	ReaderEndpoint      string   `json:"readerEndpoint"`
	Port                int      `json:"port"`
	Instances           int      `json:"instances"`
	Members             []Member `json:"members"`
	StorageEncrypted    bool     `json:"storageEncrypted"`
	DeletionProtection  bool     `json:"deletionProtection"`
	MultiAZ             bool     `json:"multiAz"`
	BackupRetentionDays int      `json:"backupRetentionDays"`
	BackupWindow        string   `json:"backupWindow"`
	Created             Time     `json:"created"`
	Region              string   `json:"region"`
	// GlobalClusterID and GlobalRole ("primary" or "secondary") are null
	// for a cluster in no global cluster, and when they are not known.
	GlobalClusterID *string `json:"globalClusterId"`
	GlobalRole      *string `json:"globalRole"`
	// Type is "instance" or "elastic"; Shards and ShardCapacity (vCPUs a
	// shard) are an elastic cluster's, null for the others.
	Type          string `json:"type"`
	Shards        *int   `json:"shards"`
	ShardCapacity *int   `json:"shardCapacity"`
}

// Member is one instance of a cluster and its role.
type Member struct {
	InstanceID string `json:"instanceId"`
	Writer     bool   `json:"writer"`
}

// Snapshot is one element of `docsnap snapshots --output json`, and what
// `docsnap snapshot create|wait --output json` prints.
type Snapshot struct {
	SnapshotID       string `json:"snapshotId"`
	ClusterID        string `json:"clusterId"`
	ARN              string `json:"arn"`
	Status           string `json:"status"`
	Type             string `json:"type"`
	PercentProgress  int    `json:"percentProgress"`
	Created          Time   `json:"created"`
	ClusterCreated   Time   `json:"clusterCreated"`
	EngineVersion    string `json:"engineVersion"`
	StorageEncrypted bool   `json:"storageEncrypted"`
}

// Time is a time that encodes as RFC 3339 in UTC, or null when zero.
type Time time.Time

// MarshalJSON encodes t as "2006-01-02T15:04:05Z", or null.
func (t Time) MarshalJSON() ([]byte, error) {
	tt := time.Time(t)
	if tt.IsZero() {
		return []byte("null"), nil
	}
	b := append(make([]byte, 0, len(`"2006-01-02T15:04:05Z"`)), '"')
	b = tt.UTC().AppendFormat(b, time.RFC3339)
	return append(b, '"'), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	tt, err := time.Parse(time.RFC3339, s)
	*t = Time(tt)
	return err
}

// clusterJSON is c's document; global indexes the global clusters by
// member ARN (awsclient.Memberships).
func clusterJSON(c awsclient.Cluster, global map[string]awsclient.Membership) Cluster {
	g, inGlobal := global[c.ARN]
	c = sanitize.Cluster(c)
	members := make([]Member, len(c.Members))
	for i, m := range c.Members {
		members[i] = Member{InstanceID: m.InstanceID, Writer: m.Writer}
	}
	var globalID, role *string
	if inGlobal && c.ARN != "" {
		id, r := sanitize.String(g.Global.ID), g.Role()
		globalID, role = &id, &r
	}
	kind := awsclient.TypeInstance
	var shards, capacity *int
	if c.Type == awsclient.TypeElastic {
		kind = awsclient.TypeElastic
	}
	if kind == awsclient.TypeElastic && c.Detailed { // else not known
		n, cpu := c.ShardCount, c.ShardCapacity
		shards, capacity = &n, &cpu
	}
	return Cluster{
		Type: string(kind), Shards: shards, ShardCapacity: capacity,
		GlobalClusterID: globalID, GlobalRole: role,
		ClusterID: c.ID, ARN: c.ARN, Status: c.Status, Engine: c.Engine, EngineVersion: c.EngineVersion,
		Endpoint: c.Endpoint, ReaderEndpoint: c.ReaderEndpoint, Port: c.Port,
		Instances: len(c.Members), Members: members,
		StorageEncrypted: c.StorageEncrypted, DeletionProtection: c.DeletionProtection, MultiAZ: c.MultiAZ,
		BackupRetentionDays: c.BackupRetentionDays, BackupWindow: c.BackupWindow,
		Created: Time(c.Created), Region: c.Region,
	}
}

func snapshotJSON(s awsclient.Snapshot) Snapshot {
	s = sanitize.Snapshot(s)
	return Snapshot{
		SnapshotID: s.ID, ClusterID: s.ClusterID, ARN: s.ARN, Status: s.Status, Type: s.Type,
		PercentProgress: ui.ClampPercent(s.PercentProgress), Created: Time(s.Created), ClusterCreated: Time(s.ClusterCreated),
		EngineVersion: s.EngineVersion, StorageEncrypted: s.StorageEncrypted,
	}
}

// writeJSON writes v indented, with no HTML escaping (an identifier with
// "<" stays readable).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeClustersJSON writes clusters byte for byte as writeJSON does, but
// one element at a time into a buffer written out every 48 KiB: at 1,000
// clusters, indenting the whole array in one piece took nearly twice as
// long and allocated 5 MB instead of 0.2 MB.
func writeClustersJSON(w io.Writer, clusters []Cluster) error {
	if len(clusters) == 0 {
		return writeJSON(w, clusters)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("  ", "  ") // as an element of the array
	for i := range clusters {
		if i == 0 {
			b.WriteString("[\n  ")
		} else {
			b.WriteString(",\n  ")
		}
		if err := enc.Encode(&clusters[i]); err != nil {
			return err
		}
		b.Truncate(b.Len() - 1) // the newline Encode ends a value with
		if b.Len() > 48<<10 {
			if _, err := w.Write(b.Bytes()); err != nil {
				return err
			}
			b.Reset()
		}
	}
	b.WriteString("\n]\n")
	_, err := w.Write(b.Bytes())
	return err
}

// paints colour what a command prints on a terminal; on anything else, or
// with NO_COLOR set, they are plain (on is false, every paint empty). The 16
// basic colours follow the terminal's own palette, so they read on light
// and dark backgrounds alike.
type paints struct {
	on                      bool
	header, good, busy, bad ui.Paint
}

func (env *Env) paintsFor(w io.Writer) paints {
	if !env.IsTerminal(w) || env.Getenv("NO_COLOR") != "" || env.Getenv("TERM") == "dumb" {
		return paints{}
	}
	fg := func(c ansi.BasicColor) ui.Paint { return ui.NewPaint(ansi.NewStyle().ForegroundColor(c)) }
	return paints{on: true, header: ui.NewPaint(ansi.NewStyle().Bold()),
		good: fg(ansi.Green), busy: fg(ansi.Yellow), bad: fg(ansi.Red)}
}

// status paints a status (already padded) in the colour of its tone.
func (p paints) status(status, padded string) string {
	switch ui.StatusTone(status) {
	case ui.ToneGood:
		return p.good.Render(padded)
	case ui.ToneBusy:
		return p.busy.Render(padded)
	case ui.ToneBad:
		return p.bad.Render(padded)
	}
	return padded
}

// table lays out rows in columns as wide as their widest cell, two spaces
// apart, for people: on a terminal the statuses get their glyph and colour.
type table struct {
	heads  []string
	right  []bool // right-aligned columns
	status int    // the column that holds a status; -1: none
	rows   [][]string
}

// add adds a row; an empty cell shows as "-", so that every row has as
// many words as the header.
func (t *table) add(cells ...string) {
	for i, c := range cells {
		if c == "" {
			cells[i] = "-"
		}
	}
	t.rows = append(t.rows, cells)
}

func (t *table) write(w io.Writer, p paints, glyphs bool) error {
	cell := func(row []string, i int) string {
		if i == t.status && glyphs {
			return ui.StatusTone(row[i]).Glyph() + " " + row[i]
		}
		return row[i]
	}
	widths := make([]int, len(t.heads))
	for i, h := range t.heads {
		widths[i] = ui.Width(h)
	}
	for _, r := range t.rows {
		for i := range r {
			widths[i] = max(widths[i], ui.Width(cell(r, i)))
		}
	}
	var b strings.Builder
	line := func(cells []string, paint func(i int, padded string) string) {
		for i, c := range cells {
			pad := strings.Repeat(" ", widths[i]-ui.Width(c))
			last := i == len(cells)-1
			switch {
			case t.right[i]:
				c = pad + c
			case !last:
				c += pad
			}
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(paint(i, c))
		}
		b.WriteByte('\n')
	}
	line(t.heads, func(_ int, s string) string { return p.header.Render(s) })
	for _, r := range t.rows {
		cells := make([]string, len(r))
		for i := range r {
			cells[i] = cell(r, i)
		}
		line(cells, func(i int, s string) string {
			if i == t.status {
				return p.status(r[i], s)
			}
			return s
		})
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// tableTime is how the tables show a time: to the minute, in UTC (the
// column head says so).
func tableTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
