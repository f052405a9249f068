package awsclient

import "context"

// ReadOnly wraps c so that every call that writes is refused before it
// leaves the machine, whatever the screens above allow: the guarantee of
// --read-only and of read-only profiles does not rest on the UI alone. The
// refusal is a *Error of KindReadOnly whose sentence is reason (when not
// empty). Reads pass through.
func ReadOnly(c Client, reason string) Client {
	if ro, ok := c.(readOnly); ok && ro.reason == reason {
		return c
	}
	return readOnly{Client: c, reason: reason}
}

// IsReadOnly reports whether c refuses writes (it was made by ReadOnly).
func IsReadOnly(c Client) bool {
	_, ok := c.(readOnly)
	return ok
}

type readOnly struct {
	Client
	reason string
}

func (c readOnly) CreateSnapshot(context.Context, CreateSnapshotInput) (Snapshot, error) {
	return Snapshot{}, c.refuse("create snapshot")
}

func (c readOnly) CreateElasticSnapshot(context.Context, CreateSnapshotInput) (Snapshot, error) {
	return Snapshot{}, c.refuse("create snapshot")
}

func (c readOnly) CopySnapshot(context.Context, CopySnapshotInput) (Snapshot, error) {
	return Snapshot{}, c.refuse("copy snapshot")
}

func (c readOnly) DeleteSnapshot(context.Context, string) (Snapshot, error) {
	return Snapshot{}, c.refuse("delete snapshot")
}

func (c readOnly) ShareSnapshot(context.Context, string, []string, []string) ([]string, error) {
	return nil, c.refuse("share snapshot")
}

func (c readOnly) refuse(op string) error {
	return &Error{Kind: KindReadOnly, Op: op, Message: c.reason, Profile: c.Target().Profile}
}
