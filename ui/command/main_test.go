package command

import (
	"os"
	"testing"
)

// mainEnv, set in a child's environment, makes the test binary run as
// docsnap with the arguments after the first: a real process, with its own
// standard streams and signals.
const mainEnv = "DOCSNAP_TEST_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(mainEnv) == "1" {
		os.Exit(Run("", os.Args[2:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
