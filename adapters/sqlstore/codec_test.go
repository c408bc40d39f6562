package sqlstore_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// filler sets every exported field of a value to a random one, so that a
// field added to the domain and missing from the stored document fails the
// round trip.
type filler struct{ r *rand.Rand }

var (
	dateType       = reflect.TypeFor[deadline.Date]()
	caseNumberType = reflect.TypeFor[enforcement.CaseNumber]()
	idNumberType   = reflect.TypeFor[enforcement.IDNumber]()
	roleType       = reflect.TypeFor[enforcement.Role]()
	partyKindType  = reflect.TypeFor[enforcement.PartyKind]()
)

func (f filler) fill(v reflect.Value) {
	r := f.r
	switch v.Type() {
	case timeType:
		if r.IntN(5) == 0 {
			v.Set(reflect.ValueOf(time.Time{}))
			return
		}
		t := time.Unix(r.Int64N(4e9), r.Int64N(1e9))
		if r.IntN(2) == 0 {
			t = t.In(deadline.China)
		}
		v.Set(reflect.ValueOf(t))
		return
	case dateType:
		if r.IntN(5) == 0 {
			v.Set(reflect.ValueOf(deadline.Date{}))
			return
		}
		t := time.Date(1990+r.IntN(100), time.January, 1+r.IntN(366), 0, 0, 0, 0, time.UTC)
		v.Set(reflect.ValueOf(deadline.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}))
		return
	case decimalType:
		v.Set(reflect.ValueOf(decimal.New(r.Int64N(1e12)-1e6, -int32(r.IntN(3)))))
		return
	case caseNumberType:
		n, err := enforcement.ParseCaseNumber(fmt.Sprintf("（%d）沪01%s%d号", 2000+r.IntN(30), []string{"执", "执恢", "执异"}[r.IntN(3)], 1+r.IntN(99999)))
		if err != nil {
			panic(err)
		}
		v.Set(reflect.ValueOf(n))
		return
	case idNumberType:
		v.Set(reflect.ValueOf(enforcement.NewIDNumber(fmt.Sprintf("3101011990%08dX", r.IntN(1e8)))))
		return
	case roleType:
		v.Set(reflect.ValueOf([]enforcement.Role{enforcement.RoleApplicant, enforcement.RoleRespondent, enforcement.RoleInterested}[r.IntN(3)]))
		return
	case partyKindType:
		v.Set(reflect.ValueOf([]enforcement.PartyKind{enforcement.PartyPerson, enforcement.PartyOrganisation}[r.IntN(2)]))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString([]string{"", "j1", "张三", `引号"与\反斜杠`, "a\nb", strings.Repeat("长", 40)}[r.IntN(6)])
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Int, reflect.Int64:
		v.SetInt(r.Int64N(1000))
	case reflect.Pointer:
		if r.IntN(3) == 0 {
			return
		}
		p := reflect.New(v.Type().Elem())
		f.fill(p.Elem())
		v.Set(p)
	case reflect.Slice:
		n := r.IntN(4)
		if n == 0 && r.IntN(2) == 0 {
			return // nil
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			f.fill(s.Index(i))
		}
		v.Set(s)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				f.fill(v.Field(i))
			}
		}
	default:
		panic("filler: no rule for " + v.Type().String())
	}
}

func randomCase(r *rand.Rand) *enforcement.Case {
	c := new(enforcement.Case)
	filler{r}.fill(reflect.ValueOf(c).Elem())
	return c
}

func TestMarshalCase_RoundTrip(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(0xdead1337, 12))
	for i := range 300 {
		c := randomCase(r)
		b, err := sqlstore.MarshalCase(c)
		require.NoError(t, err, "case %d", i)
		got, err := sqlstore.UnmarshalCase(b)
		require.NoError(t, err, "case %d: %s", i, b)
		for j, p := range c.Parties {
			require.Equal(t, p.IDNumber.Reveal(), got.Parties[j].IDNumber.Reveal(), "the full ID number")
			if !p.IDNumber.IsZero() {
				require.Contains(t, string(b), p.IDNumber.Reveal())
			}
		}
		normalize(c)
		normalize(got)
		require.Equal(t, c, got, "case %d: %s", i, b)
	}
}

func TestMarshalCase_StoredForm(t *testing.T) {
	t.Parallel()
	b, err := sqlstore.MarshalCase(fixtureCase())
	require.NoError(t, err)
	s := string(b)
	require.True(t, strings.HasPrefix(s, `{"v":1,"id":"c-legacy","number":"（2026）沪0115执1234号",`), s)
	for _, part := range []string{
		`"judge_id":"j1"`, `"id_number":"310101199001011234"`, `"role":"applicant"`, `"kind":"organisation"`,
		`"amount_applied":"120000.5"`, `"filed_on":"2026-03-02"`, `"at":"2026-03-02T09:00:05.123+08:00"`,
		`"status":"suspended"`, `"override":{"date":"2026-03-16"`,
	} {
		require.Contains(t, s, part)
	}
	require.NotContains(t, s, `"JudgeID"`)
}

// The fields added to version 1 for the period for applying are stored
// with snake_case names, dates as YYYY-MM-DD and enums by their codes,
// and are absent when empty, so that cases without them are stored as
// before.
func TestMarshalCase_ApplicationPeriodForm(t *testing.T) {
	t.Parallel()
	c := fixtureCase()
	before, err := sqlstore.MarshalCase(c)
	require.NoError(t, err)
	for _, name := range []string{`"instalments"`, `"limitation_events"`, `"application_period"`, `"late_acknowledged_by"`,
		`"awaiting_calendar"`, `"right"`, `"finding"`, `"reply_by_provisional"`} {
		require.NotContains(t, string(before), name)
	}
	c.Source.Instalments = []deadline.Date{deadline.MustParseDate("2025-06-30"), deadline.MustParseDate("2025-12-31")}
	c.LimitationEvents = []enforcement.LimitationEvent{{Kind: enforcement.LimitationDemand, On: deadline.MustParseDate("2026-01-05"), Note: "催告函"}}
	c.ApplicationPeriod = &enforcement.ApplicationPeriod{Version: "2023", Basis: "《民事诉讼法》第250条", Received: deadline.MustParseDate("2026-03-02"),
		Runs: []enforcement.PeriodRun{{Label: "第1期", Start: deadline.MustParseDate("2025-06-30"), End: deadline.MustParseDate("2027-06-30")}}}
	c.LateAcknowledgedBy = "j1"
	c.Nodes[0].Finding = enforcement.FindingNoProperty
	c.DueItems[0].Right = enforcement.RightUntil
	c.DueItems[0].AwaitingCalendar = true
	b, err := sqlstore.MarshalCase(c)
	require.NoError(t, err)
	s := string(b)
	for _, part := range []string{
		`"instalments":["2025-06-30","2025-12-31"]`, `"limitation_events":[{"kind":"demand","on":"2026-01-05","note":"催告函"}]`,
		`"application_period":{"version":"2023","basis":"《民事诉讼法》第250条","received":"2026-03-02","runs":[{"label":"第1期","start":"2025-06-30","end":"2027-06-30","steps":null}],"late":null}`,
		`"late_acknowledged_by":"j1"`, `"finding":"no_property"`, `"awaiting_calendar":true`, `"right":"until"`,
	} {
		require.Contains(t, s, part)
	}
	got, err := sqlstore.UnmarshalCase(b)
	require.NoError(t, err)
	normalize(c)
	normalize(got)
	require.Equal(t, c, got)
}

func TestUnmarshalCase_Errors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		doc  string
	}{
		{"not JSON", `{`},
		{"not an object", `[]`},
		{"newer version", `{"v":2,"id":"c1"}`},
		{"negative version", `{"v":-1,"id":"c1"}`},
		{"bad date", `{"v":1,"id":"c1","filed_on":"2026-02-30"}`},
		{"bad time", `{"v":1,"id":"c1","updated_at":"yesterday"}`},
		{"bad amount", `{"v":1,"id":"c1","amount_applied":"12元"}`},
		{"bad role", `{"v":1,"id":"c1","parties":[{"id":"a1","role":"judge"}]}`},
		{"bad case number", `{"v":1,"id":"c1","number":"沪01执1号"}`},
		{"legacy without a case", `{"IDNumbers":{}}`},
		{"legacy with a bad date", `{"Case":{"ID":"c1","FiledOn":"2026-13-01"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := sqlstore.UnmarshalCase([]byte(tt.doc))
			require.Error(t, err)
			require.Nil(t, c)
		})
	}
	_, err := sqlstore.UnmarshalCase([]byte(`{"v":2}`))
	require.ErrorIs(t, err, sqlstore.ErrDocumentVersion)
}

func TestUnmarshalCase_Legacy(t *testing.T) {
	t.Parallel()
	got, err := sqlstore.UnmarshalCase([]byte(legacy(t, "case.json")))
	require.NoError(t, err)
	want := fixtureCase()
	want.Version = 1
	normalize(want)
	normalize(got)
	require.Equal(t, want, got)
}

func FuzzUnmarshalCase(f *testing.F) {
	current, err := sqlstore.MarshalCase(fixtureCase())
	require.NoError(f, err)
	f.Add(current)                                                             // the current form, every field set
	f.Add([]byte(legacy(f, "case.json")))                                      // the legacy form
	f.Add([]byte(`{"v":1}`))                                                   // an empty case
	f.Add([]byte(`{"v":2}`))                                                   // a newer version
	f.Add([]byte(`{"Case":null}`))                                             // a legacy document without its case
	f.Add([]byte(`{"Case":{"Parties":[{"ID":"a1"}]},"IDNumbers":{"a1":"x"}}`)) // a legacy number
	f.Add([]byte(`{"v":1,"parties":[{"role":"x"}]}`))                          // an unknown role
	f.Add([]byte(`null`))                                                      // not an object
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := sqlstore.UnmarshalCase(b)
		if err != nil {
			require.Nil(t, c)
			return
		}
		require.NotNil(t, c)
		again, err := sqlstore.MarshalCase(c)
		require.NoError(t, err)
		back, err := sqlstore.UnmarshalCase(again)
		require.NoError(t, err)
		normalize(c)
		normalize(back)
		require.Equal(t, c, back)
	})
}

// BenchmarkUnmarshalCase compares reading a case in the current form with
// the baseline, decoding the domain structs' own JSON (how the legacy form
// was read), and reports the cost of reading a legacy row.
func BenchmarkUnmarshalCase(b *testing.B) {
	current, err := sqlstore.MarshalCase(fixtureCase())
	require.NoError(b, err)
	old := []byte(legacy(b, "case.json"))
	var baseNs float64
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var doc struct {
				Case      *enforcement.Case
				IDNumbers map[string]string
			}
			require.NoError(b, json.Unmarshal(old, &doc))
		}
		baseNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("zhixing", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, err := sqlstore.UnmarshalCase(current)
			require.NoError(b, err)
		}
		if baseNs > 0 {
			b.ReportMetric(baseNs/(float64(b.Elapsed().Nanoseconds())/float64(b.N)), "x-vs-baseline")
		}
	})
	b.Run("legacy-row", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, err := sqlstore.UnmarshalCase(old)
			require.NoError(b, err)
		}
	})
}
