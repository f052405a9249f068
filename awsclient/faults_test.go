package awsclient_test

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/smithy-go"

	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/awsclient/emulator/emulatortest"
)

// faultCalls makes each DocumentDB operation docsnap calls, through the
// client's own methods. An operation the client starts calling needs an
// entry here (TestEveryFaultIsClassified says so).
var faultCalls = map[string]func(context.Context, *awsclient.SDK) error{
	"DescribeDBClusters": func(ctx context.Context, c *awsclient.SDK) error {
		_, err := c.Clusters().Next(ctx)
		return err
	},
	"DescribeDBClusterSnapshots": func(ctx context.Context, c *awsclient.SDK) error {
		_, err := c.Snapshot(ctx, "s")
		return err
	},
	"DescribeDBInstances": func(ctx context.Context, c *awsclient.SDK) error {
		_, err := c.Instances("c").Next(ctx) // describes the cluster first: answered below
		return err
	},
	"CreateDBClusterSnapshot": func(ctx context.Context, c *awsclient.SDK) error {
		_, err := c.CreateSnapshot(ctx, awsclient.CreateSnapshotInput{ClusterID: "c", SnapshotID: "s"})
		return err
	},
	"CopyDBClusterSnapshot": func(ctx context.Context, c *awsclient.SDK) error {
		_, err := c.CopySnapshot(ctx, awsclient.CopySnapshotInput{SourceID: "s", TargetID: "t"})
		return err
	},
	"DeleteDBClusterSnapshot": func(ctx context.Context, c *awsclient.SDK) error {
		_, err := c.DeleteSnapshot(ctx, "s")
		return err
	},
	"DescribeDBClusterSnapshotAttributes": func(ctx context.Context, c *awsclient.SDK) error {
		_, err := c.SnapshotShares(ctx, "s")
		return err
	},
	"ModifyDBClusterSnapshotAttribute": func(ctx context.Context, c *awsclient.SDK) error {
		_, err := c.ShareSnapshot(ctx, "s", []string{"123456789012"}, nil)
		return err
	},
	"DescribeGlobalClusters": func(ctx context.Context, c *awsclient.SDK) error {
		_, err := c.GlobalClusters().Next(ctx)
		return err
	},
	"ListTagsForResource": func(ctx context.Context, c *awsclient.SDK) error {
		_, err := c.Tags(ctx, "arn:aws:rds:us-east-1:123456789012:cluster:c")
		return err
	},
}

// TestEveryFaultIsClassified: every fault of every operation docsnap calls
// has a kind (so a sentence and a hint of its own), not the generic "AWS
// refused the request". The faults are read from the SDK's own sources (each
// operation's error deserializer, and the fault types of service/docdb's
// types package) and from botocore's API model, so that an upgrade of
// either that adds a fault fails here until it is classified. Each fault is
// answered over HTTP to the real SDK, as AWS would.
func TestEveryFaultIsClassified(t *testing.T) {
	ops := calledOperations(t)
	for _, op := range ops {
		if faultCalls[op] == nil {
			t.Errorf("docsnap calls %s: add it to faultCalls", op)
		}
	}
	dir := sdkDir(t)
	faults := sdkOperationFaults(t, filepath.Join(dir, "deserializers.go"), ops)
	types := sdkFaultTypes(t, filepath.Join(dir, "types", "errors.go"))
	for op, codes := range faults {
		for _, code := range codes {
			if types[code] == "" {
				t.Errorf("%s: fault %s has no type in the SDK's types/errors.go", op, code)
			}
		}
	}
	t.Run("sdk", func(t *testing.T) {
		for _, op := range ops {
			for _, code := range faults[op] {
				checkFault(t, op, code, 400)
			}
		}
	})
	t.Run("botocore", func(t *testing.T) {
		model := botocoreModel(t)
		for _, op := range ops {
			o, ok := model.Operations[op]
			if !ok {
				t.Errorf("botocore's model has no operation %s", op)
				continue
			}
			for _, e := range o.Errors {
				shape := model.Shapes[e.Shape]
				code, status := shape.Error.Code, shape.Error.HTTPStatusCode
				if code == "" {
					code = e.Shape
				}
				if status == 0 {
					status = 400
				}
				checkFault(t, op, code, status)
			}
		}
	})
}

// checkFault answers op with the fault code and checks its classification.
func checkFault(t *testing.T, op, code string, status int) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "text/xml")
		if action := r.PostForm.Get("Action"); action != op {
			// Instances describes its cluster first: it exists.
			fmt.Fprint(w, `<DescribeDBClustersResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><DescribeDBClustersResult>`+
				`<DBClusters><DBCluster><DBClusterIdentifier>c</DBClusterIdentifier><Engine>docdb</Engine></DBCluster></DBClusters>`+
				`</DescribeDBClustersResult></DescribeDBClustersResponse>`)
			return
		}
		w.WriteHeader(status)
		fmt.Fprintf(w, `<ErrorResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><Error><Type>Sender</Type>`+
			`<Code>%s</Code><Message>about %s</Message></Error><RequestId>r</RequestId></ErrorResponse>`, code, code)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, func(o *awsclient.Options) { o.RetryMaxAttempts = 1 })
	err := faultCalls[op](context.Background(), c)
	var e *awsclient.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Errorf("%s answered %s: %v", op, code, err)
		return
	}
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != code {
		t.Errorf("%s answered %s: the SDK's error %T is not that fault", op, code, e.Err)
	}
	if e.Kind == awsclient.KindUnknown {
		t.Errorf("%s answered %s: not classified (sentence %q, hint %q)", op, code, e.Sentence(), e.Hint())
	}
}

// calledOperations are the DocumentDB operations the client's sources
// build an input for (docdb.XInput), in order.
func calledOperations(t *testing.T) []string {
	t.Helper()
	pkgs, err := parser.ParseDir(token.NewFileSet(), ".", func(fi os.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, p := range pkgs {
		ast.Inspect(p, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "docdb" && strings.HasSuffix(sel.Sel.Name, "Input") {
					seen[strings.TrimSuffix(sel.Sel.Name, "Input")] = true
				}
			}
			return true
		})
	}
	ops := make([]string, 0, len(seen))
	for op := range seen {
		ops = append(ops, op)
	}
	slices.Sort(ops)
	if len(ops) < 5 {
		t.Fatalf("found only %v: the sources were not read", ops)
	}
	return ops
}

// sdkDir is where the go command has service/docdb's sources.
func sdkDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aws/aws-sdk-go-v2/service/docdb").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// sdkOperationFaults reads, for each operation, the fault codes its error
// deserializer (awsAwsquery_deserializeOpErrorX) tells apart.
func sdkOperationFaults(t *testing.T, path string, ops []string) map[string][]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	faults := map[string][]string{}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		op, isOp := strings.CutPrefix(fn.Name.Name, "awsAwsquery_deserializeOpError")
		if !isOp || !slices.Contains(ops, op) {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 2 {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "EqualFold" {
				if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					code, _ := strconv.Unquote(lit.Value)
					faults[op] = append(faults[op], code)
				}
			}
			return true
		})
	}
	for _, op := range ops {
		if _, ok := faults[op]; !ok {
			t.Errorf("no error deserializer with faults for %s in %s", op, path)
		}
	}
	return faults
}

// sdkFaultTypes maps each fault code to the type in types/errors.go whose
// ErrorCode returns it: the types that implement smithy.APIError.
func sdkFaultTypes(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]string{}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "ErrorCode" || fn.Recv == nil {
			continue
		}
		star, _ := fn.Recv.List[0].Type.(*ast.StarExpr)
		recv, _ := star.X.(*ast.Ident)
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if ret, ok := n.(*ast.ReturnStmt); ok && len(ret.Results) == 1 {
				if lit, ok := ret.Results[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					code, _ := strconv.Unquote(lit.Value)
					types[code] = recv.Name
				}
			}
			return true
		})
	}
	if len(types) < 20 {
		t.Fatalf("found only %d fault types in %s", len(types), path)
	}
	return types
}

// apiModel is what the test reads of botocore's service-2.json.
type apiModel struct {
	Operations map[string]struct {
		Errors []struct{ Shape string }
	}
	Shapes map[string]struct {
		Error struct {
			Code           string
			HTTPStatusCode int `json:"httpStatusCode"`
		}
	}
}

// botocoreModel reads DocumentDB's API model from botocore, or skips saying
// why (emulatortest.BotocoreModel).
func botocoreModel(t *testing.T) apiModel {
	var m apiModel
	emulatortest.BotocoreModel(t, &m)
	return m
}
