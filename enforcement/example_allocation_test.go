package enforcement_test

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// A judgment orders 100,000 yuan principal, 5,000 yuan ordinary interest
// and 2,300 yuan costs, payable by 2024-03-10. The respondent pays 30,000
// yuan on 2024-04-09 and 80,000 yuan on 2024-06-08. Civil Code art. 561
// applies the first payment to costs and ordinary interest before
// principal; 法释〔2014〕8号 art. 4 applies to the doubled interest only what
// exceeds the judgment debt. Doubled interest: 22,700 × 1.75‱ × 30 days +
// 77,300 × 1.75‱ × 90 days = 119.175 + 1,217.475 = 1,336.65.
func ExampleAllocatePayments() {
	debt := enforcement.JudgmentDebt{
		Costs:     decimal.RequireFromString("2300.00"),
		Interest:  decimal.RequireFromString("5000.00"),
		Principal: decimal.RequireFromString("100000.00"),
	}
	payments := []enforcement.Payment{
		{Date: deadline.NewDate(2024, 4, 9), Amount: decimal.RequireFromString("30000.00")},
		{Date: deadline.NewDate(2024, 6, 8), Amount: decimal.RequireFromString("80000.00")},
	}
	a, err := enforcement.AllocatePayments(debt, payments)
	if err != nil {
		panic(err)
	}
	for _, s := range a.Splits {
		fmt.Printf("%s %s: 费用 %s 利息 %s 本金 %s 加倍部分 %s\n", s.Payment.Date, s.Payment.Amount.StringFixed(2),
			s.ToCosts.StringFixed(2), s.ToInterest.StringFixed(2), s.ToPrincipal.StringFixed(2), s.ToDelayDouble.StringFixed(2))
	}
	r, err := enforcement.DelayInterest(enforcement.InterestInput{
		Instalments: []enforcement.Instalment{{Due: deadline.NewDate(2024, 3, 10), Principal: debt.Principal}},
		Payments:    a.Principal,
		AsOf:        deadline.NewDate(2024, 6, 8),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("加倍部分债务利息", r.Total.StringFixed(2), "已付", r.PaidToInterest.StringFixed(2), "未付", r.InterestOutstanding.StringFixed(2))
	// Output:
	// 2024-04-09 30000.00: 费用 2300.00 利息 5000.00 本金 22700.00 加倍部分 0.00
	// 2024-06-08 80000.00: 费用 0.00 利息 0.00 本金 77300.00 加倍部分 2700.00
	// 加倍部分债务利息 1336.65 已付 1336.65 未付 0.00
}
