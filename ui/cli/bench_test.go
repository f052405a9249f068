package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"testing"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
	"github.com/docsnap/docsnap/awsclient/emulator/emulatortest"
)

// BenchmarkClusters is `docsnap clusters` in-process against the local
// endpoint over HTTP, at 10 and 1,000 clusters: the cost of the listing
// (the endpoint's share included) and of each output. The comparison with
// the AWS CLI, process against process, is the hyperfine command in the
// README.
func BenchmarkClusters(b *testing.B) {
	for _, n := range []int{10, 1000} {
		_, ep := emulatortest.Serve(b, emulator.Options{}, emulator.GeneratedFleet(n))
		client, err := awsclient.NewLocal(awsclient.Options{EndpointURL: ep.URL})
		if err != nil {
			b.Fatal(err)
		}
		env := Env{Stdout: io.Discard, Stderr: io.Discard,
			Globals: func(*flag.FlagSet, bool) Backend { return benchBackend{client} }}
		for _, output := range []string{"json", "table"} {
			b.Run(fmt.Sprintf("%s-%d", output, n), func(b *testing.B) {
				for b.Loop() {
					if code := Run(context.Background(), env, "clusters", []string{"--output", output}); code != ExitOK {
						b.Fatalf("exit status %d", code)
					}
				}
			})
		}
	}
}

type benchBackend struct{ client awsclient.Client }

func (benchBackend) Check(io.Writer) bool { return true }

func (b benchBackend) Connect(context.Context) (Conn, error) { return Conn{Client: b.client}, nil }
