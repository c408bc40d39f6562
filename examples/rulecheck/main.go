// Command rulecheck checks a court's time-limit rule set and shows the due
// dates it gives.
//
//	go run ./examples/rulecheck -rules myrules.json [-trigger 2025-03-03]
//
// If the file has problems, rulecheck prints every one of them and exits
// with status 1. Otherwise it prints every rule version with its source
// (basis and source level), its verification status (V official text, S
// secondary copy, U unverified), whether it is enabled, its window in force,
// whether it is a party's right, and, for a sample trigger on the given
// day, the due date it gives (for a right, the day and 前/后 the party
// reads, enforcement.DueItem.RightWhen: "2025-09-03后"). An unverified rule that is enabled is listed
// after the table and makes the exit status 1: enable a rule only once its
// text has been checked, and record that in its status. Without -rules it
// shows the embedded default rule set.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"text/tabwriter"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the program: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rulecheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("rules", "", "rule set file (JSON); default: the embedded default set")
	on := fs.String("trigger", "2025-03-03", "sample trigger date (YYYY-MM-DD)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	day, err := deadline.ParseDate(*on)
	if err != nil {
		fmt.Fprintln(stderr, "rulecheck:", err)
		return 2
	}
	data := enforcement.DefaultRulesJSON()
	if *path != "" {
		if data, err = os.ReadFile(*path); err != nil {
			fmt.Fprintln(stderr, "rulecheck:", err)
			return 2
		}
	}
	rs, err := enforcement.LoadRules(bytes.NewReader(data))
	var rse *enforcement.RuleSetError
	if errors.As(err, &rse) {
		fmt.Fprintf(stdout, "%d problems:\n", len(rse.Problems))
		for _, p := range rse.Problems {
			fmt.Fprintln(stdout, " ", p)
		}
		return 1
	}
	if err != nil {
		fmt.Fprintln(stderr, "rulecheck:", err)
		return 2
	}
	if err := table(stdout, rs, day); err != nil {
		fmt.Fprintln(stderr, "rulecheck:", err)
		return 1
	}
	var bad []string
	for _, r := range rs.Rules {
		if rs.IsEnabled(r) && r.Status == enforcement.VerificationNone {
			bad = append(bad, r.Key+"@"+r.VersionName())
		}
	}
	if len(bad) > 0 {
		fmt.Fprintf(stdout, "%d 条未核实（U）的规则已启用：\n", len(bad))
		for _, b := range bad {
			fmt.Fprintln(stdout, " ", b)
		}
		return 1
	}
	fmt.Fprintln(stdout, "无未核实（U）规则启用")
	return 0
}

var statusNames = map[enforcement.Verification]string{
	enforcement.VerificationOfficial: "V 已核对官方文本", enforcement.VerificationSecondary: "S 据二手文本", enforcement.VerificationNone: "U 未核实",
}

// table prints the due date every rule gives for a sample trigger on day.
func table(w io.Writer, rs *enforcement.RuleSet, day deadline.Date) error {
	cal := deadline.Official()
	got := map[string]enforcement.DueItem{}
	for _, r := range rs.Rules {
		if r.Trigger.IsDerived() || !r.InForce(day) || !rs.IsEnabled(r) {
			continue
		}
		c, t := sample(r, day)
		opened, _, err := rs.Schedule(c, t, cal, true)
		if err != nil {
			return fmt.Errorf("rule %s: %w", r.Key, err)
		}
		for _, d := range opened {
			if _, ok := got[d.Rule]; !ok {
				got[d.Rule] = d
			}
		}
	}
	fmt.Fprintf(w, "规则集 %s，样本触发日 %s（* 为推算日期）\n", rs.Name, day)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "规则\t版本\t施行期间\t状态\t启用\t事项\t期间\t届满日\t来源层级\t依据")
	for _, r := range rs.Rules {
		enabled := "停用"
		if rs.IsEnabled(r) {
			enabled = "启用"
		}
		due := "—"
		switch {
		case !r.InForce(day):
			due = "不在施行期间"
		case !rs.IsEnabled(r):
		default:
			if d, ok := got[r.Key]; ok {
				due = d.Computed.String()
				if d.IsRight() {
					// A right is shown as the party reads it: the day
					// and 前/后 the law's wording needs.
					on, word := d.RightWhen()
					due = on.String() + word
				}
				if d.Provisional {
					due += "*"
				}
			}
		}
		title := r.Title
		switch r.Right {
		case enforcement.RightUntil:
			title += "（权利，届期前可行使）"
		case enforcement.RightFrom:
			title += "（权利，期满后可行使）"
		}
		window := "—"
		if !r.From.IsZero() || !r.Until.IsZero() {
			window = dateOr(r.From, "…") + "至" + dateOr(r.Until, "今")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s %s\t%s\t%s\t%s\n", r.Key, r.VersionName(), window, statusNames[r.Status], enabled,
			title, r.Counting, r.Period, due, r.Level.Chinese(), r.Basis)
	}
	return tw.Flush()
}

func dateOr(d deadline.Date, zero string) string {
	if d.IsZero() {
		return zero
	}
	return d.String()
}

// sample builds a case and a trigger on day that fire rule r.
func sample(r enforcement.Rule, day deadline.Date) (*enforcement.Case, enforcement.Trigger) {
	c := &enforcement.Case{ID: "sample", FiledOn: day, ReceivedOn: day, Status: enforcement.StatusOpen}
	for i, k := range r.Trigger.Requires {
		c.Nodes = append(c.Nodes, enforcement.Node{ID: fmt.Sprintf("req%d", i), Kind: k, Date: day})
	}
	if len(r.Trigger.ClosureModes) > 0 {
		c.Closure = &enforcement.ClosureRecord{Mode: r.Trigger.ClosureModes[0], On: day}
	}
	if !r.Trigger.IsMeasure() {
		return c, enforcement.Trigger{Node: r.Trigger.Node, Date: day, Ref: "node"}
	}
	m := enforcement.Measure{ID: "measure", Node: r.Trigger.Node, Kind: r.Trigger.Measures[0], Property: enforcement.PropertyNone, TakenOn: day}
	if m.Node == "" {
		m.Node = enforcement.NodeSeizure
	}
	if len(r.Trigger.Property) > 0 {
		m.Property = r.Trigger.Property[0]
	}
	// Prefer a property kind of the measure the rule names over "none".
	if slices.Contains(r.Trigger.Measures, enforcement.MeasureFreeze) && len(r.Trigger.Property) == 0 {
		m.Kind, m.Property = enforcement.MeasureFreeze, enforcement.PropertyDeposit
	}
	return c, enforcement.Trigger{Node: m.Node, Measure: &m, Date: day, Ref: m.ID}
}
