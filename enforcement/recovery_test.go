package enforcement_test

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
)

func amounts(applied, recovered string) enforcement.Amounts {
	return enforcement.Amounts{Applied: yuan(applied), Recovered: yuan(recovered)}
}

func TestRecoveryRatio(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []enforcement.Amounts
		want string
		ok   bool
	}{
		{"one case fully recovered", []enforcement.Amounts{amounts("1000", "1000")}, "1", true},
		{"one case a third recovered", []enforcement.Amounts{amounts("3", "1")}, "0.3333", true},
		{"two thirds rounds up", []enforcement.Amounts{amounts("3", "2")}, "0.6667", true},
		{"half of the last place rounds up", []enforcement.Amounts{amounts("20000", "1")}, "0.0001", true}, // 0.00005
		{"nothing recovered", []enforcement.Amounts{amounts("500", "0")}, "0", true},
		{"more than applied", []enforcement.Amounts{amounts("100", "110")}, "1.1", true},
		{"sum of recovered over sum of applied, not mean of ratios",
			[]enforcement.Amounts{amounts("1000000", "0"), amounts("1000", "1000")}, "0.001", true}, // mean of ratios would be 0.5
		{"non-monetary case alongside a monetary one", []enforcement.Amounts{amounts("0", "0"), amounts("200", "50")}, "0.25", true},
		{"no cases", nil, "0", false},
		{"nothing applied for", []enforcement.Amounts{amounts("0", "0")}, "0", false},
		{"zero value amounts", []enforcement.Amounts{{}}, "0", false},
		{"negative applied", []enforcement.Amounts{amounts("-1", "0"), amounts("100", "10")}, "0", false},
		{"negative recovered", []enforcement.Amounts{amounts("100", "-1")}, "0", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := enforcement.RecoveryRatio(tt.in...)
			require.Equal(t, tt.ok, ok)
			require.True(t, yuan(tt.want).Equal(got), "ratio %s, want %s", got, tt.want)
		})
	}
}

func TestRecoveryBy(t *testing.T) {
	t.Parallel()
	type row struct {
		judge string
		a     enforcement.Amounts
	}
	rows := []row{
		{"王", amounts("1000", "500")},
		{"王", amounts("3000", "0")},
		{"李", amounts("0", "0")},
		{"张", amounts("100", "100")},
		{"张", amounts("-5", "0")},
	}
	got := enforcement.RecoveryBy(rows, func(r row) string { return r.judge }, func(r row) enforcement.Amounts { return r.a })
	require.Len(t, got, 3)

	w := got["王"]
	require.Equal(t, 2, w.Cases)
	require.True(t, w.OK)
	require.True(t, yuan("0.125").Equal(w.Ratio))
	require.True(t, yuan("4000").Equal(w.Totals.Applied))
	require.True(t, yuan("500").Equal(w.Totals.Recovered))

	require.False(t, got["李"].OK)
	require.Equal(t, 1, got["李"].Cases)
	require.False(t, got["张"].OK)
	require.True(t, got["张"].Ratio.IsZero())

	require.Empty(t, enforcement.RecoveryBy(nil, func(r row) string { return r.judge }, func(r row) enforcement.Amounts { return r.a }))
}

func TestRecoveryRatio_Properties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(0xdead1337, 3))
	for range 2000 {
		n := 1 + rng.IntN(5)
		in := make([]enforcement.Amounts, n)
		for i := range in {
			applied := rng.Int64N(10_000_000_00)
			in[i] = enforcement.Amounts{Applied: decimal.New(applied, -2), Recovered: decimal.New(rng.Int64N(applied+1), -2)}
		}
		r, ok := enforcement.RecoveryRatio(in...)
		if !ok {
			continue
		}
		// Never recovered more than applied here, so the ratio is in [0, 1];
		// and the order of the cases does not matter.
		require.False(t, r.IsNegative())
		require.True(t, r.LessThanOrEqual(yuan("1")))
		require.LessOrEqual(t, -r.Exponent(), int32(4))
		rng.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
		r2, ok2 := enforcement.RecoveryRatio(in...)
		require.True(t, ok2)
		require.True(t, r.Equal(r2))
	}
}
