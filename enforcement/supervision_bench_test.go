package enforcement_test

import (
	"testing"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// naiveSupervise is the baseline: the same walk over every open item, with
// the level computed by counting working days one at a time with
// IsWorkday (stopping once past the threshold).
func naiveSupervise(cases []*enforcement.Case, today deadline.Date, cal *deadline.Calendar, approaching int) enforcement.LevelCounts {
	var lc enforcement.LevelCounts
	for _, c := range cases {
		for i := range c.DueItems {
			x := &c.DueItems[i]
			if !x.IsOpen() {
				continue
			}
			due := x.Due()
			switch {
			case today.After(due):
				lc.Overdue++
				continue
			case today == due:
				lc.DueToday++
				continue
			}
			n := 0
			for day := today.AddDays(1); !day.After(due) && n <= approaching; day = day.AddDays(1) {
				if ok, _ := cal.IsWorkday(day); ok {
					n++
				}
			}
			if n <= approaching {
				lc.Approaching++
			} else {
				lc.Normal++
			}
		}
	}
	return lc
}

// BenchmarkSupervise runs the chief's view over 100,000 cases with about a
// million due items on seeded random dates in 2024–2026.
func BenchmarkSupervise(b *testing.B) {
	cal := deadline.Official()
	cases := syntheticCases(100_000, 0xdead1337)
	today := ymd(2025, 9, 26)
	items := 0
	for _, c := range cases {
		items += len(c.DueItems)
	}
	var baseNs float64
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			naiveSupervise(cases, today, cal, enforcement.DefaultApproachingWorkdays)
		}
		baseNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(baseNs/1e6, "ms/100k-cases")
	})
	b.Run("zhixing", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := enforcement.Supervise(cases, today, cal, enforcement.SupervisionConfig{}); err != nil {
				b.Fatal(err)
			}
		}
		ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(ns/1e6, "ms/100k-cases")
		b.ReportMetric(ns/float64(items), "ns/item")
		if baseNs > 0 {
			b.ReportMetric(baseNs/ns, "x-vs-baseline")
		}
	})
}

// BenchmarkClassify classifies a million due items listed by a store's
// due-item index.
func BenchmarkClassify(b *testing.B) {
	cal := deadline.Official()
	cases := syntheticCases(100_000, 0xdead1337)
	today := ymd(2025, 9, 26)
	var refs []enforcement.DueRef
	for _, c := range cases {
		for _, x := range c.DueItems {
			refs = append(refs, enforcement.DueRef{CaseID: c.ID, JudgeID: c.JudgeID, Item: x})
		}
	}
	var baseNs float64
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for i := range refs {
				naiveLevel(cal, refs[i].Item.Due(), today, enforcement.DefaultApproachingWorkdays)
			}
		}
		baseNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("zhixing", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := enforcement.Classify(refs, today, cal, 0); err != nil {
				b.Fatal(err)
			}
		}
		ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(ns/1e6, "ms/1M-items")
		if baseNs > 0 {
			b.ReportMetric(baseNs/ns, "x-vs-baseline")
		}
	})
}
