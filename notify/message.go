package notify

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/courtkit/zhixing/enforcement"
)

// State is where a [Message] is in its life. Its value is a stable text
// code; the zero State is unset.
//
//	drafted ──► held ──► queued ──► sending ──► sent ──► delivered
//	   │          │        ▲ │        │  │        │          ▲
//	   │          │        └─┼────────┘  │        └► failed ─┘ (a later "delivered" receipt wins)
//	   │          │          │           └► failed
//	   ├► skipped └──────────┴──► cancelled
//
// Delivered, failed (unless a delivered receipt follows), cancelled and
// skipped are terminal.
type State string

// Message states.
const (
	StateDrafted   State = "drafted"   // 草稿: rendered, not yet routed by the policy
	StateHeld      State = "held"      // 待法官确认: awaiting the judge's confirmation
	StateQueued    State = "queued"    // 待发送: waiting for its time (quiet hours, back-off)
	StateSending   State = "sending"   // 发送中: claimed by a dispatcher under a lease
	StateSent      State = "sent"      // 已发送: accepted by the gateway
	StateDelivered State = "delivered" // 已送达: the handset received it
	StateFailed    State = "failed"    // 发送失败: given up, with the provider's reason
	StateCancelled State = "cancelled" // 已取消: cancelled by a judge
	StateSkipped   State = "skipped"   // 未发送: not sent (opt-out, wrong number, no number)
)

var stateNames = map[State]string{
	StateDrafted: "草稿", StateHeld: "待法官确认", StateQueued: "待发送", StateSending: "发送中",
	StateSent: "已发送", StateDelivered: "已送达", StateFailed: "发送失败", StateCancelled: "已取消",
	StateSkipped: "未发送",
}

// IsKnown reports whether s is a known state.
func (s State) IsKnown() bool { _, ok := stateNames[s]; return ok }

// Chinese returns the state's Chinese name, or its code if unknown.
func (s State) Chinese() string {
	if n, ok := stateNames[s]; ok {
		return n
	}
	return string(s)
}

// IsTerminal reports whether a message in state s is finished: delivered,
// failed, cancelled or skipped. (A failed message that had been accepted by
// the gateway can still become delivered through a late receipt, see
// [Message.ApplyReceipt]; it never goes back to the dispatcher.)
func (s State) IsTerminal() bool {
	return s == StateDelivered || s == StateFailed || s == StateCancelled || s == StateSkipped
}

// RecipientRole is whom a message is for. Its value is a stable text code; the zero
// RecipientRole is unset.
type RecipientRole string

// Recipient roles.
const (
	RecipientApplicant  RecipientRole = "applicant"  // 申请执行人
	RecipientRespondent RecipientRole = "respondent" // 被执行人
	RecipientInterested RecipientRole = "interested" // 案外人
	RecipientJudge      RecipientRole = "judge"      // 承办法官
	RecipientChief      RecipientRole = "chief"      // 执行局长
	RecipientLeader     RecipientRole = "leader"     // 庭长 or another leader of judges
)

var roleNames = map[RecipientRole]string{
	RecipientApplicant: "申请执行人", RecipientRespondent: "被执行人", RecipientInterested: "案外人",
	RecipientJudge: "承办法官", RecipientChief: "执行局长", RecipientLeader: "庭长",
}

// IsKnown reports whether r is a known role.
func (r RecipientRole) IsKnown() bool { _, ok := roleNames[r]; return ok }

// IsParty reports whether r is a party to the case (applicant, respondent
// or interested person) rather than court staff.
func (r RecipientRole) IsParty() bool {
	return r == RecipientApplicant || r == RecipientRespondent || r == RecipientInterested
}

// Chinese returns the role's Chinese name, or its code if unknown.
func (r RecipientRole) Chinese() string {
	if n, ok := roleNames[r]; ok {
		return n
	}
	return string(r)
}

// Recipient is who a message goes to: a party of the case (PartyID) or a
// court user (UserID).
type Recipient struct {
	PartyID string
	UserID  string
	Role    RecipientRole
	Name    string
	Mobile  string // 11-digit mainland number, "" if unknown
	// OptOut and WrongNumber copy the party's marks when the message was
	// drafted (see [enforcement.Party]); a message to such a recipient is
	// skipped, never queued.
	OptOut      bool
	WrongNumber bool
}

// PartyRecipient returns the recipient for party p, with its role, number
// and opt-out and wrong-number marks.
func PartyRecipient(p enforcement.Party) Recipient {
	r := Recipient{PartyID: p.ID, Name: p.Name, Mobile: p.Mobile, OptOut: p.OptOut, WrongNumber: p.WrongNumber}
	switch p.Role {
	case enforcement.RoleApplicant:
		r.Role = RecipientApplicant
	case enforcement.RoleRespondent:
		r.Role = RecipientRespondent
	case enforcement.RoleInterested:
		r.Role = RecipientInterested
	}
	return r
}

// ID returns the recipient's identity for [Key]: "party:<PartyID>" or
// "user:<UserID>", or "mobile:<Mobile>" when neither is set.
func (r Recipient) ID() string {
	switch {
	case r.PartyID != "":
		return "party:" + r.PartyID
	case r.UserID != "":
		return "user:" + r.UserID
	}
	return "mobile:" + r.Mobile
}

// SkipReason says why a message was not sent. Its value is a stable text
// code.
type SkipReason string

// Skip reasons.
const (
	SkipOptOut      SkipReason = "opt_out"      // the party asked not to receive SMS
	SkipWrongNumber SkipReason = "wrong_number" // the number does not belong to the recipient
	SkipNoMobile    SkipReason = "no_mobile"    // no number is known
)

var skipNames = map[SkipReason]string{SkipOptOut: "当事人已退订短信", SkipWrongNumber: "号码有误", SkipNoMobile: "无手机号码"}

// Chinese returns the reason's Chinese text, or its code if unknown.
func (s SkipReason) Chinese() string {
	if n, ok := skipNames[s]; ok {
		return n
	}
	return string(s)
}

// SkipReasonFor returns why r cannot be sent SMS, or "" if it can.
func SkipReasonFor(r Recipient) SkipReason {
	switch {
	case r.OptOut:
		return SkipOptOut
	case r.WrongNumber:
		return SkipWrongNumber
	case r.Mobile == "":
		return SkipNoMobile
	}
	return ""
}

// Failure is why a send failed, in the provider's words.
type Failure struct {
	Code      string // the provider's code, e.g. "isv.MOBILE_NUMBER_ILLEGAL"
	Reason    string // the provider's message
	Retryable bool
}

// IsZero reports whether f records no failure.
func (f Failure) IsZero() bool { return f == Failure{} }

// FailureOf returns the failure that err describes: the code and reason of
// a [*SendError], otherwise the error text. An error that matches neither
// [ErrRetryable] nor [ErrPermanent] is retryable, as [Sender] documents.
func FailureOf(err error) Failure {
	var se *SendError
	if errors.As(err, &se) {
		f := Failure{Code: se.Code, Reason: se.Reason, Retryable: se.Retryable}
		if f.Reason == "" && se.Err != nil {
			f.Reason = se.Err.Error()
		}
		return f
	}
	return Failure{Code: "error", Reason: err.Error(), Retryable: !errors.Is(err, ErrPermanent)}
}

// Transition is one recorded change of a message's state. An edit is
// recorded as a transition from held to held.
type Transition struct {
	From, To State
	At       time.Time
	Actor    string // the user, or "dispatcher", "gateway", "policy"
	Note     string
}

// Message is an SMS in the outbox: what to send to whom, where it is in its
// life, and every change it went through. Messages are values: the methods
// check the rules and change the receiver only when they return nil.
type Message struct {
	// ID identifies the message in the outbox. Callers usually set it to
	// IdempotencyKey.
	ID string
	// IdempotencyKey is [Key] of the message's case, event, recipient and
	// template. The outbox keeps one message per key, and the gateway gets
	// it as Outgoing.IdempotencyKey to drop duplicate sends.
	IdempotencyKey string
	CaseID         string
	Court          string
	EventID        string
	Recipient      Recipient
	Template       string            // template key, e.g. "filing.applicant"
	Params         map[string]string // the template's variable values
	Body           string            // the rendered text, signature included
	Segments       int
	State          State
	// Urgent exempts the message from quiet hours (set by the policy).
	Urgent bool
	// NotBefore is the earliest time it may be sent (quiet hours).
	NotBefore time.Time
	// Attempts counts the times a dispatcher claimed it to send.
	Attempts int
	// NextAttemptAt is when a retry is due after a retryable failure.
	NextAttemptAt time.Time
	// Lease is the token of the current claim and LeaseUntil its expiry;
	// both are set while the message is sending.
	Lease      string
	LeaseUntil time.Time
	LastError  Failure
	// Skipped says why a skipped message was not sent.
	Skipped    SkipReason
	ProviderID string // the gateway's message id once sent
	Gateway    string
	SentAt     time.Time
	// DeliveredAt is when the handset received it, from the receipt.
	DeliveredAt time.Time
	History     []Transition
	CreatedAt   time.Time
}

// Key returns the idempotency key of the message about event eventID of
// case caseID for recipient (see [Recipient.ID]) from template: the first
// 16 bytes of the SHA-256 of the four values, each prefixed with its
// length, as 32 lower-case hex digits. Equal inputs give equal keys, on
// every machine and version; the length prefixes keep ("a b", "c") and
// ("a", "b c") apart. 32 characters fit every provider's OutId field.
func Key(caseID, eventID, recipient, template string) string {
	h := sha256.New()
	for _, s := range [...]string{caseID, eventID, recipient, template} {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// ErrInvalidTransition is returned (in a *TransitionError) when a message
// cannot move from its current state as asked.
var ErrInvalidTransition = errors.New("notify: invalid message transition")

// TransitionError is a change a message's state does not allow.
type TransitionError struct {
	ID     string
	Action string // "confirm", "edit", "cancel", "claim" …
	From   State
	To     State // the state the action leads to, "" if not applicable
}

func (e *TransitionError) Error() string {
	if e.To == "" {
		return fmt.Sprintf("notify: message %s: cannot %s a message that is %s", e.ID, e.Action, e.From)
	}
	return fmt.Sprintf("notify: message %s: cannot %s (%s to %s)", e.ID, e.Action, e.From, e.To)
}

// Unwrap returns ErrInvalidTransition.
func (e *TransitionError) Unwrap() error { return ErrInvalidTransition }

// ErrInvalidMessage is returned (in a *MessageError) by [Message.Validate]
// and by edits that leave the template.
var ErrInvalidMessage = errors.New("notify: invalid message")

// MessageError lists every problem found with a message.
type MessageError struct {
	ID       string
	Problems []string // field: problem
}

func (e *MessageError) Error() string {
	return fmt.Sprintf("notify: message %s: %s", e.ID, strings.Join(e.Problems, "; "))
}

// Unwrap returns ErrInvalidMessage.
func (e *MessageError) Unwrap() error { return ErrInvalidMessage }

// Validate reports every problem with m as a stored record: identifiers,
// recipient, template and a known state; a number unless m was skipped.
func (m *Message) Validate() error {
	var p []string
	if m.ID == "" {
		p = append(p, "id: required")
	}
	if m.IdempotencyKey == "" {
		p = append(p, "idempotency_key: required")
	}
	if m.Template == "" {
		p = append(p, "template: required")
	}
	if !m.Recipient.Role.IsKnown() {
		p = append(p, "recipient.role: unknown role "+strconv.Quote(string(m.Recipient.Role)))
	}
	if m.Recipient.Mobile == "" && m.State != StateSkipped {
		p = append(p, "recipient.mobile: required unless skipped")
	}
	if !m.State.IsKnown() {
		p = append(p, "state: unknown state "+strconv.Quote(string(m.State)))
	}
	if m.Segments < 0 {
		p = append(p, "segments: negative")
	}
	if len(p) > 0 {
		return &MessageError{ID: m.ID, Problems: p}
	}
	return nil
}

// Clone returns a deep copy of m: its Params and History are its own.
// Outboxes copy messages on the way in and out with it.
func (m *Message) Clone() Message {
	c := *m
	c.Params = maps.Clone(m.Params)
	c.History = slices.Clone(m.History)
	return c
}

// IsDue reports whether a dispatcher may claim m at now: it is queued and
// both NotBefore and NextAttemptAt have passed, or it is sending and its
// lease has expired (its dispatcher crashed or lost the outbox).
func (m *Message) IsDue(now time.Time) bool {
	switch m.State {
	case StateQueued:
		return !now.Before(m.NotBefore) && !now.Before(m.NextAttemptAt)
	case StateSending:
		return !now.Before(m.LeaseUntil)
	}
	return false
}

func (m *Message) move(to State, at time.Time, actor, note string) {
	m.History = append(m.History, Transition{From: m.State, To: to, At: at, Actor: actor, Note: note})
	m.State = to
}

func (m *Message) deny(action string, to State) error {
	return &TransitionError{ID: m.ID, Action: action, From: m.State, To: to}
}

// Hold puts a drafted message aside for the judge's confirmation.
func (m *Message) Hold(by string, at time.Time, note string) error {
	if m.State != StateDrafted {
		return m.deny("hold", StateHeld)
	}
	m.move(StateHeld, at, by, note)
	return nil
}

// Queue queues a drafted message to be sent from notBefore on.
func (m *Message) Queue(by string, at, notBefore time.Time) error {
	if m.State != StateDrafted {
		return m.deny("queue", StateQueued)
	}
	m.NotBefore = notBefore
	m.move(StateQueued, at, by, "")
	return nil
}

// Skip records that a drafted message is not sent, and why.
func (m *Message) Skip(reason SkipReason, by string, at time.Time) error {
	if m.State != StateDrafted {
		return m.deny("skip", StateSkipped)
	}
	m.Skipped = reason
	m.move(StateSkipped, at, by, reason.Chinese())
	return nil
}

// Confirm releases a held message: the judge confirmed it, and it is queued
// to be sent from notBefore on (see [Policy.NotBefore]).
func (m *Message) Confirm(by string, at, notBefore time.Time) error {
	if m.State != StateHeld {
		return m.deny("confirm", StateQueued)
	}
	m.NotBefore = notBefore
	m.move(StateQueued, at, by, "confirmed")
	return nil
}

// RenderFunc renders template with params, returning the text and the SMS
// segments it takes. [Templates.Render] adapts to it:
//
//	func(key string, p map[string]string) (string, int, error) {
//		r, err := ts.Render(key, notify.Vars(p))
//		return r.Text, r.Segments, err
//	}
type RenderFunc func(template string, params map[string]string) (body string, segments int, err error)

// Edit changes the values of a held message's template variables and
// re-renders it with render. A judge edits within the template: params may
// only name variables the message already has. The message stays held.
func (m *Message) Edit(by string, at time.Time, params map[string]string, render RenderFunc) error {
	if m.State != StateHeld {
		return m.deny("edit", StateHeld)
	}
	var p []string
	for _, k := range slices.Sorted(maps.Keys(params)) {
		if _, ok := m.Params[k]; !ok {
			p = append(p, "params."+k+": not a variable of the message's template")
		}
	}
	if len(p) > 0 {
		return &MessageError{ID: m.ID, Problems: p}
	}
	if render == nil {
		return fmt.Errorf("notify: edit message %s: no render function", m.ID)
	}
	next := maps.Clone(m.Params)
	maps.Copy(next, params)
	body, segs, err := render(m.Template, next)
	if err != nil {
		return fmt.Errorf("notify: edit message %s: %w", m.ID, err)
	}
	changed := slices.Sorted(maps.Keys(params))
	m.Params, m.Body, m.Segments = next, body, segs
	m.move(StateHeld, at, by, "edited "+strings.Join(changed, ","))
	return nil
}

// Cancel cancels a message that has not been handed to a dispatcher:
// drafted, held or queued.
func (m *Message) Cancel(by string, at time.Time, reason string) error {
	if m.State != StateDrafted && m.State != StateHeld && m.State != StateQueued {
		return m.deny("cancel", StateCancelled)
	}
	m.move(StateCancelled, at, by, reason)
	return nil
}

// Claim moves a due message (see [Message.IsDue]) to sending under a new
// lease that expires at at+lease, and counts an attempt. The lease token is
// derived from ID, Attempts and at, so each claim of a message has its own.
// Outboxes call it inside Claim.
func (m *Message) Claim(at time.Time, lease time.Duration) error {
	if !m.IsDue(at) {
		return m.deny("claim", StateSending)
	}
	note := ""
	if m.State == StateSending {
		note = "lease " + m.Lease + " expired"
	}
	m.Attempts++
	m.Lease = m.ID + "#" + strconv.Itoa(m.Attempts) + "@" + strconv.FormatInt(at.UnixNano(), 36)
	m.LeaseUntil = at.Add(lease)
	m.move(StateSending, at, "dispatcher", note)
	return nil
}
