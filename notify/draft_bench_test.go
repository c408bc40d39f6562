package notify_test

import (
	"strings"
	"testing"
	"text/template"
	"time"
	"unicode/utf8"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// BenchmarkDraft drafts the measure notices of one recorded measure (three
// parties: a queued notice, a held one and a skipped one, plus the judge's
// prompt): template choice, variables, rendering with masking, segment
// count, idempotency key and policy routing. The baseline renders the same
// texts with text/template and counts characters naively, without keys,
// masking or routing.
func BenchmarkDraft(b *testing.B) {
	t := &testing.T{}
	d, c, env, _ := draftFixture(t)
	now := time.Date(2025, 3, 10, 10, 0, 0, 0, deadline.China)
	evs, err := c.RecordMeasure(enforcement.Measure{
		ID: "m1", Node: enforcement.NodeSeizure, Kind: enforcement.MeasureSeal, Property: enforcement.PropertyImmovable,
		Target: "沪(2021)浦字不动产权第123号", TakenOn: deadline.MustParseDate("2025-03-10"), Outcome: enforcement.OutcomeDone, Result: "已查封",
	}, env, now)
	if err != nil {
		b.Fatal(err)
	}
	measureEvents := evs[:1]
	msgs, err := d.Draft(c, measureEvents, now)
	if err != nil || len(msgs) != 4 {
		b.Fatalf("draft: %v, %d messages", err, len(msgs))
	}
	src, _ := d.Templates.Source(notify.KeyMeasureNotice)
	tt := template.Must(template.New("m").Parse(strings.NewReplacer("{", "{{.", "}", "}}").Replace(src)))
	vars := map[string]string{"party_name": "张三", "case_no": c.Number.String(), "target": "沪(2021)浦字不动产权第123号", "measure": "查封", "result": "已查封", "judge": "王法官", "phone": "13900139000"}
	var baseNs float64
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		var sb strings.Builder
		for b.Loop() {
			for range 4 {
				sb.Reset()
				sb.WriteString("【上海一中院】")
				if err := tt.Execute(&sb, vars); err != nil {
					b.Fatal(err)
				}
				_ = (utf8.RuneCountInString(sb.String()) + 66) / 67
			}
		}
		baseNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("zhixing", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := d.Draft(c, measureEvents, now); err != nil {
				b.Fatal(err)
			}
		}
		ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(4e9/ns, "drafts/s")
		if baseNs > 0 {
			b.ReportMetric(baseNs/ns, "x-vs-baseline")
		}
	})
}
