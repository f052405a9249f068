package model

import (
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/model/cursor"
	"github.com/docsnap/docsnap/model/filter"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/sanitize"
)

type pickKind uint8

const (
	pickProfiles pickKind = iota
	pickRegions
)

// pickItem is one choice of a picker.
type pickItem struct {
	value   string // what switching takes
	detail  string // what is said of it
	current bool   // what the list shows now
	search  string // value and detail, lowered, for typing to filter
}

// picker is the profile or region picker: a list narrowed by typing, the
// cursor on a choice; regions can be marked (space) to list several.
type picker struct {
	kind    pickKind
	items   []pickItem
	shown   []int // the items matching what is typed
	input   textinput.Model
	cur     cursor.Cursor
	marked  map[string]bool
	loading bool
	err     error
	back    screen
}

func (p *picker) init() {
	p.input = newField(128)
}

func (p *picker) open(kind pickKind, back screen) {
	p.kind, p.back = kind, back
	p.items, p.shown, p.err, p.loading = nil, nil, nil, false
	p.marked = map[string]bool{}
	p.input.SetValue("")
	p.input.Focus()
	p.cur = cursor.Cursor{}
}

// setItems fills the picker, the cursor on the current choice.
func (p *picker) setItems(items []pickItem) {
	for i := range items {
		items[i].search = filter.Lower(items[i].value + " " + items[i].detail)
	}
	p.items = items
	p.refilter()
	for i, k := range p.shown {
		if p.items[k].current {
			p.cur.Set(i)
			break
		}
	}
}

// refilter keeps the items that contain every word typed.
func (p *picker) refilter() {
	words := strings.Fields(filter.Lower(p.input.Value()))
	p.shown = p.shown[:0]
	for i, it := range p.items {
		ok := true
		for _, w := range words {
			ok = ok && strings.Contains(it.search, w)
		}
		if ok {
			p.shown = append(p.shown, i)
		}
	}
	p.cur.SetLen(len(p.shown))
}

func (p *picker) selected() (pickItem, bool) {
	if len(p.shown) == 0 {
		return pickItem{}, false
	}
	return p.items[p.shown[p.cur.Pos()]], true
}

// openProfiles opens the profile picker and reads the profiles.
func (m *Model) openProfiles() tea.Cmd {
	if m.cannotSwitch() {
		return nil
	}
	if m.cfg.Profiles == nil {
		m.status = "No AWS profiles to choose from here: start docsnap with --profile instead."
		if m.cfg.Demo {
			m.status = "The demo has no AWS profiles; " + keyName(m.keys.Region) + " switches its regions."
		}
		return nil
	}
	m.picker.open(pickProfiles, m.screen)
	m.picker.loading = true
	m.screen = screenPicker
	return m.loadProfiles()
}

// profilesArrived fills the profile picker, and the command line's
// completion.
func (m *Model) profilesArrived(msg profilesMsg) {
	m.cmdline.profiles = m.cmdline.profiles[:0]
	for _, p := range msg.profiles {
		m.cmdline.profiles = append(m.cmdline.profiles, p.Name)
	}
	p := &m.picker
	if p.kind != pickProfiles || !p.loading {
		return
	}
	p.loading, p.err = false, msg.err
	current := profileName(m.Target().Profile)
	items := make([]pickItem, 0, len(msg.profiles))
	for _, pr := range msg.profiles {
		items = append(items, pickItem{value: sanitize.String(pr.Name), detail: profileDetail(pr), current: pr.Name == current})
	}
	p.setItems(items)
}

// profileDetail says where a profile's credentials come from.
func profileDetail(p awsclient.Profile) string {
	var parts []string
	switch {
	case p.SSO && p.SSOSession != "":
		parts = append(parts, "sso (session "+p.SSOSession+")")
	case p.SSO:
		parts = append(parts, "sso")
	case p.Role != "":
		parts = append(parts, "assumes "+p.Role)
	case p.InCredentials:
		parts = append(parts, "keys")
	}
	if p.Region != "" {
		parts = append(parts, p.Region)
	}
	return sanitize.String(strings.Join(parts, " · "))
}

// openRegions opens the region picker; the regions listed now are marked
// when there are several.
func (m *Model) openRegions() tea.Cmd {
	if m.cannotSwitch() {
		return nil
	}
	m.picker.open(pickRegions, m.screen)
	m.screen = screenPicker
	current := m.regions()
	if len(current) > 1 {
		for _, r := range current {
			m.picker.marked[r] = true
		}
	}
	all, _ := awsclient.ParseRegions(awsclient.AllRegions)
	items := []pickItem{{value: awsclient.AllRegions, detail: "every region below but China and GovCloud (" + strconv.Itoa(len(all)) + ")",
		current: slices.Equal(current, all)}}
	for _, r := range awsclient.Regions {
		d := r.Name
		if r.OptIn {
			d += " · opt-in"
		}
		if r.Partition != "aws" {
			d += " · needs " + r.Partition + " credentials"
		}
		items = append(items, pickItem{value: r.Code, detail: d, current: len(current) == 1 && current[0] == r.Code})
	}
	m.picker.setItems(items)
	return nil
}

func (m *Model) pickerKey(k tea.KeyPressMsg) tea.Cmd {
	p := &m.picker
	if key.Matches(k, m.keys.Back) {
		if p.input.Value() != "" {
			p.input.SetValue("")
			p.refilter()
			return nil
		}
		m.screen = p.back
		return nil
	}
	switch k.String() {
	case "enter":
		return m.pick()
	case "up":
		p.cur.Move(-1)
		return nil
	case "down":
		p.cur.Move(1)
		return nil
	case "pgup":
		p.cur.PageUp()
		return nil
	case "pgdown":
		p.cur.PageDown()
		return nil
	}
	if key.Matches(k, m.keys.Help) && p.input.Value() == "" {
		m.showHelp = !m.showHelp
		return nil
	}
	if p.kind == pickRegions && key.Matches(k, m.keys.Mark) {
		if it, ok := p.selected(); ok && it.value != awsclient.AllRegions {
			p.marked[it.value] = !p.marked[it.value]
			if !p.marked[it.value] {
				delete(p.marked, it.value)
			}
			p.cur.Move(1)
		}
		return nil
	}
	ui.Edit(&p.input, k)
	p.refilter()
	return nil
}

// pick switches to the chosen profile, or to the marked regions (else the
// one under the cursor).
func (m *Model) pick() tea.Cmd {
	p := &m.picker
	it, ok := p.selected()
	if p.kind == pickProfiles {
		if !ok {
			return nil
		}
		m.screen = screenClusters
		return m.switchTo(it.value, nil, "profile "+it.value)
	}
	var codes []string
	if len(p.marked) > 0 {
		for _, it := range p.items {
			if p.marked[it.value] {
				codes = append(codes, it.value)
			}
		}
	} else if ok {
		codes = []string{it.value}
	}
	regions, err := awsclient.ParseRegions(strings.Join(codes, ","))
	if err != nil || len(regions) == 0 {
		return nil
	}
	m.screen = screenClusters
	return m.switchTo(m.Target().Profile, regions, regionsText(regions))
}

// regionsText names regions for the header and notices: a few by name,
// many by number.
func regionsText(regions []string) string {
	if len(regions) <= 3 {
		return strings.Join(regions, ", ")
	}
	return strconv.Itoa(len(regions)) + " regions"
}

// pickerView draws the picker: a title, the field typed to filter, the
// choices. It returns where the terminal's cursor goes (relative to the
// body).
func (m *Model) pickerView(b *strings.Builder, height int) *tea.Cursor {
	p := &m.picker
	s := m.styles
	w := m.width
	title := " Profiles · from the shared AWS config and credentials files"
	if p.kind == pickRegions {
		title = " Regions where DocumentDB is offered · " + keyName(m.keys.Mark) + " marks several"
		if n := len(p.marked); n > 0 {
			title = " Regions where DocumentDB is offered · " + count(n, "region") + " marked"
		}
	}
	win := newWindow(b, height)
	win.line(s.Heading.Render(ui.Truncate(title, w)))
	field, x := s.Field(p.input.Value(), p.input.Position(), max(w-4, 1))
	win.line(" " + s.Accent.Render("›") + " " + field)
	switch {
	case p.loading:
		win.line(s.Muted.Render(ui.Truncate("   "+m.spinner()+" Reading the profiles…", w)))
	case p.err != nil:
		for _, l := range m.errorLines("Could not read the profiles.", p.err, "") {
			for _, wl := range wrapStyled(l, w-3) {
				win.line("   " + wl)
			}
		}
	case len(p.items) == 0 && p.kind == pickProfiles:
		win.line(ui.Truncate("   No profiles in the shared AWS config and credentials files.", w))
		win.line(s.Muted.Render(ui.Truncate("   `aws configure` or `aws configure sso` makes one.", w)))
	case len(p.shown) == 0:
		win.line(s.Muted.Render(ui.Truncate("   Nothing matches "+strconv.Quote(sanitize.String(p.input.Value()))+": "+keyName(m.keys.Back)+" clears it.", w)))
	}
	labelW := 0
	for _, i := range p.shown {
		labelW = max(labelW, ui.Width(p.items[i].value))
	}
	labelW = min(labelW, max(w/3, 8))
	win.rows(&p.cur, s.Gutter.Render("▌")+" ", func(b *strings.Builder, i int, sel bool) {
		it := p.items[p.shown[i]]
		var rb strings.Builder
		switch {
		case p.marked[it.value]:
			rb.WriteString(s.Good.Render("✓ "))
		case it.current:
			rb.WriteString(s.Accent.Render("● "))
		default:
			rb.WriteString("  ")
		}
		label := ui.Fit(it.value, labelW)
		if sel {
			label = s.Selected.Render(label)
		}
		rb.WriteString(label)
		rb.WriteString("  ")
		rb.WriteString(s.Muted.Render(ui.Truncate(it.detail, max(w-6-labelW, 0))))
		b.WriteString(ui.Truncate(rb.String(), w-2)) // after the gutter
	})
	win.fill()
	c := tea.NewCursor(min(3+x, w-1), 1)
	c.Blink = false
	return c
}
