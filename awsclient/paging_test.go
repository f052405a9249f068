package awsclient

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/docdb"
	"pgregory.net/rapid"
)

// scriptedPage is one answer of a scripted endpoint: a marker and row keys.
type scriptedPage struct {
	marker *string
	rows   []string
}

// scriptedPager is an SDK paginator over an endpoint that makes its answers
// up as it is asked: as the SDK's paginators do, it sends the marker of the
// last answer until one has none.
type scriptedPager struct {
	next  func() scriptedPage
	first bool
	token *string
	calls int
}

func (p *scriptedPager) HasMorePages() bool {
	return p.first || p.token != nil && *p.token != ""
}

func (p *scriptedPager) NextPage(context.Context, ...func(*docdb.Options)) (scriptedPage, error) {
	p.calls++
	out := p.next()
	p.first, p.token = false, out.marker
	return out, nil
}

// TestPagingProperty: whatever markers and rows an endpoint answers with,
// a listing ends within its page ceiling, lists each row once and loses
// none, goes on past no page of more rows than asked for, and a listing stopped says why with the pages and rows read, then
// makes no further call.
func TestPagingProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		maxPages := rapid.IntRange(1, 40).Draw(t, "max pages")
		maxRows := rapid.IntRange(1, 6).Draw(t, "max rows")
		fresh := 0
		unique := func(prefix string) string { fresh++; return prefix + strconv.Itoa(fresh) }
		marker := rapid.Custom(func(t *rapid.T) *string {
			var m string
			switch rapid.IntRange(0, 9).Draw(t, "marker kind") {
			case 0:
				return nil // the last page
			case 1:
				m = "" // the last page too
			case 2, 3:
				m = rapid.SampledFrom([]string{"a", "b", "c", "\x1b[2J"}).Draw(t, "old marker")
			case 4:
				m = strings.Repeat("m", MaxMarkerLen+rapid.IntRange(0, 1).Draw(t, "over"))
			default:
				m = unique("m")
			}
			return &m
		})
		key := rapid.Custom(func(t *rapid.T) string {
			if rapid.Bool().Draw(t, "old row") {
				return "row" + strconv.Itoa(rapid.IntRange(0, 9).Draw(t, "old key"))
			}
			return unique("new")
		})

		sent := map[string]bool{}
		var last scriptedPage
		pager := &scriptedPager{first: true, next: func() scriptedPage {
			if len(last.rows) > maxRows {
				t.Fatalf("a page asked for after one of %d rows, %d asked for", len(last.rows), maxRows)
			}
			last = scriptedPage{marker: marker.Draw(t, "marker"), rows: rapid.SliceOfN(key, 0, 5).Draw(t, "rows")}
			for _, k := range last.rows {
				sent[k] = true
			}
			return last
		}}
		c := &SDK{timeout: time.Minute, maxPages: maxPages, pageSize: int32(maxRows)}
		p := newPages(c, "list clusters", "cluster", pager,
			func(out scriptedPage) (*string, []string) { return out.marker, out.rows },
			func(k string) string { return k },
			func(k string) (string, bool) { return k, true })

		listed := map[string]bool{}
		var err error
		for p.More() && err == nil {
			if pager.calls > maxPages {
				t.Fatalf("%d calls with a ceiling of %d pages", pager.calls, maxPages)
			}
			var page []string
			page, err = p.Next(context.Background())
			for _, k := range page {
				if listed[k] {
					t.Fatalf("row %s listed twice", k)
				}
				listed[k] = true
			}
		}
		if len(listed) != len(sent) {
			t.Fatalf("%d rows listed of %d sent", len(listed), len(sent))
		}
		ended := last.marker == nil || *last.marker == ""
		if err == nil {
			if !ended {
				t.Fatalf("the listing ended without an error at a page with marker %.20q", *last.marker)
			}
			return
		}
		var pe *PagingError
		if KindOf(err) != KindPaging || !errors.As(err, &pe) {
			t.Fatalf("error %v (kind %v), want a PagingError", err, KindOf(err))
		}
		if ended || pe.Pages != pager.calls || pe.Rows != len(listed) {
			t.Fatalf("%v: after %d calls, %d rows listed, ended %v", err, pager.calls, len(listed), ended)
		}
		if pe.Reason == MarkerTooLong && len(*last.marker) <= MaxMarkerLen || pe.Reason == TooManyPages && pe.Pages != maxPages ||
			pe.Reason == PageOverfull && len(last.rows) <= maxRows {
			t.Fatalf("%v: the last page has a marker of %d bytes and %d rows; %d pages of %d allowed",
				err, len(*last.marker), len(last.rows), maxPages, maxRows)
		}
		calls := pager.calls
		if _, again := p.Next(context.Background()); again != err || pager.calls != calls || !p.More() {
			t.Fatalf("Next after the stop: %v, %d calls more", again, pager.calls-calls)
		}
	})
}

// TestPagingSentence: the sentence names the repeated marker cut short,
// and counts pages and rows.
func TestPagingSentence(t *testing.T) {
	g := newPageGuard("cluster", MaxPages, MaxPageSize)
	g.fresh("a")
	long := strings.Repeat("é", 40)
	if err := g.end(&long); err != nil {
		t.Fatal(err)
	}
	g.fresh("b")
	err := Classify("list clusters", "", g.end(&long))
	want := `The endpoint repeated page marker "` + strings.Repeat("é", 16) + `…"; stopped after 2 pages, 2 clusters read.`
	if KindOf(err) != KindPaging || err.(*Error).Sentence() != want {
		t.Fatalf("kind %v, sentence\n%s\nwant\n%s", KindOf(err), err.(*Error).Sentence(), want)
	}
}
