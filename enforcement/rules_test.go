package enforcement_test

import (
	"slices"
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
