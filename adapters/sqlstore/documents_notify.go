package sqlstore

import (
	"encoding/json"
	"maps"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// eventDoc is an event as stored in events.doc. Its sequence number is
// the row's seq column.
type eventDoc struct {
	V      int      `json:"v"`
	ID     string   `json:"id"`
	Kind   string   `json:"kind"`
	CaseID string   `json:"case_id"`
	Court  string   `json:"court"`
	Ref    string   `json:"ref,omitempty"`
	At     string   `json:"at"`
	Actor  string   `json:"actor,omitempty"`
	Due    []string `json:"due"`
}

func encodeEvent(e enforcement.Event) ([]byte, error) {
	return json.Marshal(eventDoc{V: docVersion, ID: e.ID, Kind: string(e.Kind), CaseID: e.CaseID, Court: e.Court, Ref: e.Ref,
		At: timeText(e.At), Actor: e.Actor, Due: cloneStrings(e.Due)})
}

func decodeEvent(b []byte) (enforcement.Event, error) {
	var doc eventDoc
	if err := decodeDoc(b, &doc, nil); err != nil {
		return enforcement.Event{}, err
	}
	var d decoder
	e := enforcement.Event{ID: doc.ID, Kind: enforcement.EventKind(doc.Kind), CaseID: doc.CaseID, Court: doc.Court, Ref: doc.Ref,
		At: d.time("at", doc.At), Actor: doc.Actor, Due: cloneStrings(doc.Due)}
	if d.err != nil {
		return enforcement.Event{}, d.err
	}
	return e, nil
}

// messageDoc is an outbox message as stored in outbox.doc.
type messageDoc struct {
	V              int               `json:"v"`
	ID             string            `json:"id"`
	IdempotencyKey string            `json:"idempotency_key"`
	CaseID         string            `json:"case_id,omitempty"`
	Court          string            `json:"court,omitempty"`
	EventID        string            `json:"event_id,omitempty"`
	Recipient      recipientDoc      `json:"recipient"`
	Template       string            `json:"template"`
	Params         map[string]string `json:"params"`
	Body           string            `json:"body,omitempty"`
	Segments       int               `json:"segments,omitempty"`
	State          string            `json:"state"`
	Urgent         bool              `json:"urgent,omitempty"`
	NotBefore      string            `json:"not_before,omitempty"`
	Attempts       int               `json:"attempts,omitempty"`
	NextAttemptAt  string            `json:"next_attempt_at,omitempty"`
	Lease          string            `json:"lease,omitempty"`
	LeaseUntil     string            `json:"lease_until,omitempty"`
	LastError      failureDoc        `json:"last_error"`
	Skipped        string            `json:"skipped,omitempty"`
	ProviderID     string            `json:"provider_id,omitempty"`
	Gateway        string            `json:"gateway,omitempty"`
	SentAt         string            `json:"sent_at,omitempty"`
	DeliveredAt    string            `json:"delivered_at,omitempty"`
	History        []transitionDoc   `json:"history"`
	CreatedAt      string            `json:"created_at,omitempty"`
}

type recipientDoc struct {
	PartyID     string `json:"party_id,omitempty"`
	UserID      string `json:"user_id,omitempty"`
	Role        string `json:"role"`
	Name        string `json:"name,omitempty"`
	Mobile      string `json:"mobile,omitempty"`
	OptOut      bool   `json:"opt_out,omitempty"`
	WrongNumber bool   `json:"wrong_number,omitempty"`
}

type failureDoc struct {
	Code      string `json:"code,omitempty"`
	Reason    string `json:"reason,omitempty"`
	Retryable bool   `json:"retryable,omitempty"`
}

type transitionDoc struct {
	From  string `json:"from"`
	To    string `json:"to"`
	At    string `json:"at"`
	Actor string `json:"actor,omitempty"`
	Note  string `json:"note,omitempty"`
}

func encodeMessage(m *notify.Message) ([]byte, error) {
	r := m.Recipient
	return json.Marshal(messageDoc{V: docVersion, ID: m.ID, IdempotencyKey: m.IdempotencyKey, CaseID: m.CaseID, Court: m.Court, EventID: m.EventID,
		Recipient: recipientDoc{PartyID: r.PartyID, UserID: r.UserID, Role: string(r.Role), Name: r.Name, Mobile: r.Mobile, OptOut: r.OptOut, WrongNumber: r.WrongNumber},
		Template:  m.Template, Params: maps.Clone(m.Params), Body: m.Body, Segments: m.Segments, State: string(m.State), Urgent: m.Urgent,
		NotBefore: timeText(m.NotBefore), Attempts: m.Attempts, NextAttemptAt: timeText(m.NextAttemptAt), Lease: m.Lease, LeaseUntil: timeText(m.LeaseUntil),
		LastError: failureDoc{Code: m.LastError.Code, Reason: m.LastError.Reason, Retryable: m.LastError.Retryable},
		Skipped:   string(m.Skipped), ProviderID: m.ProviderID, Gateway: m.Gateway, SentAt: timeText(m.SentAt), DeliveredAt: timeText(m.DeliveredAt),
		History: mapSlice(m.History, func(t notify.Transition) transitionDoc {
			return transitionDoc{From: string(t.From), To: string(t.To), At: timeText(t.At), Actor: t.Actor, Note: t.Note}
		}),
		CreatedAt: timeText(m.CreatedAt)})
}

func decodeMessage(b []byte) (notify.Message, error) {
	var doc messageDoc
	if err := decodeDoc(b, &doc, nil); err != nil {
		return notify.Message{}, err
	}
	var d decoder
	r := doc.Recipient
	m := notify.Message{ID: doc.ID, IdempotencyKey: doc.IdempotencyKey, CaseID: doc.CaseID, Court: doc.Court, EventID: doc.EventID,
		Recipient: notify.Recipient{PartyID: r.PartyID, UserID: r.UserID, Role: notify.RecipientRole(r.Role), Name: r.Name, Mobile: r.Mobile, OptOut: r.OptOut, WrongNumber: r.WrongNumber},
		Template:  doc.Template, Params: maps.Clone(doc.Params), Body: doc.Body, Segments: doc.Segments, State: notify.State(doc.State), Urgent: doc.Urgent,
		NotBefore: d.time("not_before", doc.NotBefore), Attempts: doc.Attempts, NextAttemptAt: d.time("next_attempt_at", doc.NextAttemptAt),
		Lease: doc.Lease, LeaseUntil: d.time("lease_until", doc.LeaseUntil),
		LastError: notify.Failure{Code: doc.LastError.Code, Reason: doc.LastError.Reason, Retryable: doc.LastError.Retryable},
		Skipped:   notify.SkipReason(doc.Skipped), ProviderID: doc.ProviderID, Gateway: doc.Gateway,
		SentAt: d.time("sent_at", doc.SentAt), DeliveredAt: d.time("delivered_at", doc.DeliveredAt),
		History: mapSlice(doc.History, func(t transitionDoc) notify.Transition {
			return notify.Transition{From: notify.State(t.From), To: notify.State(t.To), At: d.time("history.at", t.At), Actor: t.Actor, Note: t.Note}
		}),
		CreatedAt: d.time("created_at", doc.CreatedAt)}
	if d.err != nil {
		return notify.Message{}, d.err
	}
	return m, nil
}

// receiptDoc is a delivery receipt kept until its message is sent, in
// outbox_receipts.doc.
type receiptDoc struct {
	V          int    `json:"v"`
	ProviderID string `json:"provider_id,omitempty"`
	Key        string `json:"key,omitempty"`
	Status     string `json:"status"`
	Code       string `json:"code,omitempty"`
	Reason     string `json:"reason,omitempty"`
	At         string `json:"at,omitempty"`
}

func encodeReceipt(r notify.DeliveryReceipt) ([]byte, error) {
	return json.Marshal(receiptDoc{V: docVersion, ProviderID: r.ProviderID, Key: r.Key, Status: string(r.Status), Code: r.Code, Reason: r.Reason, At: timeText(r.At)})
}

func decodeReceipt(b []byte) (notify.DeliveryReceipt, error) {
	var doc receiptDoc
	if err := decodeDoc(b, &doc, nil); err != nil {
		return notify.DeliveryReceipt{}, err
	}
	var d decoder
	r := notify.DeliveryReceipt{ProviderID: doc.ProviderID, Key: doc.Key, Status: notify.ReceiptStatus(doc.Status), Code: doc.Code, Reason: doc.Reason, At: d.time("at", doc.At)}
	if d.err != nil {
		return notify.DeliveryReceipt{}, d.err
	}
	return r, nil
}
