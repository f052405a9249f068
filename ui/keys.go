package ui

import "charm.land/bubbles/v2/key"

// KeyMap is every key docsnap answers to. The names the issue gives are a
// contract: / filters, r refreshes or retries, enter opens, s snapshots, ?
// toggles help, q and ctrl+c quit, esc goes back.
type KeyMap struct {
	Up, Down, Top, Bottom, PageUp, PageDown key.Binding

	Open, Snapshot, Filter, Refresh, Back, Help, Quit, ForceQuit key.Binding
	// While typing a filter.
	FilterDone, FilterClear key.Binding

	// The snapshot form.
	NextField, PrevField, AddTag, DeleteTag, Review, RetryCreate key.Binding
	// The confirmation.
	Create, Edit key.Binding
	// The progress screen.
	CheckNow, ToList key.Binding
	// The quit question.
	Yes, No key.Binding
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

		Yes: b([]string{"y"}, "y", "quit"),
		No:  b([]string{"n", "esc"}, "n/esc", "stay"),
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
// left out when there is none.
func (k KeyMap) ListHelp(canSnapshot, rows bool) Help {
	snap, open := k.Snapshot, k.Open
	snap.SetEnabled(canSnapshot && rows)
	open.SetEnabled(rows)
	return Help{
		Short: []key.Binding{k.Up, k.Down, open, snap, k.Filter, k.Refresh, k.Help, k.Quit},
		Full: [][]key.Binding{
			{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
			{open, snap, k.Filter, k.Refresh},
			{k.Help, k.Quit},
		},
	}
}

// FilterHelp is the help while typing a filter.
func (k KeyMap) FilterHelp() Help {
	return Help{
		Short: []key.Binding{k.FilterDone, k.FilterClear, k.Up, k.Down},
		Full:  [][]key.Binding{{k.FilterDone, k.FilterClear}, {k.Up, k.Down}},
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

// ConfirmHelp is the confirmation's help.
func (k KeyMap) ConfirmHelp() Help {
	return Help{
		Short: []key.Binding{k.Create, k.Edit, k.Up, k.Down},
		Full:  [][]key.Binding{{k.Create, k.Edit, k.ForceQuit}, {k.Up, k.Down}},
	}
}

// ProgressHelp is the progress screen's help; checking now is offered
// while the snapshot is in flight.
func (k KeyMap) ProgressHelp(inFlight bool) Help {
	check := k.CheckNow
	check.SetEnabled(inFlight)
	return Help{
		Short: []key.Binding{check, k.ToList, k.Help, k.Quit},
		Full:  [][]key.Binding{{check, k.ToList}, {k.Help, k.Quit}},
	}
}
