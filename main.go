// Command docsnap browses Amazon DocumentDB clusters and takes cluster
// snapshots. The commands and their flags are in ui/command.
package main

import (
	"os"

	"github.com/docsnap/docsnap/ui/command"
)

// version is set at build time (-ldflags "-X main.version=v1.2.3").
var version = ""

func main() {
	os.Exit(command.Run(version, os.Args[1:], os.Stdout, os.Stderr))
}
