package enforcement_test

import (
	"os"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// with2027 returns the official calendar with the made-up 2027 test
// schedule of package deadline loaded (not the State Council's notice).
func with2027(tb testing.TB) *deadline.Calendar {
	tb.Helper()
	f, err := os.Open("../deadline/testdata/schedule-2027-fixture.json")
	require.NoError(tb, err)
	tb.Cleanup(func() { f.Close() })
	cal, err := deadline.Official().WithSchedule(f)
	require.NoError(tb, err)
	return cal
}

func awaitingCase(tb testing.TB, filed deadline.Date) *enforcement.Case {
	tb.Helper()
	n, err := enforcement.ParseCaseNumber("（2026）沪0115执9001号")
	require.NoError(tb, err)
	return &enforcement.Case{
		ID: "aw1", Number: n, Court: "沪0115", JudgeID: "judge-wang",
		ReceivedOn: filed, FiledOn: filed,
		AmountApplied: decimal.RequireFromString("50000.00"),
		Parties: []enforcement.Party{
			{ID: "a1", Role: enforcement.RoleApplicant, Kind: enforcement.PartyPerson, Name: "张三"},
			{ID: "r1", Role: enforcement.RoleRespondent, Kind: enforcement.PartyOrganisation, Name: "某某贸易有限公司"},
		},
	}
}

// Filing never fails because next year's holiday schedule is not published
// (the 2026 official calendar ends 2026-12-31): items due in 2027 await the
// calendar, items inside the coverage stay exact, and loading the year makes
// every awaiting item definite through Recalculate.
func TestFile_AwaitingCalendar(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		filed    deadline.Date
		settings enforcement.Settings
		// awaiting lists the items due beyond 2026 with their weekend-only
		// estimate and their date once the 2027 fixture is loaded.
		awaiting map[string][2]deadline.Date
		exact    map[string]deadline.Date
	}{
		{
			// CPL art. 250 / 执行立案结案意见 art. 37: 6-month case limit;
			// 执行程序若干问题解释 art. 10 (法释〔2008〕13号, 2020 text art. 9):
			// the applicant may apply to the higher court after 6 months.
			name: "FiledDecember4DefaultSettings", filed: rlDate(2026, 12, 4),
			awaiting: map[string][2]deadline.Date{
				"case.limit@filing":                     {rlDate(2027, 6, 4), rlDate(2027, 6, 4)},
				"case.superior_application@application": {rlDate(2027, 6, 5), rlDate(2027, 6, 5)}, // 超过六个月: from the day after
			},
			// CPL art. 85: 10 days from 2026-12-04 is Monday 2026-12-14.
			exact: map[string]deadline.Date{"notice.enforcement_legal@application": rlDate(2026, 12, 14)},
		},
		{
			// Civil Code art. 202 and CPL art. 85(3): 2027-05-03 falls in
			// the fixture's 劳动节 block, so the limit moves once loaded.
			name: "LimitInHolidayBlockMoves", filed: rlDate(2026, 11, 3),
			settings: enforcement.Settings{AllowProvisional: true},
			awaiting: map[string][2]deadline.Date{
				"case.limit@filing": {rlDate(2027, 5, 3), rlDate(2027, 5, 6)},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules(), Settings: tt.settings}
			c := awaitingCase(t, tt.filed)
			_, err := enforcement.File(c, env, tt.filed.Start(), "clerk")
			require.NoError(t, err)
			for id, dates := range tt.awaiting {
				d, ok := c.Due(id)
				require.True(t, ok, id)
				require.True(t, d.AwaitingCalendar, id)
				require.True(t, d.Provisional, id)
				require.False(t, d.IsDefinite(), id)
				require.Equal(t, dates[0], d.Computed, id)
				shown, ok := d.Shown(tt.settings.AllowProvisional)
				require.Equal(t, tt.settings.AllowProvisional, ok, id)
				if ok {
					require.Equal(t, dates[0], shown)
				}
			}
			for id, want := range tt.exact {
				d, ok := c.Due(id)
				require.True(t, ok, id)
				require.False(t, d.AwaitingCalendar, id)
				require.True(t, d.IsDefinite(), id)
				require.Equal(t, want, d.Computed, id)
			}
			// The extension request is counted from the provisional case
			// limit and inherits its mark.
			ext, ok := c.Due("case.extension_request@filing")
			require.True(t, ok)
			require.True(t, ext.Provisional)
			require.True(t, ext.AwaitingCalendar)

			moves, err := enforcement.Recalculate(c, env.Rules.(enforcement.Recomputer), with2027(t), tt.settings.AllowProvisional, "2027年节假日安排载入")
			require.NoError(t, err)
			got := map[string]deadline.Date{}
			for _, m := range moves {
				require.True(t, m.Definite, m.DueID)
				got[m.DueID] = m.New
			}
			for id, dates := range tt.awaiting {
				require.Contains(t, got, id)
				require.Equal(t, dates[1], got[id], id)
			}
			require.Contains(t, got, "case.extension_request@filing")
			_, err = c.ApplyMoves(moves, "system", time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC))
			require.NoError(t, err)
			for id := range tt.awaiting {
				d, _ := c.Due(id)
				require.False(t, d.AwaitingCalendar, id)
				require.True(t, d.IsDefinite(), id)
			}
			ext, _ = c.Due("case.extension_request@filing")
			require.True(t, ext.IsDefinite())
		})
	}
}

// Receiving a party's request in late December never fails either: the
// working-day limits run into January and are marked provisional.
func TestCase_ReceiveRequest_AwaitingCalendar(t *testing.T) {
	t.Parallel()
	env := enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules()}
	c := awaitingCase(t, rlDate(2026, 12, 4))
	_, err := enforcement.File(c, env, rlDate(2026, 12, 4).Start(), "clerk")
	require.NoError(t, err)
	_, err = c.ReceiveRequest(enforcement.Request{ID: "q1", PartyID: "a1", Channel: "sms", Text: "请问进展"}, env, time.Date(2026, 12, 28, 2, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.True(t, c.Requests[0].Provisional)
}
