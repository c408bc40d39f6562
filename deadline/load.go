package deadline

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// ErrInvalidSchedule is returned (wrapped in a *LoadError) when schedule data
// or closure days are rejected.
var ErrInvalidSchedule = errors.New("deadline: invalid schedule")

// Problem is one reason why schedule data or closure days were rejected.
type Problem struct {
	Path string // where in the input: `years["2024"].days[3]`, "closures[0]", or "" for the whole input
	Msg  string // what is wrong, in English
	Err  error  // a sentinel for the condition (ErrInvalidDate, ErrNotCovered), or nil
}

// String returns the problem as "path: message".
func (p Problem) String() string {
	if p.Path == "" {
		return p.Msg
	}
	return p.Path + ": " + p.Msg
}

// LoadError lists every problem found in schedule data or closure days. The
// calendar the data was meant for is left unchanged.
type LoadError struct {
	Problems []Problem
}

// Error lists every problem on one line.
func (e *LoadError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	n := "1 problem"
	if len(parts) != 1 {
		n = strconv.Itoa(len(parts)) + " problems"
	}
	return "deadline: invalid schedule (" + n + "): " + strings.Join(parts, "; ")
}

// Unwrap returns ErrInvalidSchedule and the sentinel of each problem that has
// one, so errors.Is(err, ErrNotCovered) finds a closure outside the coverage.
func (e *LoadError) Unwrap() []error {
	errs := []error{ErrInvalidSchedule}
	for _, p := range e.Problems {
		if p.Err != nil {
			errs = append(errs, p.Err)
		}
	}
	return errs
}

// maxScheduleBytes bounds the input of Load and WithSchedule. The shipped
// data for twenty years is about 64 KiB.
const maxScheduleBytes = 16 << 20

// schedule is the parsed, validated content of schedule data: the State
// Council notices by year key, with holiday names normalised.
type schedule struct {
	meta  scheduleMeta
	years map[int]yearSchedule
}

type scheduleMeta struct {
	Source  string `json:"source,omitempty"`
	Commit  string `json:"commit,omitempty"`
	License string `json:"license,omitempty"`
	Note    string `json:"note,omitempty"`
}

type yearSchedule struct {
	papers []string
	days   []listedEntry
}

type listedEntry struct {
	date Date
	name string
	off  bool
	path string
}

// listedDay is one date after all notices are merged.
type listedDay struct {
	name string
	off  bool
	path string
}

// The JSON format of the shipped data (see data/SOURCE.md).
type jsonDoc struct {
	scheduleMeta
	Years json.RawMessage `json:"years"`
}

type jsonYear struct {
	Year   *int       `json:"year"`
	Papers []string   `json:"papers"`
	Days   []*jsonDay `json:"days"`
}

type jsonDay struct {
	Name     *string `json:"name"`
	Date     *string `json:"date"`
	IsOffDay *bool   `json:"isOffDay"`
}

// parseSchedule reads and checks schedule data. It reports every problem it
// can find; a syntax error stops it.
func parseSchedule(r io.Reader) (schedule, []Problem) {
	data, err := io.ReadAll(io.LimitReader(r, maxScheduleBytes+1))
	if err != nil {
		return schedule{}, []Problem{{Msg: "read: " + err.Error()}}
	}
	if len(data) > maxScheduleBytes {
		return schedule{}, []Problem{{Msg: fmt.Sprintf("input larger than %d bytes", maxScheduleBytes)}}
	}
	var doc jsonDoc
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return schedule{}, []Problem{{Msg: "malformed JSON: " + err.Error()}}
	}
	if _, err := dec.Token(); err != io.EOF {
		return schedule{}, []Problem{{Msg: "malformed JSON: data after the top-level object"}}
	}
	if len(doc.Years) == 0 || string(doc.Years) == "null" {
		return schedule{}, []Problem{{Path: "years", Msg: "missing"}}
	}
	s := schedule{meta: doc.scheduleMeta, years: map[int]yearSchedule{}}
	var probs []Problem
	yd := json.NewDecoder(bytes.NewReader(doc.Years))
	yd.DisallowUnknownFields()
	if t, err := yd.Token(); err != nil || t != json.Delim('{') {
		return schedule{}, []Problem{{Path: "years", Msg: "want an object keyed by year"}}
	}
	seenKey := map[string]bool{}
	for yd.More() {
		t, err := yd.Token()
		if err != nil {
			return schedule{}, append(probs, Problem{Path: "years", Msg: "malformed JSON: " + err.Error()})
		}
		key, _ := t.(string)
		path := fmt.Sprintf("years[%q]", key)
		var jy *jsonYear
		if err := yd.Decode(&jy); err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				return schedule{}, append(probs, Problem{Path: path, Msg: "malformed JSON: " + err.Error()})
			}
			probs = append(probs, Problem{Path: path, Msg: err.Error()})
			continue
		}
		if seenKey[key] {
			probs = append(probs, Problem{Path: path, Msg: "year listed twice"})
			continue
		}
		seenKey[key] = true
		year, ok := parseYearKey(key)
		if !ok {
			probs = append(probs, Problem{Path: path, Msg: "key is not a year (want four digits, 1000-9999)"})
			continue
		}
		if jy == nil {
			probs = append(probs, Problem{Path: path, Msg: "null"})
			continue
		}
		ys, p := checkYear(year, path, jy)
		probs = append(probs, p...)
		s.years[year] = ys
	}
	return s, probs
}

func parseYearKey(s string) (int, bool) {
	if len(s) != 4 || s[0] == '0' {
		return 0, false
	}
	n, ok := atoi(s)
	return n, ok
}

// checkYear validates the notice of one year. A notice may list days at the
// end of the previous calendar year (the 2008 notice lists 2007-12-29..31),
// never days of any other year.
func checkYear(year int, path string, jy *jsonYear) (yearSchedule, []Problem) {
	var probs []Problem
	switch {
	case jy.Year == nil:
		probs = append(probs, Problem{Path: path + ".year", Msg: "missing"})
	case *jy.Year != year:
		probs = append(probs, Problem{Path: path + ".year", Msg: fmt.Sprintf("%d does not match the key %d", *jy.Year, year)})
	}
	ys := yearSchedule{papers: append([]string{}, jy.Papers...)}
	for i, jd := range jy.Days {
		p := fmt.Sprintf("%s.days[%d]", path, i)
		if jd == nil {
			probs = append(probs, Problem{Path: p, Msg: "null entry"})
			continue
		}
		var e listedEntry
		e.path = p
		bad := false
		if jd.Date == nil {
			probs = append(probs, Problem{Path: p + ".date", Msg: "missing"})
			bad = true
		} else if d, err := ParseDate(*jd.Date); err != nil {
			probs = append(probs, Problem{Path: p + ".date", Msg: err.Error(), Err: ErrInvalidDate})
			bad = true
		} else if d.Year != year && d.Year != year-1 {
			probs = append(probs, Problem{Path: p + ".date", Msg: fmt.Sprintf("%s is not in %d or the end of %d", d, year, year-1)})
			bad = true
		} else {
			e.date = d
		}
		if jd.Name == nil {
			probs = append(probs, Problem{Path: p + ".name", Msg: "missing"})
			bad = true
		} else if e.name = normaliseName(*jd.Name); e.name == "" {
			probs = append(probs, Problem{Path: p + ".name", Msg: "empty"})
			bad = true
		}
		if jd.IsOffDay == nil {
			probs = append(probs, Problem{Path: p + ".isOffDay", Msg: "missing"})
			bad = true
		} else {
			e.off = *jd.IsOffDay
		}
		if !bad {
			ys.days = append(ys.days, e)
		}
	}
	return ys, probs
}

// build checks a whole schedule (conflicts between dates, contiguous
// coverage, closures inside it) and builds the calendar.
//
// When partial is set, s holds only the entries that passed parsing: the
// date conflicts are still reported, but not the coverage, which the
// rejected entries may have changed.
func build(s schedule, closures map[Date]string, partial bool) (*Calendar, []Problem) {
	var probs []Problem
	keys := make([]int, 0, len(s.years))
	for y := range s.years {
		keys = append(keys, y)
	}
	sort.Ints(keys)

	// A year is covered when its notice lists at least one day of that year.
	// A year listed without entries is unknown, never "no holidays".
	var covered []int
	for _, y := range keys {
		for _, e := range s.years[y].days {
			if e.date.Year == y {
				covered = append(covered, y)
				break
			}
		}
	}
	firstYear, lastYear := 1, 0
	if len(covered) > 0 {
		firstYear, lastYear = covered[0], covered[len(covered)-1]
		for i := 1; i < len(covered) && !partial; i++ {
			if covered[i] != covered[i-1]+1 {
				probs = append(probs, Problem{
					Path: fmt.Sprintf("years[%q]", strconv.Itoa(covered[i])),
					Msg:  fmt.Sprintf("coverage must be a contiguous range of years: %d has entries but %d..%d have none", covered[i], covered[i-1]+1, covered[i]-1),
				})
			}
		}
	}

	listed := map[Date]listedDay{}
	for _, y := range keys {
		for _, e := range s.years[y].days {
			prev, ok := listed[e.date]
			if !ok {
				listed[e.date] = listedDay{name: e.name, off: e.off, path: e.path}
				continue
			}
			switch {
			case prev.off != e.off:
				probs = append(probs, Problem{Path: e.path, Msg: fmt.Sprintf("%s listed both as a day off and as a working day (see %s)", e.date, prev.path)})
			case prev.name != e.name:
				probs = append(probs, Problem{Path: e.path, Msg: fmt.Sprintf("%s listed as %s and as %s (see %s)", e.date, prev.name, e.name, prev.path)})
			}
		}
	}

	cl := make(map[Date]string, len(closures))
	for d, reason := range closures {
		cl[d] = reason
		if !partial && (d.Year < firstYear || d.Year > lastYear) {
			probs = append(probs, Problem{Path: "closures", Msg: fmt.Sprintf("closure %s is outside the coverage", d), Err: ErrNotCovered})
		}
	}
	if len(probs) > 0 || partial {
		return nil, probs
	}
	return &Calendar{ix: buildIndex(firstYear, lastYear, listed, cl), sched: s, closures: cl}, nil
}

// Load reads schedules in the format of the embedded data (see
// data/SOURCE.md) and returns a new calendar holding only them. Its coverage
// is the years whose notice lists at least one day of that year; they must
// form a contiguous range. On error the calendar is nil and the error, a
// *LoadError, lists every problem found.
func Load(r io.Reader) (*Calendar, error) {
	s, probs := parseSchedule(r)
	if len(probs) > 0 {
		if s.years != nil {
			_, more := build(s, nil, true)
			probs = append(probs, more...)
		}
		return nil, &LoadError{Problems: probs}
	}
	c, probs := build(s, nil, false)
	if len(probs) == 0 && c.ix.lastYear < c.ix.firstYear {
		probs = append(probs, Problem{Path: "years", Msg: "no year has entries, so nothing would be covered"})
	}
	if len(probs) > 0 {
		return nil, &LoadError{Problems: probs}
	}
	return c, nil
}

// WithSchedule returns a copy of c extended (or corrected) by the schedules
// read from r. Each year of r that lists entries replaces that year of c; a
// year of r without entries changes nothing (it stays uncovered if c does
// not cover it). Court closures of c are kept. The result must still cover a
// contiguous range of years: a schedule for 2029 on a calendar ending in 2026
// is an error, not a gap. On error, c is unchanged and the error, a
// *LoadError, lists every problem.
func (c *Calendar) WithSchedule(r io.Reader) (*Calendar, error) {
	add, parseProbs := parseSchedule(r)
	if add.years == nil {
		return nil, &LoadError{Problems: parseProbs}
	}
	return c.withYears(add, parseProbs)
}

// withYears merges the years of add into c as WithSchedule describes.
// parseProbs are the problems found while reading add.
func (c *Calendar) withYears(add schedule, parseProbs []Problem) (*Calendar, error) {
	merged := schedule{meta: c.sched.meta, years: make(map[int]yearSchedule, len(c.sched.years)+len(add.years))}
	for y, ys := range c.sched.years {
		days := make([]listedEntry, len(ys.days))
		for i, e := range ys.days {
			e.path = "calendar " + e.path
			days[i] = e
		}
		merged.years[y] = yearSchedule{papers: ys.papers, days: days}
	}
	for y, ys := range add.years {
		if _, ok := merged.years[y]; ok && len(ys.days) == 0 {
			continue
		}
		merged.years[y] = ys
	}
	nc, probs := build(merged, c.closures, len(parseProbs) > 0)
	if probs = append(parseProbs, probs...); len(probs) > 0 {
		return nil, &LoadError{Problems: probs}
	}
	// Paths name where an entry came from only while checking.
	for y, ys := range nc.sched.years {
		for i := range ys.days {
			ys.days[i].path = strings.TrimPrefix(ys.days[i].path, "calendar ")
		}
		nc.sched.years[y] = ys
	}
	return nc, nil
}

// DefaultClosureReason is the reason shown for a closure given without one.
const DefaultClosureReason = "法院停止办公"

// WithClosures returns a copy of c in which the given days are court closure
// days: Holiday in [Calendar.Kind], rest days for every computation, with
// their reason in explanations. Each day must be a valid date inside the
// coverage; a day already closed for another reason, or listed twice with
// different reasons, is an error. On error, c is unchanged and the error, a
// *LoadError, lists every problem.
func (c *Calendar) WithClosures(cs ...Closure) (*Calendar, error) {
	var probs []Problem
	closures := make(map[Date]string, len(c.closures)+len(cs))
	for d, r := range c.closures {
		closures[d] = r
	}
	for i, cl := range cs {
		p := fmt.Sprintf("closures[%d]", i)
		reason := strings.TrimSpace(cl.Reason)
		if reason == "" {
			reason = DefaultClosureReason
		}
		if !cl.Date.IsValid() {
			probs = append(probs, Problem{Path: p, Msg: fmt.Sprintf("invalid date %s", cl.Date), Err: ErrInvalidDate})
			continue
		}
		if !c.Covers(cl.Date) {
			first, last := c.Coverage()
			probs = append(probs, Problem{Path: p, Msg: fmt.Sprintf("%s is outside the coverage %s..%s", cl.Date, first, last), Err: ErrNotCovered})
			continue
		}
		if prev, ok := closures[cl.Date]; ok && prev != reason {
			probs = append(probs, Problem{Path: p, Msg: fmt.Sprintf("%s is already closed for %q", cl.Date, prev)})
			continue
		}
		closures[cl.Date] = reason
	}
	if len(probs) > 0 {
		return nil, &LoadError{Problems: probs}
	}
	nc, probs := build(c.sched, closures, false)
	if len(probs) > 0 {
		return nil, &LoadError{Problems: probs}
	}
	return nc, nil
}

// Closures returns the court closure days of c in date order.
func (c *Calendar) Closures() []Closure {
	out := make([]Closure, 0, len(c.closures))
	for d, r := range c.closures {
		out = append(out, Closure{Date: d, Reason: r})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}

// MarshalJSON returns the schedules of c in the format Load reads, with
// holiday names normalised, so Load(MarshalJSON(c)) gives an equal calendar.
// Court closures are not part of the format and are left out.
func (c *Calendar) MarshalJSON() ([]byte, error) {
	type outDay struct {
		Name     string `json:"name"`
		Date     string `json:"date"`
		IsOffDay bool   `json:"isOffDay"`
	}
	type outYear struct {
		Year   int      `json:"year"`
		Papers []string `json:"papers"`
		Days   []outDay `json:"days"`
	}
	type outDoc struct {
		scheduleMeta
		Years map[string]outYear `json:"years"`
	}
	doc := outDoc{scheduleMeta: c.sched.meta, Years: make(map[string]outYear, len(c.sched.years))}
	for y, ys := range c.sched.years {
		oy := outYear{Year: y, Papers: append([]string{}, ys.papers...), Days: make([]outDay, len(ys.days))}
		for i, e := range ys.days {
			oy.Days[i] = outDay{Name: e.name, Date: e.date.String(), IsOffDay: e.off}
		}
		doc.Years[strconv.Itoa(y)] = oy
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

//go:embed data/*.json
var embedded embed.FS

// official parses the embedded schedules once, through the same validator
// as run-time data.
var official = sync.OnceValue(func() *Calendar {
	files, err := embedded.ReadDir("data")
	if err != nil {
		panic("deadline: embedded data: " + err.Error())
	}
	var c *Calendar
	for _, f := range files { // ReadDir sorts by name
		b, err := embedded.ReadFile("data/" + f.Name())
		if err != nil {
			panic("deadline: embedded data: " + err.Error())
		}
		if c == nil {
			c, err = Load(bytes.NewReader(b))
		} else {
			c, err = c.WithSchedule(bytes.NewReader(b))
		}
		if err != nil {
			panic("deadline: embedded data " + f.Name() + ": " + err.Error())
		}
	}
	return c
})

// Official returns the calendar of the embedded State Council schedules
// (2007–2026; see data/SOURCE.md). It is built once and shared; being
// immutable, it is safe for concurrent use.
func Official() *Calendar { return official() }
