package planning

import "context"

// PlanStore stores weekly plans with optimistic concurrency. A plan is keyed
// by its judge and week (its ID is PlanID(JudgeID, Week)).
//
// Stores report missing plans and version mismatches with the enforcement
// sentinels, so that an adapter maps its driver's errors one way for cases
// and plans: errors match [enforcement.ErrNotFound] and
// [enforcement.ErrConflict] with errors.Is.
//
// Stores share no memory with callers: they copy plans on the way in and
// out. All methods are safe for concurrent use.
type PlanStore interface {
	// Get returns judge judgeID's plan for week w, or an error matching
	// enforcement.ErrNotFound when there is none. The returned plan's
	// Version is the stored version.
	Get(ctx context.Context, judgeID string, w Week) (*Plan, error)

	// Save stores p if the stored plan's version is expectedVersion (0:
	// the plan must not exist yet), and sets p.Version to
	// expectedVersion+1. Otherwise it returns an error matching
	// enforcement.ErrConflict, writes nothing and leaves p unchanged. It
	// returns an error matching ErrInvalidPlan, and writes nothing, when
	// p.Validate fails.
	Save(ctx context.Context, p *Plan, expectedVersion int64) error

	// ListWeek returns the plans of court for week w, ordered by judge ID,
	// for the chief's view. An empty court lists every court's plans. It
	// returns an empty slice, not an error, when there are none.
	ListWeek(ctx context.Context, court string, w Week) ([]*Plan, error)
}
