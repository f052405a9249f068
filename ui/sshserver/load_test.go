package sshserver

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// loadSessions is the number of concurrent demo sessions the server must
// carry on 2 cores (the README's performance budget).
const loadSessions = 50

// listMark is a cluster of the demo fleet: a session that received it has
// its cluster list on screen.
const listMark = "orders-prod"

// spotter watches a byte stream for a string without keeping the stream,
// so that a load test measures the server, not its own buffers.
type spotter struct {
	mark []byte
	tail []byte
	once sync.Once
	seen chan struct{}
}

func newSpotter(mark string) *spotter {
	return &spotter{mark: []byte(mark), seen: make(chan struct{})}
}

func (s *spotter) Write(p []byte) (int, error) {
	buf := append(s.tail, p...)
	if bytes.Contains(buf, s.mark) {
		s.once.Do(func() { close(s.seen) })
	}
	keep := min(len(buf), len(s.mark)-1)
	s.tail = append(s.tail[:0], buf[len(buf)-keep:]...)
	return len(p), nil
}

// loadResult is what one run of loadSessions sessions measured.
type loadResult struct {
	heapPerSession float64         // bytes of live heap per session, all sessions on screen
	firstFrame     []time.Duration // per session, from dialling to the list on screen
}

// runDemoLoad opens n demo sessions at once through open, waits until every
// one shows the cluster list, measures, and ends them all. open starts one
// client, returns its stdout sink's spotter and a func that ends it.
func runDemoLoad(tb testing.TB, h *harness, n int, open func(i int, sp *spotter) (end func())) loadResult {
	tb.Helper()
	before := heapInUse()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		ends  []func()
		times = make([]time.Duration, n)
	)
	for i := range n {
		wg.Go(func() {
			sp := newSpotter(listMark)
			t0 := time.Now()
			end := open(i, sp)
			mu.Lock()
			ends = append(ends, end)
			mu.Unlock()
			select {
			case <-sp.seen:
				times[i] = time.Since(t0)
			case <-time.After(2 * waitLimit):
				tb.Errorf("session %d never showed the cluster list", i)
			}
		})
	}
	wg.Wait()
	if tb.Failed() {
		tb.FailNow()
	}
	if got := h.srv.Sessions(); got != n {
		tb.Fatalf("%d sessions running, want %d", got, n)
	}
	r := loadResult{heapPerSession: float64(heapInUse()-before) / float64(n), firstFrame: times}
	for _, end := range ends {
		end()
	}
	h.logs.until(tb, "every session to end", func() bool { return h.srv.Sessions() == 0 })
	return r
}

// openGoSSH is a client in this process: x/crypto/ssh, as wish's testsession.
func openGoSSH(tb testing.TB, h *harness) func(int, *spotter) func() {
	return func(i int, sp *spotter) func() {
		k := newKey(tb, "visitor")
		client, err := gossh.Dial("tcp", h.addr, &gossh.ClientConfig{
			User: fmt.Sprintf("visitor%d", i), Auth: []gossh.AuthMethod{gossh.PublicKeys(k.signer)},
			HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		})
		if err != nil {
			tb.Errorf("dial: %v", err)
			return func() {}
		}
		sess, err := client.NewSession()
		if err == nil {
			err = sess.RequestPty("xterm-256color", 24, 80, gossh.TerminalModes{})
		}
		if err == nil {
			sess.Stdout, sess.Stderr = sp, io.Discard
			err = sess.Shell()
		}
		if err != nil {
			tb.Errorf("session: %v", err)
		}
		return func() { _ = client.Close() }
	}
}

// openOpenSSH is OpenSSH's client in its own process (`ssh -tt`), so that
// the heap measured is the server's alone.
func openOpenSSH(tb testing.TB, h *harness, o *openssh, keyFile string) func(int, *spotter) func() {
	return func(i int, sp *spotter) func() {
		cmd := exec.Command("ssh", o.args(fmt.Sprintf("visitor%d", i), "-tt", "-i", keyFile)...)
		cmd.Env = append(os.Environ(), "SSH_AUTH_SOCK=", "TERM=xterm-256color")
		// Files, not writers: exec would copy through 32 KiB buffers of
		// this process, which the heap figure would count.
		r, w, err := os.Pipe()
		if err != nil {
			tb.Errorf("pipe: %v", err)
			return func() {}
		}
		cmd.Stdout = w
		stdin, err := cmd.StdinPipe()
		if err == nil {
			err = cmd.Start()
		}
		w.Close()
		if err != nil {
			r.Close()
			tb.Errorf("ssh: %v", err)
			return func() {}
		}
		go func() {
			buf := make([]byte, 512)
			for {
				n, err := r.Read(buf)
				sp.Write(buf[:n])
				if err != nil {
					return
				}
			}
		}()
		return func() {
			_ = stdin.Close()
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			_ = r.Close()
		}
	}
}

func demoLoadServer(tb testing.TB) *harness {
	return start(tb, Config{Demo: true, MaxSessions: 2 * loadSessions, Backend: demoBackend(), NewApp: realApp})
}

// TestFiftyConcurrentDemoSessions: every one of 50 simultaneous visitors
// gets its own world and its cluster list.
func TestFiftyConcurrentDemoSessions(t *testing.T) {
	h := demoLoadServer(t)
	r := runDemoLoad(t, h, loadSessions, openGoSSH(t, h))
	t.Logf("%d sessions: %.0f KiB of heap per session (in-process clients included), first frame p50 %v, max %v",
		loadSessions, r.heapPerSession/1024, percentile(r.firstFrame, 50), percentile(r.firstFrame, 100))
}

// BenchmarkDemoSessions opens 50 demo sessions at once per iteration and
// reports the live heap per session and the time from dialling to the
// cluster list on screen. The openssh variant runs the clients as separate
// processes, so its heap figure is the server's alone.
//
//	go test -run '^$' -bench DemoSessions -benchtime 3x -cpu 2 ./ui/sshserver/
func BenchmarkDemoSessions(b *testing.B) {
	b.Run("go-client", benchDemoGoClient)
	b.Run("openssh", benchDemoOpenSSH)
}

func benchDemoGoClient(b *testing.B) {
	h := demoLoadServer(b)
	benchDemoLoad(b, h, openGoSSH(b, h))
}

func benchDemoOpenSSH(b *testing.B) {
	if _, err := exec.LookPath("ssh"); err != nil {
		b.Skip("skipped: ssh is not installed")
	}
	h := demoLoadServer(b)
	o := newOpenSSH(b, h)
	key := o.keyFile(b, "visitor", newKey(b, "visitor"))
	benchDemoLoad(b, h, openOpenSSH(b, h, o, key))
}

// benchDemoLoad runs loadSessions sessions through open per iteration and
// reports what they measured.
func benchDemoLoad(b *testing.B, h *harness, open func(int, *spotter) func()) {
	var rs []loadResult
	for b.Loop() {
		rs = append(rs, runDemoLoad(b, h, loadSessions, open))
	}
	var heap float64
	var all []time.Duration
	reached := 0
	for _, r := range rs {
		heap += r.heapPerSession
		all = append(all, r.firstFrame...)
		for _, d := range r.firstFrame {
			if d > 0 {
				reached++
			}
		}
	}
	b.ReportMetric(heap/float64(len(rs))/1024, "KiB/session")
	b.ReportMetric(float64(percentile(all, 50).Microseconds())/1000, "ms-first-frame-p50")
	b.ReportMetric(float64(percentile(all, 95).Microseconds())/1000, "ms-first-frame-p95")
	b.ReportMetric(float64(reached)/float64(len(rs)), "sessions-on-list")
	b.ReportMetric(0, "ns/op")
}

func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[max(0, min(len(s)-1, i-1))]
}
