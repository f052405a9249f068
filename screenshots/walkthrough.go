package main

import (
	"fmt"
	"strings"

	"github.com/docsnap/docsnap/ui"
)

// walkthroughAlt is the walkthrough's alt text.
const walkthroughAlt = "Walkthrough: the clusters list, the cursor moved down to " + cluster +
	"; s opens the snapshot form; the identifier " + typo + " is refused as it is typed (character 12 '_' is not allowed); " +
	"retyped as " + snapID + ", which AWS stores in lower case; two tags added; enter shows the confirmation with the same request " +
	"as an aws docdb create-db-cluster-snapshot command; enter creates the snapshot, and its progress bar fills to 100%"

// still is one frame of the walkthrough and how long it shows, in
// hundredths of a second.
type still struct {
	screen string
	delay  int
}

// walkthrough is the main flow as one user would go through it: the list,
// down to orders-prod, the form, an identifier with a typo and its live
// error, the fix, two tags, the confirmation, and the progress to 100%.
func walkthrough() ([]still, error) {
	d, err := newDriver(ui.ThemeDark, width, height)
	if err != nil {
		return nil, err
	}
	var out []still
	show := func(delay int) { out = append(out, still{d.view(), delay}) }
	typeShown := func(s string, perFrame, delay int) {
		for len(s) > 0 {
			n := min(perFrame, len(s))
			d.keys(s[:n])
			s = s[n:]
			show(delay)
		}
	}

	show(150)
	if err := d.selectRow(cluster, func() { show(12) }); err != nil {
		return nil, err
	}
	out[len(out)-1].delay = 80
	d.keys("s")
	show(180)
	d.keys(ctrlU)
	show(60)
	// The typo, and the error it gets as soon as it is typed.
	i := strings.IndexByte(typo, '_')
	typeShown(typo[:i], 4, 10)
	typeShown(typo[i:i+1], 1, 260)
	typeShown(typo[i+1:], 5, 10)
	out[len(out)-1].delay = 120
	// The fix.
	d.keys(ctrlU)
	show(40)
	typeShown(snapID, 5, 10)
	out[len(out)-1].delay = 200
	for j, t := range tags {
		next := tab // the first row is there
		if j > 0 {
			next = ctrlN
		}
		d.keys(next)
		show(40)
		typeShown(t[0], 3, 10)
		d.keys(tab)
		show(30)
		typeShown(t[1], 4, 10)
	}
	out[len(out)-1].delay = 150
	d.keys(enter)
	if !strings.Contains(d.text(), "Create this snapshot?") {
		return nil, fmt.Errorf("walkthrough: no confirmation:\n%s", d.text())
	}
	show(400)
	d.keys(enter)
	show(100)
	// Each poll, as it arrives.
	for !strings.Contains(d.text(), "The snapshot is available") {
		d.advance(pollInterval)
		show(45)
		if len(out) > 200 {
			return nil, fmt.Errorf("walkthrough: the snapshot never became available")
		}
	}
	out[len(out)-1].delay = 500
	return out, nil
}
