package emulator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

func validConfig() Config {
	return Config{Listen: "127.0.0.1:0", Options: Options{SnapshotDuration: time.Second, Quota: 5}}
}

func TestConfigCheck(t *testing.T) {
	for _, tc := range []struct {
		change func(*Config)
		want   string // a part of the error; "" for none
	}{
		{func(c *Config) {}, ""},
		{func(c *Config) { c.Listen = "localhost:4566" }, ""},
		{func(c *Config) { c.Listen = "[::1]:4566" }, ""},
		{func(c *Config) { c.Listen = "0.0.0.0:4566" }, "--allow-remote"},
		{func(c *Config) { c.Listen = ":4566" }, "not a loopback address"},
		{func(c *Config) { c.Listen = "10.1.2.3:4566" }, "not a loopback address"},
		{func(c *Config) { c.Listen, c.AllowRemote = "0.0.0.0:4566", true }, ""},
		{func(c *Config) { c.Listen = "4566" }, "want host:port"},
		{func(c *Config) { c.Options.Faults.Throttle = 1.5 }, "--fault-throttle 1.5"},
		{func(c *Config) { c.Options.Faults.Server5xx = -0.1 }, "--fault-5xx"},
		{func(c *Config) { c.Options.Faults.Drop = 2 }, "--fault-drop"},
		{func(c *Config) { c.Options.Faults.Latency = -time.Second }, "--fault-latency"},
		{func(c *Config) { c.Options.Faults.RateLimit = -1 }, "--rate-limit"},
		{func(c *Config) { c.Clusters = -1 }, "--clusters"},
		{func(c *Config) { c.Options.SnapshotDuration = 0 }, "--snapshot-duration"},
		{func(c *Config) { c.Options.Quota = 0 }, "--quota"},
	} {
		c := validConfig()
		tc.change(&c)
		err := c.Check()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: %v", c, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%+v: error %v, want one saying %q", c, err, tc.want)
		}
	}
}

func TestServePrintsHowToConnectAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // stop as soon as it has started
	var out bytes.Buffer
	cfg := validConfig()
	cfg.Clusters = 30
	if err := Serve(ctx, cfg, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"30 generated clusters", "http://127.0.0.1:", "aws docdb describe-db-clusters --endpoint-url http://127.0.0.1:",
		"--region us-east-1", "AWS_ENDPOINT_URL_DOCDB=http://127.0.0.1:", "AWS_ACCESS_KEY_ID=test", "stopping",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the banner does not say %q:\n%s", want, out.String())
		}
	}
	if err := Serve(ctx, Config{Listen: "0.0.0.0:0", Options: cfg.Options}, &out); err == nil {
		t.Error("Serve on every interface without --allow-remote started")
	}
}

// A client that sends its headers and then trickles (or withholds) the body
// loses the connection instead of holding it, and its goroutine, for ever.
func TestSlowBodyLosesTheConnection(t *testing.T) {
	saved := connLimits
	connLimits.read = 200 * time.Millisecond
	t.Cleanup(func() { connLimits = saved })
	ep, err := Listen("127.0.0.1:0", New(Options{SnapshotDuration: time.Second, Quota: 5}))
	if err != nil {
		t.Fatal(err)
	}
	defer ep.Close()
	conn, err := net.Dial("tcp", strings.TrimPrefix(ep.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nAction=")
	// The server ends the connection well before this deadline; without a
	// read timeout the read below waits for the deadline instead.
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = io.ReadAll(conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("the server still held the connection of a client that stopped sending its body")
	}
}
