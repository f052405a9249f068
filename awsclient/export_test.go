package awsclient

import (
	"github.com/aws/aws-sdk-go-v2/service/docdb"
	"github.com/aws/smithy-go/middleware"
)

// For the tests of the DescribeDBClusters fast path (fastclusters.go).

var (
	ScanClusters       = scanClusters
	AddClustersDecoder = addClustersDecoder
)

const MaxFastBody = maxFastBody

// IsClustersDecoder reports whether m is the fast path's deserializer.
func IsClustersDecoder(m middleware.DeserializeMiddleware) bool {
	_, ok := m.(*clustersDecoder)
	return ok
}

// API is the SDK client under c.
func (c *SDK) API() *docdb.Client { return c.api }

// SetMaxPages lowers the page ceiling of c's listings, for the tests that
// reach it.
func (c *SDK) SetMaxPages(n int) { c.maxPages = n }

// SetMaxPageBytes lowers the cap on c's answers that page, for the tests
// that reach it without reading MaxPageBytes.
func (c *SDK) SetMaxPageBytes(n int64) { c.pageCap.limit = n }
