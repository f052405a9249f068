// Package form is the snapshot form: the identifier field and the rows of
// tag key and value fields, their focus and tab order, and their validation
// with the rules of package awsclient on every edit. It draws nothing; the
// model lays it out.
package form

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
	"github.com/docsnap/docsnap/ui"
)

// charLimit bounds what a field holds (a runaway paste), well above what AWS
// allows, so that a too-long value is still shown and named as too long.
const charLimit = 1024

// Keys the form handles itself; the rest go to the focused field.
type Keys struct {
	Next, Prev, AddTag, DeleteTag key.Binding
}

// Row is one tag row.
type Row struct {
	Key, Value textinput.Model
}

// Form is the state of the snapshot form for one cluster.
type Form struct {
	ClusterID     string // as AWS knows it (sent as is): an elastic cluster's ARN
	ClusterStatus string
	// Elastic says the cluster is an elastic cluster: the snapshot is
	// named and tagged by the docdb-elastic API's rules.
	Elastic bool

	keys Keys
	// template says field 0 is an identifier template, which the caller
	// expands and checks for each cluster: the form checks only the tags.
	template bool
	id       textinput.Model
	rows     []Row
	focus    int // 0: identifier; 1+2i: key of row i; 2+2i: its value

	// Derived on every edit. A warning (a rule AWS's documents disagree
	// on) is kept apart from the problems: it is shown, but does not stop
	// a send.
	stored   string              // the identifier as AWS stores it
	idErr    string              // the identifier's first problem
	idWarn   string              // the identifier's first warning
	keyErr   map[int]string      // row -> first problem of its key
	valErr   map[int]string      // row -> first problem of its value
	keyWarn  map[int]string      // row -> first warning of its key
	valWarn  map[int]string      // row -> first warning of its value
	tagsErr  string              // the tag list as a whole (too many)
	problems []awsclient.Problem // all of them but the warnings, for the blocked line
	input    awsclient.CreateSnapshotInput
}

// New opens the form for a cluster with the identifier prefilled and one
// empty tag row, the identifier focused.
func New(clusterID, clusterStatus, suggestion string, keys Keys) *Form {
	return newForm(&Form{ClusterID: clusterID, ClusterStatus: clusterStatus, keys: keys}, suggestion)
}

// NewElastic opens the form for an elastic cluster, given by its ARN, as
// New does.
func NewElastic(clusterARN, clusterStatus, suggestion string, keys Keys) *Form {
	return newForm(&Form{ClusterID: clusterARN, ClusterStatus: clusterStatus, Elastic: true, keys: keys}, suggestion)
}

func newForm(f *Form, suggestion string) *Form {
	f.id = newInput()
	f.id.SetValue(suggestion)
	f.id.CursorEnd()
	f.rows = []Row{newRow()}
	f.setFocus(0)
	f.validate()
	return f
}

// NewTemplate opens the form of a snapshot of several clusters: field 0
// holds an identifier template (prefilled), the tags are shared by every
// snapshot.
func NewTemplate(template string, keys Keys) *Form {
	f := New("", awsclient.StatusAvailable, template, keys)
	f.template = true
	f.validate()
	return f
}

func newInput() textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = charLimit
	in.SetVirtualCursor(false)                 // the terminal's cursor: nothing blinks, nothing is written while idle
	in.KeyMap.Paste.SetEnabled(false)          // bracketed paste arrives as a message; ctrl+v would read the clipboard
	in.KeyMap.NextSuggestion.SetEnabled(false) // ctrl+n adds a tag row
	in.KeyMap.PrevSuggestion.SetEnabled(false)
	in.KeyMap.AcceptSuggestion.SetEnabled(false)       // tab moves between fields
	in.KeyMap.DeleteCharacterForward.SetKeys("delete") // ctrl+d deletes a tag row
	return in
}

func newRow() Row { return Row{Key: newInput(), Value: newInput()} }

// Fields is the number of focusable fields.
func (f *Form) Fields() int { return 1 + 2*len(f.rows) }

// Focus is the focused field: 0 the identifier, then key and value of each
// row in turn.
func (f *Form) Focus() int { return f.focus }

// FocusedRow is the row of the focused field, -1 for the identifier, and
// whether the value (not the key) is focused.
func (f *Form) FocusedRow() (row int, value bool) {
	if f.focus == 0 {
		return -1, false
	}
	return (f.focus - 1) / 2, (f.focus-1)%2 == 1
}

func (f *Form) field(i int) *textinput.Model {
	if i == 0 {
		return &f.id
	}
	r := &f.rows[(i-1)/2]
	if (i-1)%2 == 0 {
		return &r.Key
	}
	return &r.Value
}

func (f *Form) setFocus(i int) {
	f.field(f.focus).Blur()
	f.focus = (i%f.Fields() + f.Fields()) % f.Fields()
	f.field(f.focus).Focus() // the real cursor: Focus's blink command is not needed
}

// SetFocus focuses field i (see Focus), for a screen that puts fields of
// its own among the form's.
func (f *Form) SetFocus(i int) { f.setFocus(i) }

// Blur leaves the form's fields unfocused while a field of the screen's
// own has the focus.
func (f *Form) Blur() { f.field(f.focus).Blur() }

// Update handles a key press or a paste while the form is shown: tab order,
// adding and deleting rows, and edits of the focused field.
func (f *Form) Update(msg tea.Msg) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, f.keys.Next):
			f.setFocus(f.focus + 1)
			return
		case key.Matches(k, f.keys.Prev):
			f.setFocus(f.focus - 1)
			return
		case key.Matches(k, f.keys.AddTag):
			f.AddRow()
			return
		case key.Matches(k, f.keys.DeleteTag):
			f.DeleteRow()
			return
		}
	}
	switch msg.(type) {
	case tea.KeyPressMsg, tea.PasteMsg:
		ui.Edit(f.field(f.focus), msg)
		f.validate()
	}
}

// AddRow appends an empty tag row and focuses its key. It refuses past the
// AWS limit of tags (the form says why).
func (f *Form) AddRow() bool {
	if len(f.rows) >= awsclient.MaxTags {
		return false
	}
	f.rows = append(f.rows, newRow())
	f.setFocus(f.Fields() - 2)
	f.validate()
	return true
}

// DeleteRow deletes the focused tag row; on the identifier it does nothing.
// The focus moves to the key of the row that takes its place, or of the row
// above, or to the identifier when no row is left.
func (f *Form) DeleteRow() {
	row, _ := f.FocusedRow()
	if row < 0 {
		return
	}
	f.field(f.focus).Blur()
	f.rows = append(f.rows[:row], f.rows[row+1:]...)
	f.focus = 0
	switch {
	case row < len(f.rows):
		f.setFocus(1 + 2*row)
	case len(f.rows) > 0:
		f.setFocus(1 + 2*(len(f.rows)-1))
	default:
		f.setFocus(0)
	}
	f.validate()
}

// ID is the identifier field.
func (f *Form) ID() *textinput.Model { return &f.id }

// Rows are the tag rows.
func (f *Form) Rows() []Row { return f.rows }

// Field returns the field i (see Focus).
func (f *Form) Field(i int) *textinput.Model { return f.field(i) }

// validate recomputes the problems and the input from the fields, with the
// rules of awsclient (never a copy of them).
func (f *Form) validate() {
	stored, idProblems := awsclient.ValidateSnapshotID(f.id.Value())
	validateTags := awsclient.ValidateTags
	switch {
	case f.template:
		stored, idProblems = f.id.Value(), nil
	case f.Elastic: // stored as typed
		stored, idProblems, validateTags = f.id.Value(), awsclient.ValidateElasticSnapshotName(f.id.Value()), awsclient.ValidateElasticTags
	}
	f.stored, f.idErr, f.idWarn = stored, "", ""
	if ps := awsclient.Blocking(idProblems); len(ps) > 0 {
		f.idErr = ps[0].Message
	}
	if ws := awsclient.Warnings(idProblems); len(ws) > 0 {
		f.idWarn = ws[0].Message
	}
	f.problems = append(f.problems[:0], awsclient.Blocking(idProblems)...)

	// Rows left entirely empty are ignored; the others are tags, numbered
	// as AWS will see them, and their problems mapped back to rows.
	var tags []awsclient.Tag
	var rowOf []int
	for i, r := range f.rows {
		k, v := r.Key.Value(), r.Value.Value()
		if k == "" && v == "" {
			continue
		}
		tags = append(tags, awsclient.Tag{Key: k, Value: v})
		rowOf = append(rowOf, i)
	}
	f.keyErr, f.valErr, f.tagsErr = map[int]string{}, map[int]string{}, ""
	f.keyWarn, f.valWarn = map[int]string{}, map[int]string{}
	first := func(m map[int]string, row int, msg string) {
		if _, ok := m[row]; !ok {
			m[row] = msg
		}
	}
	for _, p := range validateTags(tags) {
		switch {
		case p.Warning && p.Field == awsclient.FieldTagKey:
			first(f.keyWarn, rowOf[p.Tag], p.Message)
		case p.Warning && p.Field == awsclient.FieldTagValue:
			first(f.valWarn, rowOf[p.Tag], p.Message)
		case p.Warning:
		case p.Field == awsclient.FieldTagKey:
			first(f.keyErr, rowOf[p.Tag], p.Message)
		case p.Field == awsclient.FieldTagValue:
			first(f.valErr, rowOf[p.Tag], p.Message)
		default:
			f.tagsErr = p.Message
		}
		if !p.Warning {
			f.problems = append(f.problems, p)
		}
	}
	f.input = awsclient.CreateSnapshotInput{ClusterID: f.ClusterID, SnapshotID: f.id.Value(), Tags: tags}
}

// IDProblem is the identifier's first problem, or "".
func (f *Form) IDProblem() string { return f.idErr }

// IDWarning is the identifier's first warning, or "": a rule AWS's own
// documents disagree on, which does not stop a send.
func (f *Form) IDWarning() string { return f.idWarn }

// Stored is the identifier as AWS will store it (lower case; an elastic
// snapshot's name as typed).
func (f *Form) Stored() string { return f.stored }

// RowProblems are the first problems of a row's key and value.
func (f *Form) RowProblems(row int) (key, value string) { return f.keyErr[row], f.valErr[row] }

// RowWarnings are the first warnings of a row's key and value.
func (f *Form) RowWarnings(row int) (key, value string) { return f.keyWarn[row], f.valWarn[row] }

// TagsProblem is a problem of the tag list as a whole.
func (f *Form) TagsProblem() string { return f.tagsErr }

// ClusterReady reports whether the cluster's status allows a snapshot.
func (f *Form) ClusterReady() bool {
	if f.Elastic {
		return f.ClusterStatus == awsclient.StatusActive
	}
	return f.ClusterStatus == awsclient.StatusAvailable
}

// Blocked says what prevents a submit, or "" when the form can be sent.
func (f *Form) Blocked() string {
	if !f.ClusterReady() {
		status := f.ClusterStatus
		if status == "" {
			status = "in an unknown state"
		}
		ready := awsclient.StatusAvailable
		if f.Elastic {
			ready = awsclient.StatusActive
		}
		return fmt.Sprintf("the cluster is %s: AWS takes snapshots of %s clusters only", status, ready)
	}
	if len(f.problems) == 0 {
		return ""
	}
	where := map[string]bool{}
	var parts []string
	for _, p := range f.problems {
		var w string
		switch p.Field {
		case awsclient.FieldSnapshotID:
			w = "the snapshot identifier"
		case awsclient.FieldTagKey, awsclient.FieldTagValue:
			w = fmt.Sprintf("tag %d", p.Tag+1)
		default:
			w = "the number of tags"
		}
		if !where[w] {
			where[w] = true
			parts = append(parts, w)
		}
	}
	n := len(f.problems)
	s := "problem"
	if n > 1 {
		s = "problems"
	}
	return fmt.Sprintf("%d %s to fix in %s", n, s, strings.Join(parts, ", "))
}

// Valid reports whether the form can be sent.
func (f *Form) Valid() bool { return f.Blocked() == "" }

// Input is what CreateDBClusterSnapshot will send: the identifier as typed
// (AWS lowers it), and the tags of the rows not left empty.
func (f *Form) Input() awsclient.CreateSnapshotInput {
	in := f.input
	in.Tags = append([]awsclient.Tag(nil), f.input.Tags...)
	return in
}
