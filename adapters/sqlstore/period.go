package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// JudgePeriod is one judge's case figures for a period From..To
// (inclusive), as a court reports them upward: cases carried over (旧存),
// filed (新收), closed (已结, of which 终本) and pending at its end (未结).
type JudgePeriod struct {
	JudgeID string
	// CarriedOver counts the cases filed before From and not closed
	// before From; Filed those filed From..To.
	CarriedOver, Filed int
	// Closed counts the cases closed From..To, ZhongBen those of them
	// closed by 终结本次执行程序.
	Closed, ZhongBen int
	// Pending counts the cases filed by To and not closed by To.
	Pending int
	// Applied and Recovered sum the amounts applied for and recovered
	// (执行到位) of the cases closed in the period, in yuan.
	Applied, Recovered decimal.Decimal
}

// TallyPeriod returns each judge's figures for the period from..to of
// court, judges in ID order; a judge with no case filed by to is left out.
// It reads the index cases_court_period only, never a case document: one
// row per judge, whatever the number of cases.
func (s *Store) TallyPeriod(ctx context.Context, court string, from, to deadline.Date) ([]JudgePeriod, error) {
	if to.Before(from) {
		return nil, fmt.Errorf("sqlstore: tally period %s..%s: end before start", from, to)
	}
	f, t := from.String(), to.String()
	// closed_on is '' for a case not closed, which sorts before every date.
	const in = `closed_on >= ? AND closed_on <= ?`
	query := `SELECT judge_id,
		SUM(CASE WHEN filed_on < ? AND (closed_on = '' OR closed_on >= ?) THEN 1 ELSE 0 END),
		SUM(CASE WHEN filed_on >= ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN ` + in + ` THEN 1 ELSE 0 END),
		SUM(CASE WHEN ` + in + ` AND closure_mode = ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN closed_on = '' OR closed_on > ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN ` + in + ` THEN applied ELSE 0 END),
		SUM(CASE WHEN ` + in + ` THEN recovered ELSE 0 END)
		FROM cases WHERE court = ? AND filed_on <= ? GROUP BY judge_id ORDER BY judge_id`
	args := []any{f, f, f, f, t, f, t, string(enforcement.ClosureZhongBen), t, f, t, f, t, court, t}
	var out []JudgePeriod
	err := s.each(ctx, query, args, func(rows *sql.Rows) error {
		var p JudgePeriod
		var carried, filed, closed, zb, pending, applied, recovered int64
		if err := rows.Scan(&p.JudgeID, &carried, &filed, &closed, &zb, &pending, &applied, &recovered); err != nil {
			return err
		}
		p.CarriedOver, p.Filed, p.Closed, p.ZhongBen, p.Pending = int(carried), int(filed), int(closed), int(zb), int(pending)
		p.Applied, p.Recovered = decimal.New(applied, -2), decimal.New(recovered, -2)
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: tally period %s..%s: %w", from, to, err)
	}
	return out, nil
}

// PeriodCase is a case as the period lists show it, read from its
// columns.
type PeriodCase struct {
	ID, Number, JudgeID string
	Status              enforcement.Status
	FiledOn             deadline.Date
	// ClosedOn and Mode are set for a closed case.
	ClosedOn           deadline.Date
	Mode               enforcement.ClosureMode
	Applied, Recovered decimal.Decimal
}

// KeyCasesInPeriod lists the key cases (重点案件) of court pending at some
// time in from..to: filed by to and not closed before from, by case number.
func (s *Store) KeyCasesInPeriod(ctx context.Context, court string, from, to deadline.Date) ([]PeriodCase, error) {
	var out []PeriodCase
	err := s.each(ctx, `SELECT id, number, judge_id, status, filed_on, closed_on, closure_mode, applied, recovered FROM cases
		WHERE court = ? AND key_case = ? AND filed_on <= ? AND (closed_on = '' OR closed_on >= ?) ORDER BY number`,
		[]any{court, true, to.String(), from.String()}, func(rows *sql.Rows) error {
			var c PeriodCase
			var status, filed, closed, mode string
			var applied, recovered int64
			if err := rows.Scan(&c.ID, &c.Number, &c.JudgeID, &status, &filed, &closed, &mode, &applied, &recovered); err != nil {
				return err
			}
			var err error
			if c.FiledOn, err = deadline.ParseDate(filed); err != nil {
				return fmt.Errorf("case %s: filed_on %q: %w", c.ID, filed, err)
			}
			if closed != "" {
				if c.ClosedOn, err = deadline.ParseDate(closed); err != nil {
					return fmt.Errorf("case %s: closed_on %q: %w", c.ID, closed, err)
				}
			}
			c.Status, c.Mode = enforcement.Status(status), enforcement.ClosureMode(mode)
			c.Applied, c.Recovered = decimal.New(applied, -2), decimal.New(recovered, -2)
			out = append(out, c)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: key cases %s..%s: %w", from, to, err)
	}
	return out, nil
}
