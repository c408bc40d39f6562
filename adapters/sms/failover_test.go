package sms_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sms"
	"github.com/courtkit/zhixing/notify"
)

// fakeSender returns a fixed result and records what it was given.
type fakeSender struct {
	receipt notify.Receipt
	err     error

	mu  sync.Mutex
	got []notify.Outgoing
}

func (f *fakeSender) Send(_ context.Context, o notify.Outgoing) (notify.Receipt, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, o)
	return f.receipt, f.err
}

func (f *fakeSender) calls() int { f.mu.Lock(); defer f.mu.Unlock(); return len(f.got) }

func retryable(code string, after time.Duration) error {
	return &notify.SendError{Retryable: true, Code: code, RetryAfter: after}
}

func permanent(code string) error { return &notify.SendError{Code: code} }

func TestFailover_Send(t *testing.T) {
	t.Parallel()
	ok := func(gw string) *fakeSender {
		return &fakeSender{receipt: notify.Receipt{ProviderID: "id-" + gw, Gateway: gw}}
	}

	t.Run("FirstAccepts", func(t *testing.T) {
		t.Parallel()
		a, b := ok("aliyun"), ok("webhook")
		r, err := sms.NewFailover(a, b).Send(t.Context(), filingMessage())
		require.NoError(t, err)
		require.Equal(t, "aliyun", r.Gateway)
		require.Zero(t, b.calls())
	})

	t.Run("RetryableMovesOnWithTheSameKey", func(t *testing.T) {
		t.Parallel()
		a := &fakeSender{err: retryable("isv.BUSINESS_LIMIT_CONTROL", 0)}
		b := ok("webhook")
		r, err := sms.NewFailover(a, b).Send(t.Context(), filingMessage())
		require.NoError(t, err)
		require.Equal(t, notify.Receipt{ProviderID: "id-webhook", Gateway: "webhook"}, r)
		require.Equal(t, a.got[0].IdempotencyKey, b.got[0].IdempotencyKey)
	})

	t.Run("UnclassifiedErrorIsRetryable", func(t *testing.T) {
		t.Parallel()
		a := &fakeSender{err: errors.New("socket closed")}
		b := &fakeSender{receipt: notify.Receipt{ProviderID: "x"}}
		r, err := sms.NewFailover(a, b).Send(t.Context(), filingMessage())
		require.NoError(t, err)
		require.Equal(t, "gateway 1", r.Gateway, "an unnamed gateway is named by position")
	})

	t.Run("PermanentStops", func(t *testing.T) {
		t.Parallel()
		a := &fakeSender{err: permanent("isv.MOBILE_NUMBER_ILLEGAL")}
		b := ok("webhook")
		_, err := sms.NewFailover(a, b).Send(t.Context(), filingMessage())
		require.ErrorIs(t, err, notify.ErrPermanent)
		require.Zero(t, b.calls())
	})

	t.Run("PermanentAfterRetryableIsOnlyPermanent", func(t *testing.T) {
		t.Parallel()
		a := &fakeSender{err: retryable("http 503", 0)}
		b := &fakeSender{err: permanent("http 400")}
		_, err := sms.NewFailover(a, b).Send(t.Context(), filingMessage())
		require.ErrorIs(t, err, notify.ErrPermanent)
		require.NotErrorIs(t, err, notify.ErrRetryable)
		var se *notify.SendError
		require.ErrorAs(t, err, &se)
		require.Equal(t, "http 400", se.Code)
	})

	t.Run("AllRetryable", func(t *testing.T) {
		t.Parallel()
		a := &fakeSender{err: retryable("http 503", time.Minute)}
		b := &fakeSender{err: retryable("Throttling", 20*time.Second)}
		c := &fakeSender{err: retryable("timeout", 0)}
		_, err := sms.NewFailover(a, b, c).Send(t.Context(), filingMessage())
		var se *notify.SendError
		require.ErrorAs(t, err, &se)
		require.True(t, se.Retryable)
		require.Equal(t, "failover", se.Code)
		require.Equal(t, 20*time.Second, se.RetryAfter, "the soonest hint")
		require.NotErrorIs(t, err, notify.ErrPermanent)
		require.Equal(t, 1, c.calls())
	})

	t.Run("CancelledContextStops", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		a := &fakeSender{err: retryable("timeout", 0)}
		b := ok("webhook")
		cancelling := senderFunc(func(ctx context.Context, o notify.Outgoing) (notify.Receipt, error) {
			cancel()
			return a.Send(ctx, o)
		})
		_, err := sms.NewFailover(cancelling, b).Send(ctx, filingMessage())
		require.ErrorIs(t, err, notify.ErrRetryable)
		require.ErrorIs(t, err, context.Canceled)
		require.Zero(t, b.calls())
	})

	t.Run("NeedsSenders", func(t *testing.T) {
		t.Parallel()
		require.Panics(t, func() { sms.NewFailover() })
		require.Panics(t, func() { sms.NewFailover(ok("a"), nil) })
	})
}

type senderFunc func(context.Context, notify.Outgoing) (notify.Receipt, error)

func (f senderFunc) Send(ctx context.Context, o notify.Outgoing) (notify.Receipt, error) {
	return f(ctx, o)
}
