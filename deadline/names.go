package deadline

import (
	"sort"
	"strings"
)

// holidayOrder is the order of the statutory holidays in a year, used to
// write combined names ("中秋节、国庆节") the same way every time.
var holidayOrder = map[string]int{"元旦": 1, "春节": 2, "清明节": 3, "劳动节": 4, "端午节": 5, "中秋节": 6, "国庆节": 7}

// holidayAliases maps the names found in schedules (after quotes are
// stripped) to the names of 全国年节及纪念日放假办法.
var holidayAliases = map[string]string{
	"元旦":      "元旦",
	"新年":      "元旦",
	"春节":      "春节",
	"除夕":      "春节",
	"清明":      "清明节",
	"清明节":     "清明节",
	"五一":      "劳动节",
	"劳动节":     "劳动节",
	"国际劳动节":   "劳动节",
	"五一劳动节":   "劳动节",
	"五一国际劳动节": "劳动节",
	"端午":      "端午节",
	"端午节":     "端午节",
	"中秋":      "中秋节",
	"中秋节":     "中秋节",
	"十一":      "国庆节",
	"国庆":      "国庆节",
	"国庆节":     "国庆节",

	"中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日": "抗日战争暨世界反法西斯战争胜利70周年纪念日", // title of the 2015 notice
}

// normaliseName returns the canonical name of a holiday as listed in a
// schedule: quotes are dropped, popular names become statutory ones
// (“十一” → 国庆节, “五一”国际劳动节 → 劳动节) and a combined name lists its
// holidays in calendar order ("国庆节、中秋节" → "中秋节、国庆节"). Names it
// does not know, such as the 2015 anniversary of the victory in the war
// against Japan, are kept as written.
func normaliseName(s string) string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == '、' || r == ',' || r == '，' || r == '/' || r == '&'
	})
	seen := make(map[string]bool, len(parts))
	out := parts[:0]
	for _, p := range parts {
		p = strings.Map(func(r rune) rune {
			switch r {
			case '“', '”', '"', '「', '」', '『', '』', '‘', '’', '\'', ' ', '\t', '\u3000':
				return -1
			}
			return r
		}, p)
		if a, ok := holidayAliases[p]; ok {
			p = a
		}
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, p)
	}
	rank := func(s string) int {
		if r, ok := holidayOrder[s]; ok {
			return r
		}
		return len(holidayOrder) + 1 // unknown names keep their order, after the known ones
	}
	sort.SliceStable(out, func(i, j int) bool { return rank(out[i]) < rank(out[j]) })
	return strings.Join(out, "、")
}
