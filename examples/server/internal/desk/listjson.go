package desk

import (
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/planning"
)

// The reminders lists (GET /api/v1/reminders) send each entry's due item
// without the steps that explain its date and the period rules applied
// (Steps, CalcBasis): they are most of a long list's size, and the case
// endpoint and the case page show them. The legal basis (Basis) stays.
// The types below shadow those fields with empty ones that encoding/json
// leaves out, so every other field is encoded as planning encodes it.

// listDue is a due item in a list.
type listDue struct {
	enforcement.DueItem
	Steps     []deadline.Step `json:",omitempty"`
	CalcBasis []string        `json:",omitempty"`
}

// listEntry is an agenda entry in a list.
type listEntry struct {
	planning.Entry
	DueItem *listDue
}

// listAgendaT is an agenda as the reminders list sends it.
type listAgendaT struct {
	planning.Agenda
	Today, ThisWeek, NextWeek []listEntry
}

// listChiefViewT is the chief's agenda as the reminders list sends it.
type listChiefViewT struct {
	planning.ChiefView
	Judges []listAgendaT
}

func listEntries(es []planning.Entry) []listEntry {
	if es == nil {
		return nil
	}
	out := make([]listEntry, len(es))
	for i, e := range es {
		out[i].Entry = e
		if e.DueItem != nil {
			out[i].DueItem = &listDue{DueItem: *e.DueItem}
		}
	}
	return out
}

// listAgenda returns a for the reminders list.
func listAgenda(a planning.Agenda) listAgendaT {
	return listAgendaT{Agenda: a, Today: listEntries(a.Today), ThisWeek: listEntries(a.ThisWeek), NextWeek: listEntries(a.NextWeek)}
}

// listChiefView returns v for the reminders list.
func listChiefView(v planning.ChiefView) listChiefViewT {
	out := listChiefViewT{ChiefView: v}
	if v.Judges != nil {
		out.Judges = make([]listAgendaT, len(v.Judges))
		for i, a := range v.Judges {
			out.Judges[i] = listAgenda(a)
		}
	}
	return out
}
