package sshserver

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	gossh "golang.org/x/crypto/ssh"
)

// Role is what an admitted key may do.
type Role int

// Roles, from least to most access.
const (
	RoleNone     Role = iota // not admitted
	RoleReadOnly             // may browse, may not create snapshots
	RoleFull                 // may browse and create snapshots
	RoleDemo                 // any key (demo without keys files): full access to its own demo world
)

func (r Role) String() string {
	switch r {
	case RoleReadOnly:
		return "read-only"
	case RoleFull:
		return "full"
	case RoleDemo:
		return "demo"
	}
	return "none"
}

// Fingerprint is the OpenSSH SHA256 fingerprint of a key, as `ssh-keygen -l`
// prints it: "SHA256:...".
func Fingerprint(k gossh.PublicKey) string { return gossh.FingerprintSHA256(k) }

// keyEntry is one admitted key and its label (the comment of its line, which
// the operator wrote and so can be trusted in logs as "who").
type keyEntry struct {
	comment string
}

// maxKeysFileSize bounds what one read of a keys file may take: an
// authorized_keys line is under 1 KiB, so this is thousands of keys, and a
// file that grew past it (a wrong path, a log written over it) is refused
// rather than read into memory at every login.
const maxKeysFileSize = 1 << 20

// keysFile is an OpenSSH authorized_keys file, read again at every login
// (as sshd does) so that removing a line revokes a key without a restart,
// whatever the file's size and modification time say: a file swapped for
// another of the same size and time must not keep a revoked key in. A file
// that becomes unreadable, malformed or too large admits nobody until it is
// fixed: revocation must never fail open.
type keysFile struct {
	path string

	mu   sync.Mutex
	data []byte              // of the last good read
	keys map[string]keyEntry // by Marshal()ed key; nil when the last read failed
}

func loadKeysFile(path string) (*keysFile, error) {
	f := &keysFile{path: path}
	if err := f.refresh(); err != nil {
		return nil, err
	}
	return f, nil
}

// lookup reports whether k is in the file, reading the file first.
func (f *keysFile) lookup(k gossh.PublicKey) (keyEntry, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.refresh(); err != nil {
		return keyEntry{}, false, err
	}
	e, ok := f.keys[string(k.Marshal())]
	return e, ok, nil
}

// refresh reads the file, and parses it unless its contents are those of
// the last good read. The caller holds f.mu or has f to itself.
func (f *keysFile) refresh() error {
	data, err := readKeysFile(f.path)
	if err == nil && f.keys != nil && bytes.Equal(data, f.data) {
		return nil
	}
	f.keys, f.data = nil, nil
	if err != nil {
		return fmt.Errorf("keys file %s: %w", f.path, err)
	}
	keys, err := parseAuthorizedKeys(data)
	if err != nil {
		return fmt.Errorf("keys file %s: %w", f.path, err)
	}
	f.keys, f.data = keys, data
	return nil
}

// readKeysFile reads at most maxKeysFileSize bytes of path, and fails if
// there are more.
func readKeysFile(path string) ([]byte, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxKeysFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxKeysFileSize {
		return nil, fmt.Errorf("larger than %d MiB, the most docsnap reads of a keys file: is it the right file?", maxKeysFileSize>>20)
	}
	return data, nil
}

// parseAuthorizedKeys reads OpenSSH authorized_keys lines. Options such as
// from= or command= are refused rather than ignored: an operator who writes
// from="10.0.0.0/8" expects it to be enforced, and docsnap does not.
func parseAuthorizedKeys(data []byte) (map[string]keyEntry, error) {
	keys := map[string]keyEntry{}
	for n, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		k, comment, options, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: not an OpenSSH public key: %w", n+1, err)
		}
		if len(options) > 0 {
			return nil, fmt.Errorf("line %d: key options (%s) are not supported; remove them",
				n+1, strings.Join(options, ","))
		}
		if _, cert := k.(*gossh.Certificate); cert {
			return nil, fmt.Errorf("line %d: certificates are not supported; list the plain public key", n+1)
		}
		keys[string(k.Marshal())] = keyEntry{comment: comment}
	}
	if len(keys) == 0 {
		return nil, errors.New("no keys in it")
	}
	return keys, nil
}

// gate decides which keys are admitted and with what role.
type gate struct {
	full, readOnly *keysFile // nil when not given
	demo           bool
}

// role decides what k may do. A key in both files is read-only: the smaller
// grant wins, so while the read-only file cannot be read nobody is admitted
// (any key might be listed there). With --demo and no keys files, every key
// is a demo visitor (full access to its own demo world); with keys files,
// --demo still admits only listed keys, each with its grant, inside its own
// demo world.
func (g *gate) role(k gossh.PublicKey) (Role, string, error) {
	if g.readOnly != nil {
		e, ok, err := g.readOnly.lookup(k)
		if err != nil {
			return RoleNone, "", err
		}
		if ok {
			return RoleReadOnly, e.comment, nil
		}
	}
	if g.full != nil {
		e, ok, err := g.full.lookup(k)
		if ok {
			return RoleFull, e.comment, nil
		}
		return RoleNone, "", err
	}
	if g.readOnly == nil && g.demo {
		return RoleDemo, "", nil
	}
	return RoleNone, "", nil
}
