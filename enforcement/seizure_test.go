package enforcement_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

func defaultEnv() enforcement.Env {
	return enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules()}
}

func filedDefault(tb testing.TB, id string, filed deadline.Date) *enforcement.Case {
	tb.Helper()
	c := newCase(tb, id, filed)
	_, err := enforcement.File(c, defaultEnv(), at(filed), "clerk")
	require.NoError(tb, err)
	return c
}

// 法释〔2004〕15号 art. 29: before 2015-02-04 a freeze of deposits ran at most
// 6 months, movables 1 year, immovables 2 years, and a renewal at most half
// of that; from 2015-02-04 (Interp 2015 art. 487, 2022 art. 485) 1/2/3 years
// and a renewal a full term.
func TestSeizureTerms_2004Provisions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		source   string
		property enforcement.PropertyKind
		kind     enforcement.MeasureKind
		on       deadline.Date
		renewOn  deadline.Date
		key      string
		want     deadline.Date
		renewal  deadline.Date
	}{
		{"Deposit2014", "2004 art. 29(1)-(2): 6 months, renewal 3", enforcement.PropertyDeposit, enforcement.MeasureFreeze,
			ymd(2014, 3, 3), ymd(2014, 8, 25), "seizure.deposit_expiry", ymd(2014, 9, 3), ymd(2014, 11, 25)},
		{"Movable2014", "2004 art. 29: 1 year, renewal 6 months", enforcement.PropertyVehicle, enforcement.MeasureDetain,
			ymd(2014, 3, 3), ymd(2015, 1, 20), "seizure.movable_expiry", ymd(2015, 3, 3), ymd(2015, 7, 20)},
		{"Immovable2014RenewedAfter2015", "Interp 2015 art. 487: a renewal from 2015-02-04 runs a full 3 years", enforcement.PropertyImmovable, enforcement.MeasureSeal,
			ymd(2014, 3, 3), ymd(2016, 2, 20), "seizure.immovable_expiry", ymd(2016, 3, 3), ymd(2019, 2, 20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := defaultEnv()
			c := filedDefault(t, "s1", ymd(2014, 3, 3))
			m := enforcement.Measure{ID: "m1", Node: enforcement.NodeSeizure, Kind: tt.kind, Property: tt.property, Target: "财产", TakenOn: tt.on, Outcome: enforcement.OutcomeDone}
			_, err := c.RecordMeasure(m, env, at(tt.on))
			require.NoError(t, err)
			d, ok := c.Due(enforcement.DueID(tt.key, "m1"))
			require.True(t, ok, tt.source)
			require.Equal(t, tt.want, d.Computed, tt.source)
			r := m
			r.ID, r.TakenOn, r.RenewalOf = "m2", tt.renewOn, "m1"
			_, err = c.RecordMeasure(r, env, at(tt.renewOn))
			require.NoError(t, err)
			d, ok = c.Due(enforcement.DueID(tt.key, "m2"))
			require.True(t, ok, tt.source)
			require.Equal(t, tt.renewal, d.Computed, tt.source)
		})
	}
}

// Interp 2022 art. 485 and reference A10: the end date the bank reports
// replaces the estimate, and the renewal deadline and reminders follow.
func TestCase_UpdateMeasure_ReportedExpiry(t *testing.T) {
	t.Parallel()
	env := defaultEnv()
	c := filedDefault(t, "x1", ymd(2024, 3, 1))
	m := freeze("m1", ymd(2024, 3, 5), "100.00", enforcement.OutcomeDone)
	_, err := c.RecordMeasure(m, env, at(ymd(2024, 3, 5)))
	require.NoError(t, err)
	d, _ := c.Due("seizure.deposit_expiry@m1")
	require.Equal(t, ymd(2025, 3, 5), d.Computed)
	require.Contains(t, d.Title, "推算")

	reported := ymd(2025, 3, 3)
	before := c.Clone()
	evs, err := c.UpdateMeasure("m1", enforcement.MeasureUpdate{ExpiresOn: &reported}, env, "judge-wang", time.Date(2024, 3, 8, 2, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.NotEqual(t, before, c)
	d, _ = c.Due("seizure.deposit_expiry@m1")
	require.Equal(t, reported, d.Computed)
	require.NotContains(t, d.Title, "推算")
	require.Equal(t, []deadline.Date{ymd(2025, 2, 1), ymd(2025, 2, 24)}, d.Warnings, "30 and 7 days before the reported end")
	renew, _ := c.Due("seizure.renew_by@m1")
	require.Equal(t, ymd(2025, 2, 23), renew.Computed, "7 full days before the reported end")
	require.Equal(t, enforcement.EventDueMoved, evs[len(evs)-1].Kind)
}

// Limits2000 art. 9 and ExecInterp2008 art. 13: every kind of deduction the
// rule set knows is recorded and not counted in the case limit.
func TestCase_RecordDeduction(t *testing.T) {
	t.Parallel()
	kinds := []struct {
		kind, source string
	}{
		{enforcement.DeductNotice, "ExecInterp2008 art. 13: 公告"},
		{enforcement.DeductAppraisal, "ExecInterp2008 art. 13: 评估、审计"},
		{enforcement.DeductJurisdiction, "ExecInterp2008 art. 13: 管辖争议"},
		{enforcement.DeductCoordination, "Limits2000 art. 9: 请示、协调"},
		{enforcement.DeductAuction, "ExecInterp2008 art. 13: 拍卖、变卖"},
		{enforcement.DeductSuspension, "ExecInterp2008 art. 13: 中止"},
		{enforcement.DeductDeferral, "ExecInterp2008 art. 13: 暂缓"},
		{enforcement.DeductSettlement, "ExecInterp2008 art. 13: 和解"},
	}
	for _, k := range kinds {
		t.Run(k.kind, func(t *testing.T) {
			t.Parallel()
			env := defaultEnv()
			c := filedDefault(t, "d1", ymd(2024, 3, 1))
			lim, _ := c.Due("case.limit@filing")
			require.Equal(t, ymd(2024, 9, 2), lim.Computed, "2024-09-01 is a Sunday")
			evs, err := c.RecordDeduction(enforcement.Deduction{Kind: k.kind, From: ymd(2024, 4, 1), To: ymd(2024, 4, 30)}, env, "judge-wang", at(ymd(2024, 5, 6)))
			require.NoError(t, err, k.source)
			lim, _ = c.Due("case.limit@filing")
			// 30 days not counted: 2024-09-01 + 30 = 2024-10-01, in the
			// National Day block, shifted to 2024-10-08.
			require.Equal(t, ymd(2024, 10, 8), lim.Computed, k.source)
			require.Equal(t, enforcement.EventDeductionRecorded, evs[0].Kind)
			require.Equal(t, enforcement.EventDueMoved, evs[len(evs)-1].Kind)
		})
	}
	t.Run("Invalid", func(t *testing.T) {
		t.Parallel()
		c := filedDefault(t, "d2", ymd(2024, 3, 1))
		before := c.Clone()
		_, err := c.RecordDeduction(enforcement.Deduction{Kind: "holiday", From: ymd(2024, 2, 1)}, defaultEnv(), "judge-wang", at(ymd(2024, 5, 6)))
		require.ErrorIs(t, err, enforcement.ErrInvalid)
		require.Equal(t, before, c)
	})
}
