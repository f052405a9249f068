package awsclient

import (
	"context"
	"errors"
	"hash/maphash"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Limits of one listing. They bound what an endpoint that never ends a
// listing (a repeated marker, new markers for ever) can make docsnap do.
const (
	// MaxPages is the most pages one listing reads: 200,000 rows at the
	// default page size, 40,000 at the smallest. A region's DocumentDB
	// quotas allow a few hundred clusters and instances, and a cluster's
	// snapshots are its manual quota plus at most 35 days of automated ones,
	// so a true listing never comes near it.
	MaxPages = 2000
	// MaxMarkerLen is the longest page marker docsnap keeps and sends back,
	// in bytes. AWS's markers are opaque but short (tens to hundreds of
	// bytes); this is ample for them and still cheap to send with every page.
	MaxMarkerLen = 16 << 10
	// MaxPageBytes bounds an answer of the operations that page (a describe
	// of one resource too), so that a marker, or anything else, of any size
	// costs no more than this to read: a page of 100 clusters is some 250 kB.
	MaxPageBytes = 16 << 20
)

// PagingReason is why a listing was stopped.
type PagingReason int

// Reasons to stop a listing.
const (
	MarkerRepeated PagingReason = iota + 1 // a page marker came back a second time
	NoNewRows                              // a page held only rows already listed
	TooManyPages                           // the listing reached MaxPages and went on
	MarkerTooLong                          // a page marker longer than MaxMarkerLen
	PageTooLarge                           // an answer longer than MaxPageBytes
	PageOverfull                           // a page of more rows than asked for
)

// PagingError is a listing docsnap stopped because the endpoint would never
// have ended it. The rows read before it stand.
type PagingError struct {
	Reason    PagingReason
	Marker    string // the repeated marker, cut short for display (MarkerRepeated)
	MarkerLen int    // the length of the marker refused (MarkerTooLong)
	Asked     int    // the rows a page may hold (PageOverfull)
	Pages     int    // pages read
	Rows      int    // rows read, each once
	What      string // what the rows are: "cluster", "snapshot", "instance"
}

// Error says what the endpoint did and how far the listing got, in one
// sentence.
func (e *PagingError) Error() string {
	var did string
	switch e.Reason {
	case MarkerRepeated:
		did = "The endpoint repeated page marker " + strconv.Quote(e.Marker)
	case NoNewRows:
		did = "The endpoint sent a page of " + e.What + "s already listed"
	case TooManyPages:
		did = "The endpoint's listing went on past " + strconv.Itoa(MaxPages) + " pages"
	case MarkerTooLong:
		did = "The endpoint sent a page marker of " + strconv.Itoa(e.MarkerLen) + " bytes (at most " +
			strconv.Itoa(MaxMarkerLen) + " taken)"
	case PageTooLarge:
		did = "The endpoint sent a page of more than " + strconv.Itoa(MaxPageBytes>>20) + " MiB"
	case PageOverfull:
		did = "The endpoint sent a page of more " + e.What + "s than the " + strconv.Itoa(e.Asked) + " asked for"
	default:
		did = "The endpoint did not end its listing"
	}
	rows := strconv.Itoa(e.Rows) + " " + e.What
	if e.Rows != 1 {
		rows += "s"
	}
	pages := "1 page"
	if e.Pages != 1 {
		pages = strconv.Itoa(e.Pages) + " pages"
	}
	return did + "; stopped after " + pages + ", " + rows + " read."
}

// shownMarkerLen is how much of a repeated marker the sentence shows.
const shownMarkerLen = 32

// pageGuard ends a listing that an endpoint would never end. Each page's
// rows go through fresh, which drops those already listed, then its marker
// through end, which says whether to ask for the next page. It keeps hashes
// only, so its memory grows with the pages and rows read, never with what
// a marker or an identifier holds.
type pageGuard struct {
	what     string
	maxPages int
	maxRows  int // MaxRecords: the most rows a page may hold
	seed     maphash.Seed
	markers  map[uint64]struct{}
	keys     map[uint64]struct{}
	pages    int
	rows     int
	// Of the page being read: its rows, and those not listed before.
	pageRows, pageFresh int
}

func newPageGuard(what string, maxPages, maxRows int) *pageGuard {
	return &pageGuard{what: what, maxPages: maxPages, maxRows: maxRows, seed: maphash.MakeSeed(),
		markers: map[uint64]struct{}{}, keys: map[uint64]struct{}{}}
}

// fresh reports whether the row of key was not listed before, and notes it.
func (g *pageGuard) fresh(key string) bool {
	g.pageRows++
	h := maphash.String(g.seed, key)
	if _, seen := g.keys[h]; seen {
		return false
	}
	g.keys[h] = struct{}{}
	g.pageFresh++
	return true
}

// end closes the page whose rows went through fresh, which ended with
// marker (nil or empty: the last page), and returns why the listing must
// stop there, or nil.
func (g *pageGuard) end(marker *string) *PagingError {
	g.pages++
	g.rows += g.pageFresh
	rows, fresh := g.pageRows, g.pageFresh
	g.pageRows, g.pageFresh = 0, 0
	if marker == nil || *marker == "" {
		return nil
	}
	m := *marker
	if rows > g.maxRows {
		// More than MaxRecords: with the page ceiling, this bounds the rows
		// one listing can bring.
		e := g.stop(PageOverfull)
		e.Asked = g.maxRows
		return e
	}
	if len(m) > MaxMarkerLen {
		e := g.stop(MarkerTooLong)
		e.MarkerLen = len(m)
		return e
	}
	h := maphash.String(g.seed, m)
	if _, seen := g.markers[h]; seen {
		e := g.stop(MarkerRepeated)
		e.Marker = shorten(m, shownMarkerLen)
		return e
	}
	g.markers[h] = struct{}{}
	// An empty page goes on: an endpoint that filters after paging may
	// answer one before the rows that match.
	if rows > 0 && fresh == 0 {
		return g.stop(NoNewRows)
	}
	if g.pages >= g.maxPages {
		return g.stop(TooManyPages)
	}
	return nil
}

// stop says why the listing stops, and how far it got.
func (g *pageGuard) stop(r PagingReason) *PagingError {
	return &PagingError{Reason: r, Pages: g.pages, Rows: g.rows, What: g.what}
}

// shorten cuts s to at most n bytes on a character boundary, marking the
// cut with an ellipsis.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// errPageTooLarge is the read of an answer past the cap.
var errPageTooLarge = errors.New("the answer is longer than " + strconv.Itoa(MaxPageBytes>>20) + " MiB")

// listings are the operations whose answers are lists a peer sizes: those
// that page, and ListTagsForResource, whose list has no pages.
var listings = map[string]bool{"DescribeDBClusters": true, "DescribeDBClusterSnapshots": true, "DescribeDBInstances": true,
	"DescribeGlobalClusters": true, "ListTagsForResource": true}

// pageCap caps the answers of the listings at limit bytes
// (MaxPageBytes): the deserializer, the SDK's or the fast one, reads them
// through cappedBody.
type pageCap struct{ limit int64 }

func (c *pageCap) add(stack *middleware.Stack) error {
	if !listings[stack.ID()] {
		return nil
	}
	return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("PageCap", func(ctx context.Context,
		in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
		out, md, err := next.HandleDeserialize(ctx, in)
		if resp, ok := out.RawResponse.(*smithyhttp.Response); ok && err == nil {
			resp.Body = &cappedBody{ReadCloser: resp.Body, left: c.limit + 1}
		}
		return out, md, err
	}), middleware.After)
}

// cappedBody fails a read past its limit instead of reading on.
type cappedBody struct {
	io.ReadCloser
	left int64 // bytes that may still be read; the last one is one too many
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left == 0 {
		return 0, errPageTooLarge
	}
	p = p[:min(int64(len(p)), b.left)]
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}
