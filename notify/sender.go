package notify

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrRetryable marks a send failure that may succeed if tried again later
// (a timeout, a gateway overload, HTTP 5xx, a provider throttling code).
var ErrRetryable = errors.New("notify: retryable send failure")

// ErrPermanent marks a send failure that will fail again however often it is
// tried (an invalid number, a rejected template, a blacklisted recipient).
var ErrPermanent = errors.New("notify: permanent send failure")

// SendError is a failed send with the provider's own reason. It matches
// ErrRetryable or ErrPermanent with errors.Is.
type SendError struct {
	Retryable  bool
	Code       string        // the provider's code, e.g. "isv.BUSINESS_LIMIT_CONTROL" or "http 503"
	Reason     string        // the provider's message
	RetryAfter time.Duration // a hint from the provider, zero if none
	Err        error         // the underlying error, if any
}

func (e *SendError) Error() string {
	kind := "permanent"
	if e.Retryable {
		kind = "retryable"
	}
	s := fmt.Sprintf("notify: %s send failure: %s %s", kind, e.Code, e.Reason)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is reports whether target is ErrRetryable or ErrPermanent as e is.
func (e *SendError) Is(target error) bool {
	return (target == ErrRetryable && e.Retryable) || (target == ErrPermanent && !e.Retryable)
}

// Unwrap returns the underlying error.
func (e *SendError) Unwrap() error { return e.Err }

// Outgoing is one SMS handed to a Sender.
type Outgoing struct {
	// IdempotencyKey is stable across retries and gateways; a gateway that
	// supports it must use it to drop duplicates (it is the provider's "OutId").
	IdempotencyKey string
	To             string            // mainland mobile number, 11 digits
	Body           string            // the full rendered text, signature included
	Template       string            // zhixing template key, e.g. "filing.applicant"
	Params         map[string]string // the template's variables, for providers that render themselves
	Segments       int               // SMS segments the body takes
}

// Receipt is what a gateway reports after accepting a message.
type Receipt struct {
	ProviderID string // the provider's message id (BizId), used to match delivery receipts
	Gateway    string // which gateway accepted it
}

// Sender delivers a message to an SMS gateway.
//
// Send returns a Receipt once the gateway has accepted the message. On
// failure it returns an error that matches ErrRetryable or ErrPermanent
// (usually a *SendError carrying the provider's reason); an error matching
// neither is treated as retryable. Send must honour ctx's deadline. Senders
// must be safe for concurrent use. Send does not keep o or its map.
type Sender interface {
	Send(ctx context.Context, o Outgoing) (Receipt, error)
}
