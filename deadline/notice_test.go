package deadline_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

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

func TestParseNotice_items(t *testing.T) {
	off := func(name string, from deadline.Date, n int) []deadline.NoticeDay {
		out := make([]deadline.NoticeDay, n)
		for i := range out {
			out[i] = deadline.NoticeDay{Date: from.AddDays(i), Name: name, OffDay: true}
		}
		return out
	}
	work := func(name string, ds ...deadline.Date) []deadline.NoticeDay {
		out := make([]deadline.NoticeDay, len(ds))
		for i, x := range ds {
			out[i] = deadline.NoticeDay{Date: x, Name: name}
		}
		return out
	}
	join := func(parts ...[]deadline.NoticeDay) []deadline.NoticeDay {
		var out []deadline.NoticeDay
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	tests := []struct {
		name string
		year int
		text string
		want []deadline.NoticeDay
	}{
		{"2019 Spring Festival with its heading", 2019, "二、春节：2月4日至10日放假调休，共7天。2月2日（星期六）、2月3日（星期日）上班。",
			join(work("春节", d(2019, 2, 2), d(2019, 2, 3)), off("春节", d(2019, 2, 4), 7))},
		{"2019 Spring Festival without its heading", 2019, "2月4日至10日放假调休，共7天。2月2日（星期六）、2月3日（星期日）上班。",
			join(work("", d(2019, 2, 2), d(2019, 2, 3)), off("", d(2019, 2, 4), 7))},
		{"range end without its month (2024 National Day)", 2024, "七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。",
			join(work("国庆节", d(2024, 9, 29)), off("国庆节", d(2024, 10, 1), 7), work("国庆节", d(2024, 10, 12)))},
		{"range across the year (2019 New Year)", 2019, "一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。",
			join(work("元旦", d(2018, 12, 29)), off("元旦", d(2018, 12, 30), 3))},
		{"December date without its year in a New Year item (2008)", 2008, "元旦：2007年12月30日—2008年1月1日放假，共3天。其中，1月1日（星期二）为法定节假日，12月30日（星期日）为公休日，12月29日（星期六）公休日调至12月31日（星期一），12月29日（星期六）上班。",
			join(work("元旦", d(2007, 12, 29)), off("元旦", d(2007, 12, 30), 3))},
		{"放假1天 (2025 New Year)", 2025, "一、元旦：1月1日（周三）放假1天，不调休。", off("元旦", d(2025, 1, 1), 1)},
		{"与周末连休 lists only the named day (2024 Dragon Boat)", 2024, "五、端午节：6月10日放假，与周末连休。", off("端午节", d(2024, 6, 10), 1)},
		{"补休 (2014 Qingming)", 2014, "三、清明节：4月5日放假，4月7日（星期一）补休。",
			[]deadline.NoticeDay{{Date: d(2014, 4, 5), Name: "清明节", OffDay: true}, {Date: d(2014, 4, 7), Name: "清明节", OffDay: true}}},
		{"half-width brackets (2013 New Year)", 2013, "元旦:1月1日至3日放假调休,共3天。1月5日(星期六)、1月6日(星期日)上班。",
			join(off("元旦", d(2013, 1, 1), 3), work("元旦", d(2013, 1, 5), d(2013, 1, 6)))},
		{"full-width digits", 2010, "四、劳动节：５月１日至３日放假公休，共３天。", off("劳动节", d(2010, 5, 1), 3)},
		{"em dash range", 2008, "5月1日—3日放假", off("", d(2008, 5, 1), 3)},
		{"full-width hyphen range", 2008, "5月1日－3日放假", off("", d(2008, 5, 1), 3)},
		{"hyphen range", 2008, "5月1日-3日放假", off("", d(2008, 5, 1), 3)},
		{"news style heading", 2015, "——中秋节：9月27日放假。", off("中秋节", d(2015, 9, 27), 1)},
		{"heading on its own line (2012)", 2012, "一、元旦：\n2012年1月1日至3日放假调休，共3天。2011年12月31日（星期六）上班。",
			join(work("元旦", d(2011, 12, 31)), off("元旦", d(2012, 1, 1), 3))},
		{"heading without colon (2009)", 2009, "三、清明节4月4日至6日放假，共3天。其中，4月4日（星期六、农历清明当日）为法定节假日，4月5日（星期日）照常公休。4月4日（星期六）公休日调至4月6日（星期一）。",
			off("清明节", d(2009, 4, 4), 3)},
		{"2007 wording: days without month, rest days moved, 照常公休", 2007, "二、春节：2月18日—24日（即农历大年初一至初七）放假，共7天。其中18日、19日、20日为法定假日，将17日（星期六)、18日（星期日)、25日（星期日）三个公休日分别调至21日（星期三)、22日（星期四)、23日（星期五)；24日（星期六）照常公休，17日、25日上班。",
			join(work("春节", d(2007, 2, 17)), off("春节", d(2007, 2, 18), 7), work("春节", d(2007, 2, 25)))},
		{"2007 wording across the year", 2007, "一、元旦：1月1日—3日放假，共3天。其中1月1日为法定假日，将2006年12月30日（星期六)、31日（星期日）两个公休日分别调至2007年1月2日、3日，2006年12月30日（星期六)、31日（星期日）上班。",
			join(work("元旦", d(2006, 12, 30), d(2006, 12, 31)), off("元旦", d(2007, 1, 1), 3))},
		{"rest days moved away are worked even without 上班 (2008 National Day)", 2008, "七、国庆节：9月29日—10月5日放假，共7天。其中，10月1日、2日、3日为法定节假日，9月27日（星期六）、9月28日（星期日）两个公休日调至9月29日（星期一）、30日（星期二），10月4日（星期六）、5日（星期日）照常公休。",
			join(work("国庆节", d(2008, 9, 27), d(2008, 9, 28)), off("国庆节", d(2008, 9, 29), 7))},
		{"2020 Spring Festival and its extension", 2020, "二、春节：1月24日至30日放假调休，共7天。1月19日（星期日）、2月1日（星期六）上班。\n一、延长2020年春节假期至2月2日（农历正月初九，星期日），2月3日（星期一）起正常上班。",
			join(work("春节", d(2020, 1, 19)), off("春节", d(2020, 1, 24), 10), work("春节", d(2020, 2, 3)))},
		{"a remark in brackets names no day (2024)", 2024, "二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。",
			join(work("春节", d(2024, 2, 4)), off("春节", d(2024, 2, 10), 8), work("春节", d(2024, 2, 18)))},
		{"a notice's own title names the day (2015)", 2015, "国务院关于中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日调休放假的通知\n9月3日至5日调休放假，共3天。其中9月3日（星期四）放假，9月4日（星期五）调休，9月6日（星期日）上班。",
			join(off("抗日战争暨世界反法西斯战争胜利70周年纪念日", d(2015, 9, 3), 3), work("抗日战争暨世界反法西斯战争胜利70周年纪念日", d(2015, 9, 6)))},
		{"the next notice's title ends the previous title's name", 2016, "国务院关于中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日调休放假的通知\n国务院办公厅关于2016年部分节假日安排的通知\n5月1日放假，5月2日（星期一）补休。",
			off("", d(2016, 5, 1), 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := deadline.ParseNotice(tt.year, tt.text)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestParseNotice_errors(t *testing.T) {
	tests := []struct {
		name     string
		year     int
		text     string
		sentinel error
		fragment string // quoted by the error
	}{
		{"unknown wording", 2019, "2月4日至10日放假调休，共7天。2月2日、3日需要加班。", deadline.ErrNoticeUnreadable, "2月2日、3日需要加班"},
		{"impossible date", 2019, "二、春节：2月30日放假。", deadline.ErrNoticeUnreadable, "2月30日放假"},
		{"day without a month", 2019, "3日放假。", deadline.ErrNoticeUnreadable, "3日放假"},
		{"range ending before it starts", 2019, "5月3日至1日放假。", deadline.ErrNoticeUnreadable, "5月3日至1日放假"},
		{"year far from the notice's", 2027, "一、元旦：2030年1月1日放假。", deadline.ErrNoticeUnreadable, "2030年1月1日放假"},
		{"range too long", 2019, "5月1日至7月1日放假。", deadline.ErrNoticeUnreadable, "5月1日至7月1日放假"},
		{"heading without any date", 2019, "二、春节：放假7天。", deadline.ErrNoticeUnreadable, "放假7天。"},
		{"nothing announced", 2019, "节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。", deadline.ErrNoticeUnreadable, ""},
		{"extension without the holiday it extends", 2020, "一、延长2020年春节假期至2月2日（农历正月初九，星期日），2月3日（星期一）起正常上班。", deadline.ErrNoticeUnreadable, "延长2020年春节假期至2月2日(农历正月初九，星期日)"},
		{"day both off and worked", 2019, "劳动节：5月1日至3日放假。5月2日上班。", deadline.ErrNoticeConflict, "5月2日上班"},
		{"day under two holidays", 2023, "中秋节：9月29日放假。国庆节：9月29日至10月6日放假。", deadline.ErrNoticeConflict, "9月29日至10月6日放假"},
		{"year out of range", 0, "5月1日放假。", deadline.ErrNoticeUnreadable, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := deadline.ParseNotice(tt.year, tt.text)
			require.Nil(t, got)
			require.ErrorIs(t, err, tt.sentinel)
			var ne *deadline.NoticeError
			require.ErrorAs(t, err, &ne)
			if tt.fragment != "" {
				require.Contains(t, ne.Fragment, tt.fragment)
				require.Contains(t, err.Error(), tt.fragment)
			}
		})
	}
}

func TestParseNotice_weekday(t *testing.T) {
	tests := []struct {
		name    string
		year    int
		text    string
		date    deadline.Date
		written string
		actual  time.Weekday
	}{
		{"星期 form (2019-02-02 is a Saturday)", 2019, "二、春节：2月4日至10日放假调休，共7天。2月2日（星期日）、2月3日（星期日）上班。", d(2019, 2, 2), "星期日", time.Saturday},
		{"周 form (2025-01-01 is a Wednesday)", 2025, "一、元旦：1月1日（周二）放假1天，不调休。", d(2025, 1, 1), "周二", time.Wednesday},
		{"in a range (2026-02-23 is a Monday)", 2026, "春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周二）放假调休，共9天。", d(2026, 2, 23), "周二", time.Monday},
		{"half-width bracket in the 2007 wording", 2007, "2月17日（星期六)、18日（星期六)两个公休日调至21日、22日。", d(2007, 2, 18), "星期六", time.Sunday},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := deadline.ParseNotice(tt.year, tt.text)
			require.Nil(t, got)
			require.ErrorIs(t, err, deadline.ErrNoticeWeekday)
			var we *deadline.NoticeWeekdayError
			require.ErrorAs(t, err, &we)
			require.Equal(t, tt.date, we.Date)
			require.Equal(t, tt.written, we.Written)
			require.Equal(t, tt.actual, we.Actual)
			require.Contains(t, err.Error(), tt.date.String())
			require.Contains(t, err.Error(), tt.written)
			require.Contains(t, err.Error(), strings.ToLower(tt.actual.String()))
		})
	}
}

// A 2027 notice in the 2026 notice's format (made-up dates, the same as
// schedule-2027-fixture.json) makes 2027 computable.
func TestCalendar_WithNotice(t *testing.T) {
	official := deadline.Official()
	text := readNotice(t, "../notice-2027-fixture.txt")

	t.Run("2027 loaded", func(t *testing.T) {
		t.Parallel()
		_, err := official.AddWorkdays(d(2027, 2, 4), 1)
		require.ErrorIs(t, err, deadline.ErrNotCovered)

		c, err := official.WithNotice(2027, text)
		require.NoError(t, err)
		_, last := c.Coverage()
		require.Equal(t, d(2027, 12, 31), last)
		got, err := c.AddWorkdays(d(2027, 2, 4), 1) // over the Spring Festival block
		require.NoError(t, err)
		require.Equal(t, d(2027, 2, 15), got)
		kind, err := c.Kind(d(2027, 2, 20))
		require.NoError(t, err)
		require.Equal(t, deadline.MakeupWorkday, kind)

		// The same days as the JSON fixture loaded by WithSchedule.
		fromJSON, err := official.WithSchedule(bytes.NewReader(readFile(t, "testdata/schedule-2027-fixture.json")))
		require.NoError(t, err)
		require.Empty(t, deadline.Diff(fromJSON, c))
		require.Empty(t, deadline.Diff(c, fromJSON))
	})
	t.Run("2026 replaced by its own notice changes nothing", func(t *testing.T) {
		t.Parallel()
		c, err := official.WithNotice(2026, readNotice(t, "2026.txt"))
		require.NoError(t, err)
		require.Empty(t, deadline.Diff(official, c))
	})
	t.Run("unreadable notice", func(t *testing.T) {
		t.Parallel()
		bad := strings.Replace(text, "2月20日（周六）上班", "2月20日（周日）上班", 1)
		c, err := official.WithNotice(2027, bad)
		require.Nil(t, c)
		require.ErrorIs(t, err, deadline.ErrNoticeWeekday)
		require.False(t, official.Covers(d(2027, 1, 1)), "calendar unchanged")
	})
	t.Run("validated like WithSchedule", func(t *testing.T) {
		t.Parallel()
		tests := []struct {
			name string
			year int
			text string
			msg  string
		}{
			{"item without its heading has no holiday name", 2027, "5月1日至5日放假调休，共5天。", "name: empty"},
			{"a gap in the coverage", 2029, "劳动节：5月1日至5日放假调休，共5天。", "contiguous"},
			{"a day of the next year", 2027, "元旦：2027年12月31日至2028年1月2日放假，共3天。", "is not in 2027"},
			{"contradicts the previous year's notice", 2027, "国庆节：2026年10月10日放假。", "both as a day off and as a working day"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c, err := official.WithNotice(tt.year, tt.text)
				require.Nil(t, c)
				require.ErrorIs(t, err, deadline.ErrInvalidSchedule)
				var le *deadline.LoadError
				require.ErrorAs(t, err, &le)
				require.Contains(t, err.Error(), tt.msg)
			})
		}
	})
}

func FuzzParseNotice(f *testing.F) {
	// Valid: every notice of 2007-2026, the 2020 extension, the 2027 fixture.
	for year := 2007; year <= 2026; year++ {
		b, err := os.ReadFile(filepath.Join("testdata", "notices", strconv.Itoa(year)+".txt"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(year, string(b))
	}
	ext, err := os.ReadFile(filepath.Join("testdata", "notices", "2020-extension.txt"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(2020, string(ext))
	fixture, err := os.ReadFile(filepath.Join("testdata", "notice-2027-fixture.txt"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(2027, string(fixture))
	// Single items, valid and broken.
	f.Add(2019, "二、春节：2月4日至10日放假调休，共7天。2月2日（星期六）、2月3日（星期日）上班。") // whole item
	f.Add(2019, "2月4日至10日放假调休")                                 // no heading
	f.Add(2019, "2018年12月30日至2019年1月1日放假调休")                    // across the year
	f.Add(2019, "2月2日（星期日）上班")                                  // wrong weekday
	f.Add(2019, "2月30日放假")                                      // impossible date
	f.Add(2019, "12月31日至1月2日放假")                                // range backwards without years
	f.Add(2019, "31日放假")                                        // day without month
	f.Add(2019, "5月1日至7月1日放假")                                  // range too long
	f.Add(2019, "二、春节：2月4日至")                                   // cut off
	f.Add(2019, "（2月4日")                                        // unclosed bracket
	f.Add(2020, "延长2020年春节假期至2月2日")                             // extension alone
	f.Add(2019, "劳动节：5月1日至3日放假。5月2日上班。")                        // conflict
	f.Add(9999, "12月31日放假")                                     // year out of range
	f.Add(2019, "")                                             // empty
	f.Fuzz(func(t *testing.T, year int, text string) {
		days, err := deadline.ParseNotice(year, text)
		if err != nil {
			if days != nil {
				t.Fatalf("ParseNotice(%d, %q) = %v with error %v", year, text, days, err)
			}
			return
		}
		if len(days) == 0 {
			t.Fatalf("ParseNotice(%d, %q): no days and no error", year, text)
		}
		for i, x := range days {
			if !x.Date.IsValid() || x.Date.Year < year-1 || x.Date.Year > year+1 {
				t.Fatalf("ParseNotice(%d, %q): day %v outside %d..%d", year, text, x.Date, year-1, year+1)
			}
			if i > 0 && !days[i-1].Date.Before(x.Date) {
				t.Fatalf("ParseNotice(%d, %q): %v then %v, not sorted and unique", year, text, days[i-1].Date, x.Date)
			}
		}
		again, err := deadline.ParseNotice(year, text)
		if err != nil || len(again) != len(days) {
			t.Fatalf("ParseNotice(%d, %q) not deterministic: %v", year, text, err)
		}
		for i := range days {
			if again[i] != days[i] {
				t.Fatalf("ParseNotice(%d, %q) not deterministic at %d", year, text, i)
			}
		}
	})
}
