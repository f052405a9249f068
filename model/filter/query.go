package filter

import (
	"strconv"
	"strings"
	"time"
)

// Field is what a term of a query looks at.
type Field uint8

// Fields. FieldText is a word matched anywhere in the identifier.
const (
	FieldText Field = iota
	FieldStatus
	FieldEngine
	FieldRegion
	FieldTag
	FieldType    // a cluster's type (instance, elastic) or a snapshot's (manual, automated, shared)
	FieldCluster // a snapshot's cluster
	FieldAge     // a snapshot's age against Term.Age
)

// fieldNames are the names a query may use, aliases included.
var fieldNames = map[string]Field{
	"status":  FieldStatus,
	"engine":  FieldEngine,
	"version": FieldEngine,
	"region":  FieldRegion,
	"tag":     FieldTag,
	"type":    FieldType,
	"cluster": FieldCluster,
	"age":     FieldAge,
}

func (f Field) String() string {
	switch f {
	case FieldStatus:
		return "status"
	case FieldEngine:
		return "engine"
	case FieldRegion:
		return "region"
	case FieldTag:
		return "tag"
	case FieldType:
		return "type"
	case FieldCluster:
		return "cluster"
	case FieldAge:
		return "age"
	}
	return "text"
}

// Term is one condition of a query, lowered.
type Term struct {
	Field Field
	// Not negates the term (written with a leading !).
	Not bool
	// Value is the word (FieldText), the start of the value (status,
	// engine, region), or the tag's key (FieldTag; empty: any key).
	Value string
	// TagValue is the start of the tag's value, when HasTagValue (tag:k=v).
	TagValue    string
	HasTagValue bool
	// Age is the age an age: term compares with; Older says older than it
	// (age:>30d), else younger (age:<2h).
	Age   time.Duration
	Older bool
}

// Query is a parsed filter: terms that must all hold.
type Query struct {
	Terms []Term
	// Problems say, in words, what was read otherwise than it may have been
	// meant (an unknown field name); never a reason to refuse the query.
	Problems []string
}

// Parse reads a filter. It is total: any string is a query, and it never
// panics. The syntax:
//
//	orders prod          words, each found anywhere in the identifier
//	status:available     the status starts with "available"
//	engine:5.0           the engine version starts with "5.0" (version: too)
//	region:eu            the region starts with "eu"
//	type:elastic         elastic clusters (type:instance: instance-based ones)
//	tag:team=payments    a tag team whose value starts with "payments"
//	tag:team             a tag team, any value; tag:=x any tag whose value starts with x
//	type:manual          a snapshot's type starts with "manual" (manual, automated, shared)
//	cluster:orders       a snapshot's cluster starts with "orders"
//	age:>30d             created more than 30 days ago (age:<2h: less than 2 hours; m, h, d, w)
//	!status:stopped      ! negates any term
//	tag:"cost center=a b" double quotes keep spaces in a term
//
// Everything is matched ignoring case, and every term must hold. A field
// with nothing after its colon (status: while typing) is left out. An
// unknown field name (foo:bar) is searched as a word, with a problem noted.
func Parse(s string) Query {
	var q Query
	for _, tok := range tokens(s) {
		t, ok, problem := term(tok)
		if problem != "" {
			q.Problems = append(q.Problems, problem)
		}
		if ok {
			q.Terms = append(q.Terms, t)
		}
	}
	return q
}

// token is one space-separated part of a query: its text with quotes
// removed, and whether its first colon was inside quotes.
type token struct {
	text        string
	quotedColon bool
}

// tokens splits s at spaces outside double quotes; quotes are dropped, and
// an unterminated quote runs to the end.
func tokens(s string) []token {
	var (
		out    []token
		b      strings.Builder
		quoted bool
		cur    token
		begun  bool // the token has begun (even as "")
		colon  bool // ...and has a colon
	)
	flush := func() {
		if begun {
			cur.text = b.String()
			out = append(out, cur)
		}
		b.Reset()
		cur, begun, colon = token{}, false, false
	}
	for _, r := range s {
		switch {
		case r == '"':
			quoted, begun = !quoted, true
		case !quoted && isSpace(r):
			flush()
		default:
			if r == ':' && !colon {
				colon, cur.quotedColon = true, quoted
			}
			b.WriteRune(r)
			begun = true
		}
	}
	flush()
	return out
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == 0x85 || r == 0xA0 || r == 0x3000
}

// term reads one token.
func term(tok token) (t Term, ok bool, problem string) {
	text := tok.text
	if rest, neg := strings.CutPrefix(text, "!"); neg {
		t.Not, text = true, rest
	}
	name, value, hasColon := strings.Cut(text, ":")
	if hasColon {
		field, known := fieldNames[Lower(name)]
		switch {
		case known:
			return fieldTerm(t, field, value)
		case name != "" && !tok.quotedColon: // "a:b" in quotes is meant as text
			problem = "unknown field " + strconv.Quote(name) + " (status, engine, region, tag, type, cluster or age): searched as text"
		}
	}
	t.Field, t.Value = FieldText, Lower(text)
	return t, t.Value != "", problem
}

func fieldTerm(t Term, field Field, value string) (Term, bool, string) {
	t.Field = field
	value = Lower(value)
	if field == FieldAge {
		return ageTerm(t, value)
	}
	if field != FieldTag {
		t.Value = value
		return t, value != "", ""
	}
	key, val, hasVal := strings.Cut(value, "=")
	t.Value, t.TagValue, t.HasTagValue = key, val, hasVal
	return t, key != "" || val != "", ""
}

// ageTerm reads an age: term's value: > (the default) or <, a number and
// a unit. One that cannot be read is left out, with a problem noted; one
// half typed (age:>) is left out quietly, as status: is.
func ageTerm(t Term, value string) (Term, bool, string) {
	t.Value = value
	t.Older = true
	rest := value
	switch {
	case strings.HasPrefix(rest, ">"):
		rest = rest[1:]
	case strings.HasPrefix(rest, "<"):
		t.Older, rest = false, rest[1:]
	}
	if rest == "" {
		return t, false, ""
	}
	units := map[byte]time.Duration{'m': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}
	unit, ok := units[rest[len(rest)-1]]
	n, err := strconv.Atoi(rest[:len(rest)-1])
	if !ok || err != nil || n < 0 || n > 100_000 {
		return t, false, "age:" + strconv.Quote(value) + " is not an age (age:>30d, age:<12h; units m, h, d, w): left out"
	}
	t.Age = time.Duration(n) * unit
	return t, true, ""
}

// Active reports whether the query has a term: with none, every row
// matches.
func (q Query) Active() bool { return len(q.Terms) > 0 }

// NeedsTags reports whether a term looks at tags, which a row may not have
// loaded yet.
func (q Query) NeedsTags() bool {
	for _, t := range q.Terms {
		if t.Field == FieldTag {
			return true
		}
	}
	return false
}

// WithoutTags is the query without its tag terms: what can be decided
// before tags are known.
func (q Query) WithoutTags() Query {
	out := Query{Problems: q.Problems}
	for _, t := range q.Terms {
		if t.Field != FieldTag {
			out.Terms = append(out.Terms, t)
		}
	}
	return out
}

// word is the query's only term when it is one word to find, the common
// query, which the search loops test inline (a call a row costs a third
// more at 100,000 rows).
func (q Query) word() (string, bool) {
	if len(q.Terms) == 1 && q.Terms[0].Field == FieldText && !q.Terms[0].Not {
		return q.Terms[0].Value, true
	}
	return "", false
}

// Words are the free-text words to look for, for highlighting.
func (q Query) Words() []string {
	var out []string
	for _, t := range q.Terms {
		if t.Field == FieldText && !t.Not {
			out = append(out, t.Value)
		}
	}
	return out
}

// narrows reports whether every row q matches is also matched by prev, so
// that only prev's matches need searching: each term of prev has a term in
// q at least as strict.
func (q Query) narrows(prev Query) bool {
	for _, p := range prev.Terms {
		if p.Not {
			return false
		}
		found := false
		for _, t := range q.Terms {
			if t.Not || t.Field != p.Field {
				continue
			}
			switch t.Field {
			case FieldText:
				found = strings.Contains(t.Value, p.Value)
			case FieldTag:
				found = t.Value == p.Value && (!p.HasTagValue || t.HasTagValue && strings.HasPrefix(t.TagValue, p.TagValue))
			case FieldAge:
				found = false // the clock moves between two sets: search again

			default:
				found = strings.HasPrefix(t.Value, p.Value)
			}
			if found {
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
