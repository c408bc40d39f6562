package deadline

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrNoticeUnreadable is returned (wrapped in a *NoticeError) when the text of
// a holiday notice cannot be read: a sentence that names dates in a form the
// parser does not know, an impossible date, or no day at all.
var ErrNoticeUnreadable = errors.New("deadline: notice text not understood")

// ErrNoticeWeekday is returned (wrapped in a *NoticeWeekdayError) when a
// notice gives a weekday in brackets that is not the weekday of the date.
var ErrNoticeWeekday = errors.New("deadline: notice weekday contradicts its date")

// ErrNoticeConflict is returned (wrapped in a *NoticeError) when a notice
// lists one date both as a day off and as a working day, or under two names.
var ErrNoticeConflict = errors.New("deadline: notice lists a date inconsistently")

// NoticeError is a fragment of a notice that could not be read, with the
// reason in English. Fragment is the text as written (after full-width
// digits and brackets are made half-width and spaces removed).
type NoticeError struct {
	Fragment string
	Reason   string
	Err      error // ErrNoticeUnreadable or ErrNoticeConflict
}

// Error quotes the fragment and gives the reason.
func (e *NoticeError) Error() string {
	if e.Fragment == "" {
		return "deadline: notice: " + e.Reason
	}
	return fmt.Sprintf("deadline: notice: %s in %q", e.Reason, e.Fragment)
}

// Unwrap returns the sentinel of the condition.
func (e *NoticeError) Unwrap() error { return e.Err }

// NoticeWeekdayError names a date of a notice and the weekday written beside
// it, which is not the date's weekday.
type NoticeWeekdayError struct {
	Fragment string       // the sentence holding the date
	Date     Date         // the date as resolved
	Written  string       // the weekday as written, e.g. "星期六"
	Actual   time.Weekday // the real weekday of Date
}

// Error names the date, the written weekday and the real one.
func (e *NoticeWeekdayError) Error() string {
	return fmt.Sprintf("deadline: notice gives %s as %s but it is a %s, in %q",
		e.Date, e.Written, strings.ToLower(e.Actual.String()), e.Fragment)
}

// Unwrap returns ErrNoticeWeekday.
func (e *NoticeWeekdayError) Unwrap() error { return ErrNoticeWeekday }

// NoticeDay is one day named by a State Council holiday notice: a day off
// (放假, 调休, 补休) or a working day (上班), with the holiday it belongs to.
type NoticeDay struct {
	Date   Date
	Name   string // the holiday, normalised as in schedules ("中秋节、国庆节"); empty for an item read without its heading
	OffDay bool   // true for a day off, false for a working day
}

// maxNoticeBytes bounds the text ParseNotice reads; a notice is about 2 KB.
const maxNoticeBytes = 1 << 20

// maxNoticeRange bounds a single range of days; the longest block ever
// announced (the extended 2020 Spring Festival) is 10 days.
const maxNoticeRange = 31

// ParseNotice reads the text of a State Council holiday notice
// (国务院办公厅关于20XX年部分节假日安排的通知) as published, and returns every
// day off and every working day it names, in date order. year is the year
// of the notice: dates written without a year belong to it, except that in an
// item naming a date with its year (2018年12月30日至2019年1月1日), a date
// without one is placed in the year closest to it.
//
// The text may be the whole notice, several notices one after the other (a
// notice and its amendment), or any part down to a single item with or
// without its heading ("二、春节：…" or just the sentence after the colon).
// Every wording used since 2007 is read: ranges with 至 or a dash, ranges
// whose end omits the month (10月1日至7日), 放假1天, 与周末连休, 补休, 调休,
// full- and half-width brackets, the 2007–2009 wording that moves rest days
// (将…两个公休日调至…, 照常公休, 为法定节假日), and amendments extending a
// holiday (延长2020年春节假期至2月2日…，2月3日（星期一）起正常上班), which
// make every day from the end of that holiday's days off to the new end a day
// off.
//
// Every day inside a 放假 range is a day off, weekends included; days a
// notice does not name (the weekend after 与周末连休) are not listed. A rest
// day moved away (12月29日（星期六）公休日调至12月31日) is a working day
// unless it lies inside the days off. A date in a bracketed remark
// (除夕（2月9日）) names no day. This is the form of the embedded schedules,
// so a whole notice gives the same days as [Official] lists for that year.
//
// Each day carries the holiday of its item's heading; a passage without a
// heading takes the holiday its notice's title names
// (国务院办公厅关于调整2019年劳动节假期安排的通知), or an amendment's
// (延长2020年春节假期…), and otherwise has an empty Name.
//
// Text that cannot be read is an error and no day is returned: a sentence
// with dates in an unknown form, an impossible date (a *NoticeError wrapping
// [ErrNoticeUnreadable], quoting the fragment), a weekday in brackets that
// contradicts its date (a *NoticeWeekdayError wrapping [ErrNoticeWeekday]),
// or a date listed both as a day off and a working day (wrapping
// [ErrNoticeConflict]). Sentences without dates (the preamble, the closing
// paragraph) and dated lines that announce nothing (the signature) are
// skipped.
func ParseNotice(year int, text string) ([]NoticeDay, error) {
	if year < 1001 || year > 9998 {
		return nil, &NoticeError{Reason: fmt.Sprintf("year %d out of range 1001..9998", year), Err: ErrNoticeUnreadable}
	}
	if len(text) > maxNoticeBytes {
		return nil, &NoticeError{Reason: fmt.Sprintf("text longer than %d bytes", maxNoticeBytes), Err: ErrNoticeUnreadable}
	}
	if !utf8.ValidString(text) {
		return nil, &NoticeError{Reason: "text is not valid UTF-8", Err: ErrNoticeUnreadable}
	}
	p := noticeParser{year: year, days: map[Date]noticeEntry{}}
	for _, ch := range splitNotice(normaliseNotice(text)) {
		if err := p.chunk(ch); err != nil {
			return nil, err
		}
	}
	for _, m := range p.moved {
		if _, ok := p.days[m.date]; !ok {
			p.days[m.date] = noticeEntry{name: m.name, off: false, frag: m.frag}
		}
	}
	if err := p.applyExtensions(); err != nil {
		return nil, err
	}
	if len(p.days) == 0 {
		return nil, &NoticeError{Fragment: clip(strings.TrimSpace(text)), Reason: "no day off or working day found", Err: ErrNoticeUnreadable}
	}
	out := make([]NoticeDay, 0, len(p.days))
	for d, e := range p.days {
		out = append(out, NoticeDay{Date: d, Name: e.name, OffDay: e.off})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out, nil
}

// clip shortens a fragment quoted in an error.
func clip(s string) string {
	const max = 120
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}

// normaliseNotice makes digits, brackets and punctuation half-width where
// notices mix both forms, and drops spaces. Line breaks are kept.
func normaliseNotice(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r == '（' || r == '〔' || r == '［' || r == '[':
			r = '('
		case r == '）' || r == '〕' || r == '］' || r == ']':
			r = ')'
		case r == '：':
			r = ':'
		case r == ',':
			r = '，'
		case r == ';':
			r = '；'
		case r == '\r':
			r = '\n'
		case r == ' ' || r == '\t' || r == '\u3000' || r == '\u00a0' || r == '\ufeff':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// noticeChunk is the text of one item (after its heading) or of a dated
// passage outside any item, with the holiday name it belongs to.
type noticeChunk struct {
	name string
	text string
	more []string // continuation lines, joined to text once the chunk is complete
}

var (
	// A heading is a holiday name (or a numbered item's title) ending in a
	// colon, or followed directly by a date in the 2009 wording
	// (三、清明节4月4日至6日放假).
	holidayNameRe   = `(?:["“]?(?:五一|十一)["”]?(?:国际劳动节|劳动节)?|元旦|新年|春节|清明节|清明|国际劳动节|劳动节|端午节|端午|中秋节|中秋|国庆节|国庆)`
	headingRe       = regexp.MustCompile(`^(?:[一二三四五六七八九十]+、|\d{1,2}、|——|—)?(` + holidayNameRe + `(?:、|和|及)?)+(:|\d)`)
	numberedTitleRe = regexp.MustCompile(`^(?:[一二三四五六七八九十]+、|\d{1,2}、)([^:，。；、\n()]{1,40}):`)
	titleRe         = regexp.MustCompile(`^国务院(?:办公厅)?关于.{2,80}的通知$`)
	titleNameRe     = regexp.MustCompile(`关于(?:调整|延长)?(?:\d{4}年)?(.{2,60}?)(?:调休放假|放假|假期安排|假期)的通知`)
	keywordRe       = regexp.MustCompile(`放假|上班|补休|调休|公休|休息|假期`)
	itemNumberRe    = regexp.MustCompile(`^(?:[一二三四五六七八九十]+、|\d{1,2}、|——|—)`)
)

// splitNotice cuts normalised text into chunks: each item with its heading's
// name, and each dated passage outside an item that announces something.
// A passage directly after an item (no undated line between) continues it,
// as when an item's working days are printed on a line of their own.
func splitNotice(s string) []noticeChunk {
	var chunks []noticeChunk
	defaultName := ""
	cont := false // the previous line was an item, so a dated line continues it
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if titleRe.MatchString(line) {
			// A notice's title: a passage without a heading belongs to the
			// holiday the title names (关于调整2019年劳动节假期安排的通知).
			defaultName = ""
			if m := titleNameRe.FindStringSubmatch(line); m != nil {
				defaultName = normaliseName(m[1])
			}
			cont = false
			continue
		}
		for i, seg := range splitHeadings(line) {
			if seg.heading {
				chunks = append(chunks, noticeChunk{name: seg.name, text: seg.text})
				cont = true
				continue
			}
			hasDate := dateStartRe.MatchString(seg.text) || anyDateRe.MatchString(seg.text)
			if !hasDate || !keywordRe.MatchString(seg.text) {
				if i == 0 && strings.TrimRight(itemNumberRe.ReplaceAllString(seg.text, ""), "。") != "" {
					cont = false
				}
				continue
			}
			if cont && i == 0 && len(chunks) > 0 {
				last := &chunks[len(chunks)-1]
				last.more = append(last.more, seg.text)
				continue
			}
			chunks = append(chunks, noticeChunk{name: defaultName, text: seg.text})
			cont = true
		}
	}
	for i := range chunks {
		if len(chunks[i].more) > 0 {
			chunks[i].text = strings.Join(append([]string{chunks[i].text}, chunks[i].more...), "。")
			chunks[i].more = nil
		}
	}
	return chunks
}

type headingSeg struct {
	heading bool
	name    string
	text    string
}

// splitHeadings cuts a line at each item heading (at the start of the line
// or after a full stop).
func splitHeadings(line string) []headingSeg {
	var segs []headingSeg
	start, cur := 0, headingSeg{}
	flush := func(end int) {
		cur.text = line[start:end]
		if cur.heading || cur.text != "" {
			segs = append(segs, cur)
		}
	}
	for i := 0; i < len(line); {
		if i == 0 || strings.HasSuffix(line[:i], "。") {
			if name, n, ok := matchHeading(line[i:]); ok {
				flush(i)
				cur = headingSeg{heading: true, name: name}
				i += n
				start = i
				continue
			}
		}
		_, size := utf8.DecodeRuneInString(line[i:])
		i += size
	}
	flush(len(line))
	return segs
}

// matchHeading reports whether s starts with an item heading, and returns
// the holiday name and the heading's length (the colon included, a date
// following directly excluded).
func matchHeading(s string) (string, int, bool) {
	if m := headingRe.FindStringSubmatchIndex(s); m != nil {
		end := m[1]
		if s[m[2*2]:m[2*2+1]] != ":" {
			end = m[2*2] // a digit: the date starts the body
		}
		name := itemNumberRe.ReplaceAllString(s[:end], "")
		return normaliseName(strings.TrimSuffix(name, ":")), end, true
	}
	if m := numberedTitleRe.FindStringSubmatch(s); m != nil && !anyDateRe.MatchString(m[1]) {
		return normaliseName(m[1]), len(m[0]), true
	}
	return "", 0, false
}

// noticeEntry is a day as read so far.
type noticeEntry struct {
	name string
	off  bool
	frag string
}

type noticeExtension struct {
	name string
	to   Date
	frag string
}

type noticeMove struct {
	date Date
	name string
	frag string
}

type noticeParser struct {
	year  int
	days  map[Date]noticeEntry
	ext   []noticeExtension
	moved []noticeMove // rest days moved away by 调至
}

var (
	dateStartRe = regexp.MustCompile(`^(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日`)
	anyDateRe   = regexp.MustCompile(`\d{1,2}月\d{1,2}日|\d{1,2}日`)
	fullDateRe  = regexp.MustCompile(`(\d{4})年(\d{1,2})月(\d{1,2})日`)
	weekdayRe   = regexp.MustCompile(`(星期|周|礼拜)([一二三四五六日天])`)
	countRe     = `(?:共?\d+天|共?[一二三四五六七八九十]+天)?`

	offClauseRe   = regexp.MustCompile(`^(?:全国)?@(?:全国)?(?:放假|调休|补休|休息|公休)+` + countRe + `$`)
	workClauseRe  = regexp.MustCompile(`^@起?(?:照常|正常)?上班$`)
	infoClauseRe  = regexp.MustCompile(`^(?:@为.{0,12}?(?:法定节假日|法定假日|节假日|公休日|调休)|@(?:照常)?公休|[^@]{0,10}自@起(?:放假调休|放假)?(?:\d+天)?)$`)
	movedClauseRe = regexp.MustCompile(`^将?@.{0,16}?调至@$`)
	extClauseRe   = regexp.MustCompile(`^延长(?:\d{4}年)?(.{1,30}?)假期至@$`)
	weekdayByName = map[string]time.Weekday{"日": time.Sunday, "天": time.Sunday, "一": time.Monday, "二": time.Tuesday, "三": time.Wednesday, "四": time.Thursday, "五": time.Friday, "六": time.Saturday}
)

// dateGroup is a run of dates joined by 、 or a range mark: the days it
// names, in order.
type dateGroup struct{ days []Date }

// chunkState resolves dates written without a year or month inside a chunk.
type chunkState struct {
	p        *noticeParser
	anchor   Date // the first date written with its year, if any
	last     Date // the previous date read, for 31日 and 17日、25日
	fragment string
}

func (p *noticeParser) chunk(ch noticeChunk) error {
	st := chunkState{p: p}
	if m := fullDateRe.FindStringSubmatch(ch.text); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		st.anchor = Date{Year: y, Month: time.Month(mo), Day: d}
	}
	name := ch.name
	read := 0
	for _, cl := range splitClauses(ch.text) {
		st.fragment = cl
		residual, groups, err := st.tokenise(cl)
		if err != nil {
			return err
		}
		if len(groups) == 0 {
			continue
		}
		r := strings.TrimPrefix(itemNumberRe.ReplaceAllString(residual, ""), "其中")
		switch {
		case offClauseRe.MatchString(r):
			if err := p.add(groups[0], name, true, cl); err != nil {
				return err
			}
		case workClauseRe.MatchString(r):
			if err := p.add(groups[0], name, false, cl); err != nil {
				return err
			}
		case infoClauseRe.MatchString(r):
			// Which days are statutory or rest days: the days off are
			// named by the 放假 clauses.
		case movedClauseRe.MatchString(r):
			// Rest days moved away (将…公休日调至…) are worked, unless they
			// fall inside the days off; the notices also say so with 上班,
			// but not every published copy of the 2008 notice does.
			for _, d := range groups[0].days {
				p.moved = append(p.moved, noticeMove{date: d, name: name, frag: cl})
			}
		default:
			m := extClauseRe.FindStringSubmatch(r)
			if m == nil || len(groups[0].days) != 1 {
				return &NoticeError{Fragment: cl, Reason: "dates in a sentence of unknown form", Err: ErrNoticeUnreadable}
			}
			n := normaliseName(m[1])
			if name == "" {
				name = n
			}
			p.ext = append(p.ext, noticeExtension{name: n, to: groups[0].days[0], frag: cl})
		}
		read++
	}
	if read == 0 {
		return &NoticeError{Fragment: clip(ch.text), Reason: "item names no date", Err: ErrNoticeUnreadable}
	}
	return nil
}

// splitClauses cuts a chunk at full stops, semicolons, commas and colons
// outside brackets.
func splitClauses(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case '。', '；', '，', ':', '！':
			if depth == 0 {
				if c := strings.TrimSpace(s[start:i]); c != "" {
					out = append(out, c)
				}
				start = i + utf8.RuneLen(r)
			}
		}
	}
	if c := strings.TrimSpace(s[start:]); c != "" {
		out = append(out, c)
	}
	return out
}

// tokenise replaces each group of dates in a clause by "@" and returns the
// groups.
func (st *chunkState) tokenise(cl string) (string, []dateGroup, error) {
	var res strings.Builder
	var groups []dateGroup
	for i := 0; i < len(cl); {
		prevDigit := i > 0 && cl[i-1] >= '0' && cl[i-1] <= '9'
		if !prevDigit && dateStartRe.MatchString(cl[i:]) {
			g, n, err := st.group(cl[i:])
			if err != nil {
				return "", nil, err
			}
			groups = append(groups, g)
			res.WriteString("@")
			i += n
			continue
		}
		if cl[i] == '(' {
			// A bracket not attached to a date is a remark (除夕（2月9日）):
			// dates inside it announce nothing.
			if end := strings.IndexByte(cl[i:], ')'); end >= 0 {
				res.WriteString("()")
				i += end + 1
				continue
			}
		}
		_, size := utf8.DecodeRuneInString(cl[i:])
		res.WriteString(cl[i : i+size])
		i += size
	}
	return res.String(), groups, nil
}

var (
	listSeps  = []string{"、", "和", "及"}
	rangeSeps = []string{"至", "——", "—", "－", "–", "-", "~", "～", "―"}
)

// group reads a run of dates at the start of s.
func (st *chunkState) group(s string) (dateGroup, int, error) {
	var g dateGroup
	pos := 0
	for {
		d, n, err := st.date(s[pos:])
		if err != nil {
			return dateGroup{}, 0, err
		}
		pos += n
		g.days = append(g.days, d)
		rest := s[pos:]
		if sep, ok := hasSep(rest, rangeSeps); ok && dateStartRe.MatchString(rest[len(sep):]) {
			end, n, err := st.date(rest[len(sep):])
			if err != nil {
				return dateGroup{}, 0, err
			}
			pos += len(sep) + n
			if end.Before(d) {
				return dateGroup{}, 0, &NoticeError{Fragment: st.fragment, Reason: fmt.Sprintf("range %s..%s ends before it starts", d, end), Err: ErrNoticeUnreadable}
			}
			if end.Sub(d) >= maxNoticeRange {
				return dateGroup{}, 0, &NoticeError{Fragment: st.fragment, Reason: fmt.Sprintf("range %s..%s longer than %d days", d, end, maxNoticeRange), Err: ErrNoticeUnreadable}
			}
			for x := d.AddDays(1); !x.After(end); x = x.AddDays(1) {
				g.days = append(g.days, x)
			}
			rest = s[pos:]
		}
		if sep, ok := hasSep(rest, listSeps); ok && dateStartRe.MatchString(rest[len(sep):]) {
			pos += len(sep)
			continue
		}
		return g, pos, nil
	}
}

func hasSep(s string, seps []string) (string, bool) {
	for _, sep := range seps {
		if strings.HasPrefix(s, sep) {
			return sep, true
		}
	}
	return "", false
}

// date reads one date at the start of s, with the bracket after it if any,
// resolving a missing year or month and checking a bracketed weekday.
func (st *chunkState) date(s string) (Date, int, error) {
	m := dateStartRe.FindStringSubmatch(s)
	n := len(m[0])
	day, _ := strconv.Atoi(m[3])
	var d Date
	switch {
	case m[1] != "":
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		if m[2] == "" {
			return Date{}, 0, &NoticeError{Fragment: st.fragment, Reason: "date with a year but no month", Err: ErrNoticeUnreadable}
		}
		if y < st.p.year-1 || y > st.p.year+1 {
			return Date{}, 0, &NoticeError{Fragment: st.fragment, Reason: fmt.Sprintf("year %d is not %d or next to it", y, st.p.year), Err: ErrNoticeUnreadable}
		}
		d = Date{Year: y, Month: time.Month(mo), Day: day}
	case m[2] != "":
		mo, _ := strconv.Atoi(m[2])
		d = Date{Year: st.p.year, Month: time.Month(mo), Day: day}
		if !st.anchor.IsZero() {
			best := -1
			for y := st.p.year - 1; y <= st.p.year+1; y++ {
				c := Date{Year: y, Month: d.Month, Day: day}
				if !c.IsValid() {
					continue
				}
				dist := c.Sub(st.anchor)
				if dist < 0 {
					dist = -dist
				}
				if best < 0 || dist < best {
					best, d = dist, c
				}
			}
		}
	default:
		if st.last.IsZero() {
			return Date{}, 0, &NoticeError{Fragment: st.fragment, Reason: "day without a month", Err: ErrNoticeUnreadable}
		}
		d = Date{Year: st.last.Year, Month: st.last.Month, Day: day}
	}
	if !d.IsValid() {
		return Date{}, 0, &NoticeError{Fragment: st.fragment, Reason: fmt.Sprintf("no such date %d-%02d-%02d", d.Year, int(d.Month), d.Day), Err: ErrNoticeUnreadable}
	}
	st.last = d
	if strings.HasPrefix(s[n:], "(") {
		end := strings.IndexByte(s[n:], ')')
		if end < 0 {
			return Date{}, 0, &NoticeError{Fragment: st.fragment, Reason: "unclosed bracket", Err: ErrNoticeUnreadable}
		}
		inner := s[n+1 : n+end]
		n += end + 1
		if w := weekdayRe.FindStringSubmatch(inner); w != nil {
			if want := weekdayByName[w[2]]; want != d.Weekday() {
				return Date{}, 0, &NoticeWeekdayError{Fragment: st.fragment, Date: d, Written: w[0], Actual: d.Weekday()}
			}
		}
	}
	return d, n, nil
}

// add records the days of g as days off or working days of the holiday name.
func (p *noticeParser) add(g dateGroup, name string, off bool, frag string) error {
	for _, d := range g.days {
		if prev, ok := p.days[d]; ok {
			switch {
			case prev.off != off:
				return &NoticeError{Fragment: frag, Reason: fmt.Sprintf("%s is both a day off and a working day (see %q)", d, prev.frag), Err: ErrNoticeConflict}
			case prev.name != name:
				return &NoticeError{Fragment: frag, Reason: fmt.Sprintf("%s is listed as %q and as %q", d, prev.name, name), Err: ErrNoticeConflict}
			}
			continue
		}
		p.days[d] = noticeEntry{name: name, off: off, frag: frag}
	}
	return nil
}

// applyExtensions makes every day from the end of an extended holiday's
// days off to the new end a day off of that holiday, replacing working days
// the original notice had set inside that stretch.
func (p *noticeParser) applyExtensions() error {
	for _, x := range p.ext {
		var last Date
		for d, e := range p.days {
			if e.off && e.name == x.name && (last.IsZero() || d.After(last)) {
				last = d
			}
		}
		if last.IsZero() {
			return &NoticeError{Fragment: x.frag, Reason: fmt.Sprintf("extends %s, but the text names none of its days off", x.name), Err: ErrNoticeUnreadable}
		}
		if x.to.Sub(last) >= maxNoticeRange {
			return &NoticeError{Fragment: x.frag, Reason: fmt.Sprintf("extension %s..%s longer than %d days", last, x.to, maxNoticeRange), Err: ErrNoticeUnreadable}
		}
		for d := last.AddDays(1); !d.After(x.to); d = d.AddDays(1) {
			if prev, ok := p.days[d]; ok && prev.off && prev.name != x.name {
				return &NoticeError{Fragment: x.frag, Reason: fmt.Sprintf("%s is listed as %q and as %q", d, prev.name, x.name), Err: ErrNoticeConflict}
			}
			p.days[d] = noticeEntry{name: x.name, off: true, frag: x.frag}
		}
	}
	return nil
}

// WithNotice returns a copy of c with the year of a State Council holiday
// notice loaded from its text: the notice is read by [ParseNotice], its days
// go through the same checks as [Calendar.WithSchedule] (every day in year or
// at the end of year-1, a named holiday, no date both off and working across
// notices, contiguous coverage), and they replace whatever c held for year.
// The text must therefore be the whole notice (with its amendments), not a
// single item. Court closures of c are kept.
//
// On error c is unchanged and nothing is returned: a *NoticeError or
// *NoticeWeekdayError if the text cannot be read, a *LoadError if its days
// are rejected.
func (c *Calendar) WithNotice(year int, text string) (*Calendar, error) {
	days, err := ParseNotice(year, text)
	if err != nil {
		return nil, err
	}
	jy := &jsonYear{Year: &year, Days: make([]*jsonDay, len(days))}
	for i, d := range days {
		name, date, off := d.Name, d.Date.String(), d.OffDay
		jy.Days[i] = &jsonDay{Name: &name, Date: &date, IsOffDay: &off}
	}
	ys, probs := checkYear(year, fmt.Sprintf("notice[%d]", year), jy)
	add := schedule{years: map[int]yearSchedule{year: ys}}
	return c.withYears(add, probs)
}
