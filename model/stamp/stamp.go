// Package stamp numbers requests, so that an answer can be told from one
// to a request that a newer one replaced (a refresh, another cluster, a
// second submit) and dropped.
package stamp

// Seq numbers the requests of one kind. Each request takes the next number
// and its answer carries it back; only the answer carrying the latest
// number counts. The zero Seq numbers no request.
type Seq uint64

// Next numbers a new request: every number given before is stale from now
// on.
func (s *Seq) Next() Seq {
	*s++
	return *s
}

// Fresh reports whether an answer carrying n answers the request s numbers
// (the latest of its kind, or zero when none awaits an answer).
func (s Seq) Fresh(n Seq) bool { return n != 0 && n == s }
