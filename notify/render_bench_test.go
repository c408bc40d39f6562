package notify_test

import (
	"bytes"
	"regexp"
	"testing"
	"text/template"
	"time"

	"github.com/courtkit/zhixing/notify"
)

// BenchmarkRender drafts the filing notice to the applicant, the longest
// party message, segment count included. The baseline executes the same text
// as a text/template with a map, which neither masks nor sanitises values;
// zhixing does both.
func BenchmarkRender(b *testing.B) {
	ts := mustDefault(b, court)
	key := notify.KeyFilingApplicant
	vars := fixture(key)
	src, _ := ts.Source(key)
	cfg := ts.Config()
	src = court.Signature + regexp.MustCompile(`\{([a-z_]+)\}`).ReplaceAllString(src, "{{.$1}}")
	tt := template.Must(template.New(key).Option("missingkey=error").Parse(src))
	data := map[string]string{"contact": cfg.Contact, "query_site": cfg.QuerySite}
	for k, v := range vars {
		data[k] = v
	}
	var baseNs float64
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			if err := tt.Execute(&buf, data); err != nil {
				b.Fatal(err)
			}
			notify.Segments(buf.String())
		}
		baseNs = float64(b.Elapsed()) / float64(b.N)
	})
	b.Run("zhixing", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ts.Render(key, vars); err != nil {
				b.Fatal(err)
			}
		}
		ns := float64(b.Elapsed()) / float64(b.N)
		b.ReportMetric(float64(time.Second)/ns, "drafts/s")
		if baseNs > 0 {
			b.ReportMetric(baseNs/ns, "x-vs-baseline")
		}
	})
}

// BenchmarkSegments counts the segments of a three-part Chinese notice.
func BenchmarkSegments(b *testing.B) {
	ts := mustDefault(b, court)
	r, err := ts.Render(notify.KeyFilingApplicant, fixture(notify.KeyFilingApplicant))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		notify.Segments(r.Text)
	}
}
