package emulator

import (
	"bytes"
	"net/http"
	"strconv"
	"sync"
)

// BrokenPaging is a way for an endpoint's listings never to end, for the
// tests of the clients that read them. AWS never answers so; a broken proxy
// or a hostile endpoint may.
type BrokenPaging struct {
	// Marker, when set, is the marker of every page, while the rows go on
	// (from the first page again after the last).
	Marker string
	// Restart answers every page with the first one, under a new marker
	// each time.
	Restart bool
	// Rename, with Restart, gives the rows of each page new identifiers (a
	// suffix "-pN"): new rows for ever.
	Rename bool
	// Limit is the pages of an action after which its listings end all the
	// same (0: never), so that a client that would never stop does not hang
	// its test.
	Limit int
}

// listings are the actions that page.
var listings = map[string]bool{"DescribeDBClusters": true, "DescribeDBClusterSnapshots": true, "DescribeDBInstances": true,
	"DescribeGlobalClusters": true}

// Wrap returns h with its listings broken as b says; other actions, and
// describes of one cluster or snapshot, pass through.
func (b BrokenPaging) Wrap(h http.Handler) http.Handler {
	return &brokenPaging{b: b, h: h, state: map[string]*pagingState{}}
}

type brokenPaging struct {
	b     BrokenPaging
	h     http.Handler
	mu    sync.Mutex
	state map[string]*pagingState // by action
}

type pagingState struct {
	pages int
	real  string // the marker hidden behind Marker, to send the endpoint next
}

func (p *brokenPaging) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	action := ""
	if r.ParseForm() == nil { // the endpoint parses again, and finds r.Form
		action = r.Form.Get("Action")
	}
	if !listings[action] || r.Form.Get("DBClusterSnapshotIdentifier") != "" || r.Form.Get("GlobalClusterIdentifier") != "" ||
		action == "DescribeDBClusters" && r.Form.Get("DBClusterIdentifier") != "" { // a describe of one resource
		p.h.ServeHTTP(w, r)
		return
	}
	p.mu.Lock()
	st := p.state[action]
	if st == nil {
		st = &pagingState{}
		p.state[action] = st
	}
	st.pages++
	n := st.pages
	switch {
	case p.b.Restart:
		r.Form.Del("Marker")
	case p.b.Marker != "" && r.Form.Get("Marker") != "":
		r.Form.Set("Marker", st.real)
	}
	p.mu.Unlock()

	rec := &recorder{header: http.Header{}}
	p.h.ServeHTTP(rec, r)
	if rec.status == 0 {
		return // the client gave up: the endpoint answered nothing
	}
	body := rec.body.Bytes()
	if rec.status == http.StatusOK {
		var real string
		real, body = takeMarker(body)
		marker := real
		switch {
		case p.b.Limit > 0 && n >= p.b.Limit:
			marker = ""
		case p.b.Restart:
			marker = "page-" + strconv.Itoa(n+1)
			if p.b.Rename {
				suffix := "-p" + strconv.Itoa(n)
				for _, id := range []string{"DBClusterIdentifier", "DBClusterSnapshotIdentifier", "DBInstanceIdentifier", "GlobalClusterIdentifier"} {
					body = bytes.ReplaceAll(body, []byte("</"+id+">"), []byte(suffix+"</"+id+">"))
				}
			}
		case p.b.Marker != "":
			marker = p.b.Marker
			p.mu.Lock()
			st.real = real
			p.mu.Unlock()
		}
		body = putMarker(body, action, marker)
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.status)
	w.Write(body)
}

// takeMarker cuts the Marker element out of a listing's answer, and
// returns its text (the endpoint's markers need no unescaping).
func takeMarker(body []byte) (string, []byte) {
	start := bytes.Index(body, []byte("<Marker>"))
	end := bytes.Index(body, []byte("</Marker>"))
	if start < 0 || end < start {
		return "", body
	}
	marker := string(body[start+len("<Marker>") : end])
	return marker, append(body[:start:start], body[end+len("</Marker>"):]...)
}

// putMarker puts a Marker element first in the result of an answer to
// action, where the endpoint writes it; none for an empty marker.
func putMarker(body []byte, action, marker string) []byte {
	open := []byte("<" + action + "Result>")
	at := bytes.Index(body, open)
	if marker == "" || at < 0 {
		return body
	}
	at += len(open)
	var w xmlWriter
	w = append(w, body[:at]...)
	w.text("Marker", marker)
	return append(w, body[at:]...)
}
