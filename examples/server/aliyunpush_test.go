package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/notify"
)

const pushToken = "0123456789abcdef0123456789abcdef"

// post posts body to path and returns the status and answer.
func (e *env) post(path string, body []byte) (int, string) {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.t.Context(), "POST", e.srv.URL+path, bytes.NewReader(body))
	require.NoError(e.t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.srv.Client().Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String()
}

// With -sms aliyun and a push token, Alibaba Cloud's SmsReport and SmsUp
// pushes reach the same receipt and reply paths as the webhook: a report
// marks the message delivered, a "TD" reply opts the number out and is
// confirmed; a wrong token is refused.
func TestFlow_AliyunPush(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := startWith(t, b, func(c *config) { c.SMS, c.AliyunPushToken = "aliyun", pushToken })
		ctx := t.Context()
		e.relay()
		e.dispatch()
		ms, err := e.app.desk.Outbox.List(ctx, notify.Filter{CaseID: "demo-7", States: []notify.State{notify.StateSent}})
		require.NoError(t, err)
		require.NotEmpty(t, ms)
		m := ms[0]
		at := e.clock.Now().Format("2006-01-02 15:04:05")

		report, _ := json.Marshal([]map[string]any{{"phone_number": m.Recipient.Mobile, "send_time": at, "report_time": at, "success": true,
			"err_code": "DELIVERED", "err_msg": "用户接收成功", "sms_size": "1", "biz_id": m.ProviderID, "out_id": m.IdempotencyKey}})
		st, _ := e.post("/api/v1/sms/aliyun/wrong-token-wrong-token/report", report)
		require.Equal(t, http.StatusForbidden, st)
		st, answer := e.post("/api/v1/sms/aliyun/"+pushToken+"/report", report)
		require.Equal(t, http.StatusOK, st, answer)
		require.Contains(t, answer, `"code":0`)
		got, err := e.app.desk.Outbox.Get(ctx, m.ID)
		require.NoError(t, err)
		require.Equal(t, notify.StateDelivered, got.State)

		const mobile = "13800001007"
		up, _ := json.Marshal([]map[string]any{{"phone_number": mobile, "send_time": at, "content": "退订", "dest_code": "", "sequence_id": 99001}})
		st, answer = e.post("/api/v1/sms/aliyun/"+pushToken+"/up", up)
		require.Equal(t, http.StatusOK, st, answer)
		c, err := e.app.store.Get(ctx, "demo-7")
		require.NoError(t, err)
		p, _ := c.Party("a1")
		require.True(t, p.OptOut)
		require.Nil(t, c.Solicitations[0].Answer)
		e.dispatch()
		require.Len(t, sentTo(e, mobile, notify.KeyOptOutConfirm), 1)
	})
}

// Without a token (or with another gateway) the push endpoints do not
// exist.
func TestFlow_AliyunPushOffWithoutToken(t *testing.T) {
	e := startWith(t, backends(t)[0], func(c *config) { c.SMS = "aliyun" })
	st, _ := e.post("/api/v1/sms/aliyun/"+pushToken+"/report", []byte(`[]`))
	require.Equal(t, http.StatusNotFound, st)
}

func TestLogPath_MasksPushToken(t *testing.T) {
	require.Equal(t, "/api/v1/sms/aliyun/***/up", logPath("/api/v1/sms/aliyun/"+pushToken+"/up"))
	require.Equal(t, "/api/v1/cases", logPath("/api/v1/cases"))
}
