package enforcement

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/courtkit/zhixing/deadline"
)

// Override is a judge's request to move a computed due date (期限调整). It is
// kept beside the computed date and never moved by recalculation. It is
// pending until the chief decides on it: only an approved override is the
// date in force ([DueItem.Due]); a pending one is shown beside the computed
// date, and a rejected one is kept on the record.
type Override struct {
	Date   deadline.Date
	Reason string
	By     string
	At     time.Time
	// Status is the chief's decision; the zero value is pending.
	Status OverrideStatus
	// DecidedBy, DecidedAt and Note record who approved or rejected the
	// override, when, and why.
	DecidedBy string
	DecidedAt time.Time
	Note      string
}

// IsApproved reports whether o was approved.
func (o *Override) IsApproved() bool { return o != nil && o.Status == OverrideApproved }

// IsPending reports whether o awaits the chief's decision.
func (o *Override) IsPending() bool {
	return o != nil && (o.Status == OverridePending || o.Status == "")
}

// OverrideStatus is where an override stands.
type OverrideStatus string

// Override states. The empty status reads as pending.
const (
	OverridePending  OverrideStatus = "pending"  // 待审批
	OverrideApproved OverrideStatus = "approved" // 已批准
	OverrideRejected OverrideStatus = "rejected" // 已驳回
)

// Chinese returns the status as shown, e.g. 待审批.
func (s OverrideStatus) Chinese() string {
	switch s {
	case OverrideApproved:
		return "已批准"
	case OverrideRejected:
		return "已驳回"
	}
	return "待审批"
}

// Default override bounds.
const (
	// DefaultOverrideMaxLaterMonths is how many months after the computed
	// date an override may lie unless configured otherwise.
	DefaultOverrideMaxLaterMonths = 12
	// DefaultOverrideMinReason is the fewest letters or digits a reason
	// must have unless configured otherwise.
	DefaultOverrideMinReason = 6
)

// OverridePolicy bounds overrides. The zero value means the defaults: an
// override is not earlier than the item's trigger date (the computed date
// when there is none), not more than [DefaultOverrideMaxLaterMonths] months
// after the computed date, and gives a reason of at least
// [DefaultOverrideMinReason] letters or digits.
type OverridePolicy struct {
	// MaxLaterMonths is how many months after the computed date an override
	// may lie; 0 means the default.
	MaxLaterMonths int
	// MinReason is the fewest letters or digits (punctuation, symbols and
	// spaces do not count) a reason must have; 0 means the default.
	MinReason int
}

// Bounds returns the earliest and latest date an override of d may set.
func (p OverridePolicy) Bounds(d DueItem) (earliest, latest deadline.Date) {
	months := p.MaxLaterMonths
	if months <= 0 {
		months = DefaultOverrideMaxLaterMonths
	}
	earliest = d.Trigger
	if earliest.IsZero() || earliest.After(d.Computed) {
		earliest = d.Computed
	}
	return earliest, d.Computed.AddMonths(months)
}

func (p OverridePolicy) minReason() int {
	if p.MinReason <= 0 {
		return DefaultOverrideMinReason
	}
	return p.MinReason
}

// reasonLength counts the letters and digits of s.
func reasonLength(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

// ErrOverride is matched by every [OverrideError]; it matches [ErrInvalid] too.
var ErrOverride = errors.New("enforcement: override refused")

// OverrideError says why an override was refused. Code is one of
// "invalid_date", "before_earliest", "after_latest" (Date outside
// Earliest..Latest) and "reason_too_short" (fewer than MinReason letters or
// digits).
type OverrideError struct {
	DueID            string
	Field            string // "date" or "reason"
	Code             string
	Date             deadline.Date
	Earliest, Latest deadline.Date
	MinReason        int
}

func (e *OverrideError) Error() string {
	switch e.Code {
	case "before_earliest", "after_latest":
		return fmt.Sprintf("enforcement: override of %s to %s: %s (allowed %s..%s)", e.DueID, e.Date, e.Code, e.Earliest, e.Latest)
	case "reason_too_short":
		return fmt.Sprintf("enforcement: override of %s: reason needs at least %d letters or digits", e.DueID, e.MinReason)
	}
	return fmt.Sprintf("enforcement: override of %s: %s: %s", e.DueID, e.Field, e.Code)
}

// Is matches ErrOverride and ErrInvalid.
func (e *OverrideError) Is(target error) bool { return target == ErrOverride || target == ErrInvalid }

// OverrideDue requests a judge's date on due item id, with a reason: the
// override is pending until the chief approves it ([Case.ApproveOverride]),
// and the computed date stays in force meanwhile. The date must lie within
// env.Settings.Overrides' bounds and the reason be of real length
// ([OverrideError]). A new request replaces any earlier override, an
// approved one included: the computed date is in force again until the new
// request is approved. On error c is unchanged.
func (c *Case) OverrideDue(id string, date deadline.Date, reason, by string, env Env, now time.Time) ([]Event, error) {
	i := slices.IndexFunc(c.DueItems, func(d DueItem) bool { return d.ID == id })
	if i < 0 {
		return nil, fmt.Errorf("enforcement: due item %s: %w", id, ErrNotFound)
	}
	if blank(by) {
		return nil, &ValidationError{What: "override", Fields: []FieldError{{Field: "by", Code: "required"}}}
	}
	pol := env.Settings.Overrides
	d := c.DueItems[i]
	earliest, latest := pol.Bounds(d)
	oe := &OverrideError{DueID: id, Date: date, Earliest: earliest, Latest: latest, MinReason: pol.minReason()}
	switch {
	case !date.IsValid():
		oe.Field, oe.Code = "date", "invalid_date"
	case date.Before(earliest):
		oe.Field, oe.Code = "date", "before_earliest"
	case date.After(latest):
		oe.Field, oe.Code = "date", "after_latest"
	case reasonLength(reason) < pol.minReason():
		oe.Field, oe.Code = "reason", "reason_too_short"
	}
	if oe.Code != "" {
		return nil, oe
	}
	if !d.IsOpen() {
		return nil, &StateError{Action: "override due item", Reason: "item is no longer open"}
	}
	work := c.Clone()
	work.DueItems[i].Override = &Override{Date: date, Reason: strings.TrimSpace(reason), By: by, At: now, Status: OverridePending}
	return work.commit(c, []Event{newEvent(work, EventDueOverridden, id+"@"+date.String()+"@"+now.UTC().Format(time.RFC3339Nano), now, by, id)})
}

// ApproveOverride approves the pending override of due item id: its date
// becomes the date in force. by (the chief) may not be the judge who asked.
// On error c is unchanged.
func (c *Case) ApproveOverride(id, note, by string, now time.Time) ([]Event, error) {
	return c.decideOverride(id, OverrideApproved, note, by, now)
}

// RejectOverride rejects the pending override of due item id: the computed
// date stays in force and the override is kept on the record. A note is
// required. On error c is unchanged.
func (c *Case) RejectOverride(id, note, by string, now time.Time) ([]Event, error) {
	return c.decideOverride(id, OverrideRejected, note, by, now)
}

func (c *Case) decideOverride(id string, to OverrideStatus, note, by string, now time.Time) ([]Event, error) {
	i := slices.IndexFunc(c.DueItems, func(d DueItem) bool { return d.ID == id })
	if i < 0 {
		return nil, fmt.Errorf("enforcement: due item %s: %w", id, ErrNotFound)
	}
	pr := problems{what: "override decision"}
	if blank(by) {
		pr.add("by", "required", "")
	}
	if to == OverrideRejected && blank(note) {
		pr.add("note", "required", "a rejection needs a note")
	}
	if err := pr.err(); err != nil {
		return nil, err
	}
	o := c.DueItems[i].Override
	if !o.IsPending() {
		return nil, &StateError{Action: "decide override", Reason: "no pending override on the item"}
	}
	if o.By == by {
		return nil, &StateError{Action: "decide override", Reason: "the requester cannot decide their own override"}
	}
	work := c.Clone()
	w := work.DueItems[i].Override
	w.Status, w.DecidedBy, w.DecidedAt, w.Note = to, by, now, strings.TrimSpace(note)
	kind := EventOverrideApproved
	if to == OverrideRejected {
		kind = EventOverrideRejected
	}
	return work.commit(c, []Event{newEvent(work, kind, id+"@"+o.Date.String()+"@"+now.UTC().Format(time.RFC3339Nano), now, by, id)})
}
