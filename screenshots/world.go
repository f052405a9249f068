package main

import (
	"fmt"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
	"github.com/docsnap/docsnap/model"
	"github.com/docsnap/docsnap/ui"
)

// The screens' fixed world: the demo fleet as it stands at start, snapshots
// as long as `docsnap --demo` makes them, and polls as often.
var (
	start            = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)
	snapshotDuration = 20 * time.Second
	pollInterval     = 2 * time.Second
)

// endpointHost is where the screens say the demo endpoint is: the
// address `docsnap emulator` serves by default (--demo takes a free port,
// which would change every run). Nothing listens there: the client's
// transport (emulator.InProcess) serves its requests in the process, so
// nothing waits on the network.
const endpointHost = "127.0.0.1:4566"

// newDriver builds the real model over the real SDK client and fresh demo
// endpoints, all on one manual clock, and starts it at width x height. As
// `docsnap --demo --region ...` does, it lists regions (the demo region
// when none), and a region switched to gets an endpoint of its own.
func newDriver(theme ui.Theme, width, height int, regions ...string) (*driver, error) {
	clock := emulator.NewClock(start)
	d := &driver{clock: clock}
	connect := func(_, region string) (awsclient.Client, error) {
		if region == "" {
			region = emulator.DefaultRegion
		}
		world := emulator.New(emulator.Options{Region: region, Now: clock.Now, SnapshotDuration: snapshotDuration, Seed: 1})
		world.Load(emulator.DemoFleetFor(region))
		c, err := world.InProcessClient(endpointHost, awsclient.Options{Now: clock.Now, RetryMaxAttempts: 1})
		if err != nil {
			return nil, fmt.Errorf("demo client: %w", err)
		}
		return c, nil
	}
	cfg := model.Config{Connect: connect, Demo: true, Now: clock.Now, PollInterval: pollInterval,
		Rand: func() float64 { return 0.5 }, After: d.after, Theme: theme}
	if len(regions) == 0 {
		regions = []string{""}
	}
	for _, r := range regions {
		c, err := connect("", r)
		if err != nil {
			return nil, err
		}
		cfg.Clients = append(cfg.Clients, c)
	}
	d.m = model.New(cfg)
	d.start(width, height)
	return d, nil
}
