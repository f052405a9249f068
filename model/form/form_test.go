package form

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/docsnap/docsnap/awsclient"
)

var keys = Keys{
	Next:      key.NewBinding(key.WithKeys("tab")),
	Prev:      key.NewBinding(key.WithKeys("shift+tab")),
	AddTag:    key.NewBinding(key.WithKeys("ctrl+n")),
	DeleteTag: key.NewBinding(key.WithKeys("ctrl+d")),
}

func press(f *Form, keys ...tea.KeyPressMsg) {
	for _, k := range keys {
		f.Update(k)
	}
}

// setID replaces the identifier's text.
func setID(f *Form, s string) {
	f.id.SetValue(s)
	f.id.CursorEnd()
	f.validate()
}

func typeText(f *Form, s string) {
	for _, r := range s {
		f.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

var (
	tab      = tea.KeyPressMsg{Code: tea.KeyTab}
	shiftTab = tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	ctrlN    = tea.KeyPressMsg{Code: 'n', Mod: tea.ModCtrl}
	ctrlD    = tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl}
	bksp     = tea.KeyPressMsg{Code: tea.KeyBackspace}
)

func TestOpensValidWithIdentifierFocusedAndOneEmptyRow(t *testing.T) {
	f := New("orders-prod", "available", "orders-prod-2024-05-01-1200", keys)
	if f.Focus() != 0 || len(f.Rows()) != 1 || !f.Valid() {
		t.Fatalf("focus %d rows %d blocked %q", f.Focus(), len(f.Rows()), f.Blocked())
	}
	in := f.Input()
	if in.ClusterID != "orders-prod" || in.SnapshotID != "orders-prod-2024-05-01-1200" || len(in.Tags) != 0 {
		t.Fatalf("input %+v (an empty row must be ignored)", in)
	}
}

func TestTabOrder(t *testing.T) {
	f := New("c", "available", "c-1", keys)
	press(f, ctrlN) // a second row, its key focused
	if f.Focus() != 3 {
		t.Fatalf("ctrl+n focused field %d, want 3 (key of row 2)", f.Focus())
	}
	var order []int
	for range 6 {
		press(f, tab)
		order = append(order, f.Focus())
	}
	if want := []int{4, 0, 1, 2, 3, 4}; !equal(order, want) {
		t.Fatalf("tab order %v, want %v", order, want)
	}
	order = order[:0]
	for range 5 {
		press(f, shiftTab)
		order = append(order, f.Focus())
	}
	if want := []int{3, 2, 1, 0, 4}; !equal(order, want) {
		t.Fatalf("shift+tab order %v, want %v", order, want)
	}
	row, value := f.FocusedRow()
	if row != 1 || !value {
		t.Fatalf("focused row %d value %v", row, value)
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestIdentifierValidatedOnEveryKeystroke(t *testing.T) {
	f := New("c", "available", "", keys)
	if !strings.Contains(f.IDProblem(), "is required") || f.Valid() {
		t.Fatalf("empty: %q", f.IDProblem())
	}
	typeText(f, "1abc")
	if !strings.Contains(f.IDProblem(), "must start with a letter") {
		t.Fatalf("digit first: %q", f.IDProblem())
	}
	setID(f, "ab_c")
	if !strings.Contains(f.IDProblem(), "character 3 '_' is not allowed") {
		t.Fatalf("underscore: %q", f.IDProblem())
	}
	setID(f, "ab--c")
	if !strings.Contains(f.IDProblem(), "two hyphens") {
		t.Fatalf("double hyphen: %q", f.IDProblem())
	}
	setID(f, "abc-")
	typeText(f, "") // no change
	if !strings.Contains(f.IDProblem(), "ends with a hyphen") {
		t.Fatalf("trailing hyphen: %q", f.IDProblem())
	}
	press(f, bksp)
	if f.IDProblem() != "" || f.ID().Value() != "abc" {
		t.Fatalf("after backspace: %q %q", f.ID().Value(), f.IDProblem())
	}
	setID(f, strings.Repeat("a", 256))
	if !strings.Contains(f.IDProblem(), "256 characters long") {
		t.Fatalf("too long: %q", f.IDProblem())
	}
	setID(f, "Orders-Snap")
	if f.IDProblem() != "" || f.Stored() != "orders-snap" || f.Input().SnapshotID != "Orders-Snap" {
		t.Fatalf("upper case: problem %q stored %q", f.IDProblem(), f.Stored())
	}
	if !strings.Contains(f.Blocked(), "") || !f.Valid() {
		t.Fatalf("blocked %q", f.Blocked())
	}
}

// TestWarningsDoNotBlock: a rule AWS's documents disagree on ('@' in a tag,
// a 64-character identifier) is a warning: shown apart from the problems,
// and the form can still be sent with exactly what was typed.
func TestWarningsDoNotBlock(t *testing.T) {
	f := New("c", "available", "snap", keys)
	press(f, tab)
	typeText(f, "owner")
	press(f, tab)
	typeText(f, "alice@example.com")
	if _, v := f.RowProblems(0); v != "" {
		t.Fatalf("'@' is a problem: %q", v)
	}
	if _, v := f.RowWarnings(0); !strings.Contains(v, "'@' is allowed by RDS's Tag reference but not DocumentDB's") {
		t.Fatalf("warning %q", v)
	}
	if !f.Valid() || f.Input().Tags[0] != (awsclient.Tag{Key: "owner", Value: "alice@example.com"}) {
		t.Fatalf("blocked %q, input %+v", f.Blocked(), f.Input())
	}
	setID(f, "a"+strings.Repeat("b", 63))
	if f.IDProblem() != "" || !strings.Contains(f.IDWarning(), "64 characters long") || !f.Valid() {
		t.Fatalf("64 characters: problem %q warning %q blocked %q", f.IDProblem(), f.IDWarning(), f.Blocked())
	}
	// A problem beside a warning blocks, and only the problem is counted.
	press(f, tab, ctrlN)
	typeText(f, "bad!")
	if f.Valid() || f.Blocked() != "1 problem to fix in tag 2" {
		t.Fatalf("blocked %q", f.Blocked())
	}
}

func TestTagsValidatedAndEmptyRowsIgnored(t *testing.T) {
	f := New("c", "available", "snap", keys)
	press(f, tab)
	typeText(f, "team")
	press(f, tab)
	typeText(f, "payments")
	press(f, ctrlN) // row 2 left empty: ignored
	press(f, ctrlN)
	typeText(f, "team") // duplicate key in row 3
	if k, _ := f.RowProblems(2); !strings.Contains(k, "already used by tag 1") {
		t.Fatalf("duplicate: %q", k)
	}
	if !strings.Contains(f.Blocked(), "tag 2") { // tag 2 as AWS numbers them: the third row
		t.Fatalf("blocked %q", f.Blocked())
	}
	press(f, bksp, bksp, bksp, bksp)
	typeText(f, "aws:x")
	if k, _ := f.RowProblems(2); !strings.Contains(k, "reserved") {
		t.Fatalf("aws: prefix: %q", k)
	}
	f.Field(5).SetValue("")
	f.Update(tea.KeyPressMsg{Code: tea.KeyEnd})
	press(f, tab)
	typeText(f, "orphan") // a value without a key
	if k, _ := f.RowProblems(2); !strings.Contains(k, "key is required") {
		t.Fatalf("missing key: %q", k)
	}
	press(f, shiftTab)
	typeText(f, "env")
	press(f, tab)
	typeText(f, "<bad>")
	if _, v := f.RowProblems(2); !strings.Contains(v, "'<' is not allowed") {
		t.Fatalf("bad value: %q", v)
	}
	press(f, ctrlD) // delete row 3
	in := f.Input()
	if !f.Valid() || len(in.Tags) != 1 || in.Tags[0] != (awsclient.Tag{Key: "team", Value: "payments"}) {
		t.Fatalf("blocked %q input %+v", f.Blocked(), in)
	}
	if row, _ := f.FocusedRow(); row != 1 {
		t.Fatalf("after deleting the last row the focus is on row %d, want 1", row)
	}
}

func TestDeleteRowFocusAndLimits(t *testing.T) {
	f := New("c", "available", "snap", keys)
	press(f, ctrlD) // on the identifier: nothing
	if len(f.Rows()) != 1 || f.Focus() != 0 {
		t.Fatal("ctrl+d on the identifier deleted something")
	}
	press(f, tab, ctrlD)
	if len(f.Rows()) != 0 || f.Focus() != 0 {
		t.Fatalf("rows %d focus %d", len(f.Rows()), f.Focus())
	}
	for range awsclient.MaxTags {
		if !f.AddRow() {
			t.Fatal("refused a row under the limit")
		}
	}
	if f.AddRow() {
		t.Fatal("accepted a row past the limit")
	}
}

func TestPasteIsSanitizedToOneLine(t *testing.T) {
	f := New("c", "available", "", keys)
	f.Update(tea.PasteMsg{Content: "snap\n\x1b[31mred"})
	if v := f.ID().Value(); strings.ContainsAny(v, "\n\x1b") {
		t.Fatalf("pasted %q", v)
	}
	if f.IDProblem() == "" {
		t.Fatal("a space and a bracket are not valid in an identifier")
	}
}

func TestClusterNotAvailableBlocks(t *testing.T) {
	f := New("c", "backing-up", "snap", keys)
	if f.Valid() || !strings.Contains(f.Blocked(), "backing-up") {
		t.Fatalf("blocked %q", f.Blocked())
	}
}

// TestElasticFormUsesTheElasticRules: an elastic cluster's form keeps the
// name as typed (no lowering), is ready on ACTIVE only, and checks tags by
// the docdb-elastic rules (a map: a key twice is a problem).
func TestElasticFormUsesTheElasticRules(t *testing.T) {
	arn := "arn:aws:docdb-elastic:us-east-1:123456789012:cluster/abc"
	f := NewElastic(arn, "ACTIVE", "Catalog-Pre-Deploy", keys)
	if !f.Valid() || f.Stored() != "Catalog-Pre-Deploy" || f.Input().ClusterID != arn {
		t.Fatalf("blocked %q, stored %q, input %+v", f.Blocked(), f.Stored(), f.Input())
	}
	if g := NewElastic(arn, "available", "x", keys); g.ClusterReady() || !strings.Contains(g.Blocked(), "ACTIVE clusters only") {
		t.Fatalf("an elastic cluster said available is ready: %q", g.Blocked())
	}
	press(f, tab)
	typeText(f, "team")
	press(f, tab)
	typeText(f, "a")
	press(f, ctrlN)
	typeText(f, "team")
	if k, _ := f.RowProblems(1); k == "" || f.Valid() {
		t.Fatalf("a key twice: no problem (%q)", f.Blocked())
	}
}

// TestTemplateFormChecksOnlyTheTags: a template is no identifier (its
// braces would break the rules); its caller checks each expansion, and the
// form still checks the shared tags.
func TestTemplateFormChecksOnlyTheTags(t *testing.T) {
	f := NewTemplate("{cluster}-{date}-{time}", keys)
	if !f.Valid() || f.IDProblem() != "" || f.Input().SnapshotID != "{cluster}-{date}-{time}" {
		t.Fatalf("a template form opens blocked %q, id problem %q, input %+v", f.Blocked(), f.IDProblem(), f.Input())
	}
	press(f, tab)
	typeText(f, "aws:x")
	if f.Valid() || !strings.Contains(f.Blocked(), "tag 1") {
		t.Fatalf("a reserved tag key does not block a template form: %q", f.Blocked())
	}
}
