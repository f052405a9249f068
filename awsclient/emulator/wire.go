package emulator

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/http"
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

func (t timestamp) MarshalText() ([]byte, error) {
	return []byte(time.Time(t).UTC().Format("2006-01-02T15:04:05.000Z")), nil
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

type instancesResult struct {
	Marker      string `xml:"Marker,omitempty"`
	DBInstances list[xmlInstance]
}

type tagsResult struct {
	TagList list[xmlTag]
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
}

// encodeResult writes <{Op}Response xmlns=…><{Op}Result>…</{Op}Result>
// <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></{Op}Response>.
func encodeResult(action string, result any, requestID string) (answer, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	root := xml.StartElement{
		Name: xml.Name{Local: action + "Response"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: xmlns}},
	}
	meta := struct {
		RequestID string `xml:"RequestId"`
	}{requestID}
	err := enc.EncodeToken(root)
	if err == nil {
		err = enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: action + "Result"}})
	}
	if err == nil {
		err = enc.EncodeElement(meta, xml.StartElement{Name: xml.Name{Local: "ResponseMetadata"}})
	}
	if err == nil {
		err = enc.EncodeToken(root.End())
	}
	if err == nil {
		err = enc.Flush()
	}
	if err != nil {
		return answer{}, fmt.Errorf("encode %s result: %w", action, err)
	}
	return answer{status: http.StatusOK, body: buf.Bytes()}, nil
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
	h.Set("x-amzn-RequestId", requestID)
	h.Set("Content-Length", fmt.Sprint(len(a.body)))
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
