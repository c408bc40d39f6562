package sms

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Alibaba Cloud push limits and defaults.
const (
	// AliyunPushMaxBody bounds the body of one push. Alibaba Cloud merges
	// reports into batches; a megabyte holds thousands of them.
	AliyunPushMaxBody = 1 << 20
	// AliyunPushMinToken is the shortest Token an [AliyunPush] accepts.
	AliyunPushMinToken = 16
	// DefaultAliyunReplayWindow is how long an [AliyunPush] remembers
	// the items it has delivered. Alibaba Cloud retries a failed push
	// after 1, 5 and 10 minutes (its newer API reference lists up to ten
	// attempts over about six hours), so a day covers every retry.
	DefaultAliyunReplayWindow = 24 * time.Hour
)

// AliyunPush receives the batch pushes (HTTP批量推送) that Alibaba Cloud
// SMS posts to a URL configured in its console for delivery reports
// (SmsReport, 状态报告) and for party replies (SmsUp, 上行短信), and
// passes each item to the same callbacks as [Webhook]:
//
//   - [AliyunPush.ReportHandler] maps each SmsReport item to a
//     [DeliveryReceipt] for OnReceipt;
//   - [AliyunPush.UpHandler] maps each SmsUp item to an [InboundReply]
//     for OnReply.
//
// The formats are those documented at
// https://help.aliyun.com/zh/sms/developer-reference/smsreport-2
// (document 101867) and
// https://help.aliyun.com/zh/sms/developer-reference/smsup-http
// (document 101847). A push is a JSON array; Alibaba Cloud treats an
// HTTP 200 answer whose body has a numeric "code" as received, and
// retries anything else.
//
// # Protecting the endpoint
//
// Alibaba Cloud does not sign these pushes, so anyone who knows the URL
// could forge a receipt or a reply. Every request must carry Token, a
// random secret of at least [AliyunPushMinToken] bytes, either as the
// {token} wildcard of the route pattern (preferred, since proxies rarely
// strip it from the URL Alibaba Cloud is given) or as the "token" query
// parameter; it is compared in constant time. Keep the token out of
// access logs, serve the endpoint over HTTPS, and where possible also set
// AllowFrom to the source ranges Alibaba Cloud publishes for its push
// service, checked against the client address (RemoteAddr, or ClientAddrFunc
// behind a proxy).
//
// # Answers and retries
//
// The handlers answer:
//
//   - 405 for a method other than POST, 403 for an address outside
//     AllowFrom or a missing or wrong token, 413 for a body over
//     [AliyunPushMaxBody], and 400 for a body that is not a UTF-8 JSON
//     array. Nothing is applied; Alibaba Cloud retries these like any
//     failure and then drops the push.
//   - 200 {"code":0,"msg":"接收成功"} when every item was applied now or
//     before. An item that cannot be understood (a missing biz_id, an
//     unparseable time) is skipped, reported to OnRejected and listed
//     under "rejected" in the answer, and the rest of the batch is still
//     applied and answered 200: retrying would not repair the item, and a
//     non-200 answer would make Alibaba Cloud push the good items again.
//   - 500 when a callback returned an error for some item. The items that
//     were applied stay applied, the failed ones are forgotten, and
//     Alibaba Cloud's retry of the whole batch delivers only those.
//
// # Idempotency
//
// Alibaba Cloud does not guarantee that a report is pushed only once.
// An SmsReport item is identified by biz_id and phone_number (one
// SendBatchSms shares a biz_id across numbers), an SmsUp item by
// sequence_id; an item already delivered within ReplayWindow, in this or
// an earlier batch, is not passed to the callback again. The memory is
// bounded by ReplayCacheSize and is lost on restart, so callbacks should
// still tolerate a rare duplicate (notify matches receipts by provider
// ID and idempotency key).
//
// Set the fields before first use and do not copy an AliyunPush after
// that. It is safe for concurrent use.
type AliyunPush struct {
	// Token is the secret the push URL carries. Required, at least
	// AliyunPushMinToken bytes; use e.g. 32 random hex characters.
	Token string
	// AllowFrom, if not empty, lists the client address ranges accepted.
	AllowFrom []netip.Prefix
	// ClientAddrFunc returns the address checked against AllowFrom; if nil,
	// the host of the request's RemoteAddr. Set it when a trusted proxy
	// stands in front and puts the client's address in a header.
	ClientAddrFunc func(r *http.Request) (netip.Addr, error)

	// OnReceipt is called with each new delivery report. If it returns
	// an error the push is answered 500 so that it is retried.
	OnReceipt func(ctx context.Context, r DeliveryReceipt) error
	// OnReply is called with each new party reply, with the same
	// contract as OnReceipt.
	OnReply func(ctx context.Context, r InboundReply) error
	// OnRejected, if set, is called with each item skipped as malformed;
	// the error is an *AliyunItemError.
	OnRejected func(ctx context.Context, err error)

	// ReplayWindow is how long delivered items are remembered;
	// DefaultAliyunReplayWindow if zero.
	ReplayWindow time.Duration
	// ReplayCacheSize bounds the remembered items;
	// DefaultReplayCacheSize if zero.
	ReplayCacheSize int
	// Now is the clock for the replay memory; time.Now if nil.
	Now func() time.Time

	once   sync.Once
	replay *replayCache
}

// AliyunItemError reports an item of a push that was skipped. It matches
// ErrMalformed and its cause.
type AliyunItemError struct {
	Kind  string // "SmsReport" or "SmsUp"
	Index int    // the item's position in the pushed array, from 0
	Err   error  // what is wrong with it
}

// Error names the push kind, the item and the problem.
func (e *AliyunItemError) Error() string {
	return fmt.Sprintf("sms: aliyun %s item %d: %v", e.Kind, e.Index, e.Err)
}

// Unwrap returns ErrMalformed and the cause.
func (e *AliyunItemError) Unwrap() []error { return []error{ErrMalformed, e.Err} }

// aliyunReport is one SmsReport item.
type aliyunReport struct {
	PhoneNumber string `json:"phone_number"`
	ReportTime  string `json:"report_time"`
	Success     *bool  `json:"success"`
	ErrCode     string `json:"err_code"`
	ErrMsg      string `json:"err_msg"`
	BizID       string `json:"biz_id"`
	OutID       string `json:"out_id"`
	// send_time and sms_size are not needed; leaving them out keeps an
	// unexpected type there from rejecting the item.
}

// aliyunUp is one SmsUp item.
type aliyunUp struct {
	PhoneNumber string   `json:"phone_number"`
	SendTime    string   `json:"send_time"`
	Content     string   `json:"content"`
	DestCode    string   `json:"dest_code"`
	SequenceID  aliyunID `json:"sequence_id"`
}

// aliyunID is an ID that Alibaba Cloud documents as a Number in one
// place and a String in another; both decode to the same text.
type aliyunID string

func (id *aliyunID) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = aliyunID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.New("sequence_id is neither a string nor a number")
	}
	*id = aliyunID(n)
	return nil
}

// aliyunTimeLayouts are the documented time forms ("2017-01-01 00:00:00";
// an older page shows "20170901000000"), in China Standard Time.
var aliyunTimeLayouts = []string{"2006-01-02 15:04:05", "20060102150405"}

func parseAliyunTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("%s is required", field)
	}
	for _, layout := range aliyunTimeLayouts {
		if t, err := time.ParseInLocation(layout, s, chinaTime); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%s %q is not a time like 2017-01-01 00:00:00", field, s)
}

// aliyunItem is a parsed item: its replay key and its callback.
type aliyunItem struct {
	key  string
	call func(ctx context.Context) error
}

// ReportHandler returns the handler for SmsReport pushes (状态报告),
// whose items look like
//
//	{"phone_number": "13800138000", "send_time": "2026-03-02 09:30:00",
//	 "report_time": "2026-03-02 09:30:05", "success": true,
//	 "err_code": "DELIVERED", "err_msg": "用户接收成功", "sms_size": "1",
//	 "biz_id": "900619746936498440^0", "out_id": "c1/filing/applicant"}
//
// biz_id (the BizId SendSms returned) becomes ProviderID, out_id (the
// OutId [Aliyun] sends, the idempotency key) IdempotencyKey, success
// Delivered or Failed, err_code and err_msg Code and Reason, and
// report_time At, read as China Standard Time. biz_id, phone_number,
// success and report_time are required. See [AliyunPush] for the answers.
//
// It panics if Token is shorter than AliyunPushMinToken or OnReceipt is
// nil.
func (p *AliyunPush) ReportHandler() http.Handler {
	if p.OnReceipt == nil {
		panic("sms: AliyunPush.ReportHandler needs OnReceipt")
	}
	return p.handler("SmsReport", func(raw json.RawMessage) (aliyunItem, error) {
		var it aliyunReport
		if err := json.Unmarshal(raw, &it); err != nil {
			return aliyunItem{}, err
		}
		var errs []error
		if it.BizID == "" {
			errs = append(errs, errors.New("biz_id is required"))
		}
		if it.PhoneNumber == "" {
			errs = append(errs, errors.New("phone_number is required"))
		}
		if it.Success == nil {
			errs = append(errs, errors.New("success is required"))
		}
		at, err := parseAliyunTime("report_time", it.ReportTime)
		errs = append(errs, err)
		if err := errors.Join(errs...); err != nil {
			return aliyunItem{}, err
		}
		r := DeliveryReceipt{
			ProviderID: it.BizID, IdempotencyKey: it.OutID, Status: Failed,
			Code: it.ErrCode, Reason: it.ErrMsg, At: at,
		}
		if *it.Success {
			r.Status = Delivered
		}
		return aliyunItem{
			// Length-prefixed, so no biz_id and phone_number pair can
			// spell another's key.
			key:  "aliyun-report:" + strconv.Itoa(len(it.BizID)) + ":" + it.BizID + it.PhoneNumber,
			call: func(ctx context.Context) error { return p.OnReceipt(ctx, r) },
		}, nil
	})
}

// UpHandler returns the handler for SmsUp pushes (上行短信), whose items
// look like
//
//	{"phone_number": "13800138000", "send_time": "2026-03-02 10:15:00",
//	 "content": "同意结案", "sign_name": "某某区人民法院",
//	 "dest_code": "01", "sequence_id": 1234567890}
//
// phone_number becomes From, content Text, dest_code ExtCode, send_time
// ReceivedAt (read as China Standard Time), and sequence_id (a number or a string) ProviderID.
// phone_number, send_time and sequence_id are required; sign_name is
// ignored. See [AliyunPush] for the answers.
//
// It panics if Token is shorter than AliyunPushMinToken or OnReply is nil.
func (p *AliyunPush) UpHandler() http.Handler {
	if p.OnReply == nil {
		panic("sms: AliyunPush.UpHandler needs OnReply")
	}
	return p.handler("SmsUp", func(raw json.RawMessage) (aliyunItem, error) {
		var it aliyunUp
		if err := json.Unmarshal(raw, &it); err != nil {
			return aliyunItem{}, err
		}
		var errs []error
		if it.PhoneNumber == "" {
			errs = append(errs, errors.New("phone_number is required"))
		}
		if it.SequenceID == "" {
			errs = append(errs, errors.New("sequence_id is required"))
		}
		at, err := parseAliyunTime("send_time", it.SendTime)
		errs = append(errs, err)
		if err := errors.Join(errs...); err != nil {
			return aliyunItem{}, err
		}
		r := InboundReply{
			From: it.PhoneNumber, Text: it.Content, ExtCode: it.DestCode,
			ReceivedAt: at, ProviderID: string(it.SequenceID),
		}
		return aliyunItem{
			key:  "aliyun-up:" + string(it.SequenceID),
			call: func(ctx context.Context) error { return p.OnReply(ctx, r) },
		}, nil
	})
}

// aliyunAnswer is the body of every answer. Alibaba Cloud reads only
// code; the rest is for whoever inspects its push log.
type aliyunAnswer struct {
	Code       int              `json:"code"`
	Msg        string           `json:"msg"`
	Applied    int              `json:"applied,omitempty"`
	Duplicates int              `json:"duplicates,omitempty"`
	Rejected   []aliyunRejected `json:"rejected,omitempty"`
}

type aliyunRejected struct {
	Index int    `json:"index"`
	Error string `json:"error"`
}

func (p *AliyunPush) handler(kind string, parse func(json.RawMessage) (aliyunItem, error)) http.Handler {
	if len(p.Token) < AliyunPushMinToken {
		panic(fmt.Sprintf("sms: AliyunPush needs a Token of at least %d bytes", AliyunPushMinToken))
	}
	p.once.Do(func() {
		p.replay = newReplayCache(positiveOr(p.ReplayCacheSize, DefaultReplayCacheSize))
	})
	window := p.ReplayWindow
	if window <= 0 {
		window = DefaultAliyunReplayWindow
	}
	want := sha256.Sum256([]byte(p.Token))
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			rw.Header().Set("Allow", http.MethodPost)
			answerAliyun(rw, http.StatusMethodNotAllowed, aliyunAnswer{Msg: "method not allowed"})
			return
		}
		if !p.allowed(r) {
			answerAliyun(rw, http.StatusForbidden, aliyunAnswer{Msg: "address not allowed"})
			return
		}
		got := sha256.Sum256([]byte(requestToken(r)))
		if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			answerAliyun(rw, http.StatusForbidden, aliyunAnswer{Msg: "token does not match"})
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, AliyunPushMaxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				answerAliyun(rw, http.StatusRequestEntityTooLarge, aliyunAnswer{Msg: "push too large"})
				return
			}
			answerAliyun(rw, http.StatusBadRequest, aliyunAnswer{Msg: "cannot read push"})
			return
		}
		items, err := decodeAliyunArray(body)
		if err != nil {
			answerAliyun(rw, http.StatusBadRequest, aliyunAnswer{Msg: err.Error()})
			return
		}
		ctx := r.Context()
		var ans aliyunAnswer
		failed := 0
		for i, raw := range items {
			it, err := parse(raw)
			if err != nil {
				ierr := &AliyunItemError{Kind: kind, Index: i, Err: err}
				ans.Rejected = append(ans.Rejected, aliyunRejected{Index: i, Error: err.Error()})
				if p.OnRejected != nil {
					p.OnRejected(ctx, ierr)
				}
				continue
			}
			now := p.now()
			// Hashed, so that what is remembered per item is small
			// however long the IDs a push carries.
			sum := sha256.Sum256([]byte(it.key))
			keys := []string{string(sum[:])}
			expiry := now.Add(window)
			if !p.replay.reserve(keys, expiry, now) {
				ans.Duplicates++
				continue
			}
			if err := it.call(ctx); err != nil {
				p.replay.release(keys, expiry)
				failed++
				continue
			}
			ans.Applied++
		}
		if failed > 0 {
			ans.Code = http.StatusInternalServerError
			ans.Msg = fmt.Sprintf("处理失败%d条，请重新推送", failed)
			answerAliyun(rw, http.StatusInternalServerError, ans)
			return
		}
		ans.Msg = "接收成功"
		if n := len(ans.Rejected); n > 0 {
			ans.Msg = fmt.Sprintf("接收成功，%d条格式错误已忽略", n)
		}
		answerAliyun(rw, http.StatusOK, ans)
	})
}

// decodeAliyunArray splits a push body into its items. The body must be
// UTF-8 and exactly one JSON array.
func decodeAliyunArray(body []byte) ([]json.RawMessage, error) {
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) == 0 || t[0] != '[' {
		return nil, fmt.Errorf("%w: push is not a JSON array", ErrMalformed)
	}
	var items []json.RawMessage
	if err := decodeEvent(body, &items); err != nil {
		return nil, err
	}
	return items, nil
}

// requestToken returns the token from the {token} path wildcard, or else
// from the token query parameter.
func requestToken(r *http.Request) string {
	if t := r.PathValue("token"); t != "" {
		return t
	}
	return r.URL.Query().Get("token")
}

// allowed reports whether the client address is in AllowFrom, or true if
// AllowFrom is empty.
func (p *AliyunPush) allowed(r *http.Request) bool {
	if len(p.AllowFrom) == 0 {
		return true
	}
	var addr netip.Addr
	var err error
	if p.ClientAddrFunc != nil {
		addr, err = p.ClientAddrFunc(r)
	} else {
		addr, err = remoteAddr(r.RemoteAddr)
	}
	if err != nil || !addr.IsValid() {
		return false
	}
	addr = addr.Unmap()
	for _, pfx := range p.AllowFrom {
		if pfx.Contains(addr) {
			return true
		}
	}
	return false
}

// remoteAddr parses the host of an http.Request's RemoteAddr.
func remoteAddr(s string) (netip.Addr, error) {
	host, _, err := net.SplitHostPort(s)
	if err != nil {
		host = s
	}
	// A zone (fe80::1%eth0) never matches a prefix; drop it.
	host, _, _ = strings.Cut(host, "%")
	return netip.ParseAddr(host)
}

func answerAliyun(rw http.ResponseWriter, status int, a aliyunAnswer) {
	if status != http.StatusOK && a.Code == 0 {
		a.Code = status
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(a) // plain structs of strings and ints always encode
	rw.Header().Set("Content-Type", "application/json; charset=utf-8")
	rw.Header().Set("X-Content-Type-Options", "nosniff")
	rw.WriteHeader(status)
	_, _ = rw.Write(b.Bytes())
}

func (p *AliyunPush) now() time.Time {
	if p.Now == nil {
		return time.Now()
	}
	return p.Now()
}

func positiveOr(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}
