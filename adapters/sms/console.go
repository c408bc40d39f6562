package sms

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"

	"github.com/courtkit/zhixing/notify"
)

var _ notify.Sender = (*Console)(nil)

// Console is a [notify.Sender] for development that writes each message
// instead of sending it. The mobile number is masked with [MaskMobile];
// the body is written with ID numbers, query and one-time codes and mobile
// numbers masked ([MaskText]): templates mask names, but the codes a
// message carries must not reach a log.
//
// The zero value writes one line per message to os.Stderr. Console never
// fails unless the writer does, and is safe for concurrent use.
type Console struct {
	// Logger, if set, receives each message as an Info record with the
	// attributes to, template, segments, key, id and body. It takes
	// precedence over W.
	Logger *slog.Logger
	// W, if set and Logger is not, receives one line per message.
	W io.Writer
	// Name is reported as Receipt.Gateway; "console" if empty.
	Name string

	mu sync.Mutex // serialises writes to W
}

// Send writes o and returns a Receipt whose ProviderID is derived from the
// idempotency key alone, so a retried message gets the same ID.
func (c *Console) Send(ctx context.Context, o notify.Outgoing) (notify.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return notify.Receipt{}, &notify.SendError{Retryable: true, Code: "context", Reason: "not sent", Err: err}
	}
	id := ConsoleID(o.IdempotencyKey)
	to := MaskMobile(o.To)
	body := MaskText(o.Body)
	if c.Logger != nil {
		c.Logger.InfoContext(ctx, "sms",
			slog.String("to", to),
			slog.String("template", o.Template),
			slog.Int("segments", o.Segments),
			slog.String("key", o.IdempotencyKey),
			slog.String("id", id),
			slog.String("body", body))
		return notify.Receipt{ProviderID: id, Gateway: c.name()}, nil
	}
	w := c.W
	if w == nil {
		w = os.Stderr
	}
	c.mu.Lock()
	_, err := fmt.Fprintf(w, "sms to=%s template=%s segments=%d key=%s id=%s\n%s\n",
		to, o.Template, o.Segments, o.IdempotencyKey, id, body)
	c.mu.Unlock()
	if err != nil {
		return notify.Receipt{}, &notify.SendError{Retryable: true, Code: "write", Reason: "console write failed", Err: err}
	}
	return notify.Receipt{ProviderID: id, Gateway: c.name()}, nil
}

func (c *Console) name() string {
	if c.Name == "" {
		return "console"
	}
	return c.Name
}

// ConsoleID returns the provider ID [Console] reports for an idempotency
// key: "console-" and the first 16 hex digits of the key's SHA-256.
func ConsoleID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "console-" + hex.EncodeToString(sum[:8])
}
