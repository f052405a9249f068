package awsclient

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/docdb"
	"github.com/aws/aws-sdk-go-v2/service/docdb/types"
	"github.com/aws/smithy-go/middleware"
)

// lostResponseWindow is how recent a snapshot must be for the lost-response
// rule to take it as this call's own.
const lostResponseWindow = time.Minute

// CreateSnapshot starts a cluster snapshot with tags.
//
// The SDK retries a create whose response never arrived (a dropped
// connection, a 5xx). If that first attempt did create the snapshot, the
// retry is answered DBClusterSnapshotAlreadyExistsFault. CreateSnapshot then
// describes the snapshot, and when it belongs to the same cluster and was
// created within the last minute it is this call's success: the caller gets
// the snapshot, not an error, and no second snapshot exists. The same rule
// covers a caller sending an input again after an earlier call's outcome was
// unknown (in.Resend). An already-exists answer to a single attempt of a
// fresh input, or after attempts that AWS answered with a refusal
// (throttling), is the error it says.
//
// A create that fails when an attempt's answer was lost, so that the
// snapshot may exist all the same, returns an error with OutcomeUnknown set;
// so does a success answer that does not describe the snapshot.
func (c *SDK) CreateSnapshot(ctx context.Context, in CreateSnapshotInput) (Snapshot, error) {
	const op = "create snapshot"
	var (
		out      *docdb.CreateDBClusterSnapshotOutput
		attempts retry.AttemptResults
	)
	err := c.call(ctx, op, func(ctx context.Context) (err error) {
		out, err = c.api.CreateDBClusterSnapshot(ctx, createInput(in), docdbAttempts(&attempts))
		return err
	})
	if err == nil && out.DBClusterSnapshot == nil {
		// AWS said yes without saying to what: the snapshot most likely
		// exists, and a resend finds out.
		return Snapshot{}, &Error{Op: op, Profile: c.target.Profile, OutcomeUnknown: true,
			Err: errors.New("the answer did not describe the snapshot")}
	}
	if err == nil {
		return snapshotOf(*out.DBClusterSnapshot, c.target.Region), nil
	}
	return c.settleCreate(ctx, op, err, attempts, in, func(ctx context.Context) (Snapshot, error) {
		return c.Snapshot(ctx, in.SnapshotID)
	})
}

// settleCreate settles the failure err of a create of in (see claimLost),
// find describing the snapshot of in's name.
func (c *SDK) settleCreate(ctx context.Context, op string, err error, attempts retry.AttemptResults,
	in CreateSnapshotInput, find func(context.Context) (Snapshot, error)) (Snapshot, error) {
	var e *Error
	if errors.As(err, &e) {
		e.Cluster = in.ClusterID
	}
	return c.claimLost(ctx, op, err, attempts, in.Resend, find, func(s Snapshot) bool { return c.createdBy(s, in) })
}

// claimLost settles the failure err of a call that makes a snapshot (a
// create, a copy), whose attempts were those recorded; find describes the
// snapshot of the name the call gave. A failure whose
// answer was lost, or may have been, is marked OutcomeUnknown. An
// already-exists answer after an attempt whose answer was lost, or to a
// resend, is that lost attempt's success when the snapshot there is the
// call's own (mine): the caller then gets it, not an error, and no second
// snapshot is made.
func (c *SDK) claimLost(ctx context.Context, op string, err error, attempts retry.AttemptResults, resend bool,
	find func(context.Context) (Snapshot, error), mine func(Snapshot) bool) (Snapshot, error) {
	var e *Error
	if !errors.As(err, &e) {
		return Snapshot{}, err
	}
	lost := answerLost(attempts.Results)
	if e.Kind != KindSnapshotExists {
		e.OutcomeUnknown = lost || e.unanswered()
		return Snapshot{}, err
	}
	if !lost && !resend {
		return Snapshot{}, err
	}
	s, derr := find(ctx)
	var de *Error
	switch {
	case derr == nil && mine(s):
		return s, nil
	case errors.As(derr, &de) && de.Kind.Retryable():
		// Whose snapshot it is cannot be told yet: neither a success nor
		// an already-exists is known.
		de.Op, de.OutcomeUnknown = op, true
		return Snapshot{}, de
	}
	return Snapshot{}, err
}

func createInput(in CreateSnapshotInput) *docdb.CreateDBClusterSnapshotInput {
	return &docdb.CreateDBClusterSnapshotInput{
		DBClusterIdentifier:         aws.String(in.ClusterID),
		DBClusterSnapshotIdentifier: aws.String(in.SnapshotID),
		Tags:                        sdkTags(in.Tags),
	}
}

// sdkTags converts tags for a request: an empty value is sent absent, and
// no tags no list at all.
func sdkTags(in []Tag) []types.Tag {
	if len(in) == 0 {
		return nil
	}
	tags := make([]types.Tag, len(in))
	for i, t := range in {
		tags[i].Key = aws.String(t.Key)
		if t.Value != "" {
			tags[i].Value = aws.String(t.Value)
		}
	}
	return tags
}

// recordAttempts copies the retry middleware's record of one call's attempts
// into dst when the call returns, failed or not: an API option for either
// service's client.
func recordAttempts(dst *retry.AttemptResults) func(*middleware.Stack) error {
	record := middleware.InitializeMiddlewareFunc("docsnapRecordAttempts",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (
			middleware.InitializeOutput, middleware.Metadata, error,
		) {
			out, md, err := next.HandleInitialize(ctx, in)
			*dst, _ = retry.GetAttemptResults(md)
			return out, md, err
		})
	return func(s *middleware.Stack) error { return s.Initialize.Add(record, middleware.Before) }
}

// docdbAttempts is recordAttempts as an option of a docdb call.
func docdbAttempts(dst *retry.AttemptResults) func(*docdb.Options) {
	return func(o *docdb.Options) { o.APIOptions = append(o.APIOptions, recordAttempts(dst)) }
}

// answerLost reports whether an attempt before the last one may have
// reached AWS without its answer reaching us: it failed with no HTTP
// response at all (the connection dropped or timed out; the SDK reports
// status 0) or with a 5xx, whose outcome is unknown. An attempt AWS refused
// with a 4xx (throttling) created nothing.
func answerLost(attempts []retry.AttemptResult) bool {
	for _, a := range attempts[:max(len(attempts)-1, 0)] {
		status := httpStatus(a.Err)
		if a.Err != nil && (status < 400 || status >= 500) {
			return true
		}
	}
	return false
}

// createdBy reports whether s is what the create in made: a manual snapshot
// of the same cluster, created within the last minute, or since in was
// first sent (in.Since); a minute either way allows for clock skew.
func (c *SDK) createdBy(s Snapshot, in CreateSnapshotInput) bool {
	now := c.now()
	from := now.Add(-lostResponseWindow)
	if since := in.Since.Add(-lostResponseWindow); !in.Since.IsZero() && since.Before(from) {
		from = since
	}
	return strings.EqualFold(s.ClusterID, in.ClusterID) && s.Type == SnapshotManual &&
		!s.Created.Before(from) && !s.Created.After(now.Add(lostResponseWindow))
}
