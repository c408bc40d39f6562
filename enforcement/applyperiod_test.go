package enforcement_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

func TestComputeApplicationPeriod(t *testing.T) {
	t.Parallel()
	type ev = enforcement.LimitationEvent
	tests := []struct {
		name     string
		source   string
		src      enforcement.SourceDocument
		received deadline.Date
		events   []ev
		version  string
		ends     []deadline.Date
		late     []string
		waived   bool
	}{
		{name: "FromPerformanceDueRestDayShift", source: "CPL art. 250(2); CPL art. 85: 2024-03-10 is a Sunday",
			src: enforcement.SourceDocument{EffectiveOn: ymd(2022, 2, 28), PerformanceDue: ymd(2022, 3, 10)}, received: ymd(2024, 3, 11),
			version: "2022-01-01", ends: []deadline.Date{ymd(2024, 3, 11)}},
		{name: "DayAfterEndIsLate", source: "CPL art. 250(1)",
			src: enforcement.SourceDocument{EffectiveOn: ymd(2022, 2, 28), PerformanceDue: ymd(2022, 3, 10)}, received: ymd(2024, 3, 12),
			version: "2022-01-01", ends: []deadline.Date{ymd(2024, 3, 11)}, late: []string{"全部履行义务"}},
		{name: "NoPerformancePeriodFromEffectiveDate", source: "CPL art. 250(2)",
			src: enforcement.SourceDocument{EffectiveOn: ymd(2021, 6, 1)}, received: ymd(2023, 6, 2),
			version: "2022-01-01", ends: []deadline.Date{ymd(2023, 6, 1)}, late: []string{"全部履行义务"}},
		{name: "InstalmentsCurrentTextFromLast", source: "CPL 2023 art. 250(2): 从最后一期履行期限届满之日起计算",
			src:      enforcement.SourceDocument{EffectiveOn: ymd(2018, 5, 1), Instalments: []deadline.Date{ymd(2018, 6, 30), ymd(2019, 6, 30), ymd(2020, 6, 30)}},
			received: ymd(2022, 3, 1), version: "2022-01-01", ends: []deadline.Date{ymd(2022, 6, 30)}},
		{name: "Instalments2017TextEachInstalment", source: "CPL 2017 art. 239(2): 从规定的每次履行期间的最后一日起计算",
			src:      enforcement.SourceDocument{EffectiveOn: ymd(2018, 5, 1), Instalments: []deadline.Date{ymd(2018, 6, 30), ymd(2019, 6, 30), ymd(2020, 6, 30)}},
			received: ymd(2021, 9, 1), version: "2008-04-01",
			// 2020-06-30 is a Tuesday; 2021-06-30 a Wednesday; 2022-06-30 a Thursday.
			ends: []deadline.Date{ymd(2020, 6, 30), ymd(2021, 6, 30), ymd(2022, 6, 30)}, late: []string{"第1期", "第2期"}},
		{name: "DemandInterrupts", source: "Civil Code art. 195(1); ExecInterp2008 art. 20",
			src: enforcement.SourceDocument{EffectiveOn: ymd(2019, 12, 20), PerformanceDue: ymd(2020, 1, 10)}, received: ymd(2023, 6, 1),
			events:  []ev{{Kind: enforcement.LimitationDemand, On: ymd(2021, 12, 1)}},
			version: "2022-01-01", ends: []deadline.Date{ymd(2023, 12, 1)}},
		{name: "DemandAfterEndDoesNotRevive", source: "Civil Code art. 195",
			src: enforcement.SourceDocument{EffectiveOn: ymd(2019, 12, 20), PerformanceDue: ymd(2020, 1, 10)}, received: ymd(2023, 6, 1),
			events:  []ev{{Kind: enforcement.LimitationDemand, On: ymd(2022, 3, 1)}},
			version: "2022-01-01", ends: []deadline.Date{ymd(2022, 1, 10)}, late: []string{"全部履行义务"}},
		{name: "AgreementAfterEndWaives", source: "Civil Code art. 192(2)",
			src: enforcement.SourceDocument{EffectiveOn: ymd(2017, 12, 20), PerformanceDue: ymd(2018, 1, 10)}, received: ymd(2021, 6, 1),
			events:  []ev{{Kind: enforcement.LimitationAgreement, On: ymd(2021, 5, 10)}},
			version: "2008-04-01", ends: []deadline.Date{ymd(2020, 1, 10)}, waived: true},
		{name: "SuspensionInLastSixMonthsCivilCode", source: "Civil Code art. 194: 自中止时效的原因消除之日起满六个月",
			src: enforcement.SourceDocument{EffectiveOn: ymd(2019, 12, 20), PerformanceDue: ymd(2020, 1, 10)}, received: ymd(2022, 6, 1),
			events:  []ev{{Kind: enforcement.LimitationSuspension, On: ymd(2021, 10, 1), Until: ymd(2021, 12, 31)}},
			version: "2022-01-01", ends: []deadline.Date{ymd(2022, 6, 30)}},
		{name: "SuspensionBeforeLastSixMonthsIgnored", source: "Civil Code art. 194: 在诉讼时效期间的最后六个月内",
			src: enforcement.SourceDocument{EffectiveOn: ymd(2019, 12, 20), PerformanceDue: ymd(2020, 1, 10)}, received: ymd(2022, 6, 1),
			events:  []ev{{Kind: enforcement.LimitationSuspension, On: ymd(2021, 1, 1), Until: ymd(2021, 3, 31)}},
			version: "2022-01-01", ends: []deadline.Date{ymd(2022, 1, 10)}, late: []string{"全部履行义务"}},
		{name: "SuspensionBefore2017Pauses", source: "General Principles of the Civil Law art. 139: 继续计算",
			src: enforcement.SourceDocument{EffectiveOn: ymd(2013, 12, 20), PerformanceDue: ymd(2014, 1, 10)}, received: ymd(2016, 1, 20),
			// 2016-01-10 is a Sunday: the end is 2016-01-11, plus 10 days of obstacle.
			events:  []ev{{Kind: enforcement.LimitationSuspension, On: ymd(2015, 9, 1), Until: ymd(2015, 9, 10)}},
			version: "2008-04-01", ends: []deadline.Date{ymd(2016, 1, 21)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := enforcement.ComputeApplicationPeriod(tt.src, tt.received, tt.events, deadline.Official())
			require.NoError(t, err, tt.source)
			require.Equal(t, tt.version, p.Version, tt.source)
			var ends []deadline.Date
			for _, r := range p.Runs {
				ends = append(ends, r.End)
				require.Equal(t, tt.waived, r.Waived, tt.source)
				require.NotEmpty(t, r.Steps)
			}
			require.Equal(t, tt.ends, ends, tt.source)
			require.Equal(t, tt.late, p.Late, tt.source)
			require.Equal(t, len(tt.late) > 0, p.IsLate())
		})
	}
	t.Run("InvalidInput", func(t *testing.T) {
		t.Parallel()
		_, err := enforcement.ComputeApplicationPeriod(enforcement.SourceDocument{}, ymd(2024, 1, 1),
			[]ev{{Kind: "rumour", On: ymd(2023, 1, 1)}}, deadline.Official())
		require.ErrorIs(t, err, enforcement.ErrInvalid)
	})
}

// A late application is filed only after the judge acknowledges the
// warning; the court does not refuse it (Interp 2022 art. 481).
func TestFile_LateApplication(t *testing.T) {
	t.Parallel()
	env := testEnv(t)
	c := newCase(t, "late1", ymd(2024, 3, 1))
	c.Source.EffectiveOn, c.Source.PerformanceDue = ymd(2021, 12, 20), ymd(2022, 1, 10)
	before := c.Clone()
	_, err := enforcement.File(c, env, at(ymd(2024, 3, 1)), "clerk")
	var le *enforcement.LateApplicationError
	require.ErrorAs(t, err, &le)
	require.ErrorIs(t, err, enforcement.ErrNeedsAcknowledgement)
	require.Equal(t, ymd(2024, 1, 10), le.Period.Runs[0].End)
	require.Equal(t, before, c)

	c.LateAcknowledgedBy = "judge-wang"
	_, err = enforcement.File(c, env, at(ymd(2024, 3, 1)), "clerk")
	require.NoError(t, err)
	require.NotNil(t, c.ApplicationPeriod)
	require.True(t, c.ApplicationPeriod.IsLate())

	inTime := newCase(t, "ok1", ymd(2024, 3, 1))
	inTime.Source.EffectiveOn, inTime.Source.PerformanceDue = ymd(2023, 12, 20), ymd(2024, 1, 10)
	_, err = enforcement.File(inTime, env, at(ymd(2024, 3, 1)), "clerk")
	require.NoError(t, err)
	require.Equal(t, ymd(2026, 1, 12), inTime.ApplicationPeriod.Runs[0].End, "2026-01-10 is a Saturday")
	require.False(t, inTime.ApplicationPeriod.IsLate())
}

// The new records survive a JSON round trip, as stores keep cases.
func TestCase_JSONRoundTrip_NewRecords(t *testing.T) {
	t.Parallel()
	env := defaultEnv()
	c := newCase(t, "rt1", ymd(2026, 12, 4))
	c.Source.EffectiveOn, c.Source.Instalments = ymd(2025, 1, 1), []deadline.Date{ymd(2025, 6, 30), ymd(2025, 12, 31)}
	c.LimitationEvents = []enforcement.LimitationEvent{{Kind: enforcement.LimitationSuspension, On: ymd(2025, 7, 1), Until: ymd(2025, 7, 31)}}
	_, err := enforcement.File(c, env, at(ymd(2026, 12, 4)), "clerk")
	require.NoError(t, err)
	_, err = c.RecordNode(enforcement.Node{ID: "n-v", Kind: enforcement.NodeClueVerification, Date: ymd(2026, 12, 8), Ref: "n-c", Finding: enforcement.FindingNoProperty, PartyID: "r1"}, env, at(ymd(2026, 12, 8)))
	require.NoError(t, err)
	b, err := json.Marshal(c)
	require.NoError(t, err)
	var got enforcement.Case
	require.NoError(t, json.Unmarshal(b, &got))
	require.Equal(t, c.ApplicationPeriod, got.ApplicationPeriod)
	require.Equal(t, c.LimitationEvents, got.LimitationEvents)
	require.Equal(t, c.Source.Instalments, got.Source.Instalments)
	n := got.Nodes[len(got.Nodes)-1]
	require.Equal(t, []string{"r1", "n-c", "no_property"}, []string{n.PartyID, n.Ref, string(n.Finding)})
	for i, d := range c.DueItems {
		g := got.DueItems[i]
		require.Equal(t, []any{d.ID, d.Computed, d.Provisional, d.AwaitingCalendar, d.Right, d.RightAction},
			[]any{g.ID, g.Computed, g.Provisional, g.AwaitingCalendar, g.Right, g.RightAction})
	}
	i := slices.IndexFunc(got.DueItems, func(d enforcement.DueItem) bool { return d.AwaitingCalendar })
	require.GreaterOrEqual(t, i, 0, "filed in December 2026, some items await the calendar")
}
