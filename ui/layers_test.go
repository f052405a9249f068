package ui

import (
	"go/build"
	"path/filepath"
	"strings"
	"testing"
)

// TestLayers: the drawing pieces the package doc lists never depend, even
// through another package, on the model or on the delivery that imports
// it, so that the model can import them and no import cycle or hidden
// coupling can grow.
func TestLayers(t *testing.T) {
	const module = "github.com/docsnap/docsnap/"
	drawing := []string{"ui", "ui/table", "ui/sanitize", "ui/awscli"}
	above := []string{"model", "ui/command", "ui/cli", "ui/sshserver"}
	for _, pkg := range drawing {
		seen := map[string]bool{}
		var walk func(path string, via []string)
		walk = func(path string, via []string) {
			if seen[path] {
				return
			}
			seen[path] = true
			for _, a := range above {
				if path == a || strings.HasPrefix(path, a+"/") {
					t.Errorf("%s depends on %s (through %s)", pkg, path, strings.Join(via, " → "))
					return
				}
			}
			p, err := build.ImportDir(filepath.Join("..", filepath.FromSlash(path)), 0)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			for _, imp := range p.Imports {
				if rel, ok := strings.CutPrefix(imp, module); ok {
					walk(rel, append(via[:len(via):len(via)], rel))
				}
			}
		}
		walk(pkg, []string{pkg})
	}
}
