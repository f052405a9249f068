package main

import (
	"bytes"
	"cmp"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"

	"github.com/charmbracelet/x/vt"
)

// freezePkg renders the images. It is installed into a temporary directory
// for the run, never into go.mod.
const freezePkg = "github.com/charmbracelet/freeze@v0.2.2"

// installFreeze builds freeze into dir and returns its path.
func installFreeze(dir string) (string, error) {
	cmd := exec.Command("go", "install", freezePkg)
	cmd.Env = append(os.Environ(), "GOBIN="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go install %s: %w\n%s", freezePkg, err, out)
	}
	return filepath.Join(dir, "freeze"), nil
}

// render draws a frame of the terminal t with freeze and returns the image
// at half freeze's size (freeze draws a PNG at four times its SVG's size:
// half of that is sharp on high-density screens and a quarter of the
// bytes). tmp is a directory for freeze's file.
func render(freeze, tmp, name, content string, t theme) (*image.RGBA, error) {
	input := emulateFrame(content, func(e *vt.Emulator) string { return forFreeze(e, t) })
	out := filepath.Join(tmp, name+".png")
	cmd := exec.Command(freeze, "--window=false", "--padding", "24", "--margin", "0",
		"--background", hexColour(t.bg), "-o", out)
	cmd.Stdin = bytes.NewReader([]byte(input))
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("freeze %s: %w\n%s", name, err, msg)
	}
	f, err := os.Open(out)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("freeze %s: %w", name, err)
	}
	return halve(img), nil
}

func hexColour(c color.Color) string {
	v := rgba(c)
	return fmt.Sprintf("#%02x%02x%02x", v.R, v.G, v.B)
}

// halve scales img down by two, each pixel the mean of four, opaque.
func halve(img image.Image) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx()/2, b.Dy()/2))
	for y := range out.Rect.Dy() {
		for x := range out.Rect.Dx() {
			var sum [3]uint32
			for _, d := range [4]image.Point{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
				r, g, bl, _ := img.At(b.Min.X+2*x+d.X, b.Min.Y+2*y+d.Y).RGBA()
				sum[0], sum[1], sum[2] = sum[0]+r, sum[1]+g, sum[2]+bl
			}
			out.SetRGBA(x, y, color.RGBA{R: uint8(sum[0] / 4 >> 8), G: uint8(sum[1] / 4 >> 8), B: uint8(sum[2] / 4 >> 8), A: 0xff})
		}
	}
	return out
}

// palette is the n commonest colours of imgs, commonest first (ties by
// value, so that the same images give the same palette). A terminal screen
// has a few colours and the shades that smooth its glyphs' edges.
func palette(n int, imgs ...*image.RGBA) color.Palette {
	counts := map[color.RGBA]int{}
	for _, img := range imgs {
		for i := 0; i < len(img.Pix); i += 4 {
			p := img.Pix[i : i+4 : i+4]
			counts[color.RGBA{p[0], p[1], p[2], p[3]}]++
		}
	}
	type entry struct {
		c color.RGBA
		n int
	}
	all := make([]entry, 0, len(counts))
	for c, k := range counts {
		all = append(all, entry{c, k})
	}
	key := func(c color.RGBA) uint32 { return uint32(c.R)<<16 | uint32(c.G)<<8 | uint32(c.B) }
	slices.SortFunc(all, func(a, b entry) int {
		return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(key(a.c), key(b.c)))
	})
	pal := make(color.Palette, 0, n)
	for _, e := range all[:min(n, len(all))] {
		pal = append(pal, e.c)
	}
	return pal
}

// paletted maps img onto pal, each pixel to its nearest colour.
func paletted(img *image.RGBA, pal color.Palette) *image.Paletted {
	out := image.NewPaletted(img.Rect, pal)
	index := map[color.RGBA]uint8{}
	for i, j := 0, 0; i < len(img.Pix); i, j = i+4, j+1 {
		p := img.Pix[i : i+4 : i+4]
		c := color.RGBA{p[0], p[1], p[2], p[3]}
		k, ok := index[c]
		if !ok {
			k = uint8(pal.Index(c))
			index[c] = k
		}
		out.Pix[j] = k
	}
	return out
}

// writePNG writes img with a palette of its 256 commonest colours: a
// quarter of the bytes of full colour, and no difference to see.
func writePNG(path string, img *image.RGBA) error {
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&b, paletted(img, palette(256, img))); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// writeGIF writes an animation of frames, each shown for its delay (in
// hundredths of a second), looping. One palette serves every frame, and
// each frame after the first holds only the rectangle that changed.
func writeGIF(path string, frames []*image.RGBA, delays []int) error {
	pal := palette(256, frames...)
	anim := &gif.GIF{Config: image.Config{ColorModel: pal, Width: frames[0].Rect.Dx(), Height: frames[0].Rect.Dy()}}
	var prev *image.Paletted
	for i, f := range frames {
		p := paletted(f, pal)
		if prev == nil {
			anim.Image, anim.Delay = append(anim.Image, p), append(anim.Delay, delays[i])
			anim.Disposal = append(anim.Disposal, gif.DisposalNone)
			prev = p
			continue
		}
		changed := diff(prev, p)
		prev = p
		if changed.Empty() {
			anim.Delay[len(anim.Delay)-1] += delays[i]
			continue
		}
		anim.Image = append(anim.Image, p.SubImage(changed).(*image.Paletted))
		anim.Delay = append(anim.Delay, delays[i])
		anim.Disposal = append(anim.Disposal, gif.DisposalNone)
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, anim); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// diff is the smallest rectangle holding every pixel that differs.
func diff(a, b *image.Paletted) image.Rectangle {
	var r image.Rectangle
	w := a.Rect.Dx()
	for y := range a.Rect.Dy() {
		for x := range w {
			if a.Pix[y*a.Stride+x] != b.Pix[y*b.Stride+x] {
				r = r.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return r
}
