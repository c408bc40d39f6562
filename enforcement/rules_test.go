package enforcement_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

func rlDate(y int, m time.Month, day int) deadline.Date { return deadline.NewDate(y, m, day) }

// ruleCase is a minimal case for scheduling: rules read only its nodes,
// measures, deductions, closure and due items.
func rlCase() *enforcement.Case {
	return &enforcement.Case{ID: "c1", Court: "沪01", FiledOn: rlDate(2025, 3, 3), ReceivedOn: rlDate(2025, 2, 28), Status: enforcement.StatusOpen}
}

func rlNode(k enforcement.NodeKind, on deadline.Date) enforcement.Trigger {
	return enforcement.Trigger{Node: k, Date: on, Ref: "n-" + string(k)}
}

func rlMeasure(k enforcement.MeasureKind, p enforcement.PropertyKind, on deadline.Date) enforcement.Trigger {
	m := enforcement.Measure{ID: "m1", Node: enforcement.NodeSeizure, Kind: k, Property: p, TakenOn: on}
	return enforcement.Trigger{Node: m.Node, Measure: &m, Date: on, Ref: m.ID}
}

func rlMeasureAt(n enforcement.NodeKind, k enforcement.MeasureKind, p enforcement.PropertyKind, on deadline.Date) enforcement.Trigger {
	t := rlMeasure(k, p, on)
	t.Node, t.Measure.Node = n, n
	return t
}

func rlUrgent(t enforcement.Trigger) enforcement.Trigger {
	t.Urgent = true
	return t
}

// item returns the item of rule key among opened.
func rlItem(tb testing.TB, opened []enforcement.DueItem, key string) enforcement.DueItem {
	tb.Helper()
	i := slices.IndexFunc(opened, func(x enforcement.DueItem) bool { return x.Rule == key })
	require.GreaterOrEqual(tb, i, 0, "no item of rule %s among %v", key, rlIDs(opened))
	return opened[i]
}

func rlIDs(items []enforcement.DueItem) []string {
	var out []string
	for _, x := range items {
		out = append(out, x.ID)
	}
	return out
}

// allEnabled is the default set with every rule switched on, so that the
// disabled (unverified) rules are tested too.
func rlAllEnabled(tb testing.TB) *enforcement.RuleSet {
	tb.Helper()
	s := enforcement.DefaultRules()
	rs, err := s.WithOptions(enforcement.RuleOptions{Enable: s.Keys()})
	require.NoError(tb, err)
	return rs
}

func TestDefaultRules_EveryRule(t *testing.T) {
	t.Parallel()
	cal := deadline.Official()
	rs := rlAllEnabled(t)
	withClosure := func(mode enforcement.ClosureMode, on deadline.Date) func(*enforcement.Case) {
		return func(c *enforcement.Case) { c.Closure = &enforcement.ClosureRecord{Mode: mode, On: on} }
	}
	tests := []struct {
		name    string
		key     string
		version string
		setup   func(*enforcement.Case)
		trigger enforcement.Trigger
		want    deadline.Date
		basis   string
	}{
		{"ExecWork16 filing decision 7 days", "filing.decide", "base", nil, rlNode(enforcement.NodeApplication, rlDate(2025, 2, 28)), rlDate(2025, 3, 7), "第十六条"},
		{"Limits2006 art2 handler within 7 days", "case.assign_handler", "base", nil, rlNode(enforcement.NodeFiling, rlDate(2025, 3, 3)), rlDate(2025, 3, 10), "第二条"},
		{"Limits2006 art4 internal notice 3 days", "notice.enforcement_internal", "base", nil, rlNode(enforcement.NodeHandlerAssigned, rlDate(2025, 3, 3)), rlDate(2025, 3, 6), "第四条"},
		{"Interp480 notice 10 days, National Day shift", "notice.enforcement_legal", "base", nil, rlNode(enforcement.NodeApplication, rlDate(2025, 9, 26)), rlDate(2025, 10, 9), "第四百八十条"},
		{"ExecInterp2008 art22 notice 3 days after measure", "notice.after_immediate_measure", "base", nil, rlMeasure(enforcement.MeasureFreeze, enforcement.PropertyDeposit, rlDate(2025, 3, 3)), rlDate(2025, 3, 6), "第二十二条"},
		{"Limits2006 art5 ask for clues, weekend shift", "notice.ask_applicant_clues", "base", nil, rlNode(enforcement.NodeHandlerAssigned, rlDate(2025, 3, 5)), rlDate(2025, 3, 10), "第五条"},
		{"PropInv art2 verify clue 7 days", "clue.verify", "base", nil, rlNode(enforcement.NodeClueSubmitted, rlDate(2025, 3, 3)), rlDate(2025, 3, 10), "第二条"},
		{"Limits2006 art6 start investigation 10 days", "investigation.start", "base", nil, rlNode(enforcement.NodeInvestigationAsked, rlDate(2025, 3, 3)), rlDate(2025, 3, 13), "第六条"},
		{"Limits2006 art6 investigation 1 month, month end (Civil Code 202)", "investigation.complete", "base", nil, rlNode(enforcement.NodeHandlerAssigned, rlDate(2025, 1, 31)), rlDate(2025, 2, 28), "第六条"},
		{"RefPrice art1 start within 30 days of seizure", "refprice.start", "base", nil, rlMeasure(enforcement.MeasureSeal, enforcement.PropertyImmovable, rlDate(2025, 3, 3)), rlDate(2025, 4, 2), "第一条"},
		{"RefPrice art11 online inquiry 3 days", "refprice.online_report", "base", nil, rlNode(enforcement.NodeRefPrice, rlDate(2025, 3, 3)), rlDate(2025, 3, 6), "第十一条"},
		{"RefPrice art19 appraisal 30 days net of suspension", "refprice.appraisal_report", "base", func(c *enforcement.Case) {
			c.Deductions = []enforcement.Deduction{{Kind: enforcement.DeductSuspension, From: rlDate(2025, 3, 10), To: rlDate(2025, 3, 19)}}
		}, rlNode(enforcement.NodeRefPrice, rlDate(2025, 3, 3)), rlDate(2025, 4, 14), "第十九条"},
		{"RefPrice art30 start disposal 10 days", "disposal.start", "base", nil, rlNode(enforcement.NodeRefPriceFixed, rlDate(2025, 3, 3)), rlDate(2025, 3, 13), "第三十条"},
		{"Auction2016 art23 deposit refund 24 hours", "auction.deposit_refund", "base", nil, rlNode(enforcement.NodeAuction, rlDate(2025, 3, 3)), rlDate(2025, 3, 4), "第二十三条"},
		{"Auction2016 art26 re-auction 30 days", "auction.reauction", "base", nil, rlNode(enforcement.NodeAuctionFailed, rlDate(2025, 3, 3)), rlDate(2025, 4, 2), "第二十六条"},
		{"Money rules 2017 disburse 30 days", "money.disburse", "base", nil, rlNode(enforcement.NodeMoneyReceived, rlDate(2025, 3, 3)), rlDate(2025, 4, 2), "法发〔2017〕6号"},
		{"Objection2015 art2 docket 3 days, Labour Day shift", "objection.docket", "base", nil, rlNode(enforcement.NodeObjection, rlDate(2025, 4, 30)), rlDate(2025, 5, 6), "第二条"},
		{"CPL236 objection ruling 15 days", "objection.decide", "base", nil, rlNode(enforcement.NodeObjection, rlDate(2025, 3, 3)), rlDate(2025, 3, 18), "第二百三十六条"},
		{"CPL236 reconsideration 10 days", "reconsideration.apply", "base", nil, rlNode(enforcement.NodeObjectionRuling, rlDate(2025, 3, 3)), rlDate(2025, 3, 13), "第二百三十六条"},
		{"ExecInterp2008 art7 forward file 5 days, weekend shift", "reconsideration.forward_file", "base", nil, rlNode(enforcement.NodeReconsideration, rlDate(2025, 3, 3)), rlDate(2025, 3, 10), "第七条"},
		{"ExecInterp2008 art8 reconsideration ruling 30 days", "reconsideration.decide", "base", nil, rlNode(enforcement.NodeReconsideration, rlDate(2025, 3, 3)), rlDate(2025, 4, 2), "第八条"},
		{"ExecInterp2008 art3 jurisdiction objection 10 days", "jurisdiction.objection", "base", nil, rlNode(enforcement.NodeExecutionNotice, rlDate(2025, 3, 3)), rlDate(2025, 3, 13), "第三条"},
		{"Limits2000 art5 case limit 6 months", "case.limit", "base", nil, rlNode(enforcement.NodeFiling, rlDate(2025, 3, 3)), rlDate(2025, 9, 3), "第五条"},
		{"Limits2006 art1 extension request 5 full days before the limit", "case.extension_request", "base", nil, rlNode(enforcement.NodeFiling, rlDate(2025, 3, 3)), rlDate(2025, 8, 28), "第一条"},
		{"CPL237 more than 6 months after application", "case.superior_application", "base", nil, rlNode(enforcement.NodeApplication, rlDate(2025, 3, 3)), rlDate(2025, 9, 4), "第二百三十七条"},
		{"CPL240 entrusted start 15 days", "entrust.start", "base", nil, rlNode(enforcement.NodeEntrusted, rlDate(2025, 3, 3)), rlDate(2025, 3, 18), "第二百四十条"},
		{"CPL240 entrusted report 30 days", "entrust.report", "base", nil, rlNode(enforcement.NodeEntrusted, rlDate(2025, 3, 3)), rlDate(2025, 4, 2), "第二百四十条"},
		{"Interp467 deferral at most 1 year, not extended", "suspend_guarantee.max", "base", nil, rlNode(enforcement.NodeDeferral, rlDate(2025, 3, 1)), rlDate(2026, 3, 1), "第四百六十七条"},
		{"Seizure rules 2004 art29 deposit 6 months", "seizure.deposit_expiry", "2005-01-01", nil, rlMeasure(enforcement.MeasureFreeze, enforcement.PropertyDeposit, rlDate(2014, 6, 1)), rlDate(2014, 12, 1), "第二十九条"},
		{"Interp485 deposit 1 year", "seizure.deposit_expiry", "2015-02-04", nil, rlMeasure(enforcement.MeasureFreeze, enforcement.PropertyDeposit, rlDate(2016, 3, 1)), rlDate(2017, 3, 1), "第四百八十五条"},
		{"Seizure rules 2004 art29 movable 1 year", "seizure.movable_expiry", "2005-01-01", nil, rlMeasure(enforcement.MeasureDetain, enforcement.PropertyVehicle, rlDate(2014, 6, 1)), rlDate(2015, 6, 1), "第二十九条"},
		{"Interp485 movable 2 years", "seizure.movable_expiry", "2015-02-04", nil, rlMeasure(enforcement.MeasureSeal, enforcement.PropertyMovable, rlDate(2016, 3, 1)), rlDate(2018, 3, 1), "第四百八十五条"},
		{"Seizure rules 2004 art29 immovable 2 years", "seizure.immovable_expiry", "2005-01-01", nil, rlMeasure(enforcement.MeasureSeal, enforcement.PropertyImmovable, rlDate(2014, 6, 1)), rlDate(2016, 6, 1), "第二十九条"},
		{"Interp485 immovable 3 years", "seizure.immovable_expiry", "2015-02-04", nil, rlMeasure(enforcement.MeasureFreeze, enforcement.PropertyOtherRight, rlDate(2023, 6, 30)), rlDate(2026, 6, 30), "第四百八十五条"},
		{"Interp485 renew at least 7 full days before expiry", "seizure.renew_by", "base", nil, rlMeasure(enforcement.MeasureFreeze, enforcement.PropertyDeposit, rlDate(2016, 3, 1)), rlDate(2017, 2, 21), "第十八条"},
		{"ZhongBen art9 first check 6 months after 终本", "zhongben.first_check", "base", withClosure(enforcement.ClosureZhongBen, rlDate(2025, 3, 3)), rlNode(enforcement.NodeClosure, rlDate(2025, 3, 3)), rlDate(2025, 9, 3), "第九条"},
		{"ZhongBen art9 next check 6 months, weekend shift", "zhongben.periodic_check", "base", withClosure(enforcement.ClosureZhongBen, rlDate(2025, 3, 3)), rlNode(enforcement.NodePostClosureCheck, rlDate(2025, 9, 1)), rlDate(2026, 3, 2), "第九条"},
		{"ZhongBen art7 database update 7 days", "zhongben.database_update", "base", withClosure(enforcement.ClosureZhongBen, rlDate(2025, 3, 3)), rlNode(enforcement.NodeClosure, rlDate(2025, 3, 3)), rlDate(2025, 3, 10), "第七条"},
		{"PropInv art2 urgent clue 3 days", "clue.verify", "base", nil, rlUrgent(rlNode(enforcement.NodeClueSubmitted, rlDate(2025, 3, 3))), rlDate(2025, 3, 6), "第二条"},
		{"PropInv art7 supplementary report 10 days after the change", "report.supplement", "base", nil, rlNode(enforcement.NodePropertyChange, rlDate(2025, 3, 3)), rlDate(2025, 3, 13), "第七条"},
		{"PropInv arts17 21 audit or reward decision 10 days, National Day shift", "audit_or_reward.decide", "base", nil, rlNode(enforcement.NodeAuditRewardApplied, rlDate(2025, 9, 26)), rlDate(2025, 10, 9), "第二十一条"},
		{"RefPrice art21 send report 3 days, weekend shift", "refprice.send_report", "base", nil, rlNode(enforcement.NodeReportReceived, rlDate(2025, 3, 5)), rlDate(2025, 3, 10), "第二十一条"},
		{"RefPrice art22 objection to report 5 days, Labour Day shift", "refprice.objection", "base", nil, rlNode(enforcement.NodeReportServed, rlDate(2025, 4, 28)), rlDate(2025, 5, 6), "第二十二条"},
		{"Auction2016 art20 bidding at least 24 hours", "auction.bidding_min", "base", nil, rlMeasureAt(enforcement.NodeAuction, enforcement.MeasureAuction, enforcement.PropertyImmovable, rlDate(2025, 3, 3)), rlDate(2025, 3, 4), "第二十条"},
		{"Auction2016 art12 movables announced 15 full days before, no holiday shift (A4)", "auction.announce_movable", "base", nil, rlMeasureAt(enforcement.NodeAuction, enforcement.MeasureAuction, enforcement.PropertyMovable, rlDate(2024, 10, 20)), rlDate(2024, 10, 4), "第十二条"},
		{"Auction2016 art12 immovables announced 30 full days before", "auction.announce_immovable", "base", nil, rlMeasureAt(enforcement.NodeAuction, enforcement.MeasureAuction, enforcement.PropertyImmovable, rlDate(2024, 10, 20)), rlDate(2024, 9, 19), "第十二条"},
		{"Auction2016 art26 re-auction of movables announced 7 full days before", "auction.reannounce_movable", "base", func(c *enforcement.Case) {
			c.Nodes = append(c.Nodes, enforcement.Node{ID: "af", Kind: enforcement.NodeAuctionFailed, Date: rlDate(2024, 9, 20)})
		}, rlMeasureAt(enforcement.NodeAuction, enforcement.MeasureAuction, enforcement.PropertyVehicle, rlDate(2024, 10, 20)), rlDate(2024, 10, 12), "第二十六条"},
		{"Auction2016 art26 re-auction of immovables announced 15 full days before", "auction.reannounce_immovable", "base", func(c *enforcement.Case) {
			c.Nodes = append(c.Nodes, enforcement.Node{ID: "af", Kind: enforcement.NodeAuctionFailed, Date: rlDate(2024, 9, 20)})
		}, rlMeasureAt(enforcement.NodeAuction, enforcement.MeasureAuction, enforcement.PropertyOtherRight, rlDate(2024, 10, 20)), rlDate(2024, 10, 4), "第二十六条"},
		{"Auction2016 art16 parties told 3 full days before the announcement", "auction.notify_parties", "base", nil, rlMeasureAt(enforcement.NodeAuction, enforcement.MeasureAuction, enforcement.PropertyMovable, rlDate(2024, 10, 20)), rlDate(2024, 9, 30), "第十六条"},
		{"Auction2016 art28 resume 5 days, weekend shift", "auction.resume", "base", nil, rlNode(enforcement.NodeAuctionPauseEnded, rlDate(2025, 3, 3)), rlDate(2025, 3, 10), "第二十八条"},
		{"SPC 2017 notice sale announcement 15 days after second failure", "sale.announce", "base", nil, rlNode(enforcement.NodeSecondAuctionFailed, rlDate(2025, 3, 3)), rlDate(2025, 3, 18), "第二十六条"},
		{"SPC 2017 notice sale window 60 days, Labour Day shift", "sale.window", "base", nil, rlMeasureAt(enforcement.NodeAuction, enforcement.MeasureSale, enforcement.PropertyMovable, rlDate(2025, 3, 3)), rlDate(2025, 5, 6), "网络司法拍卖与变卖衔接"},
		{"Limits2006 art8 transfer notice 5 days, weekend shift", "transfer.assist_notice", "base", nil, rlNode(enforcement.NodeTransferNeeded, rlDate(2025, 3, 3)), rlDate(2025, 3, 10), "第八条"},
		{"Objection2015 art2 notify docketing 3 days", "objection.notify", "base", nil, rlNode(enforcement.NodeObjectionDocketed, rlDate(2025, 3, 3)), rlDate(2025, 3, 6), "第二条"},
		{"CPL238 third-party suit 15 days", "third_party.suit", "base", nil, rlNode(enforcement.NodeThirdPartyRuling, rlDate(2025, 3, 3)), rlDate(2025, 3, 18), "第二百三十八条"},
		{"Interp463 no disposal 15 days, Spring Festival shift", "third_party.no_disposal", "base", nil, rlNode(enforcement.NodeThirdPartyRuling, rlDate(2025, 1, 20)), rlDate(2025, 2, 5), "第四百六十三条"},
		{"Interp314 release 7 days after the suit window", "third_party.release", "base", nil, rlNode(enforcement.NodeThirdPartyWindowClosed, rlDate(2025, 3, 3)), rlDate(2025, 3, 10), "第三百一十四条"},
		{"Interp509 objection to distribution plan 15 days", "distribution.objection", "base", nil, rlNode(enforcement.NodeDistributionPlan, rlDate(2025, 3, 3)), rlDate(2025, 3, 18), "第五百零九条"},
		{"Interp510 opposition 15 days, National Day shift", "distribution.counter", "base", nil, rlNode(enforcement.NodeDistributionObjection, rlDate(2025, 9, 20)), rlDate(2025, 10, 9), "第五百一十条"},
		{"Interp510 objector's suit 15 days", "distribution.suit", "base", nil, rlNode(enforcement.NodeDistributionOpposition, rlDate(2025, 3, 3)), rlDate(2025, 3, 18), "第五百一十条"},
		{"Money rules 2017 disburse 30 days net of suspension", "money.disburse", "base", func(c *enforcement.Case) {
			c.Deductions = []enforcement.Deduction{{Kind: enforcement.DeductSuspension, From: rlDate(2025, 3, 10), To: rlDate(2025, 3, 19)}}
		}, rlNode(enforcement.NodeMoneyReceived, rlDate(2025, 3, 3)), rlDate(2025, 4, 14), "法发〔2017〕6号"},
		{"Dishonest list art10 delete in 3 working days over National Day", "shixin.delete", "base", func(c *enforcement.Case) {
			c.Closure = &enforcement.ClosureRecord{Mode: enforcement.ClosureCompleted, On: rlDate(2025, 9, 30)}
			c.Nodes = append(c.Nodes, enforcement.Node{ID: "dl", Kind: enforcement.NodeDishonestList, Date: rlDate(2025, 4, 1)})
		}, rlNode(enforcement.NodeClosure, rlDate(2025, 9, 30)), rlDate(2025, 10, 11), "第十条"},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.key+"@"+tt.version] = true
	}
	for _, r := range rs.Rules {
		require.True(t, covered[r.Key+"@"+r.VersionName()], "default rule %s@%s has no table row", r.Key, r.VersionName())
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := rlCase()
			if tt.setup != nil {
				tt.setup(c)
			}
			opened, _, err := rs.Schedule(c, tt.trigger, cal, false)
			require.NoError(t, err)
			got := rlItem(t, opened, tt.key)
			require.Equal(t, tt.want, got.Computed, "steps: %v", got.Steps)
			require.Equal(t, tt.version, got.RuleVersion)
			require.Equal(t, tt.key+"@"+tt.trigger.Ref, got.ID)
			require.Contains(t, got.Basis, tt.basis)
			require.NotEmpty(t, got.Steps)
			require.Equal(t, enforcement.DueOpen, got.Status)
		})
	}
}

func TestRuleSet_Schedule_EffectiveDating(t *testing.T) {
	t.Parallel()
	cal := deadline.Official()
	confirmed := rlAllEnabled(t)
	tests := []struct {
		name    string
		rules   *enforcement.RuleSet
		on      deadline.Date
		want    deadline.Date
		version string
		none    bool
	}{
		{"Seizure rules 2004 art29: freeze in 2014 runs 6 months", confirmed, rlDate(2014, 6, 1), rlDate(2014, 12, 1), "2005-01-01", false},
		{"Interp2015 art487: the day it took effect runs 1 year", confirmed, rlDate(2015, 2, 4), rlDate(2016, 2, 4), "2015-02-04", false},
		{"Seizure rules 2004: last day before the Interpretation", confirmed, rlDate(2015, 2, 3), rlDate(2015, 8, 3), "2005-01-01", false},
		{"Interp485: freeze in 2016 runs 1 year", confirmed, rlDate(2016, 6, 1), rlDate(2017, 6, 1), "2015-02-04", false},
		{"Seizure rules 2004 art29: enabled in the default set, a 2014 freeze gets its expiry", enforcement.DefaultRules(), rlDate(2014, 6, 1), rlDate(2014, 12, 1), "2005-01-01", false},
		{"Before the 2004 provisions took effect (2005-01-01): no version", enforcement.DefaultRules(), rlDate(2004, 12, 31), deadline.Date{}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opened, _, err := tt.rules.Schedule(rlCase(), rlMeasure(enforcement.MeasureFreeze, enforcement.PropertyDeposit, tt.on), cal, false)
			require.NoError(t, err)
			if tt.none {
				require.False(t, slices.ContainsFunc(opened, func(x enforcement.DueItem) bool { return x.Rule == "seizure.deposit_expiry" }))
				return
			}
			got := rlItem(t, opened, "seizure.deposit_expiry")
			require.Equal(t, tt.want, got.Computed)
			require.Equal(t, tt.version, got.RuleVersion)
			renew := rlItem(t, opened, "seizure.renew_by")
			require.Equal(t, tt.want.AddDays(-8), renew.Computed, "A4: 7 full days between")
		})
	}
}

func TestRuleSet_Schedule_Expiry(t *testing.T) {
	t.Parallel()
	cal := deadline.Official()
	rs := enforcement.DefaultRules()
	t.Run("A10 term end not extended over National Day", func(t *testing.T) {
		t.Parallel()
		opened, _, err := rs.Schedule(rlCase(), rlMeasure(enforcement.MeasureFreeze, enforcement.PropertyDeposit, rlDate(2024, 10, 5)), cal, false)
		require.NoError(t, err)
		got := rlItem(t, opened, "seizure.deposit_expiry")
		require.Equal(t, rlDate(2025, 10, 5), got.Computed)
		require.True(t, slices.ContainsFunc(got.Steps, func(s deadline.Step) bool { return s.Code == enforcement.StepExpiryEstimated }))
		require.Contains(t, got.Title, "推算")
	})
	t.Run("A10 end date reported by the bank wins", func(t *testing.T) {
		t.Parallel()
		tr := rlMeasure(enforcement.MeasureFreeze, enforcement.PropertyDeposit, rlDate(2025, 3, 3))
		tr.Measure.ExpiresOn = rlDate(2026, 3, 2)
		opened, _, err := rs.Schedule(rlCase(), tr, cal, false)
		require.NoError(t, err)
		got := rlItem(t, opened, "seizure.deposit_expiry")
		require.Equal(t, rlDate(2026, 3, 2), got.Computed)
		require.Equal(t, enforcement.StepExpiryReported, got.Steps[1].Code)
		require.Equal(t, []deadline.Date{rlDate(2026, 1, 31), rlDate(2026, 2, 23)}, got.Warnings, "30 and 7 days before")
		require.Equal(t, rlDate(2026, 2, 22), rlItem(t, opened, "seizure.renew_by").Computed)
	})
	t.Run("F1 property kinds: vehicle is movable, other right is 3 years", func(t *testing.T) {
		t.Parallel()
		opened, _, err := rs.Schedule(rlCase(), rlMeasure(enforcement.MeasureDetain, enforcement.PropertyVehicle, rlDate(2025, 3, 3)), cal, false)
		require.NoError(t, err)
		require.Equal(t, rlDate(2027, 3, 3), rlItem(t, opened, "seizure.movable_expiry").Computed)
	})
}

func TestRuleSet_Schedule_Warnings(t *testing.T) {
	t.Parallel()
	opened, _, err := enforcement.DefaultRules().Schedule(rlCase(), rlMeasure(enforcement.MeasureFreeze, enforcement.PropertyDeposit, rlDate(2016, 3, 1)), deadline.Official(), false)
	require.NoError(t, err)
	exp := rlItem(t, opened, "seizure.deposit_expiry")
	require.Equal(t, []deadline.Date{rlDate(2017, 1, 30), rlDate(2017, 2, 22)}, exp.Warnings)
	renew := rlItem(t, opened, "seizure.renew_by")
	require.Equal(t, []deadline.Date{rlDate(2017, 2, 14)}, renew.Warnings)

	limit, _, err := enforcement.DefaultRules().Schedule(rlCase(), rlNode(enforcement.NodeFiling, rlDate(2025, 3, 3)), deadline.Official(), false)
	require.NoError(t, err)
	require.Equal(t, []deadline.Date{rlDate(2025, 8, 4), rlDate(2025, 8, 24)}, rlItem(t, limit, "case.limit").Warnings)
	require.Equal(t, []deadline.Date{rlDate(2025, 8, 24)}, rlItem(t, limit, "case.extension_request").Warnings, "A6: remind 10 days before")
}

func TestRuleSet_Schedule_CaseLimitDeductions(t *testing.T) {
	t.Parallel()
	cal := deadline.Official()
	filing := rlNode(enforcement.NodeFiling, rlDate(2025, 3, 3))
	susp := enforcement.Deduction{Kind: enforcement.DeductSuspension, From: rlDate(2025, 4, 1), To: rlDate(2025, 4, 30)}
	auction := enforcement.Deduction{Kind: enforcement.DeductAuction, From: rlDate(2025, 4, 20), To: rlDate(2025, 5, 9)}
	narrow, err := enforcement.DefaultRules().WithOptions(enforcement.RuleOptions{Deduct: map[string][]string{"case.limit": {"suspension"}}})
	require.NoError(t, err)
	tests := []struct {
		name   string
		rules  *enforcement.RuleSet
		setup  func(*enforcement.Case)
		want   deadline.Date
		extReq deadline.Date
	}{
		{"Limits2000 art5 six months", enforcement.DefaultRules(), nil, rlDate(2025, 9, 3), rlDate(2025, 8, 28)},
		{"Limits2006 art1 non-litigation three months", enforcement.DefaultRules(), func(c *enforcement.Case) { c.NonLitigation = true }, rlDate(2025, 6, 3), rlDate(2025, 5, 28)},
		{"Limits2000 art9 suspension of 30 days, then National Day shift", enforcement.DefaultRules(), func(c *enforcement.Case) {
			c.Deductions = []enforcement.Deduction{susp}
		}, rlDate(2025, 10, 9), rlDate(2025, 10, 3)},
		{"A5 overlapping suspension and auction counted once", enforcement.DefaultRules(), func(c *enforcement.Case) {
			c.Deductions = []enforcement.Deduction{susp, auction}
		}, rlDate(2025, 10, 13), rlDate(2025, 10, 7)},
		{"A5 court that does not deduct auction time", narrow, func(c *enforcement.Case) {
			c.Deductions = []enforcement.Deduction{susp, auction}
		}, rlDate(2025, 10, 9), rlDate(2025, 10, 3)},
		{"running suspension not counted until it ends", enforcement.DefaultRules(), func(c *enforcement.Case) {
			c.Deductions = []enforcement.Deduction{{Kind: enforcement.DeductSuspension, From: rlDate(2025, 4, 1)}}
		}, rlDate(2025, 9, 3), rlDate(2025, 8, 28)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := rlCase()
			if tt.setup != nil {
				tt.setup(c)
			}
			opened, _, err := tt.rules.Schedule(c, filing, cal, false)
			require.NoError(t, err)
			require.Equal(t, tt.want, rlItem(t, opened, "case.limit").Computed)
			require.Equal(t, tt.extReq, rlItem(t, opened, "case.extension_request").Computed)
		})
	}
}

func TestRuleSet_Schedule_Completion(t *testing.T) {
	t.Parallel()
	cal := deadline.Official()
	rs := enforcement.DefaultRules()
	c := rlCase()
	for _, tr := range []enforcement.Trigger{
		rlNode(enforcement.NodeApplication, rlDate(2025, 2, 28)),
		rlNode(enforcement.NodeHandlerAssigned, rlDate(2025, 3, 3)),
	} {
		opened, _, err := rs.Schedule(c, tr, cal, false)
		require.NoError(t, err)
		c.DueItems = append(c.DueItems, opened...)
	}
	_, completed, err := rs.Schedule(c, rlNode(enforcement.NodeExecutionNotice, rlDate(2025, 3, 5)), cal, false)
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"notice.enforcement_legal@n-application", "notice.enforcement_internal@n-handler_assigned"}, completed)

	_, completed, err = rs.Schedule(c, rlNode(enforcement.NodeExecutionNotice, rlDate(2025, 2, 27)), cal, false)
	require.NoError(t, err)
	require.Empty(t, completed, "a node before the trigger completes nothing")
}

func TestRuleSet_Schedule_Renewal(t *testing.T) {
	t.Parallel()
	cal := deadline.Official()
	rs := enforcement.DefaultRules()
	c := rlCase()
	first := rlMeasure(enforcement.MeasureFreeze, enforcement.PropertyDeposit, rlDate(2025, 3, 3))
	c.Measures = append(c.Measures, *first.Measure)
	opened, _, err := rs.Schedule(c, first, cal, false)
	require.NoError(t, err)
	c.DueItems = append(c.DueItems, opened...)

	renewal := enforcement.Measure{ID: "m2", Node: enforcement.NodeSeizure, Kind: enforcement.MeasureFreeze, Property: enforcement.PropertyDeposit,
		TakenOn: rlDate(2026, 2, 20), RenewalOf: "m1"}
	opened, completed, err := rs.Schedule(c, enforcement.Trigger{Node: renewal.Node, Measure: &renewal, Date: renewal.TakenOn, Ref: renewal.ID}, cal, false)
	require.NoError(t, err)
	require.ElementsMatch(t, []string{"seizure.deposit_expiry@m1", "seizure.renew_by@m1"}, completed)
	require.Equal(t, rlDate(2027, 2, 20), rlItem(t, opened, "seizure.deposit_expiry").Computed, "F2: a renewal starts a new term")
	require.False(t, slices.ContainsFunc(opened, func(x enforcement.DueItem) bool {
		return x.Rule == "refprice.start" || x.Rule == "notice.after_immediate_measure"
	}),
		"a renewal is not a new seizure")
}

func TestRuleSet_Recompute(t *testing.T) {
	t.Parallel()
	cal := deadline.Official()
	rs := enforcement.DefaultRules()
	c := rlCase()
	c.Nodes = []enforcement.Node{{ID: "n-filing", Kind: enforcement.NodeFiling, Date: rlDate(2025, 3, 3)}}
	opened, _, err := rs.Schedule(c, rlNode(enforcement.NodeFiling, rlDate(2025, 3, 3)), cal, false)
	require.NoError(t, err)
	c.DueItems = opened

	t.Run("corrected node date moves the item and its derived item", func(t *testing.T) {
		c := c.Clone()
		c.Nodes[0].Date = rlDate(2025, 3, 10)
		limit, err := rs.Recompute(c, rlItem(t, c.DueItems, "case.limit"), cal, false)
		require.NoError(t, err)
		require.Equal(t, rlDate(2025, 9, 10), limit.Computed)
		require.Equal(t, rlDate(2025, 3, 10), limit.Trigger)
		ext, err := rs.Recompute(c, rlItem(t, c.DueItems, "case.extension_request"), cal, false)
		require.NoError(t, err)
		require.Equal(t, rlDate(2025, 9, 4), ext.Computed)
	})
	t.Run("ended suspension moves the limit through Recalculate", func(t *testing.T) {
		c := c.Clone()
		c.Deductions = []enforcement.Deduction{{Kind: enforcement.DeductSuspension, From: rlDate(2025, 4, 1), To: rlDate(2025, 4, 30)}}
		moves, err := enforcement.Recalculate(c, rs, cal, false, "中止结束")
		require.NoError(t, err)
		got := map[string]deadline.Date{}
		for _, m := range moves {
			got[m.DueID] = m.New
		}
		require.Equal(t, rlDate(2025, 10, 9), got["case.limit@n-filing"])
		require.Equal(t, rlDate(2025, 10, 3), got["case.extension_request@n-filing"])
	})
	t.Run("derived item follows the judge's override of its parent", func(t *testing.T) {
		c := c.Clone()
		_, err := c.OverrideDue("case.limit@n-filing", rlDate(2025, 12, 3), "院长批准延长三个月", "judge", enforcement.Env{}, time.Date(2025, 8, 1, 9, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		_, err = c.ApproveOverride("case.limit@n-filing", "同意", "chief", time.Date(2025, 8, 1, 10, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		ext, err := rs.Recompute(c, rlItem(t, c.DueItems, "case.extension_request"), cal, false)
		require.NoError(t, err)
		require.Equal(t, rlDate(2025, 11, 27), ext.Computed)
		limit, err := rs.Recompute(c, rlItem(t, c.DueItems, "case.limit"), cal, false)
		require.NoError(t, err)
		require.Equal(t, rlDate(2025, 9, 3), limit.Computed, "the computed date stays beside the override")
		require.Equal(t, rlDate(2025, 12, 3), limit.Due())
	})
	t.Run("item of no rule is left unchanged", func(t *testing.T) {
		in := enforcement.DueItem{ID: "x@y", Rule: "x", TriggerRef: "y", Computed: rlDate(2025, 5, 6)}
		got, err := rs.Recompute(c, in, cal, false)
		require.NoError(t, err)
		require.Equal(t, in, got)
	})
}

// TestRuleSet_CaseFlow plugs the default set into the case methods.
func TestRuleSet_CaseFlow(t *testing.T) {
	t.Parallel()
	env := enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules()}
	now := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	// File validates the whole case (number, parties), which other tests
	// cover; here the scheduler is driven through RecordNode on a filed case.
	fc := rlCase()
	fc.Nodes = []enforcement.Node{{ID: "filing", Kind: enforcement.NodeFiling, Date: fc.FiledOn}}
	_, err := fc.RecordNode(enforcement.Node{ID: "h", Kind: enforcement.NodeHandlerAssigned, Date: rlDate(2025, 3, 4)}, env, now)
	require.NoError(t, err)
	_, ok := fc.Due("notice.enforcement_internal@h")
	require.True(t, ok)
	_, err = fc.RecordNode(enforcement.Node{ID: "en", Kind: enforcement.NodeExecutionNotice, Date: rlDate(2025, 3, 5)}, env, now)
	require.NoError(t, err)
	got, _ := fc.Due("notice.enforcement_internal@h")
	require.Equal(t, enforcement.DueDone, got.Status)
	require.Equal(t, rlDate(2025, 3, 5), got.DoneOn)
}

func TestRuleSet_Validate(t *testing.T) {
	t.Parallel()
	good := func() enforcement.Rule {
		return enforcement.Rule{Key: "x.rule", Title: "测试", Trigger: enforcement.RuleTrigger{Node: enforcement.NodeFiling},
			Period: deadline.MustParsePeriod("10d"), Counting: enforcement.CountCalendarDays, Owner: enforcement.OwnerHandler,
			Severity: enforcement.SeverityInfo, Level: enforcement.SourceLocal, Status: enforcement.VerificationOfficial, Enabled: true, Basis: "本院规定第一条"}
	}
	with := func(f func(*enforcement.Rule)) enforcement.Rule { r := good(); f(&r); return r }
	derived := func(key string, parents ...string) enforcement.Rule {
		return with(func(r *enforcement.Rule) {
			r.Key, r.Trigger, r.Counting = key, enforcement.RuleTrigger{Rules: parents}, enforcement.CountBefore
		})
	}
	tests := []struct {
		name  string
		rules []enforcement.Rule
		code  string
		field string
	}{
		{"unknown node", []enforcement.Rule{with(func(r *enforcement.Rule) { r.Trigger.Node = "hearing" })}, enforcement.ProblemUnknownNode, "trigger.node"},
		{"unknown completing node", []enforcement.Rule{with(func(r *enforcement.Rule) { r.CompletedBy = []enforcement.NodeKind{"done"} })}, enforcement.ProblemUnknownNode, "completed_by"},
		{"unknown measure", []enforcement.Rule{with(func(r *enforcement.Rule) {
			r.Trigger = enforcement.RuleTrigger{Measures: []enforcement.MeasureKind{"garnish"}}
		})}, enforcement.ProblemUnknownMeasure, "trigger.measures"},
		{"unknown property", []enforcement.Rule{with(func(r *enforcement.Rule) {
			r.Trigger = enforcement.RuleTrigger{Measures: []enforcement.MeasureKind{enforcement.MeasureFreeze}, Property: []enforcement.PropertyKind{"crypto"}}
		})}, enforcement.ProblemUnknownProperty, "trigger.property"},
		{"missing period", []enforcement.Rule{with(func(r *enforcement.Rule) { r.Period = deadline.Period{} })}, enforcement.ProblemBadPeriod, "period"},
		{"negative period", []enforcement.Rule{with(func(r *enforcement.Rule) { r.Period = deadline.MustParsePeriod("-3d") })}, enforcement.ProblemBadPeriod, "period"},
		{"period unit against counting", []enforcement.Rule{with(func(r *enforcement.Rule) { r.Period = deadline.MustParsePeriod("6m") })}, enforcement.ProblemBadPeriod, "period"},
		{"bad warning", []enforcement.Rule{with(func(r *enforcement.Rule) { r.Warnings = []deadline.Period{{N: 0, Unit: deadline.Days}} })}, enforcement.ProblemBadPeriod, "warnings[0]"},
		{"no legal basis", []enforcement.Rule{with(func(r *enforcement.Rule) { r.Basis = " " })}, enforcement.ProblemNoBasis, "basis"},
		{"unknown right kind", []enforcement.Rule{with(func(r *enforcement.Rule) { r.Owner, r.Right = enforcement.OwnerParty, "maybe" })}, enforcement.ProblemUnknownValue, "right"},
		{"a right of the handler", []enforcement.Rule{with(func(r *enforcement.Rule) { r.Right = enforcement.RightUntil })}, enforcement.ProblemUnknownValue, "right"},
		{"renewal period against counting", []enforcement.Rule{with(func(r *enforcement.Rule) { r.RenewalPeriod = deadline.MustParsePeriod("3m") })}, enforcement.ProblemBadPeriod, "renewal_period"},
		{"completed by its own trigger", []enforcement.Rule{with(func(r *enforcement.Rule) { r.CompletedBy = []enforcement.NodeKind{enforcement.NodeFiling} })}, enforcement.ProblemCycle, "completed_by"},
		{"derived rules loop", []enforcement.Rule{good(), derived("a", "b"), derived("b", "c"), derived("c", "a")}, enforcement.ProblemCycle, "trigger.rules"},
		{"derived rule derived from itself", []enforcement.Rule{derived("a", "a")}, enforcement.ProblemCycle, "trigger.rules"},
		{"unknown parent", []enforcement.Rule{derived("a", "nope")}, enforcement.ProblemUnknownRule, "trigger.rules"},
		{"overlapping effective dates", []enforcement.Rule{
			with(func(r *enforcement.Rule) { r.Version, r.Until = "old", rlDate(2015, 2, 4) }),
			with(func(r *enforcement.Rule) { r.Version, r.From = "new", rlDate(2015, 2, 3) }),
		}, enforcement.ProblemOverlap, "from"},
		{"duplicate", []enforcement.Rule{good(), good()}, enforcement.ProblemDuplicate, "version"},
		{"until before from", []enforcement.Rule{with(func(r *enforcement.Rule) { r.From, r.Until = rlDate(2020, 1, 1), rlDate(2019, 1, 1) })}, enforcement.ProblemBadWindow, "until"},
		{"unknown deduction", []enforcement.Rule{with(func(r *enforcement.Rule) { r.Deduct = []string{"holiday"} })}, enforcement.ProblemBadDeduction, "deduct"},
		{"unknown owner", []enforcement.Rule{with(func(r *enforcement.Rule) { r.Owner = "clerk" })}, enforcement.ProblemUnknownValue, "owner"},
		{"empty trigger", []enforcement.Rule{with(func(r *enforcement.Rule) { r.Trigger = enforcement.RuleTrigger{} })}, enforcement.ProblemBadTrigger, "trigger"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := &enforcement.RuleSet{Name: "test", Rules: tt.rules}
			err := s.Validate()
			require.ErrorIs(t, err, enforcement.ErrInvalidRules)
			require.ErrorIs(t, err, enforcement.ErrInvalid)
			var rse *enforcement.RuleSetError
			require.ErrorAs(t, err, &rse)
			require.True(t, slices.ContainsFunc(rse.Problems, func(p enforcement.RuleProblem) bool { return p.Code == tt.code && p.Field == tt.field }),
				"want %s at %s, got %v", tt.code, tt.field, rse.Problems)
			// The same data through the loader gives the same verdict.
			b, merr := enforcement.MarshalRules(s)
			require.NoError(t, merr)
			loaded, lerr := enforcement.LoadRules(bytes.NewReader(b))
			require.Nil(t, loaded)
			require.ErrorAs(t, lerr, &rse)
			require.True(t, rse.Has(tt.code))
		})
	}
	t.Run("every problem at once", func(t *testing.T) {
		t.Parallel()
		s := &enforcement.RuleSet{Name: "test", Rules: []enforcement.Rule{
			with(func(r *enforcement.Rule) { r.Trigger.Node = "hearing"; r.Basis = "" }),
			derived("a", "a"),
		}, Options: enforcement.RuleOptions{Enable: []string{"ghost"}}}
		var rse *enforcement.RuleSetError
		require.ErrorAs(t, s.Validate(), &rse)
		for _, code := range []string{enforcement.ProblemUnknownNode, enforcement.ProblemNoBasis, enforcement.ProblemCycle, enforcement.ProblemUnknownRule} {
			require.True(t, rse.Has(code), code)
		}
	})
	t.Run("valid", func(t *testing.T) {
		t.Parallel()
		require.NoError(t, (&enforcement.RuleSet{Name: "test", Rules: []enforcement.Rule{good()}}).Validate())
	})
}

func TestLoadRules(t *testing.T) {
	t.Parallel()
	t.Run("default round trip", func(t *testing.T) {
		t.Parallel()
		s, err := enforcement.LoadRules(bytes.NewReader(enforcement.DefaultRulesJSON()))
		require.NoError(t, err)
		require.Equal(t, enforcement.DefaultRules(), s)
		b, err := enforcement.MarshalRules(s)
		require.NoError(t, err)
		again, err := enforcement.LoadRules(bytes.NewReader(b))
		require.NoError(t, err)
		require.Equal(t, s, again)
	})
	t.Run("A14 unverified rules ship disabled, every rule has a basis", func(t *testing.T) {
		t.Parallel()
		for _, r := range enforcement.DefaultRules().Rules {
			require.NotEmpty(t, r.Basis, r.Key)
			if r.Status == enforcement.VerificationNone {
				require.False(t, r.Enabled, r.Key)
			}
		}
	})
	t.Run("syntax and unknown fields", func(t *testing.T) {
		t.Parallel()
		for _, in := range []string{``, `{`, `{"name":"x","rules":[],"extra":1}`, `{"name":"x","rules":[{"key":"a","period":"10x"}]}`, `{} {}`} {
			s, err := enforcement.LoadRules(strings.NewReader(in))
			require.Nil(t, s, in)
			require.ErrorIs(t, err, enforcement.ErrInvalidRules, in)
		}
	})
	t.Run("JSON field names are stable", func(t *testing.T) {
		t.Parallel()
		var raw struct {
			Rules []map[string]json.RawMessage `json:"rules"`
		}
		require.NoError(t, json.Unmarshal(enforcement.DefaultRulesJSON(), &raw))
		for _, f := range []string{"key", "title", "trigger", "period", "counting", "owner", "severity", "level", "status", "enabled", "basis"} {
			_, ok := raw.Rules[0][f]
			require.True(t, ok, f)
		}
	})
	t.Run("errors match by sentinel", func(t *testing.T) {
		t.Parallel()
		_, err := enforcement.LoadRules(strings.NewReader(`[]`))
		require.True(t, errors.Is(err, enforcement.ErrInvalidRules))
	})
}

func TestRuleSet_Schedule_ProvisionalFollowUp(t *testing.T) {
	t.Parallel()
	c := rlCase()
	c.Closure = &enforcement.ClosureRecord{Mode: enforcement.ClosureZhongBen, On: rlDate(2026, 8, 3)}
	opened, _, err := enforcement.DefaultRules().Schedule(c, rlNode(enforcement.NodeClosure, rlDate(2026, 8, 3)), deadline.Official(), false)
	require.NoError(t, err, "ZhongBen art9 checks years ahead are computed provisionally")
	got := rlItem(t, opened, "zhongben.first_check")
	require.True(t, got.Provisional)
	require.Equal(t, rlDate(2027, 2, 3), got.Computed)

	opened, _, err = enforcement.DefaultRules().Schedule(rlCase(), rlNode(enforcement.NodeFiling, rlDate(2026, 8, 3)), deadline.Official(), false)
	require.NoError(t, err, "a case limit beyond the schedule awaits the calendar instead of failing the filing")
	got = rlItem(t, opened, "case.limit")
	require.True(t, got.AwaitingCalendar)
	require.True(t, got.Provisional)
	_, shown := got.Shown(false)
	require.False(t, shown, "no date is shown when the court does not allow provisional dates")
}

// TestDefaultRules_ReferenceTable checks the default set against the node →
// deadline table of the legal reference (§13): every row is a rule with the
// verification status and source level the reference gives, or is listed
// here with the reason it is not a due item of the rule set.
func TestDefaultRules_ReferenceTable(t *testing.T) {
	t.Parallel()
	const (
		law = enforcement.SourceLaw
		ji  = enforcement.SourceJudicialInterpretation
		spc = enforcement.SourceSPCNormative
		v   = enforcement.VerificationOfficial
		s   = enforcement.VerificationSecondary
		u   = enforcement.VerificationNone
	)
	rows := []struct {
		key    string
		level  enforcement.SourceLevel
		status enforcement.Verification
	}{
		{"filing.decide", ji, v}, {"case.assign_handler", spc, s}, {"notice.enforcement_internal", spc, s},
		{"notice.enforcement_legal", ji, v}, {"notice.after_immediate_measure", ji, v}, {"notice.ask_applicant_clues", spc, s},
		{"clue.verify", ji, v}, {"investigation.start", spc, s}, {"investigation.complete", spc, s},
		{"report.supplement", ji, v}, {"audit_or_reward.decide", ji, v},
		{"refprice.start", ji, v}, {"refprice.online_report", ji, v}, {"refprice.appraisal_report", ji, v},
		{"refprice.send_report", ji, v}, {"refprice.objection", ji, v}, {"disposal.start", ji, v},
		{"auction.notify_parties", ji, v}, {"auction.announce_movable", ji, v}, {"auction.announce_immovable", ji, v},
		{"auction.reannounce_movable", ji, v}, {"auction.reannounce_immovable", ji, v},
		{"auction.bidding_min", ji, v}, {"auction.deposit_refund", ji, v}, {"auction.reauction", ji, v}, {"auction.resume", ji, v},
		{"sale.announce", spc, s}, {"sale.window", spc, s}, {"transfer.assist_notice", spc, u},
		{"seizure.deposit_expiry", ji, v}, {"seizure.movable_expiry", ji, v}, {"seizure.immovable_expiry", ji, v}, {"seizure.renew_by", ji, v},
		{"objection.docket", ji, v}, {"objection.notify", ji, v}, {"objection.decide", law, v},
		{"reconsideration.apply", law, v}, {"reconsideration.forward_file", ji, v}, {"reconsideration.decide", ji, v},
		{"third_party.suit", law, v}, {"third_party.no_disposal", ji, v}, {"third_party.release", ji, v},
		{"jurisdiction.objection", ji, v},
		{"distribution.objection", ji, v}, {"distribution.counter", ji, v}, {"distribution.suit", ji, v},
		{"case.limit", ji, v}, {"case.extension_request", spc, s}, {"case.superior_application", law, v},
		{"entrust.start", law, v}, {"entrust.report", law, v}, {"suspend_guarantee.max", ji, v},
		{"zhongben.periodic_check", spc, s}, {"money.disburse", spc, s}, {"shixin.delete", ji, s},
		// Rows the reference does not list separately: the first 终本 check
		// (Z7) and the 终本 database update (Z6).
		{"zhongben.first_check", spc, s}, {"zhongben.database_update", spc, u},
	}
	// §13 rows that are not due items of the rule set, and why.
	elsewhere := map[string]string{
		"zhongben.earliest":          "closure precondition (closure.go, ZhongBen art. 1)",
		"zhongben.consult_applicant": "closure precondition (closure.go, ZhongBen art. 5)",
		"apply_limit.expiry":         "a defence the debtor raises, not a due item (A13, Interp art. 481)",
		"interest.accrue":            "the delay-interest calculator (interest.go)",
		"auction.reannounce":         "split by property kind into auction.reannounce_movable (7 days) and auction.reannounce_immovable (15 days)",
	}
	// Verified rules that ship disabled: the ref_price node does not say
	// whether the price comes from an online inquiry or an appraisal.
	off := map[string]bool{"refprice.online_report": true}
	rs := enforcement.DefaultRules()
	keys := rs.Keys()
	listed := map[string]bool{}
	for _, row := range rows {
		listed[row.key] = true
		require.Contains(t, keys, row.key, "§13 row %s has no rule", row.key)
		require.NotContains(t, elsewhere, row.key)
		for _, r := range rs.Rules {
			if r.Key != row.key || r.Version == "2005-01-01" {
				continue // the 2004 seizure terms are history (F8, U)
			}
			require.Equal(t, row.level, r.Level, r.Key)
			require.Equal(t, row.status, r.Status, r.Key)
			require.Equal(t, r.Status != enforcement.VerificationNone && !off[r.Key], r.Enabled, "%s: A14, unverified rules ship disabled, the others enabled unless noted", r.Key)
		}
	}
	for _, k := range keys {
		require.True(t, listed[k], "default rule %s is not in the reference table", k)
	}
	for k := range elsewhere {
		require.NotContains(t, keys, k)
	}
}

// TestDefaultRules_NewNodes follows the nodes of the reference-price,
// auction, sale and objection steps through scheduling and completion.
func TestDefaultRules_NewNodes(t *testing.T) {
	t.Parallel()
	cal := deadline.Official()
	rs := enforcement.DefaultRules()
	// step records trigger tr on c and returns the IDs it opened and completed.
	step := func(t *testing.T, c *enforcement.Case, tr enforcement.Trigger) (opened, completed []string) {
		t.Helper()
		items, done, err := rs.Schedule(c, tr, cal, false)
		require.NoError(t, err)
		if tr.Measure == nil {
			c.Nodes = append(c.Nodes, enforcement.Node{ID: tr.Ref, Kind: tr.Node, Date: tr.Date})
		}
		c.DueItems = append(c.DueItems, items...)
		for i := range c.DueItems {
			if slices.Contains(done, c.DueItems[i].ID) {
				c.DueItems[i].Status = enforcement.DueDone
			}
		}
		return rlIDs(items), done
	}
	t.Run("RefPrice arts19 21: the report arrives, is sent, and the parties may object", func(t *testing.T) {
		t.Parallel()
		c := rlCase()
		opened, _ := step(t, c, rlNode(enforcement.NodeRefPrice, rlDate(2025, 3, 3)))
		require.Contains(t, opened, "refprice.appraisal_report@n-ref_price")
		opened, done := step(t, c, rlNode(enforcement.NodeReportReceived, rlDate(2025, 3, 20)))
		require.Equal(t, []string{"refprice.appraisal_report@n-ref_price"}, done, "the appraiser's report is in")
		require.Equal(t, []string{"refprice.send_report@n-report_received"}, opened)
		opened, done = step(t, c, rlNode(enforcement.NodeReportServed, rlDate(2025, 3, 21)))
		require.Equal(t, []string{"refprice.send_report@n-report_received"}, done)
		require.Equal(t, []string{"refprice.objection@n-report_served_party"}, opened)
	})
	t.Run("Auction2016 art26 and SPC 2017 notice: a second failure leads to a sale, not a third auction", func(t *testing.T) {
		t.Parallel()
		c := rlCase()
		opened, _ := step(t, c, rlNode(enforcement.NodeAuctionFailed, rlDate(2025, 3, 3)))
		require.Equal(t, []string{"auction.reauction@n-auction_failed"}, opened)
		opened, done := step(t, c, rlNode(enforcement.NodeSecondAuctionFailed, rlDate(2025, 3, 28)))
		require.Equal(t, []string{"auction.reauction@n-auction_failed"}, done)
		require.Equal(t, []string{"sale.announce@n-second_auction_failed"}, opened)
		_, done = step(t, c, rlNode(enforcement.NodeSaleAnnouncement, rlDate(2025, 4, 7)))
		require.Equal(t, []string{"sale.announce@n-second_auction_failed"}, done)
		sale := rlMeasureAt(enforcement.NodeAuction, enforcement.MeasureSale, enforcement.PropertyImmovable, rlDate(2025, 4, 15))
		opened, _ = step(t, c, sale)
		require.Equal(t, []string{"sale.window@m1"}, opened, "a sale is not a seizure: no reference price or notice item")
		_, done = step(t, c, rlNode(enforcement.NodeAuction, rlDate(2025, 5, 20)))
		require.Equal(t, []string{"sale.window@m1"}, done)
	})
	t.Run("Objection2015 art2: docketing completes the docket item and opens the notice", func(t *testing.T) {
		t.Parallel()
		c := rlCase()
		step(t, c, rlNode(enforcement.NodeObjection, rlDate(2025, 3, 3)))
		opened, done := step(t, c, rlNode(enforcement.NodeObjectionDocketed, rlDate(2025, 3, 5)))
		require.Equal(t, []string{"objection.docket@n-objection"}, done)
		require.Equal(t, []string{"objection.notify@n-objection_docketed"}, opened)
	})
	t.Run("CPL238 and Interp463: a third-party ruling opens the suit window and the bar on disposal", func(t *testing.T) {
		t.Parallel()
		c := rlCase()
		opened, _ := step(t, c, rlNode(enforcement.NodeThirdPartyRuling, rlDate(2025, 3, 3)))
		require.ElementsMatch(t, []string{"third_party.suit@n-third_party_ruling", "third_party.no_disposal@n-third_party_ruling"}, opened)
		require.NotContains(t, opened, "third_party.release@n-third_party_ruling", "release only once the window closed without a suit")
	})
	t.Run("Auction2016 art20: re-auctions get their own bidding item", func(t *testing.T) {
		t.Parallel()
		c := rlCase()
		first := rlMeasureAt(enforcement.NodeAuction, enforcement.MeasureAuction, enforcement.PropertyMovable, rlDate(2025, 3, 3))
		opened, _ := step(t, c, first)
		require.Equal(t, []string{"auction.bidding_min@m1", "auction.announce_movable@m1", "auction.notify_parties@m1"}, opened)
		_, done := step(t, c, rlNode(enforcement.NodeAuctionAnnouncement, rlDate(2025, 2, 10)))
		require.ElementsMatch(t, []string{"auction.announce_movable@m1", "auction.notify_parties@m1"}, done, "an announcement recorded before the auction completes the items counted back from it")
		_, done = step(t, c, rlNode(enforcement.NodeAuctionFailed, rlDate(2025, 3, 4)))
		require.Equal(t, []string{"auction.bidding_min@m1"}, done)
	})
}

// TestDefaultRules_NodesDescribed checks that every node kind has a Chinese
// name and a plain-language public text, and that the default rules name
// known nodes only.
func TestDefaultRules_NodesDescribed(t *testing.T) {
	t.Parallel()
	seen := map[enforcement.NodeKind]bool{}
	for _, n := range enforcement.Nodes() {
		require.False(t, seen[n.Kind], "duplicate node kind %s", n.Kind)
		seen[n.Kind] = true
		require.NotEmpty(t, n.Name, n.Kind)
		require.NotEmpty(t, n.Public, n.Kind)
		require.Equal(t, n.Name, n.Kind.Chinese())
		for _, m := range n.Allowed {
			require.True(t, m.IsKnown(), "%s allows unknown measure %s", n.Kind, m)
		}
	}
	for _, r := range enforcement.DefaultRules().Rules {
		named := append(append(append([]enforcement.NodeKind{r.Trigger.Node}, r.CompletedBy...), r.Trigger.Requires...), r.Trigger.Unless...)
		for _, k := range named {
			require.True(t, k == "" || seen[k], "rule %s names node %s", r.Key, k)
		}
	}
}
