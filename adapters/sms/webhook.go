package sms

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/courtkit/zhixing/notify"
)

var _ notify.Sender = (*Webhook)(nil)

// SignatureHeader is the header that carries a webhook signature in both
// directions; see the package documentation for its format.
const SignatureHeader = "X-Zhixing-Signature"

// DefaultTolerance is how far a signed timestamp may be from the
// receiver's clock. Accepted signatures and event IDs are remembered for
// twice the tolerance, since a timestamp may be that far ahead.
const DefaultTolerance = 5 * time.Minute

// DefaultReplayCacheSize bounds how many accepted signatures and event IDs
// a [Webhook] remembers.
const DefaultReplayCacheSize = 100_000

// Webhook sends messages to, and receives events from, an HTTP gateway
// that the vendor runs. Outbound, Send POSTs the message as JSON:
//
//	{"idempotency_key": "...", "to": "13812345678", "body": "...",
//	 "template": "filing.applicant", "params": {...}, "segments": 1}
//
// with the headers Content-Type: application/json, Idempotency-Key and
// [SignatureHeader]. A 2xx response accepts the message; its JSON body may
// carry {"id": "..."}, the gateway's message ID. 408, 425, 429, 5xx and
// failures without a response are retryable (honouring Retry-After); any
// other status is permanent.
//
// Inbound, [Webhook.ReceiptHandler] and [Webhook.ReplyHandler] verify
// signed events from the gateway and pass them to OnReceipt and OnReply.
//
// Set the fields before first use and do not copy a Webhook after that.
// It is safe for concurrent use.
type Webhook struct {
	// URL receives outbound messages. Required for Send.
	URL string
	// Secret is the HMAC-SHA256 key shared with the gateway. Required.
	Secret []byte
	// Client sends the requests; if nil, a client with a ten-second
	// timeout is used. Send also honours its ctx's deadline.
	Client *http.Client
	// Name is reported as Receipt.Gateway; "webhook" if empty.
	Name string
	// Now is the clock for signing and verifying; time.Now if nil.
	Now func() time.Time

	// Tolerance is how far an inbound event's timestamp may be from Now;
	// DefaultTolerance if zero.
	Tolerance time.Duration
	// ReplayCacheSize bounds the remembered signatures and event IDs;
	// DefaultReplayCacheSize if zero.
	ReplayCacheSize int
	// OnReceipt is called with each verified delivery receipt. If it
	// returns an error the handler answers 500 so the gateway retries.
	OnReceipt func(ctx context.Context, r DeliveryReceipt) error
	// OnReply is called with each verified inbound reply, with the same
	// contract as OnReceipt.
	OnReply func(ctx context.Context, r InboundReply) error

	once   sync.Once
	replay *replayCache
}

// outboundMessage is the JSON body of an outbound message.
type outboundMessage struct {
	IdempotencyKey string            `json:"idempotency_key"`
	To             string            `json:"to"`
	Body           string            `json:"body"`
	Template       string            `json:"template"`
	Params         map[string]string `json:"params"`
	Segments       int               `json:"segments"`
}

// Send POSTs o to URL, signed, and classifies the response.
func (w *Webhook) Send(ctx context.Context, o notify.Outgoing) (notify.Receipt, error) {
	if w.URL == "" || len(w.Secret) == 0 {
		return notify.Receipt{}, &notify.SendError{Code: "config", Reason: "webhook needs URL and Secret"}
	}
	params := o.Params
	if params == nil {
		params = map[string]string{}
	}
	body, err := json.Marshal(outboundMessage{
		IdempotencyKey: o.IdempotencyKey, To: o.To, Body: o.Body,
		Template: o.Template, Params: params, Segments: o.Segments,
	})
	if err != nil {
		return notify.Receipt{}, &notify.SendError{Code: "encode", Reason: "cannot encode message", Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return notify.Receipt{}, &notify.SendError{Code: "config", Reason: "bad webhook URL", Err: err}
	}
	now := w.now()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", o.IdempotencyKey)
	req.Header.Set(SignatureHeader, SignWebhook(w.Secret, now, body))

	resp, err := defaultClient(w.Client).Do(req)
	if err != nil {
		return notify.Receipt{}, transportError(ctx, err)
	}
	defer resp.Body.Close()
	rb, rerr := readBody(resp.Body)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return notify.Receipt{}, statusError(resp, rb, w.now())
	}
	// The gateway has accepted the message; a body we cannot read or parse
	// loses only its ID, and retrying would send the message twice.
	var accepted struct {
		ID string `json:"id"`
	}
	if rerr == nil {
		_ = json.Unmarshal(rb, &accepted)
	}
	return notify.Receipt{ProviderID: accepted.ID, Gateway: w.name()}, nil
}

func (w *Webhook) name() string {
	if w.Name == "" {
		return "webhook"
	}
	return w.Name
}

func (w *Webhook) now() time.Time {
	if w.Now == nil {
		return time.Now()
	}
	return w.Now()
}

// SignWebhook returns the [SignatureHeader] value for body sent at t:
// "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<unix seconds>.<body>">".
func SignWebhook(secret []byte, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return fmt.Sprintf("t=%s,v1=%s", ts, hex.EncodeToString(webhookMAC(secret, ts, body)))
}

func webhookMAC(secret []byte, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}
