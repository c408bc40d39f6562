package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Revision implements [enforcement.Revisions]: court's revision, raised in
// the transaction of every change that [Store.Create], [Store.Update],
// [Store.Import] and [Plans.Save] make to the court's cases, due items or
// plans, through this process or any other on the same database. It is one
// primary-key read (table court_revisions), cheap enough to check before
// serving a kept view; 0 before the court's first change.
func (s *Store) Revision(ctx context.Context, court string) (int64, error) {
	var rev int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT rev FROM court_revisions WHERE court = ?`), court).Scan(&rev)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("sqlstore: revision of %s: %w", court, interpret(err))
	}
	return rev, nil
}

// Touch raises court's revision without changing its cases: for a change
// made outside the store that views computed from the court's cases depend
// on, such as a new working-day calendar, so that every process keeping
// such views (and checking Revision) notices it.
func (s *Store) Touch(ctx context.Context, court string) error {
	if err := s.inTx(ctx, func(tx *sql.Tx) error { return s.bump(ctx, tx, court) }); err != nil {
		return fmt.Errorf("sqlstore: touch %s: %w", court, interpret(err))
	}
	return nil
}

// bump raises the revision of each court in tx. Callers run it as the last
// write of their transaction: on PostgreSQL it holds the court's row lock
// until commit, which orders the increments by commit (see the migration).
func (s *Store) bump(ctx context.Context, tx *sql.Tx, courts ...string) error {
	for _, c := range uniq(courts) {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO court_revisions (court, rev) VALUES (?, 1)`+s.sql.upsert("court", "rev = court_revisions.rev + 1")), c); err != nil {
			return fmt.Errorf("raise revision of %s: %w", c, err)
		}
	}
	return nil
}
