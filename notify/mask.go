package notify

import (
	"strings"
	"unicode/utf8"
)

// MaskPolicy says which personal data a court shows in messages. The zero
// MaskPolicy is the default, which is also the strictest setting that still
// lets a party understand the message:
//
//   - ID numbers (身份证号) are always masked to their first three and last four
//     characters (310***********1234); no policy shows them in full, because an
//     SMS can be read by whoever holds the phone.
//   - Names of natural persons (party names) are masked, keeping the first and,
//     for names of three or more characters, the last character (张*, 张*明,
//     欧**明). This applies to the addressee's own name too, as banks do.
//     Names of organisations (a name ending in 公司, 银行, 事务所 …) are not
//     personal data and are shown in full. Judges' and court staff's names
//     are public and never masked.
//   - Amounts are shown in full: the applicant needs to know how much was
//     frozen or paid, and an amount alone identifies nobody.
//
// Mobile numbers never appear in rendered texts; [MaskMobile] is for logs.
type MaskPolicy struct {
	// ShowNames shows natural persons' names in full.
	ShowNames bool
	// MaskAmounts replaces the digits of amounts with '*', keeping
	// separators, so the magnitude stays visible (12,345.00 → **,***.**).
	MaskAmounts bool
}

// orgSuffixes end the names of organisations, which are not masked. A name is
// checked by suffix only: "上海某某有限公司" and "某某银行上海分行" are
// organisations, "张三" is not.
var orgSuffixes = [...]string{
	"公司", "集团", "银行", "分行", "支行", "信用社", "合作社", "事务所",
	"中心", "委员会", "协会", "学校", "大学", "学院", "医院", "研究院",
	"研究所", "工作室", "商行", "商店", "门市部", "经营部", "厂", "店",
}

// isOrganisation reports whether name looks like an organisation's name.
func isOrganisation(name string) bool {
	for _, s := range orgSuffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// maskKind is how a value's characters are masked, decided once per value.
type maskKind uint8

const (
	maskNone maskKind = iota
	maskName
	maskID
	maskDigits
)

// maskRune returns the rune to show for r, the i-th of n runes of a value
// masked as k. Masking is one rune for one rune, so a masked value is never
// longer than the original in UTF-16 code units.
func maskRune(k maskKind, r rune, i, n int) rune {
	switch k {
	case maskName:
		// Keep the first rune, and the last when there are three or more.
		if i == 0 || (n >= 3 && i == n-1) {
			return r
		}
		return '*'
	case maskID:
		// Keep the first three and last four; short inputs keep only the
		// last quarter, so nothing short is shown whole.
		if n >= 8 {
			if i < 3 || i >= n-4 {
				return r
			}
			return '*'
		}
		if i >= n-n/4 {
			return r
		}
		return '*'
	case maskDigits:
		if r >= '0' && r <= '9' {
			return '*'
		}
	}
	return r
}

func maskString(k maskKind, s string) string {
	if k == maskNone || s == "" {
		return s
	}
	n := utf8.RuneCountInString(s)
	var b strings.Builder
	b.Grow(len(s))
	i := 0
	for _, r := range s {
		b.WriteRune(maskRune(k, r, i, n))
		i++
	}
	return b.String()
}

// MaskIDNumber masks a resident ID number (身份证号), keeping its first three
// and last four characters: 310101199001011234 → 310***********1234. A value
// shorter than eight characters keeps only its last quarter.
func MaskIDNumber(s string) string { return maskString(maskID, s) }

// MaskName masks a natural person's name, keeping the first character and,
// for three or more characters, the last: 张三 → 张*, 张三明 → 张*明,
// 欧阳小明 → 欧**明. Organisation names (see [MaskPolicy]) are returned
// unchanged.
func MaskName(s string) string {
	if isOrganisation(s) {
		return s
	}
	return maskString(maskName, s)
}

// MaskAmount replaces every digit of an amount with '*', keeping separators
// and units: "12,345.00元" → "**,***.**元".
func MaskAmount(s string) string { return maskString(maskDigits, s) }

// MaskMobile masks a mainland mobile number for logs, keeping the first three
// and last four digits: 13812345678 → 138****5678. A leading +86 or 86 is
// kept. Any other text has all but its last quarter masked.
func MaskMobile(s string) string {
	prefix := ""
	switch {
	case strings.HasPrefix(s, "+86"):
		prefix, s = "+86", s[3:]
	case len(s) == 13 && strings.HasPrefix(s, "86"):
		prefix, s = "86", s[2:]
	}
	if len(s) == 11 && isDigits(s) {
		return prefix + s[:3] + "****" + s[7:]
	}
	n := utf8.RuneCountInString(s)
	var b strings.Builder
	b.WriteString(prefix)
	i := 0
	for _, r := range s {
		if i < n-n/4 {
			r = '*'
		}
		b.WriteRune(r)
		i++
	}
	return b.String()
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
