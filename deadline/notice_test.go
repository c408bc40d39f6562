package deadline_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
)

// officialYear returns the days the embedded schedule lists under the
// notice of year, as NoticeDays in date order.
func officialYear(tb testing.TB, year int) []deadline.NoticeDay {
	tb.Helper()
	b, err := deadline.Official().MarshalJSON()
	require.NoError(tb, err)
	var doc struct {
		Years map[string]struct {
			Days []struct {
				Name     string `json:"name"`
				Date     string `json:"date"`
				IsOffDay bool   `json:"isOffDay"`
			} `json:"days"`
		} `json:"years"`
	}
	require.NoError(tb, json.Unmarshal(b, &doc))
	var out []deadline.NoticeDay
	for _, d := range doc.Years[strconv.Itoa(year)].Days {
		out = append(out, deadline.NoticeDay{Date: deadline.MustParseDate(d.Date), Name: d.Name, OffDay: d.IsOffDay})
	}
	return out
}

// readNotice returns the text of testdata/notices/name.
func readNotice(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "notices", name))
	require.NoError(tb, err)
	return string(b)
}

// diffDays lists the dates on which two day lists differ, as text.
func diffDays(want, got []deadline.NoticeDay) []string {
	w := map[deadline.Date]deadline.NoticeDay{}
	for _, d := range want {
		w[d.Date] = d
	}
	g := map[deadline.Date]deadline.NoticeDay{}
	for _, d := range got {
		g[d.Date] = d
	}
	var out []string
	for d, x := range w {
		if y, ok := g[d]; !ok || y != x {
			out = append(out, fmt.Sprintf("%s: schedule %+v, notice %+v", d, x, y))
		}
	}
	for d, y := range g {
		if _, ok := w[d]; !ok {
			out = append(out, fmt.Sprintf("%s: schedule -, notice %+v", d, y))
		}
	}
	return out
}

// Every notice from 2007 to 2026, parsed from its text, names exactly the
// days the embedded schedule lists for that year: same dates, same names,
// same day off or working day.
func TestParseNotice_officialNotices(t *testing.T) {
	for year := 2007; year <= 2026; year++ {
		t.Run(strconv.Itoa(year), func(t *testing.T) {
			t.Parallel()
			text := readNotice(t, strconv.Itoa(year)+".txt")
			if year == 2020 {
				text += "\n" + readNotice(t, "2020-extension.txt")
			}
			got, err := deadline.ParseNotice(year, text)
			require.NoError(t, err)
			want := officialYear(t, year)
			require.NotEmpty(t, want)
			require.Empty(t, diffDays(want, got), "differing days")
			require.Equal(t, want, got)
		})
	}
}
