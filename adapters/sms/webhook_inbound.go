package sms

import (
	"bytes"
	"context"
	"crypto/hmac"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// maxEvent bounds the size of an inbound event body.
const maxEvent = 64 << 10

// VerifyWebhook checks a [SignatureHeader] value against body: the
// timestamp must be within tolerance of now and one of the v1 signatures
// must equal the HMAC-SHA256 of "t.body" under secret (compared in
// constant time). It returns the verified signature, or an error matching
// [ErrSignature] or [ErrStale]. It does not check for replays.
func VerifyWebhook(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) (string, error) {
	if len(secret) == 0 {
		return "", fmt.Errorf("%w: no secret configured", ErrSignature)
	}
	var ts string
	var sigs [][]byte
	for part := range strings.SplitSeq(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return "", fmt.Errorf("%w: malformed header", ErrSignature)
		}
		switch k {
		case "t":
			if ts != "" {
				return "", fmt.Errorf("%w: two timestamps", ErrSignature)
			}
			ts = v
		case "v1":
			b, err := hex.DecodeString(v)
			if err != nil || len(b) != 32 {
				return "", fmt.Errorf("%w: malformed v1", ErrSignature)
			}
			sigs = append(sigs, b)
		}
		// Other schemes are ignored, so a sender can add one later.
	}
	if ts == "" || len(sigs) == 0 {
		return "", fmt.Errorf("%w: missing t or v1", ErrSignature)
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || ts != strconv.FormatInt(sec, 10) {
		return "", fmt.Errorf("%w: malformed timestamp", ErrSignature)
	}
	want := webhookMAC(secret, ts, body)
	var match []byte
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			match = s
		}
	}
	if match == nil {
		return "", ErrSignature
	}
	// Checked after the MAC so an unsigned request learns nothing about
	// the receiver's clock.
	// Compared in whole seconds: converting a far-off difference to a
	// Duration would overflow and let it through.
	if d := sec - now.Unix(); d < -maxSkewSeconds || d > maxSkewSeconds || abs(d) > int64(tolerance/time.Second) {
		return "", fmt.Errorf("%w: t=%s", ErrStale, ts)
	}
	return hex.EncodeToString(match), nil
}

// maxSkewSeconds keeps abs below away from math.MinInt64.
const maxSkewSeconds = 1 << 62

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// receiptEvent and replyEvent are the JSON bodies of inbound events.
type receiptEvent struct {
	EventID        string         `json:"event_id"`
	ProviderID     string         `json:"provider_id"`
	IdempotencyKey string         `json:"idempotency_key"`
	Status         DeliveryStatus `json:"status"`
	Code           string         `json:"code"`
	Reason         string         `json:"reason"`
	At             time.Time      `json:"at"`
}

type replyEvent struct {
	EventID    string    `json:"event_id"`
	From       string    `json:"from"`
	Text       string    `json:"text"`
	ExtCode    string    `json:"ext_code"`
	ReceivedAt time.Time `json:"received_at"`
	ProviderID string    `json:"provider_id"`
}

// ReceiptHandler returns the handler for delivery receipts. The gateway
// POSTs a signed JSON event:
//
//	{"event_id": "...", "provider_id": "...", "idempotency_key": "...",
//	 "status": "delivered"|"failed", "code": "...", "reason": "...",
//	 "at": "2026-03-02T09:30:00+08:00"}
//
// event_id is optional but recommended; provider_id or idempotency_key is
// required. The handler answers 204 after OnReceipt returns nil; 405 for a
// method other than POST; 413 for a body over 64 KiB; 401 for a bad or
// stale signature; 400 for a malformed event; 409 for a replay; and 500
// if OnReceipt fails, in which case the event is forgotten so the gateway
// can retry it. Only a verified, well-formed, new event reaches OnReceipt.
//
// It panics if Secret is empty or OnReceipt is nil.
func (w *Webhook) ReceiptHandler() http.Handler {
	if w.OnReceipt == nil {
		panic("sms: Webhook.ReceiptHandler needs OnReceipt")
	}
	return w.handler("receipt", func(ctx context.Context, body []byte) (string, func() error, error) {
		var ev receiptEvent
		if err := decodeEvent(body, &ev); err != nil {
			return "", nil, err
		}
		var errs []error
		if ev.ProviderID == "" && ev.IdempotencyKey == "" {
			errs = append(errs, errors.New("provider_id or idempotency_key is required"))
		}
		if ev.Status == 0 {
			errs = append(errs, errors.New("status is required"))
		}
		if ev.At.IsZero() {
			errs = append(errs, errors.New("at is required"))
		}
		if err := errors.Join(errs...); err != nil {
			return "", nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		r := DeliveryReceipt{
			ProviderID: ev.ProviderID, IdempotencyKey: ev.IdempotencyKey, Status: ev.Status,
			Code: ev.Code, Reason: ev.Reason, At: ev.At,
		}
		return ev.EventID, func() error { return w.OnReceipt(ctx, r) }, nil
	})
}

// ReplyHandler returns the handler for inbound replies. The gateway POSTs
// a signed JSON event:
//
//	{"event_id": "...", "from": "13812345678", "text": "同意结案",
//	 "ext_code": "01", "received_at": "2026-03-02T09:30:00+08:00",
//	 "provider_id": "..."}
//
// from and received_at are required. The statuses and guarantees are
// those of [Webhook.ReceiptHandler], with OnReply as the callback.
//
// It panics if Secret is empty or OnReply is nil.
func (w *Webhook) ReplyHandler() http.Handler {
	if w.OnReply == nil {
		panic("sms: Webhook.ReplyHandler needs OnReply")
	}
	return w.handler("reply", func(ctx context.Context, body []byte) (string, func() error, error) {
		var ev replyEvent
		if err := decodeEvent(body, &ev); err != nil {
			return "", nil, err
		}
		var errs []error
		if ev.From == "" {
			errs = append(errs, errors.New("from is required"))
		}
		if ev.ReceivedAt.IsZero() {
			errs = append(errs, errors.New("received_at is required"))
		}
		if err := errors.Join(errs...); err != nil {
			return "", nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		r := InboundReply{
			From: ev.From, Text: ev.Text, ExtCode: ev.ExtCode,
			ReceivedAt: ev.ReceivedAt, ProviderID: ev.ProviderID,
		}
		return ev.EventID, func() error { return w.OnReply(ctx, r) }, nil
	})
}

// parseFunc validates an event body and returns its event ID and the
// callback to run once the event is known to be new.
type parseFunc func(ctx context.Context, body []byte) (eventID string, call func() error, err error)

func (w *Webhook) handler(kind string, parse parseFunc) http.Handler {
	if len(w.Secret) == 0 {
		panic("sms: Webhook inbound handlers need a Secret")
	}
	w.once.Do(func() {
		size := w.ReplayCacheSize
		if size <= 0 {
			size = DefaultReplayCacheSize
		}
		w.replay = newReplayCache(size)
	})
	tolerance := w.Tolerance
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			rw.Header().Set("Allow", http.MethodPost)
			http.Error(rw, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, maxEvent))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(rw, "event too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(rw, "cannot read event", http.StatusBadRequest)
			return
		}
		now := w.now()
		sig, err := VerifyWebhook(w.Secret, r.Header.Get(SignatureHeader), body, now, tolerance)
		if err != nil {
			http.Error(rw, "signature does not verify", http.StatusUnauthorized)
			return
		}
		eventID, call, err := parse(r.Context(), body)
		if err != nil {
			http.Error(rw, err.Error(), http.StatusBadRequest)
			return
		}
		keys := []string{"sig:" + sig}
		if eventID != "" {
			keys = append(keys, kind+":"+eventID)
		}
		// A signature stays acceptable until its timestamp is tolerance
		// old, and that timestamp may be up to tolerance in the future.
		expiry := now.Add(2 * tolerance)
		if !w.replay.reserve(keys, expiry, now) {
			http.Error(rw, ErrReplay.Error(), http.StatusConflict)
			return
		}
		if err := call(); err != nil {
			w.replay.release(keys, expiry)
			http.Error(rw, "event not processed", http.StatusInternalServerError)
			return
		}
		rw.WriteHeader(http.StatusNoContent)
	})
}

// decodeEvent decodes exactly one JSON object from body into v.
func decodeEvent(body []byte, v any) error {
	if !utf8.Valid(body) {
		return fmt.Errorf("%w: body is not UTF-8", ErrMalformed)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%w: trailing data after the event", ErrMalformed)
	}
	return nil
}
