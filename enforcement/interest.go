package enforcement

import (
	"errors"
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
)

// DelayInterestBasis is the legal basis of the doubled part of delay
// interest (加倍部分债务利息).
const DelayInterestBasis = "《最高人民法院关于执行程序中计算迟延履行期间的债务利息适用法律若干问题的解释》（法释〔2014〕8号）第一条至第四条"

// InterestInForce is the day 法释〔2014〕8号 took effect (its art. 7).
// Delay before it is governed by the 2009 reply (法释〔2009〕6号: twice the
// benchmark loan rate of the same period, principal and interest paid in
// proportion), which this package does not compute.
var InterestInForce = deadline.NewDate(2014, 8, 1)

// ErrBeforeInterpretation is matched by a *[BeforeInterpretationError].
var ErrBeforeInterpretation = errors.New("enforcement: delay before 2014-08-01 is not computed at 1.75 per 10,000 a day")

// BeforeInterpretationError says that a tranche of delay interest accrues
// on days before [InterestInForce], which the 2014 interpretation does not
// govern (its art. 7). The caller either computes those days under the
// 2009 reply and sets InterestInput.FromInForce to charge only the days
// from 2014-08-01 here, or refuses the computation.
type BeforeInterpretationError struct {
	Instalment int           // index into InterestInput.Instalments
	From       deadline.Date // the first day of delay
	InForce    deadline.Date // 2014-08-01
}

func (e *BeforeInterpretationError) Error() string {
	return fmt.Sprintf("enforcement: instalment %d is late from %s, before %s when 法释〔2014〕8号 took effect: compute the earlier days under 法释〔2009〕6号 and set FromInForce", e.Instalment, e.From, e.InForce)
}

// Unwrap returns ErrBeforeInterpretation.
func (e *BeforeInterpretationError) Unwrap() error { return ErrBeforeInterpretation }

// delayDailyRate is 万分之一点七五 per day (法释〔2014〕8号 art 1(2)).
var delayDailyRate = decimal.RequireFromString("0.000175")

// DelayInterestDailyRate returns the daily rate of the doubled part of delay
// interest, 1.75 per 10,000 (0.000175).
func DelayInterestDailyRate() decimal.Decimal { return delayDailyRate }

// Instalment is a money debt fixed by an enforceable instrument that falls
// due on one date: the whole debt, or one instalment of a debt payable in
// instalments (reference I3: each instalment has its own expiry).
type Instalment struct {
	// Due is the last day of the performance period (履行期间届满之日).
	// Interest accrues from the next day. When the instrument sets no
	// period, it is the day the instrument takes effect (art 2), which is
	// likewise not counted.
	Due deadline.Date
	// Principal is the money debt, in yuan, excluding ordinary interest
	// (一般债务利息), which is not doubled (reference I2).
	Principal decimal.Decimal
}

// Payment is a sum received towards the debt on a date: a payment, a bank
// deduction (扣划) on the day of deduction, or the proceeds of a sale on the
// day the ruling transferring the property takes effect (reference I4).
type Payment struct {
	Date   deadline.Date
	Amount decimal.Decimal // yuan, positive
}

// InterestInput is the data of a delay-interest computation.
type InterestInput struct {
	Instalments []Instalment
	Payments    []Payment
	// Excluded are periods that do not count (reference I5): suspension or
	// 暂缓 while the instrument is reviewed (unless at the debtor's request)
	// and suspension during retrial. They may overlap; each day counts once.
	Excluded []deadline.Interval
	// AsOf is the day up to which unpaid principal accrues, included.
	// Payments after AsOf are an error.
	AsOf deadline.Date
	// FromInForce charges only the days from 2014-08-01 (InterestInForce)
	// when a tranche is late from before that day; the earlier days are
	// left to the caller (法释〔2009〕6号) and reported in
	// InterestLine.BeforeInForceDays. Without it such a tranche is a
	// *BeforeInterpretationError: the 1.75 per 10,000 rate is never charged
	// on them silently.
	FromInForce bool
}

// InterestLine is the interest on one tranche of principal: an amount that
// accrued from From to To, both included.
type InterestLine struct {
	Instalment   int             // index into InterestInput.Instalments
	From, To     deadline.Date   // first and last day of accrual
	Days         int             // days counted: To - Due, less excluded days
	ExcludedDays int             // days between From and To that do not count
	Principal    decimal.Decimal // the tranche
	Interest     decimal.Decimal // Principal × 0.000175 × Days, exact (not rounded)
	Paid         bool            // the tranche was paid on To; false if still unpaid at AsOf
	// BeforeInForceDays are the days of delay before 2014-08-01 not
	// counted here (InterestInput.FromInForce).
	BeforeInForceDays int
}

// InterestResult is the doubled part of delay interest with its computation.
type InterestResult struct {
	// Lines are the tranches paid after their due date or unpaid at AsOf,
	// in the order they were settled, unpaid tranches last. A tranche
	// paid on or before its due date has no line.
	Lines []InterestLine
	// Exact is the sum of the lines' interest before rounding.
	Exact decimal.Decimal
	// Total is Exact rounded to the fen, half up.
	Total decimal.Decimal
	// PrincipalOutstanding is the principal still unpaid at AsOf.
	PrincipalOutstanding decimal.Decimal
	// PaidToInterest is the part of the payments beyond the principal,
	// applied to the doubled interest (reference I6), at most Total.
	PaidToInterest decimal.Decimal
	// InterestOutstanding is Total less PaidToInterest.
	InterestOutstanding decimal.Decimal
	// Overpaid is what was paid beyond principal and interest.
	Overpaid decimal.Decimal
	Basis    string
}

// DelayInterest computes the doubled part of delay interest (加倍部分债务利息)
// under 法释〔2014〕8号: unpaid principal × 1.75/10,000 per day of delay.
//
// Days are counted as in reference A11: from the day after the performance
// period expires (that day is excluded) up to and including the day of
// payment, so days = payment date − expiry date. Each instalment accrues
// from its own expiry. Each payment stops accrual on the part it pays, on
// the day it is paid. Days inside Excluded do not count.
//
// Payments are applied to principal first, the earliest instalment first,
// and only what is left over to the doubled interest (art 4; reference I6).
// A payment before an instalment falls due reduces it without interest.
// Ordinary interest, costs and the like are outside this computation: pass
// in Payments only what went to the principal and after it to the doubled
// interest.
//
// Each tranche's interest is kept exact; only the total is rounded, to the
// fen, half up, so that splitting a debt into tranches does not change the
// result. Foreign-currency debts use the same rate in their own currency
// (I7), so amounts are just amounts.
//
// An invalid input is a *ValidationError (matching ErrInvalid) listing every
// problem: a missing or invalid date, a non-positive or sub-fen amount, a
// payment after AsOf, an interval that ends before it starts, or an AsOf
// before the first instalment falls due.
func DelayInterest(in InterestInput) (InterestResult, error) {
	if err := in.validate(); err != nil {
		return InterestResult{}, err
	}
	excluded := mergeIntervals(in.Excluded)

	order := make([]int, len(in.Instalments))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return in.Instalments[a].Due.Compare(in.Instalments[b].Due)
	})
	outstanding := make([]decimal.Decimal, len(in.Instalments))
	for i, inst := range in.Instalments {
		outstanding[i] = inst.Principal
	}
	payments := slices.Clone(in.Payments)
	slices.SortStableFunc(payments, func(a, b Payment) int { return a.Date.Compare(b.Date) })

	res := InterestResult{Basis: DelayInterestBasis}
	var lateErr error
	surplus := decimal.Zero
	addLine := func(i int, amount decimal.Decimal, to deadline.Date, paid bool) {
		due := in.Instalments[i].Due
		if !to.After(due) {
			return // paid in time: no delay
		}
		if n := len(res.Lines); paid && n > 0 {
			last := &res.Lines[n-1]
			if last.Instalment == i && last.To == to && last.Paid {
				last.Principal = last.Principal.Add(amount)
				return
			}
		}
		from := due.AddDays(1)
		before := 0
		if from.Before(InterestInForce) {
			if !in.FromInForce {
				if lateErr == nil {
					lateErr = &BeforeInterpretationError{Instalment: i, From: from, InForce: InterestInForce}
				}
				return
			}
			last := InterestInForce.AddDays(-1)
			if to.Before(last) {
				last = to
			}
			before = last.Sub(from) + 1 - excludedDays(excluded, from, last)
			from = InterestInForce
			if to.Before(from) {
				// Settled entirely before the interpretation took effect.
				res.Lines = append(res.Lines, InterestLine{Instalment: i, From: due.AddDays(1), To: to,
					Principal: amount, Paid: paid, BeforeInForceDays: before})
				return
			}
		}
		ex := excludedDays(excluded, from, to)
		res.Lines = append(res.Lines, InterestLine{
			Instalment: i, From: from, To: to, Days: to.Sub(from) + 1 - ex, ExcludedDays: ex,
			Principal: amount, Paid: paid, BeforeInForceDays: before,
		})
	}
	k := 0 // first instalment in order with principal outstanding
	for _, p := range payments {
		rest := p.Amount
		for k < len(order) && rest.IsPositive() {
			i := order[k]
			take := decimal.Min(rest, outstanding[i])
			addLine(i, take, p.Date, true)
			outstanding[i] = outstanding[i].Sub(take)
			rest = rest.Sub(take)
			if !outstanding[i].IsPositive() {
				k++
			}
		}
		surplus = surplus.Add(rest)
	}
	res.PrincipalOutstanding = decimal.Zero
	for _, i := range order[k:] {
		addLine(i, outstanding[i], in.AsOf, false)
		res.PrincipalOutstanding = res.PrincipalOutstanding.Add(outstanding[i])
	}

	if lateErr != nil {
		return InterestResult{}, lateErr
	}
	res.Exact = decimal.Zero
	for j := range res.Lines {
		l := &res.Lines[j]
		l.Interest = l.Principal.Mul(delayDailyRate).Mul(decimal.NewFromInt(int64(l.Days)))
		res.Exact = res.Exact.Add(l.Interest)
	}
	res.Total = res.Exact.Round(2) // non-negative, so Round's half-away-from-zero is half up
	res.PaidToInterest = decimal.Min(surplus, res.Total)
	res.InterestOutstanding = res.Total.Sub(res.PaidToInterest)
	res.Overpaid = surplus.Sub(res.PaidToInterest)
	return res, nil
}

func (in InterestInput) validate() error {
	var fs []FieldError
	add := func(field, code, detail string) {
		fs = append(fs, FieldError{Field: field, Code: code, Detail: detail})
	}
	money := func(field string, d decimal.Decimal) {
		switch {
		case !d.IsPositive():
			add(field, "not_positive", "must be more than zero")
		case !d.Equal(d.Round(2)):
			add(field, "too_precise", "at most 2 decimal places")
		}
	}
	date := func(field string, d deadline.Date) bool {
		switch {
		case d.IsZero():
			add(field, "required", "")
		case !d.IsValid():
			add(field, "invalid_date", d.String())
		default:
			return true
		}
		return false
	}
	asOfOK := date("as_of", in.AsOf)
	if len(in.Instalments) == 0 {
		add("instalments", "required", "at least one instalment")
	}
	var first deadline.Date
	for i, inst := range in.Instalments {
		f := fmt.Sprintf("instalments[%d]", i)
		if date(f+".due", inst.Due) && (first.IsZero() || inst.Due.Before(first)) {
			first = inst.Due
		}
		money(f+".principal", inst.Principal)
	}
	if asOfOK && !first.IsZero() && in.AsOf.Before(first) {
		add("as_of", "before_due", fmt.Sprintf("%s is before the first due date %s", in.AsOf, first))
	}
	for i, p := range in.Payments {
		f := fmt.Sprintf("payments[%d]", i)
		if date(f+".date", p.Date) && asOfOK && p.Date.After(in.AsOf) {
			add(f+".date", "after_as_of", fmt.Sprintf("%s is after as_of %s", p.Date, in.AsOf))
		}
		money(f+".amount", p.Amount)
	}
	for i, iv := range in.Excluded {
		f := fmt.Sprintf("excluded[%d]", i)
		okFrom, okTo := date(f+".from", iv.From), date(f+".to", iv.To)
		if okFrom && okTo && iv.To.Before(iv.From) {
			add(f, "reversed", fmt.Sprintf("ends %s before it starts %s", iv.To, iv.From))
		}
	}
	if len(fs) > 0 {
		return &ValidationError{What: "interest input", Fields: fs}
	}
	return nil
}

// mergeIntervals returns the union of ivs as sorted, disjoint, non-adjacent
// intervals.
func mergeIntervals(ivs []deadline.Interval) []deadline.Interval {
	out := slices.Clone(ivs)
	slices.SortFunc(out, func(a, b deadline.Interval) int { return a.From.Compare(b.From) })
	merged := out[:0]
	for _, iv := range out {
		if n := len(merged); n > 0 && !iv.From.After(merged[n-1].To.AddDays(1)) {
			if iv.To.After(merged[n-1].To) {
				merged[n-1].To = iv.To
			}
			continue
		}
		merged = append(merged, iv)
	}
	return merged
}

// excludedDays returns how many days from..to (inclusive) fall inside the
// merged intervals.
func excludedDays(merged []deadline.Interval, from, to deadline.Date) int {
	n := 0
	for _, iv := range merged {
		if iv.From.After(to) {
			break
		}
		lo, hi := iv.From, iv.To
		if lo.Before(from) {
			lo = from
		}
		if hi.After(to) {
			hi = to
		}
		if !hi.Before(lo) {
			n += hi.Sub(lo) + 1
		}
	}
	return n
}
