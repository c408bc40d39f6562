package enforcement

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
)

// ErrInvalidAmount is returned (inside an *AmountError) when a sum of money
// given to a fee or ratio computation is negative, has more than two decimal
// places, or is otherwise out of range.
var ErrInvalidAmount = errors.New("enforcement: invalid amount")

// AmountError describes why an amount of money was rejected.
type AmountError struct {
	What   string          // which amount, e.g. "execution fee base"
	Amount decimal.Decimal // the amount given
	Reason string          // what is wrong with it
}

func (e *AmountError) Error() string {
	return fmt.Sprintf("enforcement: invalid %s %s: %s", e.What, e.Amount, e.Reason)
}

// Unwrap returns ErrInvalidAmount and ErrInvalid.
func (e *AmountError) Unwrap() []error { return []error{ErrInvalidAmount, ErrInvalid} }

// Legal bases of the fees, as shown to a judge or party.
const (
	// ExecutionFeeBasis is the basis of the application-for-enforcement fee
	// (执行申请费) on a sum of money (reference C2).
	ExecutionFeeBasis = "《诉讼费用交纳办法》第十四条第一项"
	// PreservationFeeBasis is the basis of the preservation application fee
	// (申请保全措施费, reference C4).
	PreservationFeeBasis = "《诉讼费用交纳办法》第十四条第二项"
)

// FeeBracket is one bracket of a progressive fee: the part of the amount
// above Over and up to UpTo (no upper bound when Unbounded) is charged at
// Rate; the first bracket may instead be a flat Fixed fee.
type FeeBracket struct {
	Over      decimal.Decimal // lower bound, exclusive (inclusive for the first bracket)
	UpTo      decimal.Decimal // upper bound, inclusive; ignored when Unbounded
	Unbounded bool            // the bracket has no upper bound
	Fixed     decimal.Decimal // flat fee for an amount reaching into this bracket
	Rate      decimal.Decimal // proportion of the portion in this bracket, e.g. 0.015
	Text      string          // the statute's wording, in Chinese
}

// FeeSchedule is a progressive fee table with its legal basis.
type FeeSchedule struct {
	Name     string // e.g. "执行申请费"
	Basis    string // e.g. ExecutionFeeBasis
	Brackets []FeeBracket
	// Cap is the maximum fee; zero means no cap.
	Cap decimal.Decimal
	// ZeroAllowed reports whether an amount of zero ("no amount") is charged
	// by the first bracket. When false a zero amount is an error.
	ZeroAllowed bool
}

// FeeLine is one bracket's share of a fee, for showing the computation
// bracket by bracket.
type FeeLine struct {
	Bracket FeeBracket
	Portion decimal.Decimal // the part of the amount that falls in this bracket
	Fee     decimal.Decimal // the fee for this part, rounded to the fen
}

// FeeBreakdown is a fee with its computation.
type FeeBreakdown struct {
	Name     string
	Basis    string
	Amount   decimal.Decimal // the amount the fee is computed on
	Lines    []FeeLine       // brackets the amount reaches, in order
	Subtotal decimal.Decimal // sum of the lines
	Capped   bool            // Subtotal exceeded the cap, so Total is the cap
	Total    decimal.Decimal // the fee payable, in yuan to the fen
}

var (
	yuan50       = decimal.NewFromInt(50)
	yuan500      = decimal.NewFromInt(500)
	feeSchedules = struct{ execution, preservation FeeSchedule }{
		execution: FeeSchedule{
			Name:  "执行申请费",
			Basis: ExecutionFeeBasis,
			Brackets: []FeeBracket{
				{Over: decimal.Zero, UpTo: decimal.NewFromInt(10_000), Fixed: yuan50, Text: "执行金额或者价额不超过1万元的，每件交纳50元"},
				{Over: decimal.NewFromInt(10_000), UpTo: decimal.NewFromInt(500_000), Rate: decimal.RequireFromString("0.015"), Text: "超过1万元至50万元的部分，按照1.5%交纳"},
				{Over: decimal.NewFromInt(500_000), UpTo: decimal.NewFromInt(5_000_000), Rate: decimal.RequireFromString("0.01"), Text: "超过50万元至500万元的部分，按照1%交纳"},
				{Over: decimal.NewFromInt(5_000_000), UpTo: decimal.NewFromInt(10_000_000), Rate: decimal.RequireFromString("0.005"), Text: "超过500万元至1000万元的部分，按照0.5%交纳"},
				{Over: decimal.NewFromInt(10_000_000), Unbounded: true, Rate: decimal.RequireFromString("0.001"), Text: "超过1000万元的部分，按照0.1%交纳"},
			},
		},
		preservation: FeeSchedule{
			Name:  "申请保全措施费",
			Basis: PreservationFeeBasis,
			Brackets: []FeeBracket{
				{Over: decimal.Zero, UpTo: decimal.NewFromInt(1_000), Fixed: decimal.NewFromInt(30), Text: "财产数额不超过1000元或者不涉及财产数额的，每件交纳30元"},
				{Over: decimal.NewFromInt(1_000), UpTo: decimal.NewFromInt(100_000), Rate: decimal.RequireFromString("0.01"), Text: "超过1000元至10万元的部分，按照1%交纳"},
				{Over: decimal.NewFromInt(100_000), Unbounded: true, Rate: decimal.RequireFromString("0.005"), Text: "超过10万元的部分，按照0.5%交纳"},
			},
			Cap:         decimal.NewFromInt(5_000),
			ZeroAllowed: true,
		},
	}
)

// ExecutionFeeSchedule returns the table of the application-for-enforcement
// fee on a sum of money (执行申请费, 《诉讼费用交纳办法》art 14(1)2). The
// result is a copy the caller may change.
func ExecutionFeeSchedule() FeeSchedule { return feeSchedules.execution.clone() }

// PreservationFeeSchedule returns the table of the preservation application
// fee (申请保全措施费, art 14(2)). The result is a copy the caller may change.
func PreservationFeeSchedule() FeeSchedule { return feeSchedules.preservation.clone() }

func (s FeeSchedule) clone() FeeSchedule {
	s.Brackets = append([]FeeBracket(nil), s.Brackets...)
	return s
}

// ExecutionFee returns the application-for-enforcement fee (执行申请费) on
// the sum to be enforced: 50 yuan up to 10,000 yuan, then 1.5%, 1%, 0.5% and
// 0.1% of the portions above 10,000, 500,000, 5,000,000 and 10,000,000 yuan.
// For example, 1,000,000 yuan gives 50 + 7,350 + 5,000 = 12,400 yuan.
//
// The amount must be positive with at most two decimal places (yuan and
// fen); otherwise the error is an *AmountError. A case without a sum of
// money is charged a fee the court picks, see [NonMonetaryExecutionFee].
// The fee is rounded to the fen, half up.
func ExecutionFee(amount decimal.Decimal) (decimal.Decimal, error) {
	return feeSchedules.execution.Fee(amount)
}

// ExecutionFeeBreakdown is like [ExecutionFee] but returns the computation
// bracket by bracket, for display.
func ExecutionFeeBreakdown(amount decimal.Decimal) (FeeBreakdown, error) {
	return feeSchedules.execution.Breakdown(amount)
}

// PreservationFee returns the preservation application fee (申请保全措施费):
// 30 yuan up to 1,000 yuan or when no sum is involved (amount zero), 1% of
// the portion from 1,000 to 100,000 yuan and 0.5% above, capped at 5,000
// yuan. Amount rules and rounding are those of [ExecutionFee].
func PreservationFee(amount decimal.Decimal) (decimal.Decimal, error) {
	return feeSchedules.preservation.Fee(amount)
}

// PreservationFeeBreakdown is like [PreservationFee] but returns the
// computation bracket by bracket.
func PreservationFeeBreakdown(amount decimal.Decimal) (FeeBreakdown, error) {
	return feeSchedules.preservation.Breakdown(amount)
}

// NonMonetaryExecutionFeeRange returns the range, 50 to 500 yuan per case,
// within which the court sets the fee of a case without a sum of money
// (《诉讼费用交纳办法》art 14(1)1, reference C1).
func NonMonetaryExecutionFeeRange() (lo, hi decimal.Decimal) { return yuan50, yuan500 }

// NonMonetaryExecutionFee checks the fee a court has chosen for a case
// without a sum of money and returns it rounded to two places. The statute
// leaves the figure to the court within 50 to 500 yuan (reference A12), so it
// is an input, not a computation. A fee outside the range or with more than
// two decimal places is an *AmountError.
func NonMonetaryExecutionFee(chosen decimal.Decimal) (decimal.Decimal, error) {
	const what = "non-monetary execution fee"
	if err := checkMoney(what, chosen); err != nil {
		return decimal.Decimal{}, err
	}
	if chosen.LessThan(yuan50) || chosen.GreaterThan(yuan500) {
		return decimal.Decimal{}, &AmountError{What: what, Amount: chosen, Reason: "outside 50 to 500 yuan"}
	}
	return chosen.Round(2), nil
}

// Fee returns the fee on amount under s, the Total of
// [FeeSchedule.Breakdown] computed without building the lines.
func (s FeeSchedule) Fee(amount decimal.Decimal) (decimal.Decimal, error) {
	if err := s.check(amount); err != nil {
		return decimal.Decimal{}, err
	}
	total := decimal.Zero
	for i, br := range s.Brackets {
		if i > 0 && amount.LessThanOrEqual(br.Over) {
			break
		}
		total = total.Add(br.lineFee(amount))
	}
	if s.Cap.IsPositive() && total.GreaterThan(s.Cap) {
		return s.Cap, nil
	}
	return total, nil
}

// lineFee returns the fee, rounded to the fen, on the part of amount that
// falls in br.
func (br FeeBracket) lineFee(amount decimal.Decimal) decimal.Decimal {
	return br.Fixed.Add(br.portion(amount).Mul(br.Rate)).Round(2)
}

func (br FeeBracket) portion(amount decimal.Decimal) decimal.Decimal {
	top := amount
	if !br.Unbounded && top.GreaterThan(br.UpTo) {
		top = br.UpTo
	}
	if p := top.Sub(br.Over); p.IsPositive() {
		return p
	}
	return decimal.Zero
}

func (s FeeSchedule) check(amount decimal.Decimal) error {
	what := s.Name + " base"
	if err := checkMoney(what, amount); err != nil {
		return err
	}
	if amount.IsZero() && !s.ZeroAllowed {
		return &AmountError{What: what, Amount: amount, Reason: "zero; a case without a sum of money has a fee set by the court"}
	}
	if len(s.Brackets) == 0 {
		return &AmountError{What: what, Amount: amount, Reason: "fee schedule has no brackets"}
	}
	return nil
}

// Breakdown computes the fee on amount under s, bracket by bracket.
//
// Each line is rounded to the fen, half up, and the total is the sum of the
// lines (capped). With the statutory tables every bracket below the one the
// amount ends in yields a whole number of fen, so rounding per line and
// rounding the exact total give the same figure.
func (s FeeSchedule) Breakdown(amount decimal.Decimal) (FeeBreakdown, error) {
	if err := s.check(amount); err != nil {
		return FeeBreakdown{}, err
	}
	out := FeeBreakdown{Name: s.Name, Basis: s.Basis, Amount: amount, Subtotal: decimal.Zero}
	for i, br := range s.Brackets {
		if i > 0 && amount.LessThanOrEqual(br.Over) {
			break
		}
		fee := br.lineFee(amount)
		out.Lines = append(out.Lines, FeeLine{Bracket: br, Portion: br.portion(amount), Fee: fee})
		out.Subtotal = out.Subtotal.Add(fee)
	}
	out.Total = out.Subtotal
	if s.Cap.IsPositive() && out.Subtotal.GreaterThan(s.Cap) {
		out.Capped, out.Total = true, s.Cap
	}
	return out, nil
}

// checkMoney reports a negative amount or one with more than two decimal
// places. Sub-fen amounts are rejected rather than rounded because a sum in
// a judgment or application is always stated to the fen; a third place
// means the figure was mistyped or computed with floats.
func checkMoney(what string, d decimal.Decimal) error {
	switch {
	case d.IsNegative():
		return &AmountError{What: what, Amount: d, Reason: "negative"}
	case !d.Equal(d.Round(2)):
		return &AmountError{What: what, Amount: d, Reason: "more than 2 decimal places"}
	}
	return nil
}
