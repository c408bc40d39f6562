package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/examples/server/internal/auth"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/planning"
)

// ----- handlers -----

func (h *API) getPlan() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (Plan, error) {
		wk, err := desk.ParseWeek(r.PathValue("week"))
		if err != nil {
			return Plan{}, err
		}
		pl, err := h.desk.Plan(r.Context(), p, r.PathValue("judge"), wk)
		if err != nil {
			return Plan{}, err
		}
		return h.planHints(h.desk.CourtFor(p), planOut(pl)), nil
	})
}

func (h *API) listPlans() handlerFunc {
	type out struct {
		Week  string `json:"week"`
		Plans []Plan `json:"plans"`
	}
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (out, error) {
		if err := desk.Need(p, desk.RoleChief); err != nil {
			return out{}, err
		}
		wk := planning.WeekOf(h.desk.Today())
		if v := r.URL.Query().Get("week"); v != "" {
			var err error
			if wk, err = desk.ParseWeek(v); err != nil {
				return out{}, err
			}
		}
		ps, err := h.desk.Plans.ListWeek(r.Context(), h.desk.CourtFor(p), wk)
		if err != nil {
			return out{}, err
		}
		v := out{Week: wk.String(), Plans: []Plan{}}
		for i := range ps {
			v.Plans = append(v.Plans, planOut(ps[i]))
		}
		return v, nil
	})
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
		// Point is a map point "lat,lng", as the page's form takes it.
		Point   string `json:"point"`
		Purpose string `json:"purpose"`
	} `json:"trip"`
	Done bool `json:"done"`
}

func (h *API) addPlanItem() handlerFunc {
	return planAnswer(h, func(r *http.Request, judge string, in planItemIn) func(pl *planning.Plan, ch planning.Change) error {
		if in.ID == "" {
			in.ID = desk.NewID("item")
		}
		it := planning.Item{ID: in.ID, Kind: in.Kind, CaseID: in.CaseID, DueID: in.DueID, Title: in.Title, Day: in.Day, Start: in.Start, End: in.End, Done: in.Done}
		var placeErr error
		if in.Trip != nil {
			name := ""
			if u, ok := h.desk.Staff(judge); ok {
				name = u.Name
			}
			var place planning.Place
			place, placeErr = h.desk.Place(desk.PlaceIn{Division: in.Trip.Division, Point: in.Trip.Point, Address: in.Trip.Address, Prefix: "trip.", Court: h.desk.CourtFor(auth.PrincipalOf(r.Context()))})
			it.Trip = &planning.Trip{ID: in.ID, JudgeID: judge, JudgeName: name, CaseID: in.CaseID, Start: in.Start, End: in.End,
				Place: place, Purpose: in.Trip.Purpose}
		}
		return func(pl *planning.Plan, ch planning.Change) error {
			if placeErr != nil {
				return placeErr
			}
			return pl.AddItem(it, ch)
		}
	})
}

// planAnswer is handle for changing a judge's weekly plan: change returns
// the change to make; the answer is the plan after it.
func planAnswer[In any](h *API, change func(r *http.Request, judge string, in In) func(pl *planning.Plan, ch planning.Change) error) handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, in In) (Plan, error) {
		wk, err := desk.ParseWeek(r.PathValue("week"))
		if err != nil {
			return Plan{}, err
		}
		judge := r.PathValue("judge")
		pl, err := h.desk.ChangePlan(r.Context(), p, judge, wk, change(r, judge, in))
		if err != nil {
			return Plan{}, err
		}
		return h.planHints(h.desk.CourtFor(p), planOut(pl)), nil
	})
}

func (h *API) submitPlan() handlerFunc {
	return planAnswer(h, func(r *http.Request, judge string, _ struct{}) func(pl *planning.Plan, ch planning.Change) error {
		return func(pl *planning.Plan, ch planning.Change) error { return pl.Submit(ch) }
	})
}

func (h *API) agenda() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (any, error) {
		// The limit pages one judge's lists; it is checked for the chief's
		// agenda of every judge too, which lists each judge's entries whole.
		limit, err := desk.ParseAgendaLimit(r.URL.Query().Get("limit"))
		if err != nil {
			return nil, err
		}
		if p != nil && p.Role == desk.RoleChief && r.URL.Query().Get("judge") == "" {
			v, err := h.desk.ChiefAgenda(r.Context(), p)
			if err != nil {
				return nil, err
			}
			return chiefAgendaOut(v), nil
		}
		a, err := h.desk.Agenda(r.Context(), p, r.URL.Query().Get("judge"), limit)
		if err != nil {
			return nil, err
		}
		return agendaOut(a), nil
	})
}

// tripPlace resolves a trip's place from the API's fields, with the
// coordinates as a point; a point outside China is refused at field
// prefix+"lat" (or "lng").
func (h *API) tripPlace(court, division, address string, lat, lng *float64, prefix string) (planning.Place, error) {
	in := desk.PlaceIn{Division: division, Address: address, Prefix: prefix, Court: court}
	if lat != nil && lng != nil {
		in.Point = desk.FormatPoint(*lat, *lng)
	}
	pl, err := h.desk.Place(in)
	var pe *desk.PointError
	if errors.As(err, &pe) {
		pe.Field = prefix + "lat"
		if pe.Code == "lng_range" {
			pe.Field = prefix + "lng"
		}
	}
	return pl, err
}
