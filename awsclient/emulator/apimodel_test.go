package emulator_test

import (
	"bytes"
	"cmp"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docsnap/docsnap/awsclient/emulator"
	"github.com/docsnap/docsnap/awsclient/emulator/emulatortest"
)

// The endpoint's answers, read over HTTP, against the API model botocore
// ships (service-2.json): the model the AWS SDKs and CLIs are generated
// from, so an element it does not know is one they drop, and an error code
// an operation does not list is one they cannot name.

// apiModel is what the checks read of a botocore service model.
type apiModel struct {
	Metadata struct {
		XMLNamespace string `json:"xmlNamespace"`
	}
	Operations map[string]struct {
		Input  *struct{ Shape string }
		Output *struct {
			Shape         string
			ResultWrapper string `json:"resultWrapper"`
		}
		Errors []struct{ Shape string }
	}
	Shapes map[string]modelShape
}

type modelShape struct {
	Type      string
	Members   map[string]modelRef
	Member    *modelRef
	Flattened bool
	Error     *struct {
		Code           string
		HTTPStatusCode int  `json:"httpStatusCode"`
		SenderFault    bool `json:"senderFault"`
	}
}

type modelRef struct {
	Shape        string
	LocationName string `json:"locationName"`
}

// xmlName is the element a member or list member is written as.
func (r modelRef) xmlName(name string) string {
	if r.LocationName != "" {
		return r.LocationName
	}
	return name
}

// loadDocDBModel reads botocore's docdb model, or skips saying why
// (emulatortest.BotocoreModel).
func loadDocDBModel(t *testing.T) *apiModel {
	var m apiModel
	emulatortest.BotocoreModel(t, &m)
	return &m
}

// modelCall is one request: an operation and its parameters as boto3 takes
// them, which the Query serialization below turns into a form as the SDKs
// do. want is the error code it must be answered with; "" for an answer.
type modelCall struct {
	Op     string         `json:"op"`
	Params map[string]any `json:"params"`
	Want   string         `json:"want"`
}

const modelARN = "arn:aws:rds:" + emulator.DefaultRegion + ":" + emulator.DefaultAccount + ":"

// answerCalls make every action answer, with every element the endpoint
// writes (a Marker, an encrypted cluster's KmsKeyId, its log exports, an
// instance's Endpoint, a tag with a value and one without). A new action
// is one more line.
var answerCalls = []modelCall{
	{Op: "DescribeDBClusters", Params: map[string]any{"MaxRecords": 20}},
	{Op: "DescribeDBClusters", Params: map[string]any{"Filters": []any{map[string]any{"Name": "engine", "Values": []any{"docdb"}}}}},
	{Op: "DescribeDBClusterSnapshots", Params: map[string]any{"MaxRecords": 20}},
	{Op: "DescribeDBClusterSnapshots", Params: map[string]any{"DBClusterIdentifier": "payments-prod", "SnapshotType": "automated"}},
	{Op: "CreateDBClusterSnapshot", Params: map[string]any{"DBClusterIdentifier": "payments-prod", "DBClusterSnapshotIdentifier": "model-check",
		"Tags": []any{map[string]any{"Key": "reason", "Value": "model check"}, map[string]any{"Key": "bare"}}}},
	{Op: "DescribeDBInstances", Params: map[string]any{"MaxRecords": 20}},
	{Op: "ListTagsForResource", Params: map[string]any{"ResourceName": modelARN + "cluster-snapshot:model-check"}},
	{Op: "ListTagsForResource", Params: map[string]any{"ResourceName": modelARN + "cluster:payments-prod"}},
	{Op: "DescribeGlobalClusters", Params: map[string]any{}},
	{Op: "DescribeDBClusterSnapshots", Params: map[string]any{"IncludeShared": true, "SnapshotType": "shared"}},
	{Op: "CopyDBClusterSnapshot", Params: map[string]any{"SourceDBClusterSnapshotIdentifier": "payments-prod-pre-migration",
		"TargetDBClusterSnapshotIdentifier": "model-copy", "CopyTags": true, "Tags": []any{map[string]any{"Key": "purpose", "Value": "dr"}}}},
	{Op: "DeleteDBClusterSnapshot", Params: map[string]any{"DBClusterSnapshotIdentifier": "model-copy"}},
	{Op: "ModifyDBClusterSnapshotAttribute", Params: map[string]any{"DBClusterSnapshotIdentifier": "payments-prod-2024-q4-audit",
		"AttributeName": "restore", "ValuesToAdd": []any{"123456789012"}, "ValuesToRemove": []any{"111122223333"}}},
	{Op: "DescribeDBClusterSnapshotAttributes", Params: map[string]any{"DBClusterSnapshotIdentifier": "analytics-events-schema-v2"}},
}

// errorCalls provoke every error code the endpoint writes in its actions.
var errorCalls = []modelCall{
	{Op: "DescribeDBClusters", Params: map[string]any{"DBClusterIdentifier": "nope"}, Want: "DBClusterNotFoundFault"},
	{Op: "DescribeDBClusters", Params: map[string]any{"MaxRecords": 5}, Want: "InvalidParameterValue"},
	{Op: "DescribeDBClusters", Params: map[string]any{"Filters": []any{map[string]any{"Name": "engine"}}}, Want: "MissingParameter"},
	{Op: "DescribeDBClusterSnapshots", Params: map[string]any{"DBClusterSnapshotIdentifier": "nope"}, Want: "DBClusterSnapshotNotFoundFault"},
	{Op: "DescribeDBClusterSnapshots", Params: map[string]any{"DBClusterIdentifier": "payments-prod",
		"DBClusterSnapshotIdentifier": "payments-prod-pre-migration"}, Want: "InvalidParameterCombination"},
	{Op: "CreateDBClusterSnapshot", Params: map[string]any{"DBClusterIdentifier": "nope", "DBClusterSnapshotIdentifier": "s1"}, Want: "DBClusterNotFoundFault"},
	{Op: "CreateDBClusterSnapshot", Params: map[string]any{"DBClusterIdentifier": "payments-prod",
		"DBClusterSnapshotIdentifier": "payments-prod-pre-migration"}, Want: "DBClusterSnapshotAlreadyExistsFault"},
	{Op: "CreateDBClusterSnapshot", Params: map[string]any{"DBClusterIdentifier": "user-profiles-dev", "DBClusterSnapshotIdentifier": "s1"},
		Want: "InvalidDBClusterStateFault"},
	{Op: "CreateDBClusterSnapshot", Params: map[string]any{"DBClusterIdentifier": "payments-prod", "DBClusterSnapshotIdentifier": "1-bad"},
		Want: "InvalidParameterValue"},
	{Op: "CreateDBClusterSnapshot", Params: map[string]any{"DBClusterIdentifier": "payments-prod"}, Want: "MissingParameter"},
	{Op: "DescribeDBInstances", Params: map[string]any{"DBInstanceIdentifier": "nope"}, Want: "DBInstanceNotFound"},
	{Op: "ListTagsForResource", Params: map[string]any{"ResourceName": modelARN + "cluster:nope"}, Want: "DBClusterNotFoundFault"},
	{Op: "ListTagsForResource", Params: map[string]any{"ResourceName": modelARN + "cluster-snapshot:nope"}, Want: "DBSnapshotNotFound"},
	{Op: "ListTagsForResource", Params: map[string]any{"ResourceName": modelARN + "db:nope"}, Want: "DBInstanceNotFound"},
	{Op: "ListTagsForResource", Params: map[string]any{"ResourceName": "payments-prod"}, Want: "InvalidParameterValue"},
	{Op: "DescribeGlobalClusters", Params: map[string]any{"GlobalClusterIdentifier": "nope"}, Want: "GlobalClusterNotFoundFault"},
	{Op: "CopyDBClusterSnapshot", Params: map[string]any{"SourceDBClusterSnapshotIdentifier": "nope",
		"TargetDBClusterSnapshotIdentifier": "t1"}, Want: "DBClusterSnapshotNotFoundFault"},
	{Op: "CopyDBClusterSnapshot", Params: map[string]any{"SourceDBClusterSnapshotIdentifier": "payments-prod-pre-migration",
		"TargetDBClusterSnapshotIdentifier": "t1", "KmsKeyId": "alias/nope"}, Want: "KMSKeyNotAccessibleFault"},
	{Op: "CopyDBClusterSnapshot", Params: map[string]any{"SourceDBClusterSnapshotIdentifier": "payments-prod-pre-migration",
		"TargetDBClusterSnapshotIdentifier": "payments-prod-2024-q4-audit"}, Want: "DBClusterSnapshotAlreadyExistsFault"},
	{Op: "CopyDBClusterSnapshot", Params: map[string]any{"SourceDBClusterSnapshotIdentifier": "orders-prod-before-reindex",
		"TargetDBClusterSnapshotIdentifier": "t1"}, Want: "InvalidDBClusterSnapshotStateFault"},
	{Op: "CopyDBClusterSnapshot", Params: map[string]any{"SourceDBClusterSnapshotIdentifier": "payments-prod-pre-migration"},
		Want: "MissingParameter"},
	{Op: "DeleteDBClusterSnapshot", Params: map[string]any{"DBClusterSnapshotIdentifier": "rds:payments-prod-2025-03-14-10-09"},
		Want: "InvalidDBClusterSnapshotStateFault"},
	{Op: "DeleteDBClusterSnapshot", Params: map[string]any{"DBClusterSnapshotIdentifier": "nope"}, Want: "DBClusterSnapshotNotFoundFault"},
	{Op: "ModifyDBClusterSnapshotAttribute", Params: map[string]any{"DBClusterSnapshotIdentifier": "payments-prod-2024-q4-audit",
		"AttributeName": "restore", "ValuesToAdd": manyAccounts(emulator.MaxShares + 1)}, Want: "SharedSnapshotQuotaExceeded"},
	{Op: "ModifyDBClusterSnapshotAttribute", Params: map[string]any{"DBClusterSnapshotIdentifier": "payments-prod-2024-q4-audit",
		"AttributeName": "restore", "ValuesToAdd": []any{"12345"}}, Want: "InvalidParameterValue"},
	{Op: "ModifyDBClusterSnapshotAttribute", Params: map[string]any{"DBClusterSnapshotIdentifier": "rds:payments-prod-2025-03-14-10-09",
		"AttributeName": "restore", "ValuesToAdd": []any{"123456789012"}}, Want: "InvalidDBClusterSnapshotStateFault"},
	{Op: "DescribeDBClusterSnapshotAttributes", Params: map[string]any{"DBClusterSnapshotIdentifier": "nope"}, Want: "DBClusterSnapshotNotFoundFault"},
}

// manyAccounts is n distinct account ids.
func manyAccounts(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = fmt.Sprintf("%012d", 100000000000+i)
	}
	return out
}

// commonErrors are the errors AWS documents as common to every action of
// its Query APIs (the API Reference's "Common Errors"), which service
// models do not list, with their HTTP status. Throttling is the code the
// RDS endpoint, DocumentDB's, sends for ThrottlingException.
var commonErrors = map[string]int{
	"AccessDeniedException": 400, "IncompleteSignature": 400, "InternalFailure": 500, "InvalidAction": 400,
	"InvalidClientTokenId": 403, "InvalidParameterCombination": 400, "InvalidParameterValue": 400,
	"InvalidQueryParameter": 400, "MalformedQueryString": 404, "MissingAction": 400,
	"MissingAuthenticationToken": 403, "MissingParameter": 400, "NotAuthorized": 400, "OptInRequired": 403,
	"RequestExpired": 400, "ServiceUnavailable": 503, "Throttling": 400, "ThrottlingException": 400, "ValidationError": 400,
}

// querySerialize writes params of shape as the Query protocol does:
// Name.Member for structures, Name.{member name}.N for lists (from 1).
func querySerialize(m *apiModel, shape string, prefix string, v any, form url.Values) {
	s := m.Shapes[shape]
	switch s.Type {
	case "structure":
		fields := v.(map[string]any)
		for name, value := range fields {
			ref, ok := s.Members[name]
			if !ok {
				panic(fmt.Sprintf("%s has no member %s", shape, name))
			}
			key := ref.xmlName(name)
			if prefix != "" {
				key = prefix + "." + key
			}
			querySerialize(m, ref.Shape, key, value, form)
		}
	case "list":
		for i, item := range v.([]any) {
			querySerialize(m, s.Member.Shape, prefix+"."+s.Member.xmlName("member")+"."+strconv.Itoa(i+1), item, form)
		}
	default:
		form.Set(prefix, fmt.Sprint(v))
	}
}

// send makes one call over HTTP and returns the status and body.
func send(t *testing.T, m *apiModel, endpoint string, c modelCall) (int, []byte) {
	t.Helper()
	form := url.Values{"Action": {c.Op}, "Version": {"2014-10-31"}}
	if op, ok := m.Operations[c.Op]; ok && c.Params != nil {
		querySerialize(m, op.Input.Shape, "", c.Params, form)
	}
	return postForm(t, endpoint, form.Encode())
}

func postForm(t *testing.T, endpoint, body string) (int, []byte) {
	t.Helper()
	resp, err := http.Post(endpoint, "application/x-www-form-urlencoded; charset=utf-8", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// node is an XML element: its name, namespace, text and children.
type node struct {
	name, space, text string
	children          []*node
}

func parseXML(b []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return root, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, space: tok.Name.Space}
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.children = append(top.children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			}
		}
	}
}

// shapeChecker walks answers against a model and notes every path it met.
type shapeChecker struct {
	t    *testing.T
	m    *apiModel
	seen map[string]bool
}

// check says where n does not match shape: an unknown or repeated element,
// a list member of the wrong name, a nesting or scalar of the wrong kind.
func (c *shapeChecker) check(n *node, shape, path string) {
	c.seen[path] = true
	s, ok := c.m.Shapes[shape]
	if !ok {
		c.t.Errorf("%s: the model has no shape %s", path, shape)
		return
	}
	if s.Type != "structure" && s.Type != "list" && len(n.children) > 0 {
		c.t.Errorf("%s: a %s (%s) holds elements", path, s.Type, shape)
		return
	}
	text := n.text
	switch s.Type {
	case "structure":
		byXML := map[string]string{}
		for name, ref := range s.Members {
			byXML[ref.xmlName(name)] = name
		}
		had := map[string]bool{}
		for _, ch := range n.children {
			name, ok := byXML[ch.name]
			if !ok {
				c.t.Errorf("%s: %s is not a member of %s", path, ch.name, shape)
				continue
			}
			if had[ch.name] {
				c.t.Errorf("%s: %s twice", path, ch.name)
			}
			had[ch.name] = true
			c.check(ch, s.Members[name].Shape, path+"/"+ch.name)
		}
	case "list":
		if s.Flattened {
			c.t.Errorf("%s: %s is a flattened list, which this check does not read", path, shape)
			return
		}
		want := s.Member.xmlName("member")
		for _, ch := range n.children {
			if ch.name != want {
				c.t.Errorf("%s: list member %s, want %s", path, ch.name, want)
				continue
			}
			c.check(ch, s.Member.Shape, path+"/"+want)
		}
	case "string":
	case "integer", "long":
		if _, err := strconv.ParseInt(text, 10, 64); err != nil {
			c.t.Errorf("%s: %q is not an %s", path, text, s.Type)
		}
	case "boolean":
		if text != "true" && text != "false" {
			c.t.Errorf("%s: %q is not a boolean", path, text)
		}
	case "timestamp":
		if _, err := time.Parse(time.RFC3339Nano, text); err != nil {
			c.t.Errorf("%s: %q is not an ISO-8601 time", path, text)
		}
	case "double", "float":
		if _, err := strconv.ParseFloat(text, 64); err != nil {
			c.t.Errorf("%s: %q is not a %s", path, text, s.Type)
		}
	default:
		c.t.Errorf("%s: shape %s of type %s, which this check does not read", path, shape, s.Type)
	}
}

// checkAnswer checks a whole answer: <{Op}Response xmlns=…> holding
// <{Op}Result> of the output shape and the request id.
func (c *shapeChecker) checkAnswer(op string, body []byte) {
	c.t.Helper()
	root, err := parseXML(body)
	if err != nil || root == nil {
		c.t.Errorf("%s: not XML (%v): %s", op, err, body)
		return
	}
	out := c.m.Operations[op].Output
	if root.name != op+"Response" || root.space != c.m.Metadata.XMLNamespace {
		c.t.Errorf("%s: root {%s}%s, want {%s}%sResponse", op, root.space, root.name, c.m.Metadata.XMLNamespace, op)
	}
	var names []string
	for _, ch := range root.children {
		names = append(names, ch.name)
		switch ch.name {
		case out.ResultWrapper:
			c.check(ch, out.Shape, op)
		case "ResponseMetadata":
			if len(ch.children) != 1 || ch.children[0].name != "RequestId" || ch.children[0].text == "" {
				c.t.Errorf("%s: ResponseMetadata holds %d elements, want a RequestId", op, len(ch.children))
			}
		}
	}
	if !slices.Equal(names, []string{out.ResultWrapper, "ResponseMetadata"}) {
		c.t.Errorf("%s: the response holds %v, want [%s ResponseMetadata]", op, names, out.ResultWrapper)
	}
}

// checkError checks an error answer to op: its shape, and its code, HTTP
// status and type against the operation's errors in the model, or the
// common errors.
func checkError(t *testing.T, m *apiModel, op string, status int, body []byte) string {
	t.Helper()
	var e struct {
		XMLName   xml.Name
		Type      string `xml:"Error>Type"`
		Code      string `xml:"Error>Code"`
		Message   string `xml:"Error>Message"`
		RequestID string `xml:"RequestId"`
	}
	if err := xml.Unmarshal(body, &e); err != nil || e.XMLName.Local != "ErrorResponse" || e.XMLName.Space != m.Metadata.XMLNamespace {
		t.Errorf("%s: not an ErrorResponse of the model's namespace (%v): %s", op, err, body)
		return ""
	}
	if e.Message == "" || e.RequestID == "" {
		t.Errorf("%s %s: Message %q, RequestId %q: want both", op, e.Code, e.Message, e.RequestID)
	}
	wantStatus, sender, known := 0, false, false
	if o, ok := m.Operations[op]; ok {
		for _, ref := range o.Errors {
			if se := m.Shapes[ref.Shape].Error; se != nil && se.Code == e.Code {
				wantStatus, sender, known = se.HTTPStatusCode, se.SenderFault, true
			}
		}
	}
	if !known {
		if wantStatus, known = commonErrors[e.Code]; !known {
			t.Errorf("%s answered %s, which is neither among the operation's errors in the model nor a common error", op, e.Code)
			return e.Code
		}
		sender = wantStatus < 500
	}
	wantType := "Receiver"
	if sender {
		wantType = "Sender"
	}
	if status != wantStatus || e.Type != wantType {
		t.Errorf("%s %s: HTTP %d, type %s; the model says %d, %s", op, e.Code, status, e.Type, wantStatus, wantType)
	}
	return e.Code
}

// emittedCodes are the error codes in the endpoint's source: the literal
// codes of errorf calls and apiError values.
func emittedCodes(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			var lit ast.Expr
			switch n := n.(type) {
			case *ast.CallExpr:
				if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "errorf" && len(n.Args) > 1 {
					lit = n.Args[1]
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && id.Name == "Code" {
					lit = n.Value
				}
			}
			if b, ok := lit.(*ast.BasicLit); ok && b.Kind == token.STRING {
				code, _ := strconv.Unquote(b.Value)
				set[code] = true
			}
			return true
		})
	}
	codes := make([]string, 0, len(set))
	for c := range set {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return codes
}

// modelEndpoint serves the demo fleet, and enough clusters and snapshots
// for a second page, on a manual clock.
func modelEndpoint(t *testing.T) string {
	t.Helper()
	srv, ep := emulatortest.Serve(t, emulator.Options{Now: emulator.NewClock(time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)).Now},
		emulator.DemoFleet())
	srv.Load(emulator.GeneratedFleet(30))
	return ep.URL
}

// TestAnswersMatchTheAPIModel: every action's answers, from the demo fleet
// over HTTP, match the model element by element, and every error code the
// endpoint can write is one the model or AWS's common errors give the
// action, with their HTTP status and type.
func TestAnswersMatchTheAPIModel(t *testing.T) {
	m := loadDocDBModel(t)
	endpoint := modelEndpoint(t)
	c := &shapeChecker{t: t, m: m, seen: map[string]bool{}}
	// Every operation the endpoint serves (answers other than InvalidAction)
	// is among the calls.
	for op := range m.Operations {
		status, body := send(t, m, endpoint, modelCall{Op: op})
		served := status == http.StatusOK || !bytes.Contains(body, []byte("<Code>InvalidAction</Code>"))
		if served && !slices.ContainsFunc(answerCalls, func(c modelCall) bool { return c.Op == op }) {
			t.Errorf("the endpoint serves %s, which no call here checks: add one to answerCalls", op)
		}
	}
	for _, call := range answerCalls {
		status, body := send(t, m, endpoint, call)
		if status != http.StatusOK {
			t.Errorf("%s %v: HTTP %d: %s", call.Op, call.Params, status, body)
			continue
		}
		c.checkAnswer(call.Op, body)
	}
	// The elements the endpoint writes only sometimes were met.
	for _, path := range []string{
		"DescribeDBClusters/Marker", "DescribeDBClusters/DBClusters/DBCluster/KmsKeyId",
		"DescribeDBClusters/DBClusters/DBCluster/EnabledCloudwatchLogsExports/member",
		"DescribeDBClusters/DBClusters/DBCluster/DBClusterMembers/DBClusterMember/IsClusterWriter",
		"DescribeDBClusterSnapshots/Marker", "DescribeDBClusterSnapshots/DBClusterSnapshots/DBClusterSnapshot/KmsKeyId",
		"CreateDBClusterSnapshot/DBClusterSnapshot/SnapshotCreateTime",
		"DescribeDBInstances/Marker", "DescribeDBInstances/DBInstances/DBInstance/Endpoint/Address",
		"DescribeDBInstances/DBInstances/DBInstance/DBSubnetGroup/VpcId",
		"ListTagsForResource/TagList/Tag/Value",
		"CopyDBClusterSnapshot/DBClusterSnapshot/SourceDBClusterSnapshotArn",
		"DescribeDBClusterSnapshotAttributes/DBClusterSnapshotAttributesResult/DBClusterSnapshotAttributes/DBClusterSnapshotAttribute/AttributeValues/AttributeValue",
	} {
		if !c.seen[path] {
			t.Errorf("no answer held %s: the calls miss a case", path)
		}
	}

	provoked := map[string]bool{}
	for _, call := range errorCalls {
		status, body := send(t, m, endpoint, call)
		if code := checkError(t, m, call.Op, status, body); code != call.Want {
			t.Errorf("%s %v: answered %s (HTTP %d), want %s", call.Op, call.Params, code, status, call.Want)
		}
		provoked[call.Want] = true
	}
	// What any action may meet: an unknown action, a malformed form, and
	// the injected throttling and server errors.
	status, body := send(t, m, endpoint, modelCall{Op: "DeleteDBCluster"})
	provoked[checkError(t, m, "DeleteDBCluster", status, body)] = true
	status, body = postForm(t, endpoint, "Action=DescribeDBClusters&Marker=%zz")
	provoked[checkError(t, m, "DescribeDBClusters", status, body)] = true
	// And what needs another endpoint: a full quota, injected faults.
	create := modelCall{Op: "CreateDBClusterSnapshot", Params: map[string]any{"DBClusterIdentifier": "payments-prod",
		"DBClusterSnapshotIdentifier": "one-too-many"}}
	for _, o := range []emulator.Options{{Quota: 1}, {Faults: emulator.Faults{Throttle: 1}}, {Faults: emulator.Faults{Server5xx: 1}}} {
		srv := emulator.New(o)
		srv.Load(emulator.DemoFleet())
		ep, err := emulator.Listen("127.0.0.1:0", srv)
		if err != nil {
			t.Fatal(err)
		}
		status, body := send(t, m, ep.URL, create)
		provoked[checkError(t, m, create.Op, status, body)] = true
		ep.Close()
	}
	for _, code := range emittedCodes(t) {
		if !provoked[code] {
			t.Errorf("the endpoint can answer %s, which no call here provokes: add one to errorCalls", code)
		}
	}
}

// botoCalls makes the calls it reads on stdin with boto3, parameters
// unchecked so that the endpoint judges them, and prints what each gave:
// "ok", the error code, or the exception botocore raised reading the answer.
const botoCalls = `
import json, sys
import boto3, botocore, botocore.config
c = boto3.client("docdb", endpoint_url=sys.argv[1],
                 config=botocore.config.Config(parameter_validation=False, retries={"max_attempts": 1}))
out = []
for call in json.load(sys.stdin):
    try:
        getattr(c, botocore.xform_name(call["op"]))(**(call["params"] or {}))
        out.append("ok")
    except botocore.exceptions.ClientError as e:
        out.append(e.response["Error"]["Code"])
    except Exception as e:
        out.append("%s: %s" % (type(e).__name__, e))
print(json.dumps(out))
`

// TestBoto3ParsesEveryAnswer: botocore reads every answer and every error
// of the calls above without fault, and names each error by its code.
func TestBoto3ParsesEveryAnswer(t *testing.T) {
	python := requireBoto3(t)
	endpoint := modelEndpoint(t)
	calls := slices.Concat(answerCalls, errorCalls)
	in, err := json.Marshal(calls)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "-c", botoCalls, endpoint)
	cmd.Env, cmd.Stdin = isolatedEnv(t), bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("boto3: %v\n%s", err, stderr.String())
	}
	var got []string
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil || len(got) != len(calls) {
		t.Fatalf("boto3 printed %q (%v): want %d results", stdout.String(), err, len(calls))
	}
	for i, call := range calls {
		want := cmp.Or(call.Want, "ok")
		if got[i] != want {
			t.Errorf("boto3 %s %v: %s, want %s", call.Op, call.Params, got[i], want)
		}
	}
}
