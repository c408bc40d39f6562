package enforcement_test

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

func ExampleParseCaseNumber() {
	n, err := enforcement.ParseCaseNumber("(2024) 沪0115 恢执 7 号")
	if err != nil {
		panic(err)
	}
	fmt.Println(n)
	fmt.Println(n.Court, n.Type, n.Type.Name(), n.Type.IsImplementation())

	old, _ := enforcement.ParseCaseNumber("（2014）浦执字第123号")
	fmt.Println(old, old.Legacy)

	_, err = enforcement.ParseCaseNumber("（2024）沪0115民初4567号")
	fmt.Println(errors.Is(err, enforcement.ErrNotEnforcementType))
	// Output:
	// （2024）沪0115执恢7号
	// 沪0115 执恢 恢复执行案件 true
	// （2014）浦执字第123号 true
	// true
}

func ExampleExecutionFee() {
	fee, err := enforcement.ExecutionFee(decimal.NewFromInt(1_000_000))
	if err != nil {
		panic(err)
	}
	fmt.Println(fee.StringFixed(2))

	b, _ := enforcement.ExecutionFeeBreakdown(decimal.NewFromInt(1_000_000))
	for _, l := range b.Lines {
		fmt.Printf("%s: %s\n", l.Bracket.Text, l.Fee.StringFixed(2))
	}
	fmt.Println(b.Basis)
	// Output:
	// 12400.00
	// 执行金额或者价额不超过1万元的，每件交纳50元: 50.00
	// 超过1万元至50万元的部分，按照1.5%交纳: 7350.00
	// 超过50万元至500万元的部分，按照1%交纳: 5000.00
	// 《诉讼费用交纳办法》第十四条第一项
}

func ExampleDelayInterest() {
	// 100,000 yuan was due by 2024-01-10; 40,000 was paid on 2024-02-09 and
	// the rest on 2024-03-10.
	res, err := enforcement.DelayInterest(enforcement.InterestInput{
		Instalments: []enforcement.Instalment{
			{Due: deadline.MustParseDate("2024-01-10"), Principal: decimal.NewFromInt(100_000)},
		},
		Payments: []enforcement.Payment{
			{Date: deadline.MustParseDate("2024-02-09"), Amount: decimal.NewFromInt(40_000)},
			{Date: deadline.MustParseDate("2024-03-10"), Amount: decimal.NewFromInt(60_000)},
		},
		AsOf: deadline.MustParseDate("2024-03-31"),
	})
	if err != nil {
		panic(err)
	}
	for _, l := range res.Lines {
		fmt.Printf("%s..%s %d days on %s: %s\n", l.From, l.To, l.Days, l.Principal, l.Interest.StringFixed(2))
	}
	fmt.Println("total", res.Total.StringFixed(2))
	// Output:
	// 2024-01-11..2024-02-09 30 days on 40000: 210.00
	// 2024-01-11..2024-03-10 60 days on 60000: 630.00
	// total 840.00
}
