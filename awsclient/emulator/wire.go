package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// The XML the Query protocol answers with. Element names and nesting follow
// botocore's docdb model (service-2.json), which aws-sdk-go-v2's
// deserializers, the AWS CLI and boto3 all read.

const (
	xmlns      = "http://rds.amazonaws.com/doc/2014-10-31/"
	apiVersion = "2014-10-31"
)

// timestamp is an ISO-8601 UTC time with milliseconds, as AWS writes them.
type timestamp time.Time

const timestampLayout = "2006-01-02T15:04:05.000Z"

func (t timestamp) MarshalText() ([]byte, error) {
	return []byte(time.Time(t).UTC().Format(timestampLayout)), nil
}

// list is a wrapped list: <DBClusters><DBCluster>…</DBCluster></DBClusters>.
// The member element is named by the XMLName tag of T; an empty list is still
// written, as AWS does.
type list[T any] struct{ Items []T }

type xmlCluster struct {
	XMLName                    struct{}  `xml:"DBCluster"`
	AvailabilityZones          []string  `xml:"AvailabilityZones>AvailabilityZone"`
	BackupRetentionPeriod      int       `xml:"BackupRetentionPeriod"`
	DBClusterIdentifier        string    `xml:"DBClusterIdentifier"`
	DBClusterParameterGroup    string    `xml:"DBClusterParameterGroup"`
	DBSubnetGroup              string    `xml:"DBSubnetGroup"`
	Status                     string    `xml:"Status"`
	EarliestRestorableTime     timestamp `xml:"EarliestRestorableTime"`
	Endpoint                   string    `xml:"Endpoint"`
	ReaderEndpoint             string    `xml:"ReaderEndpoint"`
	MultiAZ                    bool      `xml:"MultiAZ"`
	Engine                     string    `xml:"Engine"`
	EngineVersion              string    `xml:"EngineVersion"`
	LatestRestorableTime       timestamp `xml:"LatestRestorableTime"`
	Port                       int       `xml:"Port"`
	MasterUsername             string    `xml:"MasterUsername"`
	PreferredBackupWindow      string    `xml:"PreferredBackupWindow"`
	PreferredMaintenanceWindow string    `xml:"PreferredMaintenanceWindow"`
	DBClusterMembers           list[xmlMember]
	VpcSecurityGroups          list[xmlSecurityGroup]
	HostedZoneID               string    `xml:"HostedZoneId"`
	StorageEncrypted           bool      `xml:"StorageEncrypted"`
	KmsKeyID                   string    `xml:"KmsKeyId,omitempty"`
	DbClusterResourceID        string    `xml:"DbClusterResourceId"`
	DBClusterArn               string    `xml:"DBClusterArn"`
	ClusterCreateTime          timestamp `xml:"ClusterCreateTime"`
	LogExports                 []string  `xml:"EnabledCloudwatchLogsExports>member"`
	DeletionProtection         bool      `xml:"DeletionProtection"`
	StorageType                string    `xml:"StorageType"`
}

type xmlMember struct {
	XMLName                       struct{} `xml:"DBClusterMember"`
	DBInstanceIdentifier          string   `xml:"DBInstanceIdentifier"`
	IsClusterWriter               bool     `xml:"IsClusterWriter"`
	DBClusterParameterGroupStatus string   `xml:"DBClusterParameterGroupStatus"`
	PromotionTier                 int      `xml:"PromotionTier"`
}

type xmlSecurityGroup struct {
	XMLName            struct{} `xml:"VpcSecurityGroupMembership"`
	VpcSecurityGroupID string   `xml:"VpcSecurityGroupId"`
	Status             string   `xml:"Status"`
}

type xmlSnapshot struct {
	XMLName                     struct{}  `xml:"DBClusterSnapshot"`
	AvailabilityZones           []string  `xml:"AvailabilityZones>AvailabilityZone"`
	DBClusterSnapshotIdentifier string    `xml:"DBClusterSnapshotIdentifier"`
	DBClusterIdentifier         string    `xml:"DBClusterIdentifier"`
	SnapshotCreateTime          timestamp `xml:"SnapshotCreateTime"`
	Engine                      string    `xml:"Engine"`
	Status                      string    `xml:"Status"`
	Port                        int       `xml:"Port"`
	VpcID                       string    `xml:"VpcId"`
	ClusterCreateTime           timestamp `xml:"ClusterCreateTime"`
	MasterUsername              string    `xml:"MasterUsername"`
	EngineVersion               string    `xml:"EngineVersion"`
	SnapshotType                string    `xml:"SnapshotType"`
	PercentProgress             int       `xml:"PercentProgress"`
	StorageEncrypted            bool      `xml:"StorageEncrypted"`
	KmsKeyID                    string    `xml:"KmsKeyId,omitempty"`
	DBClusterSnapshotArn        string    `xml:"DBClusterSnapshotArn"`
	SourceDBClusterSnapshotArn  string    `xml:"SourceDBClusterSnapshotArn,omitempty"`
	StorageType                 string    `xml:"StorageType"`
}

type xmlInstance struct {
	XMLName                    struct{}     `xml:"DBInstance"`
	DBInstanceIdentifier       string       `xml:"DBInstanceIdentifier"`
	DBInstanceClass            string       `xml:"DBInstanceClass"`
	Engine                     string       `xml:"Engine"`
	DBInstanceStatus           string       `xml:"DBInstanceStatus"`
	Endpoint                   *xmlEndpoint `xml:"Endpoint,omitempty"`
	InstanceCreateTime         timestamp    `xml:"InstanceCreateTime"`
	PreferredBackupWindow      string       `xml:"PreferredBackupWindow"`
	BackupRetentionPeriod      int          `xml:"BackupRetentionPeriod"`
	VpcSecurityGroups          list[xmlSecurityGroup]
	AvailabilityZone           string         `xml:"AvailabilityZone"`
	DBSubnetGroup              xmlSubnetGroup `xml:"DBSubnetGroup"`
	PreferredMaintenanceWindow string         `xml:"PreferredMaintenanceWindow"`
	EngineVersion              string         `xml:"EngineVersion"`
	AutoMinorVersionUpgrade    bool           `xml:"AutoMinorVersionUpgrade"`
	PubliclyAccessible         bool           `xml:"PubliclyAccessible"`
	DBClusterIdentifier        string         `xml:"DBClusterIdentifier"`
	StorageEncrypted           bool           `xml:"StorageEncrypted"`
	KmsKeyID                   string         `xml:"KmsKeyId,omitempty"`
	DbiResourceID              string         `xml:"DbiResourceId"`
	CACertificateIdentifier    string         `xml:"CACertificateIdentifier"`
	PromotionTier              int            `xml:"PromotionTier"`
	DBInstanceArn              string         `xml:"DBInstanceArn"`
}

type xmlEndpoint struct {
	Address      string `xml:"Address"`
	Port         int    `xml:"Port"`
	HostedZoneID string `xml:"HostedZoneId"`
}

type xmlSubnetGroup struct {
	DBSubnetGroupName        string `xml:"DBSubnetGroupName"`
	DBSubnetGroupDescription string `xml:"DBSubnetGroupDescription"`
	VpcID                    string `xml:"VpcId"`
	SubnetGroupStatus        string `xml:"SubnetGroupStatus"`
}

type xmlTag struct {
	XMLName struct{} `xml:"Tag"`
	Key     string   `xml:"Key"`
	Value   string   `xml:"Value,omitempty"` // absent, not empty, when unset
}

// xmlGlobalCluster is a GlobalCluster; botocore names the list's element
// GlobalClusterMember, like the elements of its member list.
type xmlGlobalCluster struct {
	XMLName                 struct{} `xml:"GlobalClusterMember"`
	GlobalClusterIdentifier string   `xml:"GlobalClusterIdentifier"`
	GlobalClusterResourceID string   `xml:"GlobalClusterResourceId"`
	GlobalClusterArn        string   `xml:"GlobalClusterArn"`
	Status                  string   `xml:"Status"`
	Engine                  string   `xml:"Engine"`
	EngineVersion           string   `xml:"EngineVersion"`
	StorageEncrypted        bool     `xml:"StorageEncrypted"`
	DeletionProtection      bool     `xml:"DeletionProtection"`
	GlobalClusterMembers    list[xmlGlobalMember]
}

type xmlGlobalMember struct {
	XMLName               struct{} `xml:"GlobalClusterMember"`
	DBClusterArn          string   `xml:"DBClusterArn"`
	Readers               []string `xml:"Readers>member"`
	IsWriter              bool     `xml:"IsWriter"`
	SynchronizationStatus string   `xml:"SynchronizationStatus,omitempty"`
}

// Results, the {Op}Result element of each action.

type clustersResult struct {
	Marker     string `xml:"Marker,omitempty"`
	DBClusters list[xmlCluster]
}

type snapshotsResult struct {
	Marker             string `xml:"Marker,omitempty"`
	DBClusterSnapshots list[xmlSnapshot]
}

type createSnapshotResult struct {
	DBClusterSnapshot xmlSnapshot
}

// snapshotAttributesResult answers ModifyDBClusterSnapshotAttribute and
// DescribeDBClusterSnapshotAttributes.
type snapshotAttributesResult struct {
	DBClusterSnapshotAttributesResult xmlSnapshotAttributes
}

type xmlSnapshotAttributes struct {
	DBClusterSnapshotIdentifier string `xml:"DBClusterSnapshotIdentifier"`
	DBClusterSnapshotAttributes list[xmlSnapshotAttribute]
}

type xmlSnapshotAttribute struct {
	XMLName         struct{} `xml:"DBClusterSnapshotAttribute"`
	AttributeName   string   `xml:"AttributeName"`
	AttributeValues []string `xml:"AttributeValues>AttributeValue"`
}

type instancesResult struct {
	Marker      string `xml:"Marker,omitempty"`
	DBInstances list[xmlInstance]
}

type globalClustersResult struct {
	Marker         string `xml:"Marker,omitempty"`
	GlobalClusters list[xmlGlobalCluster]
}

type tagsResult struct {
	TagList list[xmlTag]
}

// xmlResult is an {Op}Result that writes its own XML.
type xmlResult interface{ appendXML(w *xmlWriter) }

// xmlWriter writes the answers by hand: encoding/xml's reflection cost an
// eighth of `docsnap clusters` at 1,000 clusters (and most of this
// endpoint's time). Each appendXML writes exactly the bytes encoding/xml
// makes of the same struct and its tags, which stay the reference
// (wire_test.go compares the two byte for byte): elements in field order, no
// indentation, an empty list as <X></X>, text escaped as xml.EscapeText does.
type xmlWriter []byte

func (w *xmlWriter) start(name string) { *w = append(append(append(*w, '<'), name...), '>') }
func (w *xmlWriter) end(name string)   { *w = append(append(append(*w, "</"...), name...), '>') }

func (w *xmlWriter) text(name, v string) {
	w.start(name)
	w.escape(v)
	w.end(name)
}

// textOmitEmpty is an `xml:",omitempty"` string.
func (w *xmlWriter) textOmitEmpty(name, v string) {
	if v != "" {
		w.text(name, v)
	}
}

func (w *xmlWriter) int(name string, v int) {
	w.start(name)
	*w = strconv.AppendInt(*w, int64(v), 10)
	w.end(name)
}

func (w *xmlWriter) bool(name string, v bool) {
	w.start(name)
	*w = strconv.AppendBool(*w, v)
	w.end(name)
}

func (w *xmlWriter) time(name string, t timestamp) {
	w.start(name)
	*w = time.Time(t).UTC().AppendFormat(*w, timestampLayout)
	w.end(name)
}

// strings is an `xml:"list>member"` []string: the list element even when
// empty, as encoding/xml writes it.
func (w *xmlWriter) strings(list, member string, v []string) {
	w.start(list)
	for _, s := range v {
		w.text(member, s)
	}
	w.end(list)
}

// escape writes v as character data. Printable ASCII other than "&'<> is
// written as it is; anything else goes through xml.EscapeText, which the
// encoder uses too (control characters and invalid UTF-8 become U+FFFD).
func (w *xmlWriter) escape(v string) {
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c < 0x20, c >= 0x7f, c == '"', c == '&', c == '\'', c == '<', c == '>':
			xml.EscapeText(w, []byte(v))
			return
		}
	}
	*w = append(*w, v...)
}

// Write appends p, for xml.EscapeText.
func (w *xmlWriter) Write(p []byte) (int, error) {
	*w = append(*w, p...)
	return len(p), nil
}

func (c *xmlCluster) appendXML(w *xmlWriter) {
	w.start("DBCluster")
	w.strings("AvailabilityZones", "AvailabilityZone", c.AvailabilityZones)
	w.int("BackupRetentionPeriod", c.BackupRetentionPeriod)
	w.text("DBClusterIdentifier", c.DBClusterIdentifier)
	w.text("DBClusterParameterGroup", c.DBClusterParameterGroup)
	w.text("DBSubnetGroup", c.DBSubnetGroup)
	w.text("Status", c.Status)
	w.time("EarliestRestorableTime", c.EarliestRestorableTime)
	w.text("Endpoint", c.Endpoint)
	w.text("ReaderEndpoint", c.ReaderEndpoint)
	w.bool("MultiAZ", c.MultiAZ)
	w.text("Engine", c.Engine)
	w.text("EngineVersion", c.EngineVersion)
	w.time("LatestRestorableTime", c.LatestRestorableTime)
	w.int("Port", c.Port)
	w.text("MasterUsername", c.MasterUsername)
	w.text("PreferredBackupWindow", c.PreferredBackupWindow)
	w.text("PreferredMaintenanceWindow", c.PreferredMaintenanceWindow)
	w.start("DBClusterMembers")
	for _, m := range c.DBClusterMembers.Items {
		w.start("DBClusterMember")
		w.text("DBInstanceIdentifier", m.DBInstanceIdentifier)
		w.bool("IsClusterWriter", m.IsClusterWriter)
		w.text("DBClusterParameterGroupStatus", m.DBClusterParameterGroupStatus)
		w.int("PromotionTier", m.PromotionTier)
		w.end("DBClusterMember")
	}
	w.end("DBClusterMembers")
	appendSecurityGroups(w, c.VpcSecurityGroups.Items)
	w.text("HostedZoneId", c.HostedZoneID)
	w.bool("StorageEncrypted", c.StorageEncrypted)
	w.textOmitEmpty("KmsKeyId", c.KmsKeyID)
	w.text("DbClusterResourceId", c.DbClusterResourceID)
	w.text("DBClusterArn", c.DBClusterArn)
	w.time("ClusterCreateTime", c.ClusterCreateTime)
	w.strings("EnabledCloudwatchLogsExports", "member", c.LogExports)
	w.bool("DeletionProtection", c.DeletionProtection)
	w.text("StorageType", c.StorageType)
	w.end("DBCluster")
}

func appendSecurityGroups(w *xmlWriter, groups []xmlSecurityGroup) {
	w.start("VpcSecurityGroups")
	for _, g := range groups {
		w.start("VpcSecurityGroupMembership")
		w.text("VpcSecurityGroupId", g.VpcSecurityGroupID)
		w.text("Status", g.Status)
		w.end("VpcSecurityGroupMembership")
	}
	w.end("VpcSecurityGroups")
}

func (s *xmlSnapshot) appendXML(w *xmlWriter) {
	w.start("DBClusterSnapshot")
	w.strings("AvailabilityZones", "AvailabilityZone", s.AvailabilityZones)
	w.text("DBClusterSnapshotIdentifier", s.DBClusterSnapshotIdentifier)
	w.text("DBClusterIdentifier", s.DBClusterIdentifier)
	w.time("SnapshotCreateTime", s.SnapshotCreateTime)
	w.text("Engine", s.Engine)
	w.text("Status", s.Status)
	w.int("Port", s.Port)
	w.text("VpcId", s.VpcID)
	w.time("ClusterCreateTime", s.ClusterCreateTime)
	w.text("MasterUsername", s.MasterUsername)
	w.text("EngineVersion", s.EngineVersion)
	w.text("SnapshotType", s.SnapshotType)
	w.int("PercentProgress", s.PercentProgress)
	w.bool("StorageEncrypted", s.StorageEncrypted)
	w.textOmitEmpty("KmsKeyId", s.KmsKeyID)
	w.text("DBClusterSnapshotArn", s.DBClusterSnapshotArn)
	w.textOmitEmpty("SourceDBClusterSnapshotArn", s.SourceDBClusterSnapshotArn)
	w.text("StorageType", s.StorageType)
	w.end("DBClusterSnapshot")
}

func (in *xmlInstance) appendXML(w *xmlWriter) {
	w.start("DBInstance")
	w.text("DBInstanceIdentifier", in.DBInstanceIdentifier)
	w.text("DBInstanceClass", in.DBInstanceClass)
	w.text("Engine", in.Engine)
	w.text("DBInstanceStatus", in.DBInstanceStatus)
	if e := in.Endpoint; e != nil {
		w.start("Endpoint")
		w.text("Address", e.Address)
		w.int("Port", e.Port)
		w.text("HostedZoneId", e.HostedZoneID)
		w.end("Endpoint")
	}
	w.time("InstanceCreateTime", in.InstanceCreateTime)
	w.text("PreferredBackupWindow", in.PreferredBackupWindow)
	w.int("BackupRetentionPeriod", in.BackupRetentionPeriod)
	appendSecurityGroups(w, in.VpcSecurityGroups.Items)
	w.text("AvailabilityZone", in.AvailabilityZone)
	w.start("DBSubnetGroup")
	w.text("DBSubnetGroupName", in.DBSubnetGroup.DBSubnetGroupName)
	w.text("DBSubnetGroupDescription", in.DBSubnetGroup.DBSubnetGroupDescription)
	w.text("VpcId", in.DBSubnetGroup.VpcID)
	w.text("SubnetGroupStatus", in.DBSubnetGroup.SubnetGroupStatus)
	w.end("DBSubnetGroup")
	w.text("PreferredMaintenanceWindow", in.PreferredMaintenanceWindow)
	w.text("EngineVersion", in.EngineVersion)
	w.bool("AutoMinorVersionUpgrade", in.AutoMinorVersionUpgrade)
	w.bool("PubliclyAccessible", in.PubliclyAccessible)
	w.text("DBClusterIdentifier", in.DBClusterIdentifier)
	w.bool("StorageEncrypted", in.StorageEncrypted)
	w.textOmitEmpty("KmsKeyId", in.KmsKeyID)
	w.text("DbiResourceId", in.DbiResourceID)
	w.text("CACertificateIdentifier", in.CACertificateIdentifier)
	w.int("PromotionTier", in.PromotionTier)
	w.text("DBInstanceArn", in.DBInstanceArn)
	w.end("DBInstance")
}

func (r clustersResult) appendXML(w *xmlWriter) {
	appendList(w, r.Marker, "DBClusters", r.DBClusters.Items, (*xmlCluster).appendXML)
}

func (r snapshotsResult) appendXML(w *xmlWriter) {
	appendList(w, r.Marker, "DBClusterSnapshots", r.DBClusterSnapshots.Items, (*xmlSnapshot).appendXML)
}

func (r createSnapshotResult) appendXML(w *xmlWriter) { r.DBClusterSnapshot.appendXML(w) }

func (r snapshotAttributesResult) appendXML(w *xmlWriter) {
	a := r.DBClusterSnapshotAttributesResult
	w.start("DBClusterSnapshotAttributesResult")
	w.text("DBClusterSnapshotIdentifier", a.DBClusterSnapshotIdentifier)
	w.start("DBClusterSnapshotAttributes")
	for _, attr := range a.DBClusterSnapshotAttributes.Items {
		w.start("DBClusterSnapshotAttribute")
		w.text("AttributeName", attr.AttributeName)
		w.strings("AttributeValues", "AttributeValue", attr.AttributeValues)
		w.end("DBClusterSnapshotAttribute")
	}
	w.end("DBClusterSnapshotAttributes")
	w.end("DBClusterSnapshotAttributesResult")
}

func (r instancesResult) appendXML(w *xmlWriter) {
	appendList(w, r.Marker, "DBInstances", r.DBInstances.Items, (*xmlInstance).appendXML)
}

func (r globalClustersResult) appendXML(w *xmlWriter) {
	appendList(w, r.Marker, "GlobalClusters", r.GlobalClusters.Items, func(g *xmlGlobalCluster, w *xmlWriter) {
		w.start("GlobalClusterMember")
		w.text("GlobalClusterIdentifier", g.GlobalClusterIdentifier)
		w.text("GlobalClusterResourceId", g.GlobalClusterResourceID)
		w.text("GlobalClusterArn", g.GlobalClusterArn)
		w.text("Status", g.Status)
		w.text("Engine", g.Engine)
		w.text("EngineVersion", g.EngineVersion)
		w.bool("StorageEncrypted", g.StorageEncrypted)
		w.bool("DeletionProtection", g.DeletionProtection)
		w.start("GlobalClusterMembers")
		for _, m := range g.GlobalClusterMembers.Items {
			w.start("GlobalClusterMember")
			w.text("DBClusterArn", m.DBClusterArn)
			w.strings("Readers", "member", m.Readers)
			w.bool("IsWriter", m.IsWriter)
			w.textOmitEmpty("SynchronizationStatus", m.SynchronizationStatus)
			w.end("GlobalClusterMember")
		}
		w.end("GlobalClusterMembers")
		w.end("GlobalClusterMember")
	})
}

func (r tagsResult) appendXML(w *xmlWriter) {
	appendList(w, "", "TagList", r.TagList.Items, func(t *xmlTag, w *xmlWriter) {
		w.start("Tag")
		w.text("Key", t.Key)
		w.textOmitEmpty("Value", t.Value)
		w.end("Tag")
	})
}

// appendList writes the marker, if any, and a wrapped list of items.
func appendList[T any](w *xmlWriter, marker, name string, items []T, item func(*T, *xmlWriter)) {
	w.textOmitEmpty("Marker", marker)
	w.start(name)
	for i := range items {
		item(&items[i], w)
	}
	w.end(name)
}

// apiError is an AWS error answer: a code, a message and an HTTP status.
type apiError struct {
	Status  int
	Code    string
	Message string
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func errorf(status int, code, format string, a ...any) *apiError {
	return &apiError{Status: status, Code: code, Message: fmt.Sprintf(format, a...)}
}

func invalidParameter(format string, a ...any) *apiError {
	return errorf(http.StatusBadRequest, "InvalidParameterValue", format, a...)
}

func missingParameter(name string) *apiError {
	return errorf(http.StatusBadRequest, "MissingParameter", "The request must contain the parameter %s.", name)
}

func clusterNotFound(id string) *apiError {
	return errorf(http.StatusNotFound, "DBClusterNotFoundFault", "DBCluster %s not found.", id)
}

func snapshotNotFound(id string) *apiError {
	return errorf(http.StatusNotFound, "DBClusterSnapshotNotFoundFault", "DBClusterSnapshot %s not found.", id)
}

func globalClusterNotFound(id string) *apiError {
	return errorf(http.StatusNotFound, "GlobalClusterNotFoundFault", "GlobalCluster %s not found.", id)
}

func instanceNotFound(id string) *apiError {
	return errorf(http.StatusNotFound, "DBInstanceNotFound", "DBInstance %s not found.", id)
}

var (
	errThrottled = &apiError{Status: http.StatusBadRequest, Code: "Throttling", Message: "Rate exceeded"}
	errInternal  = &apiError{Status: http.StatusInternalServerError, Code: "InternalFailure",
		Message: "The request processing has failed because of an unknown error, exception or failure."}
)

type xmlErrorResponse struct {
	XMLName   xml.Name `xml:"http://rds.amazonaws.com/doc/2014-10-31/ ErrorResponse"`
	Type      string   `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	RequestID string   `xml:"RequestId"`
}

// answer is a response ready to write: built in full before anything is
// written, so that a drop can happen after the action ran and an encoding
// failure never leaves half a document on the wire.
type answer struct {
	status int
	body   []byte
	pooled *xmlWriter // the buffer body lives in, if it came from answerBuffers
	// For docdb-elastic: its JSON's content type, and its error's code
	// (the x-amzn-ErrorType header).
	json      bool
	errorType string
}

// answerBuffers recycles the buffers results are written in: a page of 100
// clusters is some 250 kB, which would otherwise be grown anew, and
// collected, for every call.
var answerBuffers = sync.Pool{New: func() any { return new(xmlWriter) }}

// encodeResult writes <{Op}Response xmlns=…><{Op}Result>…</{Op}Result>
// <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></{Op}Response>.
func encodeResult(action string, result xmlResult, requestID string) answer {
	w := answerBuffers.Get().(*xmlWriter)
	*w = append((*w)[:0], xml.Header...)
	*w = append(*w, "<"+action+"Response xmlns=\""+xmlns+"\">"...)
	w.start(action + "Result")
	result.appendXML(w)
	w.end(action + "Result")
	w.start("ResponseMetadata")
	w.text("RequestId", requestID)
	w.end("ResponseMetadata")
	w.end(action + "Response")
	return answer{status: http.StatusOK, body: *w, pooled: w}
}

// release gives the answer's buffer back once it has been written (or
// dropped); a buffer grown huge by an odd answer is left to the collector.
func (a answer) release() {
	if a.pooled != nil && cap(*a.pooled) <= 4<<20 {
		answerBuffers.Put(a.pooled)
	}
}

func encodeError(e *apiError, requestID string) answer {
	typ := "Sender"
	if e.Status >= 500 {
		typ = "Receiver"
	}
	// Only strings, which encoding/xml always encodes (invalid characters
	// become U+FFFD), so there is no error to handle.
	body, _ := xml.Marshal(xmlErrorResponse{Type: typ, Code: e.Code, Message: e.Message, RequestID: requestID})
	return answer{status: e.Status, body: append([]byte(xml.Header), body...)}
}

func (a answer) write(w http.ResponseWriter, requestID string) {
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	if a.json {
		h.Set("Content-Type", "application/json")
	}
	if a.errorType != "" {
		h.Set("x-amzn-ErrorType", a.errorType)
	}
	h.Set("x-amzn-RequestId", requestID)
	h.Set("Content-Length", strconv.Itoa(len(a.body)))
	w.WriteHeader(a.status)
	w.Write(a.body)
}

// newRequestID returns a random UUID (version 4), as AWS request ids are.
func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(hex.EncodeToString(b[:]))
}

// formatUUID writes 32 hex digits in the 8-4-4-4-12 form.
func formatUUID(h string) string {
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
