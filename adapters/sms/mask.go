package sms

import (
	"regexp"
	"strings"
)

// MaskMobile masks the middle of a mobile number for logs: an 11-digit
// mainland number 13812345678 becomes 138****5678. Anything else keeps at
// most its first three and last four characters, and short strings are
// masked completely, so the result never shows a whole number.
func MaskMobile(s string) string {
	r := []rune(s)
	switch {
	case len(r) >= 11:
		return string(r[:3]) + strings.Repeat("*", len(r)-7) + string(r[len(r)-4:])
	case len(r) >= 8:
		return string(r[:2]) + strings.Repeat("*", len(r)-4) + string(r[len(r)-2:])
	default:
		return strings.Repeat("*", len(r))
	}
}

// MaskIDNumbers masks every 18-character resident identity card number
// (居民身份证号码: 17 digits and a digit or X check character) in s,
// keeping its first three and last four characters:
// 110101199003071234 becomes 110***********1234. A run of more than 18
// digits is not an ID number and is left alone.
func MaskIDNumbers(s string) string {
	b := []byte(s)
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		if n := idNumberAt(b, i); n > 0 {
			out = append(out, b[i:i+3]...)
			for range n - 7 {
				out = append(out, '*')
			}
			out = append(out, b[i+n-4:i+n]...)
			i += n
			continue
		}
		out = append(out, b[i])
		i++
	}
	return string(out)
}

// idNumberAt returns 18 if an ID number starts at b[i] and is not part of a
// longer run of digits, and 0 otherwise.
func idNumberAt(b []byte, i int) int {
	const n = 18
	if i > 0 && isDigit(b[i-1]) {
		return 0
	}
	if i+n > len(b) {
		return 0
	}
	for j := i; j < i+n-1; j++ {
		if !isDigit(b[j]) {
			return 0
		}
	}
	if c := b[i+n-1]; !isDigit(c) && c != 'X' && c != 'x' {
		return 0
	}
	if i+n < len(b) && (isDigit(b[i+n]) || b[i+n] == 'X' || b[i+n] == 'x') {
		return 0
	}
	return n
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// codeRE finds a code after the words that introduce one in a text: a
// query code (查询码), a one-time code (验证码, 校验码, 动态码, 动态密码),
// or the query_code, otp and one_time_code fields of a log line.
var codeRE = regexp.MustCompile(`(?i)(查询码|验证码|校验码|动态码|动态密码|query_code|one_time_code|otp)(["'\s]*[:：=为是]?["'\s]*)([A-Za-z0-9]{3,})`)

// MaskCodes masks every query code and one-time code in s that follows
// the word introducing it: "查询码K7Q2X9" becomes "查询码******" and
// "验证码：123456" becomes "验证码：******".
func MaskCodes(s string) string {
	return codeRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := codeRE.FindStringSubmatch(m)
		return sub[1] + sub[2] + strings.Repeat("*", len(sub[3]))
	})
}

// MaskText masks what a log line must not show in a message's text: ID
// numbers ([MaskIDNumbers]), query and one-time codes ([MaskCodes]) and
// mobile numbers ([MaskMobile]).
func MaskText(s string) string {
	s = MaskCodes(MaskIDNumbers(s))
	return mobileRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := mobileRE.FindStringSubmatch(m)
		return sub[1] + MaskMobile(sub[2]) + sub[3]
	})
}

// mobileRE finds mainland mobile numbers not inside a longer run of digits.
var mobileRE = regexp.MustCompile(`(^|[^0-9])(1[3-9][0-9]{9})($|[^0-9])`)
