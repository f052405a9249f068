package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
)

// KeyMap is every key docsnap answers to. The README's key table is a
// contract users learn by heart, so these defaults do not change: / filters,
// r refreshes or retries, enter opens, s snapshots, ? toggles help, q and
// ctrl+c quit, esc goes back.
type KeyMap struct {
	Up, Down, Top, Bottom, PageUp, PageDown key.Binding

	Open, Snapshot, Filter, Refresh, Back, Help, Quit, ForceQuit key.Binding
	// Copy copies the selected identifier, CopyARN its ARN (OSC 52).
	Copy, CopyARN key.Binding
	// Sort cycles the sort column; SortReverse reverses the order.
	Sort, SortReverse key.Binding
	// Profile and Region open the pickers; Command the : command line.
	Profile, Region, Command key.Binding
	// While typing a filter.
	FilterDone, FilterClear key.Binding
	// Mark marks a region in a picker (several regions at once), a cluster
	// on the list (a snapshot of each); MarkAll marks every cluster the
	// filter shows, or clears the marks.
	Mark, MarkAll key.Binding
	// On the command line: Complete completes the word.
	Complete key.Binding

	// The snapshot form.
	NextField, PrevField, AddTag, DeleteTag, Review, RetryCreate key.Binding
	// The confirmation.
	Create, Edit key.Binding
	// The progress screen.
	CheckNow, ToList key.Binding
	// The multi-progress view of a fleet: RetryFailed sends the failed
	// creates again.
	RetryFailed key.Binding
	// The quit question.
	Yes, No key.Binding

	// Snapshots opens the snapshots view; on it Mark and MarkAll mark rows
	// as on the list, and CopySnapshot, DeleteSnapshot and ShareSnapshot
	// act on the row (or the marked rows, for a delete). Confirm sends what
	// a typed confirmation allows; RemoveAccount removes an account on the
	// share screen.
	Snapshots, CopySnapshot, DeleteSnapshot, ShareSnapshot, Confirm, RemoveAccount key.Binding
}

// DefaultKeyMap is docsnap's key map.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return KeyMap{
		Up:       b([]string{"up", "k"}, "↑/k", "up"),
		Down:     b([]string{"down", "j"}, "↓/j", "down"),
		Top:      b([]string{"g", "home"}, "g/home", "first"),
		Bottom:   b([]string{"G", "end"}, "G/end", "last"),
		PageUp:   b([]string{"pgup", "ctrl+b", "ctrl+u"}, "pgup", "page up"),
		PageDown: b([]string{"pgdown", "ctrl+f", "ctrl+d"}, "pgdn", "page down"),

		Open:      b([]string{"enter"}, "enter", "open"),
		Snapshot:  b([]string{"s"}, "s", "snapshot"),
		Filter:    b([]string{"/"}, "/", "filter"),
		Refresh:   b([]string{"r"}, "r", "refresh"),
		Back:      b([]string{"esc"}, "esc", "back"),
		Help:      b([]string{"?"}, "?", "help"),
		Quit:      b([]string{"q"}, "q", "quit"),
		ForceQuit: b([]string{"ctrl+c"}, "ctrl+c", "quit"),

		Copy:        b([]string{"y"}, "y", "copy id"),
		CopyARN:     b([]string{"Y"}, "Y", "copy ARN"),
		Sort:        b([]string{"o"}, "o", "sort"),
		SortReverse: b([]string{"O"}, "O", "reverse sort"),
		Profile:     b([]string{"P"}, "P", "profile"),
		Region:      b([]string{"R"}, "R", "region"),
		Command:     b([]string{":"}, ":", "command"),

		Mark:     b([]string{"space"}, "space", "mark"),
		MarkAll:  b([]string{"ctrl+a"}, "ctrl+a", "mark all"),
		Complete: b([]string{"tab"}, "tab", "complete"),

		FilterDone:  b([]string{"enter"}, "enter", "keep filter"),
		FilterClear: b([]string{"esc"}, "esc", "clear filter"),

		NextField:   b([]string{"tab"}, "tab", "next field"),
		PrevField:   b([]string{"shift+tab"}, "shift+tab", "previous field"),
		AddTag:      b([]string{"ctrl+n"}, "ctrl+n", "add tag"),
		DeleteTag:   b([]string{"ctrl+d"}, "ctrl+d", "delete tag"),
		Review:      b([]string{"enter"}, "enter", "review"),
		RetryCreate: b([]string{"ctrl+r"}, "ctrl+r", "retry create"),

		Create: b([]string{"enter"}, "enter", "create snapshot"),
		Edit:   b([]string{"esc"}, "esc", "edit"),

		CheckNow: b([]string{"r"}, "r", "check now"),
		ToList:   b([]string{"esc"}, "esc", "clusters (keeps tracking)"),

		RetryFailed: b([]string{"r"}, "r", "retry failed"),

		Yes: b([]string{"y"}, "y", "quit"),
		No:  b([]string{"n", "esc"}, "n/esc", "stay"),

		Snapshots:      b([]string{"S"}, "S", "snapshots"),
		CopySnapshot:   b([]string{"c"}, "c", "copy"),
		DeleteSnapshot: b([]string{"d"}, "d", "delete"),
		ShareSnapshot:  b([]string{"h"}, "h", "share"),
		Confirm:        b([]string{"enter"}, "enter", "confirm"),
		RemoveAccount:  b([]string{"ctrl+d"}, "ctrl+d", "remove account"),
	}
}

// Help is the help of one screen: a short line and full columns. It
// implements help.KeyMap.
type Help struct {
	Short []key.Binding
	Full  [][]key.Binding
}

// ShortHelp implements help.KeyMap.
func (h Help) ShortHelp() []key.Binding { return h.Short }

// FullHelp implements help.KeyMap.
func (h Help) FullHelp() [][]key.Binding { return h.Full }

// ListHelp is the clusters screen's help; the keys that act on a row are
// left out when there is none, snapshot when writes are off, the pickers
// when switching is not available.
func (k KeyMap) ListHelp(canSnapshot, rows, canSwitch bool) Help {
	snap, open, copyID, copyARN := k.Snapshot, k.Open, k.Copy, k.CopyARN
	snap.SetEnabled(canSnapshot && rows)
	open.SetEnabled(rows)
	copyID.SetEnabled(rows)
	copyARN.SetEnabled(rows)
	mark, markAll := k.Mark, k.MarkAll
	mark.SetEnabled(canSnapshot && rows)
	markAll.SetEnabled(canSnapshot && rows)
	profile, region := k.Profile, k.Region
	profile.SetEnabled(canSwitch)
	region.SetEnabled(canSwitch)
	return Help{
		Short: []key.Binding{k.Up, k.Down, open, snap, k.Filter, k.Refresh, k.Help, k.Quit},
		Full: [][]key.Binding{
			{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
			{open, snap, k.Filter, k.Refresh},
			{mark, markAll},
			{copyID, copyARN, k.Sort, k.SortReverse},
			{k.Snapshots, profile, region, k.Command},
			{k.Help, k.Quit},
		},
	}
}

// SnapsHelp is the snapshots view's help; the keys that write are left
// out in read-only mode, those on a row when there is none.
func (k KeyMap) SnapsHelp(canWrite, rows bool) Help {
	cp, del, share, mark, markAll := k.CopySnapshot, k.DeleteSnapshot, k.ShareSnapshot, k.Mark, k.MarkAll
	cp.SetEnabled(canWrite && rows)
	del.SetEnabled(canWrite && rows)
	share.SetEnabled(rows)
	mark.SetEnabled(rows)
	markAll.SetEnabled(rows)
	return Help{
		Short: []key.Binding{k.Up, k.Down, mark, cp, del, share, k.Filter, k.Back, k.Help},
		Full: [][]key.Binding{
			{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
			{mark, markAll, cp, del, share},
			{k.Filter, k.Sort, k.SortReverse, k.Refresh},
			{k.Back, k.Help, k.Quit},
		},
	}
}

// TypedHelp is the help of a typed confirmation (a delete, making a
// snapshot public).
func (k KeyMap) TypedHelp() Help {
	return Help{
		Short: []key.Binding{k.Confirm, k.Back},
		Full:  [][]key.Binding{{k.Confirm, k.Back, k.ForceQuit}},
	}
}

// ShareHelp is the share screen's help.
func (k KeyMap) ShareHelp() Help {
	up, down := arrows()
	add := k.Confirm
	add.SetHelp(add.Help().Key, "add account")
	return Help{
		Short: []key.Binding{add, k.RemoveAccount, up, down, k.Back},
		Full:  [][]key.Binding{{add, k.RemoveAccount}, {up, down}, {k.Back, k.ForceQuit}},
	}
}

// PickerHelp is the profile and region pickers' help.
func (k KeyMap) PickerHelp(marks bool) Help {
	mark := k.Mark
	mark.SetEnabled(marks)
	pick := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "switch"))
	return Help{
		Short: []key.Binding{pick, mark, k.Back},
		Full:  [][]key.Binding{{pick, mark, k.Back}},
	}
}

// CommandHelp is the command line's help.
func (k KeyMap) CommandHelp() Help {
	run := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run"))
	return Help{
		Short: []key.Binding{run, k.Complete, k.Back},
		Full:  [][]key.Binding{{run, k.Complete, k.Back}},
	}
}

// arrows are the up and down keys where letters are typed: the arrows
// alone (j and k type themselves).
func arrows() (up, down key.Binding) {
	return key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", "up")),
		key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "down"))
}

// FilterHelp is the help while typing a filter.
func (k KeyMap) FilterHelp() Help {
	up, down := arrows()
	return Help{
		Short: []key.Binding{k.FilterDone, k.FilterClear, up, down},
		Full:  [][]key.Binding{{k.FilterDone, k.FilterClear}, {up, down}},
	}
}

// ClusterHelp is the cluster screen's help.
func (k KeyMap) ClusterHelp(canSnapshot bool) Help {
	snap := k.Snapshot
	snap.SetEnabled(canSnapshot)
	return Help{
		Short: []key.Binding{k.Up, k.Down, snap, k.Refresh, k.Back, k.Help, k.Quit},
		Full: [][]key.Binding{
			{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
			{snap, k.Refresh, k.Back},
			{k.Copy, k.CopyARN},
			{k.Help, k.Quit},
		},
	}
}

// FormHelp is the snapshot form's help.
func (k KeyMap) FormHelp(canRetry bool) Help {
	retry := k.RetryCreate
	retry.SetEnabled(canRetry)
	return Help{
		Short: []key.Binding{k.NextField, k.AddTag, k.DeleteTag, k.Review, retry, k.Back},
		Full: [][]key.Binding{
			{k.NextField, k.PrevField},
			{k.AddTag, k.DeleteTag},
			{k.Review, retry, k.Back, k.ForceQuit},
		},
	}
}

// FleetFormHelp is the fleet form's help: the arrows scroll its list of
// snapshots.
func (k KeyMap) FleetFormHelp() Help {
	up, down := arrows()
	return Help{
		Short: []key.Binding{k.NextField, k.AddTag, k.DeleteTag, up, down, k.Review, k.Back},
		Full: [][]key.Binding{
			{k.NextField, k.PrevField},
			{k.AddTag, k.DeleteTag},
			{up, down},
			{k.Review, k.Back, k.ForceQuit},
		},
	}
}

// FleetProgressHelp is the multi-progress view's help; retrying is
// offered while creates have failed.
func (k KeyMap) FleetProgressHelp(failed bool) Help {
	retry := k.RetryFailed
	retry.SetEnabled(failed)
	return Help{
		Short: []key.Binding{k.Up, k.Down, retry, k.ToList, k.Help, k.Quit},
		Full:  [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {retry, k.ToList}, {k.Help, k.Quit}},
	}
}

// ConfirmHelp is the confirmation's help; typed says the cluster's name
// must be typed first (a protected cluster), when the arrows alone scroll.
func (k KeyMap) ConfirmHelp(typed bool) Help {
	up, down := k.Up, k.Down
	if typed {
		up, down = arrows()
	}
	return Help{
		Short: []key.Binding{k.Create, k.Edit, up, down},
		Full:  [][]key.Binding{{k.Create, k.Edit, k.ForceQuit}, {up, down}},
	}
}

// ProgressHelp is the progress screen's help; checking now is offered
// while the snapshot is in flight.
func (k KeyMap) ProgressHelp(inFlight bool) Help {
	check := k.CheckNow
	check.SetEnabled(inFlight)
	back := k.ToList
	if !inFlight {
		back.SetHelp(back.Help().Key, "clusters")
	}
	return Help{
		Short: []key.Binding{check, back, k.Help, k.Quit},
		Full:  [][]key.Binding{{check, back}, {k.Copy, k.CopyARN}, {k.Help, k.Quit}},
	}
}

// Actions are the names of the bindings a user may rebind (the config
// file's key.NAME settings), in the order the docs list them.
var Actions = []string{"open", "snapshot", "filter", "refresh", "copy", "copy-arn", "sort", "sort-reverse",
	"profile", "region", "command", "help", "quit"}

// action is the binding an action name stands for.
func (k *KeyMap) action(name string) *key.Binding {
	switch name {
	case "open":
		return &k.Open
	case "snapshot":
		return &k.Snapshot
	case "filter":
		return &k.Filter
	case "refresh":
		return &k.Refresh
	case "copy":
		return &k.Copy
	case "copy-arn":
		return &k.CopyARN
	case "sort":
		return &k.Sort
	case "sort-reverse":
		return &k.SortReverse
	case "profile":
		return &k.Profile
	case "region":
		return &k.Region
	case "command":
		return &k.Command
	case "help":
		return &k.Help
	case "quit":
		return &k.Quit
	}
	return nil
}

// Rebind gives an action other keys (they replace its defaults). The keys
// are named as Bubble Tea names key presses: a character ("s", "S", ":"),
// or a name ("enter", "f2", "space") with modifiers ("ctrl+s", "alt+x").
func (k *KeyMap) Rebind(action string, keys []string) error {
	b := k.action(action)
	if b == nil {
		return fmt.Errorf("unknown action %q (the actions: %s)", action, strings.Join(Actions, ", "))
	}
	if len(keys) == 0 {
		return fmt.Errorf("no key given for %s", action)
	}
	for _, name := range keys {
		if err := checkKeyName(name); err != nil {
			return err
		}
	}
	*b = key.NewBinding(key.WithKeys(keys...), key.WithHelp(strings.Join(keys, "/"), b.Help().Desc))
	return nil
}

// Clash finds two actions of the clusters screen (where every main action
// and the movement keys are live) that share a key. ok is false when none
// do.
func (k KeyMap) Clash() (a, b, shared string, ok bool) {
	live := []struct {
		name string
		keys []string
	}{
		{"up", k.Up.Keys()}, {"down", k.Down.Keys()}, {"top", k.Top.Keys()}, {"bottom", k.Bottom.Keys()},
		{"page-up", k.PageUp.Keys()}, {"page-down", k.PageDown.Keys()}, {"back", k.Back.Keys()},
		{"force-quit", k.ForceQuit.Keys()},
	}
	for _, name := range Actions {
		live = append(live, struct {
			name string
			keys []string
		}{name, k.action(name).Keys()})
	}
	owner := map[string]string{}
	for _, l := range live {
		for _, kk := range l.keys {
			if prev, taken := owner[kk]; taken && prev != l.name {
				return prev, l.name, kk, true
			}
			owner[kk] = l.name
		}
	}
	return "", "", "", false
}

// namedKeys are the key names besides single characters.
var namedKeys = []string{"enter", "esc", "tab", "space", "backspace", "delete", "insert", "up", "down", "left",
	"right", "home", "end", "pgup", "pgdown"}

func checkKeyName(name string) error {
	base := name
	for {
		rest, ok := cutModifier(base)
		if !ok {
			break
		}
		base = rest
	}
	switch {
	case utf8.RuneCountInString(base) == 1 && base != " ":
		r, _ := utf8.DecodeRuneInString(base)
		if r >= 0x20 && r != 0x7f && r != utf8.RuneError {
			return nil
		}
	case slices.Contains(namedKeys, base):
		return nil
	case strings.HasPrefix(base, "f"):
		if n, err := strconv.Atoi(base[1:]); err == nil && n >= 1 && n <= 20 {
			return nil
		}
	}
	return fmt.Errorf("unknown key name %q (a character such as s or :, or enter, space, f2, ctrl+s...)", name)
}

func cutModifier(s string) (string, bool) {
	for _, m := range []string{"ctrl+", "alt+", "shift+"} {
		if rest, ok := strings.CutPrefix(s, m); ok && rest != "" {
			return rest, true
		}
	}
	return s, false
}
