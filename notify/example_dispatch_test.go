package notify_test

import (
	"context"
	"fmt"
	"time"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// consoleSender prints each message instead of sending it, like
// adapters/sms.Console.
type consoleSender struct{}

func (consoleSender) Send(ctx context.Context, o notify.Outgoing) (notify.Receipt, error) {
	fmt.Printf("to %s: %s\n", enforcement.MaskMobile(o.To), o.Body)
	return notify.Receipt{ProviderID: "console-1", Gateway: "console"}, nil
}

// A filing notice drafted at 22:00 waits out the quiet hours and goes out
// at 08:00 the next morning.
func ExampleDispatcher_RunOnce() {
	ctx := context.Background()
	outbox := newFakeOutbox() // any notify.Outbox, e.g. adapters/memory
	filed := time.Date(2024, 10, 8, 22, 0, 0, 0, deadline.China)

	to := notify.Recipient{PartyID: "p1", Role: notify.RecipientApplicant, Name: "张三", Mobile: "13800138000"}
	key := notify.Key("case-1", "case-1/case_filed/case-1", to.ID(), "filing.applicant")
	m := notify.Message{
		ID: key, IdempotencyKey: key, CaseID: "case-1", EventID: "case-1/case_filed/case-1",
		Recipient: to, Template: "filing.applicant", Segments: 1, State: notify.StateDrafted, CreatedAt: filed,
		Body: "【上海一中院】张三您好：您申请执行的案件已立案，案号（2024）沪01执123号。",
	}
	var policy notify.Policy // the defaults: filing notices go out automatically, 21:00–08:00 quiet
	if _, err := policy.Route(&m, enforcement.EventCaseFiled, "", filed); err != nil {
		fmt.Println(err)
		return
	}
	if err := outbox.Put(ctx, m); err != nil {
		fmt.Println(err)
		return
	}

	now := filed
	d := &notify.Dispatcher{Outbox: outbox, Sender: consoleSender{}, Now: func() time.Time { return now }}
	n, _ := d.RunOnce(ctx)
	fmt.Println("sent at 22:00:", n)

	now = time.Date(2024, 10, 9, 8, 0, 0, 0, deadline.China)
	n, _ = d.RunOnce(ctx)
	fmt.Println("sent at 08:00:", n)

	got, _ := outbox.Get(ctx, key)
	fmt.Println(got.State, got.ProviderID)
	for _, tr := range got.History {
		fmt.Printf("%s %s→%s by %s\n", tr.At.In(deadline.China).Format("01-02 15:04"), tr.From, tr.To, tr.Actor)
	}
	// Output:
	// sent at 22:00: 0
	// to 138****8000: 【上海一中院】张三您好：您申请执行的案件已立案，案号（2024）沪01执123号。
	// sent at 08:00: 1
	// sent console-1
	// 10-08 22:00 drafted→queued by policy
	// 10-09 08:00 queued→sending by dispatcher
	// 10-09 08:00 sending→sent by dispatcher
}
