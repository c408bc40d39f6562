package sms_test

import (
	"context"
	"fmt"
	"os"

	"github.com/courtkit/zhixing/adapters/sms"
	"github.com/courtkit/zhixing/notify"
)

// ExampleConsole shows the development sender: the number and any ID
// number are masked, and the provider ID depends only on the key.
func ExampleConsole() {
	c := &sms.Console{W: os.Stdout}
	r, err := c.Send(context.Background(), notify.Outgoing{
		IdempotencyKey: "case-1/filing/applicant",
		To:             "13812345678",
		Body:           "【某某区人民法院】您申请执行的案件已立案，身份证号110101199003071234。",
		Template:       "filing.applicant",
		Segments:       1,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Gateway, r.ProviderID == sms.ConsoleID("case-1/filing/applicant"))
	// Output:
	// sms to=138****5678 template=filing.applicant segments=1 key=case-1/filing/applicant id=console-394fab15eaf11744
	// 【某某区人民法院】您申请执行的案件已立案，身份证号110***********1234。
	// console true
}

// ExampleNewFailover sends through a second gateway when the first is
// throttled.
func ExampleNewFailover() {
	throttled := senderFunc(func(context.Context, notify.Outgoing) (notify.Receipt, error) {
		return notify.Receipt{}, &notify.SendError{Retryable: true, Code: "isv.BUSINESS_LIMIT_CONTROL"}
	})
	f := sms.NewFailover(throttled, &sms.Console{W: discard{}, Name: "backup"})
	r, err := f.Send(context.Background(), notify.Outgoing{IdempotencyKey: "k1", To: "13812345678", Body: "…"})
	fmt.Println(r.Gateway, err)
	// Output:
	// backup <nil>
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
