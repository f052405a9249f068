package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/ui/sanitize"
)

var deleteUsage = `Usage: docsnap snapshot delete SNAPSHOT_ID... [flags]

Deletes manual snapshots. AWS deletes automated snapshots itself, when they
pass their cluster's backup retention: copy one to keep it. Deleting a
snapshot that is still being copied cancels the copy.

On a terminal it asks for the identifier typed (for several, the words
"delete N snapshots") before anything is sent; --yes skips the question.
Without a terminal and without --yes nothing is deleted (exit status 2).

Examples:
  docsnap snapshot delete orders-prod-before-reindex
  docsnap snapshot delete old-1 old-2 old-3 --yes

` + exitStatuses("0 every snapshot is being deleted",
	"1 AWS could not be configured or reached",
	"2 invalid input, or no confirmation: nothing was sent",
	"3 refused: by AWS (its error code is printed), or by read-only mode",
	"130 interrupted") + `
Flags:
`

// stdinTerminal reports whether the command can ask a question: stdin is
// read from a terminal.
func (env *Env) stdinTerminal() bool {
	if env.AskTerminal != nil {
		return env.AskTerminal()
	}
	return term.IsTerminal(os.Stdin.Fd())
}

func (env *Env) stdin() io.Reader {
	if env.Stdin != nil {
		return env.Stdin
	}
	return os.Stdin
}

func runDelete(ctx context.Context, env *Env, args []string) int {
	c := newCommand(env, "docsnap snapshot delete", deleteUsage, false)
	yes := c.fs.Bool("yes", false, "delete without asking")
	pos, code, done := c.parse(args, "SNAPSHOT_ID", "[SNAPSHOT_ID...]")
	if done {
		return code
	}
	ids := slices.Compact(pos)
	var problems []awsclient.Problem
	for _, id := range ids {
		problems = append(problems, awsclient.ValidateExistingSnapshot(id)...)
		if awsclient.AutomatedID(id) {
			fmt.Fprintf(env.Stderr, "%s: %s is automated: AWS deletes it when it passes the cluster's backup retention (copy it to keep it).\n",
				c.fs.Name(), sanitize.String(id))
			fmt.Fprintln(env.Stderr, "Nothing was sent to AWS.")
			return ExitInvalid
		}
	}
	if len(awsclient.Blocking(problems)) > 0 {
		return c.invalid(problems)
	}
	if !*yes {
		want := ids[0]
		if len(ids) > 1 {
			want = "delete " + strconv.Itoa(len(ids)) + " snapshots"
		}
		if !env.stdinTerminal() {
			fmt.Fprintf(env.Stderr, "%s: no terminal to confirm on: add --yes to delete without asking. Nothing was deleted.\n", c.fs.Name())
			return ExitInvalid
		}
		fmt.Fprintf(env.Stderr, "A deleted snapshot cannot be brought back. Type %s to confirm: ", sanitize.String(want))
		line, _ := bufio.NewReader(env.stdin()).ReadString('\n')
		if strings.TrimRight(line, "\r\n") != want {
			fmt.Fprintf(env.Stderr, "%s: not confirmed. Nothing was deleted.\n", c.fs.Name())
			return ExitInvalid
		}
	}
	conn, code, ok := c.connect(ctx)
	if !ok {
		return code
	}
	defer conn.close()
	worst := ExitOK
	for _, id := range ids {
		s, err := conn.Client.DeleteSnapshot(ctx, id)
		if err != nil {
			if code := c.fail(ctx, err); code == ExitInterrupted || worst == ExitOK || code == ExitRefused {
				worst = code
			}
			if ctx.Err() != nil {
				return ExitInterrupted
			}
			continue
		}
		status := s.Status
		if status == "" {
			status = "deleting"
		}
		fmt.Fprintf(env.Stderr, "Snapshot %s is %s.\n", sanitize.String(id), sanitize.String(status))
		if _, err := fmt.Fprintln(env.Stdout, sanitize.String(id)); err != nil {
			return c.written(err)
		}
	}
	return worst
}

var shareUsage = `Usage: docsnap snapshot share SNAPSHOT_ID --account N... [--remove] [flags]

Shares a manual snapshot with other AWS accounts (12-digit ids), so that
they can restore it, or with --remove stops sharing it; prints the accounts
it is shared with afterwards, one a line. The account "all" makes the
snapshot public: any AWS account may restore it. AWS refuses to share a
snapshot encrypted with the default AWS-managed key (aws/rds).

Examples:
  docsnap snapshot share payments-prod-pre-migration --account 123456789012
  docsnap snapshot share payments-prod-pre-migration --account 123456789012 --remove

` + exitStatuses("0 shared (or no longer shared) as asked",
	"1 AWS could not be configured or reached",
	"2 invalid input: nothing was sent",
	"3 refused: by AWS (its error code is printed), or by read-only mode",
	"130 interrupted") + `
Flags:
`

// accountsFlag is --account, repeatable.
type accountsFlag []string

func (a *accountsFlag) String() string { return "" }

func (a *accountsFlag) Set(s string) error {
	*a = append(*a, s)
	return nil
}

func runShare(ctx context.Context, env *Env, args []string) int {
	c := newCommand(env, "docsnap snapshot share", shareUsage, false)
	var accounts accountsFlag
	c.fs.Var(&accounts, "account", "an AWS account `id` (12 digits), or all for public; repeatable")
	remove := c.fs.Bool("remove", false, "stop sharing with the accounts instead")
	pos, code, done := c.parse(args, "SNAPSHOT_ID")
	if done {
		return code
	}
	problems := awsclient.ValidateExistingSnapshot(pos[0])
	for _, a := range accounts {
		problems = append(problems, awsclient.ValidateAccountID(a)...)
	}
	if len(accounts) == 0 {
		return c.bad("say which accounts with --account")
	}
	if len(awsclient.Blocking(problems)) > 0 {
		return c.invalid(problems)
	}
	conn, code, ok := c.connect(ctx)
	if !ok {
		return code
	}
	defer conn.close()
	var add, rm []string
	if *remove {
		rm = accounts
	} else {
		add = accounts
	}
	list, err := conn.Client.ShareSnapshot(ctx, pos[0], add, rm)
	if err != nil {
		return c.fail(ctx, err)
	}
	var b strings.Builder
	for _, a := range list {
		b.WriteString(sanitize.String(a) + "\n")
	}
	if len(list) == 0 {
		fmt.Fprintf(env.Stderr, "Snapshot %s is shared with no other account.\n", sanitize.String(pos[0]))
	}
	_, err = io.WriteString(env.Stdout, b.String())
	return c.written(err)
}

var copyUsage = `Usage: docsnap snapshot copy SOURCE TARGET [flags]

Copies snapshot SOURCE (its identifier, or its ARN for one another account
shares) to a new manual snapshot TARGET, in the same region or with
--to-region in another (the copy is sent to that region, with the presigned
URL AWS reads the source with). An encrypted snapshot copied to another
region needs --kms-key, a key of that region. The copy of an automated
snapshot is a manual one: it stays until deleted. Prints TARGET as AWS
stores it; with --wait follows the copy until it is available.

Examples:
  docsnap snapshot copy payments-prod-pre-migration payments-prod-keep --copy-tags
  docsnap snapshot copy orders-prod-nightly orders-prod-dr --to-region eu-west-1 \
    --kms-key alias/dr --copy-tags --wait

` + snapshotStatuses("the copy is under way (with --wait: available)") + `
Flags:
`

func runCopy(ctx context.Context, env *Env, args []string) int {
	c := newCommand(env, "docsnap snapshot copy", copyUsage, true)
	var tags tagFlag
	toRegion := c.fs.String("to-region", "", "the `region` to copy to (default: the source's)")
	kms := c.fs.String("kms-key", "", "the KMS `key` of the target region to encrypt the copy with (key id, key ARN, alias/NAME or alias ARN)")
	copyTags := c.fs.Bool("copy-tags", false, "copy the source's tags to the copy")
	c.fs.Var(&tags, "tag", "an extra tag `key=value` for the copy, repeatable")
	wait := c.fs.Bool("wait", false, "wait until the copy is available, showing its progress on stderr")
	timeout := addTimeoutFlag(c)
	pos, code, done := c.parse(args, "SOURCE", "TARGET")
	if done {
		return code
	}
	if c.set("timeout") && !*wait {
		return c.bad("--timeout is how long --wait waits: add --wait, or leave out --timeout")
	}
	problems := awsclient.ValidateExistingSnapshot(pos[0])
	_, idProblems := awsclient.ValidateSnapshotID(pos[1])
	problems = append(problems, idProblems...)
	problems = append(problems, awsclient.ValidateTags(tags)...)
	if *toRegion != "" {
		if rs, err := awsclient.ParseRegions(*toRegion); err != nil || len(rs) != 1 || rs[0] == awsclient.AllRegions {
			return c.bad("--to-region " + strconv.Quote(*toRegion) + ": name one region, such as eu-west-1")
		}
	}
	problems = append(problems, awsclient.ValidateKMSKey(*kms, *toRegion)...)
	if code, ok := c.checked(problems); !ok {
		return code
	}
	conn, code, ok := c.connect(ctx)
	if !ok {
		return code
	}
	defer conn.close()
	in := awsclient.CopySnapshotInput{SourceID: pos[0], TargetID: pos[1], KMSKeyID: *kms, CopyTags: *copyTags, Tags: tags}
	target := conn
	from := conn.Client.Target().Region
	if *toRegion != "" && *toRegion != from {
		// Across regions AWS wants the source's ARN and an encrypted
		// source needs a key there: read the source to check, before
		// anything is sent.
		src, err := conn.Client.Snapshot(ctx, pos[0])
		if err != nil {
			return c.fail(ctx, err)
		}
		if src.StorageEncrypted && *kms == "" {
			fmt.Fprintf(env.Stderr, "%s: %s is encrypted: a copy in %s needs --kms-key, a KMS key of %s.\nNothing was sent to AWS.\n",
				c.fs.Name(), sanitize.String(pos[0]), sanitize.String(*toRegion), sanitize.String(*toRegion))
			return ExitInvalid
		}
		if src.ARN != "" {
			in.SourceID = src.ARN
		}
		in.SourceRegion = from
		if conn.InRegion == nil {
			return c.bad("--to-region: docsnap cannot connect to another region here")
		}
		client, err := conn.InRegion(*toRegion)
		if err != nil {
			return c.fail(ctx, err)
		}
		target.Client = client
	}
	snap, err := target.Client.CopySnapshot(ctx, in)
	if err != nil {
		return c.fail(ctx, err)
	}
	id := sanitize.String(snap.ID)
	if _, err := fmt.Fprintln(env.Stdout, id); err != nil {
		return c.written(err)
	}
	if !*wait {
		fmt.Fprintf(env.Stderr, "Snapshot %s is %s in %s.\n", id, sanitize.String(snap.Status), sanitize.String(target.Client.Target().Region))
		return ExitOK
	}
	_, code = c.follow(ctx, target, snap, *timeout)
	return code
}
