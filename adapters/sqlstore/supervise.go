package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// The store answers the chief's report (enforcement.SuperviseFrom) from
// summaries and indexes: due items are counted from due_tallies and
// due_totals, case figures from case_tallies (all three kept in the
// transaction that writes the case), the open cases' filing days from the
// index cases_court_figures; the most urgent tasks are read in order from
// the index due_items_court_tasks and decoded from their head column, and
// only the few cases the key-case, request and order lists need are read,
// from their columns and sup_doc, never from the case document.
var _ enforcement.SupervisionSource = (*Store)(nil)

// TallyDue implements [enforcement.SupervisionSource] in one statement
// (so one snapshot): the dates through come from due_tallies through its
// index by court and date, and the items due later are the judge's totals
// (due_totals) less those, so the court's far dates are never read.
func (s *Store) TallyDue(ctx context.Context, court string, through deadline.Date) ([]enforcement.DueTally, error) {
	type key struct {
		judge, owner string
		right        bool
	}
	later := map[key]int64{}
	var keys []key
	var out []enforcement.DueTally
	err := s.each(ctx, `SELECT 0, due_on, judge_id, owner, is_right, n FROM due_tallies WHERE court = ? AND due_on <= ? AND n > 0
		UNION ALL SELECT 1, '', judge_id, owner, is_right, n FROM due_totals WHERE court = ?`,
		[]any{court, through.String(), court}, func(rows *sql.Rows) error {
			var total int
			var due string
			var k key
			var n int64
			if err := rows.Scan(&total, &due, &k.judge, &k.owner, &k.right, &n); err != nil {
				return err
			}
			if _, ok := later[k]; !ok {
				keys = append(keys, k)
			}
			if total == 1 {
				later[k] += n
				return nil
			}
			later[k] -= n
			d, err := dueDate(due)
			if err != nil {
				return err
			}
			out = append(out, enforcement.DueTally{Due: d, JudgeID: k.judge, Owner: k.owner, Right: k.right, N: int(n)})
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: tally due items: %w", err)
	}
	for _, k := range keys {
		if n := later[k]; n > 0 {
			out = append(out, enforcement.DueTally{Later: true, JudgeID: k.judge, Owner: k.owner, Right: k.right, N: int(n)})
		}
	}
	return out, nil
}

// TallyJudgeDue counts judge's open due items of court whose date in force
// is on or before through, per date, owner and kind, as TallyDue does for
// the whole court (Later is never set): read from due_tallies by its
// primary key, a judge's few hundred dates rather than their items, so a
// judge's reminders list the most urgent items and count the rest.
func (s *Store) TallyJudgeDue(ctx context.Context, court, judge string, through deadline.Date) ([]enforcement.DueTally, error) {
	out, err := s.judgeTallies(ctx, judge, `SELECT due_on, owner, is_right, n FROM due_tallies WHERE court = ? AND judge_id = ? AND due_on <= ? AND n > 0`,
		[]any{court, judge, through.String()})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: tally due items of judge %s: %w", judge, err)
	}
	return out, nil
}

// ListDue implements [enforcement.SupervisionSource]. With a limit the
// tasks come in the order of the index due_items_court_tasks (case and
// item IDs compared byte by byte), so the database reads only the rows it
// returns.
func (s *Store) ListDue(ctx context.Context, court string, from, through deadline.Date, limit int) ([]enforcement.DueRef, error) {
	query := `SELECT d.case_id, d.number, d.judge_id, d.key_case, COALESCE(d.head, d.doc)
		FROM due_items d
		WHERE d.court = ? AND d.is_open = ? AND d.is_right = ? AND d.due_on >= ? AND d.due_on <= ?`
	args := []any{court, true, false, from.String(), through.String()}
	if limit > 0 {
		query += ` ORDER BY d.due_on, d.case_id` + s.sql.bytewise + `, d.due_id` + s.sql.bytewise + ` LIMIT ?`
		args = append(args, limit)
	}
	var out []enforcement.DueRef
	var head sql.RawBytes // decoded from the driver's buffer, as in DueItems
	err := s.each(ctx, query, args, func(rows *sql.Rows) error {
		var r enforcement.DueRef
		if err := rows.Scan(&r.CaseID, &r.Number, &r.JudgeID, &r.Key, &head); err != nil {
			return err
		}
		item, err := decodeHead(head)
		if err != nil {
			return fmt.Errorf("case %s: %w", r.CaseID, err)
		}
		r.Item = item
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list due items: %w", err)
	}
	return out, nil
}

// TallyCases implements [enforcement.SupervisionSource]: the sums are the
// judges' rows of case_tallies, the open cases' filing days a scan of the
// index cases_court_figures, run at once.
func (s *Store) TallyCases(ctx context.Context, court string) ([]enforcement.CaseTally, error) {
	var (
		wg      sync.WaitGroup
		filed   map[string][]enforcement.DateCount
		errOpen error
	)
	wg.Go(func() { filed, errOpen = s.openFiled(ctx, court) })
	by, err := s.caseSums(ctx, court)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if errOpen != nil {
		return nil, errOpen
	}
	for judge, fs := range filed {
		t, ok := by[judge]
		if !ok { // a case filed since the sums were read
			t = &enforcement.CaseTally{JudgeID: judge}
			by[judge] = t
		}
		t.OpenFiled = fs
	}
	var out []enforcement.CaseTally
	for _, t := range by {
		out = append(out, *t)
	}
	return out, nil
}

// caseSums returns each judge's case counts and sums.
func (s *Store) caseSums(ctx context.Context, court string) (map[string]*enforcement.CaseTally, error) {
	by := map[string]*enforcement.CaseTally{}
	err := s.each(ctx, `SELECT judge_id, status, key_case, n, applied, recovered, late_answers FROM case_tallies WHERE court = ?`, []any{court}, func(rows *sql.Rows) error {
		var judge, status string
		var key bool
		var n, applied, recovered, late int64
		if err := rows.Scan(&judge, &status, &key, &n, &applied, &recovered, &late); err != nil {
			return err
		}
		t, ok := by[judge]
		if !ok {
			t = &enforcement.CaseTally{JudgeID: judge, Applied: decimal.Zero, Recovered: decimal.Zero}
			by[judge] = t
		}
		if enforcement.Status(status) == enforcement.StatusClosed {
			t.Closed += int(n)
		} else {
			t.Open += int(n)
		}
		if key {
			t.KeyCases += int(n)
		}
		t.LateAnswers += int(late)
		t.Applied = t.Applied.Add(decimal.New(applied, -2))
		t.Recovered = t.Recovered.Add(decimal.New(recovered, -2))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: case figures: %w", err)
	}
	return by, nil
}

// openFiled counts each judge's open cases per filing day, from the
// index of open cases (cases_court_open_filed on PostgreSQL and SQLite),
// so a court yields a few thousand rows, not a row per case. The status
// is a literal, as that partial index states it, so that any plan may use
// it.
func (s *Store) openFiled(ctx context.Context, court string) (map[string][]enforcement.DateCount, error) {
	out := map[string][]enforcement.DateCount{}
	err := s.each(ctx, `SELECT judge_id, filed_on, COUNT(*) FROM cases WHERE court = ? AND status <> '`+string(enforcement.StatusClosed)+`' GROUP BY judge_id, filed_on`,
		[]any{court}, func(rows *sql.Rows) error {
			var judge, filed string
			var n int
			if err := rows.Scan(&judge, &filed, &n); err != nil {
				return err
			}
			d, err := deadline.ParseDate(filed)
			if err != nil {
				return fmt.Errorf("filed_on %q: %w", filed, err)
			}
			out[judge] = append(out[judge], enforcement.DateCount{Date: d, N: n})
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open cases' filing days: %w", err)
	}
	return out, nil
}

// SupervisedCases implements [enforcement.SupervisionSource]: identity,
// status, filing day, requests and orders (from sup_doc), and the key
// cases' open tasks in their order, from the columns of the index
// due_items_court_key_tasks. No document is decoded but sup_doc.
func (s *Store) SupervisedCases(ctx context.Context, court string) ([]*enforcement.Case, error) {
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
				if c.Requests, c.Orders, err = decodeSupColumn(sup); err != nil {
					return fmt.Errorf("case %s: %w", id, err)
				}
				byID[id] = c
				out = append(out, c)
				return nil
			})
		if err != nil {
			return nil, fmt.Errorf("sqlstore: supervised cases: %w", err)
		}
	}
	// The conditions are literals, as the partial index
	// due_items_court_key_tasks states them, so the planner may use it.
	err := s.each(ctx, `SELECT case_id, due_id, due_on, title, owner FROM due_items
		WHERE court = ? AND key_case AND is_open AND NOT is_right ORDER BY case_id, pos`,
		[]any{court}, func(rows *sql.Rows) error {
			var id, due string
			var d enforcement.DueItem
			if err := rows.Scan(&id, &d.ID, &due, &d.Title, &d.Owner); err != nil {
				return err
			}
			c := byID[id]
			if c == nil || !c.Key {
				return nil // turned key since the cases were read
			}
			on, err := dueDate(due)
			if err != nil {
				return fmt.Errorf("case %s: %w", id, err)
			}
			d.Computed, d.Status = on, enforcement.DueOpen
			c.DueItems = append(c.DueItems, d)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: key cases' due items: %w", err)
	}
	return out, nil
}

// dueDate returns the date of a due_on column: the text of a
// deadline.Date, which for corrupt data (the zero date, 0000-00-00) is not
// a valid date but must still be counted under the date it was stored as.
func dueDate(s string) (deadline.Date, error) {
	if d, err := deadline.ParseDate(s); err == nil {
		return d, nil
	}
	var d deadline.Date
	var m int
	if n, err := fmt.Sscanf(s, "%4d-%2d-%2d", &d.Year, &m, &d.Day); err != nil || n != 3 || len(s) != 10 {
		return deadline.Date{}, fmt.Errorf("due_on %q: not a date", s)
	}
	d.Month = time.Month(m)
	return d, nil
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

// decodeSupColumn decodes a case's sup_doc column (empty without requests
// and orders).
func decodeSupColumn(sup string) ([]enforcement.Request, []enforcement.SupervisionOrder, error) {
	if sup == "" {
		return nil, nil, nil
	}
	rs, os, err := decodeSup([]byte(sup))
	if err != nil {
		return nil, nil, fmt.Errorf("decode requests and orders: %w", err)
	}
	return rs, os, nil
}
