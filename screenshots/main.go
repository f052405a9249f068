// Command screenshots regenerates the README's screenshots and walkthrough
// from the real models, driven by key presses against the demo fleet at a
// fixed clock: the same bytes on every run.
//
//	go run ./screenshots                    # the .ansi sources, the PNGs and walkthrough.gif
//	go run ./screenshots -ansi-only -check  # CI: fail if the sources are out of date
//	go run ./screenshots -markdown          # the images' Markdown, with alt texts, for the README
//
// Each screen is written as NAME.ansi (the frame with its colours, as the
// program draws it), then drawn by freeze (github.com/charmbracelet/freeze,
// built for the run and kept out of go.mod) into NAME.png. The walkthrough's
// frames are walkthrough/NN.ansi, assembled into walkthrough.gif.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// regenerate is the command that brings everything up to date.
const regenerate = "go run ./screenshots"

func main() {
	out := flag.String("out", "", "`directory` to write to (default: screenshots/ of the module)")
	ansiOnly := flag.Bool("ansi-only", false, "write the .ansi sources only, not the images (needs no freeze)")
	check := flag.Bool("check", false, "regenerate the .ansi sources in a temporary directory and fail if they differ from those in -out")
	markdown := flag.Bool("markdown", false, "print the images' Markdown, with their alt text, for the README")
	flag.Parse()
	if *markdown {
		fmt.Print(markdownTags())
		return
	}
	dir := *out
	if dir == "" {
		var err error
		if dir, err = moduleDir(); err != nil {
			fail(err)
		}
	}
	if *check {
		if err := checkCurrent(dir); err != nil {
			fail(err)
		}
		fmt.Println("screenshots: the .ansi sources are up to date")
		return
	}
	if err := generate(dir, *ansiOnly, os.Stdout); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "screenshots:", err)
	os.Exit(1)
}

// markdownTags is an image tag for the walkthrough and each screenshot,
// with its alt text, as the README links them (from the repository root).
func markdownTags() string {
	var b strings.Builder
	fmt.Fprintf(&b, "![%s](screenshots/walkthrough.gif)\n", walkthroughAlt)
	for _, s := range shots() {
		fmt.Fprintf(&b, "![%s](screenshots/%s.png)\n", s.alt, s.name)
	}
	return b.String()
}

// moduleDir is screenshots/ of the module the working directory is in.
func moduleDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil &&
			bytes.HasPrefix(data, []byte("module github.com/docsnap/docsnap\n")) {
			return filepath.Join(dir, "screenshots"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the docsnap module: run from the repository, or pass -out")
		}
		dir = parent
	}
}

// source is one .ansi file: a screen, and how to draw it.
type source struct {
	path   string // relative to the output directory, with slashes
	screen string
	term   theme
	delay  int // in the walkthrough, in hundredths of a second
}

const walkDir = "walkthrough"

// framePath is where the walkthrough's nth frame goes (from 1).
func framePath(n int) string { return fmt.Sprintf("%s/%02d.ansi", walkDir, n) }

// sources takes every screen: the shots, then the walkthrough's frames.
func sources() (shotsOut, frames []source, err error) {
	for _, s := range shots() {
		screen, err := s.take()
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", s.name, err)
		}
		if err := shows(screen, s.want); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", s.name, err)
		}
		shotsOut = append(shotsOut, source{path: s.name + ".ansi", screen: screen, term: s.term})
	}
	walk, err := walkthrough()
	if err != nil {
		return nil, nil, err
	}
	for i, f := range walk {
		frames = append(frames, source{path: framePath(i + 1), screen: f.screen, term: darkTerminal, delay: f.delay})
	}
	return shotsOut, frames, nil
}

// shows checks that a screen shows every one of want.
func shows(screen string, want []string) error {
	text := emulateFrame(screen, plain)
	for _, w := range want {
		if !strings.Contains(text, w) {
			return fmt.Errorf("the screen does not show %q:\n%s", w, text)
		}
	}
	return nil
}

// generate writes the sources into dir and, unless ansiOnly, the images.
func generate(dir string, ansiOnly bool, log io.Writer) error {
	shotList, frames, err := sources()
	if err != nil {
		return err
	}
	all := slices.Concat(shotList, frames)
	if err := writeSources(dir, all); err != nil {
		return err
	}
	if ansiOnly {
		return nil
	}
	tmp, err := os.MkdirTemp("", "docsnap-screenshots-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fmt.Fprintln(log, "building freeze…")
	freeze, err := installFreeze(tmp)
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "drawing %d screens…\n", len(all))
	imgs, err := renderAll(freeze, tmp, all)
	if err != nil {
		return err
	}
	for i, s := range shotList {
		path := filepath.Join(dir, strings.TrimSuffix(s.path, ".ansi")+".png")
		if err := writePNG(path, imgs[i]); err != nil {
			return err
		}
		report(log, path)
	}
	delays := make([]int, len(frames))
	for i, f := range frames {
		delays[i] = f.delay
	}
	path := filepath.Join(dir, "walkthrough.gif")
	if err := writeGIF(path, imgs[len(shotList):], delays); err != nil {
		return err
	}
	report(log, path)
	return nil
}

func report(log io.Writer, path string) {
	if st, err := os.Stat(path); err == nil {
		fmt.Fprintf(log, "%-40s %4d KiB\n", path, (st.Size()+1023)/1024)
	}
}

// writeSources writes every source, and removes the walkthrough's frames
// that are no longer part of it.
func writeSources(dir string, srcs []source) error {
	if err := os.MkdirAll(filepath.Join(dir, walkDir), 0o755); err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, s := range srcs {
		keep[s.path] = true
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(s.path)), []byte(s.screen), 0o644); err != nil {
			return err
		}
	}
	old, err := filepath.Glob(filepath.Join(dir, walkDir, "*.ansi"))
	if err != nil {
		return err
	}
	for _, p := range old {
		if rel, _ := filepath.Rel(dir, p); !keep[filepath.ToSlash(rel)] {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// renderAll draws every source with freeze, as many at once as there are
// processors.
func renderAll(freeze, tmp string, srcs []source) ([]*image.RGBA, error) {
	imgs := make([]*image.RGBA, len(srcs))
	errs := make([]error, len(srcs))
	work := make(chan int)
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Go(func() {
			for i := range work {
				name := strings.ReplaceAll(strings.TrimSuffix(srcs[i].path, ".ansi"), "/", "-")
				imgs[i], errs[i] = render(freeze, tmp, name, srcs[i].screen, srcs[i].term)
			}
		})
	}
	for i := range srcs {
		work <- i
	}
	close(work)
	wg.Wait()
	return imgs, errors.Join(errs...)
}

// checkCurrent regenerates the sources in a temporary directory and says
// which of dir's differ.
func checkCurrent(dir string) error {
	tmp, err := os.MkdirTemp("", "docsnap-screenshots-check-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := generate(tmp, true, io.Discard); err != nil {
		return err
	}
	want, err := ansiFiles(tmp)
	if err != nil {
		return err
	}
	have, err := ansiFiles(dir)
	if err != nil {
		return err
	}
	var stale []string
	for p, w := range want {
		if h, ok := have[p]; !ok || !bytes.Equal(h, w) {
			stale = append(stale, p)
		}
	}
	for p := range have {
		if _, ok := want[p]; !ok {
			stale = append(stale, p+" (no longer made)")
		}
	}
	if len(stale) == 0 {
		return nil
	}
	slices.Sort(stale)
	if len(stale) > 6 {
		stale = append(stale[:5], fmt.Sprintf("and %d more", len(stale)-5))
	}
	return fmt.Errorf("the screenshots are out of date (%s); run `%s` and commit screenshots/",
		strings.Join(stale, ", "), regenerate)
}

// ansiFiles reads every .ansi file under dir, by path relative to it.
func ansiFiles(dir string) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".ansi" {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = data
		return nil
	})
	return out, err
}
