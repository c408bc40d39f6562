package deadline

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// ErrInvalidSpec is returned (wrapped in a *SpecError) when a Spec cannot be
// computed, for example a backward period with deductions.
var ErrInvalidSpec = errors.New("deadline: invalid period spec")

// SpecError lists every problem of a Spec.
type SpecError struct {
	Problems []string
}

// Error lists every problem on one line.
func (e *SpecError) Error() string {
	return "deadline: invalid period spec: " + strings.Join(e.Problems, "; ")
}

// Unwrap returns ErrInvalidSpec.
func (e *SpecError) Unwrap() error { return ErrInvalidSpec }

// maxPeriodN bounds |Period.N| so that date arithmetic cannot overflow; it is
// far beyond any legal period (ParsePeriod allows six digits).
const maxPeriodN = 10_000_000

// Interval is an inclusive range of dates, such as a suspension (中止) period.
type Interval struct {
	From, To Date
	Reason   string // optional, shown in explanations: "公告", "评估", "中止", "暂缓", "和解" …
}

// Days returns the number of days in the interval, From and To included.
func (iv Interval) Days() int { return iv.To.Sub(iv.From) + 1 }

// Contains reports whether d is inside the interval.
func (iv Interval) Contains(d Date) bool { return !d.Before(iv.From) && !d.After(iv.To) }

// Spec says how to count one period.
type Spec struct {
	Period           Period
	Backward         bool       // count back from the start: the latest allowed date ("至少提前N日")
	NoExtension      bool       // do not move a last day that is a rest day (CPL 85(3) switched off)
	Exceed           bool       // "超过": satisfied only from the day after the period ends (Civil Code 1259)
	Deductions       []Interval // periods not counted (公告, 评估, 中止, 暂缓 …), may overlap
	AllowProvisional bool       // beyond coverage, answer with a weekend-only calendar and mark the result
}

// backward reports whether the spec counts backwards: Backward set, or a
// negative period.
func (s Spec) backward() bool { return s.Backward || s.Period.N < 0 }

// check returns every problem of s.
func (s Spec) check() error {
	var probs []string
	p := s.Period
	if p.Unit < Hours || p.Unit > Years {
		probs = append(probs, fmt.Sprintf("period unit %d unknown (want h, d, wd, m or y)", int(p.Unit)))
	}
	if p.N > maxPeriodN || p.N < -maxPeriodN {
		probs = append(probs, fmt.Sprintf("period %d out of range (at most %d)", p.N, maxPeriodN))
	}
	if s.Backward && p.N < 0 {
		probs = append(probs, "backward spec with a negative period: use one or the other")
	}
	if s.backward() && s.Exceed {
		probs = append(probs, `"超过" (Exceed) applies to forward periods only`)
	}
	if s.backward() && len(s.Deductions) > 0 {
		probs = append(probs, "deductions apply to forward periods only")
	}
	if p.Unit == Hours && len(s.Deductions) > 0 {
		probs = append(probs, "deductions are counted in days and do not apply to hour periods")
	}
	for i, iv := range s.Deductions {
		switch {
		case !iv.From.IsValid() || !iv.To.IsValid():
			probs = append(probs, fmt.Sprintf("deduction %d: invalid date %s..%s", i, iv.From, iv.To))
		case iv.To.Before(iv.From):
			probs = append(probs, fmt.Sprintf("deduction %d: ends %s before it starts %s", i, iv.To, iv.From))
		}
	}
	if len(probs) > 0 {
		return &SpecError{Problems: probs}
	}
	return nil
}

// MergeIntervals returns the union of the intervals as a sorted list of
// disjoint, non-adjacent intervals, so that overlapping deductions are
// counted once (reference A5). Reasons of merged intervals are joined with
// "、". The input is not modified.
func MergeIntervals(ivs []Interval) []Interval {
	if len(ivs) == 0 {
		return nil
	}
	s := append([]Interval(nil), ivs...)
	sort.SliceStable(s, func(i, j int) bool { return s[i].From.Before(s[j].From) })
	out := []Interval{s[0]}
	for _, iv := range s[1:] {
		last := &out[len(out)-1]
		if !iv.From.After(last.To.AddDays(1)) {
			if iv.To.After(last.To) {
				last.To = iv.To
			}
			if iv.Reason != "" && !containsReason(last.Reason, iv.Reason) {
				if last.Reason == "" {
					last.Reason = iv.Reason
				} else {
					last.Reason += "、" + iv.Reason
				}
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}

func containsReason(list, r string) bool {
	for _, x := range strings.Split(list, "、") {
		if x == r {
			return true
		}
	}
	return false
}

// Result is a computed due date with its legal basis and explanation.
type Result struct {
	Start             Date
	Due               Date      // the last day on which the act is in time; for Exceed, the first day the condition holds
	Deadline          time.Time // the instant the period expires (24:00 CST on Due, or the hour); for Exceed, the instant it holds from
	Unextended        Date      // the last day before any rest-day extension
	Extended          bool
	Deducted          int // calendar days added for deductions
	Provisional       bool
	ProvisionalReason string
	Basis             []string // instruments and articles applied, e.g. "《中华人民共和国民事诉讼法》第八十五条"
	Steps             []Step
	// Spec is the spec the result was computed from, so it can be recomputed
	// (for example after a new schedule is loaded).
	Spec Spec
	// Deductions are the merged deduction intervals that fell inside the
	// running period and were added to it.
	Deductions []Interval
}

// InTime reports whether an act at instant t meets the deadline: t is before
// r.Deadline, i.e. no later than 24:00 China Standard Time on r.Due (CPL art.
// 85, Civil Code art. 203). For an Exceed result it reports whether the
// period has not yet been exceeded.
func (r Result) InTime(t time.Time) bool { return t.Before(r.Deadline) }

// DaysRemaining returns the calendar days left on date on: the days after on
// up to and including r.Due, not counting deducted days (a suspended period
// does not run). It is 0 on the due date and negative after it (minus the
// days overdue).
func (r Result) DaysRemaining(on Date) int {
	n := r.Due.Sub(on)
	if n <= 0 {
		return n
	}
	for _, iv := range r.Deductions {
		lo, hi := iv.From, iv.To
		if !lo.After(on) {
			lo = on.AddDays(1)
		}
		if hi.After(r.Due) {
			hi = r.Due
		}
		if !lo.After(hi) {
			n -= hi.Sub(lo) + 1
		}
	}
	return n
}
