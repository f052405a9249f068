package awsclient

import (
	"fmt"
	"strings"

	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Region is one AWS region where DocumentDB is offered.
type Region struct {
	Code string // "eu-west-1"
	Name string // "Europe (Ireland)"
	// OptIn marks the regions an account must enable before use: until then
	// every call there fails as if the credentials were not valid.
	OptIn bool
	// Partition is "aws", "aws-cn" or "aws-us-gov": the China and GovCloud
	// regions need credentials of their own partition.
	Partition string
}

// Regions are the regions where Amazon DocumentDB is offered, from the
// "Region availability" table of the DocumentDB Developer Guide ("Choosing
// regions and availability zones", regions-and-azs.html, as of 2025), with
// the opt-in regions marked as in the AWS account guide. AWS adds regions
// now and then: a region not listed here still works with --region; add it
// here so that the picker and `all` offer it.
var Regions = []Region{
	{Code: "us-east-1", Name: "US East (N. Virginia)", Partition: "aws"},
	{Code: "us-east-2", Name: "US East (Ohio)", Partition: "aws"},
	{Code: "us-west-2", Name: "US West (Oregon)", Partition: "aws"},
	{Code: "af-south-1", Name: "Africa (Cape Town)", OptIn: true, Partition: "aws"},
	{Code: "ap-east-1", Name: "Asia Pacific (Hong Kong)", OptIn: true, Partition: "aws"},
	{Code: "ap-northeast-1", Name: "Asia Pacific (Tokyo)", Partition: "aws"},
	{Code: "ap-northeast-2", Name: "Asia Pacific (Seoul)", Partition: "aws"},
	{Code: "ap-northeast-3", Name: "Asia Pacific (Osaka)", Partition: "aws"},
	{Code: "ap-south-1", Name: "Asia Pacific (Mumbai)", Partition: "aws"},
	{Code: "ap-south-2", Name: "Asia Pacific (Hyderabad)", OptIn: true, Partition: "aws"},
	{Code: "ap-southeast-1", Name: "Asia Pacific (Singapore)", Partition: "aws"},
	{Code: "ap-southeast-2", Name: "Asia Pacific (Sydney)", Partition: "aws"},
	{Code: "ap-southeast-5", Name: "Asia Pacific (Malaysia)", OptIn: true, Partition: "aws"},
	{Code: "ap-southeast-7", Name: "Asia Pacific (Thailand)", OptIn: true, Partition: "aws"},
	{Code: "ca-central-1", Name: "Canada (Central)", Partition: "aws"},
	{Code: "eu-central-1", Name: "Europe (Frankfurt)", Partition: "aws"},
	{Code: "eu-north-1", Name: "Europe (Stockholm)", Partition: "aws"},
	{Code: "eu-south-1", Name: "Europe (Milan)", OptIn: true, Partition: "aws"},
	{Code: "eu-south-2", Name: "Europe (Spain)", OptIn: true, Partition: "aws"},
	{Code: "eu-west-1", Name: "Europe (Ireland)", Partition: "aws"},
	{Code: "eu-west-2", Name: "Europe (London)", Partition: "aws"},
	{Code: "eu-west-3", Name: "Europe (Paris)", Partition: "aws"},
	{Code: "il-central-1", Name: "Israel (Tel Aviv)", OptIn: true, Partition: "aws"},
	{Code: "me-central-1", Name: "Middle East (UAE)", OptIn: true, Partition: "aws"},
	{Code: "mx-central-1", Name: "Mexico (Central)", OptIn: true, Partition: "aws"},
	{Code: "sa-east-1", Name: "South America (São Paulo)", Partition: "aws"},
	{Code: "cn-north-1", Name: "China (Beijing)", Partition: "aws-cn"},
	{Code: "cn-northwest-1", Name: "China (Ningxia)", Partition: "aws-cn"},
	{Code: "us-gov-east-1", Name: "AWS GovCloud (US-East)", Partition: "aws-us-gov"},
	{Code: "us-gov-west-1", Name: "AWS GovCloud (US-West)", Partition: "aws-us-gov"},
}

// AllRegions is what `--region all` means: every commercial region of
// Regions, opt-in ones included (one not enabled for the account shows as
// a failed region, without hiding the others). The China and GovCloud
// regions are left out: they need credentials of another partition.
const AllRegions = "all"

// RegionInfo returns what Regions says of a region code.
func RegionInfo(code string) (Region, bool) {
	for _, r := range Regions {
		if r.Code == code {
			return r, true
		}
	}
	return Region{}, false
}

// regionShaped reports whether code looks like a region code: lower-case
// words and a number joined by hyphens (us-east-1, ap-southeast-7,
// us-gov-west-1), and a valid host label, since it goes into the endpoint.
func regionShaped(code string) bool {
	parts := strings.Split(code, "-")
	if len(parts) < 3 || !smithyhttp.ValidHostLabel(code) {
		return false
	}
	for i, p := range parts {
		if p == "" {
			return false
		}
		for _, c := range p {
			if last := i == len(parts)-1; last && (c < '0' || c > '9') || !last && (c < 'a' || c > 'z') {
				return false
			}
		}
	}
	return true
}

// ParseRegions reads a region list as --region and the config file take
// it: region codes separated by commas (spaces allowed), or `all`. Each code
// must be a valid host label; codes not in Regions are accepted (AWS adds
// regions). Duplicates are dropped, the order kept. An empty list is nil.
func ParseRegions(s string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		code := strings.ToLower(strings.TrimSpace(part))
		switch {
		case code == "":
			continue
		case code == AllRegions:
			for _, r := range Regions {
				if r.Partition == "aws" && !seen[r.Code] {
					seen[r.Code] = true
					out = append(out, r.Code)
				}
			}
			continue
		case !regionShaped(code):
			return nil, fmt.Errorf("%q is not a region code (such as us-east-1), nor %q", strings.TrimSpace(part), AllRegions)
		}
		if !seen[code] {
			seen[code] = true
			out = append(out, code)
		}
	}
	return out, nil
}
