package model

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/ui"
)

// The goldens of the operator features (testdata/TestGoldenOperator/*),
// drawn from states the harness drives the model to.

func threeRegions(t *testing.T, w, h int, euErr error) *harness {
	us := regionFake("ops", "us-east-1", "orders-prod-use1", "payments-prod-use1")
	us.clusters[1].Status = "backing-up"
	eu := regionFake("ops", "eu-west-1", "orders-prod-euw1")
	eu.listErr = euErr
	ap := regionFake("ops", "ap-south-1", "catalog-aps1", "ledger-aps1")
	ap.clusters[0].EngineVersion = "8.0.0"
	return newHarness(t, us, w, h, func(c *Config) { c.Clients = []awsclient.Client{us, eu, ap} })
}

func TestGoldenOperator(t *testing.T) {
	profiles := []awsclient.Profile{
		{Name: "default", Region: "us-east-1", InConfig: true, InCredentials: true},
		{Name: "admin", Role: "arn:aws:iam::123456789012:role/admin", InConfig: true},
		{Name: "ci", InCredentials: true},
		{Name: "dev", Region: "eu-west-1", SSO: true, SSOSession: "corp", InConfig: true},
		{Name: "legacy", SSO: true, InConfig: true},
		{Name: "ops", Region: "us-east-1", InCredentials: true},
	}
	t.Run("profile_picker", func(t *testing.T) {
		hs := newHarness(t, populated(), 100, 16, withConnect(&accounts{}, profiles...))
		hs.press("P")
		goldenView(t, hs.m)
	})
	t.Run("profile_picker_typed", func(t *testing.T) {
		hs := newHarness(t, populated(), 100, 16, withConnect(&accounts{}, profiles...))
		hs.press("P")
		hs.typeText("sso")
		goldenView(t, hs.m)
	})
	t.Run("region_picker", func(t *testing.T) {
		hs := threeRegions(t, 100, 20, nil)
		hs.m.cfg.Connect = (&accounts{}).connect
		hs.press("R")
		hs.typeText("eu-")
		hs.press("down", "space")
		goldenView(t, hs.m)
	})
	t.Run("command_line", func(t *testing.T) {
		hs := newHarness(t, populated(), 100, 16, withConnect(&accounts{}))
		hs.press(":")
		hs.typeText("region eu-w")
		goldenView(t, hs.m)
	})
	t.Run("command_line_empty", func(t *testing.T) {
		hs := newHarness(t, populated(), 100, 16, withConnect(&accounts{}))
		hs.press(":")
		goldenView(t, hs.m)
	})
	t.Run("multi_region_one_failed", func(t *testing.T) {
		hs := threeRegions(t, 120, 14, &awsclient.Error{Kind: awsclient.KindAccessDenied, Op: "list clusters", Code: "AccessDenied"})
		goldenView(t, hs.m)
	})
	t.Run("multi_region_opt_in_not_enabled", func(t *testing.T) {
		us := regionFake("ops", "us-east-1", "orders-prod-use1")
		ilc := regionFake("ops", "il-central-1")
		ilc.listErr = &awsclient.Error{Kind: awsclient.KindExpiredCredentials, Op: "list clusters", Code: "InvalidClientTokenId"}
		hs := newHarness(t, us, 120, 10, func(c *Config) { c.Clients = []awsclient.Client{us, ilc} })
		goldenView(t, hs.m)
	})
	t.Run("multi_region_all_failed", func(t *testing.T) {
		var clients []awsclient.Client
		for _, r := range []string{"us-east-1", "eu-west-1", "ap-south-1", "sa-east-1"} {
			f := regionFake("dev", r)
			f.listErr = &awsclient.Error{Kind: awsclient.KindExpiredCredentials, Op: "list clusters", Profile: "dev"}
			clients = append(clients, f)
		}
		hs := newHarness(t, clients[0].(*fakeClient), 100, 12, func(c *Config) { c.Clients = clients })
		goldenView(t, hs.m)
	})
	t.Run("multi_region_cluster", func(t *testing.T) {
		hs := threeRegions(t, 100, 20, nil)
		hs.press("G", "enter")
		goldenView(t, hs.m)
	})
	t.Run("sorted_status_reversed", func(t *testing.T) {
		hs := newHarness(t, populated(), 100, 16)
		hs.press("j", "o", "o", "O")
		goldenView(t, hs.m)
	})
	t.Run("sorted_region", func(t *testing.T) {
		hs := threeRegions(t, 100, 14, nil)
		hs.press(":")
		hs.typeText("sort region desc")
		hs.press("enter")
		goldenView(t, hs.m)
	})
	t.Run("read_only", func(t *testing.T) {
		hs := newHarness(t, populated(), 100, 16, func(c *Config) { c.ReadOnly = "docsnap runs with --read-only: it browses, and takes no snapshot." })
		hs.press("s", "?")
		goldenView(t, hs.m)
	})
	t.Run("protected_confirm", func(t *testing.T) {
		hs := newHarness(t, populated(), 100, 24, func(c *Config) { c.Protect = []string{"orders-*"} })
		hs.press("s", "enter")
		hs.typeText("orders-pr")
		goldenView(t, hs.m)
	})
	t.Run("protected_confirm_typed", func(t *testing.T) {
		f := populated()
		f.tags["arn:aws:rds:us-east-1:123456789012:cluster:orders-prod"] = append(f.tags["arn:aws:rds:us-east-1:123456789012:cluster:orders-prod"],
			awsclient.Tag{Key: "docsnap:protected", Value: "true"})
		hs := newHarness(t, f, 100, 24)
		hs.press("s", "enter")
		hs.typeText("orders-prod")
		goldenView(t, hs.m)
	})
	t.Run("protected_checking", func(t *testing.T) {
		hs := newHarness(t, populated(), 100, 24)
		hs.m.Update(keyMsg("s")) // its tag lookup never answers
		hs.press("enter", "enter")
		goldenView(t, hs.m)
	})
	t.Run("copy_notice", func(t *testing.T) {
		hs := newHarness(t, populated(), 100, 16)
		hs.press("j", "Y")
		goldenView(t, hs.m)
	})
	t.Run("tag_filter", func(t *testing.T) {
		hs := newHarness(t, populated(), 100, 16)
		hs.press("/")
		hs.typeText("status:avail tag:team=pay")
		hs.press("enter")
		goldenView(t, hs.m)
	})
	t.Run("found_creating", func(t *testing.T) {
		us := regionFake("ops", "us-east-1", "orders-prod-use1", "payments-prod-use1")
		us.clusters[1].Status = "backing-up"
		us.describe["rds:payments-prod-use1-2024-05-01-12-00"] = awsclient.Snapshot{ID: "rds:payments-prod-use1-2024-05-01-12-00",
			ClusterID: "payments-prod-use1", Status: "creating", Type: "automated", PercentProgress: 57, Created: t0.Add(-3 * time.Minute)}
		eu := regionFake("ops", "eu-west-1", "orders-prod-euw1")
		hs := newHarness(t, us, 100, 12, func(c *Config) { c.Clients = []awsclient.Client{us, eu} })
		goldenView(t, hs.m)
	})
	t.Run("watch_not_started_here", func(t *testing.T) {
		f := populated()
		f.describe["before-upgrade"] = awsclient.Snapshot{ID: "before-upgrade", ClusterID: "orders-prod", Status: "creating",
			Type: "manual", PercentProgress: 23, Created: t0.Add(-95 * time.Second)}
		hs := newHarness(t, f, 100, 14, func(c *Config) { c.Watch = "before-upgrade" })
		goldenView(t, hs.m)
	})
	t.Run("watch_not_found", func(t *testing.T) {
		hs := newHarness(t, populated(), 100, 14, func(c *Config) { c.Watch = "nope" })
		goldenView(t, hs.m)
	})
	t.Run("all_regions_header", func(t *testing.T) {
		all, _ := awsclient.ParseRegions("all")
		var clients []awsclient.Client
		for _, r := range all {
			clients = append(clients, regionFake("", r, "c-"+r))
		}
		hs := newHarness(t, clients[0].(*fakeClient), 100, 10, func(c *Config) { c.Clients = clients })
		goldenView(t, hs.m)
	})
}

func TestGoldenOperatorColour(t *testing.T) {
	for _, c := range []struct {
		name  string
		theme ui.Theme
		light bool
	}{
		{"list_high_contrast_dark", ui.ThemeHighContrast, false},
		{"list_high_contrast_light", ui.ThemeHighContrast, true},
		{"list_light", ui.ThemeLight, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			hs := newHarness(t, populated(), 100, 12, func(cfg *Config) { cfg.Theme = c.theme })
			if c.light {
				hs.send(tea.BackgroundColorMsg{Color: whiteBg{}})
			}
			hs.press("/")
			hs.typeText("ord")
			hs.press("down")
			goldenColour(t, hs.m)
		})
	}
	t.Run("read_only_dark", func(t *testing.T) {
		hs := newHarness(t, populated(), 100, 6, func(cfg *Config) { cfg.ReadOnly = "read-only" })
		goldenColour(t, hs.m)
	})
}
