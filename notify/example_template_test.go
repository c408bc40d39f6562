package notify_test

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/courtkit/zhixing/notify"
)

func ExampleTemplates_Render() {
	ts, err := notify.DefaultTemplates(notify.Config{
		Signature: "【上海一中院】",
		Contact:   "诉讼服务热线12368",
		QuerySite: "zxgk.court.gov.cn",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := ts.Render(notify.KeyOpinionSolicit, notify.Vars{
		notify.VarPartyName: "张三明",
		notify.VarCaseNo:    "（2024）沪01执123号",
		notify.VarDueDate:   "2024年10月18日",
		notify.VarReplyCode: "K7Q2",
		notify.VarJudge:     "王明",
		notify.VarPhone:     "021-12345678",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Text)
	fmt.Println(r.Segments, r.Encoding)

	_, err = ts.Render(notify.KeyReplyAck, notify.Vars{notify.VarCaseNo: "（2024）沪01执123号"})
	fmt.Println(errors.Is(err, notify.ErrMissingVar))
	// Output:
	// 【上海一中院】张*明您好：（2024）沪01执123号案经财产调查，暂未发现可供执行的财产，法院拟终结本次执行程序（终本），终本后发现财产可申请恢复执行。现征询您的意见，请于2024年10月18日前回复：K7Q2 1 同意；K7Q2 2 不同意，可附意见。承办法官王明，电话021-12345678。
	// 3 UCS-2
	// true
}

func ExampleSegments() {
	fmt.Println(notify.Segments("Case 123 filed"))
	fmt.Println(notify.Segments("Fee {100}")) // { and } take two septets each
	fmt.Println(notify.Segments("案件已立案"))     // any Chinese character: UCS-2
	long := bytes.Repeat([]byte("执"), 71)
	fmt.Println(notify.Segments(string(long))) // 70 fit one message, 67 each part
	// Output:
	// 1 GSM-7
	// 1 GSM-7
	// 1 UCS-2
	// 2 UCS-2
}

func ExampleLoadTemplates() {
	// A court's replacement set with one template and three mistakes.
	set := []byte(`{"templates": [{"key": "reply.ack", "audience": "party", "text": "{case_no}已送达{amount}"}]}`)
	_, err := notify.LoadTemplates(bytes.NewReader(set), notify.Config{})
	var le *notify.LoadError
	if errors.As(err, &le) {
		for _, p := range le.Problems[:3] {
			fmt.Println(p)
		}
		fmt.Println(len(le.Problems)-3, "keys missing:", errors.Is(err, notify.ErrMissingKey))
	}
	// Output:
	// notify: template reply.ack variable amount: template uses a variable its key does not have: {amount} is not a variable of reply.ack (it has party_name, case_no, judge, phone, contact, query_site, choice, reply_code)
	// notify: template reply.ack variable choice: template omits a variable its key requires: the text must use {choice}
	// notify: template reply.ack: template claims legal service (送达): text contains "已送达"; an SMS informs and is never legal service
	// 28 keys missing: true
}

func ExampleMaskName() {
	fmt.Println(notify.MaskName("张三"), notify.MaskName("张三明"), notify.MaskName("上海某某贸易有限公司"))
	fmt.Println(notify.MaskIDNumber("310101199001011234"), notify.MaskMobile("13812345678"))
	// Output:
	// 张* 张*明 上海某某贸易有限公司
	// 310***********1234 138****5678
}
