package deadline_test

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/courtkit/zhixing/deadline"
)

func ExampleParseNotice() {
	// One item of the 2019 notice, as published.
	days, err := deadline.ParseNotice(2019, "二、春节：2月4日至10日放假调休，共7天。2月2日（星期六）、2月3日（星期日）上班。")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range days {
		kind := "上班"
		if d.OffDay {
			kind = "放假"
		}
		fmt.Println(d.Date, d.Date.Weekday(), d.Name, kind)
	}

	// A weekday that contradicts its date is an error, never a guess.
	_, err = deadline.ParseNotice(2019, "2月2日（星期日）上班。")
	var we *deadline.NoticeWeekdayError
	if errors.As(err, &we) {
		fmt.Println(we.Date, we.Written, we.Actual)
	}
	// Output:
	// 2019-02-02 Saturday 春节 上班
	// 2019-02-03 Sunday 春节 上班
	// 2019-02-04 Monday 春节 放假
	// 2019-02-05 Tuesday 春节 放假
	// 2019-02-06 Wednesday 春节 放假
	// 2019-02-07 Thursday 春节 放假
	// 2019-02-08 Friday 春节 放假
	// 2019-02-09 Saturday 春节 放假
	// 2019-02-10 Sunday 春节 放假
	// 2019-02-02 星期日 Saturday
}

func ExampleCalendar_WithNotice() {
	official := deadline.Official()

	// A made-up 2027 notice in the format of the 2026 one (test data, not
	// the State Council's notice).
	text, err := os.ReadFile("testdata/notice-2027-fixture.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = official.AddWorkdays(deadline.NewDate(2027, time.February, 4), 1)
	fmt.Println("before:", errors.Is(err, deadline.ErrNotCovered))

	with2027, err := official.WithNotice(2027, string(text))
	if err != nil {
		fmt.Println(err)
		return
	}
	next, err := with2027.AddWorkdays(deadline.NewDate(2027, time.February, 4), 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("after:", next)
	changes := deadline.Diff(official, with2027)
	fmt.Println("days that change:", len(changes))
	for _, ch := range changes[:3] {
		fmt.Println(ch.Date, ch.After.Chinese())
	}
	// Output:
	// before: true
	// after: 2027-02-15
	// days that change: 365
	// 2027-01-01 元旦（法定节假日）
	// 2027-01-02 元旦（法定节假日）
	// 2027-01-03 元旦（法定节假日）
}
