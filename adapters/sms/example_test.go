package sms_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"time"

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

// ExampleAliyunPush receives Alibaba Cloud's delivery reports at a URL
// that carries a secret token, the one to enter as the receiving address
// in the SMS console (e.g. https://court.example/sms/aliyun/<token>/report).
// A batch pushed twice is delivered once.
func ExampleAliyunPush() {
	p := &sms.AliyunPush{
		Token: "3f9c1e7a5b2d4c6e8a0b1c2d3e4f5a6b", // from the court's secret store
		OnReceipt: func(_ context.Context, r sms.DeliveryReceipt) error {
			fmt.Println(r.ProviderID, r.IdempotencyKey, r.Status, r.Code, r.At.Format(time.DateTime))
			return nil
		},
	}
	mux := http.NewServeMux()
	mux.Handle("POST /sms/aliyun/{token}/report", p.ReportHandler())

	push := `[{"phone_number":"13800138000","send_time":"2026-03-02 09:30:00","report_time":"2026-03-02 09:30:05",` +
		`"success":true,"err_code":"DELIVERED","err_msg":"用户接收成功","sms_size":"1",` +
		`"biz_id":"900619746936498440^0","out_id":"c1/filing/applicant"}]`
	for range 2 {
		req := httptest.NewRequest(http.MethodPost, "/sms/aliyun/3f9c1e7a5b2d4c6e8a0b1c2d3e4f5a6b/report", strings.NewReader(push))
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		fmt.Print(rec.Code, " ", rec.Body.String())
	}
	// Output:
	// 900619746936498440^0 c1/filing/applicant delivered DELIVERED 2026-03-02 09:30:05
	// 200 {"code":0,"msg":"接收成功","applied":1}
	// 200 {"code":0,"msg":"接收成功","duplicates":1}
}
