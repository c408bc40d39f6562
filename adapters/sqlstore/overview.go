package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

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
