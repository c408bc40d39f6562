package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/courtkit/zhixing/enforcement"
)

// ImportBatched is the import before Import wrote in one transaction with
// COPY, kept as the import benchmark's baseline: transactions of 200 cases,
// multi-row INSERTs built for each.
func (s *Store) ImportBatched(ctx context.Context, cases []*enforcement.Case) error {
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
