package enforcement_test

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
)

func yuanOf(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestAllocatePayments(t *testing.T) {
	t.Parallel()
	debt := enforcement.JudgmentDebt{Costs: yuanOf("1000.00"), Interest: yuanOf("500.00"), Principal: yuanOf("10000.00")}
	tests := []struct {
		name     string
		source   string
		payments []enforcement.Payment
		// want per payment: costs, interest, principal, doubled part.
		want      [][4]string
		principal []string
	}{
		{"CostsFirst", "Civil Code art. 561(1)", []enforcement.Payment{{Date: ymd(2024, 5, 1), Amount: yuanOf("800.00")}},
			[][4]string{{"800", "0", "0", "0"}}, nil},
		{"ThenInterestThenPrincipal", "Civil Code art. 561(2)–(3)", []enforcement.Payment{{Date: ymd(2024, 5, 1), Amount: yuanOf("2000.00")}},
			[][4]string{{"1000", "500", "500", "0"}}, []string{"500"}},
		{"SurplusToDoubledInterestLast", "法释〔2014〕8号 art. 4", []enforcement.Payment{
			{Date: ymd(2024, 6, 1), Amount: yuanOf("12000.00")}, {Date: ymd(2024, 5, 1), Amount: yuanOf("1000.00")}},
			[][4]string{{"1000", "0", "0", "0"}, {"0", "500", "10000", "1500"}}, []string{"11500"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := enforcement.AllocatePayments(debt, tt.payments)
			require.NoError(t, err)
			require.Len(t, a.Splits, len(tt.want))
			for i, w := range tt.want {
				s := a.Splits[i]
				got := [4]string{s.ToCosts.String(), s.ToInterest.String(), s.ToPrincipal.String(), s.ToDelayDouble.String()}
				require.Equal(t, w, got, tt.source)
			}
			var ps []string
			for _, p := range a.Principal {
				ps = append(ps, p.Amount.String())
			}
			require.Equal(t, tt.principal, ps, tt.source)
		})
	}
	t.Run("Invalid", func(t *testing.T) {
		t.Parallel()
		_, err := enforcement.AllocatePayments(enforcement.JudgmentDebt{Costs: yuanOf("-1")}, []enforcement.Payment{{Amount: yuanOf("0.001")}})
		require.ErrorIs(t, err, enforcement.ErrInvalid)
	})
}

// 法释〔2014〕8号 art. 7: the 1.75‱ rate applies from 2014-08-01; earlier
// delay follows 法释〔2009〕6号 and is never charged at 1.75‱.
func TestDelayInterest_BeforeInterpretation(t *testing.T) {
	t.Parallel()
	in := enforcement.InterestInput{
		Instalments: []enforcement.Instalment{{Due: ymd(2014, 7, 21), Principal: yuanOf("10000.00")}},
		AsOf:        ymd(2014, 8, 10),
	}
	_, err := enforcement.DelayInterest(in)
	var be *enforcement.BeforeInterpretationError
	require.ErrorAs(t, err, &be)
	require.ErrorIs(t, err, enforcement.ErrBeforeInterpretation)
	require.Equal(t, ymd(2014, 7, 22), be.From)
	require.Equal(t, enforcement.InterestInForce, be.InForce)

	in.FromInForce = true
	r, err := enforcement.DelayInterest(in)
	require.NoError(t, err)
	require.Len(t, r.Lines, 1)
	// 2014-07-22..07-31 are 10 days left to the 2009 reply; 08-01..08-10
	// are 10 days at 1.75‱: 10,000 × 0.000175 × 10 = 17.50.
	require.Equal(t, 10, r.Lines[0].BeforeInForceDays)
	require.Equal(t, 10, r.Lines[0].Days)
	require.Equal(t, ymd(2014, 8, 1), r.Lines[0].From)
	require.Equal(t, "17.5", r.Total.String())

	t.Run("PaidBeforeInForce", func(t *testing.T) {
		t.Parallel()
		r, err := enforcement.DelayInterest(enforcement.InterestInput{
			Instalments: []enforcement.Instalment{{Due: ymd(2014, 7, 1), Principal: yuanOf("100.00")}},
			Payments:    []enforcement.Payment{{Date: ymd(2014, 7, 11), Amount: yuanOf("100.00")}},
			AsOf:        ymd(2014, 9, 1), FromInForce: true,
		})
		require.NoError(t, err)
		require.Equal(t, 10, r.Lines[0].BeforeInForceDays)
		require.Equal(t, 0, r.Lines[0].Days)
		require.True(t, r.Total.IsZero())
	})
	t.Run("OnInForceIsCharged", func(t *testing.T) {
		t.Parallel()
		r, err := enforcement.DelayInterest(enforcement.InterestInput{
			Instalments: []enforcement.Instalment{{Due: ymd(2014, 7, 31), Principal: yuanOf("100.00")}},
			AsOf:        ymd(2014, 8, 1),
		})
		require.NoError(t, err)
		require.Equal(t, 1, r.Lines[0].Days)
	})
}
