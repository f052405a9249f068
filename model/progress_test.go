package model

import (
	"slices"
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
)

// A --watch lookup's failures are each named by the region that answered,
// in whatever order the answers come (each region is described in its own
// command, so they race).
func TestWatchFailuresNameTheirRegion(t *testing.T) {
	us := regionFake("", "us-east-1", "a")
	eu := regionFake("", "eu-west-1", "b")
	eu.descErr = &awsclient.Error{Kind: awsclient.KindAccessDenied, Op: "describe snapshot", Code: "AccessDenied"}
	hs := newHarness(t, us, 100, 20, func(c *Config) { c.Clients = []awsclient.Client{us, eu} })

	answers := expand(hs.m.startWatch("nope"))
	if len(answers) != 2 {
		t.Fatalf("%d answers", len(answers))
	}
	slices.Reverse(answers) // eu-west-1 answers first
	hs.send(answers...)

	said := map[string]string{}
	scr := hs.screen()
	for _, l := range strings.Split(scr, "\n") {
		if region, sentence, ok := strings.Cut(strings.TrimSpace(l), ": "); ok && strings.Contains(region, "-") {
			said[region] = sentence
		}
	}
	if !strings.Contains(said["us-east-1"], "not found") || said["eu-west-1"] == "" || strings.Contains(said["eu-west-1"], "not found") {
		t.Fatalf("the failures are not named by their regions:\n%s", scr)
	}
}
