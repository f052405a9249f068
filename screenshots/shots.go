package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/docsnap/docsnap/ui"
)

// The terminal every screen is drawn in.
const width, height = 100, 24

// shot is one screenshot: how to reach its screen, and what the screen must
// show (the generator fails rather than write a screen that lost its
// point).
type shot struct {
	name string
	alt  string // the README's alt text
	term theme
	want []string // plain text the screen must contain
	take func() (string, error)
}

// The story of the screenshots: a snapshot of orders-prod with a typo in
// its identifier, fixed, tagged, confirmed and followed to the end.
const (
	cluster   = "orders-prod"
	typo      = "orders-prod_pre-migration"
	snapID    = "Orders-Prod-Pre-Migration"
	storedID  = "orders-prod-pre-migration"
	second    = "payments-prod"
	typoError = "'_'"
)

var tags = [][2]string{{"team", "orders"}, {"ticket", "OPS-1432"}}

func shots() []shot {
	return []shot{
		{
			name: "clusters", term: darkTerminal,
			alt:  "docsnap listing the 16 DocumentDB clusters of the demo region, us-east-1, instance-based and elastic in one table: identifier, status, type, engine version, instances or shards, encryption, the cursor on " + cluster + ", the keys at the bottom",
			want: []string{"docsnap · demo · us-east-1", "16 clusters", "▌ " + cluster, "IDENTIFIER", "STATUS", "TYPE", "4 x 8 vCPU"},
			take: scripted(ui.ThemeDark, func(d *driver) error { return d.selectRow(cluster, nil) }),
		},
		{
			name: "filter", term: darkTerminal,
			alt:  "The clusters list filtered as you type: \"prod\" typed after /, the matching part of each identifier highlighted",
			want: []string{"/ prod", "of 16 clusters", "payments-prod"},
			take: scripted(ui.ThemeDark, func(d *driver) error {
				d.keys("/prod")
				return nil
			}),
		},
		{
			name: "cluster", term: darkTerminal,
			alt:  "The cluster screen of orders-prod: engine, endpoint, instances, backups, encryption, tags, and its snapshots with the progress of one still being taken",
			want: []string{"Cluster " + cluster, "Snapshots", "orders-prod-before-reindex"},
			take: scripted(ui.ThemeDark, func(d *driver) error {
				if err := d.selectRow(cluster, nil); err != nil {
					return err
				}
				d.keys(enter)
				return nil
			}),
		},
		{
			name: "form-error", term: darkTerminal,
			alt:  "The snapshot form with a live validation error: the identifier " + typo + " is refused as typed, with the reason under the field",
			want: []string{"New snapshot of " + cluster, typo, typoError, "Cannot send yet"},
			take: scripted(ui.ThemeDark, func(d *driver) error {
				if err := d.openForm(cluster); err != nil {
					return err
				}
				d.keys(ctrlU + typo)
				return nil
			}),
		},
		{
			name: "confirm", term: darkTerminal,
			alt:  "The confirmation before anything is sent: cluster, snapshot identifier (stored in lower case), tags and region, and the same request as an AWS CLI command",
			want: []string{"Create this snapshot?", "aws docdb create-db-cluster-snapshot", "--db-cluster-snapshot-identifier " + snapID, "Key=ticket,Value=OPS-1432"},
			take: scripted(ui.ThemeDark, func(d *driver) error { return d.confirm() }),
		},
		{
			name: "progress", term: darkTerminal,
			alt:  "The snapshot being created, at about 40%, with its status, elapsed time and an estimate of the time left",
			want: []string{"Snapshot " + storedID, "creating", "%"},
			take: scripted(ui.ThemeDark, func(d *driver) error {
				if err := d.create(); err != nil {
					return err
				}
				return d.until("about 40%", time.Minute, func() bool { return percent(d.view()) >= 35 })
			}),
		},
		{
			name: "success", term: darkTerminal,
			alt:  "The snapshot available: 100%, how long it took, and its ARN",
			want: []string{"100%", "The snapshot is available", "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:" + storedID},
			take: scripted(ui.ThemeDark, func(d *driver) error {
				if err := d.create(); err != nil {
					return err
				}
				return d.until("available", 5*time.Minute, func() bool { return strings.Contains(d.text(), "The snapshot is available") })
			}),
		},
		{
			name: "tracking", term: darkTerminal,
			alt:  "Back on the clusters list while two snapshots are being created: the footer tracks both with their progress",
			want: []string{"Tracking: ", storedID, second + "-"},
			take: scripted(ui.ThemeDark, func(d *driver) error { return d.trackTwo() }),
		},
		{
			name: "fleet", term: darkTerminal,
			alt:  "A snapshot of every production cluster in one action: the clusters the filter prod status:available shows marked with ctrl+a, one template, one confirmation; the multi-progress view mid-way, a row per snapshot with its bar, status, elapsed time and estimate, and the overall line",
			want: []string{"Snapshots of ", " available", "PROGRESS", "batch fleet-"},
			take: scripted(ui.ThemeDark, func(d *driver) error { return d.fleet() }),
		},
		{
			name: "regions", term: darkTerminal,
			alt:  "Two regions in one table, as docsnap --demo --region us-east-1,eu-west-1 lists them, with a REGION column",
			want: []string{"docsnap · demo · us-east-1, eu-west-1", "REGION", "ledger-prod-euw1", cluster},
			take: scripted(ui.ThemeDark, func(*driver) error { return nil }, "us-east-1", "eu-west-1"),
		},
		{
			name: "snapshots", term: darkTerminal,
			alt:  "The snapshots view (S): every cluster snapshot of the region, manual, automated and shared with the account, with its cluster, status, creation time, encryption and how many accounts it is shared with, counted against the manual snapshot quota",
			want: []string{"manual snapshots", "SNAPSHOT", "SHARED", "automated"},
			take: scripted(ui.ThemeDark, func(d *driver) error {
				d.keys("S")
				return d.until("listed", time.Minute, func() bool {
					return strings.Contains(d.text(), " snapshots\n") && !strings.Contains(d.text(), "loading")
				})
			}),
		},
		{
			name: "light", term: lightTerminal,
			alt:  "The clusters list in the light theme, for terminals with a light background",
			want: []string{"docsnap · demo · us-east-1", cluster},
			take: scripted(ui.ThemeLight, func(d *driver) error { return d.selectRow(cluster, nil) }),
		},
		{
			name: "ssh", term: darkTerminal,
			alt:  "docsnap served over SSH by docsnap serve --demo: a visitor's session, in a demo world of its own, on the cluster screen of " + second,
			want: []string{"docsnap · demo · us-east-1", "Cluster " + second, "payments-prod-pre-migration"},
			take: sshSession,
		},
	}
}

// scripted takes a screenshot of the model in theme, listing regions (the
// demo region when none), after script.
func scripted(theme ui.Theme, script func(*driver) error, regions ...string) func() (string, error) {
	return func() (string, error) {
		d, err := newDriver(theme, width, height, regions...)
		if err != nil {
			return "", err
		}
		if err := script(d); err != nil {
			return "", err
		}
		return d.view(), nil
	}
}

// text is the frame without its escape sequences.
func (d *driver) text() string { return ansi.Strip(d.view()) }

// selectRow moves the list's cursor down from the top to the cluster id,
// calling moved (when not nil) after each step.
func (d *driver) selectRow(id string, moved func()) error {
	d.keys("g")
	for range 100 {
		if strings.Contains(d.text(), "▌ "+id+" ") {
			return nil
		}
		d.keys("j")
		if moved != nil {
			moved()
		}
	}
	return fmt.Errorf("the list has no row %s", id)
}

// openForm opens the snapshot form of cluster id.
func (d *driver) openForm(id string) error {
	if err := d.selectRow(id, nil); err != nil {
		return err
	}
	d.keys("s")
	if !strings.Contains(d.text(), "New snapshot of "+id) {
		return fmt.Errorf("no form for %s:\n%s", id, d.text())
	}
	return nil
}

// fill types the story's identifier, then its tags, in the open form.
func (d *driver) fill() {
	d.keys(ctrlU + snapID)
	for i, t := range tags {
		next := tab // the first row is there
		if i > 0 {
			next = ctrlN
		}
		d.keys(next + t[0] + tab + t[1])
	}
}

// confirm fills the form of the story and asks to review it.
func (d *driver) confirm() error {
	if err := d.openForm(cluster); err != nil {
		return err
	}
	d.fill()
	d.keys(enter)
	if !strings.Contains(d.text(), "Create this snapshot?") {
		return fmt.Errorf("no confirmation:\n%s", d.text())
	}
	return nil
}

// create sends the story's snapshot and waits for the progress screen.
func (d *driver) create() error {
	if err := d.confirm(); err != nil {
		return err
	}
	d.keys(enter)
	if !strings.Contains(d.text(), "Snapshot "+storedID) {
		return fmt.Errorf("no progress screen:\n%s", d.text())
	}
	return nil
}

// fleet marks the clusters the filter prod status:available shows, sends a snapshot of
// each, and waits until the first is available and others are not.
func (d *driver) fleet() error {
	d.keys("/prod status:available" + enter + ctrlA + "s")
	if !strings.Contains(d.text(), "Ready: ") {
		return fmt.Errorf("the fleet form cannot be sent:\n%s", d.text())
	}
	d.keys(enter)
	if t := d.text(); strings.Contains(t, "Type the number of snapshots, ") {
		n, _, _ := strings.Cut(strings.SplitN(t, "Type the number of snapshots, ", 2)[1], ",")
		d.keys(n)
	}
	d.keys(enter)
	return d.until("one available", 10*time.Minute, func() bool {
		t := d.text()
		return strings.Contains(t, "batch fleet-") && !strings.Contains(t, " 0 of ") && strings.Contains(t, " creating")
	})
}

// trackTwo leaves the story's snapshot running, takes one of a second
// cluster with the suggested identifier, and goes back to the list.
func (d *driver) trackTwo() error {
	if err := d.create(); err != nil {
		return err
	}
	if err := d.until("under way", time.Minute, func() bool { return percent(d.view()) >= 20 }); err != nil {
		return err
	}
	d.keys(esc)
	if err := d.openForm(second); err != nil {
		return err
	}
	d.keys(enter + enter)
	if err := d.until("the second under way", time.Minute, func() bool { return percent(d.view()) > 0 }); err != nil {
		return err
	}
	d.keys(esc)
	return nil
}

var percentRE = regexp.MustCompile(`(\d+)%`)

// percent is the first percentage on the screen, -1 if none.
func percent(frame string) int {
	m := percentRE.FindStringSubmatch(ansi.Strip(frame))
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n
}
