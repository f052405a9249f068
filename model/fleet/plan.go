// Package fleet is a snapshot of many clusters in one action: the
// identifier template, the plan that checks every expansion before anything
// is sent, and the batch that sends the creates with bounded concurrency,
// backs off when AWS throttles, keeps each create's exactly-once rules and
// follows every snapshot to its end.
//
// It does no I/O and knows nothing of Bubble Tea: the TUI drives a Batch
// with commands and the `docsnap snapshot create --clusters` script with
// goroutines, so that both follow one set of rules. The caller makes the
// calls the batch asks for (Next) and reports their answers (Answered,
// Polled), with the time from its own clock.
package fleet

import (
	"fmt"
	"strings"
	"time"

	"github.com/docsnap/docsnap/awsclient"
)

// DefaultTemplate names each snapshot after its cluster and the time, as
// the single snapshot form suggests (awsclient.SuggestSnapshotID).
const DefaultTemplate = "{cluster}-{date}-{time}"

// Placeholders are the names a template may hold between braces.
var Placeholders = []string{"{cluster}", "{region}", "{date}", "{time}"}

// Expand fills the template's placeholders for one cluster: {cluster} and
// {region} as given, {date} as YYYY-MM-DD and {time} as HHMM, both in UTC
// whatever the clock's zone, as the single snapshot form names snapshots:
// one batch gets one time however many zones its operators live in. An
// unknown placeholder is left as it is (CheckTemplate names it).
func Expand(template, cluster, region string, now time.Time) string {
	t := now.UTC()
	return strings.NewReplacer(
		"{cluster}", cluster,
		"{region}", region,
		"{date}", t.Format("2006-01-02"),
		"{time}", t.Format("1504"),
	).Replace(template)
}

// CheckTemplate returns what is wrong with the template itself, whatever
// the cluster: a placeholder docsnap does not know, or a brace that opens
// none. Its problems are about the snapshot identifier.
func CheckTemplate(template string) []awsclient.Problem {
	var ps []awsclient.Problem
	add := func(format string, a ...any) {
		ps = append(ps, awsclient.Problem{Field: awsclient.FieldSnapshotID, Message: fmt.Sprintf(format, a...)})
	}
	known := "use " + strings.Join(Placeholders[:len(Placeholders)-1], ", ") + " or " + Placeholders[len(Placeholders)-1]
	rest := template
	for {
		open := strings.IndexAny(rest, "{}")
		if open < 0 {
			return ps
		}
		if rest[open] == '}' {
			add("has a '}' that closes no placeholder: %s", known)
			rest = rest[open+1:]
			continue
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			add("has a '{' that is never closed: %s", known)
			return ps
		}
		name := rest[open : open+end+1]
		if !isPlaceholder(name) {
			add("%s is not a placeholder: %s", quoteShort(name), known)
		}
		rest = rest[open+end+1:]
	}
}

func isPlaceholder(name string) bool {
	for _, p := range Placeholders {
		if name == p {
			return true
		}
	}
	return false
}

// quoteShort quotes a piece of the template for a message, cut to a length
// a message line can carry.
func quoteShort(s string) string {
	const most = 32
	if r := []rune(s); len(r) > most {
		s = string(r[:most]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

// Target is one cluster the operator chose.
type Target struct {
	Cluster awsclient.Cluster
}

// Item is one snapshot the plan would create.
type Item struct {
	Cluster awsclient.Cluster
	Region  string
	// ID is the expansion as AWS stores it (lower case).
	ID string
	// Problems are what is wrong with ID (or with the cluster's own
	// identifier): the new-snapshot rules, a collision with another item,
	// a snapshot that exists already. Warnings do not block.
	Problems []awsclient.Problem
	// Blocked says why the cluster cannot be snapshotted now, with what to
	// do about it; empty when it can.
	Blocked string
}

// Sendable reports whether the item may be sent: no blocking problem and
// not blocked.
func (it Item) Sendable() bool {
	return it.Blocked == "" && len(awsclient.Blocking(it.Problems)) == 0
}

// Plan expands the template for each target and checks every expansion:
// the template's own problems, the identifier rules of a new snapshot, two
// clusters given the same identifier (AWS's identifiers are unique per
// region; docsnap's batch asks them unique across regions too, so that an
// identifier names one create), a snapshot that exists already (exists, nil:
// none is known), and a cluster not available for a snapshot. Items come in
// the targets' order.
func Plan(template string, targets []Target, now time.Time, exists func(region, id string) bool) []Item {
	shared := CheckTemplate(template)
	items := make([]Item, len(targets))
	first := make(map[string]int, len(targets))
	collided := make([]bool, len(targets))
	for i, t := range targets {
		c := t.Cluster
		it := Item{Cluster: c, Region: c.Region}
		if _, ps := awsclient.ValidateClusterID(c.ID); len(ps) > 0 {
			it.Problems = append(it.Problems, ps...)
		}
		id, ps := newSnapshotID(c, Expand(template, c.ID, c.Region, now))
		it.ID = id
		it.Problems = append(it.Problems, shared...)
		it.Problems = append(it.Problems, ps...)
		if !ready(c) {
			it.Blocked = blockedSentence(c)
		}
		// AWS's identifiers ignore case: so do collisions.
		if j, seen := first[strings.ToLower(id)]; seen {
			other := &items[j]
			it.Problems = append(it.Problems, collision(id, other.Cluster))
			if !collided[j] {
				other.Problems = append(other.Problems, collision(id, c))
				collided[j] = true
			}
		} else {
			first[strings.ToLower(id)] = i
			if exists != nil && len(ps) == 0 && exists(c.Region, id) {
				it.Problems = append(it.Problems, awsclient.Problem{Field: awsclient.FieldSnapshotID,
					Message: fmt.Sprintf("%s already exists in %s: change the template", id, c.Region)})
			}
		}
		items[i] = it
	}
	return items
}

func collision(id string, other awsclient.Cluster) awsclient.Problem {
	return awsclient.Problem{Field: awsclient.FieldSnapshotID, Message: fmt.Sprintf(
		"%s is also the identifier for cluster %s (%s): add {cluster} or {region} to the template", id, other.ID, other.Region)}
}

// newSnapshotID is the identifier a snapshot of c named name gets, with
// the rules of c's kind of cluster: an instance-based cluster's snapshot
// identifier (stored lower case), or an elastic cluster's snapshot name.
func newSnapshotID(c awsclient.Cluster, name string) (string, []awsclient.Problem) {
	if c.Type == awsclient.TypeElastic {
		return name, awsclient.ValidateElasticSnapshotName(name)
	}
	return awsclient.ValidateSnapshotID(name)
}

// ready reports whether c can be snapshotted now: available, or for an
// elastic cluster ACTIVE.
func ready(c awsclient.Cluster) bool {
	if c.Type == awsclient.TypeElastic {
		return c.Status == awsclient.StatusActive
	}
	return c.Status == awsclient.StatusAvailable
}

// blockedSentence says why a cluster that is not available cannot be
// snapshotted, and what to do about it.
func blockedSentence(c awsclient.Cluster) string {
	status := c.Status
	if status == "" {
		status = "of unknown status"
	}
	if c.Type == awsclient.TypeElastic {
		return "The elastic cluster is " + status + ", not ACTIVE. Wait until it is active (start it if it is stopped), then try again."
	}
	return "The cluster is " + status + ", not available. " + awsclient.ClusterStateHint(c.ID, c.Status)
}

// Sendable reports whether every item may be sent, and how many may not.
func Sendable(items []Item) (ok bool, blocked int) {
	for _, it := range items {
		if !it.Sendable() {
			blocked++
		}
	}
	return blocked == 0, blocked
}
