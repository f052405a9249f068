package awsclient

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/docdb"
	"github.com/aws/aws-sdk-go-v2/service/docdb/types"
	"github.com/aws/smithy-go/middleware"
	smithytime "github.com/aws/smithy-go/time"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// A fast path for DescribeDBClusters answers.
//
// Listing 1,000 clusters spent two thirds of its time (about 180 of 284 ms)
// in the SDK's generated deserializer, which walks the XML token by token
// through encoding/xml. clustersDecoder takes its place for that operation
// only: it reads a 2xx body into a buffer and decodes it with a scanner that
// knows the one shape that answer has (a page of 100 clusters through the
// client: 15 ms → 2.3 ms, BenchmarkDescribeClustersDecode). Whenever the
// body holds anything the scanner does not fully understand, the SDK's own
// deserializer gets the buffered bytes instead, so the output is always what
// the SDK would have made of the body (FuzzDescribeClustersDecode checks
// that). Error answers, the request id, retries and signing stay the SDK's;
// only the SDK's tracing span and duration metric of this one step are not
// recorded on the fast path (docsnap sets up neither).

// addClustersDecoder swaps clustersDecoder in for the deserializer of
// DescribeDBClusters, and leaves other operations alone.
func addClustersDecoder(stack *middleware.Stack) error {
	if stack.ID() != "DescribeDBClusters" {
		return nil
	}
	d := &clustersDecoder{}
	sdk, err := stack.Deserialize.Swap(d.ID(), d)
	d.sdk = sdk
	return err
}

type clustersDecoder struct {
	sdk middleware.DeserializeMiddleware // the SDK's deserializer
}

func (*clustersDecoder) ID() string { return "OperationDeserializer" }

// maxFastBody bounds the body read into memory; a larger one streams
// through the SDK's deserializer. A page of 100 clusters is about 250 kB.
const maxFastBody = 2 << 20

var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (d *clustersDecoder) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
	middleware.DeserializeOutput, middleware.Metadata, error,
) {
	out, md, err := next.HandleDeserialize(ctx, in)
	if err != nil {
		return out, md, err
	}
	resp, ok := out.RawResponse.(*smithyhttp.Response)
	if !ok || resp.StatusCode < 200 || resp.StatusCode >= 300 {
		return d.sdk.HandleDeserialize(ctx, in, received{out, md})
	}
	buf := bodyBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 { // a buffer grown for an odd answer is not kept
			bodyBuffers.Put(buf)
		}
	}()
	body := resp.Body
	defer func() { resp.Body = body }() // the SDK's middleware drains and closes it
	_, readErr := buf.ReadFrom(io.LimitReader(body, maxFastBody+1))
	if readErr == nil && buf.Len() <= maxFastBody {
		if result, ok := scanClusters(buf.Bytes()); ok {
			out.Result = result
			return out, md, nil
		}
	}
	// The SDK reads what was read, then the rest or the same error.
	rest := io.Reader(body)
	if readErr != nil {
		rest = errReader{readErr}
	}
	resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(buf.Bytes()), rest))
	return d.sdk.HandleDeserialize(ctx, in, received{out, md})
}

// received hands the SDK's deserializer the answer already received.
type received struct {
	out middleware.DeserializeOutput
	md  middleware.Metadata
}

func (r received) HandleDeserialize(context.Context, middleware.DeserializeInput) (
	middleware.DeserializeOutput, middleware.Metadata, error,
) {
	return r.out, r.md, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// scanClusters decodes a DescribeDBClusters answer as the SDK does: the
// root element, whatever its name, holds DescribeDBClustersResult, which
// holds Marker and DBClusters; names match case-insensitively; unknown
// elements are skipped at any depth; nothing after the result is read. ok
// is false for anything else, and for anything the SDK would refuse.
func scanClusters(body []byte) (*docdb.DescribeDBClustersOutput, bool) {
	s := &scanner{b: body}
	s.consume(`<?xml version="1.0" encoding="UTF-8"?>`)
	root, empty, ok := s.child(nil)
	if !ok || root == nil || empty {
		return nil, false
	}
	for {
		name, empty, ok := s.child(root)
		if !ok || name == nil {
			return nil, false
		}
		if !equalFold(name, "DescribeDBClustersResult") {
			if !s.skip(name, empty, 0) {
				return nil, false
			}
			continue
		}
		out := &docdb.DescribeDBClustersOutput{}
		ok = s.each(name, empty, func(name []byte, empty bool) bool {
			switch {
			case equalFold(name, "DBClusters"):
				return list(s, name, empty, &out.DBClusters, "DBCluster", (*scanner).cluster)
			case equalFold(name, "Marker"):
				return s.str(name, empty, &out.Marker)
			}
			return s.skip(name, empty, 0)
		})
		return out, ok
	}
}

func (s *scanner) cluster(c *types.DBCluster, name []byte, empty bool) bool {
	return s.each(name, empty, func(name []byte, empty bool) bool {
		var key [48]byte
		switch string(lower(key[:0], name)) {
		case "associatedroles":
			return list(s, name, empty, &c.AssociatedRoles, "DBClusterRole", func(s *scanner, r *types.DBClusterRole, name []byte, empty bool) bool {
				return s.each(name, empty, func(name []byte, empty bool) bool {
					switch {
					case equalFold(name, "RoleArn"):
						return s.str(name, empty, &r.RoleArn)
					case equalFold(name, "Status"):
						return s.str(name, empty, &r.Status)
					}
					return s.skip(name, empty, 0)
				})
			})
		case "availabilityzones":
			return list(s, name, empty, &c.AvailabilityZones, "AvailabilityZone", (*scanner).member)
		case "backupretentionperiod":
			return s.int32(name, empty, &c.BackupRetentionPeriod)
		case "clonegroupid":
			return s.str(name, empty, &c.CloneGroupId)
		case "clustercreatetime":
			return s.time(name, empty, &c.ClusterCreateTime)
		case "dbclusterarn":
			return s.str(name, empty, &c.DBClusterArn)
		case "dbclusteridentifier":
			return s.str(name, empty, &c.DBClusterIdentifier)
		case "dbclustermembers":
			return list(s, name, empty, &c.DBClusterMembers, "DBClusterMember", (*scanner).clusterMember)
		case "dbclusterparametergroup":
			return s.str(name, empty, &c.DBClusterParameterGroup)
		case "dbsubnetgroup":
			return s.str(name, empty, &c.DBSubnetGroup)
		case "dbclusterresourceid":
			return s.str(name, empty, &c.DbClusterResourceId)
		case "deletionprotection":
			return s.bool(name, empty, &c.DeletionProtection)
		case "earliestrestorabletime":
			return s.time(name, empty, &c.EarliestRestorableTime)
		case "enabledcloudwatchlogsexports":
			return list(s, name, empty, &c.EnabledCloudwatchLogsExports, "member", (*scanner).member)
		case "endpoint":
			return s.str(name, empty, &c.Endpoint)
		case "engine":
			return s.str(name, empty, &c.Engine)
		case "engineversion":
			return s.str(name, empty, &c.EngineVersion)
		case "hostedzoneid":
			return s.str(name, empty, &c.HostedZoneId)
		case "iooptimizednextallowedmodificationtime":
			return s.time(name, empty, &c.IOOptimizedNextAllowedModificationTime)
		case "kmskeyid":
			return s.str(name, empty, &c.KmsKeyId)
		case "latestrestorabletime":
			return s.time(name, empty, &c.LatestRestorableTime)
		case "masterusername":
			return s.str(name, empty, &c.MasterUsername)
		case "masterusersecret":
			if c.MasterUserSecret == nil {
				c.MasterUserSecret = &types.ClusterMasterUserSecret{}
			}
			m := c.MasterUserSecret
			return s.each(name, empty, func(name []byte, empty bool) bool {
				switch {
				case equalFold(name, "KmsKeyId"):
					return s.str(name, empty, &m.KmsKeyId)
				case equalFold(name, "SecretArn"):
					return s.str(name, empty, &m.SecretArn)
				case equalFold(name, "SecretStatus"):
					return s.str(name, empty, &m.SecretStatus)
				}
				return s.skip(name, empty, 0)
			})
		case "multiaz":
			return s.bool(name, empty, &c.MultiAZ)
		case "networktype":
			return s.str(name, empty, &c.NetworkType)
		case "percentprogress":
			return s.str(name, empty, &c.PercentProgress)
		case "port":
			return s.int32(name, empty, &c.Port)
		case "preferredbackupwindow":
			return s.str(name, empty, &c.PreferredBackupWindow)
		case "preferredmaintenancewindow":
			return s.str(name, empty, &c.PreferredMaintenanceWindow)
		case "readerendpoint":
			return s.str(name, empty, &c.ReaderEndpoint)
		case "readreplicaidentifiers":
			return list(s, name, empty, &c.ReadReplicaIdentifiers, "ReadReplicaIdentifier", (*scanner).member)
		case "replicationsourceidentifier":
			return s.str(name, empty, &c.ReplicationSourceIdentifier)
		case "serverlessv2scalingconfiguration":
			if c.ServerlessV2ScalingConfiguration == nil {
				c.ServerlessV2ScalingConfiguration = &types.ServerlessV2ScalingConfigurationInfo{}
			}
			v := c.ServerlessV2ScalingConfiguration
			return s.each(name, empty, func(name []byte, empty bool) bool {
				switch {
				case equalFold(name, "MaxCapacity"):
					return s.float64(name, empty, &v.MaxCapacity)
				case equalFold(name, "MinCapacity"):
					return s.float64(name, empty, &v.MinCapacity)
				}
				return s.skip(name, empty, 0)
			})
		case "status":
			return s.str(name, empty, &c.Status)
		case "storageencrypted":
			return s.bool(name, empty, &c.StorageEncrypted)
		case "storagetype":
			return s.str(name, empty, &c.StorageType)
		case "vpcsecuritygroups":
			return list(s, name, empty, &c.VpcSecurityGroups, "VpcSecurityGroupMembership", func(s *scanner, g *types.VpcSecurityGroupMembership, name []byte, empty bool) bool {
				return s.each(name, empty, func(name []byte, empty bool) bool {
					switch {
					case equalFold(name, "Status"):
						return s.str(name, empty, &g.Status)
					case equalFold(name, "VpcSecurityGroupId"):
						return s.str(name, empty, &g.VpcSecurityGroupId)
					}
					return s.skip(name, empty, 0)
				})
			})
		}
		return s.skip(name, empty, 0)
	})
}

func (s *scanner) clusterMember(m *types.DBClusterMember, name []byte, empty bool) bool {
	return s.each(name, empty, func(name []byte, empty bool) bool {
		switch {
		case equalFold(name, "DBClusterParameterGroupStatus"):
			return s.str(name, empty, &m.DBClusterParameterGroupStatus)
		case equalFold(name, "DBInstanceIdentifier"):
			return s.str(name, empty, &m.DBInstanceIdentifier)
		case equalFold(name, "IsClusterWriter"):
			return s.bool(name, empty, &m.IsClusterWriter)
		case equalFold(name, "PromotionTier"):
			return s.int32(name, empty, &m.PromotionTier)
		}
		return s.skip(name, empty, 0)
	})
}

// list decodes a wrapped list, as the SDK does: even an empty one is a
// non-nil slice, a second one appends, children not named member are
// skipped.
func list[T any](s *scanner, name []byte, empty bool, dst *[]T, member string, decode func(*scanner, *T, []byte, bool) bool) bool {
	if *dst == nil {
		*dst = []T{}
	}
	return s.each(name, empty, func(name []byte, empty bool) bool {
		if !equalFold(name, member) {
			return s.skip(name, empty, 0)
		}
		var v T
		if !decode(s, &v, name, empty) {
			return false
		}
		*dst = append(*dst, v)
		return true
	})
}

// Scalars, parsed with the functions the SDK's deserializer uses.

func (s *scanner) member(v *string, name []byte, empty bool) bool {
	text, ok := s.value(name, empty)
	*v = string(text)
	return ok
}

func (s *scanner) str(name []byte, empty bool, dst **string) bool {
	text, ok := s.value(name, empty)
	*dst = box(&s.strings, string(text))
	return ok
}

func (s *scanner) int32(name []byte, empty bool, dst **int32) bool {
	text, ok := s.value(name, empty)
	n, err := strconv.ParseInt(string(text), 10, 64)
	*dst = box(&s.int32s, int32(n)) // the SDK truncates too
	return ok && err == nil
}

func (s *scanner) bool(name []byte, empty bool, dst **bool) bool {
	text, ok := s.value(name, empty)
	v, err := strconv.ParseBool(string(text))
	*dst = box(&s.bools, v)
	return ok && err == nil
}

func (s *scanner) float64(name []byte, empty bool, dst **float64) bool {
	text, ok := s.value(name, empty)
	v, err := strconv.ParseFloat(string(text), 64)
	*dst = &v
	return ok && err == nil
}

func (s *scanner) time(name []byte, empty bool, dst **time.Time) bool {
	text, ok := s.value(name, empty)
	v, err := smithytime.ParseDateTime(string(text))
	*dst = box(&s.times, v)
	return ok && err == nil
}

// box returns a pointer to v in *chunk, which it replaces with a new one
// when full: the output's many small pointers cost one allocation per 64.
func box[T any](chunk *[]T, v T) *T {
	if len(*chunk) == cap(*chunk) {
		*chunk = make([]T, 0, 64)
	}
	*chunk = append(*chunk, v)
	return &(*chunk)[len(*chunk)-1]
}

// scanner reads the XML that Query answers are written in, as
// encoding/xml reads it: elements with no attributes but an xmlns on the
// root, character data with the predefined entities and character
// references, and an XML declaration. Anything else (comments, CDATA,
// processing instructions, DOCTYPE, attributes, prefixes, whitespace inside
// tags, \r, text encoding/xml would refuse, deep nesting) makes it fail.
type scanner struct {
	b    []byte
	i    int
	text []byte // scratch for character data with references

	// Chunks the output's pointers point into (see box).
	strings []string
	int32s  []int32
	bools   []bool
	times   []time.Time
}

// maxSkipDepth bounds how deep unknown elements may nest.
const maxSkipDepth = 32

func (s *scanner) consume(prefix string) bool {
	if hasPrefix(s.b[s.i:], prefix) {
		s.i += len(prefix)
		return true
	}
	return false
}

func hasPrefix(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && string(b[:len(prefix)]) == prefix
}

// each calls f on each child element of the element name, up to its end
// tag; character data between them must be valid and is ignored, as the SDK
// ignores it. f reads the child to its end.
func (s *scanner) each(name []byte, empty bool, f func(name []byte, empty bool) bool) bool {
	if empty {
		return true
	}
	for {
		child, empty, ok := s.child(name)
		if !ok || child == nil {
			return ok
		}
		if !f(child, empty) {
			return false
		}
	}
}

// child reads up to the next start tag, which it returns with whether it
// is an empty-element tag (<Name/>), or to the end tag of parent, for which
// it returns a nil name. A nil parent means the document: its start tag may
// carry an xmlns, and there is no end tag to find.
func (s *scanner) child(parent []byte) (name []byte, empty, ok bool) {
	if _, ok := s.chars(); !ok || s.i == len(s.b) {
		return nil, false, false
	}
	s.i++ // '<'
	if parent != nil && s.consume("/") {
		end := s.name()
		return nil, false, bytes.Equal(end, parent) && s.consume(">")
	}
	if name = s.name(); name == nil {
		return nil, false, false
	}
	if parent == nil && s.consume(` xmlns="`) && !s.attrValue() {
		return nil, false, false
	}
	if s.consume("/>") {
		return name, true, true
	}
	return name, false, s.consume(">")
}

// attrValue reads the rest of an xmlns value: printable ASCII, no
// references.
func (s *scanner) attrValue() bool {
	for ; s.i < len(s.b); s.i++ {
		switch c := s.b[s.i]; {
		case c == '"':
			s.i++
			return true
		case c < 0x20 || c >= 0x7f || c == '<' || c == '&':
			return false
		}
	}
	return false
}

// name reads an element name: ASCII letters, digits, _ . and -, not
// starting with a digit, . or -.
func (s *scanner) name() []byte {
	start := s.i
	if s.i == len(s.b) || !nameStart[s.b[s.i]] {
		return nil
	}
	for s.i++; s.i < len(s.b) && nameByte[s.b[s.i]]; s.i++ {
	}
	return s.b[start:s.i]
}

var nameStart, nameByte = func() (start, more [256]bool) {
	for c := range 256 {
		start[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
		more[c] = start[c] || '0' <= c && c <= '9' || c == '.' || c == '-'
	}
	return start, more
}()

// value reads the text of an element with no children, up to its end tag.
// The result is valid until the next call.
func (s *scanner) value(name []byte, empty bool) ([]byte, bool) {
	if empty {
		return nil, true
	}
	text, ok := s.chars()
	return text, ok && s.consume("</") && bytes.Equal(s.name(), name) && s.consume(">")
}

// skip reads an element whose content does not matter, which must still be
// what the SDK can read.
func (s *scanner) skip(name []byte, empty bool, depth int) bool {
	return depth < maxSkipDepth && s.each(name, empty, func(name []byte, empty bool) bool {
		return s.skip(name, empty, depth+1)
	})
}

// chars reads character data up to the next '<' or the end of the body,
// replacing references, and checks every character as encoding/xml does.
// The result is valid until the next call.
func (s *scanner) chars() ([]byte, bool) {
	start := s.i
	s.text = s.text[:0]
	plain := true // no references yet: the text is b[start:i]
	for {
		run := s.i
		for s.i < len(s.b) && plainText[s.b[s.i]] {
			s.i++
		}
		if !plain {
			s.text = append(s.text, s.b[run:s.i]...)
		}
		if s.i == len(s.b) || s.b[s.i] == '<' {
			break
		}
		switch c := s.b[s.i]; {
		case c == '&':
			r, n := reference(s.b[s.i:])
			if n == 0 {
				return nil, false
			}
			if plain {
				s.text, plain = append(s.text, s.b[start:s.i]...), false
			}
			s.text = utf8.AppendRune(s.text, r)
			s.i += n
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(s.b[s.i:])
			if r == utf8.RuneError && n == 1 || !xmlChar(r) {
				return nil, false
			}
			if !plain {
				s.text = append(s.text, s.b[s.i:s.i+n]...)
			}
			s.i += n
		case c == '>' && !(s.i-start >= 2 && s.b[s.i-1] == ']' && s.b[s.i-2] == ']'): // ]]> is not text
			if !plain {
				s.text = append(s.text, c)
			}
			s.i++
		default: // control characters; \r too, which encoding/xml rewrites
			return nil, false
		}
	}
	if plain {
		return s.b[start:s.i], true
	}
	return s.text, true
}

// plainText are the bytes chars takes as they are: printable ASCII but for
// < & and >, tab and newline.
var plainText = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '<' && c != '&' && c != '>'
	}
	t['\t'], t['\n'] = true, true
	return t
}()

// reference decodes the entity or character reference at the start of b
// (&amp; &lt; &gt; &apos; &quot; &#NN; &#xNN;); n is 0 if there is none that
// encoding/xml would accept as a character of its range.
func reference(b []byte) (r rune, n int) {
	for _, e := range [...]struct {
		ref string
		r   rune
	}{{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&apos;", '\''}, {"&quot;", '"'}} {
		if hasPrefix(b, e.ref) {
			return e.r, len(e.ref)
		}
	}
	base, i := 10, 2
	switch {
	case hasPrefix(b, "&#x"):
		base, i = 16, 3
	case !hasPrefix(b, "&#"):
		return 0, 0
	}
	end := bytes.IndexByte(b[i:min(len(b), i+9)], ';')
	if end < 1 {
		return 0, 0
	}
	v, err := strconv.ParseUint(string(b[i:i+end]), base, 32)
	if err != nil || v > utf8.MaxRune || !xmlChar(rune(v)) {
		return 0, 0
	}
	return rune(v), i + end + 1
}

// xmlChar is the Char production of XML 1.0, which encoding/xml checks.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// equalFold is strings.EqualFold for an ASCII name.
func equalFold(name []byte, s string) bool {
	if len(name) != len(s) {
		return false
	}
	for i := range name {
		if lowerByte(name[i]) != lowerByte(s[i]) {
			return false
		}
	}
	return true
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// lower appends name in lower case to dst.
func lower(dst, name []byte) []byte {
	for _, c := range name {
		dst = append(dst, lowerByte(c))
	}
	return dst
}
