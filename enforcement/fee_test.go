package enforcement_test

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
)

func yuan(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestExecutionFee(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		amount string
		want   string
	}{
		{"C2 smallest sum", "0.01", "50"},
		{"C2 just under 10,000", "9999.99", "50"},
		{"C2 at 10,000", "10000", "50"},
		{"C2 one fen over 10,000", "10000.01", "50"},
		{"C2 1.5% of 0.34 rounds up to a fen", "10000.34", "50.01"},
		{"C2 1.5% of 0.33 rounds down", "10000.33", "50"},
		{"C2 100,000", "100000", "1400"},
		{"C2 just under 500,000 rounds to the same fen", "499999.99", "7400"},
		{"C2 1.5% of 489,999.66 is 7,349.9949", "499999.66", "7399.99"},
		{"C2 at 500,000", "500000", "7400"},
		{"C2 1% of 0.49 rounds down", "500000.49", "7400"},
		{"C2 1% of 0.50 is half a fen, rounds up", "500000.50", "7400.01"},
		{"C2 worked example 1,000,000", "1000000", "12400"},
		{"C2 at 5,000,000", "5000000", "52400"},
		{"C2 0.5% of 1 is half a fen, rounds up", "5000001", "52400.01"},
		{"C2 at 10,000,000", "10000000", "77400"},
		{"C2 0.1% of 4.99 rounds down", "10000004.99", "77400"},
		{"C2 0.1% of 5 is half a fen, rounds up", "10000005", "77400.01"},
		{"C2 100,000,000", "100000000", "167400"},
		{"C2 trailing zero place is fine", "1000000.000", "12400"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := enforcement.ExecutionFee(yuan(tt.amount))
			require.NoError(t, err)
			require.True(t, yuan(tt.want).Equal(got), "ExecutionFee(%s) = %s, want %s", tt.amount, got, tt.want)
		})
	}
}

func TestExecutionFee_Invalid(t *testing.T) {
	t.Parallel()
	for _, amount := range []string{"-0.01", "-100", "0", "100.001", "12345.678"} {
		t.Run(amount, func(t *testing.T) {
			t.Parallel()
			got, err := enforcement.ExecutionFee(yuan(amount))
			require.ErrorIs(t, err, enforcement.ErrInvalidAmount)
			require.ErrorIs(t, err, enforcement.ErrInvalid)
			var ae *enforcement.AmountError
			require.ErrorAs(t, err, &ae)
			require.True(t, yuan(amount).Equal(ae.Amount))
			require.NotEmpty(t, ae.Reason)
			require.True(t, got.IsZero())
		})
	}
}

func TestExecutionFeeBreakdown(t *testing.T) {
	t.Parallel()
	b, err := enforcement.ExecutionFeeBreakdown(yuan("1000000"))
	require.NoError(t, err)
	require.Equal(t, enforcement.ExecutionFeeBasis, b.Basis)
	require.Equal(t, "《诉讼费用交纳办法》第十四条第一项", b.Basis)
	require.Len(t, b.Lines, 3)
	wantPortions := []string{"10000", "490000", "500000"}
	wantFees := []string{"50", "7350", "5000"}
	for i, l := range b.Lines {
		require.True(t, yuan(wantPortions[i]).Equal(l.Portion), "line %d portion %s", i, l.Portion)
		require.True(t, yuan(wantFees[i]).Equal(l.Fee), "line %d fee %s", i, l.Fee)
		require.NotEmpty(t, l.Bracket.Text)
	}
	require.False(t, b.Capped)
	require.True(t, yuan("12400").Equal(b.Total))

	b, err = enforcement.ExecutionFeeBreakdown(yuan("500"))
	require.NoError(t, err)
	require.Len(t, b.Lines, 1)
	require.True(t, yuan("500").Equal(b.Lines[0].Portion))

	// The exported schedule is a copy.
	s := enforcement.ExecutionFeeSchedule()
	s.Brackets[0].Fixed = yuan("1")
	got, err := enforcement.ExecutionFee(yuan("100"))
	require.NoError(t, err)
	require.True(t, yuan("50").Equal(got))
	require.Len(t, enforcement.ExecutionFeeSchedule().Brackets, 5)
}

func TestPreservationFee(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		amount string
		want   string
		capped bool
	}{
		{"C4 no sum involved", "0", "30", false},
		{"C4 at 1,000", "1000", "30", false},
		{"C4 one fen over 1,000", "1000.01", "30", false},
		{"C4 1% of 50", "1050", "30.5", false},
		{"C4 1% of 0.50 is half a fen, rounds up", "1000.50", "30.01", false},
		{"C4 at 100,000", "100000", "1020", false},
		{"C4 200,000", "200000", "1520", false},
		{"C4 cap reached exactly at 896,000", "896000", "5000", false},
		{"C4 over the cap", "896002", "5000", true},
		{"C4 10,000,000 capped", "10000000", "5000", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := enforcement.PreservationFee(yuan(tt.amount))
			require.NoError(t, err)
			require.True(t, yuan(tt.want).Equal(got), "PreservationFee(%s) = %s, want %s", tt.amount, got, tt.want)
			b, err := enforcement.PreservationFeeBreakdown(yuan(tt.amount))
			require.NoError(t, err)
			require.Equal(t, tt.capped, b.Capped)
			require.Equal(t, enforcement.PreservationFeeBasis, b.Basis)
		})
	}
	_, err := enforcement.PreservationFee(yuan("-1"))
	require.ErrorIs(t, err, enforcement.ErrInvalidAmount)
}

func TestNonMonetaryExecutionFee(t *testing.T) {
	t.Parallel()
	lo, hi := enforcement.NonMonetaryExecutionFeeRange()
	require.True(t, yuan("50").Equal(lo))
	require.True(t, yuan("500").Equal(hi))
	for _, ok := range []string{"50", "200", "500", "99.99"} {
		got, err := enforcement.NonMonetaryExecutionFee(yuan(ok))
		require.NoError(t, err, ok)
		require.True(t, yuan(ok).Equal(got))
	}
	for _, bad := range []string{"49.99", "500.01", "0", "-50", "100.001"} {
		_, err := enforcement.NonMonetaryExecutionFee(yuan(bad))
		require.ErrorIs(t, err, enforcement.ErrInvalidAmount, bad)
	}
}

// executionFeeOracle is the statute's table written as closed forms per
// bracket, independent of the bracket loop.
func executionFeeOracle(a decimal.Decimal) decimal.Decimal {
	var f decimal.Decimal
	switch {
	case a.LessThanOrEqual(yuan("10000")):
		f = yuan("50")
	case a.LessThanOrEqual(yuan("500000")):
		f = yuan("50").Add(a.Sub(yuan("10000")).Mul(yuan("0.015")))
	case a.LessThanOrEqual(yuan("5000000")):
		f = yuan("7400").Add(a.Sub(yuan("500000")).Mul(yuan("0.01")))
	case a.LessThanOrEqual(yuan("10000000")):
		f = yuan("52400").Add(a.Sub(yuan("5000000")).Mul(yuan("0.005")))
	default:
		f = yuan("77400").Add(a.Sub(yuan("10000000")).Mul(yuan("0.001")))
	}
	return f.Round(2)
}

func TestExecutionFee_Properties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(0xdead1337, 0))
	thresholds := []int64{1_000_000, 50_000_000, 500_000_000, 1_000_000_000} // in fen
	fen := yuan("0.01")
	randomAmount := func() decimal.Decimal {
		var f int64
		switch rng.IntN(3) {
		case 0: // near a threshold
			f = thresholds[rng.IntN(len(thresholds))] + rng.Int64N(2001) - 1000
		case 1: // up to 20 million yuan
			f = rng.Int64N(2_000_000_000)
		default: // up to 10 billion yuan
			f = rng.Int64N(1_000_000_000_000)
		}
		return decimal.New(max(f, 1), -2)
	}
	for range 5000 {
		a := randomAmount()
		fa, err := enforcement.ExecutionFee(a)
		require.NoError(t, err)
		require.True(t, executionFeeOracle(a).Equal(fa), "fee(%s) = %s, oracle %s", a, fa, executionFeeOracle(a))

		// Monotone: a larger amount never costs less.
		b := a.Add(decimal.New(rng.Int64N(1_000_000), -2))
		fb, err := enforcement.ExecutionFee(b)
		require.NoError(t, err)
		require.True(t, fb.GreaterThanOrEqual(fa), "fee(%s) = %s < fee(%s) = %s", b, fb, a, fa)

		// Continuous: one more fen adds at most one fen (the top rate is 1.5%).
		fn, err := enforcement.ExecutionFee(a.Add(fen))
		require.NoError(t, err)
		require.True(t, fn.Sub(fa).LessThanOrEqual(fen), "fee jumps from %s to %s at %s", fa, fn, a)

		// Bounds: at least 50 and 0.1%, never more than the sum once it is 50 or more.
		require.True(t, fa.GreaterThanOrEqual(yuan("50")))
		require.True(t, fa.GreaterThanOrEqual(a.Mul(yuan("0.001")).Round(2)))
		if a.GreaterThanOrEqual(yuan("50")) {
			require.True(t, fa.LessThanOrEqual(a), "fee %s exceeds amount %s", fa, a)
		}
	}
}

func TestPreservationFee_Properties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(0xdead1337, 1))
	for range 3000 {
		a := decimal.New(rng.Int64N(200_000_000), -2)
		fa, err := enforcement.PreservationFee(a)
		require.NoError(t, err)
		b := a.Add(decimal.New(rng.Int64N(10_000_000), -2))
		fb, err := enforcement.PreservationFee(b)
		require.NoError(t, err)
		require.True(t, fb.GreaterThanOrEqual(fa))
		require.True(t, fa.GreaterThanOrEqual(yuan("30")))
		require.True(t, fa.LessThanOrEqual(yuan("5000")))
	}
}

func BenchmarkExecutionFee(b *testing.B) {
	amount := yuan("1234567.89")
	var baseNs float64
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = executionFeeOracle(amount)
		}
		baseNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("zhixing", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := enforcement.ExecutionFee(amount); err != nil {
				b.Fatal(err)
			}
		}
		ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		if baseNs > 0 {
			b.ReportMetric(baseNs/ns, "x-vs-baseline")
		}
	})
}
