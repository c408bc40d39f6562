package sms

import (
	"context"
	"errors"
	"fmt"

	"github.com/courtkit/zhixing/notify"
)

var _ notify.Sender = (*Failover)(nil)

// Failover sends through the first of several gateways that accepts a
// message. A gateway that fails retryably (a timeout, throttling, an
// outage, or an error that matches neither sentinel, which the port treats
// as retryable) passes the same message, with the same idempotency key,
// to the next; a permanent failure is returned at once, since the message
// itself is at fault. Receipt.Gateway names the gateway that accepted it.
//
// A gateway that timed out may still deliver, so the recipient can get a
// message twice when the next gateway also does; gateways that honour the
// idempotency key across each other are needed to rule that out.
type Failover struct {
	senders []notify.Sender
}

// NewFailover returns a Failover that tries senders in order. It panics if
// there are none or one is nil.
func NewFailover(senders ...notify.Sender) *Failover {
	if len(senders) == 0 {
		panic("sms: NewFailover needs at least one sender")
	}
	for i, s := range senders {
		if s == nil {
			panic(fmt.Sprintf("sms: NewFailover: sender %d is nil", i))
		}
	}
	return &Failover{senders: append([]notify.Sender(nil), senders...)}
}

// Send tries each gateway in turn. If all fail retryably it returns a
// retryable *notify.SendError with Code "failover", the shortest positive
// RetryAfter among them, and every gateway's error joined as Err.
func (f *Failover) Send(ctx context.Context, o notify.Outgoing) (notify.Receipt, error) {
	var errs []error
	for i, s := range f.senders {
		if i > 0 && ctx.Err() != nil {
			errs = append(errs, ctx.Err())
			break
		}
		r, err := s.Send(ctx, o)
		if err == nil {
			if r.Gateway == "" {
				r.Gateway = fmt.Sprintf("gateway %d", i)
			}
			return r, nil
		}
		if errors.Is(err, notify.ErrPermanent) && !errors.Is(err, notify.ErrRetryable) {
			if len(errs) == 0 {
				return notify.Receipt{}, err
			}
			// The earlier, retryable failures go into the text only, so the
			// result matches ErrPermanent and not ErrRetryable as well.
			return notify.Receipt{}, fmt.Errorf("sms: failover: gateway %d refused the message after %v: %w", i, errors.Join(errs...), err)
		}
		errs = append(errs, fmt.Errorf("gateway %d: %w", i, err))
	}
	e := &notify.SendError{Retryable: true, Code: "failover", Reason: fmt.Sprintf("all %d gateways failed", len(f.senders)), Err: errors.Join(errs...)}
	for _, err := range errs {
		var se *notify.SendError
		if errors.As(err, &se) && se.RetryAfter > 0 && (e.RetryAfter == 0 || se.RetryAfter < e.RetryAfter) {
			e.RetryAfter = se.RetryAfter
		}
	}
	return notify.Receipt{}, e
}
