package deadline

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Legal bases named in Result.Basis.
const (
	BasisCPL85       = "《中华人民共和国民事诉讼法》第八十五条"
	BasisInterp125   = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第一百二十五条"
	BasisCivil202    = "《中华人民共和国民法典》第二百零二条"
	BasisCivil203    = "《中华人民共和国民法典》第二百零三条"
	BasisCivil1259   = "《中华人民共和国民法典》第一千二百五十九条"
	BasisHolidayRule = "《全国年节及纪念日放假办法》及国务院办公厅当年节假日安排通知"
)

// Step is one step of an explanation.
type Step struct {
	Code StepCode
	Date Date
	Text string // Chinese, for a judge
}

// StepCode is a machine-readable code for an explanation step.
type StepCode string

// Step codes, in the order steps appear.
const (
	StepStart       StepCode = "start"        // the start day (起算日), not counted
	StepCount       StepCode = "count"        // the period counted to its last day
	StepMonthEnd    StepCode = "month_end"    // no corresponding day: the month's last day (Civil Code 202)
	StepDeduct      StepCode = "deduct"       // a deduction interval added day for day
	StepExtend      StepCode = "extend"       // last day a rest day: moved to the next working day
	StepMakeup      StepCode = "makeup"       // last day a 调休 make-up workday: a working day, not moved
	StepNoExtension StepCode = "no_extension" // last day a rest day, but the rule switches extension off
	StepBackward    StepCode = "backward"     // counted back from the start: the latest allowed day
	StepExceed      StepCode = "exceed"       // "超过": the day after the period ends
	StepProvisional StepCode = "provisional"  // beyond coverage: weekends only, result provisional
	StepDue         StepCode = "due"          // the resulting due date and instant
)

// Compute computes a period as spec says, starting on start (the start day
// is not counted). Only the days whose kind matters are looked up: the last
// day and the days it may be extended over, or every day of a working-day
// period. If one of them is outside the coverage, the error wraps
// ErrNotCovered and names it, unless spec.AllowProvisional is set: then
// uncovered days are taken as Mon–Fri workdays and the result is marked
// Provisional with the reason. Hour periods need an instant: use
// [Calendar.ComputeAt].
func (c *Calendar) Compute(start Date, spec Spec) (Result, error) {
	if !start.IsValid() {
		return Result{}, &DateError{Input: start.String(), Reason: "no such day"}
	}
	if err := spec.check(); err != nil {
		return Result{}, err
	}
	if spec.Period.Unit == Hours {
		return Result{}, &SpecError{Problems: []string{"an hour period needs a start instant: use ComputeAt or DueAt"}}
	}
	k := computation{c: c, spec: spec, res: Result{Start: start, Spec: copySpec(spec), Steps: make([]Step, 0, 5), Basis: make([]string, 0, 4)}}
	if err := k.run(start); err != nil {
		return Result{}, err
	}
	return k.res, nil
}

// ComputeAt is Compute for a start instant. Hour periods (时) start at the
// next whole hour in China Standard Time (CPL art. 85(2), Interpretation art.
// 125): 24 hours from 10:25 end at 11:00 the next day. They are not extended
// over rest days, because the rest-day rule moves a last day, not an hour.
// Other units are counted from the date of t in China Standard Time.
func (c *Calendar) ComputeAt(t time.Time, spec Spec) (Result, error) {
	if spec.Period.Unit != Hours {
		return c.Compute(DateOf(t), spec)
	}
	if err := spec.check(); err != nil {
		return Result{}, err
	}
	t = t.In(China)
	start := DateOf(t)
	res := Result{Start: start, Spec: copySpec(spec), Basis: []string{BasisCPL85, BasisInterp125}}
	hour := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), 0, 0, 0, China)
	n := spec.Period.N
	add := func(code StepCode, d Date, text string) {
		res.Steps = append(res.Steps, Step{Code: code, Date: d, Text: text})
	}
	add(StepStart, start, fmt.Sprintf("起算时 %s（该小时不计入期间）", fmtTime(t)))
	var end time.Time
	switch {
	case n == 0:
		res.Due = start
		res.Deadline = start.End()
		add(StepCount, start, "期间为0，届满日即起算日 "+start.String())
	case spec.backward():
		end = hour.Add(-time.Duration(abs(n)) * time.Hour)
		res.Deadline = end
		res.Due = DateOf(end.Add(-time.Nanosecond))
		add(StepBackward, res.Due, fmt.Sprintf("须在 %s 前留足%d小时（该小时不计入），最迟应于 %s 前办理", fmtTime(hour), abs(n), fmtTime(end)))
	default:
		from := hour.Add(time.Hour)
		end = from.Add(time.Duration(n) * time.Hour)
		res.Deadline = end
		res.Due = DateOf(end.Add(-time.Nanosecond))
		add(StepCount, res.Due, fmt.Sprintf("期间%s，自 %s 起算，于 %s 届满（以小时计算的期间不适用休息日顺延）", spec.Period.Chinese(), fmtTime(from), fmtTime(end)))
	}
	res.Unextended = res.Due
	if spec.Exceed && n != 0 {
		res.Due = DateOf(end)
		res.Basis = append(res.Basis, BasisCivil1259)
		add(StepExceed, res.Due, fmt.Sprintf("“超过”：期间于 %s 届满，自该时起方为超过", fmtTime(end)))
		add(StepDue, res.Due, fmt.Sprintf("自 %s 起条件成就", fmtTime(end)))
		return res, nil
	}
	add(StepDue, res.Due, fmt.Sprintf("期间届满时间为 %s（北京时间）", fmtTime(res.Deadline)))
	return res, nil
}

// Due computes the due date of period p starting on start (the start day is
// not counted), with the rest-day extension.
func (c *Calendar) Due(start Date, p Period) (Result, error) {
	return c.Compute(start, Spec{Period: p})
}

// DueAt computes the due instant of period p starting at instant start; it
// is the way to count hour periods. See [Calendar.ComputeAt].
func (c *Calendar) DueAt(start time.Time, p Period) (Result, error) {
	return c.ComputeAt(start, Spec{Period: p})
}

func copySpec(s Spec) Spec {
	s.Deductions = append([]Interval(nil), s.Deductions...)
	return s
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func fmtTime(t time.Time) string { return t.In(China).Format("2006-01-02 15:04") }

// computation holds the state of one Compute call.
type computation struct {
	c       *Calendar
	spec    Spec
	res     Result
	guessed []int // years outside the coverage that were guessed (provisional)
}

func (k *computation) step(code StepCode, d Date, text string) {
	k.res.Steps = append(k.res.Steps, Step{Code: code, Date: d, Text: text})
}

func (k *computation) basis(b string) {
	for _, x := range k.res.Basis {
		if x == b {
			return
		}
	}
	k.res.Basis = append(k.res.Basis, b)
}

// day looks d up, guessing from the weekday beyond the coverage when the
// spec allows it.
func (k *computation) day(d Date) (DayInfo, error) {
	info, err := k.c.Day(d)
	if err == nil {
		return info, nil
	}
	if !k.spec.AllowProvisional || !errors.Is(err, ErrNotCovered) {
		return DayInfo{}, err
	}
	k.guess(d.Year)
	kind := Workday
	if isWeekend(d) {
		kind = RestDay
	}
	return DayInfo{Date: d, Kind: kind, Provisional: true}, nil
}

func (k *computation) guess(year int) {
	for _, y := range k.guessed {
		if y == year {
			return
		}
	}
	k.guessed = append(k.guessed, year)
}

// addWorkdays is Calendar.AddWorkdays with the provisional fallback, which
// walks day by day.
func (k *computation) addWorkdays(d Date, n int) (Date, error) {
	r, err := k.c.AddWorkdays(d, n)
	if err == nil || !k.spec.AllowProvisional || !errors.Is(err, ErrNotCovered) {
		return r, err
	}
	dir := 1
	if n < 0 {
		dir, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(dir)
		if d.Year < 1 || d.Year > 9999 {
			return Date{}, &SpecError{Problems: []string{"period reaches beyond the years 1-9999"}}
		}
		info, err := k.day(d)
		if err != nil {
			return Date{}, err
		}
		if info.Kind.IsWorking() {
			n--
		}
	}
	return d, nil
}

// workdaysIn counts the working days in [lo, hi].
func (k *computation) workdaysIn(lo, hi Date) (int, error) {
	if n, err := k.c.WorkdaysBetween(lo.AddDays(-1), hi); err == nil {
		return n, nil
	}
	n := 0
	for d := lo; !d.After(hi); d = d.AddDays(1) {
		info, err := k.day(d)
		if err != nil {
			return 0, err
		}
		if info.Kind.IsWorking() {
			n++
		}
	}
	return n, nil
}

func (k *computation) run(start Date) error {
	p := k.spec.Period
	k.basis(BasisCPL85)
	if p.Unit == Months || p.Unit == Years {
		k.basis(BasisCivil202)
	}
	switch {
	case p.N == 0:
		k.step(StepStart, start, "起算日 "+start.String())
		k.step(StepCount, start, "期间为0，届满日即起算日 "+start.String())
		k.res.Due, k.res.Unextended = start, start
	case k.spec.backward():
		if err := k.backward(start); err != nil {
			return err
		}
	default:
		if err := k.forward(start); err != nil {
			return err
		}
	}
	if !inRange(k.res.Due) {
		return &SpecError{Problems: []string{"period reaches beyond the years 1-9999"}}
	}
	if k.spec.Exceed && p.N != 0 {
		end := k.res.Due
		k.res.Due = end.AddDays(1)
		k.res.Deadline = k.res.Due.Start()
		k.basis(BasisCivil1259)
		k.step(StepExceed, k.res.Due, fmt.Sprintf("“超过”%s：期间于 %s 届满，自次日 %s 起方为超过", p.Chinese(), end, k.res.Due))
	} else {
		k.res.Deadline = k.res.Due.End()
	}
	if len(k.guessed) > 0 {
		sort.Ints(k.guessed)
		k.res.Provisional = true
		k.res.ProvisionalReason = k.provisionalReason()
		k.step(StepProvisional, k.res.Due, k.res.ProvisionalReason)
	}
	switch {
	case k.spec.Exceed && p.N != 0:
		k.step(StepDue, k.res.Due, fmt.Sprintf("自 %s 零时（北京时间）起条件成就", k.res.Due))
	case k.spec.backward():
		k.step(StepDue, k.res.Due, fmt.Sprintf("最晚办理日为 %s，至当日24时（北京时间）止", k.res.Due))
	default:
		k.step(StepDue, k.res.Due, "期间届满日为 "+k.res.Due.String()+"，至当日24时（北京时间）届满")
	}
	return nil
}

func inRange(d Date) bool { return d.Year >= 1 && d.Year <= 9999 }

func (k *computation) provisionalReason() string {
	years := make([]string, len(k.guessed))
	for i, y := range k.guessed {
		years[i] = strconv.Itoa(y) + "年"
	}
	cover := "日历未覆盖任何年度"
	if first, last := k.c.Coverage(); !first.IsZero() {
		cover = fmt.Sprintf("日历覆盖 %d年至%d年", first.Year, last.Year)
	}
	return fmt.Sprintf("临时结果：%s国务院节假日安排尚未载入（%s），该年度按周六、周日休息推算；安排公布并载入后须重新计算",
		strings.Join(years, "、"), cover)
}

// lastDay counts a period forward from start to its last day, before
// deductions and extension.
func (k *computation) lastDay(start Date) (Date, error) {
	p := k.spec.Period
	switch p.Unit {
	case Days:
		last := start.AddDays(p.N)
		k.step(StepCount, last, "期间"+p.Chinese()+"，自次日 "+start.AddDays(1).String()+" 起算，期间届满日为 "+last.String())
		return last, nil
	case Months, Years:
		months := p.N
		if p.Unit == Years {
			months *= 12
		}
		last := start.AddMonths(months)
		if last.Day != start.Day {
			k.step(StepCount, last, fmt.Sprintf("期间%s，自次日 %s 起算，至%d年%d月的对应日届满", p.Chinese(), start.AddDays(1), last.Year, last.Month))
			k.step(StepMonthEnd, last, fmt.Sprintf("%d年%d月没有%d日，以该月最后一日 %s 为期间届满日", last.Year, last.Month, start.Day, last))
		} else {
			k.step(StepCount, last, fmt.Sprintf("期间%s，自次日 %s 起算，期间届满日为最后一月的对应日 %s", p.Chinese(), start.AddDays(1), last))
		}
		return last, nil
	case Workdays:
		last, err := k.addWorkdays(start, p.N)
		if err != nil {
			return Date{}, err
		}
		k.step(StepCount, last, fmt.Sprintf("期间%s，自次日起算，休息日和法定节假日不计入，第%d个工作日为 %s", p.Chinese(), p.N, last))
		return last, nil
	}
	return Date{}, &SpecError{Problems: []string{"unknown unit"}}
}

func (k *computation) forward(start Date) error {
	k.step(StepStart, start, "起算日 "+start.String()+"（不计入期间）")
	end, err := k.lastDay(start)
	if err != nil {
		return err
	}
	if end, err = k.deduct(start, end); err != nil {
		return err
	}
	k.res.Due, k.res.Unextended = end, end
	if k.spec.Period.Unit == Workdays {
		return nil // the last day is a working day by construction
	}
	if k.spec.NoExtension {
		// Only an explanation: look the day up if it is covered, never fail.
		if info, err := k.c.Day(end); err == nil && !info.Kind.IsWorking() {
			k.step(StepNoExtension, end, fmt.Sprintf("%s 为%s；本期间不适用休息日顺延，仍以 %s 为届满日", end, info.Chinese(), end))
		}
		return nil
	}
	info, err := k.day(end)
	if err != nil {
		return err
	}
	if info.Kind == MakeupWorkday {
		k.step(StepMakeup, end, fmt.Sprintf("%s 为%s，期间不顺延", end, info.Chinese()))
		return nil
	}
	if info.Kind.IsWorking() {
		return nil
	}
	d := end
	for {
		d = d.AddDays(1)
		next, err := k.day(d)
		if err != nil {
			return err
		}
		if next.Kind.IsWorking() {
			break
		}
	}
	k.res.Due, k.res.Extended = d, true
	k.basis(BasisCivil203)
	k.basis(BasisHolidayRule)
	k.step(StepExtend, d, "顺延："+end.String()+" 为"+info.Chinese()+"，期间届满日顺延至其后第一个工作日 "+d.String())
	return nil
}

// deduct adds the deduction intervals that fall inside the running period,
// day for day, in date order; an interval reached only because of an earlier
// deduction counts too.
func (k *computation) deduct(start, end Date) (Date, error) {
	if len(k.spec.Deductions) == 0 {
		return end, nil
	}
	workdays := k.spec.Period.Unit == Workdays
	for _, iv := range MergeIntervals(k.spec.Deductions) {
		lo, hi := iv.From, iv.To
		if !lo.After(start) {
			lo = start.AddDays(1)
		}
		if hi.Before(lo) {
			continue // entirely before the period started
		}
		if lo.After(end) {
			break // the period had ended; later intervals are later still
		}
		days := hi.Sub(lo) + 1
		reason := ""
		if iv.Reason != "" {
			reason = "（" + iv.Reason + "）"
		}
		if workdays {
			// The working days still to run when the interval began resume
			// after it.
			left, err := k.workdaysIn(lo, end)
			if err != nil {
				return Date{}, err
			}
			if end, err = k.addWorkdays(hi, left); err != nil {
				return Date{}, err
			}
		} else {
			end = end.AddDays(days)
		}
		k.res.Deducted += days
		k.res.Deductions = append(k.res.Deductions, Interval{From: lo, To: hi, Reason: iv.Reason})
		k.step(StepDeduct, end, fmt.Sprintf("扣除 %s 至 %s%s共%d日，不计入期间，届满日相应推后至 %s", lo, hi, reason, days, end))
	}
	return end, nil
}

// backward counts back from the anchor start. Reference A4: the anchor day
// and the day of the act are both excluded, so N full units lie between
// them, and the result is not moved for rest days.
func (k *computation) backward(anchor Date) error {
	p := k.spec.Period
	n := abs(p.N)
	k.step(StepStart, anchor, fmt.Sprintf("基准日 %s（不计入期间）", anchor))
	var b Date
	switch p.Unit {
	case Days:
		b = anchor.AddDays(-n)
	case Months, Years:
		months := n
		if p.Unit == Years {
			months *= 12
		}
		b = anchor.AddMonths(-months)
		if b.Day != anchor.Day {
			k.step(StepMonthEnd, b, fmt.Sprintf("%d年%d月没有%d日，以该月最后一日 %s 为对应日", b.Year, b.Month, anchor.Day, b))
		}
	case Workdays:
		var err error
		if b, err = k.addWorkdays(anchor, -n); err != nil {
			return err
		}
	}
	if !inRange(b) {
		return &SpecError{Problems: []string{"period reaches beyond the years 1-9999"}}
	}
	latest := b.AddDays(-1)
	k.res.Due, k.res.Unextended = latest, latest
	unit := strconv.Itoa(n) + p.Unit.Chinese()
	k.step(StepBackward, latest, fmt.Sprintf("须在基准日前留足%s（办理日与基准日均不计入）：%s 至 %s，最晚应于 %s 办理", unit, b, anchor.AddDays(-1), latest))
	if info, err := k.c.Day(latest); err == nil && !info.Kind.IsWorking() {
		k.step(StepNoExtension, latest, fmt.Sprintf("%s 为%s；倒计期间不因休息日调整，须于该日或之前办理", latest, info.Chinese()))
	}
	return nil
}
