package sshserver

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

func TestHostKeyCreatedPrivateInConfigDir(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	t.Setenv("HOME", home)
	t.Chdir(t.TempDir())
	path, err := DefaultHostKeyPath()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(home, "config", "docsnap", "ssh_host_ed25519"); path != want {
		t.Fatalf("default host key path %s, want %s", path, want)
	}
	signer, err := LoadHostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if signer.PublicKey().Type() != gossh.KeyAlgoED25519 {
		t.Errorf("host key type %s, want ed25519", signer.PublicKey().Type())
	}
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s has mode %04o, want %04o", p, st.Mode().Perm(), want)
		}
	}
	if entries, _ := os.ReadDir("."); len(entries) != 0 {
		t.Errorf("files written to the working directory: %v", entries)
	}
	again, err := LoadHostKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if Fingerprint(again.PublicKey()) != Fingerprint(signer.PublicKey()) {
		t.Error("a second start made a new host key instead of reading the first")
	}
}

func TestHostKeyReadableByOthersRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key")
	if _, err := LoadHostKey(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadHostKey(path)
	if err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("LoadHostKey of a 0644 key: %v, want a refusal saying chmod 600", err)
	}
}

func TestServeRefusesToStartWithoutKeys(t *testing.T) {
	_, err := New(Config{HostKeyPath: filepath.Join(t.TempDir(), "k"), Backend: Shared(nil), NewApp: realApp})
	if err == nil || !strings.Contains(err.Error(), "--authorized-keys") || !strings.Contains(err.Error(), "--demo") {
		t.Errorf("New without keys: %v, want a refusal naming --authorized-keys and --demo", err)
	}
}

func TestKeysFileErrors(t *testing.T) {
	k := newKey(t, "alice")
	cases := map[string]string{
		"":                                      "no keys",
		"# only a comment\n":                    "no keys",
		"not a key\n":                           "line 1: not an OpenSSH public key",
		"# c\n" + `from="10.0.0.0/8" ` + k.line: `line 2: key options (from="10.0.0.0/8") are not supported`,
	}
	for content, want := range cases {
		p := filepath.Join(t.TempDir(), "keys")
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := loadKeysFile(p)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("keys file %q: %v, want %q", content, err, want)
		}
	}
}

func TestKeysFileChangesTakeEffect(t *testing.T) {
	alice, bob := newKey(t, "alice"), newKey(t, "bob")
	p := writeKeys(t, alice, bob)
	g := fullGate(t, p)
	if r, _, _ := g.role(bob.signer.PublicKey()); r != RoleFull {
		t.Fatalf("bob: %v, want full", r)
	}
	// Revoke bob: the next login reads the file again.
	if err := os.WriteFile(p, []byte(alice.line), 0o600); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Second) // a new mtime even on coarse clocks
	if err := os.Chtimes(p, later, later); err != nil {
		t.Fatal(err)
	}
	if r, _, _ := g.role(bob.signer.PublicKey()); r != RoleNone {
		t.Errorf("bob after revocation: %v, want none", r)
	}
	if r, _, _ := g.role(alice.signer.PublicKey()); r != RoleFull {
		t.Errorf("alice after bob's revocation: %v, want full", r)
	}
	// A broken file admits nobody until it is fixed.
	if err := os.WriteFile(p, []byte("garbage\n"+alice.line), 0o600); err != nil {
		t.Fatal(err)
	}
	later = later.Add(time.Second)
	if err := os.Chtimes(p, later, later); err != nil {
		t.Fatal(err)
	}
	if r, _, err := g.role(alice.signer.PublicKey()); r != RoleNone || err == nil {
		t.Errorf("alice with a broken file: %v, %v; want none and the error", r, err)
	}
}

// A keys file that comes back as it was (moved away and back, or a broken
// edit undone with its old timestamp) admits its keys again: the error of
// the missing or broken file does not outlive it.
func TestKeysFileRestoredAsItWas(t *testing.T) {
	alice := newKey(t, "alice")
	p := writeKeys(t, alice)
	good, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	g := fullGate(t, p)
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	restore := func() {
		t.Helper()
		if err := os.WriteFile(p, good, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, st.ModTime(), st.ModTime()); err != nil {
			t.Fatal(err)
		}
	}

	aside := p + ".aside"
	if err := os.Rename(p, aside); err != nil {
		t.Fatal(err)
	}
	if r, _, err := g.role(alice.signer.PublicKey()); r != RoleNone || err == nil {
		t.Fatalf("alice with the file moved away: %v, %v; want none and the error", r, err)
	}
	if err := os.Rename(aside, p); err != nil { // keeps its modification time
		t.Fatal(err)
	}
	if r, _, err := g.role(alice.signer.PublicKey()); r != RoleFull {
		t.Errorf("alice with the file moved back: %v, %v; want full", r, err)
	}

	if err := os.WriteFile(p, []byte("garbage\n"+alice.line), 0o600); err != nil {
		t.Fatal(err)
	}
	later := st.ModTime().Add(time.Second)
	if err := os.Chtimes(p, later, later); err != nil {
		t.Fatal(err)
	}
	if r, _, err := g.role(alice.signer.PublicKey()); r != RoleNone || err == nil {
		t.Fatalf("alice with a broken file: %v, %v; want none and the error", r, err)
	}
	restore()
	if r, _, err := g.role(alice.signer.PublicKey()); r != RoleFull {
		t.Errorf("alice with the file restored: %v, %v; want full", r, err)
	}
}

// A key in both files is read-only; when the read-only file breaks, it
// must not fall through to the full grant: nobody gets in until the file is
// fixed.
func TestBrokenReadOnlyFileGrantsNothingMore(t *testing.T) {
	bob := newKey(t, "bob")
	g := &gate{}
	var err error
	if g.full, err = loadKeysFile(writeKeys(t, bob)); err != nil {
		t.Fatal(err)
	}
	ro := writeKeys(t, bob)
	if g.readOnly, err = loadKeysFile(ro); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ro, []byte("garbage\n"+bob.line), 0o600); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Second)
	if err := os.Chtimes(ro, later, later); err != nil {
		t.Fatal(err)
	}
	if r, _, err := g.role(bob.signer.PublicKey()); r != RoleNone || err == nil {
		t.Errorf("bob with his read-only file broken: %v, %v; want none and the error", r, err)
	}
}

// A keys file replaced by another of the same size and modification time
// (a revoked key swapped for a new one of the same length, the time put
// back by a deploy tool or a coarse clock) is read again: the revoked key
// is out at its next login.
func TestKeysFileSwappedWithSameSizeAndTime(t *testing.T) {
	alice, bob, carl := newKey(t, "alice"), newKey(t, "bob"), newKey(t, "cal")
	p := writeKeys(t, alice, bob)
	g := fullGate(t, p)
	if r, _, _ := g.role(bob.signer.PublicKey()); r != RoleFull {
		t.Fatalf("bob: %v, want full", r)
	}
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	swapped := "# docsnap test keys\n\n" + alice.line + carl.line
	if int64(len(swapped)) != st.Size() {
		t.Fatalf("the swapped file has %d bytes, the first %d: the test needs the same size", len(swapped), st.Size())
	}
	if err := os.WriteFile(p, []byte(swapped), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	if r, _, err := g.role(bob.signer.PublicKey()); r != RoleNone {
		t.Errorf("bob after his key was swapped out (same size, same time): %v, %v; want none", r, err)
	}
	if r, _, err := g.role(carl.signer.PublicKey()); r != RoleFull {
		t.Errorf("cal, swapped in: %v, %v; want full", r, err)
	}
}

// A keys file larger than docsnap reads (here a sparse gigabyte after a
// good start) is refused at start and, when it grows so later, admits
// nobody; neither read takes more than the cap's worth of memory.
func TestKeysFileTooLargeFailsClosed(t *testing.T) {
	alice := newKey(t, "alice")
	p := writeKeys(t, alice)
	g := fullGate(t, p)
	if err := os.Truncate(p, 1<<30); err != nil { // alice's line stays at the start
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r, _, err := g.role(alice.signer.PublicKey())
	_, loadErr := loadKeysFile(p)
	runtime.ReadMemStats(&after)
	if r != RoleNone || err == nil || !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Errorf("alice with a 1 GiB keys file: %v, %v; want none and the file refused as too large", r, err)
	}
	if loadErr == nil || !strings.Contains(loadErr.Error(), "larger than 1 MiB") {
		t.Errorf("loading a 1 GiB keys file: %v, want it refused as too large", loadErr)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 64<<20 {
		t.Errorf("reading a 1 GiB keys file twice allocated %d MiB", got>>20)
	}
}

// fullGate is a gate whose full-access keys are the file at p, as read at
// start.
func fullGate(t *testing.T, p string) *gate {
	t.Helper()
	f, err := loadKeysFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return &gate{full: f}
}
