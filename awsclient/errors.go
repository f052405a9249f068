package awsclient

import (
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/aws-sdk-go-v2/service/docdb/types"
	etypes "github.com/aws/aws-sdk-go-v2/service/docdbelastic/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Kind is what went wrong, in terms of what the user can do about it.
type Kind int

// Kinds of failure. Each has one sentence and one hint (see Error).
const (
	KindUnknown Kind = iota
	KindSnapshotExists
	KindClusterNotFound
	KindClusterState
	KindQuotaExceeded
	KindSnapshotState
	KindSnapshotNotFound
	KindInvalidParameter
	KindThrottled
	KindAccessDenied
	KindNoCredentials
	KindExpiredCredentials
	KindNoRegion
	KindUnreachable
	KindTimeout
	KindServerError
	KindCanceled
	KindConfig           // the shared config files or the profile could not be used
	KindReadOnly         // docsnap refused a write itself: read-only mode (see ReadOnly)
	KindPaging           // docsnap stopped a listing the endpoint would never end (see PagingError)
	KindInstanceNotFound // no such instance (DescribeDBInstances, ListTagsForResource)
	KindKMSKey           // the KMS key cannot be used (KMSKeyNotAccessibleFault)
	KindSharedQuota      // a snapshot is shared with as many accounts as AWS allows
)

var kindNames = [...]string{"Unknown", "SnapshotExists", "ClusterNotFound", "ClusterState",
	"QuotaExceeded", "SnapshotState", "SnapshotNotFound", "InvalidParameter", "Throttled",
	"AccessDenied", "NoCredentials", "ExpiredCredentials", "NoRegion", "Unreachable", "Timeout",
	"ServerError", "Canceled", "Config", "ReadOnly", "Paging", "InstanceNotFound", "KMSKey", "SharedQuota"}

// String names the kind, for logs and test failures.
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Error is a classified failure of one call: a kind the UI turns into one
// sentence and a hint, plus the AWS error code and request id when AWS
// answered.
type Error struct {
	Kind      Kind
	Op        string // what docsnap was doing: "list clusters"
	Code      string // the AWS error code, if AWS answered
	RequestID string // the AWS request id, if AWS answered
	Message   string // AWS's own message (untrusted text: sanitize to show)
	Profile   string // the profile in use, for credential hints
	Cluster   string // the cluster the call named, if one, for its hints
	// OutcomeUnknown is set on a failed create that may have been carried
	// out all the same: a request reached AWS, or may have, and its answer
	// was lost (a dropped connection, a timeout, a 5xx). The snapshot may
	// exist; send the same input again with CreateSnapshotInput.Resend set
	// to find out without making a second one.
	OutcomeUnknown bool
	Err            error
}

func (e *Error) Error() string {
	s := e.Op + ": " + e.Sentence()
	if e.Code != "" {
		s += " (" + e.Code
		if e.RequestID != "" {
			s += ", request id " + e.RequestID
		}
		s += ")"
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf is the kind of the classified failure in err's chain, KindUnknown
// when there is none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// Sentence says what happened, in one sentence a person can read.
func (e *Error) Sentence() string {
	switch e.Kind {
	case KindSnapshotExists:
		return "A snapshot with that identifier already exists."
	case KindClusterNotFound:
		return "The cluster was not found."
	case KindClusterState:
		return "The cluster is not in a state that allows a snapshot."
	case KindQuotaExceeded:
		return "The manual snapshot quota for this account and region is used up."
	case KindSnapshotState:
		return "The snapshot is not in a state that allows this."
	case KindSnapshotNotFound:
		return "The snapshot was not found."
	case KindInstanceNotFound:
		return "The instance was not found."
	case KindKMSKey:
		return "The KMS key cannot be used: it does not exist in the target region, is disabled, or the credentials may not use it."
	case KindSharedQuota:
		return "The snapshot is already shared with as many accounts as AWS allows."
	case KindInvalidParameter:
		if e.Message != "" {
			return "AWS refused a parameter: " + e.Message
		}
		return "AWS refused a parameter."
	case KindThrottled:
		return "AWS is throttling requests (rate exceeded)."
	case KindAccessDenied:
		return "Access denied: the credentials in use lack a permission."
	case KindNoCredentials:
		return "No AWS credentials were found."
	case KindExpiredCredentials:
		return "The AWS credentials have expired or are not valid."
	case KindNoRegion:
		if e.Message != "" {
			return "The AWS region is not valid: " + e.Message
		}
		return "No AWS region is set."
	case KindUnreachable:
		return "The DocumentDB endpoint could not be reached, or it closed the connection."
	case KindTimeout:
		return "The request timed out."
	case KindServerError:
		return "AWS had an internal error."
	case KindCanceled:
		return "The request was canceled."
	case KindConfig:
		var missing config.SharedConfigProfileNotExistError
		if errors.As(e.Err, &missing) {
			return "The AWS profile " + strconv.Quote(missing.Profile) + " is not in the shared config files."
		}
		if e.Err != nil {
			return "The AWS configuration could not be loaded: " + e.Err.Error()
		}
		return "The AWS configuration could not be loaded."
	case KindReadOnly:
		if e.Message != "" {
			return e.Message
		}
		return "docsnap is read-only here: it does not create, copy, delete or share snapshots."
	case KindPaging:
		var p *PagingError
		switch {
		case errors.As(e.Err, &p):
			return p.Error()
		case errors.Is(e.Err, errPageTooLarge):
			return "The endpoint sent an answer of more than " + strconv.Itoa(MaxPageBytes>>20) + " MiB."
		}
		return "The endpoint did not end its listing."
	}
	switch {
	case e.Message != "":
		return "AWS refused the request: " + e.Message
	case e.Err != nil:
		return "The request failed: " + e.Err.Error()
	}
	return "The request failed."
}

// Hint says what to try next, naming r as the key that tries again (the
// TUI's default).
func (e *Error) Hint() string { return e.HintRetrying("r") }

// HintRetrying is Hint naming retry as the key that tries again, as a screen
// whose keys are rebound, or whose retry key is another, says it.
func (e *Error) HintRetrying(retry string) string {
	if e.OutcomeUnknown {
		// Whatever the failure, a send under another identifier could make
		// a second snapshot; under the same one it cannot.
		return "Send it again under the same identifier, never another: that cannot make a second snapshot."
	}
	profile := e.Profile
	if profile == "" {
		profile = "default"
	}
	switch e.Kind {
	case KindSnapshotExists:
		// Another identifier would make a second snapshot when the one there
		// is from a send whose answer was lost.
		return "If an earlier send whose answer was lost used this identifier, the snapshot is most likely that one: see the cluster's snapshots. " +
			"Otherwise choose another snapshot identifier: they are unique per account and region."
	case KindClusterNotFound:
		return "Refresh the cluster list: the cluster may have been deleted or be in another region."
	case KindClusterState:
		return ClusterStateHint(e.Cluster, "")
	case KindQuotaExceeded:
		return "Delete old manual snapshots or ask AWS Support for a higher quota."
	case KindSnapshotState:
		return "Wait until the snapshot is available, then try again. An automated snapshot cannot be deleted or shared: copy it to keep it."
	case KindSnapshotNotFound:
		return "It may have been deleted; refresh to see the cluster's snapshots."
	case KindInstanceNotFound:
		return "It may have been deleted or replaced; refresh to see the cluster's instances."
	case KindKMSKey:
		return "Give a key id, key ARN or alias of the target region that the credentials may use (kms:DescribeKey, kms:CreateGrant)."
	case KindSharedQuota:
		return "Remove an account it is shared with first, or ask AWS Support for a higher quota."
	case KindInvalidParameter:
		return "Correct the value and submit again."
	case KindThrottled:
		return "docsnap backs off and retries; press " + retry + " to retry now."
	case KindAccessDenied:
		return "Ask for the IAM permissions listed in the README (least-privilege policy)."
	case KindNoCredentials:
		return "Set AWS_PROFILE or pass --profile, run `aws configure`, or try `docsnap --demo`."
	case KindExpiredCredentials:
		if e.ssoExpired() {
			return "Run `aws sso login --profile " + profile + "`, then press " + retry + "."
		}
		return "Refresh your credentials (for example `aws sso login --profile " + profile + "`), then press " + retry + "."
	case KindNoRegion:
		return "Pass --region, set AWS_REGION, or set region in your AWS profile; or try `docsnap --demo`."
	case KindUnreachable:
		return "Check the network, the region and --endpoint-url, then press " + retry + "."
	case KindTimeout:
		return "The network or AWS is slow; press " + retry + " to try again."
	case KindServerError:
		return "This is usually brief; press " + retry + " to try again."
	case KindCanceled:
		return "Press " + retry + " to run it again."
	case KindConfig:
		return "Check --profile, --endpoint-url, the AWS_PROFILE and AWS_ENDPOINT_URL variables, and ~/.aws/config and ~/.aws/credentials."
	case KindReadOnly:
		return "Browse as you like; to take snapshots, start docsnap without --read-only, with a profile not listed in read-only-profiles."
	case KindPaging:
		return "The endpoint does not page as DocumentDB does: check the region and --endpoint-url."
	}
	return "Press " + retry + " to try again."
}

// ClusterStateHint says what to do about a cluster whose status does not
// allow a snapshot; status "" when it is not known. Waiting does nothing for
// a stopped cluster: it must be started. AWS starts it by itself only after
// seven days ("Amazon DocumentDB automatically starts your cluster after
// seven days so that it doesn't fall behind any required maintenance
// updates": Stopping and starting an Amazon DocumentDB cluster,
// https://docs.aws.amazon.com/documentdb/latest/developerguide/db-cluster-stop-start.html).
// An elastic cluster is named by its ARN, and started with docdb-elastic.
func ClusterStateHint(clusterID, status string) string {
	if clusterID == "" {
		clusterID = "CLUSTER"
	}
	start := "`aws docdb start-db-cluster --db-cluster-identifier " + clusterID + "`"
	if ElasticARN(clusterID) {
		start = "`aws docdb-elastic start-cluster --cluster-arn " + clusterID + "`"
		status = strings.ToLower(status)
	}
	const byItself = "AWS starts a stopped cluster by itself only after seven days"
	switch status {
	case "stopped":
		return "Start it with " + start + ", then wait until it is available (" + byItself + ")."
	case "stopping":
		return "Once it has stopped, start it with " + start + ", then wait until it is available (" + byItself + ")."
	case "":
		return "Wait until the cluster is available, then try again; if it is stopped, start it first with " + start + " (" + byItself + ")."
	}
	return "Wait until the cluster is available, then try again."
}

// ssoExpired reports whether the failure is an SSO session to log in to
// again.
func (e *Error) ssoExpired() bool {
	var (
		sso   *ssocreds.InvalidTokenError
		creds *credentialsError
	)
	return errors.As(e.Err, &sso) || errors.As(e.Err, &creds) && creds.sso
}

// Retryable reports whether trying the same call again later may succeed.
func (k Kind) Retryable() bool {
	switch k {
	case KindThrottled, KindUnreachable, KindTimeout, KindServerError:
		return true
	}
	return false
}

// OutcomeUnknown reports whether err is a failed create that may have
// been carried out all the same (see Error.OutcomeUnknown).
func OutcomeUnknown(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.OutcomeUnknown
}

// unanswered reports whether the call that failed with e may have been
// carried out: no answer arrived, or it was cut short, a 5xx, or a success
// that could not be read. A refusal (a 4xx) or a failure before sending
// (credentials, configuration) says it was not.
func (e *Error) unanswered() bool {
	switch e.Kind {
	case KindTimeout, KindUnreachable, KindServerError, KindCanceled:
		return true
	}
	status := httpStatus(e.Err)
	return status >= 200 && status < 300
}

// credentialsError marks a failure to obtain credentials, so that it can be
// told apart from other failures by type (see credentialsMarker). sso and
// imds say where the provider chain gets its credentials, which decides what
// the failure means.
type credentialsError struct {
	err       error
	sso, imds bool
}

func (c *credentialsError) Error() string { return c.err.Error() }
func (c *credentialsError) Unwrap() error { return c.err }

// credentialsMarker wraps a credentials provider so that its failures carry
// the credentialsError type through the SDK's error chain.
type credentialsMarker struct {
	aws.CredentialsProvider
	sso, imds bool
}

// markCredentials wraps p, noting from the provider's declared sources
// whether it is an SSO session (a failure means logging in again) or the
// instance-metadata fallback (a failure means nothing was configured).
func markCredentials(p aws.CredentialsProvider) credentialsMarker {
	m := credentialsMarker{CredentialsProvider: p}
	if s, ok := p.(aws.CredentialProviderSource); ok {
		for _, src := range s.ProviderSources() {
			switch src {
			case aws.CredentialSourceSSO, aws.CredentialSourceProfileSSO,
				aws.CredentialSourceSSOLegacy, aws.CredentialSourceProfileSSOLegacy:
				m.sso = true
			case aws.CredentialSourceIMDS:
				m.imds = true
			}
		}
	}
	return m
}

func (m credentialsMarker) Retrieve(ctx context.Context) (aws.Credentials, error) {
	c, err := m.CredentialsProvider.Retrieve(ctx)
	if err != nil && ctx.Err() == nil {
		// Only a failure of the provider itself is marked: one caused by the
		// call's deadline or cancellation is a timeout or a cancel.
		return c, &credentialsError{err: err, sso: m.sso, imds: m.imds}
	}
	return c, err
}

// ProviderSources passes the wrapped provider's sources on (the SDK reports
// them in its user agent).
func (m credentialsMarker) ProviderSources() []aws.CredentialSource {
	if s, ok := m.CredentialsProvider.(aws.CredentialProviderSource); ok {
		return s.ProviderSources()
	}
	return nil
}

// configError marks a failure to load the shared configuration.
type configError struct{ err error }

func (c *configError) Error() string { return c.err.Error() }
func (c *configError) Unwrap() error { return c.err }

// Codes AWS services use that have no modelled type in service/docdb.
var (
	throttleCodes = map[string]bool{"Throttling": true, "ThrottlingException": true,
		"RequestLimitExceeded": true, "TooManyRequestsException": true, "RequestThrottled": true,
		"RequestThrottledException": true, "SlowDown": true}
	deniedCodes = map[string]bool{"AccessDenied": true, "AccessDeniedException": true,
		"UnauthorizedOperation": true, "AuthorizationError": true, "ForbiddenException": true}
	expiredCodes = map[string]bool{"ExpiredToken": true, "ExpiredTokenException": true,
		"RequestExpired": true, "InvalidClientTokenId": true, "UnrecognizedClientException": true,
		"SignatureDoesNotMatch": true, "IncompleteSignature": true, "InvalidSignatureException": true,
		"MissingAuthenticationToken": true, "UnauthorizedException": true, "InvalidGrantException": true}
	invalidCodes = map[string]bool{"InvalidParameterValue": true, "InvalidParameterCombination": true,
		"MissingParameter": true, "ValidationError": true, "InvalidAction": true}
	// Codes of faults that service/docdb models for some operations but not
	// all: where an operation does not list a fault, the SDK returns it as a
	// generic API error (ListTagsForResource, for one, lists no
	// cluster-snapshot fault).
	faultCodes = map[string]Kind{
		"DBClusterSnapshotAlreadyExistsFault": KindSnapshotExists,
		"DBClusterNotFoundFault":              KindClusterNotFound,
		"InvalidDBClusterStateFault":          KindClusterState,
		"SnapshotQuotaExceeded":               KindQuotaExceeded,
		"InvalidDBClusterSnapshotStateFault":  KindSnapshotState,
		"DBClusterSnapshotNotFoundFault":      KindSnapshotNotFound,
		"KMSKeyNotAccessibleFault":            KindKMSKey,
		"SharedSnapshotQuotaExceeded":         KindSharedQuota,
		// ListTagsForResource's faults for instance snapshots and
		// instances, and DescribeDBInstances'.
		"DBSnapshotNotFound": KindSnapshotNotFound,
		"DBInstanceNotFound": KindInstanceNotFound,
		// DescribeGlobalClusters' fault, for a global cluster named that
		// is gone: a cluster of another kind, not found all the same.
		"GlobalClusterNotFoundFault": KindClusterNotFound,
	}
)

// Classify turns any error from a call into an *Error for op, keeping the
// original in the chain. It returns nil for nil and leaves an *Error as it is.
// profile is the profile in use, for the hints of credential errors.
func Classify(op, profile string, err error) error {
	if err == nil {
		return nil
	}
	var done *Error
	if errors.As(err, &done) {
		return err
	}
	e := &Error{Op: op, Profile: profile, Err: err, Kind: rawKind(err)}
	var api smithy.APIError
	if errors.As(err, &api) {
		e.Code, e.Message = api.ErrorCode(), api.ErrorMessage()
	}
	var resp *awshttp.ResponseError
	if errors.As(err, &resp) {
		e.RequestID = resp.ServiceRequestID()
	}
	return e
}

// rawKind is the kind of an SDK error, decided by type, never by message
// text. The order matters: an answer from AWS says more than the transport
// errors around it, and a failure to get credentials is about credentials
// even when the provider's own requests timed out or could not connect (the
// instance-metadata fallback does, on any machine outside EC2).
func rawKind(err error) Kind {
	var (
		exists        *types.DBClusterSnapshotAlreadyExistsFault
		clusterGone   *types.DBClusterNotFoundFault
		clusterState  *types.InvalidDBClusterStateFault
		quota         *types.SnapshotQuotaExceededFault
		snapshotState *types.InvalidDBClusterSnapshotStateFault
		snapshotGone  *types.DBClusterSnapshotNotFoundFault
		kmsKey        *types.KMSKeyNotAccessibleFault
		sharedQuota   *types.SharedSnapshotQuotaExceededFault
		params        *smithy.InvalidParamsError
		cfg           *configError
		region        *aws.MissingRegionError
		sso           *ssocreds.InvalidTokenError
		creds         *credentialsError
		api           smithy.APIError
		paging        *PagingError
	)
	switch {
	case errors.As(err, &paging), errors.Is(err, errPageTooLarge):
		return KindPaging
	}
	if k := elasticKind(err); k != KindUnknown {
		return k
	}
	switch {
	case errors.As(err, &exists):
		return KindSnapshotExists
	case errors.As(err, &clusterGone):
		return KindClusterNotFound
	case errors.As(err, &clusterState):
		return KindClusterState
	case errors.As(err, &quota):
		return KindQuotaExceeded
	case errors.As(err, &snapshotState):
		return KindSnapshotState
	case errors.As(err, &snapshotGone):
		return KindSnapshotNotFound
	case errors.As(err, &kmsKey):
		return KindKMSKey
	case errors.As(err, &sharedQuota):
		return KindSharedQuota
	case errors.As(err, &params):
		return KindInvalidParameter
	case errors.As(err, &cfg):
		return KindConfig
	case errors.As(err, &region):
		return KindNoRegion
	case errors.As(err, &sso):
		return KindExpiredCredentials
	case errors.As(err, &creds):
		return credentialsKind(creds)
	case errors.As(err, &api):
		return apiKind(err, api)
	}
	return transportKind(err)
}

// elasticKind classifies the faults of the docdb-elastic API, by type.
// Its not-found and conflict faults name the kind of resource, when they
// name one: a conflict over a cluster is its state (one not ACTIVE), any
// other the snapshot name already taken, the only conflict a create of a
// snapshot has.
func elasticKind(err error) Kind {
	var (
		gone     *etypes.ResourceNotFoundException
		conflict *etypes.ConflictException
		quota    *etypes.ServiceQuotaExceededException
		invalid  *etypes.ValidationException
		throttle *etypes.ThrottlingException
		denied   *etypes.AccessDeniedException
		internal *etypes.InternalServerException
	)
	switch {
	case errors.As(err, &gone):
		if strings.Contains(strings.ToLower(aws.ToString(gone.ResourceType)), "snapshot") {
			return KindSnapshotNotFound
		}
		return KindClusterNotFound
	case errors.As(err, &conflict):
		if strings.EqualFold(aws.ToString(conflict.ResourceType), "cluster") {
			return KindClusterState
		}
		return KindSnapshotExists
	case errors.As(err, &quota):
		return KindQuotaExceeded
	case errors.As(err, &invalid):
		return KindInvalidParameter
	case errors.As(err, &throttle):
		return KindThrottled
	case errors.As(err, &denied):
		return KindAccessDenied
	case errors.As(err, &internal):
		return KindServerError
	}
	return KindUnknown
}

// credentialsKind classifies a failure of the credentials provider.
func credentialsKind(c *credentialsError) Kind {
	var api smithy.APIError
	if errors.As(c.err, &api) {
		// STS or the SSO portal answered: its code says what is wrong.
		if k := apiKind(c.err, api); k == KindAccessDenied || k == KindExpiredCredentials || k == KindThrottled {
			return k
		}
	}
	if !c.imds {
		if k := transportKind(c.err); k == KindUnreachable || k == KindTimeout {
			return k
		}
	}
	if c.sso {
		// The SSO token is missing, expired or cannot be refreshed: the SDK
		// reports the last two with an untyped error, so the provider's
		// source decides.
		return KindExpiredCredentials
	}
	return KindNoCredentials
}

// apiKind classifies an error AWS answered with.
func apiKind(err error, api smithy.APIError) Kind {
	code := api.ErrorCode()
	switch {
	case faultCodes[code] != KindUnknown:
		return faultCodes[code]
	case throttleCodes[code]:
		return KindThrottled
	case deniedCodes[code]:
		return KindAccessDenied
	case expiredCodes[code]:
		return KindExpiredCredentials
	case invalidCodes[code]:
		return KindInvalidParameter
	case api.ErrorFault() == smithy.FaultServer, httpStatus(err) >= 500:
		return KindServerError
	}
	return KindUnknown
}

// httpStatus is the HTTP status of the answer in err's chain; 0 when no
// answer arrived (the SDK then records an empty response).
func httpStatus(err error) int {
	var resp *awshttp.ResponseError
	if errors.As(err, &resp) && resp.Response != nil && resp.Response.Response != nil {
		return resp.Response.StatusCode
	}
	return 0
}

// transportKind classifies an error that did not come with an answer from
// AWS. A connection closed before the whole response arrived (io.EOF,
// io.ErrUnexpectedEOF) counts as unreachable: the endpoint went away.
func transportKind(err error) Kind {
	var (
		canceled *smithy.CanceledError
		reqCanc  *aws.RequestCanceledError
		netErr   net.Error
		send     *smithyhttp.RequestSendError
		dnsErr   *net.DNSError
		opErr    *net.OpError
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return KindTimeout
	case errors.Is(err, context.Canceled), errors.As(err, &canceled), errors.As(err, &reqCanc):
		return KindCanceled
	case httpStatus(err) >= 500:
		return KindServerError
	case errors.As(err, &dnsErr), errors.As(err, &opErr), errors.As(err, &send),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return KindUnreachable
	}
	return KindUnknown
}
