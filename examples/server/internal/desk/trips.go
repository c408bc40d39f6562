package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
	"github.com/courtkit/zhixing/planning"
)

// AddTrip stores a judge's field trip. A judge adds their own; the chief any
// judge's.
func (d *Desk) AddTrip(ctx context.Context, p *Principal, t planning.Trip) (planning.Trip, error) {
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
	if t.ID == "" {
		t.ID = NewID("trip")
	}
	if ok, err := d.IsJudge(ctx, t.JudgeID); err != nil {
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
		t.ID, d.Court, t.JudgeID, t.Start.Unix(), t.End.Unix(), string(doc))
	if err != nil {
		return t, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return t, fmt.Errorf("trip %s: %w", t.ID, enforcement.ErrConflict)
	}
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
	args := []any{d.Court, from.Unix()}
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

// Coordination returns the coordination groups (集约出行) among upcoming trips:
// the chief sees every group, a judge the groups they are in.
func (d *Desk) Coordination(ctx context.Context, p *Principal) ([]planning.Group, error) {
	if err := Need(p, RoleJudge, RoleChief); err != nil {
		return nil, err
	}
	trips, err := d.scanTrips(ctx, `SELECT doc FROM server_trips WHERE court = ? AND end_at >= ? ORDER BY start_at, id`, d.Court, d.Now().Add(-24*time.Hour).Unix())
	if err != nil {
		return nil, err
	}
	pts, err := d.planTrips(ctx)
	if err != nil {
		return nil, err
	}
	trips = append(trips, pts...)
	gs, err := planning.Coordinate(trips, d.CoordCfg())
	if err != nil {
		return nil, err
	}
	out := []planning.Group{}
	for _, g := range gs {
		if p.Role == RoleJudge && !containsStr(g.Judges, p.UserID) {
			continue
		}
		out = append(out, g)
	}
	return out, nil
}

// CoordCfg is the coordination settings of the court.
func (d *Desk) CoordCfg() planning.CoordinationConfig {
	return planning.CoordinationConfig{HomeDivisionPrefixes: []string{"31"}, DivisionNames: map[string]string{
		"310101": "黄浦区", "310104": "徐汇区", "310105": "长宁区", "310106": "静安区", "310107": "普陀区",
		"310109": "虹口区", "310110": "杨浦区", "310112": "闵行区", "310115": "浦东新区", "310117": "松江区",
	}}
}

func containsStr(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// NotifyCoordination drafts the coordination suggestions (集约出行) of every
// current group to its judges and to the chief. The idempotency keys derive
// from the group (its member trips), so asking again sends nothing twice.
func (d *Desk) NotifyCoordination(ctx context.Context, p *Principal) (int, error) {
	if err := Need(p, RoleChief); err != nil {
		return 0, err
	}
	if d.Outbox == nil {
		return 0, ErrNoOutbox
	}
	gs, err := d.Coordination(ctx, p)
	if err != nil {
		return 0, err
	}
	users, err := d.ListUsers(ctx, d.Court)
	if err != nil {
		return 0, err
	}
	var leaders []notify.Recipient
	for _, u := range users {
		if u.Role == RoleChief {
			leaders = append(leaders, notify.Recipient{UserID: u.ID, Name: u.Name, Mobile: u.Mobile})
		}
	}
	now := d.Now()
	n := 0
	for _, g := range gs {
		var judges []notify.Recipient
		for _, j := range g.Judges {
			if r, ok := d.Staff(j); ok {
				judges = append(judges, r)
			}
		}
		start := g.Window.Start.In(deadline.China)
		half := "上午"
		if start.Hour() >= 12 {
			half = "下午"
		}
		place := ""
		if len(g.Stops) > 0 {
			place = g.Stops[0].Place.Address
			if name := d.CoordCfg().DivisionNames[g.Stops[0].Place.Division]; name != "" && place == "" {
				place = name
			}
		}
		msgs, err := d.Drafter.DraftItinerary(notify.Trip{GroupID: g.ID, Court: d.Court, Date: fmt.Sprintf("%d月%d日%s", start.Month(), start.Day(), half), Place: place}, judges, leaders, now)
		if err != nil {
			return n, err
		}
		if len(msgs) > 0 {
			if err := d.Outbox.Put(ctx, msgs...); err != nil {
				return n, err
			}
			n += len(msgs)
		}
	}
	d.recordValues(ctx, p, ActionCoordination, "", "", nil, map[string]int{"messages": n})
	return n, nil
}
