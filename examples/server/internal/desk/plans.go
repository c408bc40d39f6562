package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/planning"
)

// OwnJudge checks that p may read (chief, or the judge themself) the plans
// of judge.
func OwnJudge(p *Principal, judge string) error {
	if err := Need(p, RoleJudge, RoleChief); err != nil {
		return err
	}
	if p.Role == RoleJudge && judge != p.UserID {
		return ErrForbidden
	}
	return nil
}

// CheckJudge is OwnJudge, and also checks that judge is a user of p's
// court: the plans, agenda and moves of another court's judge are not
// found (404), as those of a user that does not exist, so that another
// court's users are not revealed.
func (d *Desk) CheckJudge(p *Principal, judge string) error {
	if err := Need(p, RoleJudge, RoleChief); err != nil {
		return err
	}
	if court, ok := d.staffCourt(judge); !ok || court != d.CourtFor(p) {
		return NotFound("judge", judge)
	}
	return OwnJudge(p, judge)
}

// Plan returns judge's plan for week w: a new, empty draft if none is stored.
func (d *Desk) Plan(ctx context.Context, p *Principal, judge string, w planning.Week) (*planning.Plan, error) {
	if err := d.CheckJudge(p, judge); err != nil {
		return nil, err
	}
	pl, err := d.Plans.Get(ctx, judge, w)
	if errors.Is(err, enforcement.ErrNotFound) {
		n := planning.NewPlan(d.CourtFor(p), judge, w)
		return &n, nil
	}
	if err != nil {
		return nil, err
	}
	if pl.Court != d.CourtFor(p) {
		return nil, NotFound("plan", judge)
	}
	return pl, nil
}

// ChangePlan applies fn to the judge's own plan for week w and saves it
// with optimistic concurrency. New and changed item titles follow
// CheckText.
func (d *Desk) ChangePlan(ctx context.Context, p *Principal, judge string, w planning.Week, fn func(pl *planning.Plan, ch planning.Change) error) (*planning.Plan, error) {
	return d.changePlan(ctx, p, judge, w, ActionPlanChanged, "", fn)
}

// errUnchanged, returned by a change function, leaves the plan as it is:
// changePlan saves nothing and returns the plan.
var errUnchanged = errors.New("plan unchanged")

// changePlan is ChangePlan recorded as action, on the plan's item when
// item is set.
func (d *Desk) changePlan(ctx context.Context, p *Principal, judge string, w planning.Week, action, item string, fn func(pl *planning.Plan, ch planning.Change) error) (*planning.Plan, error) {
	if err := d.CheckJudge(p, judge); err != nil {
		return nil, err
	}
	if err := Need(p, RoleJudge); err != nil {
		return nil, err
	}
	pl, err := d.Plan(ctx, p, judge, w)
	if err != nil {
		return nil, err
	}
	ch := planning.Change{By: p.Actor(), At: d.Now(), Cases: func(id string) (*enforcement.Case, bool) {
		c, err := d.Get(ctx, p, id)
		return c, err == nil
	}}
	version := pl.Version
	before := map[string]string{}
	for _, it := range pl.Items {
		before[it.ID] = it.Title
	}
	beforeDoc, _ := json.Marshal(pl)
	if err := fn(pl, ch); errors.Is(err, errUnchanged) {
		return pl, nil
	} else if err != nil {
		return nil, err
	}
	for _, it := range pl.Items {
		if t, ok := before[it.ID]; ok && t == it.Title {
			continue // unchanged, as stored before the rules
		}
		if err := CheckText("title", it.Title, MaxTitle, false); err != nil {
			return nil, err
		}
	}
	if err := d.Plans.Save(ctx, pl, version); err != nil {
		return nil, err
	}
	if pl.Status == planning.StatusSubmitted {
		// A submitted plan's trips count for coordination (planTrips).
		d.coordinateQuietly(ctx, d.CourtFor(p))
	}
	target := judge + "/" + w.String()
	if item != "" {
		target += "/" + item
	}
	d.recordValues(ctx, p, action, "", target, json.RawMessage(beforeDoc), pl)
	return pl, nil
}

// AgendaPlans loads the plans of court of this week and the next, of one
// judge or of every judge.
func (d *Desk) AgendaPlans(ctx context.Context, court, judge string) ([]*planning.Plan, error) {
	w := planning.WeekOf(d.Today())
	var plans []*planning.Plan
	for _, wk := range []planning.Week{w, w.Add(1)} {
		if judge != "" {
			pl, err := d.Plans.Get(ctx, judge, wk)
			if errors.Is(err, enforcement.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, err
			}
			if pl.Court == court {
				plans = append(plans, pl)
			}
			continue
		}
		ps, err := d.Plans.ListWeek(ctx, court, wk)
		if err != nil {
			return nil, err
		}
		plans = append(plans, ps...)
	}
	return plans, nil
}

// AgendaLimit is how many entries each list of a judge's reminders holds
// when the caller does not say: the most urgent, the rest counted
// (planning.Agenda.More). MaxAgendaLimit is the most a caller may ask for.
const (
	AgendaLimit    = 100
	MaxAgendaLimit = 1000
)

// ParseAgendaLimit reads how many entries each list of a judge's
// reminders holds from a query's value: empty is AgendaLimit, otherwise a
// whole number from 1 to MaxAgendaLimit, or an InputError at field
// "limit".
func ParseAgendaLimit(s string) (int, error) {
	n, err := ParseListLimit(s)
	if n == 0 && err == nil {
		n = AgendaLimit
	}
	return n, err
}

// ParseListLimit reads a query's "limit" (how many entries each list of an
// answer holds): 0 for an empty value, otherwise a whole number from 1 to
// MaxAgendaLimit, or an InputError at field "limit".
func ParseListLimit(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxAgendaLimit {
		var ie InputError
		ie.Add("limit", "invalid_number", fmt.Sprintf("每个列表的条数须为 1 至 %d 的整数：%s", MaxAgendaLimit, s))
		return 0, ie.Err()
	}
	return n, nil
}

// AgendaInput loads what the planning functions need for the reminders of
// one judge or of every judge at now, without loading every case: the plans
// of this week and the next, and the cases as far as the reminders read
// them. Those are, from the due-item index, the open items that
// planning.Reminders can show (due by the end of next week or overdue, due
// later but approaching or beyond the calendar's reach, or with a reminder
// date that has come), on light cases holding only those items; and, in
// full, the cases that a plan item in the window names, since an entry of a
// plan item reads its case's number and linked due item. For the chief,
// every judge with a case gets an agenda, so judges with nothing to show
// get an empty case.
//
// For one judge with limit > 0 and at least limit overdue items, the
// overdue items are read only through the first date by which the judge
// has limit of them, counted from the store's summary rows
// (sqlstore.Store.TallyJudgeDue), and the items due after the window that
// are listed only because their reminder date has come are not read: both
// are returned in unlisted, counted per date (sqlstore.Store.TallyDueItems),
// for planning.Agenda.AddUnlisted, and the cases of every plan item linking
// a due item are read whole, so that no linked item is among the unlisted.
// The agenda then lists exactly the first limit entries of the one over
// every case, with the same counts.
func (d *Desk) AgendaInput(ctx context.Context, court, judge string, now time.Time, cal *deadline.Calendar, limit int) (cases []*enforcement.Case, plans []*planning.Plan, unlisted []enforcement.DateCount, err error) {
	plans, err = d.AgendaPlans(ctx, court, judge)
	if err != nil {
		return nil, nil, nil, err
	}
	day := deadline.DateOf(now)
	horizon := planning.WeekOf(day).Add(1).End()
	until := reminderUntil(cal, day, horizon)
	// later counts, per date, the judge's tasks left unlisted: overdue
	// ones after the page's, and (when the page is full of overdue ones)
	// those due after until whose reminder date has come.
	var later map[deadline.Date]int
	var refs []enforcement.DueRef
	paged := false
	if judge != "" && limit > 0 {
		var through deadline.Date
		var overdue int
		if through, later, overdue, err = d.overduePage(ctx, court, judge, day, limit); err != nil {
			return nil, nil, nil, err
		}
		paged = overdue >= limit
		if paged {
			if refs, err = d.Store.DueItems(ctx, enforcement.DueFilter{Court: court, JudgeID: judge, OpenOnly: true, DueBefore: through, Brief: true}); err != nil {
				return nil, nil, nil, err
			}
			rest, err := d.Store.DueItems(ctx, enforcement.DueFilter{Court: court, JudgeID: judge, OpenOnly: true, DueFrom: day, DueBefore: until, Brief: true})
			if err != nil {
				return nil, nil, nil, err
			}
			refs = append(refs, rest...)
			// Reminded items due after until are normal, listed after
			// every overdue one: counted, not read.
			warned, err := d.Store.TallyDueItems(ctx, enforcement.DueFilter{Court: court, JudgeID: judge, OpenOnly: true,
				DueFrom: until.AddDays(1), DueBefore: until, WarnedBy: day})
			if err != nil {
				return nil, nil, nil, err
			}
			for _, t := range warned {
				if !t.Right && planning.JudgeFollows(t.Owner) {
					later[t.Due] += t.N
				}
			}
		}
	}
	if !paged {
		later = nil
		refs, err = d.Store.DueItems(ctx, enforcement.DueFilter{Court: court, JudgeID: judge, OpenOnly: true,
			DueBefore: until, WarnedBy: day, Brief: true})
		if err != nil {
			return nil, nil, nil, err
		}
	}
	byID := map[string]*enforcement.Case{}
	for _, r := range refs {
		c := byID[r.CaseID]
		if c == nil {
			num, err := enforcement.ParseCaseNumber(r.Number)
			if err != nil {
				return nil, nil, nil, fmt.Errorf("case %s: stored number %q: %w", r.CaseID, r.Number, err)
			}
			c = &enforcement.Case{ID: r.CaseID, Number: num, Court: court, JudgeID: r.JudgeID, Key: r.Key, Status: enforcement.StatusOpen}
			byID[r.CaseID] = c
			cases = append(cases, c)
		}
		c.DueItems = append(c.DueItems, r.Item)
	}
	// Cases named by plan items in the window, whole; when items are left
	// unlisted, also those of every item linking a due item.
	full := map[string]bool{}
	for _, p := range plans {
		for _, it := range p.Items {
			date := it.Date()
			inWindow := !it.Done && !date.Before(day) && !date.After(horizon)
			if it.CaseID == "" || full[it.CaseID] || !inWindow && (len(later) == 0 || it.DueID == "") {
				continue
			}
			full[it.CaseID] = true
			c, err := d.Store.Get(ctx, it.CaseID)
			if errors.Is(err, enforcement.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, nil, nil, err
			}
			if c.Court != court {
				continue
			}
			// As the items read brief: the reminders carry no
			// explanation (the case page shows it).
			for k := range c.DueItems {
				c.DueItems[k].Steps, c.DueItems[k].CalcBasis = nil, nil
				// Listed now, so not among the unlisted.
				it := c.DueItems[k]
				counted := it.Due().Before(day) || it.Due().After(until) && slices.ContainsFunc(it.Warnings, func(w deadline.Date) bool { return !w.After(day) })
				if counted && c.JudgeID == judge && later[it.Due()] > 0 && it.IsOpen() && !it.IsRight() && planning.JudgeFollows(it.Owner) {
					later[it.Due()]--
				}
			}
			if light := byID[c.ID]; light != nil {
				*light = *c
				continue
			}
			byID[c.ID] = c
			cases = append(cases, c)
		}
	}
	for _, due := range slices.SortedFunc(maps.Keys(later), deadline.Date.Compare) {
		if n := later[due]; n > 0 {
			unlisted = append(unlisted, enforcement.DateCount{Date: due, N: n})
		}
	}
	if judge == "" {
		judges, err := d.Store.JudgeIDs(ctx, court)
		if err != nil {
			return nil, nil, nil, err
		}
		has := map[string]bool{}
		for _, c := range cases {
			has[c.JudgeID] = true
		}
		for _, j := range judges {
			if !has[j] {
				cases = append(cases, &enforcement.Case{Court: court, JudgeID: j, Status: enforcement.StatusOpen})
			}
		}
	}
	return cases, plans, unlisted, nil
}

// overduePage returns, for judge's reminders on day listing limit entries,
// the last date through which their overdue items are read (the first by
// which there are limit of them, oldest first), how many of the judge's
// tasks fall due on each later date before day, and how many are overdue
// in all, from the store's summary rows; later is empty when every
// overdue item fits.
func (d *Desk) overduePage(ctx context.Context, court, judge string, day deadline.Date, limit int) (through deadline.Date, later map[deadline.Date]int, overdue int, err error) {
	tallies, err := d.Store.TallyJudgeDue(ctx, court, judge, day.AddDays(-1))
	if err != nil {
		return deadline.Date{}, nil, 0, err
	}
	perDate := map[deadline.Date]int{}
	for _, t := range tallies {
		if !t.Right && planning.JudgeFollows(t.Owner) {
			perDate[t.Due] += t.N
		}
	}
	later = map[deadline.Date]int{}
	count := 0
	for _, due := range slices.SortedFunc(maps.Keys(perDate), deadline.Date.Compare) {
		if count >= limit {
			later[due] = perDate[due]
			continue
		}
		// An item without a valid date (corrupt data) is listed as
		// approaching, after every overdue one: read, but not counted
		// towards the page.
		if due.IsValid() {
			count += perDate[due]
		}
		through = due
	}
	for due, n := range later {
		if due.IsValid() {
			count += n
		}
	}
	return through, later, count, nil
}

// reminderUntil returns the last due date the reminders on day can show
// for an item without a reminder date that has come: the end of next week
// (horizon), or later when an item due after it is already approaching (a
// holiday block lies between) or lies beyond the calendar's reach, which
// the reminders show as approaching. enforcement.LevelOf calls every item
// due more than approaching×7+30 days ahead normal, so the search stops
// there.
func reminderUntil(cal *deadline.Calendar, day, horizon deadline.Date) deadline.Date {
	until := horizon
	last := day.AddDays(enforcement.DefaultApproachingWorkdays*7 + 30)
	for x := horizon.AddDays(1); !x.After(last); x = x.AddDays(1) {
		if l, err := enforcement.LevelOf(cal, x, day, 0); err != nil || l > enforcement.LevelNormal {
			until = x
		}
	}
	return until
}

// Agenda is a judge's reminders (智能提醒), merged with their plans, each
// list holding its first limit entries, the most urgent (limit ≤ 0: all);
// the counts count every entry. It is kept while nothing changes (see
// ViewCache).
func (d *Desk) Agenda(ctx context.Context, p *Principal, judge string, limit int) (planning.Agenda, error) {
	if judge == "" && p != nil {
		judge = p.UserID
	}
	if err := d.CheckJudge(p, judge); err != nil {
		return planning.Agenda{}, err
	}
	court := d.CourtFor(p)
	st, err := d.stamp(ctx, court)
	if err != nil {
		return planning.Agenda{}, err
	}
	now := d.Now()
	v, err := d.Views.get(viewKey{court: court, view: "agenda", judge: judge, day: deadline.DateOf(now), limit: limit}, st, func() (any, error) {
		cs, plans, unlisted, err := d.AgendaInput(ctx, court, judge, now, st.cal, limit)
		if err != nil {
			return nil, err
		}
		a, err := planning.Reminders(judge, plans, cs, now, st.cal, planning.ReminderConfig{})
		if err != nil {
			return nil, err
		}
		for _, u := range unlisted {
			if err := a.AddUnlisted(u.Date, u.N, st.cal, planning.ReminderConfig{}); err != nil {
				return nil, err
			}
		}
		return a.Limit(limit), nil
	})
	if err != nil {
		return planning.Agenda{}, err
	}
	return v.(planning.Agenda), nil
}

// ChiefAgenda is every judge's agenda, for the chief; kept as Agenda is.
func (d *Desk) ChiefAgenda(ctx context.Context, p *Principal) (planning.ChiefView, error) {
	if err := Need(p, RoleChief); err != nil {
		return planning.ChiefView{}, err
	}
	court := d.CourtFor(p)
	st, err := d.stamp(ctx, court)
	if err != nil {
		return planning.ChiefView{}, err
	}
	now := d.Now()
	v, err := d.Views.get(viewKey{court: court, view: "chief-agenda", day: deadline.DateOf(now)}, st, func() (any, error) {
		cs, plans, _, err := d.AgendaInput(ctx, court, "", now, st.cal, 0)
		if err != nil {
			return nil, err
		}
		cv, err := planning.ChiefAgenda(plans, cs, now, st.cal, planning.ReminderConfig{})
		return cv, err
	})
	if err != nil {
		return planning.ChiefView{}, err
	}
	return v.(planning.ChiefView), nil
}

// Feed is the judge's iCalendar feed of due items and plan items.
func (d *Desk) Feed(ctx context.Context, p *Principal, judge string) ([]byte, error) {
	if err := d.CheckJudge(p, judge); err != nil {
		return nil, err
	}
	court := d.CourtFor(p)
	// The feed lists every open due item of the judge's cases, so it reads
	// them whole.
	cs, err := d.Store.Find(ctx, enforcement.CaseFilter{Court: court, JudgeID: judge})
	if err != nil {
		return nil, err
	}
	plans, err := d.AgendaPlans(ctx, court, judge)
	if err != nil {
		return nil, err
	}
	return planning.Feed(judge, plans, cs, d.Now(), d.cal.Load(), planning.FeedConfig{Domain: "zhixing.example.cn", Name: d.CourtName(court) + " 执行期限与工作计划"})
}

// planTrips returns the trip items of this week's and next week's plans
// of court.
func (d *Desk) planTrips(ctx context.Context, court string) ([]planning.Trip, error) {
	w := planning.WeekOf(d.Today())
	var out []planning.Trip
	for _, wk := range []planning.Week{w, w.Add(1)} {
		ps, err := d.Plans.ListWeek(ctx, court, wk)
		if err != nil {
			return nil, err
		}
		for _, pl := range ps {
			out = append(out, pl.Trips()...)
		}
	}
	return out, nil
}

// ParseWeek parses an ISO week such as 2026-W48; a bad one is an InputError.
func ParseWeek(s string) (planning.Week, error) {
	w, err := planning.ParseWeek(s)
	if err != nil {
		return w, BadField("week", "invalid_week", "周次格式有误，如 2026-W48")
	}
	return w, nil
}
