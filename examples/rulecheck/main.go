// Command rulecheck checks a court's time-limit rule set and shows the due
// dates it gives.
//
//	go run ./examples/rulecheck -rules myrules.json [-trigger 2025-03-03]
//
// If the file has problems, rulecheck prints every one of them and exits
// with status 1. Otherwise it prints, for a sample trigger on the given
// day, the due date each rule gives with its legal basis. Without -rules it
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
	return 0
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
	fmt.Fprintln(tw, "规则\t版本\t事项\t期间\t届满日\t依据")
	for _, r := range rs.Rules {
		if !r.InForce(day) {
			continue
		}
		due := "停用"
		if rs.IsEnabled(r) {
			due = "—"
			if d, ok := got[r.Key]; ok {
				due = d.Computed.String()
				if d.Provisional {
					due += "*"
				}
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s %s\t%s\t%s\n", r.Key, r.VersionName(), r.Title, r.Counting, r.Period, due, r.Basis)
	}
	return tw.Flush()
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
