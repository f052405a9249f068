package awsclient_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// lifecycleFleet is a region with snapshots to copy, delete and share: an
// encrypted cluster's manual and automated snapshots, one being taken, and
// a snapshot another account shares with this one.
func lifecycleFleet(region string) emulator.Fleet {
	return emulator.Fleet{
		Clusters: []emulator.ClusterSpec{{
			ID: "orders-" + region, Engine: awsclient.Engine, EngineVersion: "5.0.0", Status: "available", StorageGiB: 100,
			Encrypted: true, Age: 400 * 24 * time.Hour,
			Snapshots: []emulator.SnapshotSpec{
				{ID: "nightly", Type: awsclient.SnapshotManual, Age: 24 * time.Hour,
					Tags: []awsclient.Tag{{Key: "team", Value: "orders"}, {Key: "reason", Value: "nightly"}}},
				{Type: awsclient.SnapshotAutomated, Age: 5 * time.Hour},
				{ID: "in-progress", Type: awsclient.SnapshotManual, Elapsed: 0.5},
			},
		}, {
			ID: "plain", Engine: awsclient.Engine, EngineVersion: "5.0.0", Status: "available", StorageGiB: 10,
			Snapshots: []emulator.SnapshotSpec{{ID: "plain-1", Type: awsclient.SnapshotManual, Age: time.Hour}},
		}},
		SharedWithMe: []emulator.SharedSnapshotSpec{{Owner: "210987654321", ClusterID: "lake", ID: "lake-export",
			EngineVersion: "5.0.0", Encrypted: true, Age: 48 * time.Hour}},
	}
}

// until advances clk a minute at a time until the snapshot id leaves
// status during, checking its progress never goes back, and returns it.
func until(t *testing.T, c awsclient.Client, clk *emulator.Clock, id, during string) awsclient.Snapshot {
	t.Helper()
	last := 0
	for range 240 {
		clk.Advance(time.Minute)
		s, err := c.Snapshot(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if s.PercentProgress < last {
			t.Fatalf("progress went back from %d to %d", last, s.PercentProgress)
		}
		last = s.PercentProgress
		if s.Status != during {
			return s
		}
	}
	t.Fatalf("%s still %s after four hours", id, during)
	return awsclient.Snapshot{}
}

func TestEmulatorCopySameRegion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	srv, url := startEmulator(t, emulator.Options{Now: clk.Now, SnapshotDuration: 10 * time.Minute}, lifecycleFleet("use1"))
	c := newClient(t, url, func(o *awsclient.Options) { o.Now = clk.Now })
	src, err := c.Snapshot(ctx, "nightly")
	if err != nil {
		t.Fatal(err)
	}
	in := awsclient.CopySnapshotInput{SourceID: "nightly", TargetID: "Nightly-Keep", CopyTags: true,
		Tags: []awsclient.Tag{{Key: "reason", Value: "keep"}, {Key: "copied"}}}
	s, err := c.CopySnapshot(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != "nightly-keep" || s.Status != awsclient.StatusCopying || s.PercentProgress != 0 || s.Type != awsclient.SnapshotManual ||
		s.SourceARN != src.ARN || s.Region != "us-east-1" || !s.StorageEncrypted || s.KMSKeyID != src.KMSKeyID || s.ClusterID != "orders-use1" {
		t.Fatalf("copy %+v of %+v", s, src)
	}
	if got := until(t, c, clk, s.ID, awsclient.StatusCopying); got.Status != awsclient.StatusAvailable || got.PercentProgress != 100 {
		t.Fatalf("copy ended %+v", got)
	}
	tags, err := c.Tags(ctx, s.ARN)
	if err != nil {
		t.Fatal(err)
	}
	want := []awsclient.Tag{{Key: "team", Value: "orders"}, {Key: "reason", Value: "keep"}, {Key: "copied"}}
	if !slices.Equal(tags, want) {
		t.Fatalf("tags %v, want the source's with the request's over them: %v", tags, want)
	}

	// An automated snapshot's copy is a manual snapshot, counted against
	// the quota.
	auto, _ := pagesOf(t, c.Snapshots("orders-use1"))
	i := slices.IndexFunc(auto, func(s awsclient.Snapshot) bool { return s.Type == awsclient.SnapshotAutomated })
	s, err = c.CopySnapshot(ctx, awsclient.CopySnapshotInput{SourceID: auto[i].ID, TargetID: "kept-automated"})
	if err != nil || s.Type != awsclient.SnapshotManual {
		t.Fatalf("copy of %s: %+v, %v", auto[i].ID, s, err)
	}

	// A source still being copied is not available.
	_, err = c.CopySnapshot(ctx, awsclient.CopySnapshotInput{SourceID: "kept-automated", TargetID: "x"})
	wantKind(t, err, awsclient.KindSnapshotState, "copy snapshot")
	_, err = c.CopySnapshot(ctx, awsclient.CopySnapshotInput{SourceID: "nope", TargetID: "x"})
	wantKind(t, err, awsclient.KindSnapshotNotFound, "copy snapshot")
	_, err = c.CopySnapshot(ctx, awsclient.CopySnapshotInput{SourceID: "nightly", TargetID: "x", KMSKeyID: "alias/someone-elses"})
	wantKind(t, err, awsclient.KindKMSKey, "copy snapshot")
	_, err = c.CopySnapshot(ctx, awsclient.CopySnapshotInput{SourceID: "plain-1", TargetID: "x", KMSKeyID: "alias/aws/rds"})
	wantKind(t, err, awsclient.KindInvalidParameter, "copy snapshot")
	_, err = c.CopySnapshot(ctx, awsclient.CopySnapshotInput{SourceID: "nightly", TargetID: "plain-1"})
	wantKind(t, err, awsclient.KindSnapshotExists, "copy snapshot")
	// Another account's encrypted snapshot is copied only with a key.
	shared := "arn:aws:rds:us-east-1:210987654321:cluster-snapshot:lake-export"
	_, err = c.CopySnapshot(ctx, awsclient.CopySnapshotInput{SourceID: shared, TargetID: "lake"})
	wantKind(t, err, awsclient.KindInvalidParameter, "copy snapshot")
	if s, err = c.CopySnapshot(ctx, awsclient.CopySnapshotInput{SourceID: shared, TargetID: "lake", KMSKeyID: "alias/aws/rds"}); err != nil || s.SourceARN != shared {
		t.Fatalf("copy of a shared snapshot: %+v, %v", s, err)
	}
	if n := srv.Calls("CopyDBClusterSnapshot"); n != 9 {
		t.Errorf("%d copies reached the endpoint, want 9 (no retries)", n)
	}
}

// presignRecorder keeps the PreSignedUrl of every copy that reaches the
// handler, and can take it out or replace it before it does.
type presignRecorder struct {
	mu      sync.Mutex
	got     []string
	rewrite func(string) string
}

func (p *presignRecorder) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		if form.Get("Action") == "CopyDBClusterSnapshot" {
			p.mu.Lock()
			p.got = append(p.got, form.Get("PreSignedUrl"))
			if p.rewrite != nil {
				form.Set("PreSignedUrl", p.rewrite(form.Get("PreSignedUrl")))
				body = []byte(form.Encode())
			}
			p.mu.Unlock()
		}
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
		h.ServeHTTP(w, r)
	})
}

func TestEmulatorCopyAcrossRegions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	o := emulator.Options{Now: clk.Now, SnapshotDuration: 10 * time.Minute}
	o.Region = "eu-west-1"
	eu := emulator.New(o)
	eu.Load(lifecycleFleet("euw1"))
	o.Region = "us-east-1"
	rec := &presignRecorder{}
	us, endpoint := startEmulator(t, o, emulator.Fleet{}, rec.wrap)
	emulator.Link(us, eu)
	c := newClient(t, endpoint, func(o *awsclient.Options) { o.Now = clk.Now; o.RetryMaxAttempts = 1 })
	source := "arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:nightly"

	// An encrypted snapshot needs a key of the target region.
	_, err := c.CopySnapshot(ctx, awsclient.CopySnapshotInput{SourceID: source, SourceRegion: "eu-west-1", TargetID: "dr"})
	wantKind(t, err, awsclient.KindInvalidParameter, "copy snapshot")
	_, err = c.CopySnapshot(ctx, awsclient.CopySnapshotInput{SourceID: source, SourceRegion: "eu-west-1", TargetID: "dr",
		KMSKeyID: "arn:aws:kms:eu-west-1:123456789012:alias/aws/rds"})
	wantKind(t, err, awsclient.KindKMSKey, "copy snapshot")

	s, err := c.CopySnapshot(ctx, awsclient.CopySnapshotInput{SourceID: source, SourceRegion: "eu-west-1", TargetID: "dr",
		KMSKeyID: "alias/aws/rds", CopyTags: true})
	if err != nil {
		t.Fatal(err)
	}
	if s.Status != awsclient.StatusCopying || s.SourceARN != source || s.Region != "us-east-1" ||
		!strings.HasPrefix(s.KMSKeyID, "arn:aws:kms:us-east-1:") || !strings.HasPrefix(s.ARN, "arn:aws:rds:us-east-1:") {
		t.Fatalf("cross-region copy %+v", s)
	}
	// The SDK sent a presigned request for the source region naming the
	// source and this region.
	rec.mu.Lock()
	presigned := rec.got[len(rec.got)-1]
	rec.mu.Unlock()
	u, err := url.Parse(presigned)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("Action") != "CopyDBClusterSnapshot" || q.Get("SourceDBClusterSnapshotIdentifier") != source ||
		q.Get("DestinationRegion") != "us-east-1" || !strings.Contains(q.Get("X-Amz-Credential"), "/eu-west-1/rds/aws4_request") ||
		q.Get("X-Amz-Signature") == "" {
		t.Fatalf("presigned URL %s", presigned)
	}
	if got := until(t, c, clk, "dr", awsclient.StatusCopying); got.Status != awsclient.StatusAvailable {
		t.Fatalf("cross-region copy ended %+v", got)
	}
	if tags, err := c.Tags(ctx, s.ARN); err != nil || len(tags) != 2 {
		t.Fatalf("the copy's tags: %v, %v: want the source's two", tags, err)
	}
	// The same region is a plain copy: no presigned URL.
	if _, err := c.CopySnapshot(ctx, awsclient.CopySnapshotInput{SourceID: "dr", SourceRegion: "us-east-1", TargetID: "dr-2"}); err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	if last := rec.got[len(rec.got)-1]; last != "" {
		t.Errorf("a same-region copy sent PreSignedUrl %s", last)
	}
	rec.mu.Unlock()

	// Without a presigned URL, or with one for another source, the source
	// region is not read.
	for _, rewrite := range []func(string) string{
		func(string) string { return "" },
		func(s string) string { return strings.Replace(s, "nightly", "plain-1", 1) },
		func(s string) string { return strings.Replace(s, "%2Feu-west-1%2F", "%2Fus-west-2%2F", 1) },
	} {
		rec.mu.Lock()
		rec.rewrite = rewrite
		rec.mu.Unlock()
		_, err = c.CopySnapshot(ctx, awsclient.CopySnapshotInput{SourceID: source, SourceRegion: "eu-west-1", TargetID: "dr-3",
			KMSKeyID: "alias/aws/rds"})
		wantKind(t, err, awsclient.KindInvalidParameter, "copy snapshot")
	}
}

func TestEmulatorCopyResend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	srv, url := startEmulator(t, emulator.Options{Now: clk.Now}, lifecycleFleet("use1"))
	c := newClient(t, url, func(o *awsclient.Options) { o.Now = clk.Now })
	in := awsclient.CopySnapshotInput{SourceID: "nightly", TargetID: "kept"}
	srv.DropNext("CopyDBClusterSnapshot", 1)
	s, err := c.CopySnapshot(ctx, in)
	if err != nil || s.ID != "kept" {
		t.Fatalf("copy whose answer was lost: %+v, %v", s, err)
	}
	if n := srv.Calls("CopyDBClusterSnapshot"); n != 2 {
		t.Fatalf("%d copies reached the endpoint, want 2", n)
	}
	// A fresh send meets the copy as the error it is; a resend of the same
	// input takes it as its own, whatever its age; one of another source
	// does not.
	_, err = c.CopySnapshot(ctx, in)
	wantKind(t, err, awsclient.KindSnapshotExists, "copy snapshot")
	clk.Advance(time.Hour)
	in.Resend = true
	if s, err = c.CopySnapshot(ctx, in); err != nil || s.ID != "kept" {
		t.Fatalf("resend: %+v, %v", s, err)
	}
	_, err = c.CopySnapshot(ctx, awsclient.CopySnapshotInput{SourceID: "plain-1", TargetID: "kept", Resend: true})
	wantKind(t, err, awsclient.KindSnapshotExists, "copy snapshot")
}

func TestEmulatorDeleteSnapshot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	_, url := startEmulator(t, emulator.Options{Now: clk.Now, SnapshotDuration: 10 * time.Minute}, lifecycleFleet("use1"))
	c := newClient(t, url, func(o *awsclient.Options) { o.Now = clk.Now })
	s, err := c.DeleteSnapshot(ctx, "nightly")
	if err != nil || s.ID != "nightly" || s.Status != "deleted" {
		t.Fatalf("delete: %+v, %v", s, err)
	}
	_, err = c.Snapshot(ctx, "nightly")
	wantKind(t, err, awsclient.KindSnapshotNotFound, "describe snapshot")
	_, err = c.DeleteSnapshot(ctx, "nightly")
	wantKind(t, err, awsclient.KindSnapshotNotFound, "delete snapshot")

	all, _ := pagesOf(t, c.Snapshots("orders-use1"))
	i := slices.IndexFunc(all, func(s awsclient.Snapshot) bool { return s.Type == awsclient.SnapshotAutomated })
	_, err = c.DeleteSnapshot(ctx, all[i].ID)
	wantKind(t, err, awsclient.KindSnapshotState, "delete snapshot")
	_, err = c.DeleteSnapshot(ctx, "in-progress")
	wantKind(t, err, awsclient.KindSnapshotState, "delete snapshot")

	// Deleting a copy still copying cancels it: it is gone, never to turn
	// available.
	if _, err := c.CopySnapshot(ctx, awsclient.CopySnapshotInput{SourceID: "plain-1", TargetID: "copying"}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	if s, err = c.DeleteSnapshot(ctx, "copying"); err != nil || s.Status != "deleted" {
		t.Fatalf("delete of a copy in progress: %+v, %v", s, err)
	}
	clk.Advance(time.Hour)
	after, _ := pagesOf(t, c.Snapshots("plain"))
	if len(after) != 1 || after[0].ID != "plain-1" {
		t.Fatalf("snapshots of plain after the cancelled copy: %+v", after)
	}
}

func TestEmulatorShareSnapshot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, url := startEmulator(t, emulator.Options{Now: newClock().Now}, lifecycleFleet("use1"))
	c := newClient(t, url)
	shares, err := c.SnapshotShares(ctx, "nightly")
	if err != nil || len(shares) != 0 {
		t.Fatalf("shares of a snapshot shared with none: %v, %v", shares, err)
	}
	shares, err = c.ShareSnapshot(ctx, "nightly", []string{"111122223333", "444455556666"}, nil)
	if err != nil || !slices.Equal(shares, []string{"111122223333", "444455556666"}) {
		t.Fatalf("share: %v, %v", shares, err)
	}
	shares, err = c.ShareSnapshot(ctx, "nightly", []string{"777788889999"}, []string{"111122223333"})
	if err != nil || !slices.Equal(shares, []string{"444455556666", "777788889999"}) {
		t.Fatalf("share and unshare: %v, %v", shares, err)
	}
	if got, err := c.SnapshotShares(ctx, "nightly"); err != nil || !slices.Equal(got, shares) {
		t.Fatalf("shares described %v (%v), modified %v", got, err, shares)
	}
	// Public: only an unencrypted snapshot.
	_, err = c.ShareSnapshot(ctx, "nightly", []string{awsclient.ShareAll}, nil)
	wantKind(t, err, awsclient.KindInvalidParameter, "share snapshot")
	if shares, err = c.ShareSnapshot(ctx, "plain-1", []string{awsclient.ShareAll}, nil); err != nil || !slices.Equal(shares, []string{"all"}) {
		t.Fatalf("public: %v, %v", shares, err)
	}
	many := make([]string, emulator.MaxShares-1)
	for i := range many {
		many[i] = strings.Repeat(string(rune('1'+i%9)), 11) + string(rune('0'+i/9))
	}
	_, err = c.ShareSnapshot(ctx, "nightly", many, nil)
	wantKind(t, err, awsclient.KindSharedQuota, "share snapshot")
	_, err = c.ShareSnapshot(ctx, "nightly", []string{"12345"}, nil)
	wantKind(t, err, awsclient.KindInvalidParameter, "share snapshot")
	all, _ := pagesOf(t, c.Snapshots("orders-use1"))
	i := slices.IndexFunc(all, func(s awsclient.Snapshot) bool { return s.Type == awsclient.SnapshotAutomated })
	_, err = c.ShareSnapshot(ctx, all[i].ID, []string{"111122223333"}, nil)
	wantKind(t, err, awsclient.KindSnapshotState, "share snapshot")
	_, err = c.SnapshotShares(ctx, "nope")
	wantKind(t, err, awsclient.KindSnapshotNotFound, "list snapshot shares")
	if n := srv.Calls("ModifyDBClusterSnapshotAttribute"); n != 7 {
		t.Errorf("%d shares reached the endpoint, want 7", n)
	}
}

func TestEmulatorAllSnapshots(t *testing.T) {
	t.Parallel()
	f := lifecycleFleet("use1")
	f.Clusters = append(f.Clusters, emulator.GeneratedFleet(130).Clusters...)
	_, url := startEmulator(t, emulator.Options{Now: newClock().Now}, f)
	c := newClient(t, url, func(o *awsclient.Options) { o.PageSize = 50 })
	own, pages := pagesOf(t, c.AllSnapshots(false))
	if len(own) != 134 || pages != 3 {
		t.Fatalf("%d snapshots in %d pages, want 134 in 3", len(own), pages)
	}
	if slices.ContainsFunc(own, func(s awsclient.Snapshot) bool { return s.Shared }) {
		t.Fatal("a shared snapshot was listed without IncludeShared")
	}
	with, _ := pagesOf(t, c.AllSnapshots(true))
	i := slices.IndexFunc(with, func(s awsclient.Snapshot) bool { return s.Shared })
	if len(with) != 135 || i < 0 {
		t.Fatalf("%d snapshots with the shared ones, want 135 with one shared", len(with))
	}
	s := with[i]
	arn := "arn:aws:rds:us-east-1:210987654321:cluster-snapshot:lake-export"
	if s.ID != arn || s.ARN != arn || s.Type != awsclient.SnapshotShared || s.ClusterID != "lake" || !s.StorageEncrypted ||
		!strings.Contains(s.KMSKeyID, ":210987654321:") || s.Region != "us-east-1" {
		t.Fatalf("shared snapshot %+v", s)
	}
}

// A read-only client sends no copy, delete or share; it reads shares.
func TestReadOnlyClientSendsNoLifecycleWrite(t *testing.T) {
	srv, url := startEmulator(t, emulator.Options{Now: newClock().Now}, lifecycleFleet("use1"))
	c := awsclient.ReadOnly(newClient(t, url), "docsnap runs with --read-only.")
	ctx := context.Background()
	_, err := c.CopySnapshot(ctx, awsclient.CopySnapshotInput{SourceID: "nightly", TargetID: "x"})
	wantKind(t, err, awsclient.KindReadOnly, "copy snapshot")
	_, err = c.DeleteSnapshot(ctx, "nightly")
	wantKind(t, err, awsclient.KindReadOnly, "delete snapshot")
	_, err = c.ShareSnapshot(ctx, "nightly", []string{"111122223333"}, nil)
	e := wantKind(t, err, awsclient.KindReadOnly, "share snapshot")
	if e.Sentence() != "docsnap runs with --read-only." {
		t.Fatalf("sentence %q", e.Sentence())
	}
	for _, action := range []string{"CopyDBClusterSnapshot", "DeleteDBClusterSnapshot", "ModifyDBClusterSnapshotAttribute"} {
		if n := srv.Calls(action); n != 0 {
			t.Errorf("%d %s calls reached the endpoint", n, action)
		}
	}
	if _, err := c.SnapshotShares(ctx, "nightly"); err != nil {
		t.Errorf("read-only read of shares: %v", err)
	}
}

// The RDS endpoint lists every engine's cluster snapshots: the region's
// listing keeps DocumentDB's (the demo has an Aurora and a Neptune cluster,
// with snapshots, and the snapshots view showed the Aurora one).
func TestAllSnapshotsAreDocumentDBs(t *testing.T) {
	t.Parallel()
	_, url := startEmulator(t, emulator.Options{Now: newClock().Now}, emulator.DemoFleet())
	all, _ := pagesOf(t, newClient(t, url).AllSnapshots(true))
	if len(all) == 0 {
		t.Fatal("the demo region lists no snapshot")
	}
	for _, s := range all {
		if s.ClusterID == "billing-aurora-pg" || s.ClusterID == "fraud-graph" {
			t.Errorf("snapshot %s of another engine's cluster %s listed", s.ID, s.ClusterID)
		}
	}
}
