package sms_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sms"
	"github.com/courtkit/zhixing/notify"
)

func TestAliyunSignature_DocumentedExample(t *testing.T) {
	t.Parallel()
	// Alibaba Cloud "Request signature" topic, Example section: the
	// DescribeRegions request signed with testsecret& gives this value.
	params := map[string]string{
		"AccessKeyId":      "testid",
		"Action":           "DescribeRegions",
		"Format":           "XML",
		"SignatureMethod":  "HMAC-SHA1",
		"SignatureNonce":   "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
		"SignatureVersion": "1.0",
		"Timestamp":        "2016-02-23T12:46:24Z",
		"Version":          "2014-05-26",
	}
	require.Equal(t, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=", sms.AliyunSignature(http.MethodGet, params, "testsecret"))
	require.Equal(t, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=", independentSign(http.MethodGet, params, "testsecret"),
		"the test server's own signer agrees with the documented example")
}

// independentSign follows the topic's Java recipe instead of our encoder:
// form-encode, then replace + with %20, * with %2A and %7E with ~.
func independentSign(method string, params map[string]string, secret string) string {
	enc := func(s string) string {
		s = url.QueryEscape(s)
		return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(s)
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = enc(k) + "=" + enc(params[k])
	}
	sts := method + "&" + enc("/") + "&" + enc(strings.Join(pairs, "&"))
	m := hmac.New(sha1.New, []byte(secret+"&"))
	m.Write([]byte(sts))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// fakeDysms is a local SendSms endpoint that checks the signature with
// independentSign and records the parameters it accepted.
type fakeDysms struct {
	t      testing.TB
	secret string
	status int
	body   string
	header http.Header

	mu   sync.Mutex
	seen []url.Values
}

func (f *fakeDysms) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	params := map[string]string{}
	for k, v := range q {
		if k != "Signature" {
			params[k] = v[0]
		}
	}
	for k, v := range f.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	if r.Method != http.MethodGet || q.Get("Signature") != independentSign(r.Method, params, f.secret) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation.","RequestId":"R1"}`))
		return
	}
	f.mu.Lock()
	f.seen = append(f.seen, q)
	f.mu.Unlock()
	w.WriteHeader(f.status)
	_, _ = w.Write([]byte(f.body))
}

func (f *fakeDysms) requests() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.seen...)
}

var fixedNow = time.Date(2026, 3, 2, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))

func newAliyun(t *testing.T, f *fakeDysms) *sms.Aliyun {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return &sms.Aliyun{
		AccessKeyID:     "testid",
		AccessKeySecret: f.secret,
		SignName:        "某某人民法院",
		Endpoint:        srv.URL,
		Client:          srv.Client(),
		Now:             func() time.Time { return fixedNow },
		Nonce:           func() string { return "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf" },
		Templates: map[string]sms.AliyunTemplate{
			"filing.applicant": {
				Code:   "SMS_153055065",
				Params: map[string]string{"caseno": "case_number", "date": "deadline"},
				MaxLen: map[string]int{"date": 11},
			},
		},
	}
}

func filingMessage() notify.Outgoing {
	return notify.Outgoing{
		IdempotencyKey: "c1/filing/applicant", To: "13812345678",
		Body: "rendered body is not sent", Template: "filing.applicant",
		Params:   map[string]string{"case_number": "(2026)京0105执123号", "deadline": "9日 17:00*~", "unused": "x"},
		Segments: 1,
	}
}

func TestAliyun_Send(t *testing.T) {
	t.Parallel()
	f := &fakeDysms{t: t, secret: "testsecret", status: 200,
		body: `{"Code":"OK","Message":"OK","BizId":"900619746936498440^0","RequestId":"F655A8D5"}`}
	a := newAliyun(t, f)
	r, err := a.Send(t.Context(), filingMessage())
	require.NoError(t, err)
	require.Equal(t, notify.Receipt{ProviderID: "900619746936498440^0", Gateway: "aliyun"}, r)

	reqs := f.requests()
	require.Len(t, reqs, 1)
	q := reqs[0]
	for k, want := range map[string]string{
		"Action": "SendSms", "Version": "2017-05-25", "RegionId": "cn-hangzhou", "Format": "JSON",
		"AccessKeyId": "testid", "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
		"SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "Timestamp": "2026-03-02T01:30:00Z",
		"PhoneNumbers": "13812345678", "SignName": "某某人民法院", "TemplateCode": "SMS_153055065",
		"OutId": "c1/filing/applicant",
	} {
		require.Equal(t, want, q.Get(k), k)
	}
	var tp map[string]string
	require.NoError(t, json.Unmarshal([]byte(q.Get("TemplateParam")), &tp))
	require.Equal(t, map[string]string{"caseno": "(2026)京0105执123号", "date": "9日 17:00*~"}, tp)
}

func TestAliyun_Send_WrongSecretIsPermanent(t *testing.T) {
	t.Parallel()
	f := &fakeDysms{t: t, secret: "testsecret", status: 200, body: `{"Code":"OK","BizId":"x"}`}
	a := newAliyun(t, f)
	a.AccessKeySecret = "wrong"
	_, err := a.Send(t.Context(), filingMessage())
	require.ErrorIs(t, err, notify.ErrPermanent)
	var se *notify.SendError
	require.ErrorAs(t, err, &se)
	require.Equal(t, "SignatureDoesNotMatch", se.Code)
	require.Empty(t, f.requests())
}

func TestAliyun_Send_MappingErrors(t *testing.T) {
	t.Parallel()
	tooLong := filingMessage()
	tooLong.Params = map[string]string{"case_number": strings.Repeat("号", 36), "deadline": "2026年03月09日下午"}
	missing := filingMessage()
	missing.Params = map[string]string{"case_number": "(2026)京0105执123号"}
	unmapped := filingMessage()
	unmapped.Template = "closure.opinion"
	longKey := filingMessage()
	longKey.IdempotencyKey = strings.Repeat("k", 256)

	tests := []struct {
		name   string
		o      notify.Outgoing
		target []error
		params []string
	}{
		{"default 35-character limit and an override", tooLong, []error{sms.ErrParamTooLong}, []string{"caseno", "date"}},
		{"missing zhixing variable", missing, []error{sms.ErrParamMissing}, []string{"date"}},
		{"template without an approved code", unmapped, []error{sms.ErrTemplateNotMapped}, nil},
		{"OutId must be shorter than 256", longKey, []error{sms.ErrOutIDTooLong}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeDysms{t: t, secret: "testsecret", status: 200, body: `{"Code":"OK","BizId":"x"}`}
			a := newAliyun(t, f)
			_, err := a.Send(t.Context(), tt.o)
			require.ErrorIs(t, err, notify.ErrPermanent)
			for _, target := range tt.target {
				require.ErrorIs(t, err, target)
			}
			var got []string
			for _, pe := range paramErrors(err) {
				got = append(got, pe.Param)
			}
			require.Equal(t, tt.params, got, "every variable is named, in order")
			require.Empty(t, f.requests(), "nothing is sent")
		})
	}
}

// paramErrors returns the ParamErrors in the tree under err, in order.
func paramErrors(err error) []*sms.ParamError {
	if pe, ok := err.(*sms.ParamError); ok {
		return []*sms.ParamError{pe}
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*sms.ParamError
		for _, e := range j.Unwrap() {
			out = append(out, paramErrors(e)...)
		}
		return out
	}
	if u := errors.Unwrap(err); u != nil {
		return paramErrors(u)
	}
	return nil
}

func TestAliyun_Send_ResponseCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		status     int
		body       string
		header     http.Header
		retryable  bool
		code       string
		retryAfter time.Duration
	}{
		{"flow control per number", 200, `{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发分钟级流控"}`, nil, true, "isv.BUSINESS_LIMIT_CONTROL", 0},
		{"API throttling", 400, `{"Code":"Throttling.User","Message":"Request was denied due to user flow control."}`, nil, true, "Throttling.User", 0},
		{"service unavailable", 503, `{"Code":"ServiceUnavailable","Message":"x"}`, http.Header{"Retry-After": {"7"}}, true, "ServiceUnavailable", 7 * time.Second},
		{"internal error", 500, `{"Code":"InternalError","Message":"x"}`, nil, true, "InternalError", 0},
		{"system error", 200, `{"Code":"isp.SYSTEM_ERROR","Message":"x"}`, nil, true, "isp.SYSTEM_ERROR", 0},
		{"daily quota resets at CST midnight", 200, `{"Code":"isv.DAY_LIMIT_CONTROL","Message":"x"}`, nil, true, "isv.DAY_LIMIT_CONTROL", 14*time.Hour + 30*time.Minute},
		{"illegal mobile number", 200, `{"Code":"isv.MOBILE_NUMBER_ILLEGAL","Message":"非法手机号"}`, nil, false, "isv.MOBILE_NUMBER_ILLEGAL", 0},
		{"template missing parameters", 200, `{"Code":"isv.TEMPLATE_MISSING_PARAMETERS","Message":"x"}`, nil, false, "isv.TEMPLATE_MISSING_PARAMETERS", 0},
		{"template illegal", 200, `{"Code":"isv.SMS_TEMPLATE_ILLEGAL","Message":"x"}`, nil, false, "isv.SMS_TEMPLATE_ILLEGAL", 0},
		{"signature illegal", 200, `{"Code":"isv.SMS_SIGNATURE_ILLEGAL","Message":"x"}`, nil, false, "isv.SMS_SIGNATURE_ILLEGAL", 0},
		{"unknown code on 4xx", 400, `{"Code":"isv.SOMETHING_NEW","Message":"x"}`, nil, false, "isv.SOMETHING_NEW", 0},
		{"unknown code on 5xx", 502, `{"Code":"isv.SOMETHING_NEW","Message":"x"}`, nil, true, "isv.SOMETHING_NEW", 0},
		{"HTML from a proxy on 502", 502, `<html>bad gateway</html>`, nil, true, "http 502", 0},
		{"HTML on 404", 404, `<html>not found</html>`, nil, false, "http 404", 0},
		{"unreadable 200", 200, `not json`, nil, true, "http 200", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeDysms{t: t, secret: "testsecret", status: tt.status, body: tt.body, header: tt.header}
			_, err := newAliyun(t, f).Send(t.Context(), filingMessage())
			var se *notify.SendError
			require.ErrorAs(t, err, &se)
			require.Equal(t, tt.retryable, se.Retryable)
			require.Equal(t, tt.code, se.Code)
			require.Equal(t, tt.retryAfter, se.RetryAfter)
			if tt.retryable {
				require.ErrorIs(t, err, notify.ErrRetryable)
			} else {
				require.ErrorIs(t, err, notify.ErrPermanent)
			}
		})
	}
}

func TestAliyun_Send_ContextDeadline(t *testing.T) {
	t.Parallel()
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(block); srv.Close() })
	a := &sms.Aliyun{AccessKeyID: "id", AccessKeySecret: "s", SignName: "法院", Endpoint: srv.URL,
		Templates: map[string]sms.AliyunTemplate{"filing.applicant": {Code: "SMS_1"}}}
	ctx, cancel := contextWithTimeout(t, 50*time.Millisecond)
	defer cancel()
	_, err := a.Send(ctx, filingMessage())
	require.ErrorIs(t, err, notify.ErrRetryable)
}
