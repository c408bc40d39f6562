package enforcement

import (
	"context"

	"github.com/courtkit/zhixing/deadline"
)

// CaseFilter selects cases. Zero fields do not filter. Court is required by
// stores that partition by court.
type CaseFilter struct {
	Court   string
	JudgeID string
	Status  Status
	Key     *bool  // only key cases (true) or only others (false)
	Number  string // canonical case number
	// OpenRequests keeps only cases with a party request (当事人诉求) not
	// yet answered.
	OpenRequests bool
	// OpenSolicitations keeps only cases with an opinion solicitation (征询)
	// not yet answered (Solicitation.Answer nil), closed or not: an answer
	// may still be recorded after closure.
	OpenSolicitations bool
	// HasOrders keeps only cases with a supervision order (督办), answered
	// or not.
	HasOrders bool
	Limit     int // 0 means no limit
	Offset    int
}

// UpdateFunc changes a case loaded by a store and returns the events of the
// change. Returning an error aborts the update: nothing is written.
type UpdateFunc func(c *Case) ([]Event, error)

// CaseStore stores cases with optimistic concurrency.
//
// Stores share no memory with callers: they copy cases on the way in and out.
// All methods are safe for concurrent use.
//
// IDs (of cases, judges, courts, due items and events) compare exactly, as
// byte strings: "C1" and "c1" are two cases, and "c1 " is a third. A store
// on a database whose collation ignores case or trailing spaces (MariaDB's
// default does both) must use a binary, no-pad collation for these
// columns. Orders that break ties by ID use the same byte order.
type CaseStore interface {
	// Create stores a new case and the events of its filing, atomically;
	// an event whose ID is already logged is dropped (see EventLog).
	// It returns an error matching ErrConflict if a case with the same ID,
	// or the same court and number, exists. It sets c.Version to 1.
	Create(ctx context.Context, c *Case, events []Event) error

	// Get returns the case with the given ID, or an error matching
	// ErrNotFound.
	Get(ctx context.Context, id string) (*Case, error)

	// Update loads case id, calls fn with it, and writes the changed case
	// and the events fn returned in one transaction, if the case's version
	// is still the one loaded; otherwise it returns an error matching
	// ErrConflict and writes nothing. fn may be called again by stores that
	// retry; it must not have side effects outside the case. It returns the
	// stored case and the events it logged now, with Seq set: an event
	// whose ID is already in the log is dropped, neither logged again nor
	// returned, so a retried change drafts nothing twice.
	Update(ctx context.Context, id string, fn UpdateFunc) (*Case, []Event, error)

	// Find returns the cases matching f, ordered by filing date (FiledOn),
	// then by ID; Limit and Offset page through that order. Creation order
	// plays no part.
	Find(ctx context.Context, f CaseFilter) ([]*Case, error)
}

// EventLog is the store's log of events, read by consumers such as the
// notification relay (notify.Relay). Events are appended in the transaction
// that caused them, so none is lost.
//
// A consumer remembers the last Seq it read and asks for the events after
// it, so the log must never let an event with a lower Seq become visible
// after one with a higher Seq was read: Seq order is commit order. A store
// whose sequence numbers are handed out before commit (a database sequence)
// serialises the appending transactions from the moment they take a number
// until they commit, or hides events above the oldest one still uncommitted.
// Event IDs are unique: appending an event whose ID is already logged
// does nothing, and [CaseStore.Update] returns only the events it logged.
type EventLog interface {
	// EventsAfter returns up to limit events with Seq > after, in Seq
	// order (all of them if limit <= 0), or an empty slice. The caller owns
	// the returned slice.
	EventsAfter(ctx context.Context, after int64, limit int) ([]Event, error)
}

// DueFilter selects due items across cases for supervision.
type DueFilter struct {
	Court   string
	JudgeID string
	// DueBefore keeps items whose date in force is on or before it.
	DueBefore deadline.Date
	// DueFrom keeps items whose date in force is on or after it, also
	// those kept by WarnedBy; zero keeps every date (the zero date too).
	DueFrom deadline.Date
	// WarnedBy, with DueBefore set, also keeps the items due after
	// DueBefore that have a reminder date (DueItem.Warnings) on or before
	// WarnedBy: a judge's reminders show those however far off the due
	// date is.
	WarnedBy deadline.Date
	OpenOnly bool
	Limit    int
	// Brief lets the store leave out each item's explanation (Steps and
	// CalcBasis), which a list does not show: most of a stored item's
	// size, so a long list is read faster without it.
	Brief bool
}

// DueRef is a due item with the case it belongs to, as supervision lists it.
type DueRef struct {
	CaseID  string
	Number  string
	JudgeID string
	Key     bool
	Item    DueItem
}

// DueIndex is an optional capability of stores that index due items, so
// that the chief's view does not load every case.
//
// An item is indexed under its date in force, [DueItem.Due]: the judge's
// override date when there is one, else the computed date. The index is
// rewritten with every change of the case, so an override moves the item
// in the next query.
type DueIndex interface {
	// DueItems returns the due items matching f, earliest date in force
	// first, then by case ID, then by item ID; Limit keeps the first of
	// that order.
	DueItems(ctx context.Context, f DueFilter) ([]DueRef, error)
}

// Revisions is an optional capability of stores that can tell cheaply
// whether a court's cases have changed, so that a view computed from them
// (a judge's reminders, the chief's report) can be kept and checked on each
// read instead of being computed again.
type Revisions interface {
	// Revision returns court's revision: a number that is greater after
	// every committed change to one of the court's cases or their due
	// items, made through any client of the store, than before it. A view
	// computed after reading revision r reflects every change up to r, so
	// it may be served for as long as Revision still returns r. A store may
	// also count changes the caller cannot see (another court's, or a
	// rolled-back write's), but never returns less than before. Safe for
	// concurrent use.
	Revision(ctx context.Context, court string) (int64, error)
}
