package deadline_test

import (
	"bytes"
	"testing"

	"github.com/courtkit/zhixing/deadline"
)

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"2024-10-01", // valid
		"2024-02-29", // leap day
		"2023-02-29", // not a leap year
		"0001-01-01", // first representable day
		"0000-01-01", // year zero
		"9999-12-31", // last four-digit day
		"2024-1-01",  // missing zero
		"2024/10/01", // wrong separator
		"２０２４-10-01", // full-width digits
		"",           // empty
		"2024-10-01\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := deadline.ParseDate(s)
		if err != nil {
			if !d.IsZero() {
				t.Fatalf("ParseDate(%q) = %v with error %v", s, d, err)
			}
			return
		}
		if !d.IsValid() {
			t.Fatalf("ParseDate(%q) = invalid %v", s, d)
		}
		if s != d.String() {
			t.Fatalf("ParseDate(%q).String() = %q", s, d.String())
		}
		back, err := deadline.ParseDate(d.String())
		if err != nil || back != d {
			t.Fatalf("round trip %q → %v → %v, %v", s, d, back, err)
		}
		var u deadline.Date
		b, _ := d.MarshalText()
		if err := u.UnmarshalText(b); err != nil || u != d {
			t.Fatalf("text round trip %v → %q → %v, %v", d, b, u, err)
		}
		if d.AddDays(1).AddDays(-1) != d || d.AddDays(1).Sub(d) != 1 {
			t.Fatalf("day arithmetic broken at %v", d)
		}
	})
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{
		"24h", "15d", "10wd", "6m", "1y", // valid
		"0d", "-15d", // zero and backward
		"-0d", "015d", "1.5d", "d", "15", "15w", "1234567d", "+5d", "", // invalid
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := deadline.ParsePeriod(s)
		if err != nil {
			if !p.IsZero() {
				t.Fatalf("ParsePeriod(%q) = %v with error %v", s, p, err)
			}
			return
		}
		if p.String() != s {
			t.Fatalf("ParsePeriod(%q).String() = %q", s, p.String())
		}
		back, err := deadline.ParsePeriod(p.String())
		if err != nil || back != p {
			t.Fatalf("round trip %q → %v → %v, %v", s, p, back, err)
		}
	})
}

func FuzzLoadSchedule(f *testing.F) {
	// Valid: one covered year with a make-up day, and the 2027 test fixture.
	f.Add([]byte(`{"years": {"2024": {"year": 2024, "papers": [], "days": [
		{"name": "“十一”", "date": "2024-10-01", "isOffDay": true},
		{"name": "国庆节", "date": "2024-10-12", "isOffDay": false}]}}}`))
	f.Add(fixture2027(f))
	// Invalid: impossible date, off and worked, gap, empty year only, syntax.
	f.Add([]byte(`{"years": {"2024": {"year": 2024, "days": [{"name": "元旦", "date": "2024-02-30", "isOffDay": true}]}}}`))
	f.Add([]byte(`{"years": {"2024": {"year": 2024, "days": [{"name": "元旦", "date": "2024-01-01", "isOffDay": true}, {"name": "元旦", "date": "2024-01-01", "isOffDay": false}]}}}`))
	f.Add([]byte(`{"years": {"2024": {"year": 2024, "days": [{"name": "元旦", "date": "2024-01-01", "isOffDay": true}]}, "2026": {"year": 2026, "days": [{"name": "元旦", "date": "2026-01-01", "isOffDay": true}]}}}`))
	f.Add([]byte(`{"years": {"2027": {"year": 2027, "days": []}}}`))
	f.Add([]byte(`{"years": {"2024": `))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := deadline.Load(bytes.NewReader(data))
		if err != nil {
			if c != nil {
				t.Fatalf("Load returned a calendar with error %v", err)
			}
			return
		}
		b, err := c.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON: %v", err)
		}
		c2, err := deadline.Load(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("Load(MarshalJSON(c)): %v\n%s", err, b)
		}
		b2, err := c2.MarshalJSON()
		if err != nil || !bytes.Equal(b, b2) {
			t.Fatalf("round trip differs:\n%s\n%s", b, b2)
		}
		first, last := c.Coverage()
		f2, l2 := c2.Coverage()
		if first != f2 || last != l2 || first.IsZero() {
			t.Fatalf("coverage %s..%s became %s..%s", first, last, f2, l2)
		}
		total := 0
		for x := first; !x.After(last); x = x.AddDays(1) {
			i1, err1 := c.Day(x)
			i2, err2 := c2.Day(x)
			if err1 != nil || err2 != nil || i1 != i2 {
				t.Fatalf("%s: %v %v / %v %v", x, i1, err1, i2, err2)
			}
			if i1.Kind.IsWorking() {
				total++
			}
		}
		if n, err := c.WorkdaysBetween(first, last); err != nil || n != total-b2i(c, first) {
			t.Fatalf("WorkdaysBetween = %d, %v; want %d", n, err, total-b2i(c, first))
		}
	})
}

// b2i is 1 if d is a working day on c.
func b2i(c *deadline.Calendar, d deadline.Date) int {
	if ok, _ := c.IsWorkday(d); ok {
		return 1
	}
	return 0
}
