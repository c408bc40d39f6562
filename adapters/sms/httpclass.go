package sms

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/courtkit/zhixing/notify"
)

// maxResponse bounds how much of a gateway's response is read.
const maxResponse = 64 << 10

// snippetLen bounds how much of a response body is kept as a Reason.
const snippetLen = 200

// defaultTimeout is the request timeout of the default HTTP clients.
// Alibaba Cloud recommends at least one second for SendSms; ten leaves
// room for a slow gateway without holding the dispatcher for long.
const defaultTimeout = 10 * time.Second

func defaultClient(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	return &http.Client{Timeout: defaultTimeout}
}

// transportError classifies an error from http.Client.Do: a request that
// did not get a response may succeed when tried again, whether it failed
// in the network, timed out or was cancelled by ctx.
func transportError(ctx context.Context, err error) error {
	code := "network"
	var ue interface{ Timeout() bool }
	switch {
	case ctx.Err() != nil:
		code = "context"
		err = errors.Join(ctx.Err(), err)
	case errors.As(err, &ue) && ue.Timeout():
		code = "timeout"
	}
	return &notify.SendError{Retryable: true, Code: code, Reason: "no response from gateway", Err: err}
}

// retryableStatus reports whether an HTTP status says that the same
// request may succeed later: 408 Request Timeout, 425 Too Early,
// 429 Too Many Requests and every 5xx.
func retryableStatus(code int) bool {
	return code == http.StatusRequestTimeout || code == http.StatusTooEarly ||
		code == http.StatusTooManyRequests || code >= 500
}

// statusError turns a non-2xx response into a SendError carrying the status
// as Code, the start of the body as Reason and the Retry-After hint.
func statusError(resp *http.Response, body []byte, now time.Time) *notify.SendError {
	e := &notify.SendError{
		Retryable: retryableStatus(resp.StatusCode),
		Code:      "http " + strconv.Itoa(resp.StatusCode),
		Reason:    snippet(body),
	}
	if e.Retryable {
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), now)
	}
	return e
}

// retryAfter parses a Retry-After header, either delay-seconds or an
// HTTP-date (RFC 9110 section 10.2.3). It returns zero for an absent,
// malformed or past value, and caps the hint at one day.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	const maxHint = 24 * time.Hour
	var d time.Duration
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		if n > int64(maxHint/time.Second) {
			return maxHint
		}
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), maxHint)
}

// readBody reads at most maxResponse bytes of a response body.
func readBody(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxResponse))
	if err != nil {
		return b, fmt.Errorf("read response: %w", err)
	}
	return b, nil
}

// snippet returns the start of a response body as valid UTF-8 text.
func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > snippetLen {
		s = s[:snippetLen]
		for len(s) > 0 && !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
