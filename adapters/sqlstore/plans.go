package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/planning"
)

// Plans implements [planning.PlanStore] on a [Store]'s database, in the
// plans table: one JSON document per judge and ISO week, with the court and
// week beside it for the chief's listing (index plans_court_week).
type Plans struct {
	s *Store
}

var _ planning.PlanStore = (*Plans)(nil)

// Plans returns the plan store on s's database. It shares s's connections
// and is closed with s.
func (s *Store) Plans() *Plans { return &Plans{s: s} }

// Get implements [planning.PlanStore].
func (p *Plans) Get(ctx context.Context, judgeID string, w planning.Week) (*planning.Plan, error) {
	var doc string
	var version int64
	err := p.s.db.QueryRowContext(ctx, p.s.q(`SELECT doc, version FROM plans WHERE judge_id = ? AND week = ?`), judgeID, w.String()).Scan(&doc, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlstore: plan %s: %w", planning.PlanID(judgeID, w), enforcement.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: get plan %s: %w", planning.PlanID(judgeID, w), interpret(err))
	}
	return decodePlan(doc, version)
}

func decodePlan(doc string, version int64) (*planning.Plan, error) {
	pl, err := decodePlanDoc([]byte(doc))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: decode plan: %w", err)
	}
	pl.Version = version
	return pl, nil
}

// Save implements [planning.PlanStore]. A new plan (expectedVersion 0) is
// inserted, so a concurrent first save loses on the primary key; an update
// succeeds only if the row still has expectedVersion. Either raises the
// court's revision ([Store.Revision]) in the same transaction.
func (p *Plans) Save(ctx context.Context, pl *planning.Plan, expectedVersion int64) error {
	if err := pl.Validate(); err != nil {
		return fmt.Errorf("sqlstore: save plan %s: %w", pl.ID, err)
	}
	c := pl.Clone()
	c.Version = expectedVersion + 1
	b, err := encodePlan(c)
	if err != nil {
		return fmt.Errorf("sqlstore: encode plan %s: %w", pl.ID, err)
	}
	now := p.s.now().UTC().Format(time.RFC3339Nano)
	err = p.s.inTx(ctx, func(tx *sql.Tx) error {
		courts := []string{c.Court}
		if expectedVersion == 0 {
			_, err := tx.ExecContext(ctx, p.s.q(`INSERT INTO plans (judge_id, week, court, version, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?)`),
				c.JudgeID, c.Week.String(), c.Court, c.Version, now, string(b))
			if err != nil {
				return err
			}
			return p.s.bump(ctx, tx, courts...)
		}
		var was string
		err := tx.QueryRowContext(ctx, p.s.q(`SELECT court FROM plans WHERE judge_id = ? AND week = ?`), c.JudgeID, c.Week.String()).Scan(&was)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		res, err := tx.ExecContext(ctx, p.s.q(`UPDATE plans SET court = ?, version = ?, updated_at = ?, doc = ? WHERE judge_id = ? AND week = ? AND version = ?`),
			c.Court, c.Version, now, string(b), c.JudgeID, c.Week.String(), expectedVersion)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return fmt.Errorf("version %d changed or plan missing: %w", expectedVersion, enforcement.ErrConflict)
		}
		// A plan moved to another court changes the views of both.
		return p.s.bump(ctx, tx, append(courts, was)...)
	})
	if err != nil {
		return fmt.Errorf("sqlstore: save plan %s: %w", pl.ID, interpret(err))
	}
	pl.Version = c.Version
	return nil
}

// ListWeek implements [planning.PlanStore].
func (p *Plans) ListWeek(ctx context.Context, court string, w planning.Week) ([]*planning.Plan, error) {
	query := `SELECT doc, version FROM plans WHERE week = ?`
	args := []any{w.String()}
	if court != "" {
		query = `SELECT doc, version FROM plans WHERE court = ? AND week = ?`
		args = []any{court, w.String()}
	}
	rows, err := p.s.db.QueryContext(ctx, p.s.q(query+` ORDER BY judge_id, court`), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list plans of %s: %w", w, interpret(err))
	}
	defer rows.Close()
	out := []*planning.Plan{}
	for rows.Next() {
		var doc string
		var version int64
		if err := rows.Scan(&doc, &version); err != nil {
			return nil, fmt.Errorf("sqlstore: list plans of %s: %w", w, err)
		}
		pl, err := decodePlan(doc, version)
		if err != nil {
			return nil, err
		}
		out = append(out, pl)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: list plans of %s: %w", w, interpret(err))
	}
	return out, nil
}
