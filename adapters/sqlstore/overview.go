package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// Import writes many new cases at once, in transactions of batch rows, with
// their due-item index; events are not logged (use it to migrate existing
// cases or load test data), but each batch raises the revision of its
// cases' courts ([Store.Revision]). A case that exists already fails its batch with
// an error matching enforcement.ErrConflict.
func (s *Store) Import(ctx context.Context, cases []*enforcement.Case) error {
	const batch = 200
	for start := 0; start < len(cases); start += batch {
		end := min(start+batch, len(cases))
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			var rows [][]any
			var due [][]any
			var courts []string
			stamp := s.now().UTC().Format(time.RFC3339Nano)
			for _, c := range cases[start:end] {
				c.Version = 1
				doc, err := encodeCase(c)
				if err != nil {
					return err
				}
				row, err := caseRow(c, stamp, doc)
				if err != nil {
					return err
				}
				rows = append(rows, row)
				courts = append(courts, c.Court)
				for i, d := range c.DueItems {
					r, err := dueRow(c, i, d)
					if err != nil {
						return err
					}
					due = append(due, r)
				}
			}
			if err := s.insertRows(ctx, tx, "cases ("+caseColumns+")", rows); err != nil {
				return err
			}
			if err := s.insertRows(ctx, tx, "due_items ("+dueColumns+")", due); err != nil {
				return err
			}
			return s.bump(ctx, tx, courts...)
		})
		if err != nil {
			return fmt.Errorf("sqlstore: import cases %d..%d: %w", start, end-1, interpret(err))
		}
	}
	return nil
}

// insertRows inserts rows with multi-row VALUES statements, keeping under
// the parameter limits of both dialects.
func (s *Store) insertRows(ctx context.Context, tx *sql.Tx, into string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	width := len(rows[0])
	per := 30000 / width
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		var b strings.Builder
		b.WriteString("INSERT INTO " + into + " VALUES ")
		args := make([]any, 0, (end-start)*width)
		tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
		for i := start; i < end; i++ {
			if i > start {
				b.WriteString(", ")
			}
			b.WriteString(tuple)
			args = append(args, rows[i]...)
		}
		if _, err := tx.ExecContext(ctx, s.q(b.String()), args...); err != nil {
			return err
		}
	}
	return nil
}

// JudgeOverview is one judge's figures for the chief's view.
type JudgeOverview struct {
	JudgeID string
	Open    int
	Closed  int
	Key     int // open key cases
	// KeyAll counts key cases, open or closed.
	KeyAll    int
	Applied   decimal.Decimal
	Recovered decimal.Decimal
	// LateAnswers counts party requests answered after their resolve-by
	// date.
	LateAnswers int
	// MedianOpenAgeDays is the median of the calendar days from filing to
	// today over the open cases, to 1 place, as enforcement.Supervise
	// computes it; zero without open cases.
	MedianOpenAgeDays decimal.Decimal
	// Due item counts by warning level, open items only.
	Overdue, DueToday, Approaching int
}

// Overview returns per-judge figures for court on day today, reading only
// indexed columns: case counts, amounts and open-case ages from cases
// (cases_court_figures), and due-item counts by level from due_items
// (court, is_open, due_on). Items due before approachingUntil and after
// today are "approaching"; callers compute approachingUntil on the
// working-day calendar (the day after the last approaching working day, see
// [ApproachingUntil]).
func (s *Store) Overview(ctx context.Context, court string, today, approachingUntil deadline.Date) ([]JudgeOverview, error) {
	by, err := s.caseFigures(ctx, court, today)
	if err != nil {
		return nil, err
	}
	get := func(id string) *JudgeOverview {
		o, ok := by[id]
		if !ok {
			o = &JudgeOverview{JudgeID: id, Applied: decimal.Zero, Recovered: decimal.Zero, MedianOpenAgeDays: decimal.Zero}
			by[id] = o
		}
		return o
	}
	t, a := today.String(), approachingUntil.String()
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT judge_id,
			SUM(CASE WHEN due_on < ? THEN 1 ELSE 0 END),
			SUM(CASE WHEN due_on = ? THEN 1 ELSE 0 END),
			SUM(CASE WHEN due_on > ? THEN 1 ELSE 0 END)
		FROM due_items WHERE court = ? AND is_open = ? AND due_on < ? GROUP BY judge_id`), t, t, t, court, true, a)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: overview due items: %w", interpret(err))
	}
	for rows.Next() {
		var judge string
		var over, todayN, appr int
		if err := rows.Scan(&judge, &over, &todayN, &appr); err != nil {
			rows.Close()
			return nil, err
		}
		o := get(judge)
		o.Overdue, o.DueToday, o.Approaching = over, todayN, appr
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]JudgeOverview, 0, len(by))
	for _, o := range by {
		out = append(out, *o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].JudgeID < out[j].JudgeID })
	return out, nil
}

// JudgeIDs returns the judges who handle a case of court, open or closed,
// in ID order, from the index cases_court_figures.
func (s *Store) JudgeIDs(ctx context.Context, court string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT DISTINCT judge_id FROM cases WHERE court = ? ORDER BY judge_id`), court)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: judges: %w", interpret(err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlstore: judges: %w", err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: judges: %w", interpret(err))
	}
	return out, nil
}

// caseFigures returns the per-judge case figures of court: counts, sums and
// the median age of open cases on today, from the index cases_court_figures.
func (s *Store) caseFigures(ctx context.Context, court string, today deadline.Date) (map[string]*JudgeOverview, error) {
	// The sums and the filing days are two scans of the same index; they
	// run at once.
	var (
		wg      sync.WaitGroup
		ages    map[string][]int
		errAges error
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		ages, errAges = s.openCaseAges(ctx, court, today)
	}()
	by, err := s.caseSums(ctx, court)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if errAges != nil {
		return nil, errAges
	}
	for judge, xs := range ages {
		o, ok := by[judge]
		if !ok {
			o = newJudgeOverview(judge)
			by[judge] = o
		}
		o.MedianOpenAgeDays = median(xs)
	}
	return by, nil
}

func newJudgeOverview(id string) *JudgeOverview {
	return &JudgeOverview{JudgeID: id, Applied: decimal.Zero, Recovered: decimal.Zero, MedianOpenAgeDays: decimal.Zero}
}

// caseSums returns each judge's case counts and sums.
func (s *Store) caseSums(ctx context.Context, court string) (map[string]*JudgeOverview, error) {
	by := map[string]*JudgeOverview{}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT judge_id, status, key_case, COUNT(*), SUM(applied), SUM(recovered), SUM(late_answers)
		FROM cases WHERE court = ? GROUP BY judge_id, status, key_case`), court)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: overview cases: %w", interpret(err))
	}
	defer rows.Close()
	for rows.Next() {
		var judge, status string
		var key bool
		var n, applied, recovered, late int64
		if err := rows.Scan(&judge, &status, &key, &n, &applied, &recovered, &late); err != nil {
			return nil, err
		}
		o, ok := by[judge]
		if !ok {
			o = newJudgeOverview(judge)
			by[judge] = o
		}
		if enforcement.Status(status) == enforcement.StatusClosed {
			o.Closed += int(n)
		} else {
			o.Open += int(n)
			if key {
				o.Key += int(n)
			}
		}
		if key {
			o.KeyAll += int(n)
		}
		o.LateAnswers += int(late)
		o.Applied = o.Applied.Add(decimal.New(applied, -2))
		o.Recovered = o.Recovered.Add(decimal.New(recovered, -2))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: overview cases: %w", interpret(err))
	}
	return by, nil
}

// openCaseAges returns the age in days on today of each judge's open cases.
// The median needs every open case's filing day; counted per judge and day
// from the covering index, so a court yields a few thousand rows, not a row
// per case.
func (s *Store) openCaseAges(ctx context.Context, court string, today deadline.Date) (map[string][]int, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT judge_id, filed_on, COUNT(*) FROM cases WHERE court = ? AND status <> ? GROUP BY judge_id, filed_on`), court, string(enforcement.StatusClosed))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: overview case ages: %w", interpret(err))
	}
	defer rows.Close()
	ages := map[string][]int{}
	for rows.Next() {
		var judge, filed string
		var n int
		if err := rows.Scan(&judge, &filed, &n); err != nil {
			return nil, err
		}
		d, err := deadline.ParseDate(filed)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: overview case ages: filed_on %q: %w", filed, err)
		}
		for range n {
			ages[judge] = append(ages[judge], today.Sub(d))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: overview case ages: %w", interpret(err))
	}
	return ages, nil
}

// median returns the median of xs to 1 place (the mean of the two middle
// values for an even count), and zero for none, as enforcement.Supervise
// does. It sorts xs.
func median(xs []int) decimal.Decimal {
	if len(xs) == 0 {
		return decimal.Zero
	}
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return decimal.NewFromInt(int64(xs[n/2]))
	}
	return decimal.NewFromInt(int64(xs[n/2-1]+xs[n/2])).DivRound(decimal.NewFromInt(2), 1)
}

// ApproachingUntil returns the first day that is no longer "approaching"
// seen from today: items due after today and before it have at most
// workdays working days left (see enforcement.LevelOf).
func ApproachingUntil(cal *deadline.Calendar, today deadline.Date, workdays int) (deadline.Date, error) {
	if workdays <= 0 {
		workdays = enforcement.DefaultApproachingWorkdays
	}
	return cal.AddWorkdays(today, workdays+1)
}
