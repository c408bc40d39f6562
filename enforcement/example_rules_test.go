package enforcement_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// A court loads its own rule set through the same validator as the embedded
// default; every problem is reported at once.
func ExampleLoadRules() {
	const local = `{
  "name": "某区人民法院",
  "rules": [
    {"key": "local.visit", "title": "首次约谈申请执行人", "trigger": {"node": "filing"},
     "period": "5wd", "counting": "wd", "owner": "handler", "severity": "info",
     "level": "local", "status": "V", "enabled": true, "basis": "本院执行工作规程第三条"},
    {"key": "local.bad", "title": "坏规则", "trigger": {"node": "hearing"},
     "period": "10d", "counting": "month", "owner": "handler", "severity": "info",
     "level": "local", "status": "V", "enabled": true, "basis": ""}
  ]
}`
	_, err := enforcement.LoadRules(strings.NewReader(local))
	var rse *enforcement.RuleSetError
	if errors.As(err, &rse) {
		for _, p := range rse.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// rules[1] local.bad@base: basis: no_basis (instrument and article are required)
	// rules[1] local.bad@base: period: bad_period (unit of 10d does not fit counting "month")
	// rules[1] local.bad@base: trigger.node: unknown_node (hearing)
}

// Recording a freeze of a bank deposit opens its expiry (1 year, not moved
// over holidays), the renewal deadline before it, and the reminders.
func ExampleRuleSet_Schedule() {
	rules := enforcement.DefaultRules()
	c := &enforcement.Case{ID: "c1", FiledOn: deadline.NewDate(2025, 3, 3)}
	m := enforcement.Measure{ID: "m1", Node: enforcement.NodeNetworkInquiry, Kind: enforcement.MeasureFreeze,
		Property: enforcement.PropertyDeposit, TakenOn: deadline.NewDate(2025, 3, 4)}
	opened, _, err := rules.Schedule(c, enforcement.Trigger{Node: m.Node, Measure: &m, Date: m.TakenOn, Ref: m.ID}, deadline.Official(), false)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range opened {
		fmt.Println(d.ID, d.Computed, d.RuleVersion, d.Warnings)
	}
	// Output:
	// notice.after_immediate_measure@m1 2025-03-07 base []
	// seizure.deposit_expiry@m1 2026-03-04 2015-02-04 [2026-02-02 2026-02-25]
	// seizure.renew_by@m1 2026-02-24 base [2026-02-17]
}
