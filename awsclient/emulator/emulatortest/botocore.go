package emulatortest

import (
	"compress/gzip"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Botocore's directories of the models of the APIs docsnap speaks.
const (
	DocDBModel        = "docdb/2014-10-31"
	DocDBElasticModel = "docdb-elastic/2022-11-28"
)

// BotocoreModel decodes the DocumentDB API model botocore ships
// (service-2.json, what the AWS SDKs and CLIs are generated from) into m,
// or skips the test saying why; with DOCSNAP_REQUIRE_INTEROP=1, as in CI,
// a missing model fails it instead.
func BotocoreModel(tb testing.TB, m any) {
	tb.Helper()
	BotocoreServiceModel(tb, DocDBModel, m)
}

// BotocoreServiceModel is BotocoreModel for the model in botocore's
// directory dir (DocDBModel, DocDBElasticModel).
func BotocoreServiceModel(tb testing.TB, dir string, m any) {
	tb.Helper()
	missing := func(why string, err error) {
		if os.Getenv("DOCSNAP_REQUIRE_INTEROP") == "1" {
			tb.Fatalf("botocore's model is required (DOCSNAP_REQUIRE_INTEROP=1): %s: %v", why, err)
		}
		tb.Skipf("skipping: %s (%v); pip install botocore, or set DOCSNAP_REQUIRE_INTEROP=1 to make this a failure", why, err)
	}
	out, err := exec.Command("python3", "-c", "import botocore, os; print(os.path.dirname(botocore.__file__))").Output()
	if err != nil {
		missing("python3 with botocore was not found", err)
	}
	path := filepath.Join(strings.TrimSpace(string(out)), "data", filepath.FromSlash(dir), "service-2.json.gz")
	f, err := os.Open(path)
	if err != nil {
		missing("botocore has no model "+dir, err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	if err := json.NewDecoder(z).Decode(m); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
}
