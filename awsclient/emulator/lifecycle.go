package emulator

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/docsnap/docsnap/awsclient"
)

// What happens to a snapshot after it is taken: CopyDBClusterSnapshot,
// DeleteDBClusterSnapshot, ModifyDBClusterSnapshotAttribute and
// DescribeDBClusterSnapshotAttributes.

// MaxShares is how many accounts a manual snapshot may be shared with:
// "You can share a manual snapshot with up to 20 other AWS accounts"
// (DocumentDB developer guide, Sharing Amazon DocumentDB cluster snapshots;
// RDS's guide says the same of its snapshots).
const MaxShares = 20

// restoreAttribute is the one snapshot attribute there is.
const restoreAttribute = "restore"

// awsManagedAlias is the alias of the key AWS manages for RDS and
// DocumentDB in every account and region.
const awsManagedAlias = "alias/aws/rds"

// Link makes servers the regions of one account, so that a copy in one
// reads its source in another (a cross-region CopyDBClusterSnapshot). Call
// it before they serve. Servers of other accounts, or two of one region,
// are not linked.
func Link(servers ...*Server) {
	for _, s := range servers {
		peers := map[string]*Server{}
		for _, o := range servers {
			if o.opts.Account == s.opts.Account && peers[o.opts.Region] == nil {
				peers[o.opts.Region] = o
			}
		}
		s.peers = func(region string) *Server { return peers[region] }
	}
}

// peer is this account's server of region, or nil when there is none.
func (s *Server) peer(region string) *Server {
	if region == s.opts.Region {
		return s
	}
	if s.peers == nil {
		return nil
	}
	return s.peers(region)
}

// lookupSnapshot finds a snapshot named by identifier, by ARN of this
// account and region, or by the ARN of another account's snapshot shared
// with this one. The caller holds s.mu.
func (s *Server) lookupSnapshot(name string) *snapshot {
	if id := s.ids.resourceID(name, kindSnapshot); id != "" {
		return s.world.snapshotByID(id)
	}
	if sn := s.world.snapshotByID(name); sn != nil && sn.arn != "" {
		return sn
	}
	return nil
}

// copySource is what a copy takes from its source, read under the source
// region's lock.
type copySource struct {
	cluster   *cluster
	arn       string
	typ       string
	status    string
	encrypted bool
	tags      []awsclient.Tag
}

func (s *Server) copySnapshot(p params, now time.Time) (xmlResult, *apiError) {
	sourceArg, err := p.required("SourceDBClusterSnapshotIdentifier")
	if err != nil {
		return nil, err
	}
	targetArg, err := p.required("TargetDBClusterSnapshotIdentifier")
	if err != nil {
		return nil, err
	}
	tags, err := p.tags()
	if err != nil {
		return nil, err
	}
	copyTags, err := p.boolean("CopyTags")
	if err != nil {
		return nil, err
	}
	keyArg, _ := p.get("KmsKeyId")
	targetID, problems := awsclient.ValidateSnapshotID(targetArg)
	if problems := awsclient.Blocking(problems); len(problems) > 0 {
		return nil, invalidIdentifier("TargetDBClusterSnapshotIdentifier", targetArg, problems)
	}
	if problems := awsclient.ValidateExistingSnapshot(sourceArg); len(problems) > 0 {
		return nil, invalidIdentifier("SourceDBClusterSnapshotIdentifier", sourceArg, problems)
	}
	if problems := awsclient.Blocking(awsclient.ValidateTags(tags)); len(problems) > 0 {
		return nil, invalidParameter("Invalid Tags: %s.", joinProblems(problems, awsclient.Problem.String))
	}
	key, kerr := s.kmsKey(keyArg)
	if kerr != nil {
		return nil, kerr
	}

	from, region, err := s.sourceServer(p, sourceArg)
	if err != nil {
		return nil, err
	}
	src, ok := from.readSource(sourceArg, now)
	switch {
	case !ok:
		return nil, snapshotNotFound(sourceArg)
	case src.status != awsclient.StatusAvailable:
		return nil, errorf(http.StatusBadRequest, "InvalidDBClusterSnapshotStateFault",
			"DBClusterSnapshot %s is %s: only an available snapshot can be copied.", sourceArg, src.status)
	case !src.encrypted && keyArg != "":
		return nil, errorf(http.StatusBadRequest, "InvalidParameterCombination",
			"The snapshot %s is not encrypted: a copy of it cannot be given KmsKeyId.", sourceArg)
	case src.encrypted && keyArg == "" && region != s.opts.Region:
		return nil, invalidParameter("The snapshot %s is encrypted: a copy to %s needs KmsKeyId, a key of %s.",
			sourceArg, s.opts.Region, s.opts.Region)
	case src.encrypted && keyArg == "" && src.typ == awsclient.SnapshotShared:
		return nil, invalidParameter("The snapshot %s is another account's and encrypted: a copy of it needs KmsKeyId.", sourceArg)
	}
	if copyTags {
		tags = mergeTags(src.tags, tags)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.world
	switch {
	case w.snapshotByID(targetID) != nil:
		return nil, errorf(http.StatusBadRequest, "DBClusterSnapshotAlreadyExistsFault",
			"Cannot copy the cluster snapshot because one with the identifier %s already exists.", targetID)
	case w.manual >= s.opts.Quota:
		return nil, errorf(http.StatusBadRequest, "SnapshotQuotaExceeded",
			"Cannot create more than %d manual snapshots.", s.opts.Quota)
	}
	duration := snapshotDuration(s.opts.SnapshotDuration, src.cluster.sizeGiB)
	if region != s.opts.Region {
		duration *= 2 // across regions the data travels further
	}
	sn := &snapshot{
		id: targetID, typ: awsclient.SnapshotManual, cluster: src.cluster, created: now,
		status: awsclient.StatusAvailable, duration: duration, tags: tags,
		copying: true, source: src.arn, kmsKey: key,
	}
	w.addSnapshot(sn)
	return createSnapshotResult{DBClusterSnapshot: s.renderSnapshot(sn, now)}, nil
}

// sourceServer is the server, of this account, holding the source a copy
// names, and its region. A source in another region is named by ARN and
// needs the presigned URL that lets this region read it there.
func (s *Server) sourceServer(p params, source string) (*Server, string, *apiError) {
	region := s.opts.Region
	if strings.HasPrefix(source, "arn:") {
		region = strings.SplitN(source, ":", 5)[3] // the rules checked its shape
	}
	if region == s.opts.Region {
		return s, region, nil
	}
	presigned, _ := p.get("PreSignedUrl")
	if err := s.checkPresignedURL(presigned, source, region); err != nil {
		return nil, "", err
	}
	from := s.peer(region)
	if from == nil {
		return nil, "", snapshotNotFound(source)
	}
	return from, region, nil
}

// checkPresignedURL checks what AWS reads a cross-region source with: a
// CopyDBClusterSnapshot request for the same source, signed for the source
// region, naming this region as the destination. The signature itself is
// not checked, as no signature is here.
func (s *Server) checkPresignedURL(raw, source, region string) *apiError {
	if raw == "" {
		return invalidParameter("The source snapshot %s is in %s: a copy to %s needs PreSignedUrl "+
			"(the SDKs and the AWS CLI make it from SourceRegion).", source, region, s.opts.Region)
	}
	bad := func(why string) *apiError {
		return invalidParameter("The PreSignedUrl is not a presigned CopyDBClusterSnapshot request for %s in %s: %s.", source, region, why)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return bad("it is not a URL")
	}
	q := u.Query()
	scope := strings.Split(q.Get("X-Amz-Credential"), "/") // KEY/DATE/REGION/SERVICE/aws4_request
	switch {
	case q.Get("Action") != "CopyDBClusterSnapshot":
		return bad("its Action is not CopyDBClusterSnapshot")
	case q.Get("SourceDBClusterSnapshotIdentifier") != source:
		return bad("it names another source snapshot")
	case len(scope) != 5 || scope[2] != region || scope[3] != "rds":
		return bad("it is not signed for rds in " + region)
	case q.Get("X-Amz-Signature") == "":
		return bad("it has no signature")
	case q.Has("DestinationRegion") && q.Get("DestinationRegion") != s.opts.Region:
		return bad("its DestinationRegion is not " + s.opts.Region)
	}
	return nil
}

// readSource reads what a copy takes from the snapshot name names here.
func (s *Server) readSource(name string, now time.Time) (copySource, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sn := s.lookupSnapshot(name)
	if sn == nil {
		return copySource{}, false
	}
	status, _ := s.state(sn, now)
	return copySource{cluster: sn.cluster, arn: s.snapshotARN(sn), typ: sn.typ, status: status,
		encrypted: sn.cluster.encrypted, tags: slices.Clone(sn.tags)}, true
}

func (s *Server) snapshotARN(sn *snapshot) string {
	if sn.arn != "" {
		return sn.arn
	}
	return s.ids.arn(kindSnapshot, sn.id)
}

// kmsKey is the key ARN a copy is encrypted with for key as KmsKeyId names
// it: "" for none. This region's key is known by its ARN and id, and AWS's
// managed key by its alias; any other key is not accessible, nor a key of
// another region.
func (s *Server) kmsKey(key string) (string, *apiError) {
	if key == "" {
		return "", nil
	}
	notAccessible := func(why string) (string, *apiError) {
		return "", errorf(http.StatusBadRequest, "KMSKeyNotAccessibleFault", "The KMS key %s cannot be used: %s.", key, why)
	}
	if problems := awsclient.ValidateKMSKey(key, s.opts.Region); len(problems) > 0 {
		return notAccessible(problems[0].Message)
	}
	own := s.ids.kmsKey
	_, id, _ := strings.Cut(own, ":key/")
	aliasARN := "arn:aws:kms:" + s.opts.Region + ":" + s.opts.Account + ":" + awsManagedAlias
	switch key {
	case own, id, awsManagedAlias, aliasARN:
		return own, nil
	}
	return notAccessible("it does not exist in " + s.opts.Region + ", or this account may not use it")
}

// mergeTags is a copy's tags: its source's, then the request's, which win
// for a key both have.
func mergeTags(source, request []awsclient.Tag) []awsclient.Tag {
	out := slices.DeleteFunc(slices.Clone(source), func(t awsclient.Tag) bool {
		return slices.ContainsFunc(request, func(r awsclient.Tag) bool { return r.Key == t.Key })
	})
	return append(out, request...)
}

func (s *Server) deleteSnapshot(p params, now time.Time) (xmlResult, *apiError) {
	name, err := p.required("DBClusterSnapshotIdentifier")
	if err != nil {
		return nil, err
	}
	if problems := awsclient.ValidateExistingSnapshot(name); len(problems) > 0 {
		return nil, invalidIdentifier("DBClusterSnapshotIdentifier", name, problems)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sn := s.lookupSnapshot(name)
	if sn == nil || sn.typ == awsclient.SnapshotShared {
		return nil, snapshotNotFound(name)
	}
	status, _ := s.state(sn, now)
	switch {
	case sn.typ != awsclient.SnapshotManual:
		return nil, errorf(http.StatusBadRequest, "InvalidDBClusterSnapshotStateFault",
			"Only manual snapshots can be deleted: %s is %s and goes with its cluster's backup retention.", sn.id, sn.typ)
	case status == awsclient.StatusCreating:
		return nil, errorf(http.StatusBadRequest, "InvalidDBClusterSnapshotStateFault",
			"DBClusterSnapshot %s is being created: it can be deleted once it is available.", sn.id)
	}
	// Deleting a copy still copying cancels it, as AWS documents.
	x := s.renderSnapshot(sn, now)
	x.Status = "deleted"
	s.world.removeSnapshot(sn)
	return createSnapshotResult{DBClusterSnapshot: x}, nil
}

func (s *Server) describeSnapshotAttributes(p params, _ time.Time) (xmlResult, *apiError) {
	name, err := p.required("DBClusterSnapshotIdentifier")
	if err != nil {
		return nil, err
	}
	if problems := awsclient.ValidateExistingSnapshot(name); len(problems) > 0 {
		return nil, invalidIdentifier("DBClusterSnapshotIdentifier", name, problems)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	sn := s.lookupSnapshot(name)
	if sn == nil || sn.typ == awsclient.SnapshotShared {
		return nil, snapshotNotFound(name)
	}
	return attributesOf(sn), nil
}

func (s *Server) modifySnapshotAttribute(p params, now time.Time) (xmlResult, *apiError) {
	name, err := p.required("DBClusterSnapshotIdentifier")
	if err != nil {
		return nil, err
	}
	attr, err := p.required("AttributeName")
	if err != nil {
		return nil, err
	}
	if attr != restoreAttribute {
		return nil, invalidParameter("Invalid AttributeName %q: the only cluster snapshot attribute is %s.", attr, restoreAttribute)
	}
	if problems := awsclient.ValidateExistingSnapshot(name); len(problems) > 0 {
		return nil, invalidIdentifier("DBClusterSnapshotIdentifier", name, problems)
	}
	add, err := p.accounts("ValuesToAdd")
	if err != nil {
		return nil, err
	}
	remove, err := p.accounts("ValuesToRemove")
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sn := s.lookupSnapshot(name)
	if sn == nil || sn.typ == awsclient.SnapshotShared {
		return nil, snapshotNotFound(name)
	}
	if sn.typ != awsclient.SnapshotManual {
		return nil, errorf(http.StatusBadRequest, "InvalidDBClusterSnapshotStateFault",
			"Only manual snapshots can be shared: %s is %s; copy it to share the copy.", sn.id, sn.typ)
	}
	if sn.cluster.encrypted && slices.Contains(add, awsclient.ShareAll) {
		return nil, invalidParameter("The snapshot %s is encrypted: it can be shared with accounts by id, not with %s.",
			sn.id, awsclient.ShareAll)
	}
	shares := slices.DeleteFunc(slices.Clone(sn.shares), func(a string) bool { return slices.Contains(remove, a) })
	for _, a := range add {
		if !slices.Contains(shares, a) && !slices.Contains(remove, a) {
			shares = append(shares, a)
		}
	}
	accounts := len(shares)
	if slices.Contains(shares, awsclient.ShareAll) {
		accounts--
	}
	if accounts > MaxShares {
		return nil, errorf(http.StatusBadRequest, "SharedSnapshotQuotaExceeded",
			"A snapshot can be shared with at most %d accounts: %s would be shared with %d.", MaxShares, sn.id, accounts)
	}
	sn.shares = shares
	return attributesOf(sn), nil
}

// accounts reads a list of restore attribute values, each an account id or
// "all".
func (p params) accounts(name string) ([]string, *apiError) {
	ms, err := p.members(name, "AttributeValue")
	if err != nil {
		return nil, err
	}
	if len(ms) > maxAccountValues {
		return nil, invalidParameter("%s holds %d values: at most %d are taken.", name, len(ms), maxAccountValues)
	}
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		v, _ := m.get("")
		if problems := awsclient.ValidateAccountID(v); len(problems) > 0 {
			return nil, invalidParameter("Invalid %s value %q: %s.", name, v, problems[0].Message)
		}
		out = append(out, v)
	}
	return out, nil
}

// maxAccountValues bounds the values one request may name: more than the
// quota and "all" could never be kept.
const maxAccountValues = MaxShares + 1

func attributesOf(sn *snapshot) snapshotAttributesResult {
	values := sn.shares
	if values == nil {
		values = []string{}
	}
	return snapshotAttributesResult{DBClusterSnapshotAttributesResult: xmlSnapshotAttributes{
		DBClusterSnapshotIdentifier: sn.id,
		DBClusterSnapshotAttributes: list[xmlSnapshotAttribute]{[]xmlSnapshotAttribute{
			{AttributeName: restoreAttribute, AttributeValues: slices.Clone(values)},
		}},
	}}
}
