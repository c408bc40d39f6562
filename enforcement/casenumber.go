package enforcement

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// ErrInvalidCaseNumber is returned (inside a *CaseNumberError) when text is
// not a well-formed enforcement case number (案号).
var ErrInvalidCaseNumber = errors.New("enforcement: invalid case number")

// ErrNotEnforcementType is returned (inside a *CaseNumberError, together with
// ErrInvalidCaseNumber) when a case number is well formed but its type code
// (类型代字) is not an enforcement type, such as 民初 or 刑初.
var ErrNotEnforcementType = errors.New("enforcement: case type is not an enforcement type")

// CaseNumberPart names the part of a case number that a *CaseNumberError is
// about.
type CaseNumberPart string

// The parts of a case number, in the order they are written.
const (
	PartBrackets CaseNumberPart = "brackets" // the brackets around the year
	PartYear     CaseNumberPart = "year"     // 收案年度
	PartCourt    CaseNumberPart = "court"    // 法院代字
	PartType     CaseNumberPart = "type"     // 专门审判代字 and 类型代字
	PartSequence CaseNumberPart = "sequence" // 案件编号
	PartSuffix   CaseNumberPart = "suffix"   // the closing 号
)

// CaseNumberError describes why a case number was rejected.
type CaseNumberError struct {
	Input  string         // the text that was parsed
	Part   CaseNumberPart // the part that is wrong
	Reason string         // what is wrong with it
	// TypeCode is the type code found when the number is well formed but
	// the type is not an enforcement type; the error then also matches
	// ErrNotEnforcementType. It is empty otherwise.
	TypeCode string
}

func (e *CaseNumberError) Error() string {
	return fmt.Sprintf("enforcement: invalid case number %q: %s: %s", e.Input, e.Part, e.Reason)
}

// Unwrap returns ErrInvalidCaseNumber and ErrInvalid, and
// ErrNotEnforcementType as well when TypeCode is set.
func (e *CaseNumberError) Unwrap() []error {
	if e.TypeCode != "" {
		return []error{ErrInvalidCaseNumber, ErrInvalid, ErrNotEnforcementType}
	}
	return []error{ErrInvalidCaseNumber, ErrInvalid}
}

// TypeCode is a case type code (类型代字) of an enforcement case, from the
// SPC standard 人民法院案件类型及其代字标准 (2016). Its value is the code
// itself, so it persists as its Chinese text.
type TypeCode string

// The enforcement type codes (reference N4).
const (
	TypeCodeExecution       TypeCode = "执"  // 首次执行案件: first enforcement
	TypeCodeResumed         TypeCode = "执恢" // 恢复执行案件: resumed enforcement
	TypeCodePreservation    TypeCode = "执保" // 财产保全执行案件: enforcing a preservation order
	TypeCodeObjection       TypeCode = "执异" // 执行异议案件: objection to enforcement
	TypeCodeReconsideration TypeCode = "执复" // 执行复议案件: reconsideration
	TypeCodeSupervision     TypeCode = "执监" // 执行监督案件: supervision
	TypeCodeCoordination    TypeCode = "执协" // 执行协调案件: coordination between courts
	TypeCodeOther           TypeCode = "执他" // 其他执行案件: other enforcement matters
)

// typeCodeInfo is the table behind TypeCode's methods.
var typeCodeInfo = map[TypeCode]struct {
	name           string
	implementation bool
}{
	TypeCodeExecution:       {"首次执行案件", true},
	TypeCodeResumed:         {"恢复执行案件", true},
	TypeCodePreservation:    {"财产保全执行案件", true},
	TypeCodeObjection:       {"执行异议案件", false},
	TypeCodeReconsideration: {"执行复议案件", false},
	TypeCodeSupervision:     {"执行监督案件", false},
	TypeCodeCoordination:    {"执行协调案件", false},
	TypeCodeOther:           {"其他执行案件", false},
}

// TypeCodes returns the enforcement type codes in the order of the standard.
func TypeCodes() []TypeCode {
	return []TypeCode{
		TypeCodeExecution, TypeCodeResumed, TypeCodePreservation, TypeCodeObjection,
		TypeCodeReconsideration, TypeCodeSupervision, TypeCodeCoordination, TypeCodeOther,
	}
}

// String returns the code itself, e.g. "执恢".
func (t TypeCode) String() string { return string(t) }

// IsValid reports whether t is one of the enforcement type codes.
func (t TypeCode) IsValid() bool {
	_, ok := typeCodeInfo[t]
	return ok
}

// Name returns the Chinese name of the case type, e.g. "恢复执行案件", or ""
// for an unknown code.
func (t TypeCode) Name() string { return typeCodeInfo[t].name }

// IsImplementation reports whether t is an implementation case (执行实施类:
// 执, 执恢, 执保), as opposed to a review case (执行审查类: 执异, 执复, 执监,
// 执协, 执他). Time limits, closing modes and the recovery ratio apply to
// implementation cases.
func (t TypeCode) IsImplementation() bool { return typeCodeInfo[t].implementation }

// typeAliases maps type codes seen in the wild to the standard code. The 2018
// statistics notice, as copied online, writes 恢执; the 2016 standard and real
// case numbers write 执恢 (reference A15).
var typeAliases = map[string]TypeCode{"恢执": TypeCodeResumed}

// lookupTypeCode returns the enforcement type code for s, with aliases.
func lookupTypeCode(s string) (TypeCode, bool) {
	if t := TypeCode(s); t.IsValid() {
		return t, true
	}
	t, ok := typeAliases[s]
	return t, ok
}

// specialTrialCodes are the special-trial codes (专门审判代字) added by the
// 2018 amendment (法〔2018〕335号) that the parser recognises. Only 知
// (intellectual property) has been published; an unknown character in that
// position is reported as a bad type code rather than guessed at.
var specialTrialCodes = map[string]bool{"知": true}

// provinceCodes are the court codes (法院代字) of the high courts: the
// provincial abbreviations, with 内 for Inner Mongolia, 兵 for the Xinjiang
// Production and Construction Corps branch and 军 for the military courts
// (法〔2015〕137号 art 5). 蒙 is not a court code.
var provinceCodes = map[rune]bool{
	'京': true, '津': true, '沪': true, '渝': true, '冀': true, '豫': true, '云': true,
	'辽': true, '黑': true, '湘': true, '皖': true, '鲁': true, '新': true, '苏': true,
	'浙': true, '赣': true, '鄂': true, '桂': true, '甘': true, '晋': true, '内': true,
	'陕': true, '吉': true, '闽': true, '贵': true, '粤': true, '青': true, '藏': true,
	'川': true, '宁': true, '琼': true, '兵': true, '军': true,
}

// supremeCourt is the court code of the Supreme People's Court.
const supremeCourt = "最高法"

// CaseNumber is a case number (案号) of an enforcement case, such as
// （2024）沪01执123号 (法〔2015〕137号 as amended by 法〔2018〕335号).
//
// Since 2016 the court code is structured: 最高法, a provincial abbreviation
// (high court), the abbreviation and 2 digits (intermediate court, 沪01) or
// the abbreviation and 4 digits (basic court, 沪0115). Numbers issued before
// 2016 are written with 字第, as in （2014）浦执字第123号, and their court
// code is free-form; such numbers have Legacy set and keep that form.
//
// The zero CaseNumber is "unset". CaseNumbers are comparable with ==.
type CaseNumber struct {
	Year  int    // 收案年度, the year the case was received
	Court string // 法院代字, e.g. "沪01", "沪0115", "最高法"
	// Special is the one-character special-trial code (专门审判代字) that
	// the 2018 amendment puts between the court code and the type code,
	// e.g. "知"; empty for most cases.
	Special string
	Type    TypeCode // 类型代字, e.g. 执 or 执恢
	Seq     int      // 案件编号, from 1
	Legacy  bool     // written in the pre-2016 "字第" form
}

// Limits of the numeric parts. Sequence numbers are kept per court, type and
// year, so nine digits are more than any court will use.
const (
	minCaseYear   = 1949
	maxSeqDigits  = 9
	maxTypeRunes  = 3 // 法〔2015〕137号 art 7: type codes have at most 3 characters
	maxCourtRunes = 32
)

// String returns the number in the standard form with full-width brackets,
// as the SPC writes it: "（2024）沪01执123号", or "（2014）浦执字第123号"
// for a legacy number. The zero CaseNumber returns "".
func (n CaseNumber) String() string {
	if n.IsZero() {
		return ""
	}
	var b strings.Builder
	b.Grow(32)
	b.WriteString("（")
	b.WriteString(strconv.Itoa(n.Year))
	b.WriteString("）")
	b.WriteString(n.Court)
	b.WriteString(n.Special)
	b.WriteString(string(n.Type))
	if n.Legacy {
		b.WriteString("字第")
	}
	b.WriteString(strconv.Itoa(n.Seq))
	b.WriteString("号")
	return b.String()
}

// IsZero reports whether n is the zero (unset) CaseNumber.
func (n CaseNumber) IsZero() bool { return n == CaseNumber{} }

// MarshalText implements encoding.TextMarshaler. The zero CaseNumber encodes
// as ""; a CaseNumber that ParseCaseNumber would not return is an error.
func (n CaseNumber) MarshalText() ([]byte, error) {
	if n.IsZero() {
		return []byte{}, nil
	}
	s := n.String()
	back, err := ParseCaseNumber(s)
	if err != nil {
		return nil, err
	}
	if back != n {
		return nil, &CaseNumberError{Input: s, Part: PartType, Reason: fmt.Sprintf("reads back as court %q, type %q", back.Court, back.Type)}
	}
	return []byte(s), nil
}

// UnmarshalText implements encoding.TextUnmarshaler. "" decodes to the zero
// CaseNumber.
func (n *CaseNumber) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*n = CaseNumber{}
		return nil
	}
	v, err := ParseCaseNumber(string(b))
	if err != nil {
		return err
	}
	*n = v
	return nil
}

// ParseCaseNumber parses an enforcement case number.
//
// It is lenient about how the number was typed: half-width and full-width
// brackets and digits are accepted, and white space anywhere is ignored.
// The type code 恢执 is read as 执恢. Numbers with 字第 are read as legacy
// numbers with a free-form court code (which may be empty, as in the SPC's
// （2008）执他字第5号). A special-trial code is recognised only in the 2016
// form, where the structured court code leaves no doubt where it starts.
//
// A well-formed number of another case type (（2024）沪01民初1号) is an
// error matching both ErrInvalidCaseNumber and ErrNotEnforcementType. Every
// error is a *CaseNumberError naming the part that is wrong.
func ParseCaseNumber(s string) (CaseNumber, error) {
	fail := func(p CaseNumberPart, format string, args ...any) (CaseNumber, error) {
		return CaseNumber{}, &CaseNumberError{Input: s, Part: p, Reason: fmt.Sprintf(format, args...)}
	}
	r := normalizeCaseNumber(s)
	if len(r) == 0 {
		return fail(PartBrackets, "empty")
	}
	if r[0] != '（' {
		return fail(PartBrackets, "want an opening bracket before the year")
	}
	closing := -1
	for i, c := range r {
		if c == '）' {
			closing = i
			break
		}
	}
	if closing < 0 {
		return fail(PartBrackets, "want a closing bracket after the year")
	}
	yearText := r[1:closing]
	if len(yearText) != 4 || !allDigits(yearText) {
		return fail(PartYear, "want 4 digits")
	}
	year := digitsValue(yearText)
	if year < minCaseYear {
		return fail(PartYear, "before %d", minCaseYear)
	}
	rest := r[closing+1:]
	if i := indexRunes(rest, []rune("字第")); i >= 0 {
		return parseLegacy(s, year, rest[:i], rest[i+2:])
	}

	// 2016 form: court code, [special-trial code] type code, sequence, 号.
	n := CaseNumber{Year: year}
	var i int
	switch {
	case hasRunesPrefix(rest, []rune(supremeCourt)):
		n.Court = supremeCourt
		i = len([]rune(supremeCourt))
	case len(rest) > 0 && provinceCodes[rest[0]]:
		i = 1
		for i < len(rest) && isDigit(rest[i]) {
			i++
		}
		digits := rest[1:i]
		switch len(digits) {
		case 0, 2, 4:
		default:
			return fail(PartCourt, "want 2 digits (intermediate court) or 4 digits (basic court) after %c, got %d", rest[0], len(digits))
		}
		if len(digits) > 0 && digitsValue(digits) == 0 {
			return fail(PartCourt, "court number is all zeros")
		}
		n.Court = string(rest[:i])
	case len(rest) == 0:
		return fail(PartCourt, "missing")
	default:
		return fail(PartCourt, "%q is not a court code (最高法 or a provincial abbreviation such as 沪)", string(rest[0]))
	}
	j := i
	for j < len(rest) && !isDigit(rest[j]) && rest[j] != '号' {
		j++
	}
	code := rest[i:j]
	if len(code) == 0 {
		return fail(PartType, "missing")
	}
	for _, c := range code {
		if !unicode.Is(unicode.Han, c) {
			return fail(PartType, "%q is not a Chinese character", string(c))
		}
	}
	if t, ok := lookupTypeCode(string(code)); ok {
		n.Type = t
	} else if t, ok := lookupTypeCode(string(code[1:])); ok && specialTrialCodes[string(code[0])] {
		n.Special, n.Type = string(code[0]), t
	} else {
		if len(code) > maxTypeRunes+1 {
			return fail(PartType, "%q is longer than a type code", string(code))
		}
		return CaseNumber{}, &CaseNumberError{Input: s, Part: PartType, TypeCode: string(code),
			Reason: fmt.Sprintf("%q is not an enforcement type code", string(code))}
	}
	seq, err := parseSeq(rest[j:])
	if err != nil {
		err.Input = s
		return CaseNumber{}, err
	}
	n.Seq = seq
	return n, nil
}

// parseLegacy parses the part after the year of a pre-2016 number: court and
// type before 字第 (head), sequence and 号 after it (tail).
func parseLegacy(input string, year int, head, tail []rune) (CaseNumber, error) {
	fail := func(p CaseNumberPart, format string, args ...any) (CaseNumber, error) {
		return CaseNumber{}, &CaseNumberError{Input: input, Part: p, Reason: fmt.Sprintf(format, args...)}
	}
	// The type code is the longest known code that ends head; whatever
	// precedes it is the court.
	var t TypeCode
	var court []rune
	for k := min(len(head), maxTypeRunes); k >= 1; k-- {
		if c, ok := lookupTypeCode(string(head[len(head)-k:])); ok {
			t, court = c, head[:len(head)-k]
			break
		}
	}
	if t == "" {
		if len(head) == 0 {
			return fail(PartType, "missing before 字第")
		}
		return CaseNumber{}, &CaseNumberError{Input: input, Part: PartType, TypeCode: string(head),
			Reason: fmt.Sprintf("%q does not end with an enforcement type code", string(head))}
	}
	if len(court) > maxCourtRunes {
		return fail(PartCourt, "longer than %d characters", maxCourtRunes)
	}
	for _, c := range court {
		if !unicode.IsLetter(c) && !isDigit(c) {
			return fail(PartCourt, "%q is not a letter or digit", string(c))
		}
	}
	seq, err := parseSeq(tail)
	if err != nil {
		err.Input = input
		return CaseNumber{}, err
	}
	return CaseNumber{Year: year, Court: string(court), Type: t, Seq: seq, Legacy: true}, nil
}

// parseSeq parses the sequence number and the closing 号.
func parseSeq(r []rune) (int, *CaseNumberError) {
	i := 0
	for i < len(r) && isDigit(r[i]) {
		i++
	}
	digits := r[:i]
	switch {
	case len(digits) == 0:
		return 0, &CaseNumberError{Part: PartSequence, Reason: "missing"}
	case digits[0] == '0':
		return 0, &CaseNumberError{Part: PartSequence, Reason: "starts with 0"}
	case len(digits) > maxSeqDigits:
		return 0, &CaseNumberError{Part: PartSequence, Reason: fmt.Sprintf("longer than %d digits", maxSeqDigits)}
	}
	switch tail := string(r[i:]); tail {
	case "号":
		return digitsValue(digits), nil
	case "":
		return 0, &CaseNumberError{Part: PartSuffix, Reason: "want 号 after the sequence number"}
	default:
		if strings.HasPrefix(tail, "号") {
			return 0, &CaseNumberError{Part: PartSuffix, Reason: fmt.Sprintf("unexpected %q after 号", strings.TrimPrefix(tail, "号"))}
		}
		return 0, &CaseNumberError{Part: PartSuffix, Reason: fmt.Sprintf("want 号 after the sequence number, got %q", tail)}
	}
}

// normalizeCaseNumber drops white space and maps half-width brackets to
// full-width ones and full-width digits to ASCII digits.
func normalizeCaseNumber(s string) []rune {
	out := make([]rune, 0, len(s)/2)
	for _, c := range s {
		switch {
		case unicode.IsSpace(c):
			continue
		case c == '(':
			c = '（'
		case c == ')':
			c = '）'
		case c >= '０' && c <= '９':
			c = '0' + (c - '０')
		}
		out = append(out, c)
	}
	return out
}

func isDigit(c rune) bool { return c >= '0' && c <= '9' }

func allDigits(r []rune) bool {
	for _, c := range r {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

// digitsValue returns the value of a run of at most 9 ASCII digits.
func digitsValue(r []rune) int {
	v := 0
	for _, c := range r {
		v = v*10 + int(c-'0')
	}
	return v
}

func hasRunesPrefix(r, prefix []rune) bool {
	if len(r) < len(prefix) {
		return false
	}
	for i := range prefix {
		if r[i] != prefix[i] {
			return false
		}
	}
	return true
}

func indexRunes(r, sub []rune) int {
	for i := 0; i+len(sub) <= len(r); i++ {
		if hasRunesPrefix(r[i:], sub) {
			return i
		}
	}
	return -1
}
