package enforcement_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

func dayOf(y int, m time.Month, day int) deadline.Date {
	return deadline.Date{Year: y, Month: m, Day: day}
}

func TestDelayInterest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    enforcement.InterestInput
		total string
		lines int
	}{
		{
			name: "A11 paid in full 60 days late",
			in: enforcement.InterestInput{
				Instalments: []enforcement.Instalment{{Due: dayOf(2024, 1, 10), Principal: yuan("100000")}},
				Payments:    []enforcement.Payment{{Date: dayOf(2024, 3, 10), Amount: yuan("100000")}},
				AsOf:        dayOf(2024, 3, 10),
			},
			total: "1050", lines: 1,
		},
		{
			name: "I3 start day excluded, one day unpaid",
			in: enforcement.InterestInput{
				Instalments: []enforcement.Instalment{{Due: dayOf(2024, 1, 10), Principal: yuan("100000")}},
				AsOf:        dayOf(2024, 1, 11),
			},
			total: "17.5", lines: 1,
		},
		{
			name: "I3 nothing accrues on the due date",
			in: enforcement.InterestInput{
				Instalments: []enforcement.Instalment{{Due: dayOf(2024, 1, 10), Principal: yuan("100000")}},
				AsOf:        dayOf(2024, 1, 10),
			},
			total: "0", lines: 0,
		},
		{
			name: "I4 partial payments stop accrual on the paid part",
			in: enforcement.InterestInput{
				Instalments: []enforcement.Instalment{{Due: dayOf(2024, 1, 10), Principal: yuan("100000")}},
				Payments: []enforcement.Payment{
					{Date: dayOf(2024, 3, 10), Amount: yuan("60000")}, // 60 days on 60,000 = 630
					{Date: dayOf(2024, 2, 9), Amount: yuan("40000")},  // 30 days on 40,000 = 210
				},
				AsOf: dayOf(2024, 3, 31),
			},
			total: "840", lines: 2,
		},
		{
			name: "I4 payment on or before the due date carries no interest",
			in: enforcement.InterestInput{
				Instalments: []enforcement.Instalment{{Due: dayOf(2024, 1, 10), Principal: yuan("100000")}},
				Payments: []enforcement.Payment{
					{Date: dayOf(2024, 1, 5), Amount: yuan("50000")},
					{Date: dayOf(2024, 1, 10), Amount: yuan("50000")},
				},
				AsOf: dayOf(2024, 6, 30),
			},
			total: "0", lines: 0,
		},
		{
			name: "I3 each instalment from its own expiry",
			in: enforcement.InterestInput{
				Instalments: []enforcement.Instalment{
					{Due: dayOf(2024, 2, 29), Principal: yuan("50000")}, // 31 days × 8.75 = 271.25
					{Due: dayOf(2024, 1, 31), Principal: yuan("50000")}, // 60 days × 8.75 = 525
				},
				AsOf: dayOf(2024, 3, 31),
			},
			total: "796.25", lines: 2,
		},
		{
			name: "I6 payment goes to the earliest instalment, the rest prepays the next",
			in: enforcement.InterestInput{
				Instalments: []enforcement.Instalment{
					{Due: dayOf(2024, 2, 29), Principal: yuan("50000")}, // 20,000 prepaid; 30,000 × 31 days = 162.75
					{Due: dayOf(2024, 1, 31), Principal: yuan("50000")}, // paid 2024-02-10: 10 days × 8.75 = 87.5
				},
				Payments: []enforcement.Payment{{Date: dayOf(2024, 2, 10), Amount: yuan("70000")}},
				AsOf:     dayOf(2024, 3, 31),
			},
			total: "250.25", lines: 2,
		},
		{
			name: "I5 overlapping exclusions count once",
			in: enforcement.InterestInput{
				Instalments: []enforcement.Instalment{{Due: dayOf(2024, 1, 10), Principal: yuan("100000")}},
				Payments:    []enforcement.Payment{{Date: dayOf(2024, 3, 10), Amount: yuan("100000")}},
				Excluded: []deadline.Interval{
					{From: dayOf(2024, 2, 5), To: dayOf(2024, 2, 15)},
					{From: dayOf(2024, 2, 1), To: dayOf(2024, 2, 10)},
					{From: dayOf(2024, 1, 1), To: dayOf(2024, 1, 10)}, // before accrual starts
				},
				AsOf: dayOf(2024, 3, 10),
			},
			total: "787.5", lines: 1, // (60 - 15) days × 17.5
		},
		{
			name: "A11 total rounded once, not per tranche",
			in: enforcement.InterestInput{
				Instalments: []enforcement.Instalment{
					{Due: dayOf(2024, 1, 10), Principal: yuan("80")}, // 0.014
					{Due: dayOf(2024, 1, 10), Principal: yuan("80")}, // 0.014
				},
				AsOf: dayOf(2024, 1, 11),
			},
			total: "0.03", lines: 2,
		},
		{
			name: "A11 half a fen rounds up",
			in: enforcement.InterestInput{
				Instalments: []enforcement.Instalment{{Due: dayOf(2024, 1, 10), Principal: yuan("600")}}, // 0.105
				AsOf:        dayOf(2024, 1, 11),
			},
			total: "0.11", lines: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := enforcement.DelayInterest(tt.in)
			require.NoError(t, err)
			require.True(t, yuan(tt.total).Equal(got.Total), "total %s, want %s", got.Total, tt.total)
			require.Len(t, got.Lines, tt.lines)
			require.Equal(t, enforcement.DelayInterestBasis, got.Basis)
			sum := decimal.Zero
			for _, l := range got.Lines {
				due := tt.in.Instalments[l.Instalment].Due
				require.Equal(t, due.AddDays(1), l.From)
				require.Equal(t, l.To.Sub(due)-l.ExcludedDays, l.Days)
				require.True(t, l.Principal.Mul(yuan("0.000175")).Mul(decimal.NewFromInt(int64(l.Days))).Equal(l.Interest))
				sum = sum.Add(l.Interest)
			}
			require.True(t, sum.Equal(got.Exact))
		})
	}
}

func TestDelayInterest_Lines(t *testing.T) {
	t.Parallel()
	got, err := enforcement.DelayInterest(enforcement.InterestInput{
		Instalments: []enforcement.Instalment{{Due: dayOf(2024, 1, 10), Principal: yuan("100000")}},
		Payments: []enforcement.Payment{
			{Date: dayOf(2024, 2, 9), Amount: yuan("30000")},
			{Date: dayOf(2024, 2, 9), Amount: yuan("10000")}, // same day: one tranche
		},
		Excluded: []deadline.Interval{{From: dayOf(2024, 3, 1), To: dayOf(2024, 3, 5)}},
		AsOf:     dayOf(2024, 3, 31),
	})
	require.NoError(t, err)
	require.Equal(t, []enforcement.InterestLine{
		{Instalment: 0, From: dayOf(2024, 1, 11), To: dayOf(2024, 2, 9), Days: 30, Principal: yuan("40000"), Interest: got.Lines[0].Interest, Paid: true},
		{Instalment: 0, From: dayOf(2024, 1, 11), To: dayOf(2024, 3, 31), Days: 76, ExcludedDays: 5, Principal: yuan("60000"), Interest: got.Lines[1].Interest},
	}, got.Lines)
	require.True(t, yuan("210").Equal(got.Lines[0].Interest))
	require.True(t, yuan("798").Equal(got.Lines[1].Interest)) // 10.5 × 76
	require.True(t, yuan("1008").Equal(got.Total))
	require.True(t, yuan("60000").Equal(got.PrincipalOutstanding))
	require.True(t, yuan("1008").Equal(got.InterestOutstanding))
	require.True(t, got.PaidToInterest.IsZero())
}

func TestDelayInterest_Surplus(t *testing.T) {
	t.Parallel()
	// I6: principal first; what is left goes to the doubled interest.
	in := enforcement.InterestInput{
		Instalments: []enforcement.Instalment{{Due: dayOf(2024, 1, 10), Principal: yuan("100000")}},
		Payments:    []enforcement.Payment{{Date: dayOf(2024, 3, 10), Amount: yuan("100500")}},
		AsOf:        dayOf(2024, 4, 30),
	}
	got, err := enforcement.DelayInterest(in)
	require.NoError(t, err)
	require.True(t, yuan("1050").Equal(got.Total))
	require.True(t, got.PrincipalOutstanding.IsZero())
	require.True(t, yuan("500").Equal(got.PaidToInterest))
	require.True(t, yuan("550").Equal(got.InterestOutstanding))
	require.True(t, got.Overpaid.IsZero())

	in.Payments = append(in.Payments, enforcement.Payment{Date: dayOf(2024, 4, 1), Amount: yuan("600")})
	got, err = enforcement.DelayInterest(in)
	require.NoError(t, err)
	require.True(t, yuan("1050").Equal(got.PaidToInterest))
	require.True(t, got.InterestOutstanding.IsZero())
	require.True(t, yuan("50").Equal(got.Overpaid))
}

func TestDelayInterest_Invalid(t *testing.T) {
	t.Parallel()
	in := enforcement.InterestInput{
		Instalments: []enforcement.Instalment{
			{Due: dayOf(2024, 1, 10), Principal: yuan("-1")},
			{Due: deadline.Date{}, Principal: yuan("1.005")},
			{Due: dayOf(2024, 2, 30), Principal: yuan("10")},
		},
		Payments: []enforcement.Payment{
			{Date: dayOf(2024, 5, 1), Amount: yuan("0")},
		},
		Excluded: []deadline.Interval{{From: dayOf(2024, 2, 10), To: dayOf(2024, 2, 1)}},
		AsOf:     dayOf(2024, 1, 5),
	}
	got, err := enforcement.DelayInterest(in)
	require.ErrorIs(t, err, enforcement.ErrInvalid)
	require.Zero(t, got.Lines)
	var ve *enforcement.ValidationError
	require.ErrorAs(t, err, &ve)
	var fields []string
	for _, f := range ve.Fields {
		fields = append(fields, f.Field+" "+f.Code)
	}
	require.ElementsMatch(t, []string{
		"instalments[0].principal not_positive",
		"instalments[1].due required",
		"instalments[1].principal too_precise",
		"instalments[2].due invalid_date",
		"as_of before_due",
		"payments[0].date after_as_of",
		"payments[0].amount not_positive",
		"excluded[0] reversed",
	}, fields)

	_, err = enforcement.DelayInterest(enforcement.InterestInput{})
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Fields, 2) // as_of and instalments
}

// interestOracle computes the exact doubled interest day by day: on each
// counted day, every instalment past its due date accrues on what was still
// unpaid at the start of that day (a payment day is itself counted).
// Payments are allocated to the earliest instalment first.
func interestOracle(in enforcement.InterestInput) decimal.Decimal {
	type inst struct {
		due  deadline.Date
		owed decimal.Decimal
	}
	insts := make([]inst, len(in.Instalments))
	for i, x := range in.Instalments {
		insts[i] = inst{x.Due, x.Principal}
	}
	slices.SortStableFunc(insts, func(a, b inst) int { return a.due.Compare(b.due) })
	pays := slices.Clone(in.Payments)
	slices.SortStableFunc(pays, func(a, b enforcement.Payment) int { return a.Date.Compare(b.Date) })
	excluded := func(day deadline.Date) bool {
		for _, iv := range in.Excluded {
			if !day.Before(iv.From) && !day.After(iv.To) {
				return true
			}
		}
		return false
	}
	rate := yuan("0.000175")
	total := decimal.Zero
	p := 0
	start := insts[0].due
	if len(pays) > 0 && pays[0].Date.Before(start) {
		start = pays[0].Date
	}
	for day := start; !day.After(in.AsOf); day = day.AddDays(1) {
		if !excluded(day) {
			for _, x := range insts {
				if day.After(x.due) {
					total = total.Add(x.owed.Mul(rate))
				}
			}
		}
		// Payments made on this day stop accrual from the next day.
		for ; p < len(pays) && !pays[p].Date.After(day); p++ {
			rest := pays[p].Amount
			for i := range insts {
				take := decimal.Min(rest, insts[i].owed)
				insts[i].owed = insts[i].owed.Sub(take)
				rest = rest.Sub(take)
			}
		}
	}
	return total
}

func randomInterestInput(rng *rand.Rand) enforcement.InterestInput {
	base := dayOf(2023, 1, 1)
	in := enforcement.InterestInput{AsOf: base.AddDays(400 + rng.IntN(200))}
	for range 1 + rng.IntN(4) {
		in.Instalments = append(in.Instalments, enforcement.Instalment{
			Due:       base.AddDays(rng.IntN(300)),
			Principal: decimal.New(1+rng.Int64N(10_000_000), -2),
		})
	}
	for range rng.IntN(6) {
		in.Payments = append(in.Payments, enforcement.Payment{
			Date:   base.AddDays(rng.IntN(400)),
			Amount: decimal.New(1+rng.Int64N(5_000_000), -2),
		})
	}
	for range rng.IntN(4) {
		from := base.AddDays(rng.IntN(500))
		in.Excluded = append(in.Excluded, deadline.Interval{From: from, To: from.AddDays(rng.IntN(60))})
	}
	return in
}

func TestDelayInterest_Properties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(0xdead1337, 2))
	for range 500 {
		in := randomInterestInput(rng)
		got, err := enforcement.DelayInterest(in)
		require.NoError(t, err, "%+v", in)
		require.True(t, interestOracle(in).Equal(got.Exact), "exact %s, oracle %s for %+v", got.Exact, interestOracle(in), in)
		require.False(t, got.Total.IsNegative())
		require.True(t, got.Total.Equal(got.Exact.Round(2)))

		// Paying earlier never increases the interest.
		if len(in.Payments) > 0 {
			earlier := in
			earlier.Payments = slices.Clone(in.Payments)
			j := rng.IntN(len(earlier.Payments))
			earlier.Payments[j].Date = earlier.Payments[j].Date.AddDays(-1 - rng.IntN(60))
			e, err := enforcement.DelayInterest(earlier)
			require.NoError(t, err)
			require.True(t, e.Exact.LessThanOrEqual(got.Exact), "paying earlier raised %s to %s", got.Exact, e.Exact)
		}

		// A later AsOf never decreases it; another excluded period never increases it.
		later := in
		later.AsOf = in.AsOf.AddDays(1 + rng.IntN(30))
		l, err := enforcement.DelayInterest(later)
		require.NoError(t, err)
		require.True(t, l.Exact.GreaterThanOrEqual(got.Exact))

		more := in
		from := dayOf(2023, 1, 1).AddDays(rng.IntN(500))
		more.Excluded = append(slices.Clone(in.Excluded), deadline.Interval{From: from, To: from.AddDays(rng.IntN(30))})
		m, err := enforcement.DelayInterest(more)
		require.NoError(t, err)
		require.True(t, m.Exact.LessThanOrEqual(got.Exact))
	}
}

func BenchmarkDelayInterest(b *testing.B) {
	in := enforcement.InterestInput{AsOf: dayOf(2026, 12, 31)}
	for i := range 12 {
		in.Instalments = append(in.Instalments, enforcement.Instalment{Due: dayOf(2024, time.Month(i+1), 10), Principal: yuan("25000")})
	}
	for i := range 20 {
		in.Payments = append(in.Payments, enforcement.Payment{Date: dayOf(2024, 3, 1).AddDays(30 * i), Amount: yuan("9000")})
	}
	in.Excluded = []deadline.Interval{{From: dayOf(2024, 6, 1), To: dayOf(2024, 8, 31)}, {From: dayOf(2025, 1, 1), To: dayOf(2025, 2, 15)}}
	var baseNs float64
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = interestOracle(in)
		}
		baseNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("zhixing", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := enforcement.DelayInterest(in); err != nil {
				b.Fatal(err)
			}
		}
		ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		if baseNs > 0 {
			b.ReportMetric(baseNs/ns, "x-vs-baseline")
		}
	})
}
