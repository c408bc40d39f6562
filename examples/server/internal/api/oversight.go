package api

import (
	"net/http"
	"time"

	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// supervisorWrites are the writes a high court's supervisor may make:
// signing in and out, and a supervision order (督办). Every other write
// is refused before its handler runs (desk.CheckWrite).
var supervisorWrites = map[string]bool{
	"POST /api/v1/auth/login":             true,
	"POST /api/v1/auth/party-login":       true,
	"POST /api/v1/auth/logout":            true,
	"POST /api/v1/cases/{id}/supervision": true,
}

// SupervisorWrites lists the write patterns a high court's supervisor may
// use; every other one answers 403 read_only.
func SupervisorWrites() []string {
	var out []string
	for _, r := range (&API{}).table() {
		if supervisorWrites[r.pattern] {
			out = append(out, r.pattern)
		}
	}
	return out
}

// CourtFigures is one court's line in a high court's overview.
type CourtFigures = desk.CourtFigures

// overview answers a high court's supervisor with every court's figures,
// the most overdue first.
func (h *API) overview() handlerFunc {
	type out struct {
		Courts []CourtFigures `json:"courts"`
	}
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (out, error) {
		cs, err := h.desk.Overview(r.Context(), p)
		if err != nil {
			return out{}, err
		}
		return out{Courts: cs}, nil
	})
}

// courtSupervision answers a high court's supervisor with one court's
// report, the chief's, to read.
func (h *API) courtSupervision() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (Report, error) {
		rep, _, err := h.desk.CourtReport(r.Context(), p, r.PathValue("code"))
		if err != nil {
			return Report{}, err
		}
		return reportOut(rep), nil
	})
}

// DivisionOut is a division head's dashboard.
type DivisionOut struct {
	Name   string         `json:"name"`
	Head   string         `json:"head"`
	Judges []string       `json:"judges"`
	Week   string         `json:"week"`
	Report Report         `json:"report"`
	Plans  []PlanStateOut `json:"plans"`
}

// PlanStateOut is a judge's plan for the week as a dashboard shows it.
type PlanStateOut struct {
	JudgeID     string     `json:"judge_id"`
	Name        string     `json:"name"`
	Status      string     `json:"status"`
	Items       int        `json:"items"`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
	Changes     int        `json:"changes"`
}

// division answers a division head with their division's dashboard.
func (h *API) division() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (DivisionOut, error) {
		v, err := h.desk.Division(r.Context(), p)
		if err != nil {
			return DivisionOut{}, err
		}
		out := DivisionOut{Name: v.Division.Name, Head: v.Division.Head, Judges: v.Division.Judges, Week: v.Week.String(),
			Report: reportOut(v.Report), Plans: []PlanStateOut{}}
		if out.Judges == nil {
			out.Judges = []string{}
		}
		for _, s := range v.Plans {
			ps := PlanStateOut{JudgeID: s.JudgeID, Name: s.Name, Status: string(s.Status), Items: s.Items, Changes: s.Changes}
			if !s.SubmittedAt.IsZero() {
				t := s.SubmittedAt.UTC()
				ps.SubmittedAt = &t
			}
			if ps.Status == "" {
				ps.Status = "none"
			}
			out.Plans = append(out.Plans, ps)
		}
		return out, nil
	})
}
