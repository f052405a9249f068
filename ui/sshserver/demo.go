package sshserver

import (
	"context"
	"fmt"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// demoHost is the endpoint host of every demo world. It is never resolved:
// the world's transport (emulator.InProcess) hands requests for it to the
// world's handler and refuses everything else.
const demoHost = "demo.docsnap.invalid"

// DemoWorlds is the backend of `serve --demo`: every session gets its own
// local endpoint (its own clusters, snapshots and quota), loaded with fleet
// and served in-process, and its own client for it, which reads nothing of
// the server's AWS setup. Nothing is shared, so one visitor's snapshots
// never appear in another's session, and a world is garbage once its
// session ends.
func DemoWorlds(opts emulator.Options, fleet func() emulator.Fleet) Backend {
	return func(context.Context) (awsclient.Client, func(), error) {
		world := emulator.New(opts)
		world.Load(fleet())
		c, err := world.InProcessClient(demoHost, awsclient.Options{})
		if err != nil {
			return nil, nil, fmt.Errorf("demo world: %w", err)
		}
		return c, func() {}, nil
	}
}
