package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/courtkit/zhixing/enforcement"
)

// Import writes many new cases at once, in transactions of batch rows, with
// their due-item index and counts; events are not logged (use it to migrate existing
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
			counts := tallies{}
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
				r, err := dueRows(c, counts)
				if err != nil {
					return err
				}
				due = append(due, r...)
			}
			if err := s.insertRows(ctx, tx, "cases ("+caseColumns+")", rows); err != nil {
				return err
			}
			if err := s.insertRows(ctx, tx, "due_items ("+dueColumns+")", due); err != nil {
				return err
			}
			if err := s.applyTallies(ctx, tx, counts); err != nil {
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
