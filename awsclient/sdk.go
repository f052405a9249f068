package awsclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/docdb"
	"github.com/aws/aws-sdk-go-v2/service/docdb/types"
	"github.com/aws/aws-sdk-go-v2/service/docdbelastic"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Defaults of Options.
const (
	DefaultCallTimeout = 30 * time.Second
	DefaultPageSize    = 100
	// MinPageSize and MaxPageSize are the MaxRecords range DocumentDB
	// accepts.
	MinPageSize = 20
	MaxPageSize = 100
)

// Options say where an SDK client points and how it behaves. The zero value
// means what the AWS CLI would do: the default credential chain, the region
// and endpoint from the environment and the shared config files.
type Options struct {
	// Profile names a shared config profile; empty: AWS_PROFILE, else the
	// default profile.
	Profile string
	// Region overrides AWS_REGION and the profile's region.
	Region string
	// EndpointURL overrides AWS_ENDPOINT_URL_DOCDB, AWS_ENDPOINT_URL and the
	// profile's endpoint_url: a local endpoint such as http://127.0.0.1:4566.
	// It serves both APIs: docdb and docdb-elastic (whose own variable is
	// AWS_ENDPOINT_URL_DOCDB_ELASTIC).
	EndpointURL string

	// RetryMaxAttempts caps the attempts of one call, the first included;
	// 0: AWS_MAX_ATTEMPTS or the profile's max_attempts, else the SDK's 3.
	RetryMaxAttempts int
	// RetryMaxBackoff caps the wait between attempts; 0: the SDK's 20 s.
	RetryMaxBackoff time.Duration
	// CallTimeout bounds one call, its retries and its credential lookups
	// included, and so one page of a listing; 0: DefaultCallTimeout.
	CallTimeout time.Duration
	// HTTPClient replaces the SDK's HTTP client (a custom transport, a proxy
	// for tests); nil: the SDK's.
	HTTPClient aws.HTTPClient
	// PageSize is MaxRecords for listings, clamped to 20..100; 0:
	// DefaultPageSize.
	PageSize int
	// Now is the clock the lost-response rule compares snapshot creation
	// times with; nil: time.Now.
	Now func() time.Time
}

// SDK is the Client over aws-sdk-go-v2. It is safe for concurrent use.
type SDK struct {
	api      *docdb.Client
	elastic  *docdbelastic.Client
	target   Target
	timeout  time.Duration
	pageSize int32
	maxPages int
	pageCap  *pageCap
	now      func() time.Time
}

var _ Client = (*SDK)(nil)

// New loads the AWS configuration the way the AWS CLI does
// (config.LoadDefaultConfig: environment, shared config and credentials
// files, SSO, assume-role, container and instance roles) and returns a client
// for DocumentDB. It makes no network call: credentials are fetched by the
// first call. Its errors are *Error: KindConfig when the configuration cannot
// be loaded (a profile that does not exist), KindNoRegion when no region is
// set or the region is not a valid name, KindConfig too for an endpoint URL
// (option or environment) that is not an http or https URL.
func New(ctx context.Context, o Options) (*SDK, error) {
	const op = "configure AWS"
	var loads []func(*config.LoadOptions) error
	if o.Profile != "" {
		loads = append(loads, config.WithSharedConfigProfile(o.Profile))
	}
	if o.Region != "" {
		loads = append(loads, config.WithRegion(o.Region))
	}
	if o.HTTPClient != nil {
		loads = append(loads, config.WithHTTPClient(o.HTTPClient))
	}
	loads = append(loads, config.WithAppID("docsnap"))
	cfg, err := config.LoadDefaultConfig(ctx, loads...)
	if err != nil {
		return nil, Classify(op, o.Profile, &configError{err})
	}
	profile := profileOf(cfg, o.Profile)
	if cfg.Region == "" {
		return nil, &Error{Kind: KindNoRegion, Op: op, Profile: profile, Err: &aws.MissingRegionError{}}
	}
	if !smithyhttp.ValidHostLabel(cfg.Region) {
		return nil, &Error{Kind: KindNoRegion, Op: op, Profile: profile, Message: strconv.Quote(cfg.Region),
			Err: fmt.Errorf("region %q is not a valid name", cfg.Region)}
	}
	if cfg.Credentials != nil {
		cfg.Credentials = markCredentials(cfg.Credentials)
	}
	return build(cfg, profile, o)
}

// NewLocal returns a client for a local DocumentDB endpoint, such as
// docsnap's own emulator: dummy static credentials, o.Region or the
// emulator's default region, and nothing read from the environment, the
// shared config files or instance metadata, so that a demo never touches the
// user's AWS setup. o.EndpointURL is the endpoint; o.Profile is ignored.
func NewLocal(o Options) (*SDK, error) {
	region := o.Region
	if region == "" {
		region = "us-east-1"
	}
	cfg := aws.Config{
		Region:      region,
		Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider("local", "local", "")),
		AppID:       "docsnap",
	}
	if o.HTTPClient != nil {
		cfg.HTTPClient = o.HTTPClient
	}
	if o.EndpointURL == "" {
		return nil, &Error{Kind: KindConfig, Op: "configure AWS", Err: errors.New("a local client needs an endpoint URL")}
	}
	return build(cfg, "", o)
}

// build makes the client from a loaded configuration: the retryer, the
// endpoint, and the options of o.
func build(cfg aws.Config, profile string, o Options) (*SDK, error) {
	const op = "configure AWS"

	pageCap := &pageCap{limit: MaxPageBytes}
	retryer := func() aws.Retryer {
		return retry.NewStandard(func(s *retry.StandardOptions) {
			if o.RetryMaxBackoff > 0 {
				s.MaxBackoff = o.RetryMaxBackoff
			}
			s.Retryables = append(s.Retryables, retryCutResponse)
		})
	}
	api := docdb.NewFromConfig(cfg, func(d *docdb.Options) {
		d.Retryer = retryer()
		if o.RetryMaxAttempts > 0 {
			d.RetryMaxAttempts = o.RetryMaxAttempts
		}
		d.HTTPClient = bufferedBodies{d.HTTPClient}
		d.APIOptions = append(d.APIOptions, addClustersDecoder, pageCap.add)
		// The explicit option beats the environment, which NewFromConfig
		// has already applied (AWS_ENDPOINT_URL_DOCDB over AWS_ENDPOINT_URL).
		if o.EndpointURL != "" {
			d.BaseEndpoint = aws.String(o.EndpointURL)
		}
	})
	// The same for docdb-elastic, whose own variable is
	// AWS_ENDPOINT_URL_DOCDB_ELASTIC (the SDK derives it from the service
	// id "DocDB Elastic").
	elastic := docdbelastic.NewFromConfig(cfg, func(d *docdbelastic.Options) {
		d.Retryer = retryer()
		if o.RetryMaxAttempts > 0 {
			d.RetryMaxAttempts = o.RetryMaxAttempts
		}
		d.HTTPClient = bufferedBodies{d.HTTPClient}
		d.APIOptions = append(d.APIOptions, pageCap.add)
		if o.EndpointURL != "" {
			d.BaseEndpoint = aws.String(o.EndpointURL)
		}
	})

	endpoint := aws.ToString(api.Options().BaseEndpoint)
	for _, e := range []string{endpoint, aws.ToString(elastic.Options().BaseEndpoint)} {
		if u, err := url.Parse(e); e != "" && (err != nil || u.Host == "" || u.Scheme != "http" && u.Scheme != "https") {
			return nil, &Error{Kind: KindConfig, Op: op, Profile: profile,
				Err: fmt.Errorf("the endpoint URL %q is not an http:// or https:// URL", e)}
		}
	}

	c := &SDK{
		api:      api,
		elastic:  elastic,
		target:   Target{Profile: profile, Region: cfg.Region, Endpoint: endpoint},
		timeout:  o.CallTimeout,
		pageSize: int32(min(max(o.PageSize, MinPageSize), MaxPageSize)),
		maxPages: MaxPages,
		pageCap:  pageCap,
		now:      o.Now,
	}
	if c.timeout <= 0 {
		c.timeout = DefaultCallTimeout
	}
	if o.PageSize == 0 {
		c.pageSize = DefaultPageSize
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c, nil
}

// retryCutResponse retries an answer whose body was cut short: the SDK
// retries a connection that fails before the answer, not one that fails in
// the middle of it. A create retried this way is covered by the
// lost-response rule.
var retryCutResponse = retry.IsErrorRetryableFunc(func(err error) aws.Ternary {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return aws.TrueTernary
	}
	return aws.UnknownTernary
})

// profileOf names the profile in use: the option, else AWS_PROFILE; empty
// for the default profile.
func profileOf(cfg aws.Config, profile string) string {
	if profile != "" {
		return profile
	}
	for _, src := range cfg.ConfigSources {
		if env, ok := src.(config.EnvConfig); ok {
			return env.SharedConfigProfile
		}
	}
	return ""
}

// Target names the profile, region and endpoint the client talks to.
func (c *SDK) Target() Target { return c.target }

// call runs one AWS call under the call timeout and classifies its error.
// When the deadline or a cancel ended the call, that is put in the chain so
// that it classifies as a timeout or a cancel whatever the transport made of
// it.
func (c *SDK) call(ctx context.Context, op string, f func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	err := f(ctx)
	if err != nil && ctx.Err() != nil {
		err = fmt.Errorf("%w: %w", ctx.Err(), err)
	}
	return Classify(op, c.target.Profile, err)
}

// Clusters lists the DocumentDB clusters. It asks AWS for engine docdb only
// and drops anything else that comes back all the same.
func (c *SDK) Clusters() Pages[Cluster] {
	in := &docdb.DescribeDBClustersInput{
		Filters: []types.Filter{{Name: aws.String("engine"), Values: []string{Engine}}},
	}
	p := docdb.NewDescribeDBClustersPaginator(c.api, in, func(o *docdb.DescribeDBClustersPaginatorOptions) {
		o.Limit = c.pageSize
	})
	return newPages(c, "list clusters", "cluster", p,
		func(out *docdb.DescribeDBClustersOutput) (*string, []types.DBCluster) {
			return out.Marker, out.DBClusters
		},
		func(dc types.DBCluster) string { return aws.ToString(dc.DBClusterIdentifier) },
		func(dc types.DBCluster) (Cluster, bool) {
			if aws.ToString(dc.Engine) != Engine {
				return Cluster{}, false
			}
			return clusterOf(dc, c.target.Region), true
		})
}

// GlobalClusters lists the account's global clusters. The API is shared
// with Aurora, whose global clusters are dropped as its clusters are.
func (c *SDK) GlobalClusters() Pages[GlobalCluster] {
	in := &docdb.DescribeGlobalClustersInput{}
	p := docdb.NewDescribeGlobalClustersPaginator(c.api, in, func(o *docdb.DescribeGlobalClustersPaginatorOptions) {
		o.Limit = c.pageSize
	})
	return newPages(c, "list global clusters", "global cluster", p,
		func(out *docdb.DescribeGlobalClustersOutput) (*string, []types.GlobalCluster) {
			return out.Marker, out.GlobalClusters
		},
		func(g types.GlobalCluster) string { return aws.ToString(g.GlobalClusterIdentifier) },
		func(g types.GlobalCluster) (GlobalCluster, bool) {
			return globalClusterOf(g), aws.ToString(g.Engine) == Engine
		})
}

// Snapshots lists one cluster's snapshots, manual and automated.
func (c *SDK) Snapshots(clusterID string) Pages[Snapshot] {
	return c.snapshotPages(&docdb.DescribeDBClusterSnapshotsInput{DBClusterIdentifier: aws.String(clusterID)}, false)
}

// AllSnapshots lists the region's snapshots, with those shared with this
// account when includeShared. Public snapshots are never asked for: they
// are anyone's, and would bury the account's own.
func (c *SDK) AllSnapshots(includeShared bool) Pages[Snapshot] {
	return c.snapshotPages(&docdb.DescribeDBClusterSnapshotsInput{
		IncludeShared: aws.Bool(includeShared),
		IncludePublic: aws.Bool(false),
	}, true)
}

// snapshotPages lists the snapshots in selects, through the page guard;
// docdbOnly keeps DocumentDB's, for a listing of every cluster's (the RDS
// endpoint lists Aurora's and Neptune's too). A cluster's own are listed as
// they come: some endpoints (moto) give them another engine.
func (c *SDK) snapshotPages(in *docdb.DescribeDBClusterSnapshotsInput, docdbOnly bool) Pages[Snapshot] {
	p := docdb.NewDescribeDBClusterSnapshotsPaginator(c.api, in, func(o *docdb.DescribeDBClusterSnapshotsPaginatorOptions) {
		o.Limit = c.pageSize
	})
	return newPages(c, "list snapshots", "snapshot", p,
		func(out *docdb.DescribeDBClusterSnapshotsOutput) (*string, []types.DBClusterSnapshot) {
			return out.Marker, out.DBClusterSnapshots
		},
		func(s types.DBClusterSnapshot) string { return aws.ToString(s.DBClusterSnapshotIdentifier) },
		func(s types.DBClusterSnapshot) (Snapshot, bool) {
			e := aws.ToString(s.Engine)
			return snapshotOf(s, c.target.Region), !docdbOnly || e == "" || e == Engine
		})
}

// Instances lists one cluster's instances. Its first page also describes the
// cluster, whose member list says which instance is the writer (an instance
// does not say it itself), and which answers DBClusterNotFoundFault for a
// cluster that does not exist, where DescribeDBInstances would answer an
// empty list.
func (c *SDK) Instances(clusterID string) Pages[Instance] {
	in := &docdb.DescribeDBInstancesInput{
		Filters: []types.Filter{{Name: aws.String("db-cluster-id"), Values: []string{clusterID}}},
	}
	p := docdb.NewDescribeDBInstancesPaginator(c.api, in, func(o *docdb.DescribeDBInstancesPaginatorOptions) {
		o.Limit = c.pageSize
	})
	ip := &instancePages{clusterID: clusterID}
	ip.pages = newPages(c, "list instances", "instance", p,
		func(out *docdb.DescribeDBInstancesOutput) (*string, []types.DBInstance) {
			return out.Marker, out.DBInstances
		},
		func(i types.DBInstance) string { return aws.ToString(i.DBInstanceIdentifier) },
		func(i types.DBInstance) (Instance, bool) {
			in := instanceOf(i)
			in.Writer = ip.writers[in.ID]
			return in, true
		})
	return ip
}

type instancePages struct {
	*pages[Instance, types.DBInstance, *docdb.DescribeDBInstancesOutput, *docdb.Options]
	clusterID string
	writers   map[string]bool // nil until the cluster has been described
}

func (p *instancePages) Next(ctx context.Context) ([]Instance, error) {
	if p.writers == nil {
		var cl types.DBCluster
		err := p.c.call(ctx, "list instances", func(ctx context.Context) error {
			out, err := p.c.api.DescribeDBClusters(ctx, &docdb.DescribeDBClustersInput{DBClusterIdentifier: aws.String(p.clusterID)})
			if err == nil && len(out.DBClusters) == 0 {
				err = &types.DBClusterNotFoundFault{Message: aws.String("DBCluster " + p.clusterID + " not found.")}
			}
			if err == nil {
				cl = out.DBClusters[0]
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		p.writers = make(map[string]bool, len(cl.DBClusterMembers))
		for _, m := range cl.DBClusterMembers {
			p.writers[aws.ToString(m.DBInstanceIdentifier)] = aws.ToBool(m.IsClusterWriter)
		}
	}
	return p.pages.Next(ctx)
}

// Snapshot describes one snapshot by identifier, with its type when known.
func (c *SDK) Snapshot(ctx context.Context, snapshotID string, snapshotType ...string) (Snapshot, error) {
	var s Snapshot
	err := c.call(ctx, "describe snapshot", func(ctx context.Context) error {
		out, err := c.api.DescribeDBClusterSnapshots(ctx, &docdb.DescribeDBClusterSnapshotsInput{
			DBClusterSnapshotIdentifier: aws.String(snapshotID),
			SnapshotType:                snapshotTypeOf(snapshotID, snapshotType),
		})
		if err != nil {
			return err
		}
		if len(out.DBClusterSnapshots) == 0 {
			// AWS answers an unknown id with this fault; a server that
			// answers an empty list means the same.
			return &types.DBClusterSnapshotNotFoundFault{Message: aws.String("DBClusterSnapshot " + snapshotID + " not found.")}
		}
		s = snapshotOf(out.DBClusterSnapshots[0], c.target.Region)
		return nil
	})
	return s, err
}

// snapshotTypeOf is the SnapshotType to describe one snapshot with: AWS
// finds an automated snapshot by identifier only when SnapshotType says
// automated. The type the caller knows comes first, else what the
// identifier says. nil when nothing says the snapshot is not manual: no
// type, as the AWS CLI sends none.
func snapshotTypeOf(id string, known []string) *string {
	for _, t := range known {
		if t != "" {
			return aws.String(t)
		}
	}
	if AutomatedID(id) {
		return aws.String(SnapshotAutomated)
	}
	return nil
}

// Tags lists the tags of a resource by ARN, asking the API whose ARN it is.
func (c *SDK) Tags(ctx context.Context, arn string) ([]Tag, error) {
	if ElasticARN(arn) {
		return c.elasticTags(ctx, arn)
	}
	var tags []Tag
	err := c.call(ctx, "list tags", func(ctx context.Context) error {
		out, err := c.api.ListTagsForResource(ctx, &docdb.ListTagsForResourceInput{ResourceName: aws.String(arn)})
		if err == nil {
			tags = convertAll(out.TagList, tagOf)
		}
		return err
	})
	return tags, err
}

// pager is what the SDK's paginators have in common: O is a page, P the
// options of their service's client.
type pager[O, P any] interface {
	HasMorePages() bool
	NextPage(context.Context, ...func(P)) (O, error)
}

// pages adapts an SDK paginator to Pages: each page's rows of type R, less
// those already listed, converted to T (a row convert refuses is dropped).
// The paginator keeps its marker when a page fails, so a failed Next asks
// for the same page again. A listing its guard stops has More, and its Next
// returns the same *Error of KindPaging, with no call, from then on.
type pages[T, R, O, P any] struct {
	c       *SDK
	op      string
	p       pager[O, P]
	page    func(O) (marker *string, rows []R)
	key     func(R) string
	convert func(R) (T, bool)
	guard   *pageGuard
	stopped error
}

func newPages[T, R, O, P any](c *SDK, op, what string, p pager[O, P], page func(O) (*string, []R), key func(R) string,
	convert func(R) (T, bool)) *pages[T, R, O, P] {
	return &pages[T, R, O, P]{c: c, op: op, p: p, page: page, key: key, convert: convert,
		guard: newPageGuard(what, c.maxPages, int(c.pageSize))}
}

func (p *pages[T, R, O, P]) More() bool { return p.stopped != nil || p.p.HasMorePages() }

func (p *pages[T, R, O, P]) Next(ctx context.Context) ([]T, error) {
	if p.stopped != nil {
		return nil, p.stopped
	}
	var page []T
	err := p.c.call(ctx, p.op, func(ctx context.Context) error {
		out, err := p.p.NextPage(ctx)
		if errors.Is(err, errPageTooLarge) {
			return p.stop(p.guard.stop(PageTooLarge))
		}
		if err != nil {
			return err
		}
		marker, rows := p.page(out)
		page = make([]T, 0, len(rows))
		for _, r := range rows {
			if !p.guard.fresh(p.key(r)) {
				continue
			}
			if t, ok := p.convert(r); ok {
				page = append(page, t)
			}
		}
		if stop := p.guard.end(marker); stop != nil {
			p.stop(stop) // the page's rows stand
		}
		return nil
	})
	return page, err
}

// stop ends the listing: the paginator, which holds the marker it would
// send next, goes.
func (p *pages[T, R, O, P]) stop(why *PagingError) error {
	p.stopped = Classify(p.op, p.c.target.Profile, why)
	p.p = nil
	return p.stopped
}
