package enforcement

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
)

// Supervise computes the chief's view over cases on day today, counted on
// cal. It is pure and does not change the cases; the report shares no
// memory with them. The order of every list is deterministic. Items whose
// level cannot be determined are listed in Unclassified; the error is for
// a nil calendar or a today the calendar does not cover.
//
// It is [SuperviseFrom] over a [CaseSlice] of the cases.
func Supervise(cases []*Case, today deadline.Date, cal *deadline.Calendar, cfg SupervisionConfig) (Report, error) {
	return SuperviseFrom(context.Background(), CaseSlice(cases), "", today, cal, cfg)
}

// SuperviseFrom computes the chief's view over court's cases on day today,
// counted on cal, from src's answers: the same report as [Supervise] over
// all those cases, without loading them. It asks src's questions at once,
// so src must be safe for concurrent use (as the interface requires), and
// it classifies each due date once. The report is as consistent as src's
// answers are (see [SupervisionSource]).
//
// The error is for a nil calendar, a today the calendar does not cover, or
// a failed question (wrapped).
func SuperviseFrom(ctx context.Context, src SupervisionSource, court string, today deadline.Date, cal *deadline.Calendar, cfg SupervisionConfig) (Report, error) {
	if err := checkToday(today, cal); err != nil {
		return Report{}, err
	}
	appr := cfg.approaching()
	levels := newDateLevels(cal, today, appr)
	a, err := askSource(ctx, src, court, levels.window(), cfg.DueLimit)
	if err != nil {
		return Report{}, fmt.Errorf("enforcement: supervise court %q: %w", court, err)
	}
	rep := Report{Today: today, Approaching: appr}
	judges := judgeSet{}
	failed := countDue(&rep, judges, levels, a.due)
	rep.Due = cfg.limitDue(flagDue(a.urgent, levels, today))
	if rep.Unclassified, err = unclassified(ctx, src, court, failed, cfg.DueLimit); err != nil {
		return Report{}, fmt.Errorf("enforcement: supervise court %q: %w", court, err)
	}
	listCases(&rep, judges, levels, a.cases)
	judges.addTallies(a.tallies, today)
	rep.Judges = judges.figures()
	return rep, nil
}

// dueWindow splits the due dates seen from one day: every open task due on
// or before cutoff is flagged (overdue, due today or approaching), the
// dates after it up to bound need the calendar to classify, and every
// date after bound is normal without it (see [LevelOf]).
type dueWindow struct {
	cutoff, bound deadline.Date
}

// dateLevels classifies due dates seen from today, each date once.
type dateLevels struct {
	cal         *deadline.Calendar
	today       deadline.Date
	approaching int
	memo        map[deadline.Date]dateLevel
}

type dateLevel struct {
	level Level
	err   error
}

func newDateLevels(cal *deadline.Calendar, today deadline.Date, approaching int) *dateLevels {
	return &dateLevels{cal: cal, today: today, approaching: approaching, memo: map[deadline.Date]dateLevel{}}
}

// of returns the level of due date d, as LevelOf does.
func (dl *dateLevels) of(d deadline.Date) (Level, error) {
	if x, ok := dl.memo[d]; ok {
		return x.level, x.err
	}
	l, err := LevelOf(dl.cal, d, dl.today, dl.approaching)
	dl.memo[d] = dateLevel{l, err}
	return l, err
}

// window returns the due window: a level only rises as the due date
// nears, so the flagged dates end before the first date after today that
// is normal or that the calendar cannot classify.
func (dl *dateLevels) window() dueWindow {
	w := dueWindow{cutoff: dl.today, bound: normalBeyond(dl.today, dl.approaching)}
	for d := dl.today.AddDays(1); !d.After(w.bound); d = d.AddDays(1) {
		if l, err := dl.of(d); err != nil || l == LevelNormal {
			break
		}
		w.cutoff = d
	}
	return w
}

// sourceAnswers are a source's answers to the report's questions.
type sourceAnswers struct {
	due     []DueTally // per date through the window's bound, and later
	urgent  []DueRef   // due on or before the window's cutoff, the most urgent first
	tallies []CaseTally
	cases   []*Case
}

// askSource asks src the report's questions at once: a store answers each
// from its own reads, so the report takes about as long as the slowest.
func askSource(ctx context.Context, src SupervisionSource, court string, w dueWindow, limit int) (sourceAnswers, error) {
	var (
		a    sourceAnswers
		errs [4]error
		wg   sync.WaitGroup
	)
	wg.Go(func() { a.due, errs[0] = src.TallyDue(ctx, court, w.bound) })
	wg.Go(func() { a.urgent, errs[1] = src.ListDue(ctx, court, deadline.Date{}, w.cutoff, limit) })
	wg.Go(func() { a.tallies, errs[2] = src.TallyCases(ctx, court) })
	wg.Go(func() { a.cases, errs[3] = src.SupervisedCases(ctx, court) })
	wg.Wait()
	return a, errors.Join(errs[:]...)
}

// countDue counts the tallied tasks by level into the report: those the
// court owns into their judges' figures (or Unassigned for a case without
// a judge), the parties' and platforms' into PartyTasks. A party's right
// is nobody's overdue work: it is counted in Rights only. It returns the
// dates the calendar cannot classify, with the reason.
func countDue(rep *Report, judges judgeSet, levels *dateLevels, due []DueTally) map[deadline.Date]error {
	failed := map[deadline.Date]error{}
	for _, t := range due {
		if t.Right {
			rep.Rights += t.N
			continue
		}
		l := LevelNormal
		if !t.Later {
			var err error
			if l, err = levels.of(t.Due); err != nil {
				failed[t.Due] = err
				rep.UnclassifiedTotal += t.N
				continue
			}
		}
		rep.Counts.Add(l, t.N)
		// A judge answers for the time limits the court owns; a party's
		// duty (a property report, a reply) or a platform's step running
		// out is not the judge's overdue item.
		switch {
		case !courtOwned(t.Owner):
			rep.PartyTasks.Add(l, t.N)
		case t.JudgeID == "":
			rep.Unassigned.Add(l, t.N)
		default:
			judges.get(t.JudgeID).Counts.Add(l, t.N)
		}
	}
	return failed
}

// flagDue returns the flagged items among refs, most urgent first.
func flagDue(refs []DueRef, levels *dateLevels, today deadline.Date) []DueFlag {
	out := make([]DueFlag, 0, len(refs))
	for i := range refs {
		r := &refs[i]
		d := &r.Item
		if !d.IsOpen() || d.IsRight() {
			continue
		}
		due := d.Due()
		if l, err := levels.of(due); err == nil && l > LevelNormal {
			out = append(out, dueFlag(r.CaseID, r.Number, r.JudgeID, r.Key, d, due, l, today))
		}
	}
	sortFlags(out)
	return out
}

// unclassified lists the open tasks due on the dates in failed, at most
// limit of them (limit ≤ 0: all), the earliest due first, then sorted by
// case. The dates form runs of days (the calendar's coverage is one run,
// so the days beyond it are one; a corrupt zero date is another): each run
// is listed by itself, never the classified days between.
func unclassified(ctx context.Context, src SupervisionSource, court string, failed map[deadline.Date]error, limit int) ([]Unclassified, error) {
	dates := slices.SortedFunc(maps.Keys(failed), deadline.Date.Compare)
	var out []Unclassified
	for i := 0; i < len(dates) && (limit <= 0 || len(out) < limit); {
		j := i
		for j+1 < len(dates) && dates[j+1] == dates[j].AddDays(1) && dates[j].IsValid() {
			j++
		}
		left := 0
		if limit > 0 {
			left = limit - len(out)
		}
		refs, err := src.ListDue(ctx, court, dates[i], dates[j], left)
		if err != nil {
			return nil, err
		}
		var run []Unclassified
		for _, r := range refs {
			due := r.Item.Due()
			if err, ok := failed[due]; ok && r.Item.IsOpen() && !r.Item.IsRight() {
				run = append(run, Unclassified{CaseID: r.CaseID, DueID: r.Item.ID, Due: due, Err: err})
			}
		}
		if left == 0 {
			// Without a limit the store lists in any order.
			slices.SortFunc(run, func(a, b Unclassified) int {
				return cmp.Or(a.Due.Compare(b.Due), strings.Compare(a.CaseID, b.CaseID), strings.Compare(a.DueID, b.DueID))
			})
		}
		out = append(out, run...)
		i = j + 1
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	sortUnclassified(out)
	return out, nil
}

// listCases lists the key cases, the unanswered requests and the orders
// of cases, and counts the requests and orders in their judges' figures.
func listCases(rep *Report, judges judgeSet, levels *dateLevels, cases []*Case) {
	for _, c := range cases {
		number := c.Number.String()
		if c.Key {
			rep.KeyCases = append(rep.KeyCases, keyCase(c, number, levels))
		}
		f := judges.get(c.JudgeID)
		for _, r := range c.Requests {
			if !r.IsAnswered() {
				rep.Requests = append(rep.Requests, requestFlag(c, number, r, levels))
				f.UnansweredRequests++
				if rep.Requests[len(rep.Requests)-1].Late {
					f.LateRequests++
				}
			}
		}
		for _, o := range c.Orders {
			of := orderFlag(c, number, o, levels)
			if !of.Answered {
				f.OpenOrders++
				if of.Overdue {
					f.OverdueOrders++
				}
			}
			rep.Orders = append(rep.Orders, of)
		}
	}
	sortKeyCases(rep.KeyCases)
	sortRequests(rep.Requests)
	sortOrders(rep.Orders)
}

// keyCase summarises key case c: its open tasks by level, the worst, and
// the earliest due (the first in the case's order among equals). A
// party's right is not the case's work and is left out.
func keyCase(c *Case, number string, levels *dateLevels) KeyCase {
	today := levels.today
	k := KeyCase{CaseID: c.ID, Number: number, JudgeID: c.JudgeID, Status: c.Status, FiledOn: c.FiledOn, AgeDays: today.Sub(c.FiledOn)}
	var next *DueItem
	for i := range c.DueItems {
		d := &c.DueItems[i]
		if !d.IsOpen() || d.IsRight() {
			continue
		}
		due := d.Due()
		l, err := levels.of(due)
		if err != nil {
			continue // listed in Unclassified
		}
		k.Counts.Add(l, 1)
		k.Worst = max(k.Worst, l)
		if next == nil || due.Before(next.Due()) {
			next = d
		}
	}
	if next != nil {
		k.NextDue, k.NextTitle = next.Due(), next.Title
	}
	return k
}

func requestFlag(c *Case, number string, r Request, levels *dateLevels) RequestFlag {
	today := levels.today
	l, _ := levels.of(r.ResolveBy)
	return RequestFlag{
		CaseID: c.ID, Number: number, JudgeID: c.JudgeID,
		RequestID: r.ID, PartyID: r.PartyID, Channel: r.Channel,
		ReceivedOn: deadline.DateOf(r.ReceivedAt), RecordBy: r.RecordBy, ResolveBy: r.ResolveBy,
		Level:          l,
		Unacknowledged: !r.RecordBy.IsZero() && today.After(r.RecordBy),
		Late:           !r.ResolveBy.IsZero() && today.After(r.ResolveBy),
	}
}

func orderFlag(c *Case, number string, o SupervisionOrder, levels *dateLevels) OrderFlag {
	of := OrderFlag{
		CaseID: c.ID, Number: number, JudgeID: c.JudgeID,
		OrderID: o.ID, IssuedBy: o.IssuedBy, IssuedOn: deadline.DateOf(o.IssuedAt), Text: o.Text, Due: o.Due,
		Answered: o.IsAnswered(), Response: o.Response, RespondedBy: o.RespondedBy,
	}
	if of.Answered {
		of.RespondedOn = deadline.DateOf(o.RespondedAt)
		of.AnsweredLate = of.RespondedOn.After(o.Due)
		return of
	}
	of.Level, _ = levels.of(o.Due)
	of.Overdue = levels.today.After(o.Due)
	return of
}

// sortKeyCases orders key cases worst level first, then next due date (none
// last) and case ID.
func sortKeyCases(ks []KeyCase) {
	slices.SortFunc(ks, func(a, b KeyCase) int {
		if c := cmp.Compare(b.Worst, a.Worst); c != 0 {
			return c
		}
		if c := compareNext(a.NextDue, b.NextDue); c != 0 {
			return c
		}
		return cmp.Compare(a.CaseID, b.CaseID)
	})
}

// sortRequests orders requests most urgent first, then by resolve-by date,
// case and request ID.
func sortRequests(rs []RequestFlag) {
	slices.SortFunc(rs, func(a, b RequestFlag) int {
		if c := cmp.Compare(b.Level, a.Level); c != 0 {
			return c
		}
		if c := a.ResolveBy.Compare(b.ResolveBy); c != 0 {
			return c
		}
		if c := cmp.Compare(a.CaseID, b.CaseID); c != 0 {
			return c
		}
		return cmp.Compare(a.RequestID, b.RequestID)
	})
}

// sortOrders orders unanswered orders first, most urgent first, then by
// due date, case and order ID.
func sortOrders(os []OrderFlag) {
	slices.SortFunc(os, func(a, b OrderFlag) int {
		if a.Answered != b.Answered {
			if a.Answered {
				return 1
			}
			return -1
		}
		if c := cmp.Compare(b.Level, a.Level); c != 0 {
			return c
		}
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		if c := cmp.Compare(a.CaseID, b.CaseID); c != 0 {
			return c
		}
		return cmp.Compare(a.OrderID, b.OrderID)
	})
}

// judgeSet gathers the judges' figures by judge ID.
type judgeSet map[string]*JudgeFigures

func (js judgeSet) get(id string) *JudgeFigures {
	f := js[id]
	if f == nil {
		f = &JudgeFigures{JudgeID: id}
		js[id] = f
	}
	return f
}

// addTallies adds the judges' case figures, with the ages of their open
// cases on today.
func (js judgeSet) addTallies(ts []CaseTally, today deadline.Date) {
	for _, t := range ts {
		f := js.get(t.JudgeID)
		f.Open, f.Closed, f.Cases = t.Open, t.Closed, t.Open+t.Closed
		f.KeyCases = t.KeyCases
		f.Applied, f.Recovered = t.Applied, t.Recovered
		f.LateRequests += t.LateAnswers
		f.MedianOpenAgeDays = medianAge(t.OpenFiled, today)
	}
}

// figures returns the judges' figures by judge ID, with their rates.
func (js judgeSet) figures() []JudgeFigures {
	out := make([]JudgeFigures, 0, len(js))
	for _, f := range js {
		if f.Cases > 0 {
			f.ClosureRate = decimal.NewFromInt(int64(f.Closed)).DivRound(decimal.NewFromInt(int64(f.Cases)), 4)
		}
		f.RecoveryRatio, f.HasRatio = RecoveryRatio(Amounts{Applied: f.Applied, Recovered: f.Recovered})
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b JudgeFigures) int { return cmp.Compare(a.JudgeID, b.JudgeID) })
	return out
}
