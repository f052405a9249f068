package awsclient

import (
	"strings"
	"testing"
)

func TestValidateAccountID(t *testing.T) {
	cases := []struct{ in, want string }{
		{"123456789012", ""},
		{"000000000000", ""},
		{"all", ""},
		{"", `is required: a 12-digit AWS account id, or "all" for every account`},
		{"ALL", `write "all" in lower case to share with every account`},
		{"12345678901", "is 11 digits long: an account id is 12 digits"},
		{"1234567890123", "is 13 digits long: an account id is 12 digits"},
		{"1234-5678-9012", "character 5 '-' is not a digit: an account id is 12 digits"},
		{"12345678901\x1b", "character 12 U+001B is not a digit: an account id is 12 digits"},
		{"١٢٣٤٥٦٧٨٩٠١٢", "character 1 '١' is not a digit: an account id is 12 digits"},
	}
	for _, c := range cases {
		ps := ValidateAccountID(c.in)
		got := ""
		if len(ps) > 0 {
			got = ps[0].Message
			if ps[0].Field != FieldAccountID || ps[0].Warning || len(ps) != 1 {
				t.Errorf("%q: %+v", c.in, ps)
			}
		}
		if got != c.want {
			t.Errorf("%q: %q, want %q", c.in, got, c.want)
		}
	}
	if s := ValidateAccountID("1")[0].String(); !strings.HasPrefix(s, "account: ") {
		t.Errorf("String %q does not name the field", s)
	}
}

func TestValidateKMSKey(t *testing.T) {
	const region = "us-east-1"
	cases := []struct{ in, want string }{
		{"", ""},
		{"1234abcd-12ab-34cd-56ef-1234567890ab", ""},
		{"mrk-1234abcd12ab34cd56ef1234567890ab", ""},
		{"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", ""},
		{"arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab", ""},
		{"alias/dr-key", ""},
		{"alias/aws/rds", ""},
		{"arn:aws:kms:us-east-1:111122223333:alias/dr_key", ""},
		{"arn:aws-cn:kms:us-east-1:111122223333:alias/x", ""},
		{"my-key", "is not a key id (1234abcd-12ab-34cd-56ef-1234567890ab), key ARN, alias/NAME or alias ARN"},
		{"1234abcd-12ab-34cd-56ef-1234567890", "is not a key id (1234abcd-12ab-34cd-56ef-1234567890ab), key ARN, alias/NAME or alias ARN"},
		{"alias/", "names no alias: want alias/NAME"},
		{"alias/dr key", "character 9 ' ' (space) is not allowed in an alias: use letters, digits, '/', '_' or '-'"},
		{"alias/" + strings.Repeat("k", 251), "the alias is 257 characters long: the limit is 256"},
		{"arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
			"the key is in eu-west-1: a copy in us-east-1 needs a key of us-east-1 (KMS keys belong to one region)"},
		{"arn:aws:kms:eu-west-1:111122223333:alias/dr",
			"the key is in eu-west-1: a copy in us-east-1 needs a key of us-east-1 (KMS keys belong to one region)"},
		{"arn:aws:rds:us-east-1:111122223333:key/x", `the ARN's service "rds" is not kms`},
		{"arn:aws:kms:us-east-1:1111:key/x", `the ARN's account "1111" is not 12 digits`},
		{"arn:aws:kms:us-east-1", "is not a whole ARN: want arn:aws:kms:REGION:ACCOUNT:key/ID or …:alias/NAME"},
		{"arn:aws:kms:us-east-1:111122223333:key/nope", "the ARN's key id is not a key id such as 1234abcd-12ab-34cd-56ef-1234567890ab"},
		{"arn:aws:kms:us-east-1:111122223333:grant/x", "the ARN names neither a key/ID nor an alias/NAME"},
		{"arn:x\x1b:kms:us-east-1:111122223333:key/x", `the ARN's partition "x\x1b" is not AWS's: want aws, aws-cn, aws-us-gov...`},
	}
	for _, c := range cases {
		ps := ValidateKMSKey(c.in, region)
		got := ""
		if len(ps) > 0 {
			got = ps[0].Message
			if ps[0].Field != FieldKMSKey || len(ps) != 1 {
				t.Errorf("%q: %+v", c.in, ps)
			}
		}
		if got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.in, got, c.want)
		}
	}
	// With no region to hold it to, any region's ARN is well formed.
	if ps := ValidateKMSKey("arn:aws:kms:eu-west-1:111122223333:alias/dr", ""); len(ps) > 0 {
		t.Errorf("no target region: %v", ps)
	}
}
