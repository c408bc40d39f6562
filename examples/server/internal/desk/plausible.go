package desk

import (
	"fmt"
	"time"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// Plausibility bounds: values the domain accepts but a clerk almost
// certainly mistyped.
const (
	// EarliestFiling is the first year a filing date may lie in.
	EarliestFiling = 2000
	// MaxControlYears is the longest term of a freeze, seal or seizure from
	// the day it took effect.
	MaxControlYears = 3
	// MaxTripDays is the longest trip.
	MaxTripDays = 14
)

// Confirm carries the confirmations a client gives for values that are
// unusual but possible.
type Confirm struct {
	// OverApplied accepts a recovered sum above the sum applied for
	// (interest for late performance and costs can exceed it).
	OverApplied bool
}

// checkFiling refuses filing dates in the future or before 2000 and a case
// number whose year is not the year of filing.
func (d *Desk) checkFiling(c *enforcement.Case) error {
	var ie InputError
	today := d.Today()
	for _, f := range []struct {
		field, label string
		date         deadline.Date
	}{{"filed_on", "立案日期", c.FiledOn}, {"received_on", "收案日期", c.ReceivedOn}} {
		switch {
		case f.date.IsZero():
		case f.date.After(today):
			ie.Add(f.field, "date_in_future", fmt.Sprintf("%s不能晚于今天（%s）：%s", f.label, today, f.date))
		case f.date.Year < EarliestFiling:
			ie.Add(f.field, "date_too_early", fmt.Sprintf("%s不能早于%d年：%s", f.label, EarliestFiling, f.date))
		}
	}
	// A case received in late December may be docketed in January, so the
	// number's year is checked against either date.
	if !c.Number.IsZero() && !c.FiledOn.IsZero() && c.Number.Year != c.FiledOn.Year &&
		(c.ReceivedOn.IsZero() || c.Number.Year != c.ReceivedOn.Year) {
		ie.Add("number", "year_mismatch", fmt.Sprintf("案号年度（%d）与立案年度（%d）不一致", c.Number.Year, c.FiledOn.Year))
	}
	return ie.Err()
}

// checkMeasure refuses a measure dated in the future and a control term
// longer than MaxControlYears.
func (d *Desk) checkMeasure(m enforcement.Measure) error {
	var ie InputError
	today := d.Today()
	if m.TakenOn.After(today) {
		ie.Add("taken_on", "date_in_future", fmt.Sprintf("采取措施日期不能晚于今天（%s）：%s", today, m.TakenOn))
	}
	if m.EffectiveOn.After(today) {
		ie.Add("effective_on", "date_in_future", fmt.Sprintf("措施生效日期不能晚于今天（%s）：%s", today, m.EffectiveOn))
	}
	ie.Fields = append(ie.Fields, controlTerm(m)...)
	return ie.Err()
}

// controlTerm refuses a freeze, seal or seizure ending more than
// MaxControlYears after it took effect.
func controlTerm(m enforcement.Measure) []FieldError {
	start := m.Effective()
	if !m.Kind.IsControl() || m.ExpiresOn.IsZero() || start.IsZero() {
		return nil
	}
	if limit := start.AddMonths(12 * MaxControlYears); m.ExpiresOn.After(limit) {
		return []FieldError{{"expires_on", "term_too_long", fmt.Sprintf("%s期限不能超过%d年（自%s起至迟%s）：%s", m.Kind.Chinese(), MaxControlYears, start, limit, m.ExpiresOn)}}
	}
	return nil
}

// checkRecovered refuses a change after which the recovered sum exceeds
// the sum applied for, unless the client confirmed it.
func checkRecovered(c *enforcement.Case, field string, ok Confirm) error {
	if ok.OverApplied || !c.AmountApplied.IsPositive() || !c.AmountRecovered.GreaterThan(c.AmountApplied) {
		return nil
	}
	return &InputError{Fields: []FieldError{{field, "recovered_exceeds_applied", fmt.Sprintf(
		"执行到位金额（%s元）将超过申请执行金额（%s元）；如含迟延履行利息或费用，请确认超额后重新提交",
		c.AmountRecovered.StringFixed(2), c.AmountApplied.StringFixed(2))}}}
}

// checkDone refuses a due item marked done on a day after today.
func (d *Desk) checkDone(on deadline.Date) error {
	if today := d.Today(); on.After(today) {
		return BadField("on", "date_in_future", fmt.Sprintf("办结日期不能晚于今天（%s）：%s", today, on))
	}
	return nil
}

// checkTrip refuses a trip longer than MaxTripDays.
func checkTrip(start, end time.Time) error {
	if !start.IsZero() && end.Sub(start) > MaxTripDays*24*time.Hour {
		return BadField("end", "trip_too_long", fmt.Sprintf("外出行程不能超过%d天", MaxTripDays))
	}
	return nil
}
