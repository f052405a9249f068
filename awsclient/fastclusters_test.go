package awsclient_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/docdb"
	"github.com/aws/aws-sdk-go-v2/service/docdb/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator"
)

// The DescribeDBClusters fast path (fastclusters.go) against the SDK's own
// deserializer: for any body, it either falls back or yields exactly what
// the SDK yields.

// canned is the answer cannedHTTP gives to a request carrying it in its
// context.
type canned struct {
	status int
	body   io.Reader
}

type cannedKey struct{}

var cannedHTTP = smithyhttp.ClientDoFunc(func(r *http.Request) (*http.Response, error) {
	c := r.Context().Value(cannedKey{}).(canned)
	return &http.Response{StatusCode: c.status, Status: http.StatusText(c.status), Request: r,
		Header: http.Header{"Content-Type": {"text/xml"}, "X-Amzn-Requestid": {"0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"}},
		Body:   io.NopCloser(c.body)}, nil
})

// sdkClient is a plain SDK client; fastClient the same with the fast path.
var sdkClient, fastClient = func() (*docdb.Client, *docdb.Client) {
	o := docdb.Options{Region: "us-east-1", RetryMaxAttempts: 1, HTTPClient: cannedHTTP,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
	fast := o
	fast.APIOptions = []func(*middleware.Stack) error{awsclient.AddClustersDecoder}
	return docdb.New(o), docdb.New(fast)
}()

func describe(client *docdb.Client, status int, body io.Reader) (*docdb.DescribeDBClustersOutput, error) {
	ctx := context.WithValue(context.Background(), cannedKey{}, canned{status, body})
	return client.DescribeDBClusters(ctx, &docdb.DescribeDBClustersInput{})
}

// sameOutput compares two outputs but for their metadata, which holds the
// raw response.
func sameOutput(a, b *docdb.DescribeDBClustersOutput) bool { return dump(a) == dump(b) }

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// checkBody is the property: the scanner, when it accepts body, decodes
// exactly what the SDK does, and the client with the fast path answers
// exactly what a plain one does, error or not. It reports whether the
// scanner accepted the body.
func checkBody(t *testing.T, body []byte) (fast bool) {
	t.Helper()
	want, wantErr := describe(sdkClient, http.StatusOK, bytes.NewReader(body))
	got, ok := awsclient.ScanClusters(body)
	if ok {
		if wantErr != nil {
			t.Fatalf("the scanner accepted what the SDK refuses (%v):\n%q", wantErr, body)
		}
		if !sameOutput(got, want) {
			t.Fatalf("the scanner and the SDK disagree on\n%q\n scanner %s\n     SDK %s", body, dump(got), dump(want))
		}
	}
	got, err := describe(fastClient, http.StatusOK, bytes.NewReader(body))
	if errText(err) != errText(wantErr) || !sameOutput(got, want) {
		t.Fatalf("with the fast path %s (error %v), without %s (error %v), for\n%q", dump(got), err, dump(want), wantErr, body)
	}
	return ok
}

// dump writes an output with every pointer followed, nil and empty told
// apart, and NaN equal to itself (where reflect.DeepEqual has it unequal),
// leaving out the metadata.
func dump(out *docdb.DescribeDBClustersOutput) string {
	var b strings.Builder
	canon(&b, reflect.ValueOf(out))
	return b.String()
}

func canon(b *strings.Builder, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		b.WriteByte('&')
		canon(b, v.Elem())
	case reflect.Slice:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		b.WriteByte('[')
		for i := range v.Len() {
			canon(b, v.Index(i))
			b.WriteString(", ")
		}
		b.WriteByte(']')
	case reflect.Struct:
		if t, ok := v.Interface().(time.Time); ok {
			b.WriteString(t.String())
			return
		}
		b.WriteByte('{')
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() && f.Name != "ResultMetadata" {
				b.WriteString(f.Name + ": ")
				canon(b, v.Field(i))
				b.WriteString(", ")
			}
		}
		b.WriteByte('}')
	case reflect.String:
		fmt.Fprintf(b, "%q", v.String())
	default:
		fmt.Fprint(b, v.Interface())
	}
}

// answer is the body the local endpoint gives to a DescribeDBClusters form.
func answer(t testing.TB, s *emulator.Server, form url.Values) []byte {
	t.Helper()
	form.Set("Action", "DescribeDBClusters")
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	return w.Body.Bytes()
}

// hostileValues are strings a fleet may hold that XML must escape or cannot
// carry.
var hostileValues = []string{`a&b<c>d"e'f`, "o'brien", "tab\tnew\nline\rcr", "ctl\x01\x7f", "ünï 雪 🚀", "bad\xffutf8", "]]>", "&#65;"}

var fleets = map[string]emulator.Fleet{
	"demo":      emulator.DemoFleet(),
	"generated": emulator.GeneratedFleet(250),
	"hostile": func() emulator.Fleet {
		var f emulator.Fleet
		for i, v := range hostileValues {
			f.Clusters = append(f.Clusters, emulator.ClusterSpec{ID: fmt.Sprintf("h%d-%s", i, v), Engine: awsclient.Engine,
				EngineVersion: v, Status: v, BackupWindow: v, MaintenanceWindow: v, LogExports: []string{v},
				Instances: []emulator.InstanceSpec{{ID: fmt.Sprintf("h%d-%s-1", i, v), Writer: true}}})
		}
		return f
	}(),
}

// endpointPages are every page of every fleet, at 100 and at 20 records.
func endpointPages(t testing.TB) map[string][]byte {
	pages := map[string][]byte{}
	for name, fleet := range fleets {
		s := emulator.New(emulator.Options{})
		s.Load(fleet)
		for _, size := range []string{"100", "20"} {
			for n, marker := 1, ""; ; n++ {
				body := answer(t, s, url.Values{"MaxRecords": {size}, "Marker": {marker}})
				pages[fmt.Sprintf("%s, %s a page, page %d", name, size, n)] = body
				out, err := describe(sdkClient, http.StatusOK, bytes.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				if marker = aws.ToString(out.Marker); marker == "" {
					break
				}
			}
		}
	}
	return pages
}

// clusterAnswers are answers of one cluster each: small seeds for the fuzzer.
func clusterAnswers(t testing.TB) [][]byte {
	var out [][]byte
	for _, fleet := range fleets {
		s := emulator.New(emulator.Options{})
		s.Load(fleet)
		for i, c := range fleet.Clusters {
			if i%25 == 0 {
				out = append(out, answer(t, s, url.Values{"DBClusterIdentifier": {c.ID}}))
			}
		}
	}
	return out
}

// doc wraps a result's content in an answer as AWS writes it.
func doc(result string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<DescribeDBClustersResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><DescribeDBClustersResult>` + result +
		`</DescribeDBClustersResult><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></DescribeDBClustersResponse>`
}

func cluster(fields string) string {
	return "<DBClusters><DBCluster>" + fields + "</DBCluster></DBClusters>"
}

// everyField sets every field the SDK knows, with the list member names of
// botocore's model.
const everyField = `<AssociatedRoles><DBClusterRole><RoleArn>arn:aws:iam::1:role/r</RoleArn><Status>ACTIVE</Status></DBClusterRole></AssociatedRoles>` +
	`<AvailabilityZones><AvailabilityZone>us-east-1a</AvailabilityZone><AvailabilityZone>us-east-1b</AvailabilityZone></AvailabilityZones>` +
	`<BackupRetentionPeriod>7</BackupRetentionPeriod><CloneGroupId>cg</CloneGroupId><ClusterCreateTime>2024-05-01T12:34:56.789Z</ClusterCreateTime>` +
	`<DBClusterArn>arn:aws:rds:us-east-1:1:cluster:c</DBClusterArn><DBClusterIdentifier>c</DBClusterIdentifier>` +
	`<DBClusterMembers><DBClusterMember><DBClusterParameterGroupStatus>in-sync</DBClusterParameterGroupStatus><DBInstanceIdentifier>c-1</DBInstanceIdentifier><IsClusterWriter>true</IsClusterWriter><PromotionTier>1</PromotionTier></DBClusterMember></DBClusterMembers>` +
	`<DBClusterParameterGroup>default.docdb5.0</DBClusterParameterGroup><DBSubnetGroup>default</DBSubnetGroup><DbClusterResourceId>cluster-X</DbClusterResourceId>` +
	`<DeletionProtection>false</DeletionProtection><EarliestRestorableTime>2024-05-02T00:00:00Z</EarliestRestorableTime>` +
	`<EnabledCloudwatchLogsExports><member>audit</member><member>profiler</member></EnabledCloudwatchLogsExports>` +
	`<Endpoint>c.cluster-x.docdb.amazonaws.com</Endpoint><Engine>docdb</Engine><EngineVersion>5.0.0</EngineVersion><HostedZoneId>Z1</HostedZoneId>` +
	`<IOOptimizedNextAllowedModificationTime>2024-06-01T00:00:00+02:00</IOOptimizedNextAllowedModificationTime><KmsKeyId>k</KmsKeyId>` +
	`<LatestRestorableTime>2024-05-03T00:00:00.5Z</LatestRestorableTime><MasterUserSecret><KmsKeyId>k2</KmsKeyId><SecretArn>s</SecretArn><SecretStatus>active</SecretStatus></MasterUserSecret>` +
	`<MasterUsername>admin</MasterUsername><MultiAZ>1</MultiAZ><NetworkType>IPV4</NetworkType><PercentProgress>42</PercentProgress><Port>27017</Port>` +
	`<PreferredBackupWindow>03:00-03:30</PreferredBackupWindow><PreferredMaintenanceWindow>sun:05:00-sun:05:30</PreferredMaintenanceWindow>` +
	`<ReadReplicaIdentifiers><ReadReplicaIdentifier>r1</ReadReplicaIdentifier></ReadReplicaIdentifiers><ReaderEndpoint>c.cluster-ro-x</ReaderEndpoint>` +
	`<ReplicationSourceIdentifier>src</ReplicationSourceIdentifier><ServerlessV2ScalingConfiguration><MaxCapacity>64</MaxCapacity><MinCapacity>0.5</MinCapacity></ServerlessV2ScalingConfiguration>` +
	`<Status>available</Status><StorageEncrypted>T</StorageEncrypted><StorageType>iopt1</StorageType>` +
	`<VpcSecurityGroups><VpcSecurityGroupMembership><Status>active</Status><VpcSecurityGroupId>sg-1</VpcSecurityGroupId></VpcSecurityGroupMembership></VpcSecurityGroups>`

// fastBodies are answers the scanner must take on its own.
var fastBodies = map[string]string{
	"every field":          doc("<Marker>m</Marker>" + cluster(everyField)),
	"references":           doc(cluster(`<DBClusterIdentifier>a&amp;b&lt;c&gt;d&quot;e&apos;f&#65;&#x42;&#x1F680;&#9;&#xA;&#13;</DBClusterIdentifier>`)),
	"non-ASCII":            doc(cluster("<Status>ünï 雪 🚀 \uFFFD \U0010FFFD</Status>")),
	"indented":             "\n\t <R>\n  <DescribeDBClustersResult>\n    <DBClusters>\n      <DBCluster>\n        <Port>1</Port>\n      </DBCluster>\n    </DBClusters>\n  </DescribeDBClustersResult>\n</R>\n",
	"any case":             doc(`<dbclusters><dbcluster><DBCLUSTERIDENTIFIER>x</DBCLUSTERIDENTIFIER><port>2</port><dbclustermembers><DbClusterMember><isclusterwriter>false</isclusterwriter></DbClusterMember></dbclustermembers></dbcluster></dbclusters><MARKER>m</MARKER>`),
	"unknown elements":     doc(`<Foo><Bar><Baz>t</Baz></Bar></Foo>` + cluster(`<Unknown><X><Y>1</Y></X><Z/></Unknown><Port>3</Port><DBClusterMembers><Nope/><DBClusterMember><Tier>x</Tier></DBClusterMember></DBClusterMembers>`)),
	"empty elements":       doc(`<Marker/><DBClusters><DBCluster/><DBCluster><Status></Status><DBClusterMembers/><AvailabilityZones><AvailabilityZone/></AvailabilityZones><MasterUserSecret/></DBCluster></DBClusters>`),
	"empty list":           doc(`<DBClusters/>`),
	"empty result":         `<R><DescribeDBClustersResult/></R>`,
	"twice":                doc(`<Marker>a</Marker><Marker>b</Marker>` + cluster(`<Port>1</Port><Port>2</Port><AvailabilityZones><AvailabilityZone>a</AvailabilityZone></AvailabilityZones><AvailabilityZones><AvailabilityZone>b</AvailabilityZone></AvailabilityZones><MasterUserSecret><SecretArn>s</SecretArn></MasterUserSecret><MasterUserSecret><KmsKeyId>k</KmsKeyId></MasterUserSecret>`) + cluster(`<Port>3</Port>`)),
	"int32 wraps":          doc(cluster(`<Port>4294967297</Port><BackupRetentionPeriod>-7</BackupRetentionPeriod><DBClusterMembers><DBClusterMember><PromotionTier>+15</PromotionTier></DBClusterMember></DBClusterMembers>`)),
	"booleans":             doc(cluster(`<MultiAZ>TRUE</MultiAZ><StorageEncrypted>0</StorageEncrypted><DeletionProtection>f</DeletionProtection>`)),
	"floats":               doc(cluster(`<ServerlessV2ScalingConfiguration><MaxCapacity>1e3</MaxCapacity><MinCapacity>-0</MinCapacity></ServerlessV2ScalingConfiguration><ServerlessV2ScalingConfiguration><MaxCapacity>+Inf</MaxCapacity></ServerlessV2ScalingConfiguration>`)),
	"text between":         doc("junk" + cluster(`junk<Port>1</Port>more &amp; more`) + "tail"),
	"brackets":             doc(cluster(`<Status>a]b]]c]</Status><Engine>a>b</Engine>`)),
	"other root":           `<Whatever xmlns="urn:x"><Before><DescribeDBClustersResult><Marker>not this</Marker></DescribeDBClustersResult></Before><describedbclustersresult><Marker>this</Marker></describedbclustersresult></Whatever>`,
	"garbage after":        doc(`<Marker>m</Marker>`)[:len(doc(`<Marker>m</Marker>`))-60] + "<<<&&& not XML",
	"byte order mark":      "\uFEFF" + `<R><DescribeDBClustersResult><Marker>m</Marker></DescribeDBClustersResult></R>`,
	"NaN":                  doc(cluster(`<ServerlessV2ScalingConfiguration><MaxCapacity>NaN</MaxCapacity></ServerlessV2ScalingConfiguration>`)),
	"names with . - _ 0-9": doc(`<a.b-c_d9><_x/></a.b-c_d9>` + cluster(`<Port>1</Port>`)),
}

// slowBodies are answers the scanner must leave to the SDK, which may take
// them or refuse them.
var slowBodies = map[string]string{
	"CDATA":               doc(cluster(`<Status><![CDATA[a<b]]></Status>`)),
	"comment":             doc(`<!-- c -->` + cluster(`<Port>1</Port>`)),
	"DOCTYPE":             `<!DOCTYPE x><R><DescribeDBClustersResult/></R>`,
	"processing":          doc(`<?pi x?>`),
	"other declaration":   `<?xml version="1.0"?><R><DescribeDBClustersResult/></R>`,
	"attribute":           doc(`<DBClusters><DBCluster a="1"><Port>1</Port></DBCluster></DBClusters>`),
	"root attribute":      `<R lang="en"><DescribeDBClustersResult/></R>`,
	"unknown attribute":   doc(`<Foo a="1"/>`),
	"prefix":              doc(cluster(`<a:Status xmlns:a="urn:x">s</a:Status>`)),
	"space in tag":        doc(cluster(`<Status >s</Status >`)),
	"carriage return":     doc(cluster("<Status>a\r\nb</Status>")),
	"]]> in text":         doc(cluster(`<Status>a]]>b</Status>`)),
	"NUL reference":       doc(cluster(`<Status>&#0;</Status>`)),
	"surrogate":           doc(cluster(`<Status>&#xD800;</Status>`)),
	"unknown entity":      doc(cluster(`<Status>&nbsp;</Status>`)),
	"no semicolon":        doc(cluster(`<Status>&amp</Status>`)),
	"empty reference":     doc(cluster(`<Status>&#x;</Status>`)),
	"capital X":           doc(cluster(`<Status>&#X41;</Status>`)),
	"long reference":      doc(cluster(`<Status>&#0000000065;</Status>`)),
	"invalid UTF-8":       doc(cluster("<Status>\xff</Status>")),
	"control character":   doc(cluster("<Status>\x01</Status>")),
	"U+FFFE":              doc(cluster("<Status>\uFFFE</Status>")),
	"bad integer":         doc(cluster(`<Port>x</Port>`)),
	"empty integer":       doc(cluster(`<Port/>`)),
	"bad boolean":         doc(cluster(`<MultiAZ>yes</MultiAZ>`)),
	"bad time":            doc(cluster(`<ClusterCreateTime>yesterday</ClusterCreateTime>`)),
	"bad unknown value":   doc(cluster(`<Unknown>&bogus;</Unknown>`)),
	"mismatched end":      doc(cluster(`<Status>s</status>`)),
	"mismatched list end": doc(`<DBClusters><DBCluster><Port>1</Port></DBClustr></DBClusters>`),
	"child in a value":    doc(cluster(`<Status><b/></Status>`)),
	"no result":           `<R><Other/></R>`,
	"empty root":          `<R/>`,
	"empty body":          ``,
	"whitespace body":     " \n",
	"cut short":           doc(cluster(`<Port>1</Port>`))[:150],
	"deep unknown":        doc(strings.Repeat("<x>", 40) + strings.Repeat("</x>", 40)),
	"non-ASCII name":      doc(cluster(`<Stätus>s</Stätus>`)),
	"name with digit":     doc(`<9x/>`),
	"single-quoted ns":    `<R xmlns='urn:x'><DescribeDBClustersResult/></R>`,
	"reference in xmlns":  `<R xmlns="urn:&amp;"><DescribeDBClustersResult/></R>`,
}

func TestFastClustersDecodeIsTheSDKs(t *testing.T) {
	for name, body := range endpointPages(t) {
		if !checkBody(t, body) {
			t.Errorf("%s: the scanner left the local endpoint's answer to the SDK", name)
		}
	}
	for name, body := range fastBodies {
		if !checkBody(t, []byte(body)) {
			t.Errorf("%s: the scanner left the answer to the SDK:\n%s", name, body)
		}
	}
	for name, body := range slowBodies {
		if checkBody(t, []byte(body)) {
			t.Errorf("%s: the scanner took the answer, want it left to the SDK:\n%s", name, body)
		}
	}
}

// TestFastClustersCoversEveryField: everyField sets every field of the
// SDK's types (a new SDK with more fields fails here), and the scanner
// reads them all.
func TestFastClustersCoversEveryField(t *testing.T) {
	out, ok := awsclient.ScanClusters([]byte(fastBodies["every field"]))
	if !ok || len(out.DBClusters) != 1 {
		t.Fatalf("not scanned: %v %v", ok, out)
	}
	var unset func(v reflect.Value, path string)
	unset = func(v reflect.Value, path string) {
		for i := range v.NumField() {
			f, name := v.Field(i), path+v.Type().Field(i).Name
			if !v.Type().Field(i).IsExported() {
				continue
			}
			if f.IsZero() {
				t.Errorf("%s is not set", name)
				continue
			}
			switch {
			case f.Kind() == reflect.Slice && f.Index(0).Kind() == reflect.Struct:
				unset(f.Index(0), name+"[0].")
			case f.Kind() == reflect.Pointer && f.Elem().Kind() == reflect.Struct && f.Elem().Type().String() != "time.Time":
				unset(f.Elem(), name+".")
			}
		}
	}
	unset(reflect.ValueOf(out.DBClusters[0]), "")
}

// TestFastClustersLeavesErrorsToTheSDK: an error answer, a body cut by the
// network and a body too large to buffer reach the SDK as they came.
func TestFastClustersLeavesErrorsToTheSDK(t *testing.T) {
	fault := `<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type>` +
		`<Code>DBClusterNotFoundFault</Code><Message>DBCluster x not found.</Message></Error><RequestId>r</RequestId></ErrorResponse>`
	for _, client := range []*docdb.Client{sdkClient, fastClient} {
		_, err := describe(client, http.StatusNotFound, strings.NewReader(fault))
		if nf := (*types.DBClusterNotFoundFault)(nil); !errors.As(err, &nf) || nf.ErrorMessage() != "DBCluster x not found." {
			t.Errorf("error answer: %v, want DBClusterNotFoundFault", err)
		}

		// retryCutResponse retries an answer cut short by its cause.
		body := doc(cluster(`<Port>1</Port>`))
		_, err = describe(client, http.StatusOK, io.MultiReader(strings.NewReader(body[:len(body)/2]), errorAfter{io.ErrUnexpectedEOF}))
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("cut answer: %v, want io.ErrUnexpectedEOF in the chain", err)
		}

		// A body larger than the fast path buffers is streamed to the SDK.
		marker := strings.Repeat("m", awsclient.MaxFastBody)
		out, err := describe(client, http.StatusOK, strings.NewReader(doc("<Marker>"+marker+"</Marker>"+cluster(`<Port>1</Port>`))))
		if err != nil || aws.ToString(out.Marker) != marker || len(out.DBClusters) != 1 {
			t.Errorf("large answer: error %v, marker of %d bytes, %d clusters", err, len(aws.ToString(out.Marker)), len(out.DBClusters))
		}
	}
}

type errorAfter struct{ err error }

func (e errorAfter) Read([]byte) (int, error) { return 0, e.err }

// TestFastClustersOnlyForDescribeDBClusters: the client swaps the
// deserializer of DescribeDBClusters and of no other operation.
func TestFastClustersOnlyForDescribeDBClusters(t *testing.T) {
	c, err := awsclient.NewLocal(awsclient.Options{EndpointURL: "http://127.0.0.1:1", RetryMaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	inspect := func(want bool) func(*docdb.Options) {
		return func(o *docdb.Options) {
			o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
				m, _ := stack.Deserialize.Get("OperationDeserializer")
				if got := awsclient.IsClustersDecoder(m); got != want {
					t.Errorf("%s: fast path %v, want %v", stack.ID(), got, want)
				}
				return errors.New("inspected") // send nothing
			})
		}
	}
	ctx := context.Background()
	c.API().DescribeDBClusters(ctx, &docdb.DescribeDBClustersInput{}, inspect(true))
	c.API().DescribeDBClusterSnapshots(ctx, &docdb.DescribeDBClusterSnapshotsInput{}, inspect(false))
	c.API().DescribeDBInstances(ctx, &docdb.DescribeDBInstancesInput{}, inspect(false))
}

// FuzzDescribeClustersDecode: whatever the body, the fast path falls back or
// yields what the SDK yields (checkBody).
func FuzzDescribeClustersDecode(f *testing.F) {
	for _, body := range clusterAnswers(f) {
		f.Add(body)
	}
	for _, body := range fastBodies {
		f.Add([]byte(body))
	}
	for _, body := range slowBodies {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkBody(t, body)
	})
}

// FuzzDescribeClustersValues: the same property for one field of a cluster
// and the marker, a shape the scanner takes far more often than the
// mutations of whole answers.
func FuzzDescribeClustersValues(f *testing.F) {
	for _, v := range []string{"27017", "4294967297", "-7", "+15", "true", "T", "0", "2024-05-01T12:34:56.789Z",
		"2024-06-01T00:00:00+02:00", "1e3", "+Inf", "NaN", "a&amp;b&lt;&#65;&#x1F680;", "ünï 雪", "<x/>", "", " 1 "} {
		for _, name := range []string{"Port", "multiaz", "ClusterCreateTime", "MaxCapacity", "DBClusterIdentifier", "Unknown"} {
			f.Add(name, v)
		}
	}
	f.Fuzz(func(t *testing.T, name, value string) {
		field := "<" + name + ">" + value + "</" + name + ">"
		checkBody(t, []byte(doc("<Marker>"+value+"</Marker>"+cluster(field+"<ServerlessV2ScalingConfiguration>"+field+
			"</ServerlessV2ScalingConfiguration><DBClusterMembers><DBClusterMember>"+field+"</DBClusterMember></DBClusterMembers>"))))
	})
}

// BenchmarkDescribeClustersDecode: a page of 100 clusters from the local
// endpoint, decoded by the SDK's deserializer and by the fast path, each
// through a client (signing, middleware and all, no network).
func BenchmarkDescribeClustersDecode(b *testing.B) {
	s := emulator.New(emulator.Options{})
	s.Load(emulator.GeneratedFleet(100))
	body := answer(b, s, url.Values{"MaxRecords": {"100"}})
	for _, c := range []struct {
		name   string
		client *docdb.Client
	}{{"sdk", sdkClient}, {"fast", fastClient}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				out, err := describe(c.client, http.StatusOK, bytes.NewReader(body))
				if err != nil || len(out.DBClusters) != 100 {
					b.Fatal(err)
				}
			}
		})
	}
}
