package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// fail says why the command failed and returns its exit status: an
// interruption (ctx cancelled) is ExitInterrupted, an answer of AWS with an
// error code or a write that read-only mode refused ExitRefused, anything
// else ExitError.
func (c *command) fail(ctx context.Context, err error) int {
	if ctx.Err() != nil {
		fmt.Fprintf(c.env.Stderr, "%s: interrupted.\n", c.fs.Name())
		return ExitInterrupted
	}
	explain(c.env.Stderr, c.fs.Name(), err)
	return exitStatus(err)
}

func exitStatus(err error) int {
	var e *awsclient.Error
	if errors.As(err, &e) && (e.Code != "" || e.Kind == awsclient.KindReadOnly) {
		return ExitRefused
	}
	return ExitError
}

// explain writes err as describe does, then what to do, if anything.
func explain(w io.Writer, name string, err error) {
	if e := describe(w, name, err); e != nil && hint(e) != "" {
		fmt.Fprintln(w, hint(e))
	}
}

// describe writes err as one sentence with AWS's error code and request id,
// then AWS's own words when the sentence lacks them. Every part that came
// from AWS is sanitized. It returns err's *awsclient.Error, if any.
func describe(w io.Writer, name string, err error) *awsclient.Error {
	var e *awsclient.Error
	if !errors.As(err, &e) {
		fmt.Fprintf(w, "%s: %s\n", name, sanitize.String(err.Error()))
		return nil
	}
	sentence := sanitize.String(e.Sentence())
	line := name + ": " + sentence
	var ids []string
	if e.Code != "" {
		ids = append(ids, "AWS code "+sanitize.String(e.Code))
	}
	if e.RequestID != "" {
		ids = append(ids, "request id "+sanitize.String(e.RequestID))
	}
	if len(ids) > 0 {
		line += " (" + strings.Join(ids, ", ") + ")"
	}
	fmt.Fprintln(w, line)
	if said := sanitize.String(e.Message); said != "" && !strings.Contains(sentence, said) {
		fmt.Fprintln(w, "AWS said: "+said)
	}
	return e
}

// hint is what to do next, in the terms of a command line: the client's
// hints speak of the TUI's keys where a key retries.
func hint(e *awsclient.Error) string {
	switch e.Kind {
	case awsclient.KindSnapshotExists:
		return "If an earlier create whose answer was lost sent this identifier, the snapshot is most likely that one: " +
			"follow it with docsnap snapshot wait SNAPSHOT_ID. Otherwise choose another identifier: they are unique per account and region."
	case awsclient.KindClusterNotFound:
		return "List the clusters with docsnap clusters: it may have been deleted, or be in another region or account."
	case awsclient.KindSnapshotNotFound:
		return "List the cluster's snapshots with docsnap snapshots CLUSTER: it may have been deleted, or be in another region or account."
	case awsclient.KindInstanceNotFound:
		return "It may have been deleted or replaced, or be in another region or account."
	case awsclient.KindInvalidParameter:
		return "Correct the value and run the command again."
	case awsclient.KindThrottled:
		return "Too many calls at once in this account: wait a little and run the command again."
	case awsclient.KindExpiredCredentials:
		profile := e.Profile
		if profile == "" {
			profile = "default"
		}
		return "Refresh your credentials (for example aws sso login --profile " + profile + "), then run the command again."
	case awsclient.KindUnreachable:
		return "Check the network, the region and --endpoint-url, then run the command again."
	case awsclient.KindTimeout:
		return "The network or AWS is slow: run the command again."
	case awsclient.KindServerError, awsclient.KindUnknown:
		return "This is usually brief: run the command again."
	case awsclient.KindCanceled:
		return "Run the command again."
	case awsclient.KindReadOnly:
		return "" // the reason names the flag or the setting; the client's hint speaks of the TUI
	}
	return sanitize.String(e.Hint())
}
