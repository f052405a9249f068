package sanitize

import (
	"testing"

	"github.com/docsnap/docsnap/awsclient"
)

func TestString(t *testing.T) {
	cases := []struct{ in, want string }{
		{"orders-prod", "orders-prod"},
		{"naïve café 東京", "naïve café 東京"},
		{"red\x1b[31mtext\x1b[0m", "redtext"},
		{"title\x1b]0;pwned\x07here", "titlehere"},
		{"osc8 \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "osc8 link"},
		{"bell\x07 nul\x00 del\x7f", "bell nul del"},
		{"tab\there\nnew\r\nline", "tab here new  line"},
		{"c1 \u009b31m csi \u0085 nel", "c1 31m csi   nel"},
		{"raw c1 \x9b31m", "raw c1 "},
		{"bidi \u202eevil\u202c \u2066iso\u2069 \u200fmark", "bidi evil iso mark"},
		{"line\u2028sep", "line sep"},
		{"bad \xff utf8", "bad  utf8"},
		{"", ""},
	}
	for _, c := range cases {
		if got := String(c.in); got != c.want {
			t.Errorf("String(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCleanStringsAreNotCopied(t *testing.T) {
	for _, s := range []string{"orders-prod-2024", "naïve café 東京", "한국어 데이터"} {
		if n := testing.AllocsPerRun(100, func() { _ = String(s) }); n != 0 {
			t.Fatalf("%v allocations for clean text %q", n, s)
		}
	}
}

func TestRecords(t *testing.T) {
	c := Cluster(awsclient.Cluster{ID: "a\x1b[2Jb", Status: "avail\u202eable", Members: []awsclient.Member{{InstanceID: "i\x00d"}}})
	if c.ID != "ab" || c.Status != "available" || c.Members[0].InstanceID != "id" {
		t.Fatalf("%+v", c)
	}
	e := Cluster(awsclient.Cluster{MaintenanceWindow: "sat\x1b[2J", AuthType: "PLAIN\x07", AdminUser: "ad\u202emin", KMSKeyID: "key\x00"})
	if e.MaintenanceWindow != "sat" || e.AuthType != "PLAIN" || e.AdminUser != "admin" || e.KMSKeyID != "key" {
		t.Fatalf("elastic fields: %+v", e)
	}
	s := Snapshot(awsclient.Snapshot{ID: "s\x07", ARN: "arn\n", Status: "creating\x1b[K", ClusterARN: "c\x1b[2J"})
	if s.ID != "s" || s.ARN != "arn " || s.Status != "creating" || s.ClusterARN != "c" {
		t.Fatalf("%+v", s)
	}
	tags := Tags([]awsclient.Tag{{Key: "k\x1b", Value: "v\u009d"}})
	if tags[0].Key != "k" || tags[0].Value != "v" {
		t.Fatalf("%+v", tags)
	}
	g := GlobalCluster(awsclient.GlobalCluster{ID: "g\x1b[2J", Members: []awsclient.GlobalMember{{ClusterARN: "arn\x07", Region: "eu\u202e", ClusterID: "c\x00"}}})
	if m := g.Members[0]; g.ID != "g" || m.ClusterARN != "arn" || m.Region != "eu" || m.ClusterID != "c" {
		t.Fatalf("%+v", g)
	}
	in := Instance(awsclient.Instance{Class: "db.r5\x1b[1m.large"})
	if in.Class != "db.r5.large" {
		t.Fatalf("%+v", in)
	}
}

func TestRune(t *testing.T) {
	if Rune('a') != 'a' || Rune('\u202e') != '\uFFFD' || Rune('\x1b') != '\uFFFD' || Rune('東') != '東' {
		t.Fatal("Rune")
	}
}
