package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The sources come out byte for byte the same on every run, and each
// screen shows what its image is for.
func TestSourcesAreDeterministicAndShowTheirPoint(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := generate(dir, true, io.Discard); err != nil {
			t.Fatal(err)
		}
	}
	first, err := ansiFiles(a)
	if err != nil {
		t.Fatal(err)
	}
	second, err := ansiFiles(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != len(second) {
		t.Fatalf("%d files, then %d", len(first), len(second))
	}
	for p, data := range first {
		if !bytes.Equal(data, second[p]) {
			t.Errorf("%s differs between two runs", p)
		}
	}

	text := func(p string) string {
		t.Helper()
		data, ok := first[p]
		if !ok {
			t.Fatalf("no %s", p)
		}
		return emulateFrame(string(data), plain)
	}
	for _, s := range shots() {
		for _, w := range s.want {
			if got := text(s.name + ".ansi"); !strings.Contains(got, w) {
				t.Errorf("%s does not show %q:\n%s", s.name, w, got)
			}
		}
	}
	if got := text("form-error.ansi"); !strings.Contains(got, "✗ character 12 '_' is not allowed") {
		t.Errorf("the form shows no live error for the '_':\n%s", got)
	}
	if p := percent(string(first["progress.ansi"])); p < 30 || p > 50 {
		t.Errorf("the progress shot is at %d%%, want about 40%%", p)
	}
	if got := text("tracking.ansi"); strings.Count(got, "%") != 2 || !strings.Contains(got, "Tracking: "+storedID) {
		t.Errorf("the footer does not track two snapshots:\n%s", got)
	}
	if text("light.ansi") != text("clusters.ansi") || bytes.Equal(first["light.ansi"], first["clusters.ansi"]) {
		t.Error("the light shot should be the clusters shot in other colours")
	}

	// The walkthrough: the list, the live error, the confirmation, and a
	// progress that only goes up, to 100%.
	var frames []string
	for i := 1; ; i++ {
		p := framePath(i)
		if _, ok := first[p]; !ok {
			break
		}
		frames = append(frames, text(p))
	}
	if len(frames) < 20 {
		t.Fatalf("the walkthrough has %d frames", len(frames))
	}
	if !strings.Contains(frames[0], "IDENTIFIER") {
		t.Errorf("the walkthrough starts with:\n%s", frames[0])
	}
	var sawError, sawConfirm bool
	last := -1
	for _, f := range frames {
		sawError = sawError || strings.Contains(f, "✗ character 12 '_'")
		sawConfirm = sawConfirm || strings.Contains(f, "aws docdb create-db-cluster-snapshot")
		if strings.Contains(f, "Snapshot "+storedID) {
			p := percent(f)
			if p < last {
				t.Errorf("the progress went from %d%% to %d%%", last, p)
			}
			last = p
		}
	}
	if !sawError || !sawConfirm || last != 100 {
		t.Errorf("walkthrough: live error %v, confirmation %v, last progress %d%%", sawError, sawConfirm, last)
	}
	if end := frames[len(frames)-1]; !strings.Contains(end, "The snapshot is available") {
		t.Errorf("the walkthrough ends with:\n%s", end)
	}
}

// The check passes on fresh sources and names the stale ones, and the
// command to run, otherwise.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	if err := generate(dir, true, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := checkCurrent(dir); err != nil {
		t.Fatalf("fresh sources: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "confirm.ansi"), []byte("an older screen"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, walkDir, "99.ansi"), []byte("a frame no longer made"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := checkCurrent(dir)
	if err == nil {
		t.Fatal("stale sources passed the check")
	}
	for _, want := range []string{"confirm.ansi", "walkthrough/99.ansi", "go run ./screenshots"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the check says %q, without %q", err, want)
		}
	}
}

// Every image has its tag, with an alt text, for the README.
func TestMarkdown(t *testing.T) {
	lines := strings.Split(strings.TrimSpace(markdownTags()), "\n")
	if want := len(shots()) + 1; len(lines) != want {
		t.Fatalf("%d image tags, want %d", len(lines), want)
	}
	for _, l := range lines {
		if strings.HasPrefix(l, "![](") || !strings.HasPrefix(l, "![") || !strings.HasSuffix(l, ")") {
			t.Errorf("image tag without alt text: %s", l)
		}
	}
}
