package enforcement

import "github.com/shopspring/decimal"

// recoveryPlaces is the precision of a recovery ratio: 0.1234 is 12.34%.
const recoveryPlaces = 4

// Amounts are the sums of one case, or of any group of cases, that a
// recovery ratio (执行到位率) is computed from.
type Amounts struct {
	Applied   decimal.Decimal // sum applied for (申请执行标的额), yuan
	Recovered decimal.Decimal // sum recovered (执行到位金额), yuan
}

// Add returns the element-wise sum of a and b.
func (a Amounts) Add(b Amounts) Amounts {
	return Amounts{Applied: a.Applied.Add(b.Applied), Recovered: a.Recovered.Add(b.Recovered)}
}

// RecoveryRatio returns the recovery ratio (执行到位率) of the given cases:
// the sum recovered divided by the sum applied for, rounded to 4 decimal
// places half up (0.1234 is 12.34%).
//
// Over several cases it is the ratio of the sums, not the mean of the
// per-case ratios, so a 10-million-yuan case weighs more than a 1,000-yuan
// one, as in the courts' statistics. The ratio may exceed 1 when more than
// the principal was recovered (interest, costs).
//
// ok is false when the ratio is undefined: nothing was applied for (the sum
// is zero, as for non-monetary cases), or an amount is negative. The ratio
// is then zero.
func RecoveryRatio(a ...Amounts) (ratio decimal.Decimal, ok bool) {
	var sum Amounts
	for _, x := range a {
		if x.Applied.IsNegative() || x.Recovered.IsNegative() {
			return decimal.Zero, false
		}
		sum = sum.Add(x)
	}
	if !sum.Applied.IsPositive() {
		return decimal.Zero, false
	}
	// DivRound rounds half away from zero; the quotient is non-negative.
	return sum.Recovered.DivRound(sum.Applied, recoveryPlaces), true
}

// RecoverySummary is the recovery figure of a group of cases, such as one
// judge's or one court's.
type RecoverySummary struct {
	Cases  int     // number of cases in the group
	Totals Amounts // sums over the group
	Ratio  decimal.Decimal
	OK     bool // Ratio is defined; see RecoveryRatio
}

// RecoveryBy groups items by key and returns each group's recovery summary,
// e.g. per judge or per court:
//
//	byJudge := enforcement.RecoveryBy(cases,
//		func(c *enforcement.Case) string { return c.JudgeID },
//		func(c *enforcement.Case) enforcement.Amounts { return enforcement.Amounts{Applied: c.AmountApplied, Recovered: c.AmountRecovered} })
//
// A group with a negative amount, or with nothing applied for, has OK false.
func RecoveryBy[T any, K comparable](items []T, key func(T) K, amounts func(T) Amounts) map[K]RecoverySummary {
	type acc struct {
		n       int
		sum     Amounts
		invalid bool
	}
	groups := make(map[K]*acc)
	for _, it := range items {
		k, a := key(it), amounts(it)
		g := groups[k]
		if g == nil {
			g = &acc{sum: Amounts{Applied: decimal.Zero, Recovered: decimal.Zero}}
			groups[k] = g
		}
		g.n++
		g.sum = g.sum.Add(a)
		if a.Applied.IsNegative() || a.Recovered.IsNegative() {
			g.invalid = true
		}
	}
	out := make(map[K]RecoverySummary, len(groups))
	for k, g := range groups {
		s := RecoverySummary{Cases: g.n, Totals: g.sum, Ratio: decimal.Zero}
		if !g.invalid {
			s.Ratio, s.OK = RecoveryRatio(g.sum)
		}
		out[k] = s
	}
	return out
}
