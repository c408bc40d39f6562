package sms_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sms"
	"github.com/courtkit/zhixing/notify"
)

var secret = []byte("whsec_test")

func TestWebhook_Send(t *testing.T) {
	t.Parallel()
	var got struct {
		header http.Header
		body   []byte
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.header = r.Header.Clone()
		got.body, _ = io.ReadAll(r.Body)
		_, _ = w.Write([]byte(`{"id":"gw-42"}`))
	}))
	t.Cleanup(srv.Close)
	w := &sms.Webhook{URL: srv.URL, Secret: secret, Client: srv.Client(), Now: func() time.Time { return fixedNow }}

	r, err := w.Send(t.Context(), filingMessage())
	require.NoError(t, err)
	require.Equal(t, notify.Receipt{ProviderID: "gw-42", Gateway: "webhook"}, r)

	require.Equal(t, "application/json", got.header.Get("Content-Type"))
	require.Equal(t, "c1/filing/applicant", got.header.Get("Idempotency-Key"))
	require.Equal(t, sms.SignWebhook(secret, fixedNow, got.body), got.header.Get(sms.SignatureHeader))
	_, err = sms.VerifyWebhook(secret, got.header.Get(sms.SignatureHeader), got.body, fixedNow, time.Minute)
	require.NoError(t, err, "the receiver's verifier accepts what the sender signs")

	var msg map[string]any
	require.NoError(t, json.Unmarshal(got.body, &msg))
	require.Equal(t, map[string]any{
		"idempotency_key": "c1/filing/applicant", "to": "13812345678", "body": "rendered body is not sent",
		"template": "filing.applicant", "segments": float64(1),
		"params": map[string]any{"case_number": "(2026)京0105执123号", "deadline": "9日 17:00*~", "unused": "x"},
	}, msg)
}

func TestSignWebhook_Format(t *testing.T) {
	t.Parallel()
	// HMAC-SHA256("whsec_test", "1772415000.{}") computed with openssl:
	//   printf '1772415000.{}' | openssl dgst -sha256 -hmac whsec_test
	require.Equal(t, "t=1772415000,v1="+opensslVector, sms.SignWebhook(secret, fixedNow, []byte("{}")))
}

func TestWebhook_Send_Classification(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		status     int
		header     http.Header
		body       string
		retryable  bool
		code       string
		retryAfter time.Duration
		providerID string
	}{
		{"200 with id", 200, nil, `{"id":"a1"}`, false, "", 0, "a1"},
		{"202 without a body", 202, nil, ``, false, "", 0, ""},
		{"201 with a body that is not JSON", 201, nil, `queued`, false, "", 0, ""},
		{"408 request timeout", 408, nil, `slow`, true, "http 408", 0, ""},
		{"425 too early", 425, nil, ``, true, "http 425", 0, ""},
		{"429 with Retry-After seconds", 429, http.Header{"Retry-After": {"30"}}, `slow down`, true, "http 429", 30 * time.Second, ""},
		{"503 with Retry-After date", 503, http.Header{"Retry-After": {fixedNow.Add(2 * time.Minute).UTC().Format(http.TimeFormat)}}, ``, true, "http 503", 2 * time.Minute, ""},
		{"500 with a malformed Retry-After", 500, http.Header{"Retry-After": {"soon"}}, `boom`, true, "http 500", 0, ""},
		{"400 bad request", 400, nil, `{"error":"bad number"}`, false, "http 400", 0, ""},
		{"401 unauthorised", 401, nil, ``, false, "http 401", 0, ""},
		{"404 not found", 404, nil, ``, false, "http 404", 0, ""},
		{"422 unprocessable", 422, nil, `no`, false, "http 422", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header()[k] = v
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			t.Cleanup(srv.Close)
			w := &sms.Webhook{URL: srv.URL, Secret: secret, Client: srv.Client(), Now: func() time.Time { return fixedNow }}
			r, err := w.Send(t.Context(), filingMessage())
			if tt.code == "" {
				require.NoError(t, err)
				require.Equal(t, tt.providerID, r.ProviderID)
				return
			}
			var se *notify.SendError
			require.ErrorAs(t, err, &se)
			require.Equal(t, tt.retryable, se.Retryable)
			require.Equal(t, tt.code, se.Code)
			require.Equal(t, tt.retryAfter, se.RetryAfter)
			require.Equal(t, strings.TrimSpace(tt.body), se.Reason)
		})
	}
}

func TestWebhook_Send_LongBodyIsSnipped(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		_, _ = w.Write([]byte(strings.Repeat("错", 1000)))
	}))
	t.Cleanup(srv.Close)
	_, err := (&sms.Webhook{URL: srv.URL, Secret: secret}).Send(t.Context(), filingMessage())
	var se *notify.SendError
	require.ErrorAs(t, err, &se)
	require.Less(t, len(se.Reason), 210)
	require.True(t, strings.HasSuffix(se.Reason, "错…"), se.Reason)
}

func TestWebhook_Send_NetworkFailures(t *testing.T) {
	t.Parallel()
	t.Run("connection refused", func(t *testing.T) {
		t.Parallel()
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close()
		_, err := (&sms.Webhook{URL: url, Secret: secret}).Send(t.Context(), filingMessage())
		require.ErrorIs(t, err, notify.ErrRetryable)
	})
	t.Run("client timeout", func(t *testing.T) {
		t.Parallel()
		block := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-block:
			case <-r.Context().Done():
			}
		}))
		t.Cleanup(func() { close(block); srv.Close() })
		w := &sms.Webhook{URL: srv.URL, Secret: secret, Client: &http.Client{Timeout: 50 * time.Millisecond}}
		_, err := w.Send(t.Context(), filingMessage())
		var se *notify.SendError
		require.ErrorAs(t, err, &se)
		require.True(t, se.Retryable)
		require.Equal(t, "timeout", se.Code)
	})
	t.Run("context deadline", func(t *testing.T) {
		t.Parallel()
		block := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-block:
			case <-r.Context().Done():
			}
		}))
		t.Cleanup(func() { close(block); srv.Close() })
		ctx, cancel := contextWithTimeout(t, 50*time.Millisecond)
		defer cancel()
		_, err := (&sms.Webhook{URL: srv.URL, Secret: secret}).Send(ctx, filingMessage())
		var se *notify.SendError
		require.ErrorAs(t, err, &se)
		require.True(t, se.Retryable)
		require.Equal(t, "context", se.Code)
	})
}

const opensslVector = "b665363705ba343adbf0bb420dcd300c5a5682ad5cdd63c319bda21ada612876"

func TestSenders_MissingConfigIsPermanent(t *testing.T) {
	t.Parallel()
	for name, s := range map[string]notify.Sender{
		"webhook without URL":    &sms.Webhook{Secret: secret},
		"webhook without secret": &sms.Webhook{URL: "http://127.0.0.1:1"},
		"aliyun without keys":    &sms.Aliyun{SignName: "法院"},
		"aliyun without sign":    &sms.Aliyun{AccessKeyID: "id", AccessKeySecret: "s"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := s.Send(t.Context(), filingMessage())
			require.ErrorIs(t, err, notify.ErrPermanent)
		})
	}
}

func TestVerifyWebhook_FarTimestampsAreStale(t *testing.T) {
	t.Parallel()
	body := []byte(receiptBody)
	for _, off := range []int64{1 << 31, 1 << 35, 1 << 39, -(1 << 35), 1<<62 - 1} {
		at := time.Unix(fixedNow.Unix()+off, 0)
		_, err := sms.VerifyWebhook(secret, sms.SignWebhook(secret, at, body), body, fixedNow, sms.DefaultTolerance)
		require.ErrorIs(t, err, sms.ErrStale, "offset %d s", off)
	}
}
