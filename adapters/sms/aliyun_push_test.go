package sms_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sms"
)

const pushToken = "3f9c1e7a5b2d4c6e8a0b1c2d3e4f5a6b"

// pushSpy records what an AliyunPush passes to its callbacks. failOn
// makes OnReceipt or OnReply fail for the provider IDs it holds.
type pushSpy struct {
	mu       sync.Mutex
	receipts []sms.DeliveryReceipt
	replies  []sms.InboundReply
	rejected []error
	failOn   map[string]bool
}

func (s *pushSpy) OnReceipt(_ context.Context, r sms.DeliveryReceipt) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failOn[r.ProviderID+"/"+r.IdempotencyKey] {
		return errors.New("store unavailable")
	}
	r.At = r.At.UTC() // compare instants, not zones
	s.receipts = append(s.receipts, r)
	return nil
}

func (s *pushSpy) OnReply(_ context.Context, r sms.InboundReply) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failOn[r.ProviderID] {
		return errors.New("store unavailable")
	}
	r.ReceivedAt = r.ReceivedAt.UTC()
	s.replies = append(s.replies, r)
	return nil
}

func (s *pushSpy) OnRejected(_ context.Context, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejected = append(s.rejected, err)
}

func (s *pushSpy) counts() (int, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.receipts), len(s.replies)
}

func newPush(t testing.TB, clk *clock) (*sms.AliyunPush, *pushSpy) {
	t.Helper()
	spy := &pushSpy{failOn: map[string]bool{}}
	p := &sms.AliyunPush{Token: pushToken, OnReceipt: spy.OnReceipt, OnReply: spy.OnReply,
		OnRejected: spy.OnRejected, Now: clk.Now}
	return p, spy
}

// pushAnswer is what the handlers write back.
type pushAnswer struct {
	Code       json.Number `json:"code"`
	Msg        string      `json:"msg"`
	Applied    int         `json:"applied"`
	Duplicates int         `json:"duplicates"`
	Rejected   []struct {
		Index int    `json:"index"`
		Error string `json:"error"`
	} `json:"rejected"`
}

// pushTo posts body to h as the route "POST /aliyun/{token}/..." would,
// with the token in the path, and decodes the answer.
func pushTo(t testing.TB, h http.Handler, target, body string) (int, pushAnswer) {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/aliyun/{token}/push", h)
	mux.Handle("/aliyun/push", h)
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	req.RemoteAddr = "203.0.113.9:40000"
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	var a pushAnswer
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &a), "answer %q", rec.Body.String())
	_, err := a.Code.Int64()
	require.NoError(t, err, "code must be a number")
	return rec.Code, a
}

const pushPath = "/aliyun/" + pushToken + "/push"

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return string(b)
}

func TestAliyunPush_ReportHandler_RecordedPayload(t *testing.T) {
	t.Parallel()
	p, spy := newPush(t, &clock{t: fixedNow})
	h := p.ReportHandler()
	body := readTestdata(t, "aliyun_smsreport.json")

	code, a := pushTo(t, h, pushPath, body)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "0", a.Code.String())
	require.Equal(t, "接收成功", a.Msg)
	require.Equal(t, 3, a.Applied)
	cst := func(h, m, s int) time.Time { return time.Date(2026, 3, 2, h-8, m, s, 0, time.UTC) }
	require.Equal(t, []sms.DeliveryReceipt{
		{ProviderID: "900619746936498440^0", IdempotencyKey: "c1/filing/applicant", Status: sms.Delivered,
			Code: "DELIVERED", Reason: "用户接收成功", At: cst(9, 30, 5)},
		{ProviderID: "900619746936498440^0", IdempotencyKey: "c1/filing/respondent", Status: sms.Failed,
			Code: "MK:0001", Reason: "MK:0001", At: cst(9, 31, 40)},
		{ProviderID: "123400519746930020^0", Status: sms.Delivered,
			Code: "DELIVERED", Reason: "用户接收成功", At: cst(9, 32, 12)},
	}, spy.receipts)

	// Alibaba Cloud pushes the same batch again: nothing is delivered twice.
	code, a = pushTo(t, h, pushPath, body)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "0", a.Code.String())
	require.Equal(t, 3, a.Duplicates)
	require.Len(t, spy.receipts, 3)
}

func TestAliyunPush_UpHandler_RecordedPayload(t *testing.T) {
	t.Parallel()
	p, spy := newPush(t, &clock{t: fixedNow})
	h := p.UpHandler()
	body := readTestdata(t, "aliyun_smsup.json")

	code, a := pushTo(t, h, pushPath, body)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "0", a.Code.String())
	require.Equal(t, []sms.InboundReply{
		{From: "13800138000", Text: "同意结案", ExtCode: "01",
			ReceivedAt: time.Date(2026, 3, 2, 2, 15, 0, 0, time.UTC), ProviderID: "1234567890"},
		{From: "13900139000", Text: "TD",
			ReceivedAt: time.Date(2026, 3, 2, 2, 16, 30, 0, time.UTC), ProviderID: "1234567891"},
	}, spy.replies)

	// sequence_id identifies a reply whether it comes as a number or a string.
	again := `[{"phone_number":"13800138000","send_time":"2026-03-02 10:15:00","content":"同意结案","sequence_id":"1234567890"},` +
		`{"phone_number":"13900139000","send_time":"2026-03-02 10:16:30","content":"TD","sequence_id":1234567891}]`
	code, a = pushTo(t, h, pushPath, again)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, 2, a.Duplicates)
	require.Len(t, spy.replies, 2)
}

func TestAliyunPush_Idempotency(t *testing.T) {
	t.Parallel()
	report := func(biz, phone string) string {
		return `{"phone_number":"` + phone + `","report_time":"2026-03-02 09:30:05","success":true,"biz_id":"` + biz + `"}`
	}
	tests := []struct {
		name    string
		batches []string
		want    int // receipts delivered
	}{
		{"SameItemTwiceInOneBatch", []string{"[" + report("b1", "13800138000") + "," + report("b1", "13800138000") + "]"}, 1},
		{"SameBizOtherPhone", []string{"[" + report("b1", "13800138000") + "," + report("b1", "13900139000") + "]"}, 2},
		{"SamePhoneOtherBiz", []string{"[" + report("b1", "13800138000") + "," + report("b2", "13800138000") + "]"}, 2},
		{"OverlappingBatches", []string{
			"[" + report("b1", "13800138000") + "," + report("b2", "13800138000") + "]",
			"[" + report("b2", "13800138000") + "," + report("b3", "13800138000") + "]",
		}, 3},
		{"KeysDoNotRunTogether", []string{"[" + report(`b1\u0000x`, "13800138000") + "," + report("b1", `x\u000013800138000`) + "]"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, spy := newPush(t, &clock{t: fixedNow})
			h := p.ReportHandler()
			for _, b := range tt.batches {
				code, _ := pushTo(t, h, pushPath, b)
				require.Equal(t, http.StatusOK, code)
			}
			n, _ := spy.counts()
			require.Equal(t, tt.want, n)
		})
	}

	t.Run("ReportAndReplyKeysAreSeparate", func(t *testing.T) {
		t.Parallel()
		p, spy := newPush(t, &clock{t: fixedNow})
		code, _ := pushTo(t, p.ReportHandler(), pushPath, "["+report("7", "13800138000")+"]")
		require.Equal(t, http.StatusOK, code)
		code, _ = pushTo(t, p.UpHandler(), pushPath, `[{"phone_number":"13800138000","send_time":"2026-03-02 10:15:00","sequence_id":7}]`)
		require.Equal(t, http.StatusOK, code)
		nr, nu := spy.counts()
		require.Equal(t, [2]int{1, 1}, [2]int{nr, nu})
	})

	t.Run("ForgottenAfterWindow", func(t *testing.T) {
		t.Parallel()
		clk := &clock{t: fixedNow}
		p, spy := newPush(t, clk)
		p.ReplayWindow = time.Hour
		h := p.ReportHandler()
		body := "[" + report("b1", "13800138000") + "]"
		pushTo(t, h, pushPath, body)
		clk.Add(59 * time.Minute)
		pushTo(t, h, pushPath, body)
		n, _ := spy.counts()
		require.Equal(t, 1, n)
		clk.Add(time.Minute)
		pushTo(t, h, pushPath, body)
		n, _ = spy.counts()
		require.Equal(t, 2, n)
	})

	t.Run("BoundedMemory", func(t *testing.T) {
		t.Parallel()
		p, spy := newPush(t, &clock{t: fixedNow})
		p.ReplayCacheSize = 2
		h := p.ReportHandler()
		pushTo(t, h, pushPath, "["+report("b1", "13800138000")+","+report("b2", "13800138000")+"]")
		pushTo(t, h, pushPath, "["+report("b2", "13800138000")+"]")
		n, _ := spy.counts()
		require.Equal(t, 2, n, "b2 is still remembered")
		pushTo(t, h, pushPath, "["+report("b3", "13800138000")+","+report("b1", "13800138000")+"]")
		n, _ = spy.counts()
		require.Equal(t, 4, n, "b1 was forgotten to make room for b3")
	})

	t.Run("ConcurrentRetries", func(t *testing.T) {
		t.Parallel()
		p, spy := newPush(t, &clock{t: fixedNow})
		h := p.ReportHandler()
		body := readTestdata(t, "aliyun_smsreport.json")
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				req := httptest.NewRequest(http.MethodPost, "/?token="+pushToken, strings.NewReader(body))
				h.ServeHTTP(httptest.NewRecorder(), req)
			})
		}
		wg.Wait()
		n, _ := spy.counts()
		require.Equal(t, 3, n)
	})
}

func TestAliyunPush_CallbackFailureIsRetried(t *testing.T) {
	t.Parallel()
	p, spy := newPush(t, &clock{t: fixedNow})
	h := p.ReportHandler()
	body := readTestdata(t, "aliyun_smsreport.json")
	spy.failOn["900619746936498440^0/c1/filing/respondent"] = true

	code, a := pushTo(t, h, pushPath, body)
	require.Equal(t, http.StatusInternalServerError, code)
	require.NotEqual(t, "0", a.Code.String())
	require.Equal(t, 2, a.Applied)
	n, _ := spy.counts()
	require.Equal(t, 2, n, "the other items are applied")

	// Alibaba Cloud retries the whole batch; only the failed item is new.
	delete(spy.failOn, "900619746936498440^0/c1/filing/respondent")
	code, a = pushTo(t, h, pushPath, body)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, 1, a.Applied)
	require.Equal(t, 2, a.Duplicates)
	require.Len(t, spy.receipts, 3)
	require.Equal(t, "c1/filing/respondent", spy.receipts[2].IdempotencyKey)
}

func TestAliyunPush_RejectsBody(t *testing.T) {
	t.Parallel()
	valid := readTestdata(t, "aliyun_smsreport.json")
	tests := []struct {
		name   string
		method string
		body   string
		want   int
	}{
		{"NotJSON", http.MethodPost, `[{"biz_id":`, http.StatusBadRequest},
		{"Object", http.MethodPost, `{"phone_number":"13800138000"}`, http.StatusBadRequest},
		{"Null", http.MethodPost, `null`, http.StatusBadRequest},
		{"String", http.MethodPost, `"[]"`, http.StatusBadRequest},
		{"Empty", http.MethodPost, ``, http.StatusBadRequest},
		{"TrailingData", http.MethodPost, valid + `[]`, http.StatusBadRequest},
		{"TrailingGarbage", http.MethodPost, valid + `x`, http.StatusBadRequest},
		{"InvalidUTF8", http.MethodPost, strings.Replace(valid, "用户", "\xff\xfe", 1), http.StatusBadRequest},
		{"Oversized", http.MethodPost, "[" + strings.Repeat(" ", sms.AliyunPushMaxBody) + "]", http.StatusRequestEntityTooLarge},
		{"OversizedValidPrefix", http.MethodPost, strings.TrimSuffix(strings.TrimSpace(valid), "]") + "," +
			strings.Repeat(`{"biz_id":"x","phone_number":"1","success":true,"report_time":"2026-03-02 09:30:05"},`, sms.AliyunPushMaxBody/80) + "{}]",
			http.StatusRequestEntityTooLarge},
		{"Get", http.MethodGet, valid, http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, spy := newPush(t, &clock{t: fixedNow})
			req := httptest.NewRequest(tt.method, "/?token="+pushToken, strings.NewReader(tt.body))
			rec := httptest.NewRecorder()
			p.ReportHandler().ServeHTTP(rec, req)
			require.Equal(t, tt.want, rec.Code, rec.Body.String())
			n, _ := spy.counts()
			require.Zero(t, n, "nothing is applied")
			require.Empty(t, spy.rejected)
		})
	}
	t.Run("EmptyArray", func(t *testing.T) {
		t.Parallel()
		p, _ := newPush(t, &clock{t: fixedNow})
		code, a := pushTo(t, p.ReportHandler(), pushPath, " [ ] ")
		require.Equal(t, http.StatusOK, code)
		require.Equal(t, "0", a.Code.String())
	})
}

func TestAliyunPush_BadItems(t *testing.T) {
	t.Parallel()
	good := `{"phone_number":"13800138000","report_time":"2026-03-02 09:30:05","success":true,"biz_id":"b1"}`
	reportTests := []struct {
		name string
		item string
		want string // part of the rejection
	}{
		{"NoBizID", `{"phone_number":"13800138000","report_time":"2026-03-02 09:30:05","success":true}`, "biz_id is required"},
		{"NoPhone", `{"biz_id":"b2","report_time":"2026-03-02 09:30:05","success":true}`, "phone_number is required"},
		{"NoSuccess", `{"biz_id":"b2","phone_number":"13800138000","report_time":"2026-03-02 09:30:05"}`, "success is required"},
		{"SuccessAsString", `{"biz_id":"b2","phone_number":"13800138000","report_time":"2026-03-02 09:30:05","success":"true"}`, "bool"},
		{"NoReportTime", `{"biz_id":"b2","phone_number":"13800138000","success":false}`, "report_time is required"},
		{"BadReportTime", `{"biz_id":"b2","phone_number":"13800138000","success":false,"report_time":"2026-03-02T09:30:05Z"}`, "report_time"},
		{"NotAnObject", `42`, "cannot unmarshal"},
		{"Null", `null`, "biz_id is required"},
	}
	for _, tt := range reportTests {
		t.Run("SmsReport/"+tt.name, func(t *testing.T) {
			t.Parallel()
			p, spy := newPush(t, &clock{t: fixedNow})
			code, a := pushTo(t, p.ReportHandler(), pushPath, "["+good+","+tt.item+"]")
			require.Equal(t, http.StatusOK, code, "a bad item is not retried")
			require.Equal(t, "0", a.Code.String())
			assert.Equal(t, "接收成功，1条格式错误已忽略", a.Msg)
			assert.Equal(t, 1, a.Applied)
			require.Len(t, a.Rejected, 1)
			assert.Equal(t, 1, a.Rejected[0].Index)
			assert.Contains(t, a.Rejected[0].Error, tt.want)
			require.Len(t, spy.receipts, 1)
			require.Equal(t, "b1", spy.receipts[0].ProviderID)

			require.Len(t, spy.rejected, 1)
			require.ErrorIs(t, spy.rejected[0], sms.ErrMalformed)
			var ie *sms.AliyunItemError
			require.ErrorAs(t, spy.rejected[0], &ie)
			assert.Equal(t, "SmsReport", ie.Kind)
			assert.Equal(t, 1, ie.Index)
		})
	}

	upTests := []struct {
		name string
		item string
		want string
	}{
		{"NoSequenceID", `{"phone_number":"13800138000","send_time":"2026-03-02 10:15:00","content":"同意"}`, "sequence_id is required"},
		{"SequenceIDObject", `{"phone_number":"13800138000","send_time":"2026-03-02 10:15:00","sequence_id":{}}`, "sequence_id"},
		{"NoPhone", `{"send_time":"2026-03-02 10:15:00","sequence_id":9}`, "phone_number is required"},
		{"NoSendTime", `{"phone_number":"13800138000","sequence_id":9}`, "send_time is required"},
		{"BadSendTime", `{"phone_number":"13800138000","send_time":"yesterday","sequence_id":9}`, "send_time"},
	}
	for _, tt := range upTests {
		t.Run("SmsUp/"+tt.name, func(t *testing.T) {
			t.Parallel()
			p, spy := newPush(t, &clock{t: fixedNow})
			body := `[` + tt.item + `,{"phone_number":"13800138000","send_time":"20260302101500","content":"同意","sequence_id":8}]`
			code, a := pushTo(t, p.UpHandler(), pushPath, body)
			require.Equal(t, http.StatusOK, code)
			require.Equal(t, "0", a.Code.String())
			require.Len(t, a.Rejected, 1)
			assert.Equal(t, 0, a.Rejected[0].Index)
			assert.Contains(t, a.Rejected[0].Error, tt.want)
			require.Len(t, spy.replies, 1)
			require.Equal(t, "8", spy.replies[0].ProviderID)
			require.Equal(t, time.Date(2026, 3, 2, 2, 15, 0, 0, time.UTC), spy.replies[0].ReceivedAt)
			var ie *sms.AliyunItemError
			require.ErrorAs(t, spy.rejected[0], &ie)
			assert.Equal(t, "SmsUp", ie.Kind)
		})
	}
}

func TestAliyunPush_Token(t *testing.T) {
	t.Parallel()
	body := readTestdata(t, "aliyun_smsup.json")
	tests := []struct {
		name   string
		target string
		want   int
	}{
		{"InPath", "/aliyun/" + pushToken + "/push", http.StatusOK},
		{"InQuery", "/aliyun/push?token=" + pushToken, http.StatusOK},
		{"Missing", "/aliyun/push", http.StatusForbidden},
		{"EmptyQuery", "/aliyun/push?token=", http.StatusForbidden},
		{"WrongPath", "/aliyun/" + strings.Replace(pushToken, "3", "4", 1) + "/push", http.StatusForbidden},
		{"WrongQuery", "/aliyun/push?token=" + strings.ToUpper(pushToken), http.StatusForbidden},
		{"Prefix", "/aliyun/push?token=" + pushToken[:len(pushToken)-1], http.StatusForbidden},
		{"Longer", "/aliyun/push?token=" + pushToken + "0", http.StatusForbidden},
		{"WrongPathRightQuery", "/aliyun/wrong/push?token=" + pushToken, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, spy := newPush(t, &clock{t: fixedNow})
			code, _ := pushTo(t, p.UpHandler(), tt.target, body)
			require.Equal(t, tt.want, code)
			_, n := spy.counts()
			if tt.want == http.StatusOK {
				require.Equal(t, 2, n)
			} else {
				require.Zero(t, n)
			}
		})
	}
}

func TestAliyunPush_AllowFrom(t *testing.T) {
	t.Parallel()
	allow := []netip.Prefix{netip.MustParsePrefix("100.100.0.0/16"), netip.MustParsePrefix("2001:db8::/32")}
	header := func(r *http.Request) (netip.Addr, error) { return netip.ParseAddr(r.Header.Get("X-Real-IP")) }
	tests := []struct {
		name       string
		remote     string
		realIP     string
		clientAddr bool
		want       int
	}{
		{"IPv4Inside", "100.100.3.4:5000", "", false, http.StatusOK},
		{"IPv4Outside", "100.101.3.4:5000", "", false, http.StatusForbidden},
		{"IPv4MappedInside", "[::ffff:100.100.3.4]:5000", "", false, http.StatusOK},
		{"IPv6Inside", "[2001:db8::7]:5000", "", false, http.StatusOK},
		{"IPv6Outside", "[2001:db9::7]:5000", "", false, http.StatusForbidden},
		{"NoPort", "100.100.3.4", "", false, http.StatusOK},
		{"Unparseable", "somewhere", "", false, http.StatusForbidden},
		{"ProxyHeaderInside", "10.0.0.1:5000", "100.100.9.9", true, http.StatusOK},
		{"ProxyHeaderOutside", "100.100.3.4:5000", "10.0.0.1", true, http.StatusForbidden},
		{"ProxyHeaderMissing", "100.100.3.4:5000", "", true, http.StatusForbidden},
		{"HeaderIgnoredWithoutClientAddrFunc", "10.0.0.1:5000", "100.100.9.9", false, http.StatusForbidden},
	}
	body := readTestdata(t, "aliyun_smsreport.json")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, spy := newPush(t, &clock{t: fixedNow})
			p.AllowFrom = allow
			if tt.clientAddr {
				p.ClientAddrFunc = header
			}
			req := httptest.NewRequest(http.MethodPost, "/?token="+pushToken, strings.NewReader(body))
			req.RemoteAddr = tt.remote
			if tt.realIP != "" {
				req.Header.Set("X-Real-IP", tt.realIP)
			}
			rec := httptest.NewRecorder()
			p.ReportHandler().ServeHTTP(rec, req)
			require.Equal(t, tt.want, rec.Code, rec.Body.String())
			n, _ := spy.counts()
			if tt.want == http.StatusOK {
				require.Equal(t, 3, n)
			} else {
				require.Zero(t, n)
			}
		})
	}
}

func TestAliyunPush_HandlersNeedTokenAndCallback(t *testing.T) {
	t.Parallel()
	noop := func(context.Context, sms.DeliveryReceipt) error { return nil }
	require.Panics(t, func() { (&sms.AliyunPush{Token: pushToken}).ReportHandler() })
	require.Panics(t, func() { (&sms.AliyunPush{Token: pushToken, OnReceipt: noop}).UpHandler() })
	require.Panics(t, func() { (&sms.AliyunPush{OnReceipt: noop}).ReportHandler() })
	require.Panics(t, func() {
		(&sms.AliyunPush{Token: pushToken[:sms.AliyunPushMinToken-1], OnReceipt: noop}).ReportHandler()
	})
	require.NotPanics(t, func() { (&sms.AliyunPush{Token: pushToken[:sms.AliyunPushMinToken], OnReceipt: noop}).ReportHandler() })
}
