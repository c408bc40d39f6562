package enforcement

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"
)

// AllocationBasis is the legal basis of the order in which payments are
// applied to a judgment debt and to the doubled delay interest.
const AllocationBasis = "《中华人民共和国民法典》第五百六十一条；《最高人民法院关于执行程序中计算迟延履行期间的债务利息适用法律若干问题的解释》（法释〔2014〕8号）第四条"

// JudgmentDebt is the money debt an enforceable instrument fixes, by kind:
// the costs it orders the respondent to bear (实现债权的有关费用: litigation
// and enforcement fees and the like), the ordinary interest it awards
// (一般债务利息, as computed under the instrument up to the day considered)
// and the principal (主债务).
type JudgmentDebt struct {
	Costs     decimal.Decimal
	Interest  decimal.Decimal
	Principal decimal.Decimal
}

// PaymentSplit is how one gross payment was applied.
type PaymentSplit struct {
	Payment       Payment
	ToCosts       decimal.Decimal
	ToInterest    decimal.Decimal
	ToPrincipal   decimal.Decimal
	ToDelayDouble decimal.Decimal // beyond the judgment debt: to the doubled delay interest and any surplus
}

// Allocation is the result of [AllocatePayments].
type Allocation struct {
	Splits []PaymentSplit
	// Outstanding is what remains of the judgment debt, by kind.
	Outstanding JudgmentDebt
	// Principal are the payments as [DelayInterest] takes them: the part of
	// each payment applied to principal, then the part beyond the judgment
	// debt, which DelayInterest applies to the doubled interest. Parts that
	// went to costs or ordinary interest are left out, since they do not
	// stop the doubled interest on the principal.
	Principal []Payment
	Basis     string
}

// AllocatePayments applies gross payments, earliest first, to the judgment
// debt in the order of Civil Code art. 561 (costs, then ordinary interest,
// then principal), and only what is left over to the doubled delay
// interest (法释〔2014〕8号 art. 4: the judgment debt is paid before the
// doubled interest, unless the parties agreed otherwise). Feed
// Allocation.Principal to [DelayInterest] as its Payments: passing gross
// payments there directly treats every yuan as principal and understates
// the interest. Amounts are yuan with at most 2 decimal places; an invalid
// input is a *ValidationError matching ErrInvalid.
func AllocatePayments(debt JudgmentDebt, payments []Payment) (Allocation, error) {
	var fs []FieldError
	for f, d := range map[string]decimal.Decimal{"costs": debt.Costs, "interest": debt.Interest, "principal": debt.Principal} {
		if d.IsNegative() || !d.Equal(d.Round(2)) {
			fs = append(fs, FieldError{Field: f, Code: "invalid_amount", Detail: d.String()})
		}
	}
	for i, p := range payments {
		if !p.Date.IsValid() {
			fs = append(fs, FieldError{Field: fmt.Sprintf("payments[%d].date", i), Code: "invalid_date", Detail: p.Date.String()})
		}
		if !p.Amount.IsPositive() || !p.Amount.Equal(p.Amount.Round(2)) {
			fs = append(fs, FieldError{Field: fmt.Sprintf("payments[%d].amount", i), Code: "invalid_amount", Detail: p.Amount.String()})
		}
	}
	if len(fs) > 0 {
		slices.SortFunc(fs, func(a, b FieldError) int {
			if a.Field < b.Field {
				return -1
			}
			if a.Field > b.Field {
				return 1
			}
			return 0
		})
		return Allocation{}, &ValidationError{What: "allocation", Fields: fs}
	}
	ps := slices.Clone(payments)
	slices.SortStableFunc(ps, func(a, b Payment) int { return a.Date.Compare(b.Date) })
	out := Allocation{Outstanding: debt, Basis: AllocationBasis}
	take := func(rest *decimal.Decimal, owed *decimal.Decimal) decimal.Decimal {
		x := decimal.Min(*rest, *owed)
		*rest, *owed = rest.Sub(x), owed.Sub(x)
		return x
	}
	for _, p := range ps {
		rest := p.Amount
		s := PaymentSplit{Payment: p}
		s.ToCosts = take(&rest, &out.Outstanding.Costs)
		s.ToInterest = take(&rest, &out.Outstanding.Interest)
		s.ToPrincipal = take(&rest, &out.Outstanding.Principal)
		s.ToDelayDouble = rest
		out.Splits = append(out.Splits, s)
		if x := s.ToPrincipal.Add(s.ToDelayDouble); x.IsPositive() {
			out.Principal = append(out.Principal, Payment{Date: p.Date, Amount: x})
		}
	}
	return out, nil
}
