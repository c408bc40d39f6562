package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/planning"
)

// AddTrip stores a judge's field trip. A judge adds their own; the chief any
// judge's.
func (d *Desk) AddTrip(ctx context.Context, p *Principal, t planning.Trip) (planning.Trip, error) {
	if err := checkTexts(MaxTitle, false, "purpose", t.Purpose, "address", t.Place.Address); err != nil {
		return t, err
	}
	if err := Need(p, RoleJudge, RoleChief); err != nil {
		return t, err
	}
	if p.Role == RoleJudge {
		if t.JudgeID == "" {
			t.JudgeID = p.UserID
		}
		if t.JudgeID != p.UserID {
			return t, ErrForbidden
		}
	}
	if err := checkTrip(t.Start, t.End); err != nil {
		return t, err
	}
	if t.ID == "" {
		t.ID = NewID("trip")
	}
	court := d.CourtFor(p)
	if ok, err := d.IsJudgeOf(ctx, court, t.JudgeID); err != nil {
		return t, err
	} else if !ok && t.JudgeID != "" {
		return t, &InputError{Fields: []FieldError{{"judge_id", "unknown_judge", "法官不存在"}}}
	}
	if u, ok := d.Staff(t.JudgeID); ok {
		t.JudgeName = u.Name
	}
	if err := t.Validate(); err != nil {
		return t, err
	}
	doc, err := json.Marshal(t)
	if err != nil {
		return t, err
	}
	res, err := d.DB.Exec(ctx, `INSERT INTO server_trips (id, court, judge_id, start_at, end_at, doc) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		t.ID, court, t.JudgeID, t.Start.Unix(), t.End.Unix(), string(doc))
	if err != nil {
		return t, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return t, fmt.Errorf("trip %s: %w", t.ID, enforcement.ErrConflict)
	}
	d.coordinateQuietly(ctx, court)
	d.recordValues(ctx, p, ActionTripAdded, "", t.ID, nil, t)
	return t, nil
}

// ListTrips lists trips ending on or after from: a judge's own, or all for
// the chief.
func (d *Desk) ListTrips(ctx context.Context, p *Principal, from time.Time) ([]planning.Trip, error) {
	if err := Need(p, RoleJudge, RoleChief); err != nil {
		return nil, err
	}
	q := `SELECT doc FROM server_trips WHERE court = ? AND end_at >= ?`
	args := []any{d.CourtFor(p), from.Unix()}
	if p.Role == RoleJudge {
		q += ` AND judge_id = ?`
		args = append(args, p.UserID)
	}
	return d.scanTrips(ctx, q+` ORDER BY start_at, id`, args...)
}

func (d *Desk) scanTrips(ctx context.Context, q string, args ...any) ([]planning.Trip, error) {
	rows, err := d.DB.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []planning.Trip{}
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		var t planning.Trip
		if err := json.Unmarshal([]byte(doc), &t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func containsStr(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// Division is a division (庭) of the enforcement bureau: its name, the
// user who heads it (庭长) and its judges. The heads are told of their
// judges' coordinated field trips, as the chief is.
type Division struct {
	Name   string   `json:"name"`
	Head   string   `json:"head"`
	Judges []string `json:"judges"`
}

// HeadsOf returns the heads of the divisions of court code that judge
// belongs to.
func (d *Desk) HeadsOf(code, judge string) []string {
	var out []string
	for _, dv := range d.court(code).Divisions {
		if dv.Head != "" && containsStr(dv.Judges, judge) && !containsStr(out, dv.Head) {
			out = append(out, dv.Head)
		}
	}
	return out
}

// NotifyCoordination drafts the coordination suggestions (集约出行) of every
// current group to its judges, their division heads and the chief. The
// idempotency keys derive from the group (its member trips), so asking
// again sends nothing twice.
func (d *Desk) NotifyCoordination(ctx context.Context, p *Principal) (int, error) {
	if err := Need(p, RoleChief); err != nil {
		return 0, err
	}
	if d.Outbox == nil {
		return 0, ErrNoOutbox
	}
	n, err := d.notifyCoordination(ctx, d.CourtFor(p))
	if err == nil {
		d.recordValues(ctx, p, ActionCoordination, "", "", nil, map[string]int{"messages": n})
	}
	return n, err
}

// coordinateQuietly tells the travellers and leaders of every current
// group of court, after a trip is saved or a plan submitted. A failure to
// draft or queue is logged, not returned: the trip or plan is saved, and
// the next save (or the chief) tries again.
func (d *Desk) coordinateQuietly(ctx context.Context, court string) {
	if d.Outbox == nil {
		return
	}
	if _, err := d.notifyCoordination(ctx, court); err != nil && d.Log != nil {
		d.Log.WarnContext(ctx, "coordination notices", "err", err)
	}
}

// halfDay names t's date and half-day, China time, e.g. 11月27日上午.
func halfDay(t time.Time) string {
	t = t.In(deadline.China)
	half := "上午"
	if t.Hour() >= 12 {
		half = "下午"
	}
	return fmt.Sprintf("%d月%d日%s", t.Month(), t.Day(), half)
}
