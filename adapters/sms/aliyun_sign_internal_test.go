package sms

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// docParams is the DescribeRegions request of Alibaba Cloud's "Request
// signature" topic (signature version 1.0): AccessKeyId testid, secret
// testsecret.
var docParams = map[string]string{
	"AccessKeyId":      "testid",
	"Action":           "DescribeRegions",
	"Format":           "XML",
	"SignatureMethod":  "HMAC-SHA1",
	"SignatureNonce":   "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
	"SignatureVersion": "1.0",
	"Timestamp":        "2016-02-23T12:46:24Z",
	"Version":          "2014-05-26",
}

func TestAliyunStringToSign_DocumentedExample(t *testing.T) {
	t.Parallel()
	// The timestamp's colons are encoded twice (%253A): once in the
	// canonical query, once when the whole query is encoded.
	const want = "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML" +
		"%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf" +
		"%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
	require.Equal(t, want, aliyunStringToSign("GET", docParams))
}

func TestAliyunPercentEncode(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"unreserved kept", "AZaz09-_.~", "AZaz09-_.~"},
		{"space is %20 not +", "a b", "a%20b"},
		{"asterisk is %2A", "a*b", "a%2Ab"},
		{"tilde not encoded", "a~b", "a~b"},
		{"slash", "/", "%2F"},
		{"plus", "+86", "%2B86"},
		{"colon in timestamp", "2016-02-23T12:46:24Z", "2016-02-23T12%3A46%3A24Z"},
		{"UTF-8 bytes upper-case hex", "法院", "%E6%B3%95%E9%99%A2"},
		{"JSON punctuation", `{"a":"b"}`, "%7B%22a%22%3A%22b%22%7D"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, aliyunPercentEncode(tt.in))
		})
	}
}
