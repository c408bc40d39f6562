package sqlstore

import (
	"encoding/json"

	"github.com/courtkit/zhixing/planning"
)

// planDoc is a judge's weekly plan as stored in plans.doc.
type planDoc struct {
	V           int           `json:"v"`
	ID          string        `json:"id"`
	Court       string        `json:"court"`
	JudgeID     string        `json:"judge_id"`
	Week        string        `json:"week"`
	Items       []itemDoc     `json:"items"`
	Status      string        `json:"status"`
	SubmittedAt string        `json:"submitted_at,omitempty"`
	SubmittedBy string        `json:"submitted_by,omitempty"`
	UpdatedAt   string        `json:"updated_at,omitempty"`
	History     []revisionDoc `json:"history"`
	Version     int64         `json:"version"`
}

type itemDoc struct {
	ID     string   `json:"id"`
	Kind   string   `json:"kind"`
	CaseID string   `json:"case_id,omitempty"`
	DueID  string   `json:"due_id,omitempty"`
	Title  string   `json:"title"`
	Day    string   `json:"day,omitempty"`
	Start  string   `json:"start,omitempty"`
	End    string   `json:"end,omitempty"`
	Trip   *tripDoc `json:"trip,omitempty"`
	Done   bool     `json:"done,omitempty"`
}

type tripDoc struct {
	ID        string   `json:"id"`
	JudgeID   string   `json:"judge_id"`
	JudgeName string   `json:"judge_name,omitempty"`
	CaseID    string   `json:"case_id,omitempty"`
	Start     string   `json:"start,omitempty"`
	End       string   `json:"end,omitempty"`
	Place     placeDoc `json:"place"`
	Purpose   string   `json:"purpose,omitempty"`
}

type placeDoc struct {
	Address   string  `json:"address,omitempty"`
	Division  string  `json:"division,omitempty"`
	Lat       float64 `json:"lat,omitempty"`
	Lng       float64 `json:"lng,omitempty"`
	HasCoords bool    `json:"has_coords,omitempty"`
}

type revisionDoc struct {
	At      string   `json:"at"`
	By      string   `json:"by,omitempty"`
	Op      string   `json:"op"`
	ItemID  string   `json:"item_id,omitempty"`
	Changed []string `json:"changed"`
	Before  *itemDoc `json:"before,omitempty"`
	After   *itemDoc `json:"after,omitempty"`
}

func encodePlan(p *planning.Plan) ([]byte, error) {
	var err error
	doc := planDoc{V: docVersion, ID: p.ID, Court: p.Court, JudgeID: p.JudgeID, Week: text(p.Week, &err),
		Items: mapSlice(p.Items, itemToDoc), Status: string(p.Status), SubmittedAt: timeText(p.SubmittedAt), SubmittedBy: p.SubmittedBy,
		UpdatedAt: timeText(p.UpdatedAt),
		History: mapSlice(p.History, func(r planning.Revision) revisionDoc {
			return revisionDoc{At: timeText(r.At), By: r.By, Op: string(r.Op), ItemID: r.ItemID, Changed: cloneStrings(r.Changed),
				Before: itemPtrToDoc(r.Before), After: itemPtrToDoc(r.After)}
		}),
		Version: p.Version}
	if err != nil {
		return nil, err
	}
	return json.Marshal(doc)
}

func itemToDoc(it planning.Item) itemDoc {
	doc := itemDoc{ID: it.ID, Kind: string(it.Kind), CaseID: it.CaseID, DueID: it.DueID, Title: it.Title, Day: dateText(it.Day),
		Start: timeText(it.Start), End: timeText(it.End), Done: it.Done}
	if t := it.Trip; t != nil {
		doc.Trip = &tripDoc{ID: t.ID, JudgeID: t.JudgeID, JudgeName: t.JudgeName, CaseID: t.CaseID, Start: timeText(t.Start), End: timeText(t.End),
			Place:   placeDoc{Address: t.Place.Address, Division: t.Place.Division, Lat: t.Place.Lat, Lng: t.Place.Lng, HasCoords: t.Place.HasCoords},
			Purpose: t.Purpose}
	}
	return doc
}

func itemPtrToDoc(it *planning.Item) *itemDoc {
	if it == nil {
		return nil
	}
	doc := itemToDoc(*it)
	return &doc
}

func (doc *itemDoc) item(d *decoder) planning.Item {
	it := planning.Item{ID: doc.ID, Kind: planning.ItemKind(doc.Kind), CaseID: doc.CaseID, DueID: doc.DueID, Title: doc.Title,
		Day: d.date("items.day", doc.Day), Start: d.time("items.start", doc.Start), End: d.time("items.end", doc.End), Done: doc.Done}
	if t := doc.Trip; t != nil {
		it.Trip = &planning.Trip{ID: t.ID, JudgeID: t.JudgeID, JudgeName: t.JudgeName, CaseID: t.CaseID,
			Start: d.time("items.trip.start", t.Start), End: d.time("items.trip.end", t.End),
			Place:   planning.Place{Address: t.Place.Address, Division: t.Place.Division, Lat: t.Place.Lat, Lng: t.Place.Lng, HasCoords: t.Place.HasCoords},
			Purpose: t.Purpose}
	}
	return it
}

func (doc *itemDoc) itemPtr(d *decoder) *planning.Item {
	if doc == nil {
		return nil
	}
	it := doc.item(d)
	return &it
}

func decodePlanDoc(b []byte) (*planning.Plan, error) {
	var doc planDoc
	if err := decodeDoc(b, &doc, nil); err != nil {
		return nil, err
	}
	var d decoder
	p := &planning.Plan{ID: doc.ID, Court: doc.Court, JudgeID: doc.JudgeID,
		Items: mapSlice(doc.Items, func(x itemDoc) planning.Item { return x.item(&d) }), Status: planning.PlanStatus(doc.Status),
		SubmittedAt: d.time("submitted_at", doc.SubmittedAt), SubmittedBy: doc.SubmittedBy, UpdatedAt: d.time("updated_at", doc.UpdatedAt),
		History: mapSlice(doc.History, func(r revisionDoc) planning.Revision {
			return planning.Revision{At: d.time("history.at", r.At), By: r.By, Op: planning.RevisionOp(r.Op), ItemID: r.ItemID,
				Changed: cloneStrings(r.Changed), Before: r.Before.itemPtr(&d), After: r.After.itemPtr(&d)}
		}),
		Version: doc.Version}
	d.text("week", doc.Week, &p.Week)
	if d.err != nil {
		return nil, d.err
	}
	return p, nil
}
