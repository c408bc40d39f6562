package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
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

// Coordination returns the coordination groups (集约出行) among upcoming trips:
// the chief sees every group, a judge the groups they are in.
func (d *Desk) Coordination(ctx context.Context, p *Principal) ([]planning.Group, error) {
	if err := Need(p, RoleJudge, RoleChief); err != nil {
		return nil, err
	}
	court := d.CourtFor(p)
	trips, err := d.scanTrips(ctx, `SELECT doc FROM server_trips WHERE court = ? AND end_at >= ? ORDER BY start_at, id`, court, d.Now().Add(-24*time.Hour).Unix())
	if err != nil {
		return nil, err
	}
	pts, err := d.planTrips(ctx, court)
	if err != nil {
		return nil, err
	}
	trips = append(trips, pts...)
	gs, err := planning.Coordinate(trips, d.CoordCfg(court))
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

// CoordCfg is the coordination settings of court code: the names of its
// districts, and the districts of its area as the home ones.
func (d *Desk) CoordCfg(code string) planning.CoordinationConfig {
	cfg := planning.CoordinationConfig{DivisionNames: map[string]string{}}
	for _, dt := range d.AllDistricts(code) {
		cfg.DivisionNames[dt.Code] = dt.Name
		if dt.Home {
			cfg.HomeDivisionPrefixes = append(cfg.HomeDivisionPrefixes, dt.Code)
		}
	}
	return cfg
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

// tripPlace says where trip t goes for an itinerary text: its address (or
// district), or, out of the court's area, the district with the
// suggestion to entrust the task to its court (执行事项委托).
func (d *Desk) tripPlace(court string, pl planning.Place, out map[string]bool) string {
	cfg := d.CoordCfg(court)
	name := cfg.DivisionNames[pl.Division]
	if out[pl.Division] {
		if name == "" {
			name = pl.Division
		}
		court := name
		if _, district, ok := strings.Cut(name, "市"); ok && district != "" {
			court = district // 苏州市姑苏区 → 姑苏区人民法院
		}
		if s := name + "(建议委托" + court + "人民法院)"; utf8.RuneCountInString(s) <= 20 {
			return s
		}
		return name + "(建议执行事项委托)"
	}
	if pl.Address != "" {
		return pl.Address
	}
	return name
}

func (d *Desk) notifyCoordination(ctx context.Context, court string) (int, error) {
	dr := d.Drafter(court)
	if dr == nil {
		return 0, ErrNoOutbox
	}
	gs, err := d.Coordination(ctx, &Principal{Role: RoleChief, Court: court})
	if err != nil {
		return 0, err
	}
	users, err := d.ListUsers(ctx, court)
	if err != nil {
		return 0, err
	}
	now := d.Now()
	n := 0
	for _, g := range gs {
		out := map[string]bool{}
		for _, dl := range g.Delegations {
			out[dl.Division] = true
		}
		var judges []notify.Recipient
		for _, j := range g.Judges {
			if r, ok := d.Staff(j); ok {
				judges = append(judges, r)
			}
		}
		var msgs []notify.Message
		// Each traveller is told of their own trip: its date, half-day and
		// place, and who else goes.
		for _, j := range judges {
			i := slices.IndexFunc(g.Trips, func(t planning.Trip) bool { return t.JudgeID == j.UserID })
			if i < 0 {
				continue
			}
			t := g.Trips[i]
			others := append([]notify.Recipient{j}, slices.DeleteFunc(slices.Clone(judges), func(r notify.Recipient) bool { return r.UserID == j.UserID })...)
			ms, err := dr.DraftItinerary(notify.Trip{GroupID: g.ID + "/" + t.ID, Court: court, Date: halfDay(t.Start), Place: d.tripPlace(court, t.Place, out)}, others, nil, now)
			if err != nil {
				return n, err
			}
			for _, m := range ms {
				if m.Recipient.UserID == j.UserID {
					msgs = append(msgs, m)
				}
			}
		}
		// The chief and the travellers' division heads, once each, unless
		// travelling themselves.
		var leaders []notify.Recipient
		add := func(id string) {
			if containsStr(g.Judges, id) || slices.ContainsFunc(leaders, func(r notify.Recipient) bool { return r.UserID == id }) {
				return
			}
			if r, ok := d.Staff(id); ok {
				leaders = append(leaders, r)
			}
		}
		for _, j := range g.Judges {
			for _, h := range d.HeadsOf(court, j) {
				add(h)
			}
		}
		for _, u := range users {
			if u.Role == RoleChief {
				add(u.ID)
			}
		}
		for _, id := range d.court(court).Leaders {
			add(id)
		}
		if len(leaders) > 0 && len(g.Trips) > 0 {
			place := ""
			if len(g.Stops) > 0 {
				place = d.tripPlace(court, g.Stops[0].Place, out)
			}
			ms, err := dr.DraftItinerary(notify.Trip{GroupID: g.ID, Court: court, Date: halfDay(g.Window.Start), Place: place}, judges, leaders, now)
			if err != nil {
				return n, err
			}
			for _, m := range ms {
				if m.Recipient.Role == notify.RecipientLeader {
					msgs = append(msgs, m)
				}
			}
		}
		if len(msgs) > 0 {
			if err := d.Outbox.Put(ctx, msgs...); err != nil {
				return n, err
			}
			n += len(msgs)
		}
	}
	return n, nil
}
