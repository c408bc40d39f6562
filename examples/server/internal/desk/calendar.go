package desk

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// MoveView is a due item whose date changes with a calendar change.
type MoveView struct {
	CaseID     string        `json:"case_id"`
	Number     string        `json:"number"`
	JudgeID    string        `json:"judge_id"`
	DueID      string        `json:"due_id"`
	Title      string        `json:"title"`
	Old        deadline.Date `json:"old"`
	New        deadline.Date `json:"new"`
	Reason     string        `json:"reason_zh"`
	Overridden bool          `json:"overridden"`
	// Definite is set when the item was provisional (or awaiting the
	// calendar) and its date is now definite.
	Definite bool `json:"definite"`
	// ShiftDays is New minus Old in calendar days (0 when either is
	// unknown).
	ShiftDays int `json:"shift_days"`
}

// moveView describes move m of case c.
func moveView(c *enforcement.Case, m enforcement.Move) MoveView {
	v := MoveView{CaseID: c.ID, Number: c.Number.String(), JudgeID: c.JudgeID, DueID: m.DueID,
		Title: m.Title, Old: m.Old, New: m.New, Reason: m.Reason, Overridden: m.Overridden, Definite: m.Definite}
	if !m.Old.IsZero() && !m.New.IsZero() {
		v.ShiftDays = m.New.Sub(m.Old)
	}
	return v
}

// CalendarChange is the result of loading a schedule or a closure day.
type CalendarChange struct {
	CoverageFirst deadline.Date `json:"coverage_first"`
	CoverageLast  deadline.Date `json:"coverage_last"`
	Moves         []MoveView    `json:"moves"`
	// Failed lists cases whose moves could not be applied (changed
	// concurrently); recalculating again applies them.
	Failed []string `json:"failed,omitempty"`
}

// LoadSchedule extends or corrects the calendar with a new year's schedule
// (the format of deadline's embedded data) and moves the due dates it
// changes. Chief only.
func (d *Desk) LoadSchedule(ctx context.Context, p *Principal, body []byte) (CalendarChange, error) {
	if err := Need(p, RoleChief); err != nil {
		return CalendarChange{}, err
	}
	ch, err := d.changeCalendar(ctx, d.CourtFor(p), "schedule", body, func(c *deadline.Calendar) (*deadline.Calendar, error) {
		return c.WithSchedule(bytes.NewReader(body))
	}, "节假日安排更新")
	if err == nil {
		d.recordValues(ctx, p, ActionScheduleLoaded, "", "", nil, ch)
	}
	return ch, err
}

// ClosureIn is a court closure day.
type ClosureIn struct {
	Date   deadline.Date `json:"date"`
	Reason string        `json:"reason"`
}

// AddClosure closes the court on a day (typhoon, …) and moves the due dates
// it changes. Chief only.
func (d *Desk) AddClosure(ctx context.Context, p *Principal, in ClosureIn) (CalendarChange, error) {
	if err := Need(p, RoleChief); err != nil {
		return CalendarChange{}, err
	}
	var ie InputError
	if in.Date.IsZero() {
		ie.Add("date", "required", "必填项")
	}
	if strings.TrimSpace(in.Reason) == "" {
		in.Reason = deadline.DefaultClosureReason
	}
	if err := ie.Err(); err != nil {
		return CalendarChange{}, err
	}
	body, _ := json.Marshal(in)
	ch, err := d.changeCalendar(ctx, d.CourtFor(p), "closure", body, func(c *deadline.Calendar) (*deadline.Calendar, error) {
		return c.WithClosures(deadline.Closure{Date: in.Date, Reason: in.Reason})
	}, "法院停止办公："+in.Reason)
	if err == nil {
		d.recordValues(ctx, p, ActionClosureAdded, "", in.Date.String(), nil, map[string]any{"closure": in, "change": ch})
	}
	return ch, err
}

// changeCalendar builds the new calendar, recalculates every open case on it,
// records the change, swaps the calendar in and applies the moves. The
// calendar is one for the deployment, so the cases of every court move and
// every court's revision is raised; the change made by court lists the
// moves of its own cases only.
func (d *Desk) changeCalendar(ctx context.Context, court, kind string, body []byte, build func(*deadline.Calendar) (*deadline.Calendar, error), reason string) (CalendarChange, error) {
	d.calMu.Lock()
	defer d.calMu.Unlock()
	next, err := build(d.cal.Load())
	if err != nil {
		return CalendarChange{}, err
	}
	seq, err := d.saveCalendarChange(ctx, court, kind, body)
	if err != nil {
		return CalendarChange{}, err
	}
	d.cal.Store(next)
	d.calSeq.Store(seq)
	for _, c := range d.courts {
		if err := d.Store.Touch(ctx, c.Code); err != nil {
			return CalendarChange{}, err
		}
	}
	out := CalendarChange{Moves: []MoveView{}}
	out.CoverageFirst, out.CoverageLast = next.Coverage()
	cs, err := d.Store.Find(ctx, enforcement.CaseFilter{})
	if err != nil {
		return out, err
	}
	for _, c := range cs {
		if len(c.OpenDueItems()) == 0 {
			continue
		}
		// The moves are kept for the judges' digest before the update
		// and again after it, with what it applied: the store's
		// transaction cannot take the server's rows.
		if err := d.recordPlannedMoves(ctx, seq, c, next, reason); err != nil {
			d.Log.WarnContext(ctx, "record due moves", "case", c.ID, "err", err)
		}
		var moves []enforcement.Move
		updated, _, err := d.Store.Update(ctx, c.ID, func(c *enforcement.Case) ([]enforcement.Event, error) {
			rules, prov := d.RulesOf(c.Court)
			m, err := enforcement.Recalculate(c, rules, next, prov, reason)
			if err != nil || len(m) == 0 {
				return nil, err
			}
			moves = m
			return c.ApplyMoves(m, "calendar", d.Now())
		})
		if err != nil {
			d.Log.WarnContext(ctx, "recalculate", "case", c.ID, "err", err)
			if c.Court == court {
				out.Failed = append(out.Failed, c.ID)
			}
			continue
		}
		if err := d.recordMoves(ctx, seq, updated, moves); err != nil {
			d.Log.WarnContext(ctx, "record due moves", "case", c.ID, "err", err)
		}
		if c.Court != court {
			continue
		}
		for _, m := range moves {
			out.Moves = append(out.Moves, moveView(c, m))
		}
	}
	return out, nil
}

// saveCalendarChange records a calendar change made by court; the caller
// raises every court's revision (sqlstore.Store.Touch), so that every
// instance replays it before it next serves a request (see SyncCalendar).
func (d *Desk) saveCalendarChange(ctx context.Context, court, kind string, body []byte) (int64, error) {
	seq, err := d.lastCalendarChange(ctx)
	if err != nil {
		return 0, err
	}
	seq++
	if _, err := d.DB.Exec(ctx, `INSERT INTO server_calendar (seq, court, kind, body) VALUES (?, ?, ?, ?)`, seq, court, kind, string(body)); err != nil {
		return 0, err
	}
	return seq, nil
}

// lastCalendarChange returns the sequence number of the last recorded
// calendar change, 0 for none. The calendar is one for the deployment:
// the changes of every court count.
func (d *Desk) lastCalendarChange(ctx context.Context) (int64, error) {
	var seq int64
	err := d.DB.QueryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM server_calendar`).Scan(&seq)
	return seq, err
}

// SyncCalendar reads the revision of court and, when it has moved since
// the last check, replays the calendar changes recorded since (by any
// instance): every change raises every court's revision, so a request
// that reads the revision after a change also gets its calendar. It
// returns the revision read.
func (d *Desk) SyncCalendar(ctx context.Context, court string) (int64, error) {
	rev, err := d.Store.Revision(ctx, court)
	if err != nil {
		return 0, err
	}
	if last, ok := d.calRevs.Load(court); ok && last.(int64) == rev {
		return rev, nil
	}
	if err := d.RefreshCalendar(ctx); err != nil {
		return 0, err
	}
	d.calRevs.Store(court, rev)
	return rev, nil
}

// RefreshCalendar replays the recorded calendar changes if there are any
// this instance has not applied. The reminder job also runs it, as a
// backstop for a change recorded by an instance that stopped before
// raising the revision.
func (d *Desk) RefreshCalendar(ctx context.Context) error {
	seq, err := d.lastCalendarChange(ctx)
	if err != nil {
		return err
	}
	if seq == d.calSeq.Load() {
		return nil
	}
	return d.RestoreCalendar(ctx)
}

// RestoreCalendar replays the calendar changes recorded before, on top of
// the official calendar. It runs at start, and whenever syncCalendar or
// refreshCalendar finds a change made through another instance.
func (d *Desk) RestoreCalendar(ctx context.Context) error {
	d.calMu.Lock()
	defer d.calMu.Unlock()
	recs, err := d.calendarRecords(ctx)
	if err != nil {
		return err
	}
	cal, err := replay(recs)
	if err != nil {
		return err
	}
	var seq int64
	if len(recs) > 0 {
		seq = recs[len(recs)-1].seq
	}
	d.cal.Store(cal)
	d.calSeq.Store(seq)
	return nil
}

// calRecord is one recorded calendar change (table server_calendar).
type calRecord struct {
	seq  int64
	kind string // schedule, notice, closure, closure_removed
	body string
}

// calendarRecords reads the recorded calendar changes (of every court) in
// order.
func (d *Desk) calendarRecords(ctx context.Context) ([]calRecord, error) {
	rows, err := d.DB.Query(ctx, `SELECT seq, kind, body FROM server_calendar ORDER BY seq, court`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []calRecord
	for rows.Next() {
		var r calRecord
		if err := rows.Scan(&r.seq, &r.kind, &r.body); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// replay builds the calendar of recorded changes on top of the official
// calendar. A removed closure drops the latest closure of that date recorded
// before it: closures are independent of schedules (coverage only grows), so
// the calendar is the same as if that closure had never been recorded.
func replay(recs []calRecord) (*deadline.Calendar, error) {
	var kept []calRecord
	for _, r := range recs {
		if r.kind != "closure_removed" {
			kept = append(kept, r)
			continue
		}
		var in ClosureIn
		if err := json.Unmarshal([]byte(r.body), &in); err != nil {
			return nil, fmt.Errorf("replay calendar %s: %w", r.kind, err)
		}
		for i := len(kept) - 1; i >= 0; i-- {
			if kept[i].kind != "closure" {
				continue
			}
			var c ClosureIn
			if json.Unmarshal([]byte(kept[i].body), &c) == nil && c.Date == in.Date {
				kept = append(kept[:i], kept[i+1:]...)
				break
			}
		}
	}
	cal := deadline.Official()
	for _, r := range kept {
		var err error
		switch r.kind {
		case "schedule":
			cal, err = cal.WithSchedule(strings.NewReader(r.body))
		case "notice":
			var in NoticeIn
			if err = json.Unmarshal([]byte(r.body), &in); err == nil {
				cal, err = cal.WithNotice(in.Year, in.Text)
			}
		case "closure":
			var in ClosureIn
			if err = json.Unmarshal([]byte(r.body), &in); err == nil {
				cal, err = cal.WithClosures(deadline.Closure{Date: in.Date, Reason: in.Reason})
			}
		}
		if err != nil {
			return nil, fmt.Errorf("replay calendar %s %d: %w", r.kind, r.seq, err)
		}
	}
	return cal, nil
}

// DayView is what the calendar says about one day.
type DayView struct {
	Date    deadline.Date `json:"date"`
	Kind    string        `json:"kind"`
	KindZh  string        `json:"kind_zh"`
	Working bool          `json:"working"`
	Name    string        `json:"name,omitempty"`
}

// Day returns the kind of day d. Anyone may ask.
func (d *Desk) Day(date deadline.Date) (DayView, error) {
	cal := d.cal.Load()
	info, err := cal.Day(date)
	if err != nil {
		return DayView{}, err
	}
	return DayView{Date: date, Kind: info.Kind.String(), KindZh: info.Chinese(), Working: info.Kind.IsWorking(), Name: info.Name}, nil
}
