package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// Supervise returns the chief's report over every case of court on day
// today, the same report as enforcement.Supervise over all those cases,
// without loading them all. It reads:
//
//   - whole cases only for the key cases, the cases with an unanswered party
//     request and the cases with a supervision order (the key-case, request
//     and order lists need them; they are few);
//   - the due items that can be overdue, due today, approaching or beyond the
//     calendar's reach, from the due-item index; only the flagged ones are
//     decoded (their heads), and with a cfg.DueLimit that leaves most of
//     them unlisted only the most urgent, the rest being counted per due
//     date;
//   - counts, sums and filing days of the rest from indexed columns.
//
// The three parts, the few whole cases, the case figures and the due
// items, are read at once on separate connections.
//
// The report is not a snapshot: a change committed while it is read may
// show in one part and not in another.
func (s *Store) Supervise(ctx context.Context, court string, today deadline.Date, cal *deadline.Calendar, cfg enforcement.SupervisionConfig) (enforcement.Report, error) {
	appr := cfg.ApproachingWorkdays
	if appr <= 0 {
		appr = enforcement.DefaultApproachingWorkdays
	}
	// The three parts read the database independently, so they run at
	// once: the report takes as long as the slowest, not the sum.
	var (
		wg      sync.WaitGroup
		part    enforcement.Report // of the few cases
		figures map[string]*JudgeOverview
		due     enforcement.Report // the due-item counts, flags and unclassified items
		errs    [3]error
	)
	var dueJudges map[string]*enforcement.LevelCounts // each judge's counts of the due items the court owns
	wg.Add(3)
	go func() {
		defer wg.Done()
		few, err := s.supervisedCases(ctx, court)
		if err == nil {
			// Supervise checks the calendar and today, and lists the key
			// cases, requests and orders of the few cases exactly as over
			// all of them.
			part, err = enforcement.Supervise(few, today, cal, enforcement.SupervisionConfig{ApproachingWorkdays: appr})
		}
		errs[0] = err
	}()
	go func() {
		defer wg.Done()
		figures, errs[1] = s.caseFigures(ctx, court, today)
	}()
	go func() {
		defer wg.Done()
		dueJudges, errs[2] = s.superviseDue(ctx, court, today, cal, appr, cfg.DueLimit, &due)
	}()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return enforcement.Report{}, err
		}
	}
	rep := enforcement.Report{Today: today, Approaching: appr, KeyCases: part.KeyCases, Requests: part.Requests, Orders: part.Orders,
		Counts: due.Counts, Due: cfg.LimitDue(due.Due), Unclassified: due.Unclassified}
	judges := map[string]*enforcement.JudgeFigures{}
	judge := func(id string) *enforcement.JudgeFigures {
		f, ok := judges[id]
		if !ok {
			f = &enforcement.JudgeFigures{JudgeID: id, Applied: decimal.Zero, Recovered: decimal.Zero, MedianOpenAgeDays: decimal.Zero}
			judges[id] = f
		}
		return f
	}
	for id, o := range figures {
		f := judge(id)
		f.Open, f.Closed, f.Cases = o.Open, o.Closed, o.Open+o.Closed
		f.KeyCases = o.KeyAll
		f.Applied, f.Recovered = o.Applied, o.Recovered
		f.MedianOpenAgeDays = o.MedianOpenAgeDays
		f.LateRequests = o.LateAnswers
	}
	for _, r := range rep.Requests {
		f := judge(r.JudgeID)
		f.UnansweredRequests++
		if r.Late {
			f.LateRequests++
		}
	}
	for _, o := range rep.Orders {
		if o.Answered {
			continue
		}
		f := judge(o.JudgeID)
		f.OpenOrders++
		if o.Overdue {
			f.OverdueOrders++
		}
	}

	for id, c := range dueJudges {
		judge(id).Counts = *c
	}

	rep.Judges = make([]enforcement.JudgeFigures, 0, len(judges))
	for _, f := range judges {
		if f.Cases > 0 {
			f.ClosureRate = decimal.NewFromInt(int64(f.Closed)).DivRound(decimal.NewFromInt(int64(f.Cases)), 4)
		}
		f.RecoveryRatio, f.HasRatio = enforcement.RecoveryRatio(enforcement.Amounts{Applied: f.Applied, Recovered: f.Recovered})
		rep.Judges = append(rep.Judges, *f)
	}
	slices.SortFunc(rep.Judges, func(a, b enforcement.JudgeFigures) int { return cmp.Compare(a.JudgeID, b.JudgeID) })
	return rep, nil
}

// supervisedCases returns the key cases, the cases with an unanswered party
// request and the cases with a supervision order of court, each once, as
// far as enforcement.Supervise reads them for its key-case, request and
// order lists: identity, status, filing day, requests and orders (from
// sup_doc), and the key cases' open due items in their order, from the
// head column (dueHead). No case document is decoded.
func (s *Store) supervisedCases(ctx context.Context, court string) ([]*enforcement.Case, error) {
	var out []*enforcement.Case
	byID := map[string]*enforcement.Case{}
	for _, cond := range []struct {
		where string
		arg   any
	}{{"key_case = ?", true}, {"open_requests > ?", 0}, {"orders > ?", 0}} {
		err := s.each(ctx, `SELECT id, number, judge_id, status, filed_on, key_case, sup_doc FROM cases WHERE court = ? AND `+cond.where,
			[]any{court, cond.arg}, func(rows *sql.Rows) error {
				var id, number, judge, status, filed, sup string
				var key bool
				if err := rows.Scan(&id, &number, &judge, &status, &filed, &key, &sup); err != nil {
					return err
				}
				if byID[id] != nil {
					return nil
				}
				num, err := enforcement.ParseCaseNumber(number)
				if err != nil {
					return fmt.Errorf("case %s: number %q: %w", id, number, err)
				}
				on, err := deadline.ParseDate(filed)
				if err != nil {
					return fmt.Errorf("case %s: filed_on %q: %w", id, filed, err)
				}
				c := &enforcement.Case{ID: id, Number: num, Court: court, JudgeID: judge, Status: enforcement.Status(status), FiledOn: on, Key: key}
				if sup != "" {
					if c.Requests, c.Orders, err = decodeSup([]byte(sup)); err != nil {
						return fmt.Errorf("case %s: decode requests and orders: %w", id, err)
					}
				}
				byID[id] = c
				out = append(out, c)
				return nil
			})
		if err != nil {
			return nil, fmt.Errorf("sqlstore: supervised cases: %w", err)
		}
	}
	err := s.each(ctx, `SELECT case_id, COALESCE(head, doc) FROM due_items WHERE court = ? AND key_case = ? AND is_open = ? ORDER BY case_id, pos`,
		[]any{court, true, true}, func(rows *sql.Rows) error {
			var id, doc string
			if err := rows.Scan(&id, &doc); err != nil {
				return err
			}
			c := byID[id]
			if c == nil || !c.Key {
				return nil // turned key since the cases were read
			}
			item, err := decodeHead([]byte(doc))
			if err != nil {
				return fmt.Errorf("case %s: decode due item: %w", id, err)
			}
			c.DueItems = append(c.DueItems, item)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: key cases' due items: %w", err)
	}
	return out, nil
}

// each runs query and calls fn for each row.
func (s *Store) each(ctx context.Context, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return interpret(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return interpret(rows.Err())
}

// flaggedItems returns the open due items of court due on or before until,
// decoding from each only what a DueFlag shows.
func (s *Store) flaggedItems(ctx context.Context, court string, until deadline.Date) ([]enforcement.DueRef, error) {
	var out []enforcement.DueRef
	err := s.each(ctx, `SELECT d.case_id, c.number, d.judge_id, d.key_case, COALESCE(d.head, d.doc) FROM due_items d JOIN cases c ON c.id = d.case_id
		WHERE d.court = ? AND d.is_open = ? AND d.due_on <= ?`, []any{court, true, until.String()}, func(rows *sql.Rows) error {
		var r enforcement.DueRef
		var doc string
		if err := rows.Scan(&r.CaseID, &r.Number, &r.JudgeID, &r.Key, &doc); err != nil {
			return err
		}
		item, err := decodeHead([]byte(doc))
		if err != nil {
			return fmt.Errorf("decode due item: %w", err)
		}
		r.Item = item
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: flagged due items: %w", err)
	}
	return out, nil
}

// superviseDue fills the report's due-item counts, flags and unclassified
// items, and returns each judge's counts of the items the court owns.
//
// A level only rises as the due date nears, so the flagged items are those
// due by a cutoff date: the last one before the first date that is normal
// or that the calendar cannot classify. They are read and decoded (their
// heads) while, at the same time, the items due after the cutoff are
// counted per due date, judge and owner from indexed columns: each date up
// to approaching*7+30 days ahead is classified once, and enforcement.LevelOf
// calls every later date normal without consulting the calendar, so those
// are counted in SQL alone.
func (s *Store) superviseDue(ctx context.Context, court string, today deadline.Date, cal *deadline.Calendar, appr, limit int, rep *enforcement.Report) (map[string]*enforcement.LevelCounts, error) {
	bound := today.AddDays(appr*7 + 30)
	cutoff := today
	for d := today.AddDays(1); !d.After(bound); d = d.AddDays(1) {
		if l, err := enforcement.LevelOf(cal, d, today, appr); err != nil || l == enforcement.LevelNormal {
			break
		}
		cutoff = d
	}
	var (
		wg               sync.WaitGroup
		flagged, counted dueCounts
		errF, errC       error
	)
	wg.Add(2)
	go func() {
		defer wg.Done()
		errF = s.flaggedDue(ctx, court, cutoff, today, cal, appr, limit, &flagged)
	}()
	go func() {
		defer wg.Done()
		errC = s.countDue(ctx, court, cutoff, bound, today, cal, appr, &counted)
	}()
	wg.Wait()
	if err := cmp.Or(errF, errC); err != nil {
		return nil, err
	}
	rep.Due = flagged.report.Due
	rep.Unclassified = counted.report.Unclassified
	rep.Counts = enforcement.LevelCounts{
		Normal:      counted.report.Counts.Normal,
		Approaching: flagged.report.Counts.Approaching,
		DueToday:    flagged.report.Counts.DueToday,
		Overdue:     flagged.report.Counts.Overdue,
	}
	for id, c := range counted.judges { // normal items only, and flagged has none
		flagged.judge(id).Normal += c.Normal
	}
	return flagged.judges, nil
}

// dueCounts is one part of superviseDue's work: report counts, flags and
// unclassified items, and each judge's counts of the items the court owns.
type dueCounts struct {
	report enforcement.Report
	judges map[string]*enforcement.LevelCounts
}

func (p *dueCounts) judge(id string) *enforcement.LevelCounts {
	if p.judges == nil {
		p.judges = map[string]*enforcement.LevelCounts{}
	}
	c, ok := p.judges[id]
	if !ok {
		c = &enforcement.LevelCounts{}
		p.judges[id] = c
	}
	return c
}

// flaggedDue reads and classifies the open items due on or before until
// (and those with an invalid due date, which sorts before every valid one).
// With a limit that leaves most of them unlisted (there are at least twice
// as many), it counts them per due date, judge and owner instead, and
// reads only the most urgent: those due before the due date of the
// limit-th, and all due on that date (ordered by case and item ID in Go,
// not by the database's collation); the caller keeps the first limit.
func (s *Store) flaggedDue(ctx context.Context, court string, until, today deadline.Date, cal *deadline.Calendar, appr, limit int, out *dueCounts) error {
	if limit > 0 {
		if _, many, err := s.nthFlagged(ctx, court, until, 2*limit); err != nil {
			return err
		} else if many {
			counted, err := s.countFlagged(ctx, court, until, today, cal, appr, out)
			if err != nil {
				return err
			}
			if counted {
				last, _, err := s.nthFlagged(ctx, court, until, limit)
				if err != nil {
					return err
				}
				if d, err := deadline.ParseDate(last); err == nil {
					until = d
				}
				refs, err := s.flaggedItems(ctx, court, until)
				if err != nil {
					return err
				}
				cl, err := enforcement.Classify(refs, today, cal, appr)
				if err != nil {
					return err
				}
				out.report.Due = cl.Flagged
				return nil
			}
			*out = dueCounts{} // a due date the counts cannot read: from the items
		}
	}
	refs, err := s.flaggedItems(ctx, court, until)
	if err != nil {
		return err
	}
	cl, err := enforcement.Classify(refs, today, cal, appr)
	if err != nil {
		return err
	}
	out.report.Due = cl.Flagged
	out.report.Counts = cl.Counts
	out.report.Counts.Normal = 0 // counted by countDue
	for _, f := range cl.Flagged {
		if courtOwned(f.Owner) {
			out.judge(f.JudgeID).Add(f.Level, 1)
		}
	}
	return nil
}

// nthFlagged returns the due date of the n-th open item due on or before
// until, in due date order, and whether there are n.
func (s *Store) nthFlagged(ctx context.Context, court string, until deadline.Date, n int) (string, bool, error) {
	var due string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT due_on FROM due_items WHERE court = ? AND is_open = ? AND due_on <= ? ORDER BY due_on LIMIT 1 OFFSET ?`),
		court, true, until.String(), n-1).Scan(&due)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", false, nil
	case err != nil:
		return "", false, fmt.Errorf("sqlstore: flagged due items: %w", interpret(err))
	}
	return due, true, nil
}

// countFlagged counts the open items due on or before until by level, per
// due date, judge and owner, into out. It reports false, having counted
// nothing that matters, if a due date does not parse (such items are
// classified from their documents).
func (s *Store) countFlagged(ctx context.Context, court string, until, today deadline.Date, cal *deadline.Calendar, appr int, out *dueCounts) (bool, error) {
	ok := true
	err := s.each(ctx, `SELECT due_on, judge_id, owner, COUNT(*) FROM due_items
		WHERE court = ? AND is_open = ? AND due_on <= ? GROUP BY due_on, judge_id, owner`,
		[]any{court, true, until.String()}, func(rows *sql.Rows) error {
			var dueOn, judgeID, owner string
			var n int
			if err := rows.Scan(&dueOn, &judgeID, &owner, &n); err != nil {
				return err
			}
			due, err := deadline.ParseDate(dueOn)
			if err != nil {
				ok = false
				return nil
			}
			l, err := enforcement.LevelOf(cal, due, today, appr)
			if err != nil {
				ok = false
				return nil
			}
			if l == enforcement.LevelNormal {
				return fmt.Errorf("due date %s by cutoff %s has level %v", due, until, l)
			}
			out.report.Counts.Add(l, n)
			if courtOwned(owner) {
				out.judge(judgeID).Add(l, n)
			}
			return nil
		})
	if err != nil {
		return false, fmt.Errorf("sqlstore: count flagged due items: %w", err)
	}
	return ok, nil
}

// countDue counts the open items due after cutoff: per due date up to
// bound, each date classified once, listing the items of dates the
// calendar cannot classify; in SQL alone after bound.
func (s *Store) countDue(ctx context.Context, court string, cutoff, bound, today deadline.Date, cal *deadline.Calendar, appr int, out *dueCounts) error {
	levels := map[string]error{}
	var failed []any // due dates the calendar cannot classify
	err := s.each(ctx, `SELECT due_on, judge_id, owner, COUNT(*) FROM due_items
		WHERE court = ? AND is_open = ? AND due_on > ? AND due_on <= ? GROUP BY due_on, judge_id, owner`,
		[]any{court, true, cutoff.String(), bound.String()}, func(rows *sql.Rows) error {
			var dueOn, judgeID, owner string
			var n int
			if err := rows.Scan(&dueOn, &judgeID, &owner, &n); err != nil {
				return err
			}
			due, err := deadline.ParseDate(dueOn)
			if err != nil {
				return fmt.Errorf("due date %q after %s: %w", dueOn, cutoff, err) // invalid dates sort first
			}
			l, err := enforcement.LevelOf(cal, due, today, appr)
			if err != nil {
				if _, seen := levels[dueOn]; !seen {
					levels[dueOn] = err
					failed = append(failed, dueOn)
				}
				return nil
			}
			if l != enforcement.LevelNormal {
				// Levels only rise as the due date nears, so no date after
				// the cutoff can be flagged.
				return fmt.Errorf("due date %s after cutoff %s has level %v", due, cutoff, l)
			}
			out.report.Counts.Normal += n
			if courtOwned(owner) {
				out.judge(judgeID).Normal += n
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("sqlstore: supervise due items: %w", err)
	}
	if len(failed) > 0 {
		err := s.each(ctx, `SELECT case_id, due_id, due_on FROM due_items WHERE court = ? AND is_open = ? AND due_on IN (`+placeholders(len(failed))+`)`,
			append([]any{court, true}, failed...), func(rows *sql.Rows) error {
				var u enforcement.Unclassified
				var dueOn string
				if err := rows.Scan(&u.CaseID, &u.DueID, &dueOn); err != nil {
					return err
				}
				u.Err = levels[dueOn]
				u.Due, _ = deadline.ParseDate(dueOn) // parsed above
				out.report.Unclassified = append(out.report.Unclassified, u)
				return nil
			})
		if err != nil {
			return fmt.Errorf("sqlstore: unclassified due items: %w", err)
		}
		slices.SortFunc(out.report.Unclassified, func(a, b enforcement.Unclassified) int {
			return cmp.Or(cmp.Compare(a.CaseID, b.CaseID), cmp.Compare(a.DueID, b.DueID))
		})
	}
	err = s.each(ctx, `SELECT judge_id, owner, COUNT(*) FROM due_items
		WHERE court = ? AND is_open = ? AND due_on > ? GROUP BY judge_id, owner`, []any{court, true, bound.String()}, func(rows *sql.Rows) error {
		var judgeID, owner string
		var n int
		if err := rows.Scan(&judgeID, &owner, &n); err != nil {
			return err
		}
		out.report.Counts.Normal += n
		if courtOwned(owner) {
			out.judge(judgeID).Normal += n
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlstore: supervise due counts: %w", err)
	}
	return nil
}

// courtOwned reports whether a due item with owner o is the court's to meet
// (承办人 or the court): a judge's figures count only those, as
// enforcement.Supervise does.
func courtOwned(o string) bool {
	return o == "" || o == string(enforcement.OwnerHandler) || o == string(enforcement.OwnerCourt)
}
