package deadline_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
)

func readFile(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(name)
	require.NoError(tb, err)
	return b
}

func fixture2027(tb testing.TB) []byte { return readFile(tb, "testdata/schedule-2027-fixture.json") }

// problems returns the problems of a *LoadError.
func problems(tb testing.TB, err error) []deadline.Problem {
	tb.Helper()
	require.ErrorIs(tb, err, deadline.ErrInvalidSchedule)
	var le *deadline.LoadError
	require.ErrorAs(tb, err, &le)
	return le.Problems
}

// allKinds lists the kind of every covered day, to compare calendars.
func allKinds(tb testing.TB, c *deadline.Calendar) map[deadline.Date]deadline.DayInfo {
	tb.Helper()
	out := map[deadline.Date]deadline.DayInfo{}
	first, last := c.Coverage()
	for x := first; !x.After(last); x = x.AddDays(1) {
		info, err := c.Day(x)
		require.NoError(tb, err)
		out[x] = info
	}
	return out
}

func TestLoad_embedded(t *testing.T) {
	t.Parallel()
	c, err := deadline.Load(bytes.NewReader(readFile(t, "data/holiday-cn.json")))
	require.NoError(t, err)
	first, last := c.Coverage()
	require.Equal(t, d(2007, 1, 1), first)
	require.Equal(t, d(2026, 12, 31), last)
	require.Equal(t, allKinds(t, deadline.Official()), allKinds(t, c))
}

func TestLoad_errors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		input string
		want  []string // substrings, one per problem, in order
	}{
		{"malformed JSON", `{"years": {"2024": {`, []string{"malformed JSON"}},
		{"not an object", `[]`, []string{"malformed JSON"}},
		{"trailing data", `{"years": {}} {}`, []string{"after the top-level object"}},
		{"unknown field", `{"years": {}, "yeers": {}}`, []string{"unknown field"}},
		{"missing years", `{}`, []string{"years: missing"}},
		{"no year has entries", `{"years": {"2027": {"year": 2027, "papers": [], "days": []}}}`, []string{"no year has entries"}},
		{
			"every entry problem at once",
			`{"years": {"2024": {"year": 2024, "days": [
				{"name": "春节", "date": "2024-02-30", "isOffDay": true},
				{"name": "春节", "date": "2024-02-12"},
				{"date": "2024-02-13", "isOffDay": true},
				{"name": "春节", "date": "2025-02-13", "isOffDay": true},
				{"name": "“”", "date": "2024-02-14", "isOffDay": true}
			]}}}`,
			[]string{
				`years["2024"].days[0].date: deadline: invalid date "2024-02-30"`,
				`years["2024"].days[1].isOffDay: missing`,
				`years["2024"].days[2].name: missing`,
				`years["2024"].days[3].date: 2025-02-13 is not in 2024 or the end of 2023`,
				`years["2024"].days[4].name: empty`,
			},
		},
		{
			"a day listed both off and worked, and conflicting names",
			`{"years": {"2024": {"year": 2024, "days": [
				{"name": "国庆节", "date": "2024-10-01", "isOffDay": true},
				{"name": "国庆节", "date": "2024-10-01", "isOffDay": false},
				{"name": "国庆节", "date": "2024-10-02", "isOffDay": true},
				{"name": "中秋节", "date": "2024-10-02", "isOffDay": true},
				{"name": "“十一”", "date": "2024-10-03", "isOffDay": true},
				{"name": "国庆节", "date": "2024-10-03", "isOffDay": true}
			]}}}`,
			[]string{
				`years["2024"].days[1]: 2024-10-01 listed both as a day off and as a working day (see years["2024"].days[0])`,
				`years["2024"].days[3]: 2024-10-02 listed as 国庆节 and as 中秋节`,
			},
		},
		{
			"year key and field",
			`{"years": {"24": {"year": 24, "days": []}, "2025": {"days": []}, "2026": {"year": 2025, "days": []}}}`,
			[]string{`years["24"]: key is not a year`, `years["2025"].year: missing`, `years["2026"].year: 2025 does not match the key 2026`},
		},
		{"year listed twice", `{"years": {"2024": {"year": 2024, "days": []}, "2024": {"year": 2024, "days": []}}}`, []string{`years["2024"]: year listed twice`}},
		{"wrong type", `{"years": {"2024": {"year": "2024", "days": []}}}`, []string{`years["2024"]: json: cannot unmarshal string`}},
		{
			"gap in coverage",
			`{"years": {
				"2024": {"year": 2024, "days": [{"name": "元旦", "date": "2024-01-01", "isOffDay": true}]},
				"2026": {"year": 2026, "days": [{"name": "元旦", "date": "2026-01-01", "isOffDay": true}]}}}`,
			[]string{`years["2026"]: coverage must be a contiguous range of years: 2026 has entries but 2025..2025 have none`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := deadline.Load(strings.NewReader(tt.input))
			require.Nil(t, c)
			probs := problems(t, err)
			require.Len(t, probs, len(tt.want), "%v", probs)
			for i, w := range tt.want {
				require.Contains(t, probs[i].String(), w)
			}
		})
	}
	t.Run("impossible date is also ErrInvalidDate", func(t *testing.T) {
		t.Parallel()
		_, err := deadline.Load(strings.NewReader(`{"years": {"2024": {"year": 2024, "days": [{"name": "元旦", "date": "2024-13-01", "isOffDay": true}]}}}`))
		require.ErrorIs(t, err, deadline.ErrInvalidDate)
	})
}

func TestCalendar_WithSchedule(t *testing.T) {
	t.Parallel()
	official := deadline.Official()
	before := allKinds(t, official)

	t.Run("a new year extends the coverage", func(t *testing.T) {
		t.Parallel()
		c, err := official.WithSchedule(bytes.NewReader(fixture2027(t)))
		require.NoError(t, err)
		_, last := c.Coverage()
		require.Equal(t, d(2027, 12, 31), last)
		info, err := c.Day(d(2027, 5, 3))
		require.NoError(t, err)
		require.Equal(t, deadline.Holiday, info.Kind)
		require.Equal(t, "劳动节", info.Name)
		kind, err := c.Kind(d(2027, 5, 8))
		require.NoError(t, err)
		require.Equal(t, deadline.MakeupWorkday, kind)
		// Older years are unchanged.
		got := allKinds(t, c)
		for k, v := range before {
			require.Equal(t, v, got[k])
		}
	})
	t.Run("a year listed with no entries stays uncovered", func(t *testing.T) {
		t.Parallel()
		c, err := official.WithSchedule(strings.NewReader(`{"years": {"2027": {"year": 2027, "papers": [], "days": []}}}`))
		require.NoError(t, err)
		_, err = c.Kind(d(2027, 1, 1))
		require.ErrorIs(t, err, deadline.ErrNotCovered)
	})
	t.Run("an empty listing of a covered year removes nothing", func(t *testing.T) {
		t.Parallel()
		c, err := official.WithSchedule(strings.NewReader(`{"years": {"2024": {"year": 2024, "papers": [], "days": []}}}`))
		require.NoError(t, err)
		require.Equal(t, before, allKinds(t, c))
	})
	t.Run("a year that is not contiguous is an error", func(t *testing.T) {
		t.Parallel()
		c, err := official.WithSchedule(strings.NewReader(`{"years": {"2029": {"year": 2029, "days": [{"name": "元旦", "date": "2029-01-01", "isOffDay": true}]}}}`))
		require.Nil(t, c)
		probs := problems(t, err)
		require.Len(t, probs, 1)
		require.Contains(t, probs[0].Msg, "contiguous")
		require.Contains(t, probs[0].Msg, "2027..2028")
	})
	t.Run("a correction replaces that year", func(t *testing.T) {
		t.Parallel()
		// A corrected 2026 that drops everything but 元旦.
		c, err := official.WithSchedule(strings.NewReader(`{"years": {"2026": {"year": 2026, "days": [
			{"name": "元旦", "date": "2026-01-01", "isOffDay": true}]}}}`))
		require.NoError(t, err)
		kind, err := c.Kind(d(2026, 10, 1))
		require.NoError(t, err)
		require.Equal(t, deadline.Workday, kind)
		kind, err = official.Kind(d(2026, 10, 1))
		require.NoError(t, err)
		require.Equal(t, deadline.Holiday, kind, "the official calendar is unchanged")
	})
	t.Run("conflict with another year leaves the calendar unchanged", func(t *testing.T) {
		t.Parallel()
		// The 2027 notice may list the end of 2026, but must not contradict
		// the 2026 notice, and one bad entry rejects the whole input.
		c, err := official.WithSchedule(strings.NewReader(`{"years": {"2027": {"year": 2027, "days": [
			{"name": "元旦", "date": "2027-01-01", "isOffDay": true},
			{"name": "国庆节", "date": "2026-10-01", "isOffDay": false},
			{"name": "元旦", "date": "2027-01-32", "isOffDay": true}]}}}`))
		require.Nil(t, c)
		probs := problems(t, err)
		require.Len(t, probs, 2)
		require.Contains(t, probs[0].String(), "2027-01-32")
		require.Contains(t, probs[1].String(), "2026-10-01 listed both as a day off and as a working day")

		c, err = official.WithSchedule(strings.NewReader(`{"years": {"2027": {"year": 2027, "days": [
			{"name": "元旦", "date": "2027-01-01", "isOffDay": true},
			{"name": "国庆节", "date": "2026-10-01", "isOffDay": false}]}}}`))
		require.Nil(t, c)
		probs = problems(t, err)
		require.Len(t, probs, 1)
		require.Contains(t, probs[0].String(), "2026-10-01 listed both as a day off and as a working day")
		require.Contains(t, probs[0].String(), `calendar years["2026"]`)
		require.Equal(t, before, allKinds(t, official))
	})
	t.Run("closures survive a new schedule", func(t *testing.T) {
		t.Parallel()
		c, err := official.WithClosures(deadline.Closure{Date: d(2026, 7, 1), Reason: "台风停止办公"})
		require.NoError(t, err)
		c, err = c.WithSchedule(bytes.NewReader(fixture2027(t)))
		require.NoError(t, err)
		info, err := c.Day(d(2026, 7, 1))
		require.NoError(t, err)
		require.True(t, info.Closure)
		require.Equal(t, []deadline.Closure{{Date: d(2026, 7, 1), Reason: "台风停止办公"}}, c.Closures())
	})
}

func TestCalendar_WithClosures(t *testing.T) {
	t.Parallel()
	official := deadline.Official()
	t.Run("closure is a holiday with its reason", func(t *testing.T) {
		t.Parallel()
		c, err := official.WithClosures(
			deadline.Closure{Date: d(2024, 9, 6), Reason: "台风停止办公"},
			deadline.Closure{Date: d(2024, 10, 12)}, // a make-up Saturday
			deadline.Closure{Date: d(2024, 9, 6), Reason: "台风停止办公"},
		)
		require.NoError(t, err)
		info, err := c.Day(d(2024, 9, 6))
		require.NoError(t, err)
		require.Equal(t, deadline.DayInfo{Date: d(2024, 9, 6), Kind: deadline.Holiday, Name: "台风停止办公", Closure: true}, info)
		info, err = c.Day(d(2024, 10, 12))
		require.NoError(t, err)
		require.Equal(t, deadline.Holiday, info.Kind)
		require.Equal(t, deadline.DefaultClosureReason, info.Name)
		n, err := c.WorkdaysBetween(d(2024, 9, 1), d(2024, 9, 30))
		require.NoError(t, err)
		m, err := official.WorkdaysBetween(d(2024, 9, 1), d(2024, 9, 30))
		require.NoError(t, err)
		require.Equal(t, m-1, n)
	})
	t.Run("every problem at once, calendar unchanged", func(t *testing.T) {
		t.Parallel()
		base, err := official.WithClosures(deadline.Closure{Date: d(2024, 9, 6), Reason: "台风停止办公"})
		require.NoError(t, err)
		c, err := base.WithClosures(
			deadline.Closure{Date: d(2027, 7, 1), Reason: "台风"},
			deadline.Closure{Date: d(2024, 2, 30), Reason: "台风"},
			deadline.Closure{Date: d(2024, 9, 6), Reason: "停电"},
			deadline.Closure{Date: d(2024, 9, 9), Reason: "台风"},
		)
		require.Nil(t, c)
		probs := problems(t, err)
		require.Len(t, probs, 3)
		require.ErrorIs(t, err, deadline.ErrNotCovered)
		require.ErrorIs(t, err, deadline.ErrInvalidDate)
		require.Equal(t, "closures[0]", probs[0].Path)
		require.Equal(t, "closures[1]", probs[1].Path)
		require.Equal(t, "closures[2]", probs[2].Path)
		kind, err := base.Kind(d(2024, 9, 9))
		require.NoError(t, err)
		require.Equal(t, deadline.Workday, kind)
	})
}

func TestCalendar_MarshalJSON(t *testing.T) {
	t.Parallel()
	official := deadline.Official()
	b, err := json.Marshal(official)
	require.NoError(t, err)
	require.NotContains(t, string(b), "“十一”", "names are normalised")
	require.Contains(t, string(b), `"2027"`, "the empty 2027 listing is kept")
	c, err := deadline.Load(bytes.NewReader(b))
	require.NoError(t, err)
	require.Equal(t, allKinds(t, official), allKinds(t, c))
	b2, err := c.MarshalJSON()
	require.NoError(t, err)
	require.JSONEq(t, string(b), string(b2))
}

func TestDiff(t *testing.T) {
	t.Parallel()
	official := deadline.Official()
	with2027, err := official.WithSchedule(bytes.NewReader(fixture2027(t)))
	require.NoError(t, err)
	closed, err := with2027.WithClosures(deadline.Closure{Date: d(2024, 9, 6), Reason: "台风停止办公"})
	require.NoError(t, err)

	require.Empty(t, deadline.Diff(official, official))
	changes := deadline.Diff(official, closed)
	require.Len(t, changes, 365+1)
	require.Equal(t, deadline.DayChange{
		Date:   d(2024, 9, 6),
		Before: deadline.DayInfo{Date: d(2024, 9, 6), Kind: deadline.Workday},
		After:  deadline.DayInfo{Date: d(2024, 9, 6), Kind: deadline.Holiday, Name: "台风停止办公", Closure: true},
	}, changes[0])
	require.Equal(t, d(2027, 1, 1), changes[1].Date)
	require.Zero(t, changes[1].Before.Kind, "2027 was not covered")
	require.Equal(t, deadline.Holiday, changes[1].After.Kind)
}
