package model

import (
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/ui"
	"github.com/docsnap/docsnap/ui/sanitize"
)

// cmdline is the : command line (as in k9s and vim): a command and its
// argument, completed with tab.
type cmdline struct {
	on       bool
	input    textinput.Model
	profiles []string // for completion, once read
}

func (c *cmdline) init() {
	c.input = newField(512)
	c.input.KeyMap.AcceptSuggestion.SetEnabled(false) // tab completes
}

// commands are what the command line runs; a unique prefix names one.
var commands = []struct{ name, args, does string }{
	{"profile", "NAME", "switch profile (alone: the picker)"},
	{"region", "REGION[,REGION...]|all", "switch regions (alone: the picker)"},
	{"sort", "COLUMN [asc|desc]", "sort the list (none: as listed)"},
	{"filter", "QUERY", "filter the list"},
	{"quit", "", "quit"},
	{"snapshots", "", "every snapshot of the regions"},
	{"batch", "", "the progress of the last fleet of snapshots"},
}

func (m *Model) openCmdline() tea.Cmd {
	c := &m.cmdline
	c.on = true
	c.input.SetValue("")
	c.input.Focus()
	if m.cfg.Profiles != nil && m.cfg.Connect != nil {
		return m.loadProfiles() // for completion
	}
	return nil
}

func (m *Model) cmdlineKey(k tea.KeyPressMsg) tea.Cmd {
	c := &m.cmdline
	switch {
	case key.Matches(k, m.keys.Back):
		c.on = false
	case k.String() == "enter":
		c.on = false
		return m.run(c.input.Value())
	case key.Matches(k, m.keys.Complete):
		c.complete()
	default:
		ui.Edit(&c.input, k)
	}
	return nil
}

// findCommand is the command name names: itself, or a unique prefix ("q"
// quits).
func findCommand(name string) (string, bool) {
	name = strings.ToLower(name)
	var found []string
	for _, c := range commands {
		if c.name == name {
			return c.name, true
		}
		if strings.HasPrefix(c.name, name) {
			found = append(found, c.name)
		}
	}
	if len(found) == 1 || len(found) > 1 && name == "q" {
		return found[0], true
	}
	return "", false
}

// run runs a command line.
func (m *Model) run(line string) tea.Cmd {
	word, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
	arg = strings.TrimSpace(arg)
	if word == "" {
		return nil
	}
	name, ok := findCommand(word)
	if !ok {
		m.status = "Unknown command " + strconv.Quote(sanitize.String(word)) + ": the commands are profile, region, sort, filter, snapshots, batch and quit."
		return nil
	}
	switch name {
	case "profile":
		if arg == "" {
			return m.openProfiles()
		}
		return m.switchTo(arg, nil, "profile "+sanitize.String(arg))
	case "region":
		if arg == "" {
			return m.openRegions()
		}
		regions, err := awsclient.ParseRegions(arg)
		if err != nil || len(regions) == 0 {
			m.status = "region: " + sanitize.String(errText(err, "name a region, a list, or all"))
			return nil
		}
		return m.switchTo(m.Target().Profile, regions, regionsText(regions))
	case "sort":
		return m.sortCommand(arg)
	case "filter":
		m.list.input.SetValue(arg)
		m.list.input.CursorEnd()
		m.screen = screenClusters
		return m.list.applyFilter(m)
	case "snapshots":
		return m.openSnaps()
	case "batch":
		if m.fleet.batch == nil {
			m.status = "No fleet of snapshots yet: mark clusters (space, ctrl+a), then s."
			return nil
		}
		m.screen, m.fleet.stage = screenFleet, fleetProgress
		return nil
	case "quit":
		return m.quit()
	}
	return nil
}

func errText(err error, otherwise string) string {
	if err != nil {
		return err.Error()
	}
	return otherwise
}

// sortCommand sorts by a column named by its title (or a prefix), asc or
// desc; none (or nothing) shows the list as listed.
func (m *Model) sortCommand(arg string) tea.Cmd {
	col, dir, _ := strings.Cut(arg, " ")
	col, dir = strings.ToLower(col), strings.ToLower(strings.TrimSpace(dir))
	if col == "" || col == "none" {
		m.list.setSort(noSort, false)
		return nil
	}
	found := noSort
	for _, i := range sortable(true, true) {
		if strings.HasPrefix(clusterColumns[i].name, col) {
			found = i
			break
		}
	}
	if found == noSort || dir != "" && dir != "asc" && dir != "desc" {
		m.status = "sort: want a column (" + strings.Join(sortNames, ", ") + " or none), then asc or desc."
		return nil
	}
	m.list.setSort(found, dir == "desc")
	return nil
}

// candidates are the completions of the word being typed: command names
// first, then the command's argument. from is where that word starts.
func (c *cmdline) candidates() (cands []string, from int) {
	v := c.input.Value()
	name, arg, spaced := strings.Cut(v, " ")
	if !spaced {
		for _, cmd := range commands {
			if strings.HasPrefix(cmd.name, strings.ToLower(name)) {
				cands = append(cands, cmd.name)
			}
		}
		return cands, 0
	}
	from = len(name) + 1
	cmd, _ := findCommand(name)
	var pool []string
	switch cmd {
	case "profile":
		pool = c.profiles
	case "region":
		if i := strings.LastIndexByte(arg, ','); i >= 0 {
			from += i + 1
			arg = arg[i+1:]
		}
		pool = append(pool, awsclient.AllRegions)
		for _, r := range awsclient.Regions {
			pool = append(pool, r.Code)
		}
	case "sort":
		if i := strings.LastIndexByte(arg, ' '); i >= 0 {
			from += i + 1
			arg = arg[i+1:]
			pool = []string{"asc", "desc"}
		} else {
			pool = append(slices.Clone(sortNames), "none")
		}
	}
	for _, p := range pool {
		if strings.HasPrefix(p, arg) {
			cands = append(cands, p)
		}
	}
	return cands, from
}

// complete replaces the word being typed with its completion, or with the
// longest prefix its candidates share.
func (c *cmdline) complete() {
	cands, from := c.candidates()
	if len(cands) == 0 {
		return
	}
	v := c.input.Value()
	done := cands[0]
	for _, cand := range cands[1:] {
		done = commonPrefix(done, cand)
	}
	if len(cands) == 1 && from == 0 {
		done += " "
	}
	c.input.SetValue(v[:from] + done)
	c.input.CursorEnd()
}

func commonPrefix(a, b string) string {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return a[:n]
}

// hint is the line over the command line: what completes the word being
// typed, or the commands.
func (c *cmdline) hint() string {
	cands, from := c.candidates()
	if from == 0 {
		var parts []string
		for _, cmd := range commands {
			if slices.Contains(cands, cmd.name) {
				parts = append(parts, strings.TrimSpace(cmd.name+" "+cmd.args))
			}
		}
		if len(parts) == 0 {
			return "no such command: profile, region, sort, filter, quit"
		}
		return strings.Join(parts, " · ")
	}
	if len(cands) == 0 {
		return "no completion"
	}
	return sanitize.String(strings.Join(cands, "  "))
}
