package emulator_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/docsnap/docsnap/awsclient/emulator"
	"github.com/docsnap/docsnap/awsclient/emulator/emulatortest"
)

// The endpoint's docdb-elastic answers, read over HTTP, against botocore's
// docdb-elastic model, as the docdb ones are against docdb's.

type jsonModel struct {
	Operations map[string]struct {
		HTTP struct {
			Method     string
			RequestURI string `json:"requestUri"`
		} `json:"http"`
		Input  *struct{ Shape string }
		Output *struct{ Shape string }
		Errors []struct{ Shape string }
	}
	Shapes map[string]jsonShape
}

type jsonShape struct {
	Type     string
	Members  map[string]jsonRef
	Member   *jsonRef
	Value    *jsonRef
	Required []string
	Enum     []string
	Error    *struct {
		HTTPStatusCode int  `json:"httpStatusCode"`
		SenderFault    bool `json:"senderFault"`
	}
}

type jsonRef struct {
	Shape        string
	Location     string
	LocationName string `json:"locationName"`
}

// elasticCall is one request: an operation and its parameters by member
// name, which the model places in the path, the query or the body.
type elasticCall struct {
	Op     string
	Params map[string]any
	Want   string // the error code it must be answered with; "" for an answer
}

// request builds the HTTP request of c as the SDKs do (rest-json).
func (m *jsonModel) request(t *testing.T, endpoint string, c elasticCall) *http.Request {
	t.Helper()
	op := m.Operations[c.Op]
	path, query, body := op.HTTP.RequestURI, url.Values{}, map[string]any{}
	for name, ref := range m.Shapes[op.Input.Shape].Members {
		v, ok := c.Params[name]
		switch {
		case ref.Location == "uri":
			s, _ := v.(string)
			path = strings.Replace(path, "{"+ref.LocationName+"}", url.PathEscape(s), 1)
		case !ok:
		case ref.Location == "querystring":
			query.Set(ref.LocationName, jsonText(v))
		default:
			body[name] = v
		}
	}
	var rd io.Reader
	if op.HTTP.Method == http.MethodPost || op.HTTP.Method == http.MethodPut {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	u := endpoint + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	r, err := http.NewRequest(op.HTTP.Method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func jsonText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func do(t *testing.T, r *http.Request) (int, http.Header, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// jsonChecker walks JSON answers against the model, noting the paths met.
type jsonChecker struct {
	t    *testing.T
	m    *jsonModel
	seen map[string]bool
}

func (c *jsonChecker) check(v any, shape, path string) {
	c.seen[path] = true
	s, ok := c.m.Shapes[shape]
	if !ok {
		c.t.Errorf("%s: the model has no shape %s", path, shape)
		return
	}
	switch s.Type {
	case "structure":
		obj, ok := v.(map[string]any)
		if !ok {
			c.t.Errorf("%s: %T, want an object (%s)", path, v, shape)
			return
		}
		for name, val := range obj {
			ref, ok := s.Members[name]
			if !ok || ref.Location != "" {
				c.t.Errorf("%s: %s is not a body member of %s", path, name, shape)
				continue
			}
			c.check(val, ref.Shape, path+"/"+name)
		}
		for _, name := range s.Required {
			if _, ok := obj[name]; !ok && s.Members[name].Location == "" {
				c.t.Errorf("%s: required member %s is missing", path, name)
			}
		}
	case "list":
		arr, ok := v.([]any)
		if !ok {
			c.t.Errorf("%s: %T, want an array", path, v)
			return
		}
		for _, item := range arr {
			c.check(item, s.Member.Shape, path+"/[]")
		}
	case "map":
		obj, ok := v.(map[string]any)
		if !ok {
			c.t.Errorf("%s: %T, want an object (a map)", path, v)
			return
		}
		for _, val := range obj {
			c.check(val, s.Value.Shape, path+"/{}")
		}
	case "string":
		str, ok := v.(string)
		if !ok || len(s.Enum) > 0 && !slices.Contains(s.Enum, str) {
			c.t.Errorf("%s: %v is not a %s (enum %v)", path, v, shape, s.Enum)
		}
	case "integer":
		if n, ok := v.(json.Number); !ok || strings.ContainsAny(n.String(), ".eE") {
			c.t.Errorf("%s: %v is not an integer", path, v)
		}
	default:
		c.t.Errorf("%s: shape %s of type %s, which this check does not read", path, shape, s.Type)
	}
}

func decodeJSON(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

// checkElasticError checks an error answer to op: the code in
// x-amzn-ErrorType is among the operation's errors, with the model's HTTP
// status, and the body is of its shape.
func (c *jsonChecker) checkError(op string, status int, h http.Header, body []byte) string {
	c.t.Helper()
	code := h.Get("x-amzn-ErrorType")
	o := c.m.Operations[op]
	if !slices.ContainsFunc(o.Errors, func(e struct{ Shape string }) bool { return e.Shape == code }) {
		c.t.Errorf("%s answered %q (HTTP %d), which is not among the operation's errors in the model", op, code, status)
		return code
	}
	if want := c.m.Shapes[code].Error.HTTPStatusCode; status != want {
		c.t.Errorf("%s %s: HTTP %d, the model says %d", op, code, status, want)
	}
	v, err := decodeJSON(body)
	if err != nil {
		c.t.Errorf("%s %s: not JSON (%v): %s", op, code, err, body)
		return code
	}
	c.check(v, code, op+"/"+code)
	return code
}

// TestElasticAnswersMatchTheAPIModel: every docdb-elastic operation the
// endpoint serves answers, and fails, as the model says, element by
// element; every error code it can write is provoked here.
func TestElasticAnswersMatchTheAPIModel(t *testing.T) {
	var m jsonModel
	emulatortest.BotocoreServiceModel(t, emulatortest.DocDBElasticModel, &m)
	srv, ep := emulatortest.Serve(t, emulator.Options{}, emulator.DemoFleet())
	srv.Load(emulator.GeneratedFleet(400)) // twenty more elastic clusters, each with a snapshot: a second page
	c := &jsonChecker{t: t, m: &m, seen: map[string]bool{}}

	// The ARNs the calls need.
	_, _, body := do(t, m.request(t, ep.URL, elasticCall{Op: "ListClusters"}))
	var clusters struct {
		Clusters []struct{ ClusterName, ClusterArn string }
	}
	json.Unmarshal(body, &clusters)
	arns := map[string]string{}
	for _, cl := range clusters.Clusters {
		arns[cl.ClusterName] = cl.ClusterArn
	}
	events, stopped := arns["events-elastic-prod"], arns["search-elastic-dev"]
	_, _, body = do(t, m.request(t, ep.URL, elasticCall{Op: "ListClusterSnapshots", Params: map[string]any{"clusterArn": events}}))
	var snaps struct {
		Snapshots []struct{ SnapshotArn string }
	}
	json.Unmarshal(body, &snaps)
	if events == "" || stopped == "" || len(snaps.Snapshots) == 0 {
		t.Fatalf("the demo's elastic clusters %v and snapshots %s", arns, body)
	}
	gone := strings.Replace(events, "cluster/", "cluster/0", 1)

	answerCalls := []elasticCall{
		{Op: "ListClusters", Params: map[string]any{"maxResults": 2}},
		{Op: "GetCluster", Params: map[string]any{"clusterArn": events}},
		{Op: "ListClusterSnapshots", Params: map[string]any{"maxResults": 20}},
		{Op: "ListClusterSnapshots", Params: map[string]any{"clusterArn": events, "snapshotType": "automated"}},
		{Op: "GetClusterSnapshot", Params: map[string]any{"snapshotArn": snaps.Snapshots[0].SnapshotArn}},
		{Op: "CreateClusterSnapshot", Params: map[string]any{"clusterArn": events, "snapshotName": "model-check",
			"tags": map[string]any{"reason": "model check", "bare": ""}}},
		{Op: "ListTagsForResource", Params: map[string]any{"resourceArn": events}},
	}
	errorCalls := []elasticCall{
		{Op: "ListClusters", Params: map[string]any{"maxResults": 0}, Want: "ValidationException"},
		{Op: "ListClusterSnapshots", Params: map[string]any{"snapshotType": "shared"}, Want: "ValidationException"},
		{Op: "GetCluster", Params: map[string]any{"clusterArn": gone}, Want: "ResourceNotFoundException"},
		{Op: "GetClusterSnapshot", Params: map[string]any{"snapshotArn": gone}, Want: "ResourceNotFoundException"},
		{Op: "CreateClusterSnapshot", Params: map[string]any{"clusterArn": gone, "snapshotName": "s1"}, Want: "ResourceNotFoundException"},
		{Op: "CreateClusterSnapshot", Params: map[string]any{"clusterArn": events, "snapshotName": "model-check"}, Want: "ConflictException"},
		{Op: "CreateClusterSnapshot", Params: map[string]any{"clusterArn": stopped, "snapshotName": "s1"}, Want: "ConflictException"},
		{Op: "CreateClusterSnapshot", Params: map[string]any{"clusterArn": events, "snapshotName": strings.Repeat("s", 64)}, Want: "ValidationException"},
		{Op: "CreateClusterSnapshot", Params: map[string]any{"clusterArn": events}, Want: "ValidationException"},
		{Op: "ListTagsForResource", Params: map[string]any{"resourceArn": gone}, Want: "ResourceNotFoundException"},
		{Op: "ListTagsForResource", Params: map[string]any{"resourceArn": "arn:aws:rds:us-east-1:123456789012:cluster:x"}, Want: "ValidationException"},
	}

	// Every operation the endpoint serves is among the calls.
	for op := range m.Operations {
		status, h, body := do(t, m.request(t, ep.URL, elasticCall{Op: op}))
		unknown := status == http.StatusBadRequest && h.Get("x-amzn-ErrorType") == "ValidationException" &&
			bytes.Contains(body, []byte(`"reason":"unknownOperation"`))
		if !unknown && !slices.ContainsFunc(answerCalls, func(c elasticCall) bool { return c.Op == op }) {
			t.Errorf("the endpoint serves %s, which no call here checks: add one to answerCalls", op)
		}
	}
	for _, call := range answerCalls {
		status, h, body := do(t, m.request(t, ep.URL, call))
		v, err := decodeJSON(body)
		if status != http.StatusOK || err != nil || h.Get("Content-Type") != "application/json" {
			t.Errorf("%s %v: HTTP %d, %v: %s", call.Op, call.Params, status, err, body)
			continue
		}
		c.check(v, m.Operations[call.Op].Output.Shape, call.Op)
	}
	for _, path := range []string{"ListClusters/nextToken", "ListClusterSnapshots/nextToken", "GetCluster/cluster/shards/[]/shardId",
		"CreateClusterSnapshot/snapshot/snapshotType", "ListTagsForResource/tags/{}"} {
		if !c.seen[path] {
			t.Errorf("no answer held %s: the calls miss a case", path)
		}
	}

	provoked := map[string]bool{}
	for _, call := range errorCalls {
		status, h, body := do(t, m.request(t, ep.URL, call))
		if code := c.checkError(call.Op, status, h, body); code != call.Want {
			t.Errorf("%s %v: answered %s (HTTP %d), want %s", call.Op, call.Params, code, status, call.Want)
		}
		provoked[call.Want] = true
	}
	// And what needs another endpoint: a full quota, injected faults.
	create := elasticCall{Op: "CreateClusterSnapshot", Params: map[string]any{"clusterArn": events, "snapshotName": "one-too-many"}}
	for _, o := range []emulator.Options{{Quota: 1}, {Faults: emulator.Faults{Throttle: 1}}, {Faults: emulator.Faults{Server5xx: 1}}} {
		_, ep := emulatortest.Serve(t, o, emulator.DemoFleet())
		status, h, body := do(t, m.request(t, ep.URL, create))
		provoked[c.checkError(create.Op, status, h, body)] = true
	}
	for _, code := range emittedCodes(t, "elasticErrorf") {
		if !provoked[code] {
			t.Errorf("the endpoint can answer %s, which no call here provokes: add one to errorCalls", code)
		}
	}
}
