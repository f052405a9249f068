package awsclient

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/docdb"
	"github.com/aws/aws-sdk-go-v2/service/docdb/types"
)

// What happens to a snapshot after it is taken: copies, deletes, shares.

// restoreAttribute is the one snapshot attribute AWS has: the accounts that
// may restore (and copy) a manual snapshot.
const restoreAttribute = "restore"

// CopySnapshot copies a snapshot into the client's region. A source in
// another region (in.SourceRegion) goes through the SDK's docdb
// customization: it presigns a CopyDBClusterSnapshot request for the source
// region, which the target region's service uses to read the source.
//
// The exactly-once rule of CreateSnapshot holds for copies: an
// already-exists answer after a lost answer, or to a resend, is the lost
// send's copy when the snapshot there is a manual copy of the same source.
// A copy keeps its source's creation time, so unlike a create's, its age
// says nothing of whose it is.
func (c *SDK) CopySnapshot(ctx context.Context, in CopySnapshotInput) (Snapshot, error) {
	const op = "copy snapshot"
	req := &docdb.CopyDBClusterSnapshotInput{
		SourceDBClusterSnapshotIdentifier: aws.String(in.SourceID),
		TargetDBClusterSnapshotIdentifier: aws.String(in.TargetID),
		CopyTags:                          aws.Bool(in.CopyTags),
		Tags:                              sdkTags(in.Tags),
	}
	if in.KMSKeyID != "" {
		req.KmsKeyId = aws.String(in.KMSKeyID)
	}
	if in.SourceRegion != "" && in.SourceRegion != c.target.Region {
		req.SourceRegion = aws.String(in.SourceRegion)
	}
	var (
		out      *docdb.CopyDBClusterSnapshotOutput
		attempts retry.AttemptResults
	)
	err := c.call(ctx, op, func(ctx context.Context) (err error) {
		out, err = c.api.CopyDBClusterSnapshot(ctx, req, docdbAttempts(&attempts))
		return err
	})
	if err == nil && out.DBClusterSnapshot == nil {
		return Snapshot{}, &Error{Op: op, Profile: c.target.Profile, OutcomeUnknown: true,
			Err: errors.New("the answer did not describe the copy")}
	}
	if err == nil {
		return snapshotOf(*out.DBClusterSnapshot, c.target.Region), nil
	}
	find := func(ctx context.Context) (Snapshot, error) { return c.Snapshot(ctx, in.TargetID) }
	return c.claimLost(ctx, op, err, attempts, in.Resend, find, func(s Snapshot) bool {
		return s.Type == SnapshotManual && copiedFrom(s.SourceARN, in.SourceID)
	})
}

// copiedFrom reports whether sourceARN, a copy's source, is the snapshot
// source names by ARN or, in the same region, by identifier.
func copiedFrom(sourceARN, source string) bool {
	if sourceARN == "" || source == "" {
		return false
	}
	if strings.HasPrefix(source, "arn:") {
		return strings.EqualFold(sourceARN, source)
	}
	_, id, ok := strings.Cut(sourceARN, ":cluster-snapshot:")
	return ok && strings.EqualFold(id, source)
}

// DeleteSnapshot deletes a manual snapshot. AWS refuses an automated one,
// and one being created, with InvalidDBClusterSnapshotStateFault.
func (c *SDK) DeleteSnapshot(ctx context.Context, snapshotID string) (Snapshot, error) {
	var s Snapshot
	err := c.call(ctx, "delete snapshot", func(ctx context.Context) error {
		out, err := c.api.DeleteDBClusterSnapshot(ctx, &docdb.DeleteDBClusterSnapshotInput{
			DBClusterSnapshotIdentifier: aws.String(snapshotID),
		})
		if err == nil && out.DBClusterSnapshot != nil {
			s = snapshotOf(*out.DBClusterSnapshot, c.target.Region)
		}
		return err
	})
	return s, err
}

// SnapshotShares lists the accounts a manual snapshot is shared with.
func (c *SDK) SnapshotShares(ctx context.Context, snapshotID string) ([]string, error) {
	var shares []string
	err := c.call(ctx, "list snapshot shares", func(ctx context.Context) error {
		out, err := c.api.DescribeDBClusterSnapshotAttributes(ctx, &docdb.DescribeDBClusterSnapshotAttributesInput{
			DBClusterSnapshotIdentifier: aws.String(snapshotID),
		})
		if err == nil {
			shares = restoreValues(out.DBClusterSnapshotAttributesResult)
		}
		return err
	})
	return shares, err
}

// ShareSnapshot adds and removes the accounts a manual snapshot is shared
// with, and returns the list as AWS says it now stands.
func (c *SDK) ShareSnapshot(ctx context.Context, snapshotID string, add, remove []string) ([]string, error) {
	var shares []string
	err := c.call(ctx, "share snapshot", func(ctx context.Context) error {
		out, err := c.api.ModifyDBClusterSnapshotAttribute(ctx, &docdb.ModifyDBClusterSnapshotAttributeInput{
			DBClusterSnapshotIdentifier: aws.String(snapshotID),
			AttributeName:               aws.String(restoreAttribute),
			ValuesToAdd:                 add,
			ValuesToRemove:              remove,
		})
		if err == nil {
			shares = restoreValues(out.DBClusterSnapshotAttributesResult)
		}
		return err
	})
	return shares, err
}

// restoreValues are the values of the restore attribute; none when the
// answer has none.
func restoreValues(r *types.DBClusterSnapshotAttributesResult) []string {
	if r == nil {
		return nil
	}
	for _, a := range r.DBClusterSnapshotAttributes {
		if aws.ToString(a.AttributeName) == restoreAttribute {
			return a.AttributeValues
		}
	}
	return nil
}
