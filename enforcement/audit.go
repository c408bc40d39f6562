package enforcement

import (
	"context"
	"encoding/json"
	"time"
)

// AuditEntry is one entry of the audit log (操作日志): who did what, when,
// from where, to which case, with the values before and after.
type AuditEntry struct {
	// Seq is the entry's position in the log, assigned by the log on
	// Append; later entries have larger numbers.
	Seq int64
	At  time.Time
	// Court is the court the entry belongs to.
	Court string
	// UserID, UserName and Role say who acted; for a party, UserID is the
	// actor code (e.g. "party:a1") and UserName may be empty.
	UserID   string
	UserName string
	Role     string
	// Addr is the client's network address as the front end saw it.
	Addr string
	// Action is a stable code, e.g. "due.override", "sign_in",
	// "sign_in_failed".
	Action string
	// CaseID is the case changed, if any; Target the record within it (a
	// due item's or measure's ID) or another object (a user, a plan).
	CaseID string
	Target string
	// Before and After are the changed values as JSON (null or empty when
	// there is none, e.g. Before of a creation).
	Before, After json.RawMessage
	// Detail is a short note, e.g. why a sign-in failed.
	Detail string
}

// Validate reports every problem of e as a [ValidationError]: the time,
// court and action are required.
func (e AuditEntry) Validate() error {
	pr := problems{what: "audit entry"}
	if e.At.IsZero() {
		pr.add("at", "required", "")
	}
	if blank(e.Court) {
		pr.add("court", "required", "")
	}
	if blank(e.Action) {
		pr.add("action", "required", "")
	}
	for _, f := range []struct {
		name string
		v    json.RawMessage
	}{{"before", e.Before}, {"after", e.After}} {
		if len(f.v) > 0 && !json.Valid(f.v) {
			pr.add(f.name, "invalid_json", "")
		}
	}
	return pr.err()
}

// AuditFilter selects audit entries of one court. Empty fields match
// everything; From and To bound At as [From, To).
type AuditFilter struct {
	Court  string
	UserID string
	CaseID string
	Action string
	From   time.Time
	To     time.Time
	// Offset skips that many matching entries; Limit caps the answer
	// (0: no cap).
	Offset, Limit int
}

// AuditLog is the append-only audit log. There is no way to change or
// remove an entry: an implementation offers none, and a database-backed
// one should refuse updates and deletes in the database itself.
//
// Append validates every entry ([AuditEntry.Validate]; ErrInvalid and
// nothing appended on failure), assigns Seq and stores them all or none.
// List returns the entries of f.Court matching f, newest (highest Seq)
// first, and nil with no error when none match; the caller owns the slice.
// Both are safe for concurrent use.
type AuditLog interface {
	Append(ctx context.Context, entries ...AuditEntry) error
	List(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}

// Matches reports whether e is selected by f, ignoring Offset and Limit.
// Stores use it to implement List over entries in memory.
func (f AuditFilter) Matches(e AuditEntry) bool {
	return e.Court == f.Court &&
		(f.UserID == "" || e.UserID == f.UserID) &&
		(f.CaseID == "" || e.CaseID == f.CaseID) &&
		(f.Action == "" || e.Action == f.Action) &&
		(f.From.IsZero() || !e.At.Before(f.From)) &&
		(f.To.IsZero() || e.At.Before(f.To))
}
