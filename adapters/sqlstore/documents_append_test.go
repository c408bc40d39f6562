package sqlstore

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/storetest"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// awkward are strings that json.Marshal escapes, each in its own way, and
// plain text around them.
var awkward = []string{
	"", "plain", "节点 发出执行通知书", `quote " and back\slash`, "<b>&amp;</b>", "tab\tnew\nline\rcr\bbs\fff",
	"\x00\x01\x1f\x7f", "bad \xff utf-8 \xe4\xb8", "line\u2028para\u2029sep", "emoji 😀", "末尾\\",
}

// awkwardItem returns a due item with every field set, its strings
// awkward[k]; with full false, every optional field is empty.
func awkwardItem(k int, full bool) enforcement.DueItem {
	s := func(i int) string { return awkward[(k+i)%len(awkward)] }
	d := enforcement.DueItem{ID: s(0), Rule: s(1), Title: s(2), Owner: s(3), Severity: enforcement.Severity(s(4)),
		Computed: deadline.MustParseDate("2026-03-02"), Status: enforcement.DueStatus(s(5))}
	if !full {
		return d
	}
	d.RuleVersion, d.Basis, d.TriggerRef, d.RightAction = s(6), s(7), s(8), s(9)
	d.Trigger = deadline.MustParseDate("2026-02-27")
	d.Deadline = time.Date(2026, 3, 2, 17, 30, 0, 123, time.FixedZone("CST", 8*3600))
	d.Steps = []deadline.Step{{Code: deadline.StepCode(s(1)), Date: d.Trigger, Text: s(2)}, {Code: "x"}}
	d.CalcBasis = []string{s(3), s(4)}
	d.Provisional, d.AwaitingCalendar, d.Internal = true, true, true
	d.Warnings = []deadline.Date{d.Trigger, d.Computed}
	d.Override = &enforcement.Override{Date: d.Computed, Reason: s(5), By: s(6), At: d.Deadline, Status: enforcement.OverrideStatus(s(7)),
		DecidedBy: s(8), DecidedAt: d.Deadline, Note: s(9)}
	d.DoneOn = d.Computed
	d.Right = enforcement.RightKind(s(10))
	return d
}

// The import's encoders write the bytes json.Marshal writes: for the
// stored test cases, for due items with every field set or none, with
// every kind of string, and with empty rather than nil lists.
func TestEncodeForImport_SameAsMarshal(t *testing.T) {
	t.Parallel()
	today := deadline.MustParseDate("2026-06-15")
	cases := append(storetest.SupervisionCases(60, "沪01", today), storetest.NewCase("c-none", "沪01", "j1", 1))
	cases[len(cases)-1].DueItems = nil
	for k := range awkward {
		c := storetest.NewCase("c-awkward-"+awkward[k], "沪01", "j1", 2+k)
		c.DueItems = []enforcement.DueItem{awkwardItem(k, true), awkwardItem(k, false)}
		cases = append(cases, c)
	}
	empty := storetest.NewCase("c-empty", "沪01", "j1", 99)
	item := awkwardItem(1, true)
	item.Steps, item.CalcBasis, item.Warnings = []deadline.Step{}, []string{}, []deadline.Date{}
	empty.DueItems = []enforcement.DueItem{item}
	cases = append(cases, empty)
	empty = storetest.NewCase("c-no-items", "沪01", "j1", 100)
	empty.DueItems = []enforcement.DueItem{}
	cases = append(cases, empty)

	items := 0
	for _, c := range cases {
		got, err := encodeCaseForImport(c)
		require.NoError(t, err)
		want, err := MarshalCase(c)
		require.NoError(t, err)
		require.Equal(t, string(want), got, "case %s", c.ID)
		due, brief, head := encodeDueForImport(c)
		require.Len(t, due, len(c.DueItems))
		require.Len(t, brief, len(c.DueItems))
		require.Len(t, head, len(c.DueItems))
		for i, d := range c.DueItems {
			wantDue, err := encodeDue(d)
			require.NoError(t, err)
			require.Equal(t, string(wantDue), due[i], "case %s item %d", c.ID, i)
			wantBrief, err := encodeBrief(d)
			require.NoError(t, err)
			require.Equal(t, string(wantBrief), brief[i], "case %s item %d", c.ID, i)
			require.NotContains(t, brief[i], `"steps"`)
			require.NotContains(t, brief[i], `"calc_basis"`)
			wantHead, err := encodeHead(d)
			require.NoError(t, err)
			require.Equal(t, string(wantHead), head[i], "case %s item %d", c.ID, i)
			items++
		}
	}
	require.Greater(t, items, 2*len(awkward))
}

// appendJSONString quotes every string as json.Marshal does.
func TestAppendJSONString(t *testing.T) {
	t.Parallel()
	for _, s := range append(awkward, "\u2027\u202a", "a\u0080b", string([]byte{0xed, 0xa0, 0x80})) {
		want, err := json.Marshal(s)
		require.NoError(t, err)
		require.Equal(t, string(want), string(appendJSONString([]byte("x"), s))[1:], "%q", s)
	}
}

func BenchmarkEncodeForImport(b *testing.B) {
	today := deadline.MustParseDate("2026-06-15")
	cases := storetest.SupervisionCases(200, "沪01", today)
	for i := range 200 { // as the import benchmark's cases
		c := storetest.NewCase(fmt.Sprintf("c%06d", i), "沪01", "j01", i+1)
		for j := range 10 {
			c.DueItems = append(c.DueItems, enforcement.DueItem{ID: fmt.Sprintf("rule%d@n", j), Rule: fmt.Sprintf("rule%d", j), Title: "节点",
				Computed: today.AddDays(j), Status: enforcement.DueOpen})
		}
		cases = append(cases, c)
	}
	b.Run("reflection", func(b *testing.B) {
		for b.Loop() {
			for _, c := range cases {
				if _, err := MarshalCase(c); err != nil {
					b.Fatal(err)
				}
				for _, d := range c.DueItems {
					if _, err := encodeDue(d); err != nil {
						b.Fatal(err)
					}
					if _, err := encodeHead(d); err != nil {
						b.Fatal(err)
					}
					if _, err := encodeBrief(d); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
	})
	b.Run("import", func(b *testing.B) {
		for b.Loop() {
			for _, c := range cases {
				if _, err := encodeCaseForImport(c); err != nil {
					b.Fatal(err)
				}
				encodeDueForImport(c)
			}
		}
	})
}

// The appenders write every field of the documents they encode: a field
// added to one of them fails here until its appender writes it (and
// awkwardItem sets it).
func TestAppenders_EveryField(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		doc    any
		fields int
	}{{dueDoc{}, 23}, {headDoc{}, 14}, {overrideDoc{}, 8}, {stepDoc{}, 3}} {
		require.Equal(t, c.fields, reflect.TypeOf(c.doc).NumField(), "%T", c.doc)
	}
}
