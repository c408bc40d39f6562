package sms

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"sort"
	"strings"
)

// AliyunSignature returns the Signature parameter of an Alibaba Cloud RPC
// API request (signature version 1.0, HMAC-SHA1), as documented in
// Alibaba Cloud's "Request signature" (签名机制) topic:
//
//	CanonicalizedQueryString = the parameters except Signature, sorted by
//	    name, each name and value percent-encoded, joined as n=v with &
//	StringToSign = method + "&" + percentEncode("/") + "&" +
//	    percentEncode(CanonicalizedQueryString)
//	Signature = Base64(HMAC-SHA1(accessKeySecret + "&", StringToSign))
//
// params must not contain Signature. The result is not yet percent-encoded
// for the URL.
func AliyunSignature(method string, params map[string]string, accessKeySecret string) string {
	m := hmac.New(sha1.New, []byte(accessKeySecret+"&"))
	m.Write([]byte(aliyunStringToSign(method, params)))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func aliyunStringToSign(method string, params map[string]string) string {
	return method + "&" + aliyunPercentEncode("/") + "&" + aliyunPercentEncode(aliyunCanonicalQuery(params))
}

// aliyunCanonicalQuery returns the sorted, encoded query string; it is also
// the query string of the request, to which Signature is appended.
func aliyunCanonicalQuery(params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(aliyunPercentEncode(k))
		b.WriteByte('=')
		b.WriteString(aliyunPercentEncode(params[k]))
	}
	return b.String()
}

// aliyunPercentEncode encodes s as the signature topic specifies: the UTF-8
// bytes of A-Z a-z 0-9 - _ . ~ stay as they are and every other byte
// becomes %XY with upper-case hex. So a space is %20 (not +), * is %2A
// and ~ is not encoded, unlike application/x-www-form-urlencoded.
func aliyunPercentEncode(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) * 3)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}
