package sms_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/courtkit/zhixing/adapters/sms"
)

// FuzzWebhookReceipt feeds arbitrary bodies and signature headers to the
// receipt handler. It must never panic, must call OnReceipt only for a
// request whose signature verifies, and must answer 204 exactly then.
// sign signs the body at fixedNow plus offset seconds instead of using
// header.
func FuzzWebhookReceipt(f *testing.F) {
	f.Add([]byte(receiptBody), "", true, int64(0))                                                         // valid and signed
	f.Add([]byte(receiptBody), "t=1772415000,v1="+opensslVector, false, int64(0))                          // wrong MAC
	f.Add([]byte(`{"provider_id":"p","status":"failed","at":"2026-03-02T09:30:05Z"}`), "", true, int64(0)) // minimal valid
	f.Add([]byte(`{"status":"read"}`), "", true, int64(0))                                                 // signed but malformed
	f.Add([]byte(`null`), "", true, int64(0))                                                              // signed null
	f.Add([]byte("{\"provider_id\":\"\xff\"}"), "", true, int64(0))                                        // invalid UTF-8
	f.Add([]byte(receiptBody), "t=,v1=", false, int64(0))                                                  // empty parts
	f.Add([]byte(receiptBody), "t=99999999999999999999,v1=00", false, int64(0))                            // overflowing timestamp
	f.Add([]byte(receiptBody), "v1=,t=1772415000,,", false, int64(0))                                      // stray commas
	f.Add([]byte(``), "", true, int64(0))
	f.Add([]byte(receiptBody), "", true, int64(1<<35)) // signed a millennium ahead
	f.Add([]byte(receiptBody), "", true, int64(-301))  // signed just too long ago                                                                  // empty body

	f.Fuzz(func(t *testing.T, body []byte, header string, sign bool, offset int64) {
		if sign {
			header = sms.SignWebhook(secret, time.Unix(fixedNow.Unix()+offset, 0), body)
		}
		called := 0
		w := &sms.Webhook{Secret: secret, Now: func() time.Time { return fixedNow },
			OnReceipt: func(context.Context, sms.DeliveryReceipt) error { called++; return nil }}
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(string(body)))
		req.Header.Set(sms.SignatureHeader, header)
		rec := httptest.NewRecorder()
		w.ReceiptHandler().ServeHTTP(rec, req)

		_, verr := sms.VerifyWebhook(secret, header, body, fixedNow, sms.DefaultTolerance)
		if called > 0 && verr != nil {
			t.Fatalf("callback for an unverified request: %v", verr)
		}
		if sign && (offset > 300 || offset < -300) && called > 0 {
			t.Fatalf("callback for a request signed %d s away", offset)
		}
		if called > 1 {
			t.Fatalf("callback called %d times", called)
		}
		if (called == 1) != (rec.Code == http.StatusNoContent) {
			t.Fatalf("status %d with %d callbacks", rec.Code, called)
		}
		if verr != nil && rec.Code != http.StatusUnauthorized && rec.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("unverified request answered %d", rec.Code)
		}
	})
}
