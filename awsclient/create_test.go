package awsclient

import (
	"errors"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// answered is the error of an attempt that got an HTTP answer of status.
func answered(status int) error {
	return &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{
		Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}},
		Err:      errors.New("answer"),
	}}
}

// TestAnswerLost: only an earlier attempt whose outcome is unknown lets an
// already-exists answer be this create's own snapshot. The end-to-end cases
// (dropped connections) are in the emulator and moto tests; throttling
// before already-exists cannot be arranged there.
func TestAnswerLost(t *testing.T) {
	sendFailed := &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{
		Response: &smithyhttp.Response{}, Err: &smithyhttp.RequestSendError{Err: errors.New("EOF")}}}
	exists := answered(400)
	cases := []struct {
		name     string
		attempts []error
		lost     bool
	}{
		{"one attempt", []error{exists}, false},
		{"no attempts recorded", nil, false},
		{"dropped, then exists", []error{sendFailed, exists}, true},
		{"5xx, then exists", []error{answered(500), exists}, true},
		{"body cut short, then exists", []error{answered(200), exists}, true},
		{"throttled, then exists", []error{answered(400), exists}, false},
		{"throttled twice, then exists", []error{answered(400), answered(400), exists}, false},
		{"throttled, dropped, then exists", []error{answered(400), sendFailed, exists}, true},
	}
	for _, tc := range cases {
		var rs []retry.AttemptResult
		for _, err := range tc.attempts {
			rs = append(rs, retry.AttemptResult{Err: err})
		}
		if got := answerLost(rs); got != tc.lost {
			t.Errorf("%s: answerLost = %v, want %v", tc.name, got, tc.lost)
		}
	}
}
