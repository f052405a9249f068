package stamp

import "testing"

func TestSeq(t *testing.T) {
	var s Seq
	if s.Fresh(0) {
		t.Error("no request awaits an answer, yet a zero stamp counts")
	}
	first := s.Next()
	if !s.Fresh(first) {
		t.Error("the answer to the only request is stale")
	}
	second := s.Next()
	if s.Fresh(first) || !s.Fresh(second) {
		t.Errorf("after a second request, first fresh %v, second fresh %v; want false, true", s.Fresh(first), s.Fresh(second))
	}
	var none Seq
	if none.Fresh(second) {
		t.Error("an answer counts where no request awaits one")
	}
}
