package main

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/planning"
)

// ownJudge checks that p may read (chief, or the judge themself) the plans
// of judge.
func ownJudge(p *principal, judge string) error {
	if err := need(p, RoleJudge, RoleChief); err != nil {
		return err
	}
	if p.Role == RoleJudge && judge != p.UserID {
		return errForbidden
	}
	return nil
}

// plan returns judge's plan for week w: a new, empty draft if none is stored.
func (d *desk) plan(ctx context.Context, p *principal, judge string, w planning.Week) (*planning.Plan, error) {
	if err := ownJudge(p, judge); err != nil {
		return nil, err
	}
	pl, err := d.plans.Get(ctx, judge, w)
	if errors.Is(err, enforcement.ErrNotFound) {
		n := planning.NewPlan(d.court, judge, w)
		return &n, nil
	}
	if err != nil {
		return nil, err
	}
	if pl.Court != d.court {
		return nil, notFound("plan", judge)
	}
	return pl, nil
}

// changePlan applies fn to the judge's own plan for week w and saves it
// with optimistic concurrency.
func (d *desk) changePlan(ctx context.Context, p *principal, judge string, w planning.Week, fn func(pl *planning.Plan, ch planning.Change) error) (*planning.Plan, error) {
	if err := need(p, RoleJudge); err != nil {
		return nil, err
	}
	pl, err := d.plan(ctx, p, judge, w)
	if err != nil {
		return nil, err
	}
	ch := planning.Change{By: p.actor(), At: d.now(), Cases: func(id string) (*enforcement.Case, bool) {
		c, err := d.get(ctx, p, id)
		return c, err == nil
	}}
	version := pl.Version
	if err := fn(pl, ch); err != nil {
		return nil, err
	}
	if err := d.plans.Save(ctx, pl, version); err != nil {
		return nil, err
	}
	d.views.invalidate()
	return pl, nil
}

// agendaInput loads what the planning functions need: the cases and the
// plans of this week and the next, of one judge or of every judge.
func (d *desk) agendaInput(ctx context.Context, judge string) ([]*enforcement.Case, []*planning.Plan, error) {
	cs, err := d.store.Find(ctx, enforcement.CaseFilter{Court: d.court, JudgeID: judge})
	if err != nil {
		return nil, nil, err
	}
	w := planning.WeekOf(d.today())
	var plans []*planning.Plan
	for _, wk := range []planning.Week{w, w.Add(1)} {
		if judge != "" {
			pl, err := d.plans.Get(ctx, judge, wk)
			if errors.Is(err, enforcement.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, nil, err
			}
			plans = append(plans, pl)
			continue
		}
		ps, err := d.plans.ListWeek(ctx, d.court, wk)
		if err != nil {
			return nil, nil, err
		}
		plans = append(plans, ps...)
	}
	return cs, plans, nil
}

// agenda is a judge's reminders (智能提醒), merged with their plans.
func (d *desk) agenda(ctx context.Context, p *principal, judge string) (planning.Agenda, error) {
	if judge == "" && p != nil {
		judge = p.UserID
	}
	if err := ownJudge(p, judge); err != nil {
		return planning.Agenda{}, err
	}
	cs, plans, err := d.agendaInput(ctx, judge)
	if err != nil {
		return planning.Agenda{}, err
	}
	return planning.Reminders(judge, plans, cs, d.now(), d.cal.Load(), planning.ReminderConfig{})
}

// chiefAgenda is every judge's agenda, for the chief.
func (d *desk) chiefAgenda(ctx context.Context, p *principal) (planning.ChiefView, error) {
	if err := need(p, RoleChief); err != nil {
		return planning.ChiefView{}, err
	}
	now := d.now()
	v, err := d.views.get("agenda/"+deadline.DateOf(now).String(), now, func() (any, error) {
		cs, plans, err := d.agendaInput(ctx, "")
		if err != nil {
			return nil, err
		}
		return planning.ChiefAgenda(plans, cs, now, d.cal.Load(), planning.ReminderConfig{})
	})
	if err != nil {
		return planning.ChiefView{}, err
	}
	return v.(planning.ChiefView), nil
}

// feed is the judge's iCalendar feed of due items and plan items.
func (d *desk) feed(ctx context.Context, p *principal, judge string) ([]byte, error) {
	if err := ownJudge(p, judge); err != nil {
		return nil, err
	}
	cs, plans, err := d.agendaInput(ctx, judge)
	if err != nil {
		return nil, err
	}
	return planning.Feed(judge, plans, cs, d.now(), d.cal.Load(), planning.FeedConfig{Domain: "zhixing.example.cn", Name: d.courtName + " 执行期限与工作计划"})
}

// planTrips returns the trip items of this week's and next week's plans.
func (d *desk) planTrips(ctx context.Context) ([]planning.Trip, error) {
	w := planning.WeekOf(d.today())
	var out []planning.Trip
	for _, wk := range []planning.Week{w, w.Add(1)} {
		ps, err := d.plans.ListWeek(ctx, d.court, wk)
		if err != nil {
			return nil, err
		}
		for _, pl := range ps {
			out = append(out, pl.Trips()...)
		}
	}
	return out, nil
}

// ----- handlers -----

func parseWeek(s string) (planning.Week, error) {
	w, err := planning.ParseWeek(s)
	if err != nil {
		return w, &inputError{Fields: []fieldError{{"week", "invalid_week", "周次格式有误，如 2026-W48"}}}
	}
	return w, nil
}

func (h *api) getPlan(w http.ResponseWriter, r *http.Request, p *principal) error {
	wk, err := parseWeek(r.PathValue("week"))
	if err != nil {
		return err
	}
	pl, err := h.desk.plan(r.Context(), p, r.PathValue("judge"), wk)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, pl)
	return nil
}

func (h *api) listPlans(w http.ResponseWriter, r *http.Request, p *principal) error {
	if err := need(p, RoleChief); err != nil {
		return err
	}
	wk := planning.WeekOf(h.desk.today())
	if v := r.URL.Query().Get("week"); v != "" {
		var err error
		if wk, err = parseWeek(v); err != nil {
			return err
		}
	}
	ps, err := h.desk.plans.ListWeek(r.Context(), h.desk.court, wk)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"week": wk, "plans": ps})
	return nil
}

type planItemIn struct {
	ID     string            `json:"id"`
	Kind   planning.ItemKind `json:"kind"`
	CaseID string            `json:"case_id"`
	DueID  string            `json:"due_id"`
	Title  string            `json:"title"`
	Day    deadline.Date     `json:"day"`
	Start  time.Time         `json:"start"`
	End    time.Time         `json:"end"`
	Trip   *struct {
		Address  string `json:"address"`
		Division string `json:"division"`
		Purpose  string `json:"purpose"`
	} `json:"trip"`
	Done bool `json:"done"`
}

func (h *api) addPlanItem(w http.ResponseWriter, r *http.Request, p *principal) error {
	wk, err := parseWeek(r.PathValue("week"))
	if err != nil {
		return err
	}
	var in planItemIn
	if err := decode(r, &in); err != nil {
		return err
	}
	judge := r.PathValue("judge")
	if in.ID == "" {
		in.ID = newID("item")
	}
	it := planning.Item{ID: in.ID, Kind: in.Kind, CaseID: in.CaseID, DueID: in.DueID, Title: in.Title, Day: in.Day, Start: in.Start, End: in.End, Done: in.Done}
	if in.Trip != nil {
		name := ""
		if u, ok := h.desk.staff(judge); ok {
			name = u.Name
		}
		it.Trip = &planning.Trip{ID: in.ID, JudgeID: judge, JudgeName: name, CaseID: in.CaseID, Start: in.Start, End: in.End,
			Place: planning.Place{Address: in.Trip.Address, Division: in.Trip.Division}, Purpose: in.Trip.Purpose}
	}
	pl, err := h.desk.changePlan(r.Context(), p, judge, wk, func(pl *planning.Plan, ch planning.Change) error {
		return pl.AddItem(it, ch)
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, pl)
	return nil
}

func (h *api) submitPlan(w http.ResponseWriter, r *http.Request, p *principal) error {
	wk, err := parseWeek(r.PathValue("week"))
	if err != nil {
		return err
	}
	pl, err := h.desk.changePlan(r.Context(), p, r.PathValue("judge"), wk, func(pl *planning.Plan, ch planning.Change) error {
		return pl.Submit(ch)
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, pl)
	return nil
}

func (h *api) agenda(w http.ResponseWriter, r *http.Request, p *principal) error {
	if p != nil && p.Role == RoleChief && r.URL.Query().Get("judge") == "" {
		v, err := h.desk.chiefAgenda(r.Context(), p)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, v)
		return nil
	}
	a, err := h.desk.agenda(r.Context(), p, r.URL.Query().Get("judge"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}
