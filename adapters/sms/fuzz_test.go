package sms_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
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

// FuzzAliyunPush feeds arbitrary bodies to the SmsReport (up false) or
// SmsUp (up true) handler. It must never panic; it answers 200 with a
// numeric code 0 and one callback per applied item, or 400/413 with no
// callback; and the same body pushed again delivers nothing new.
func FuzzAliyunPush(f *testing.F) {
	for _, name := range []string{"aliyun_smsreport.json", "aliyun_smsup.json"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, name == "aliyun_smsup.json")
	}
	f.Add([]byte(`[]`), false)
	f.Add([]byte(`[null,1,"x",[],{}]`), false)
	f.Add([]byte(`[{"biz_id":"b","phone_number":"1","success":true,"report_time":"2026-03-02 09:30:05"},{"biz_id":"b","phone_number":"1","success":false,"report_time":"20260302093005"}]`), false)
	f.Add([]byte(`[{"phone_number":"1","send_time":"2026-03-02 10:15:00","sequence_id":1e400}]`), true)
	f.Add([]byte(`[{"phone_number":"1","send_time":"2026-03-02 10:15:00","sequence_id":"\u0000"}]`), true)
	f.Add([]byte(`[{"phone_number":"1","send_time":"2026-02-30 25:61:61","sequence_id":-0}]`), true)
	f.Add([]byte("[{\"content\":\"\xff\"}]"), true)
	f.Add([]byte(`{"phone_number":"1"}`), false)
	f.Add([]byte(`[] x`), false)

	f.Fuzz(func(t *testing.T, body []byte, up bool) {
		applied := 0
		p := &sms.AliyunPush{Token: "fuzz-token-0123456789", Now: func() time.Time { return fixedNow },
			OnReceipt: func(_ context.Context, r sms.DeliveryReceipt) error {
				if r.ProviderID == "" || r.Status == 0 || r.At.IsZero() {
					t.Fatalf("incomplete receipt %+v", r)
				}
				applied++
				return nil
			},
			OnReply: func(_ context.Context, r sms.InboundReply) error {
				if r.From == "" || r.ProviderID == "" || r.ReceivedAt.IsZero() {
					t.Fatalf("incomplete reply %+v", r)
				}
				applied++
				return nil
			}}
		h := p.ReportHandler()
		if up {
			h = p.UpHandler()
		}
		push := func() (int, int) {
			req := httptest.NewRequest(http.MethodPost, "/?token=fuzz-token-0123456789", bytes.NewReader(body))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			var a struct {
				Code    *json.Number `json:"code"`
				Applied int          `json:"applied"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil || a.Code == nil {
				t.Fatalf("answer %q is not JSON with a code: %v", rec.Body, err)
			}
			if (rec.Code == http.StatusOK) != (a.Code.String() == "0") {
				t.Fatalf("status %d with code %s", rec.Code, a.Code)
			}
			return rec.Code, a.Applied
		}
		code, n := push()
		switch code {
		case http.StatusOK:
			if n != applied {
				t.Fatalf("answer says %d applied, callbacks %d", n, applied)
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			if applied != 0 {
				t.Fatalf("status %d after %d callbacks", code, applied)
			}
		default:
			t.Fatalf("status %d", code)
		}
		first := applied
		code2, n2 := push()
		if code2 != code || n2 != 0 || applied != first {
			t.Fatalf("second push: status %d then %d, %d more callbacks", code, code2, applied-first)
		}
	})
}
