package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// case_tallies counts and sums a court's cases per judge, status and key
// flag (with their unanswered requests and orders since migration 0017),
// and due_totals counts the open due items per judge, owner and kind
// whatever their date (sqlstore migration 0013). Both change in the
// transaction that writes the case, as due_tallies does, with the keys in
// one order; a write that changes no figure (most do not: a node, a
// measure) writes neither.

// caseTallyKey is one row of case_tallies.
type caseTallyKey struct {
	court, judge, status string
	key                  bool
}

// caseFigures are the figures of case_tallies' rows.
type caseFigures struct {
	n, applied, recovered, late int64
	// requests counts the unanswered party requests, orders the
	// supervision orders not answered yet (migration 0017).
	requests, orders int64
}

func (f caseFigures) add(g caseFigures, sign int64) caseFigures {
	return caseFigures{f.n + sign*g.n, f.applied + sign*g.applied, f.recovered + sign*g.recovered, f.late + sign*g.late,
		f.requests + sign*g.requests, f.orders + sign*g.orders}
}

// caseTallies are changes to case_tallies.
type caseTallies map[caseTallyKey]caseFigures

// addCase adds case c's figures, with sign +1 or -1.
func (t caseTallies) addCase(c *enforcement.Case, sign int64) {
	k := caseTallyKey{c.Court, c.JudgeID, string(c.Status), c.Key}
	t[k] = t[k].add(caseFigures{1, fen(c.AmountApplied), fen(c.AmountRecovered), int64(lateAnswers(c)),
		int64(unanswered(c.Requests)), int64(unanswered(c.Orders))}, sign)
}

// unanswered counts the requests or supervision orders not answered yet
// (of requests: cases.open_requests).
func unanswered[T interface{ IsAnswered() bool }](xs []T) int {
	n := 0
	for _, x := range xs {
		if !x.IsAnswered() {
			n++
		}
	}
	return n
}

// fillOpenOrders is the Go part of migration 0017: it counts the open
// orders of the cases written before it into case_tallies.open_orders,
// from their sup_doc (its SQL part adds the columns and fills
// open_requests from cases.open_requests). Only the cases with an order
// are read.
func fillOpenOrders(ctx context.Context, tx *sql.Tx, ds *dialectSQL) error {
	counts := map[caseTallyKey]int64{}
	rows, err := tx.QueryContext(ctx, ds.rebind(`SELECT id, court, judge_id, status, key_case, sup_doc FROM cases WHERE orders > ?`), 0)
	if err != nil {
		return fmt.Errorf("count open orders: %w", err)
	}
	for rows.Next() {
		var k caseTallyKey
		var id, sup string
		if err := rows.Scan(&id, &k.court, &k.judge, &k.status, &k.key, &sup); err != nil {
			rows.Close()
			return fmt.Errorf("count open orders: %w", err)
		}
		_, os, err := decodeSupColumn(sup)
		if err != nil {
			rows.Close()
			return fmt.Errorf("count open orders: case %s: %w", id, err)
		}
		counts[k] += int64(unanswered(os))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("count open orders: %w", err)
	}
	for k, n := range counts {
		if n == 0 {
			continue
		}
		_, err := tx.ExecContext(ctx, ds.rebind(`UPDATE case_tallies SET open_orders = ? WHERE court = ? AND judge_id = ? AND status = ? AND key_case = ?`),
			n, k.court, k.judge, k.status, k.key)
		if err != nil {
			return fmt.Errorf("count open orders: %w", err)
		}
	}
	return nil
}

// lateAnswers counts c's party requests answered after their resolve-by
// date (cases.late_answers).
func lateAnswers(c *enforcement.Case) int {
	late := 0
	for _, r := range c.Requests {
		if r.IsAnswered() && !r.ResolveBy.IsZero() && deadline.DateOf(r.AnsweredAt).After(r.ResolveBy) {
			late++
		}
	}
	return late
}

// applyCaseTallies writes the changes t to case_tallies, dropping the rows
// whose count falls to zero.
func (s *Store) applyCaseTallies(ctx context.Context, tx *sql.Tx, t caseTallies) error {
	keys := slices.SortedFunc(maps.Keys(t), func(a, b caseTallyKey) int {
		return cmp.Or(cmp.Compare(a.court, b.court), cmp.Compare(a.judge, b.judge), cmp.Compare(a.status, b.status), compareBool(a.key, b.key))
	})
	var rows [][]any
	var emptied []caseTallyKey
	for _, k := range keys {
		f := t[k]
		if f == (caseFigures{}) {
			continue
		}
		rows = append(rows, []any{k.court, k.judge, k.status, k.key, f.n, f.applied, f.recovered, f.late, f.requests, f.orders})
		if f.n < 0 {
			emptied = append(emptied, k)
		}
	}
	set := "n = case_tallies.n + " + s.sql.excluded("n") + ", applied = case_tallies.applied + " + s.sql.excluded("applied") +
		", recovered = case_tallies.recovered + " + s.sql.excluded("recovered") + ", late_answers = case_tallies.late_answers + " + s.sql.excluded("late_answers") +
		", open_requests = case_tallies.open_requests + " + s.sql.excluded("open_requests") + ", open_orders = case_tallies.open_orders + " + s.sql.excluded("open_orders")
	if err := s.upsertRows(ctx, tx, "case_tallies", "court, judge_id, status, key_case", "n, applied, recovered, late_answers, open_requests, open_orders", set, rows); err != nil {
		return fmt.Errorf("count cases: %w", err)
	}
	for _, k := range emptied {
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM case_tallies WHERE court = ? AND judge_id = ? AND status = ? AND key_case = ? AND n <= 0`),
			k.court, k.judge, k.status, k.key); err != nil {
			return fmt.Errorf("count cases: %w", err)
		}
	}
	return nil
}

// totalKey is one row of due_totals.
type totalKey struct {
	court, judge, owner string
	right               bool
}

// applyDueTotals writes the changes t, folded over their dates, to
// due_totals, dropping the rows whose count falls to zero.
func (s *Store) applyDueTotals(ctx context.Context, tx *sql.Tx, t tallies) error {
	totals := map[totalKey]int{}
	for k, n := range t {
		totals[totalKey{k.court, k.judge, k.owner, k.right}] += n
	}
	keys := slices.SortedFunc(maps.Keys(totals), func(a, b totalKey) int {
		return cmp.Or(cmp.Compare(a.court, b.court), cmp.Compare(a.judge, b.judge), cmp.Compare(a.owner, b.owner), compareBool(a.right, b.right))
	})
	var rows [][]any
	var emptied []totalKey
	for _, k := range keys {
		n := totals[k]
		if n == 0 {
			continue
		}
		rows = append(rows, []any{k.court, k.judge, k.owner, k.right, n})
		if n < 0 {
			emptied = append(emptied, k)
		}
	}
	if err := s.upsertRows(ctx, tx, "due_totals", "court, judge_id, owner, is_right", "n", "n = due_totals.n + "+s.sql.excluded("n"), rows); err != nil {
		return fmt.Errorf("count due items: %w", err)
	}
	for _, k := range emptied {
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM due_totals WHERE court = ? AND judge_id = ? AND owner = ? AND is_right = ? AND n <= 0`),
			k.court, k.judge, k.owner, k.right); err != nil {
			return fmt.Errorf("count due items: %w", err)
		}
	}
	return nil
}

// upsertRows inserts rows into table (its key columns, then the value
// columns), adding to the rows with the same key as set says, at most
// 1,000 rows a statement (well under the parameter limits).
func (s *Store) upsertRows(ctx context.Context, tx *sql.Tx, table, key, values, set string, rows [][]any) error {
	const per = 1000
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		width := len(rows[start])
		var b strings.Builder
		b.WriteString("INSERT INTO " + table + " (" + key + ", " + values + ") VALUES ")
		args := make([]any, 0, (end-start)*width)
		for i := start; i < end; i++ {
			if i > start {
				b.WriteString(", ")
			}
			b.WriteString("(" + placeholders(width) + ")")
			args = append(args, rows[i]...)
		}
		b.WriteString(s.sql.upsert(key, set))
		if _, err := tx.ExecContext(ctx, s.q(b.String()), args...); err != nil {
			return err
		}
	}
	return nil
}

// CourtTally is one court's figures in a high court's overview of its
// courts, as [Store.TallyCourts] counts them. The task counts are those of
// the court's supervision report ([enforcement.Report]) on the same day:
// Counts is the sum of the judges' counts, Unassigned and PartyTasks.
type CourtTally struct {
	Court string
	// OpenCases counts the court's cases not closed (执行中, 中止, 暂缓),
	// ClosedCases its closed ones, OpenKeyCases the open key cases.
	OpenCases, ClosedCases, OpenKeyCases int
	// UnassignedCases counts the open cases without a handling judge.
	UnassignedCases int
	// Counts counts every open task (an open due item that is not a
	// party's right) by level; Unassigned the tasks the court owns on
	// cases without a judge; PartyTasks the tasks of parties and
	// platforms, which are no judge's work.
	Counts, Unassigned, PartyTasks enforcement.LevelCounts
	// Rights counts the parties' open rights, in no other count.
	Rights int
	// OpenRequests counts the parties' requests not answered yet and
	// OpenOrders the supervision orders (督办) not answered yet, on any of
	// the court's cases.
	OpenRequests, OpenOrders int
}

// TallyCourts returns the figures of every court with a case in the
// database, in court order, for a high court's overview: open cases, open
// tasks by level, the unassigned ones and the parties' apart, the
// parties' open rights, and the unanswered requests and orders. A task due before today is overdue, one due on
// today is due today, one due after today through approachingThrough is
// approaching and a later one normal. approachingThrough is the last date
// [enforcement.LevelOf] calls approaching on today: a level only rises as
// the due date nears, so those dates are one run after today (dates the
// calendar does not cover count as normal here; the court's report lists
// them as unclassified).
//
// It reads summary rows only, kept in the transaction of every write:
// case_tallies and due_totals (a few rows per judge) and, for the dates
// through approachingThrough, due_tallies through its index by court and
// date; never a case or a due item. Its cost grows with courts × judges and
// with the open items' distinct dates before approachingThrough, not with
// cases. Like the report's questions, the three reads are not one
// snapshot: a write committed between them can show in one count and not
// in another. Safe for concurrent use.
func (s *Store) TallyCourts(ctx context.Context, today, approachingThrough deadline.Date) ([]CourtTally, error) {
	byCourt := map[string]*CourtTally{}
	court := func(c string) *CourtTally {
		t := byCourt[c]
		if t == nil {
			t = &CourtTally{Court: c}
			byCourt[c] = t
		}
		return t
	}
	err := s.each(ctx, `SELECT court, status, key_case, judge_id = '', SUM(n), SUM(open_requests), SUM(open_orders) FROM case_tallies GROUP BY 1, 2, 3, 4`, nil, func(rows *sql.Rows) error {
		var c, status string
		var key, unassigned bool
		var n, requests, orders int64
		if err := rows.Scan(&c, &status, &key, &unassigned, &n, &requests, &orders); err != nil {
			return err
		}
		t := court(c)
		t.OpenRequests += int(requests)
		t.OpenOrders += int(orders)
		if unassigned && enforcement.Status(status) != enforcement.StatusClosed {
			t.UnassignedCases += int(n)
		}
		switch {
		case enforcement.Status(status) == enforcement.StatusClosed:
			t.ClosedCases += int(n)
		case key:
			t.OpenCases += int(n)
			t.OpenKeyCases += int(n)
		default:
			t.OpenCases += int(n)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: tally courts: cases: %w", err)
	}
	// The totals count every open item as normal; the items due through
	// approachingThrough move from normal to their level.
	add := func(t *CourtTally, owner string, unassigned, right bool, l enforcement.Level, n int) {
		if right {
			if l == enforcement.LevelNormal {
				t.Rights += n
			}
			return
		}
		t.Counts.Add(l, n)
		switch {
		case !courtOwned(owner):
			t.PartyTasks.Add(l, n)
		case unassigned:
			t.Unassigned.Add(l, n)
		}
	}
	err = s.each(ctx, `SELECT court, owner, judge_id = '', is_right, SUM(n) FROM due_totals GROUP BY 1, 2, 3, 4`, nil,
		func(rows *sql.Rows) error {
			var c, owner string
			var unassigned, right bool
			var n int64
			if err := rows.Scan(&c, &owner, &unassigned, &right, &n); err != nil {
				return err
			}
			add(court(c), owner, unassigned, right, enforcement.LevelNormal, int(n))
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: tally courts: due items: %w", err)
	}
	courts := slices.Sorted(maps.Keys(byCourt))
	if len(courts) > 0 {
		// One range of the index due_tallies_court_due per court: the
		// courts are listed, so no database reads the other dates.
		args := []any{today.String(), today.String()}
		for _, c := range courts {
			args = append(args, c)
		}
		args = append(args, approachingThrough.String())
		err = s.each(ctx, `SELECT court, CASE WHEN due_on < ? THEN 3 WHEN due_on = ? THEN 2 ELSE 1 END, owner, judge_id = '', is_right, SUM(n)
			FROM due_tallies WHERE court IN (`+placeholders(len(courts))+`) AND due_on <= ? AND NOT is_right GROUP BY 1, 2, 3, 4, 5`, args,
			func(rows *sql.Rows) error {
				var c, owner string
				var level int
				var unassigned, right bool
				var n int64
				if err := rows.Scan(&c, &level, &owner, &unassigned, &right, &n); err != nil {
					return err
				}
				t := court(c)
				add(t, owner, unassigned, right, enforcement.LevelNormal, -int(n))
				add(t, owner, unassigned, right, levelOf[level], int(n))
				return nil
			})
		if err != nil {
			return nil, fmt.Errorf("sqlstore: tally courts: items due soon: %w", err)
		}
	}
	out := make([]CourtTally, 0, len(courts))
	for _, c := range courts {
		out = append(out, *byCourt[c])
	}
	return out, nil
}

// levelOf maps TallyCourts' level numbers to levels.
var levelOf = map[int]enforcement.Level{1: enforcement.LevelApproaching, 2: enforcement.LevelDueToday, 3: enforcement.LevelOverdue}

// courtOwned reports whether an item of owner o is the court's to do
// (承办人 or 法院), as the supervision report decides it.
func courtOwned(o string) bool {
	return o == "" || o == string(enforcement.OwnerHandler) || o == string(enforcement.OwnerCourt)
}
