package enforcement

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/courtkit/zhixing/deadline"
)

// ErrNeedsAcknowledgement is matched by a *[LateApplicationError]: the
// application appears out of time and the judge must acknowledge the warning
// before the case is filed.
var ErrNeedsAcknowledgement = errors.New("enforcement: warning needs acknowledgement")

// LimitationKind is an event that interrupts (中断) or suspends (中止) the
// period for applying for enforcement (申请执行期间), which follows the rules
// on limitation periods (CPL art. 250(1); Civil Code arts. 194–195).
type LimitationKind string

// Interruptions restart the period from the event's day; a suspension
// stops it while an obstacle lasts.
const (
	LimitationApplication LimitationKind = "application" // 申请执行（Civil Code art. 195(3)，ExecInterp2008 art. 20）
	LimitationDemand      LimitationKind = "demand"      // 当事人一方提出履行要求（Civil Code art. 195(1)）
	LimitationAgreement   LimitationKind = "agreement"   // 义务人同意履行义务（Civil Code art. 195(2)）
	// LimitationSettlement: a settlement breached; On is the last day of
	// performance the settlement fixed (Interp 2022 art. 466; 执行和解规定
	// art. 10), from which the period restarts.
	LimitationSettlement LimitationKind = "settlement" // 达成执行和解（ExecInterp2008 art. 20）
	LimitationSuspension LimitationKind = "suspension" // 不可抗力等障碍（Civil Code art. 194）
)

var limitationNames = map[LimitationKind]string{
	LimitationApplication: "申请执行", LimitationDemand: "提出履行要求", LimitationAgreement: "同意履行义务",
	LimitationSettlement: "达成和解", LimitationSuspension: "不能行使请求权的障碍",
}

// IsKnown reports whether k is a known limitation event.
func (k LimitationKind) IsKnown() bool { _, ok := limitationNames[k]; return ok }

// Chinese returns the event's Chinese name.
func (k LimitationKind) Chinese() string { return limitationNames[k] }

// LimitationEvent is a fact that interrupts or suspends the application
// period: On is the day of an interruption, or the first day of an obstacle
// that ended on Until (a suspension).
type LimitationEvent struct {
	Kind  LimitationKind
	On    deadline.Date
	Until deadline.Date `json:",omitzero"`
	Note  string        `json:",omitempty"`
}

// InstalmentRule is how a version of CPL art. 250(2) counts a judgment
// payable by instalments.
type InstalmentRule string

// Instalment rules.
const (
	// EachInstalment: a period runs from the last day of each instalment
	// (2007, 2012 and 2017 texts, art. 215/239: "从规定的每次履行期间的最后一日起计算").
	EachInstalment InstalmentRule = "each"
	// LastInstalment: one period runs from the expiry of the last
	// instalment (2021 and 2023 texts, art. 246/250: "从最后一期履行期限届满之日起计算").
	LastInstalment InstalmentRule = "last"
)

// ApplicationPeriodVersion is one effective-dated text of CPL art. 250(2)
// (申请执行期间的起算).
type ApplicationPeriodVersion struct {
	Version     string
	From, Until deadline.Date // [From, Until); zero means open
	Instalments InstalmentRule
	Basis       string
}

// applicationPeriodVersions are the texts in force. The version applied is
// the one in force on the day the application is received.
var applicationPeriodVersions = []ApplicationPeriodVersion{
	{Version: "2008-04-01", From: deadline.NewDate(2008, 4, 1), Until: deadline.NewDate(2022, 1, 1), Instalments: EachInstalment,
		Basis: "《中华人民共和国民事诉讼法》（2007年、2012年、2017年修正）第二百一十五条/第二百三十九条"},
	{Version: "2022-01-01", From: deadline.NewDate(2022, 1, 1), Instalments: LastInstalment,
		Basis: "《中华人民共和国民事诉讼法》（2021年、2023年修正）第二百四十六条/第二百五十条"},
}

// ApplicationPeriodVersions returns the effective-dated versions of CPL art.
// 250(2) the package knows, oldest first.
func ApplicationPeriodVersions() []ApplicationPeriodVersion {
	return slices.Clone(applicationPeriodVersions)
}

// applicationPeriodVersion returns the version in force on day d (the
// oldest known one for an earlier day).
func applicationPeriodVersion(d deadline.Date) ApplicationPeriodVersion {
	for _, v := range applicationPeriodVersions {
		if (v.From.IsZero() || !d.Before(v.From)) && (v.Until.IsZero() || d.Before(v.Until)) {
			return v
		}
	}
	return applicationPeriodVersions[0]
}

// PeriodRun is one running application period: for the whole judgment, or
// for one instalment under the 2017 text.
type PeriodRun struct {
	Label string        // e.g. "第2期" or "全部履行义务"
	Start deadline.Date // the last day of performance the period counts from
	// End is the last day on which an application is in time, after
	// interruptions and suspensions.
	End         deadline.Date
	Provisional bool
	// Waived is set when the respondent agreed to perform after the period
	// had ended: he may no longer rely on its expiry (Civil Code art. 192(2)).
	Waived bool
	Steps  []deadline.Step
}

// ApplicationPeriod is the two-year period for applying for enforcement
// (申请执行期间, CPL art. 250) computed for an application received on a day.
type ApplicationPeriod struct {
	Version string
	Basis   string
	// Received is the day of the application it was computed for.
	Received deadline.Date
	Runs     []PeriodRun
	// Late lists the labels of the runs that ended before Received and were
	// not waived: for these the respondent may raise the lapse.
	Late []string
}

// IsLate reports whether the application is out of time for any run.
func (p ApplicationPeriod) IsLate() bool { return len(p.Late) > 0 }

// StepLimitation is the explanation step of an interruption or suspension.
const StepLimitation deadline.StepCode = "limitation"

// suspensionWindow is the last part of the period in which an obstacle
// suspends it (Civil Code art. 194: 最后六个月内).
var suspensionWindow = deadline.Period{N: 6, Unit: deadline.Months}

// civilCodeSuspension is the day the General Provisions of the Civil Law
// took effect (art. 194 of the Civil Code has the same text): from then the
// period ends six months after the obstacle ends; before, it resumed for the
// time it had left (General Principles of the Civil Law art. 139).
var civilCodeSuspension = deadline.NewDate(2017, 10, 1)

// ComputeApplicationPeriod computes the period for applying for enforcement
// of src for an application received on received, with the interruption and
// suspension events given. The period starts on the last day of the
// performance period (src.PerformanceDue), or of each instalment, or the
// last one (src.Instalments, by the version of CPL art. 250(2) in force on
// received), or, when none is set, on the day src took effect. Two years
// are counted by the corresponding day with the rest-day shift of CPL art.
// 85 on cal; a date beyond the calendar's coverage is a weekend-only
// estimate marked Provisional.
//
// An interruption before the end restarts the period from its day (Civil
// Code art. 195; ExecInterp2008 art. 20); a respondent's agreement to
// perform after the end waives the lapse (Civil Code art. 192(2)). An
// obstacle overlapping the last six months suspends it (Civil Code art.
// 194): the period ends no earlier than six months after the obstacle ends
// (before 2017-10-01: it runs on for the time it had left).
//
// The court never refuses an application for lateness on its own: expiry
// is the respondent's defence (Interp 2022 art. 481); see [File].
func ComputeApplicationPeriod(src SourceDocument, received deadline.Date, events []LimitationEvent, cal *deadline.Calendar) (ApplicationPeriod, error) {
	if cal == nil {
		return ApplicationPeriod{}, errors.New("enforcement: application period needs a calendar")
	}
	pr := problems{what: "application period"}
	if !received.IsValid() {
		pr.add("received", "invalid_date", received.String())
	}
	if src.PerformanceDue.IsZero() && len(src.Instalments) == 0 && !src.EffectiveOn.IsValid() {
		pr.add("source.effective_on", "required", "the effective date, a performance date or instalments")
	}
	for i, e := range events {
		if !e.Kind.IsKnown() {
			pr.add(fmt.Sprintf("events[%d].kind", i), "unknown_limitation_event", string(e.Kind))
		}
		if !e.On.IsValid() {
			pr.add(fmt.Sprintf("events[%d].on", i), "invalid_date", e.On.String())
		}
		if e.Kind == LimitationSuspension && (!e.Until.IsValid() || e.Until.Before(e.On)) {
			pr.add(fmt.Sprintf("events[%d].until", i), "invalid_date", "the day the obstacle ended")
		}
	}
	if err := pr.err(); err != nil {
		return ApplicationPeriod{}, err
	}
	v := applicationPeriodVersion(received)
	out := ApplicationPeriod{Version: v.Version, Basis: v.Basis, Received: received}
	type start struct {
		label, why string
		on         deadline.Date
	}
	var starts []start
	switch {
	case len(src.Instalments) > 0 && v.Instalments == EachInstalment:
		for i, d := range src.Instalments {
			starts = append(starts, start{fmt.Sprintf("第%d期", i+1), "自第" + itoa(i+1) + "期履行期间的最后一日起计算", d})
		}
	case len(src.Instalments) > 0:
		last := slices.MaxFunc(src.Instalments, func(a, b deadline.Date) int { return a.Compare(b) })
		starts = append(starts, start{"全部分期", "自最后一期履行期限届满之日起计算", last})
	case !src.PerformanceDue.IsZero():
		starts = append(starts, start{"全部履行义务", "自法律文书规定履行期间的最后一日起计算", src.PerformanceDue})
	default:
		starts = append(starts, start{"全部履行义务", "法律文书未规定履行期间，自法律文书生效之日起计算", src.EffectiveOn})
	}
	evs := slices.Clone(events)
	slices.SortStableFunc(evs, func(a, b LimitationEvent) int { return a.On.Compare(b.On) })
	for _, s := range starts {
		run, err := runPeriod(s.label, s.on, s.why, v, evs, received, cal)
		if err != nil {
			return ApplicationPeriod{}, err
		}
		if received.After(run.End) && !run.Waived {
			out.Late = append(out.Late, run.Label)
		}
		out.Runs = append(out.Runs, run)
	}
	return out, nil
}

func twoYears(cal *deadline.Calendar, from deadline.Date) (deadline.Result, error) {
	return cal.Compute(from, deadline.Spec{Period: deadline.Period{N: 2, Unit: deadline.Years}, AllowProvisional: true})
}

func runPeriod(label string, from deadline.Date, why string, v ApplicationPeriodVersion, evs []LimitationEvent, received deadline.Date, cal *deadline.Calendar) (PeriodRun, error) {
	run := PeriodRun{Label: label, Start: from}
	res, err := twoYears(cal, from)
	if err != nil {
		return PeriodRun{}, fmt.Errorf("enforcement: application period: %w", err)
	}
	run.End, run.Provisional = res.Due, res.Provisional
	run.Steps = append(run.Steps, deadline.Step{Code: StepRule, Date: from,
		Text: label + "：申请执行的期间为二年，" + why + "（" + from.String() + "），依据" + v.Basis})
	run.Steps = append(run.Steps, res.Steps...)
	for _, e := range evs {
		if e.On.After(received) || e.On.Before(from) {
			continue
		}
		switch e.Kind {
		case LimitationSuspension:
			windowStart := addPeriod(run.End, deadline.Period{N: -suspensionWindow.N, Unit: suspensionWindow.Unit})
			if e.On.After(run.End) || e.Until.Before(windowStart) {
				continue
			}
			var end deadline.Date
			var text string
			if e.Until.Before(civilCodeSuspension) {
				begin := e.On
				if begin.Before(windowStart) {
					begin = windowStart
				}
				end = run.End.AddDays(e.Until.Sub(begin) + 1)
				text = fmt.Sprintf("时效中止：%s至%s存在%s，中止期间%d日不计入（《中华人民共和国民法通则》第一百三十九条）", begin, e.Until, e.Kind.Chinese(), e.Until.Sub(begin)+1)
			} else {
				end = addPeriod(e.Until, suspensionWindow)
				text = fmt.Sprintf("时效中止：最后六个月内存在%s，自障碍消除之日%s起满六个月届满（《中华人民共和国民法典》第一百九十四条）", e.Kind.Chinese(), e.Until)
			}
			if end.After(run.End) {
				run.End = end
				run.Steps = append(run.Steps, deadline.Step{Code: StepLimitation, Date: end, Text: text})
			}
		default:
			if e.On.After(run.End) {
				if e.Kind == LimitationAgreement {
					run.Waived = true
					run.Steps = append(run.Steps, deadline.Step{Code: StepLimitation, Date: e.On,
						Text: fmt.Sprintf("期间届满后被执行人于%s同意履行义务，不得再以期间届满为由抗辩（《中华人民共和国民法典》第一百九十二条第二款）", e.On)})
				}
				continue
			}
			r, err := twoYears(cal, e.On)
			if err != nil {
				return PeriodRun{}, fmt.Errorf("enforcement: application period: %w", err)
			}
			run.End, run.Provisional = r.Due, r.Provisional
			run.Steps = append(run.Steps, deadline.Step{Code: StepLimitation, Date: r.Due,
				Text: fmt.Sprintf("时效中断：%s%s，期间自该日起重新计算二年，至%s届满（《中华人民共和国民法典》第一百九十五条）", e.On, e.Kind.Chinese(), r.Due)})
		}
	}
	return run, nil
}

// LateApplicationError is returned by [File] when the application appears
// to be out of time and the case does not record the judge's
// acknowledgement (Case.LateAcknowledgedBy). The court does not refuse
// such an application (Interp 2022 art. 481): the judge acknowledges the
// warning, files the case, and the respondent may raise the lapse.
type LateApplicationError struct {
	Period ApplicationPeriod
}

func (e *LateApplicationError) Error() string {
	var ends []string
	for _, r := range e.Period.Runs {
		if slices.Contains(e.Period.Late, r.Label) {
			ends = append(ends, r.Label+" ended "+r.End.String())
		}
	}
	return fmt.Sprintf("enforcement: application received %s appears out of time (%s): set the judge's acknowledgement to file it", e.Period.Received, strings.Join(ends, "; "))
}

// Unwrap returns ErrNeedsAcknowledgement.
func (e *LateApplicationError) Unwrap() error { return ErrNeedsAcknowledgement }

func (p ApplicationPeriod) clone() ApplicationPeriod {
	p.Late = slices.Clone(p.Late)
	p.Runs = slices.Clone(p.Runs)
	for i := range p.Runs {
		p.Runs[i].Steps = slices.Clone(p.Runs[i].Steps)
	}
	return p
}
