package sshserver

import (
	"context"
	"errors"
	"log/slog"
	"sort"
	"sync"

	"github.com/docsnap/docsnap/awsclient"
)

// ReadOnlyReason is what a read-only session is told when it tries to take a
// snapshot.
const ReadOnlyReason = "This SSH key is read-only: it may browse clusters and snapshots but not create, copy, delete or share them."

// who is a session's identity as logs name it.
type who struct {
	session string // short session id
	user    string // the SSH user name (chosen by the client: a label, not proof)
	key     string // SHA256 fingerprint of the key that authenticated
	comment string // the key's comment in the keys file (chosen by the operator)
	remote  string
	role    Role
	demo    bool
}

func (w who) attrs() []any {
	a := []any{
		slog.String("session", w.session),
		slog.String("user", w.user),
		slog.String("key", w.key),
		slog.String("role", w.role.String()),
		slog.String("remote", w.remote),
	}
	if w.comment != "" {
		a = append(a, slog.String("key_comment", w.comment))
	}
	if w.demo {
		a = append(a, slog.Bool("demo", true))
	}
	return a
}

// pending is a snapshot this session created that had not finished the last
// time the session looked at it.
type pending struct {
	snapshot string
	cluster  string
}

// auditClient writes one JSON line for every snapshot created, copied,
// deleted or shared through it, and remembers the ones still being created
// or copied, so that a session or server that ends can name the snapshots
// that keep going at AWS.
type auditClient struct {
	awsclient.Client
	log *slog.Logger
	who who

	mu      sync.Mutex
	pending map[string]pending // by snapshot id
}

func newAuditClient(c awsclient.Client, log *slog.Logger, w who) *auditClient {
	return &auditClient{Client: c, log: log, who: w, pending: map[string]pending{}}
}

func (c *auditClient) CreateSnapshot(ctx context.Context, in awsclient.CreateSnapshotInput) (awsclient.Snapshot, error) {
	s, err := c.Client.CreateSnapshot(ctx, in)
	c.created(in, s, err)
	return s, err
}

func (c *auditClient) CreateElasticSnapshot(ctx context.Context, in awsclient.CreateSnapshotInput) (awsclient.Snapshot, error) {
	s, err := c.Client.CreateElasticSnapshot(ctx, in)
	c.created(in, s, err)
	return s, err
}

// created writes the audit line of a create of in, which answered s or err.
func (c *auditClient) created(in awsclient.CreateSnapshotInput, s awsclient.Snapshot, err error) {
	attrs := append(c.who.attrs(),
		slog.String("cluster", in.ClusterID),
		slog.String("snapshot", in.SnapshotID),
		slog.Any("tags", tagMap(in.Tags)),
	)
	if in.Batch != "" {
		// The creates of one fleet action, told apart from the others.
		attrs = append(attrs, slog.String("batch", in.Batch))
	}
	if c.written("snapshot create", attrs, s, err) {
		c.follow(s)
	}
}

func (c *auditClient) CopySnapshot(ctx context.Context, in awsclient.CopySnapshotInput) (awsclient.Snapshot, error) {
	s, err := c.Client.CopySnapshot(ctx, in)
	attrs := append(c.who.attrs(),
		slog.String("source", in.SourceID),
		slog.String("snapshot", in.TargetID),
		slog.String("region", c.Target().Region),
		slog.Bool("copy_tags", in.CopyTags),
		slog.Any("tags", tagMap(in.Tags)),
	)
	if in.SourceRegion != "" {
		attrs = append(attrs, slog.String("source_region", in.SourceRegion))
	}
	if in.KMSKeyID != "" {
		// A key's id or alias names no secret: it is what IAM policies and
		// CloudTrail show too.
		attrs = append(attrs, slog.String("kms_key", in.KMSKeyID))
	}
	if c.written("snapshot copy", attrs, s, err) {
		c.follow(s)
	}
	return s, err
}

func (c *auditClient) DeleteSnapshot(ctx context.Context, id string) (awsclient.Snapshot, error) {
	s, err := c.Client.DeleteSnapshot(ctx, id)
	if c.written("snapshot delete", append(c.who.attrs(), slog.String("snapshot", id)), s, err) {
		// A deleted copy will not finish: it is no longer this session's
		// to name.
		c.mu.Lock()
		delete(c.pending, s.ID)
		delete(c.pending, id)
		c.mu.Unlock()
	}
	return s, err
}

func (c *auditClient) ShareSnapshot(ctx context.Context, id string, add, remove []string) ([]string, error) {
	shares, err := c.Client.ShareSnapshot(ctx, id, add, remove)
	attrs := append(c.who.attrs(),
		slog.String("snapshot", id),
		slog.Any("add", add),
		slog.Any("remove", remove),
	)
	if err == nil {
		attrs = append(attrs, slog.Any("shared_with", shares))
	}
	c.written("snapshot share", attrs, awsclient.Snapshot{}, err)
	return shares, err
}

// written writes the audit line of one write, msg, with attrs, its outcome
// and, when it failed, why; it reports whether the write was submitted. s
// is what AWS answered (its zero value when the answer is not a snapshot).
func (c *auditClient) written(msg string, attrs []any, s awsclient.Snapshot, err error) bool {
	if err != nil {
		attrs = append(attrs, slog.String("outcome", "failed"))
		var e *awsclient.Error
		if errors.As(err, &e) {
			attrs = append(attrs,
				slog.String("error", e.Sentence()),
				slog.String("aws_code", e.Code),
				slog.String("aws_request_id", e.RequestID))
		} else {
			attrs = append(attrs, slog.String("error", err.Error()))
		}
		c.log.Warn(msg, attrs...)
		return false
	}
	attrs = append(attrs, slog.String("outcome", "submitted"))
	if s.Status != "" {
		attrs = append(attrs, slog.String("status", s.Status))
	}
	if s.ARN != "" {
		attrs = append(attrs, slog.String("arn", s.ARN))
	}
	c.log.Info(msg, attrs...)
	return true
}

// follow remembers a snapshot this session made until an answer says it
// has finished.
func (c *auditClient) follow(s awsclient.Snapshot) {
	if awsclient.SnapshotDone(s.Status) {
		return
	}
	c.mu.Lock()
	c.pending[s.ID] = pending{snapshot: s.ID, cluster: s.ClusterID}
	c.mu.Unlock()
}

func (c *auditClient) Snapshot(ctx context.Context, id string, typ ...string) (awsclient.Snapshot, error) {
	s, err := c.Client.Snapshot(ctx, id, typ...)
	if err == nil {
		c.observe(s)
	}
	return s, err
}

func (c *auditClient) Snapshots(clusterID string) awsclient.Pages[awsclient.Snapshot] {
	return observedPages{Pages: c.Client.Snapshots(clusterID), c: c}
}

func (c *auditClient) ElasticSnapshot(ctx context.Context, arn string) (awsclient.Snapshot, error) {
	s, err := c.Client.ElasticSnapshot(ctx, arn)
	if err == nil {
		c.observe(s)
	}
	return s, err
}

func (c *auditClient) ElasticSnapshots(clusterARN string) awsclient.Pages[awsclient.Snapshot] {
	return observedPages{Pages: c.Client.ElasticSnapshots(clusterARN), c: c}
}

func (c *auditClient) AllSnapshots(includeShared bool) awsclient.Pages[awsclient.Snapshot] {
	return observedPages{Pages: c.Client.AllSnapshots(includeShared), c: c}
}

// observe drops a pending snapshot once any answer describes it as
// finished, whichever call the screens use to follow progress.
func (c *auditClient) observe(s awsclient.Snapshot) {
	if !awsclient.SnapshotDone(s.Status) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.pending, s.ID)
}

// inFlight lists this session's snapshots not yet known to be finished, by id.
func (c *auditClient) inFlight() []pending {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]pending, 0, len(c.pending))
	for _, p := range c.pending {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].snapshot < out[j].snapshot })
	return out
}

type observedPages struct {
	awsclient.Pages[awsclient.Snapshot]
	c *auditClient
}

func (p observedPages) Next(ctx context.Context) ([]awsclient.Snapshot, error) {
	page, err := p.Pages.Next(ctx)
	for _, s := range page {
		p.c.observe(s)
	}
	return page, err
}

// tagMap renders tags as a JSON object for the audit line. Tags are what the
// operator typed and what AWS will show to anyone with describe rights, so
// they are not secrets.
func tagMap(tags []awsclient.Tag) map[string]string {
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}
