package sms

import (
	"errors"
	"fmt"
	"time"
)

// DeliveryStatus is the final state a gateway reports for a message.
// The zero value is unset and is never passed to a callback.
type DeliveryStatus uint8

// The delivery states, with their stable text codes.
const (
	Delivered DeliveryStatus = iota + 1 // "delivered": the handset received it
	Failed                              // "failed": the carrier gave up
)

// String returns the text code of s, or "unset" for the zero value.
func (s DeliveryStatus) String() string {
	switch s {
	case Delivered:
		return "delivered"
	case Failed:
		return "failed"
	default:
		return "unset"
	}
}

// MarshalText returns the text code of s; the zero value cannot be marshalled.
func (s DeliveryStatus) MarshalText() ([]byte, error) {
	if s != Delivered && s != Failed {
		return nil, fmt.Errorf("sms: delivery status %d has no text form", s)
	}
	return []byte(s.String()), nil
}

// UnmarshalText sets s from "delivered" or "failed".
func (s *DeliveryStatus) UnmarshalText(b []byte) error {
	switch string(b) {
	case "delivered":
		*s = Delivered
	case "failed":
		*s = Failed
	default:
		return fmt.Errorf("sms: unknown delivery status %q", b)
	}
	return nil
}

// DeliveryReceipt is a gateway's report (回执) of what happened to a
// message it accepted. Package notify will accept it field for field.
type DeliveryReceipt struct {
	ProviderID     string         // the gateway's message ID, as in notify.Receipt
	IdempotencyKey string         // the outbox key, when the gateway echoes it
	Status         DeliveryStatus // Delivered or Failed
	Code           string         // the carrier's or gateway's status code
	Reason         string         // its message
	At             time.Time      // when the carrier reported it
}

// InboundReply is a text a party sent back (上行短信), such as the
// applicant's opinion before closure. Package notify will accept it field
// for field.
type InboundReply struct {
	From       string    // the sender's mobile number
	Text       string    // the reply as received
	ExtCode    string    // the extension code the reply was addressed to, if any
	ReceivedAt time.Time // when the gateway received it
	ProviderID string    // the gateway's ID for the reply, if any
}

// Errors an inbound handler reports for a request it rejects. None of them
// calls a callback.
var (
	// ErrSignature: the signature header is missing, malformed or does not
	// match the body.
	ErrSignature = errors.New("sms: webhook signature does not verify")
	// ErrStale: the signed timestamp is outside the tolerance.
	ErrStale = errors.New("sms: webhook timestamp outside tolerance")
	// ErrReplay: the signature or event ID has been accepted before.
	ErrReplay = errors.New("sms: webhook event replayed")
	// ErrMalformed: the body is not a well-formed event.
	ErrMalformed = errors.New("sms: malformed webhook event")
)
