package sms_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sms"
)

// clock is a settable Now for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// receiptSpy records the receipts passed to OnReceipt.
type receiptSpy struct {
	mu   sync.Mutex
	got  []sms.DeliveryReceipt
	fail error
}

func (s *receiptSpy) OnReceipt(_ context.Context, r sms.DeliveryReceipt) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.got = append(s.got, r)
	return nil
}

func (s *receiptSpy) calls() int { s.mu.Lock(); defer s.mu.Unlock(); return len(s.got) }

func post(h http.Handler, body, sig string) int {
	req := httptest.NewRequest(http.MethodPost, "/sms/receipts", strings.NewReader(body))
	if sig != "" {
		req.Header.Set(sms.SignatureHeader, sig)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

const receiptBody = `{"event_id":"ev-1","provider_id":"900619746936498440^0","idempotency_key":"c1/filing/applicant",` +
	`"status":"delivered","code":"DELIVERED","reason":"用户接收成功","at":"2026-03-02T09:30:05+08:00"}`

func setupReceipts(t *testing.T) (*sms.Webhook, *receiptSpy, *clock, http.Handler) {
	t.Helper()
	spy := &receiptSpy{}
	clk := &clock{t: fixedNow}
	w := &sms.Webhook{Secret: secret, Now: clk.Now, OnReceipt: spy.OnReceipt}
	return w, spy, clk, w.ReceiptHandler()
}

func TestWebhook_ReceiptHandler_Accepts(t *testing.T) {
	t.Parallel()
	_, spy, _, h := setupReceipts(t)
	require.Equal(t, http.StatusNoContent, post(h, receiptBody, sms.SignWebhook(secret, fixedNow, []byte(receiptBody))))
	require.Equal(t, []sms.DeliveryReceipt{{
		ProviderID: "900619746936498440^0", IdempotencyKey: "c1/filing/applicant", Status: sms.Delivered,
		Code: "DELIVERED", Reason: "用户接收成功", At: time.Date(2026, 3, 2, 1, 30, 5, 0, time.UTC).In(time.FixedZone("", 8*3600)),
	}}, spy.got)
}

func TestWebhook_ReceiptHandler_Rejects(t *testing.T) {
	t.Parallel()
	sign := func(body string, at time.Time) string { return sms.SignWebhook(secret, at, []byte(body)) }
	tests := []struct {
		name   string
		method string
		body   string
		sig    string
		want   int
	}{
		{"GET", http.MethodGet, receiptBody, sign(receiptBody, fixedNow), http.StatusMethodNotAllowed},
		{"no signature header", "", receiptBody, "", http.StatusUnauthorized},
		{"signed with another secret", "", receiptBody, sms.SignWebhook([]byte("other"), fixedNow, []byte(receiptBody)), http.StatusUnauthorized},
		{"body changed after signing", "", strings.Replace(receiptBody, "delivered", "failed", 1), sign(receiptBody, fixedNow), http.StatusUnauthorized},
		{"timestamp changed after signing", "", receiptBody, strings.Replace(sign(receiptBody, fixedNow), "t=1772415000", "t=1772415001", 1), http.StatusUnauthorized},
		{"header without v1", "", receiptBody, "t=1772415000", http.StatusUnauthorized},
		{"v1 not hex", "", receiptBody, "t=1772415000,v1=zz", http.StatusUnauthorized},
		{"two timestamps", "", receiptBody, sign(receiptBody, fixedNow) + ",t=1772415000", http.StatusUnauthorized},
		{"stale: six minutes old", "", receiptBody, sign(receiptBody, fixedNow.Add(-6*time.Minute)), http.StatusUnauthorized},
		{"stale: six minutes ahead", "", receiptBody, sign(receiptBody, fixedNow.Add(6*time.Minute)), http.StatusUnauthorized},
		{"not JSON", "", `delivered`, sign(`delivered`, fixedNow), http.StatusBadRequest},
		{"JSON null", "", `null`, sign(`null`, fixedNow), http.StatusBadRequest},
		{"unknown status", "", `{"provider_id":"p","status":"read","at":"2026-03-02T09:30:05+08:00"}`, sign(`{"provider_id":"p","status":"read","at":"2026-03-02T09:30:05+08:00"}`, fixedNow), http.StatusBadRequest},
		{"no IDs", "", `{"status":"failed","at":"2026-03-02T09:30:05+08:00"}`, sign(`{"status":"failed","at":"2026-03-02T09:30:05+08:00"}`, fixedNow), http.StatusBadRequest},
		{"no time", "", `{"provider_id":"p","status":"failed"}`, sign(`{"provider_id":"p","status":"failed"}`, fixedNow), http.StatusBadRequest},
		{"trailing data", "", receiptBody + `{}`, sign(receiptBody+`{}`, fixedNow), http.StatusBadRequest},
		{"not UTF-8", "", "{\"provider_id\":\"\xff\"}", sign("{\"provider_id\":\"\xff\"}", fixedNow), http.StatusBadRequest},
		{"too large", "", strings.Repeat(" ", 65<<10) + receiptBody, sign(strings.Repeat(" ", 65<<10)+receiptBody, fixedNow), http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, spy, _, h := setupReceipts(t)
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			req := httptest.NewRequest(method, "/sms/receipts", strings.NewReader(tt.body))
			if tt.sig != "" {
				req.Header.Set(sms.SignatureHeader, tt.sig)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			require.Equal(t, tt.want, rec.Code, rec.Body.String())
			require.Zero(t, spy.calls(), "no callback for a rejected request")
		})
	}
}

func TestWebhook_ReceiptHandler_Replays(t *testing.T) {
	t.Parallel()

	t.Run("SameSignatureTwice", func(t *testing.T) {
		t.Parallel()
		_, spy, clk, h := setupReceipts(t)
		sig := sms.SignWebhook(secret, fixedNow, []byte(receiptBody))
		require.Equal(t, http.StatusNoContent, post(h, receiptBody, sig))
		clk.Add(time.Minute)
		require.Equal(t, http.StatusConflict, post(h, receiptBody, sig))
		require.Equal(t, 1, spy.calls())
	})

	t.Run("SameSignatureWithoutEventID", func(t *testing.T) {
		t.Parallel()
		_, spy, _, h := setupReceipts(t)
		body := strings.Replace(receiptBody, `"event_id":"ev-1",`, "", 1)
		sig := sms.SignWebhook(secret, fixedNow, []byte(body))
		require.Equal(t, http.StatusNoContent, post(h, body, sig))
		require.Equal(t, http.StatusConflict, post(h, body, sig))
		require.Equal(t, 1, spy.calls())
	})

	t.Run("SameEventIDResigned", func(t *testing.T) {
		t.Parallel()
		_, spy, clk, h := setupReceipts(t)
		require.Equal(t, http.StatusNoContent, post(h, receiptBody, sms.SignWebhook(secret, fixedNow, []byte(receiptBody))))
		clk.Add(30 * time.Second)
		require.Equal(t, http.StatusConflict, post(h, receiptBody, sms.SignWebhook(secret, clk.Now(), []byte(receiptBody))))
		require.Equal(t, 1, spy.calls())
	})

	t.Run("ReplayAfterToleranceIsStale", func(t *testing.T) {
		t.Parallel()
		_, spy, clk, h := setupReceipts(t)
		sig := sms.SignWebhook(secret, fixedNow, []byte(receiptBody))
		require.Equal(t, http.StatusNoContent, post(h, receiptBody, sig))
		clk.Add(11 * time.Minute)
		require.Equal(t, http.StatusUnauthorized, post(h, receiptBody, sig))
		require.Equal(t, 1, spy.calls())
	})

	t.Run("FutureTimestampRemembered", func(t *testing.T) {
		t.Parallel()
		_, spy, clk, h := setupReceipts(t)
		// Signed four minutes ahead of the receiver's clock: valid until
		// eight minutes from now, so it must be remembered that long.
		body := strings.Replace(receiptBody, `"event_id":"ev-1",`, "", 1)
		sig := sms.SignWebhook(secret, fixedNow.Add(4*time.Minute), []byte(body))
		require.Equal(t, http.StatusNoContent, post(h, body, sig))
		clk.Add(8 * time.Minute)
		require.Equal(t, http.StatusConflict, post(h, body, sig))
		require.Equal(t, 1, spy.calls())
	})

	t.Run("CallbackFailureLetsTheGatewayRetry", func(t *testing.T) {
		t.Parallel()
		_, spy, _, h := setupReceipts(t)
		spy.fail = errors.New("database down")
		sig := sms.SignWebhook(secret, fixedNow, []byte(receiptBody))
		require.Equal(t, http.StatusInternalServerError, post(h, receiptBody, sig))
		spy.fail = nil
		require.Equal(t, http.StatusNoContent, post(h, receiptBody, sig))
		require.Equal(t, 1, spy.calls())
	})

	t.Run("CacheIsBounded", func(t *testing.T) {
		t.Parallel()
		spy := &receiptSpy{}
		w := &sms.Webhook{Secret: secret, Now: func() time.Time { return fixedNow }, OnReceipt: spy.OnReceipt, ReplayCacheSize: 4}
		h := w.ReceiptHandler()
		for i := range 10 {
			body := strings.Replace(receiptBody, "ev-1", "ev-"+string(rune('a'+i)), 1)
			require.Equal(t, http.StatusNoContent, post(h, body, sms.SignWebhook(secret, fixedNow, []byte(body))))
		}
		// The most recent event is still remembered.
		body := strings.Replace(receiptBody, "ev-1", "ev-j", 1)
		require.Equal(t, http.StatusConflict, post(h, body, sms.SignWebhook(secret, fixedNow.Add(time.Second), []byte(body))))
		require.Equal(t, 10, spy.calls())
	})
}

func TestWebhook_ReplyHandler(t *testing.T) {
	t.Parallel()
	var got []sms.InboundReply
	w := &sms.Webhook{Secret: secret, Now: func() time.Time { return fixedNow },
		OnReply: func(_ context.Context, r sms.InboundReply) error { got = append(got, r); return nil }}
	h := w.ReplyHandler()
	body := `{"event_id":"mo-7","from":"13812345678","text":"同意结案","ext_code":"01","received_at":"2026-03-02T09:31:00+08:00","provider_id":"mo-7"}`
	require.Equal(t, http.StatusNoContent, post(h, body, sms.SignWebhook(secret, fixedNow, []byte(body))))
	require.Equal(t, http.StatusConflict, post(h, body, sms.SignWebhook(secret, fixedNow, []byte(body))))
	bad := `{"text":"同意结案","received_at":"2026-03-02T09:31:00+08:00"}`
	require.Equal(t, http.StatusBadRequest, post(h, bad, sms.SignWebhook(secret, fixedNow, []byte(bad))))
	require.Equal(t, []sms.InboundReply{{
		From: "13812345678", Text: "同意结案", ExtCode: "01",
		ReceivedAt: time.Date(2026, 3, 2, 1, 31, 0, 0, time.UTC).In(time.FixedZone("", 8*3600)), ProviderID: "mo-7",
	}}, got)
}

func TestWebhook_HandlersNeedCallbackAndSecret(t *testing.T) {
	t.Parallel()
	require.Panics(t, func() { (&sms.Webhook{Secret: secret}).ReceiptHandler() })
	require.Panics(t, func() { (&sms.Webhook{Secret: secret}).ReplyHandler() })
	require.Panics(t, func() {
		(&sms.Webhook{OnReceipt: func(context.Context, sms.DeliveryReceipt) error { return nil }}).ReceiptHandler()
	})
}

func TestVerifyWebhook_Errors(t *testing.T) {
	t.Parallel()
	body := []byte(receiptBody)
	_, err := sms.VerifyWebhook(secret, sms.SignWebhook(secret, fixedNow.Add(-10*time.Minute), body), body, fixedNow, 5*time.Minute)
	require.ErrorIs(t, err, sms.ErrStale)
	_, err = sms.VerifyWebhook(secret, "t=1,v1="+opensslVector, body, fixedNow, 5*time.Minute)
	require.ErrorIs(t, err, sms.ErrSignature)
	// Rotation: an old and a new signature, one of which verifies.
	rotated := sms.SignWebhook([]byte("old"), fixedNow, body) + ",v1=" + strings.Split(sms.SignWebhook(secret, fixedNow, body), "v1=")[1]
	_, err = sms.VerifyWebhook(secret, rotated, body, fixedNow, 5*time.Minute)
	require.NoError(t, err)
}
