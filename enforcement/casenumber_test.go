package enforcement_test

import (
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
)

func TestParseCaseNumber_Valid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    string
		want  enforcement.CaseNumber
		canon string
	}{
		{"N1 intermediate court", "（2024）沪01执123号",
			enforcement.CaseNumber{Year: 2024, Court: "沪01", Type: enforcement.TypeCodeExecution, Seq: 123}, "（2024）沪01执123号"},
		{"N2 basic court Pudong", "（2024）沪0115执恢7号",
			enforcement.CaseNumber{Year: 2024, Court: "沪0115", Type: enforcement.TypeCodeResumed, Seq: 7}, "（2024）沪0115执恢7号"},
		{"N2 supreme court", "（2023）最高法执监45号",
			enforcement.CaseNumber{Year: 2023, Court: "最高法", Type: enforcement.TypeCodeSupervision, Seq: 45}, "（2023）最高法执监45号"},
		{"N2 high court", "（2022）京执复3号",
			enforcement.CaseNumber{Year: 2022, Court: "京", Type: enforcement.TypeCodeReconsideration, Seq: 3}, "（2022）京执复3号"},
		{"N2 Inner Mongolia is 内", "（2022）内01执异12号",
			enforcement.CaseNumber{Year: 2022, Court: "内01", Type: enforcement.TypeCodeObjection, Seq: 12}, "（2022）内01执异12号"},
		{"N2 Corps branch", "（2021）兵0101执保8号",
			enforcement.CaseNumber{Year: 2021, Court: "兵0101", Type: enforcement.TypeCodePreservation, Seq: 8}, "（2021）兵0101执保8号"},
		{"N2 special intermediate court 73", "（2020）沪73执协1号",
			enforcement.CaseNumber{Year: 2020, Court: "沪73", Type: enforcement.TypeCodeCoordination, Seq: 1}, "（2020）沪73执协1号"},
		{"N4 other", "（2019）粤03执他99号",
			enforcement.CaseNumber{Year: 2019, Court: "粤03", Type: enforcement.TypeCodeOther, Seq: 99}, "（2019）粤03执他99号"},
		{"A15 half-width brackets", "(2024)沪01执123号",
			enforcement.CaseNumber{Year: 2024, Court: "沪01", Type: enforcement.TypeCodeExecution, Seq: 123}, "（2024）沪01执123号"},
		{"A15 mixed brackets and spaces", " ( 2024） 沪01 执 123 号\t",
			enforcement.CaseNumber{Year: 2024, Court: "沪01", Type: enforcement.TypeCodeExecution, Seq: 123}, "（2024）沪01执123号"},
		{"A15 ideographic space and full-width digits", "（２０２４）\u3000沪０１执１２３号",
			enforcement.CaseNumber{Year: 2024, Court: "沪01", Type: enforcement.TypeCodeExecution, Seq: 123}, "（2024）沪01执123号"},
		{"A15 恢执 normalised to 执恢", "（2024）沪0115恢执5号",
			enforcement.CaseNumber{Year: 2024, Court: "沪0115", Type: enforcement.TypeCodeResumed, Seq: 5}, "（2024）沪0115执恢5号"},
		{"N1 2018 amendment special-trial code 知", "（2021）最高法知执1号",
			enforcement.CaseNumber{Year: 2021, Court: "最高法", Special: "知", Type: enforcement.TypeCodeExecution, Seq: 1}, "（2021）最高法知执1号"},
		{"N6 pre-2016 字第 form", "（2014）浦执字第123号",
			enforcement.CaseNumber{Year: 2014, Court: "浦", Type: enforcement.TypeCodeExecution, Seq: 123, Legacy: true}, "（2014）浦执字第123号"},
		{"N6 pre-2016 resumed", "(2013)沪一中执恢字第3号",
			enforcement.CaseNumber{Year: 2013, Court: "沪一中", Type: enforcement.TypeCodeResumed, Seq: 3, Legacy: true}, "（2013）沪一中执恢字第3号"},
		{"N6 pre-2016 SPC without court code", "（2008）执他字第5号",
			enforcement.CaseNumber{Year: 2008, Type: enforcement.TypeCodeOther, Seq: 5, Legacy: true}, "（2008）执他字第5号"},
		{"N6 A15 pre-2016 恢执", "（2015）浦恢执字第9号",
			enforcement.CaseNumber{Year: 2015, Court: "浦", Type: enforcement.TypeCodeResumed, Seq: 9, Legacy: true}, "（2015）浦执恢字第9号"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := enforcement.ParseCaseNumber(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			require.Equal(t, tt.canon, got.String())
			back, err := enforcement.ParseCaseNumber(got.String())
			require.NoError(t, err)
			require.Equal(t, got, back)
		})
	}
}

func TestParseCaseNumber_Invalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		in            string
		part          enforcement.CaseNumberPart
		notEnforce    bool
		wantTypeCode  string
		reasonNonZero bool
	}{
		{"empty", "", enforcement.PartBrackets, false, "", true},
		{"no brackets", "2024沪01执123号", enforcement.PartBrackets, false, "", true},
		{"no closing bracket", "（2024沪01执123号", enforcement.PartBrackets, false, "", true},
		{"〔〕 is for document numbers", "〔2024〕沪01执123号", enforcement.PartBrackets, false, "", true},
		{"two-digit year", "（24）沪01执123号", enforcement.PartYear, false, "", true},
		{"year with letters", "（20a4）沪01执123号", enforcement.PartYear, false, "", true},
		{"year before 1949", "（1900）沪01执123号", enforcement.PartYear, false, "", true},
		{"N2 unknown abbreviation", "（2024）浦执123号", enforcement.PartCourt, false, "", true},
		{"N2 蒙 is not a court code", "（2024）蒙01执1号", enforcement.PartCourt, false, "", true},
		{"N2 three digits", "（2024）沪011执1号", enforcement.PartCourt, false, "", true},
		{"N2 one digit", "（2024）沪1执1号", enforcement.PartCourt, false, "", true},
		{"N2 zero court number", "（2024）沪00执1号", enforcement.PartCourt, false, "", true},
		{"missing court", "（2024）", enforcement.PartCourt, false, "", true},
		{"N4 civil first instance", "（2024）沪0115民初4567号", enforcement.PartType, true, "民初", true},
		{"N4 criminal first instance", "（2024）沪01刑初1号", enforcement.PartType, true, "刑初", true},
		{"N4 special code with civil type", "（2021）最高法知民终1号", enforcement.PartType, true, "知民终", true},
		{"N4 pre-2016 civil", "（2014）浦民一初字第3号", enforcement.PartType, true, "浦民一初", true},
		{"missing type", "（2024）沪0115号", enforcement.PartType, false, "", true},
		{"type with Latin letter", "（2024）沪01执X1号", enforcement.PartType, false, "", true},
		{"type too long", "（2024）沪01执行执行执1号", enforcement.PartType, false, "", true},
		{"unknown special-trial code", "（2024）沪01金执1号", enforcement.PartType, true, "金执", true},
		{"missing sequence", "（2024）沪01执号", enforcement.PartSequence, false, "", true},
		{"leading zero", "（2024）沪01执0123号", enforcement.PartSequence, false, "", true},
		{"sequence too long", "（2024）沪01执1234567890号", enforcement.PartSequence, false, "", true},
		{"missing 号", "（2024）沪01执123", enforcement.PartSuffix, false, "", true},
		{"text after 号", "（2024）沪01执123号之一", enforcement.PartSuffix, false, "", true},
		{"two numbers", "（2024）沪01执123号456号", enforcement.PartSuffix, false, "", true},
		{"legacy missing sequence", "（2014）浦执字第号", enforcement.PartSequence, false, "", true},
		{"legacy missing 号", "（2014）浦执字第12", enforcement.PartSuffix, false, "", true},
		{"legacy court with punctuation", "（2014）浦-执字第12号", enforcement.PartCourt, false, "", true},
		{"legacy missing type", "（2014）字第12号", enforcement.PartType, false, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := enforcement.ParseCaseNumber(tt.in)
			require.Error(t, err)
			require.Zero(t, got)
			require.ErrorIs(t, err, enforcement.ErrInvalidCaseNumber)
			require.ErrorIs(t, err, enforcement.ErrInvalid)
			var ce *enforcement.CaseNumberError
			require.ErrorAs(t, err, &ce)
			require.Equal(t, tt.in, ce.Input)
			require.Equal(t, tt.part, ce.Part, ce.Reason)
			require.NotEmpty(t, ce.Reason)
			require.Equal(t, tt.notEnforce, errors.Is(err, enforcement.ErrNotEnforcementType))
			require.Equal(t, tt.wantTypeCode, ce.TypeCode)
		})
	}
}

func TestTypeCode_Table(t *testing.T) {
	t.Parallel()
	codes := enforcement.TypeCodes()
	require.Len(t, codes, 8)
	impl := 0
	for _, c := range codes {
		require.True(t, c.IsValid(), c)
		require.NotEmpty(t, c.Name(), c)
		if c.IsImplementation() {
			impl++
		}
		n, err := enforcement.ParseCaseNumber("（2024）沪01" + c.String() + "1号")
		require.NoError(t, err)
		require.Equal(t, c, n.Type)
	}
	require.Equal(t, 3, impl, "执, 执恢 and 执保 are implementation cases")
	require.Equal(t, "恢复执行案件", enforcement.TypeCodeResumed.Name())
	require.False(t, enforcement.TypeCode("民初").IsValid())
	require.Empty(t, enforcement.TypeCode("民初").Name())
}

func TestCaseNumber_Text(t *testing.T) {
	t.Parallel()
	type doc struct {
		Number enforcement.CaseNumber `json:"number"`
	}
	in := doc{Number: enforcement.CaseNumber{Year: 2024, Court: "沪01", Type: enforcement.TypeCodeResumed, Seq: 12}}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	require.JSONEq(t, `{"number":"（2024）沪01执恢12号"}`, string(b))
	var out doc
	require.NoError(t, json.Unmarshal(b, &out))
	require.Equal(t, in, out)

	b, err = json.Marshal(doc{})
	require.NoError(t, err)
	require.JSONEq(t, `{"number":""}`, string(b))
	out = in
	require.NoError(t, json.Unmarshal(b, &out))
	require.True(t, out.Number.IsZero())
	require.Empty(t, out.Number.String())

	require.ErrorIs(t, json.Unmarshal([]byte(`{"number":"（2024）沪01民初1号"}`), &out), enforcement.ErrNotEnforcementType)

	bad := []enforcement.CaseNumber{
		{Year: 2024, Court: "浦", Type: enforcement.TypeCodeExecution, Seq: 1},                // free-form court without Legacy
		{Year: 2024, Court: "沪01", Type: "民初", Seq: 1},                                       // not enforcement
		{Year: 2024, Court: "沪01", Type: enforcement.TypeCodeExecution},                      // no sequence
		{Year: 2014, Court: "浦恢", Type: enforcement.TypeCodeExecution, Seq: 1, Legacy: true}, // reads back as 执恢
	}
	for _, n := range bad {
		_, err := n.MarshalText()
		require.ErrorIs(t, err, enforcement.ErrInvalidCaseNumber, n)
	}
}

// FuzzParseCaseNumber checks that nothing panics, that an error comes with
// the zero value and a *CaseNumberError, and that a parsed value survives
// Parse(v.String()).
func FuzzParseCaseNumber(f *testing.F) {
	for _, s := range []string{
		"（2024）沪01执123号",     // intermediate court
		"（2024）沪0115执恢7号",    // basic court
		"（2023）最高法执监45号",     // supreme court
		"(2024)沪01执123号",     // half-width brackets
		"（２０２４）沪０１执１２３号",     // full-width digits
		"（2024）沪0115恢执5号",    // 恢执 alias
		"（2021）最高法知执1号",      // special-trial code
		"（2014）浦执字第123号",     // legacy
		"（2008）执他字第5号",       // legacy without court
		"（2015）浦恢执字第9号",      // legacy alias
		"（2024）沪0115民初4567号", // not enforcement
		"（2024）沪011执1号",      // bad court
		"（2024）沪01执0123号",    // leading zero
		"（2024）沪01执123号之一",   // text after 号
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := enforcement.ParseCaseNumber(s)
		if err != nil {
			if !v.IsZero() {
				t.Fatalf("ParseCaseNumber(%q) = %#v with error %v", s, v, err)
			}
			var ce *enforcement.CaseNumberError
			if !errors.As(err, &ce) || !errors.Is(err, enforcement.ErrInvalidCaseNumber) {
				t.Fatalf("ParseCaseNumber(%q) error %v is not a *CaseNumberError", s, err)
			}
			return
		}
		back, err := enforcement.ParseCaseNumber(v.String())
		if err != nil {
			t.Fatalf("ParseCaseNumber(%q) = %#v, but its String %q does not parse: %v", s, v, v.String(), err)
		}
		if back != v {
			t.Fatalf("round trip of %q: %#v -> %q -> %#v", s, v, v.String(), back)
		}
		if _, err := v.MarshalText(); err != nil {
			t.Fatalf("MarshalText of parsed %q: %v", s, err)
		}
	})
}

// caseNumberRE is the straightforward way to read a case number, used as the
// benchmark baseline. It handles neither aliases nor validation of the court.
var caseNumberRE = regexp.MustCompile(`^[（(]\s*(\d{4})\s*[）)]\s*(最高法|\p{Han}\d{0,4})(\p{Han}{1,3})(\d+)号$`)

func BenchmarkParseCaseNumber(b *testing.B) {
	const in = "（2024）沪0115执恢123号"
	var baseNs float64
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m := caseNumberRE.FindStringSubmatch(in)
			year, _ := strconv.Atoi(m[1])
			seq, _ := strconv.Atoi(m[4])
			_ = enforcement.CaseNumber{Year: year, Court: m[2], Type: enforcement.TypeCode(m[3]), Seq: seq}
		}
		baseNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("zhixing", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := enforcement.ParseCaseNumber(in); err != nil {
				b.Fatal(err)
			}
		}
		ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		if baseNs > 0 {
			b.ReportMetric(baseNs/ns, "x-vs-baseline")
		}
	})
}
