package desk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// DueMove is a due date of a judge's case that a calendar change (a
// holiday notice loaded, a closure day entered or removed) moved or made
// definite. It is kept (table server_due_moves) until the judge is told in
// the next daily digest, and the judge's week page lists the recent ones.
type DueMove struct {
	CaseID, Number, JudgeID, DueID, Title string
	From, To                              deadline.Date
	// Definite is set when From was provisional and To is definite.
	Definite bool
	// Provisional is set when To is still provisional.
	Provisional bool
	CreatedAt   time.Time
	// ToldAt is when the digest that tells the judge was queued; nil until
	// then, and for good for a judge without a mobile number.
	ToldAt *time.Time

	seq   int64  // the calendar change (server_calendar.seq)
	court string // the court of the move's case
}

// recentMoves is how long a move stays on the judge's week page.
const recentMoves = 30 * 24 * time.Hour

// digestMove is m as the digest lists it.
func (m DueMove) digestMove() notify.DigestMove {
	return notify.DigestMove{CaseNo: m.Number, Title: m.Title, From: m.From, To: m.To, Definite: m.Definite, Provisional: m.Provisional}
}

// inForce reports whether m is the item's state in case c: the item is
// open and its computed date is m's new date. A move whose case update
// failed, or that a later change superseded, is not.
func (m DueMove) inForce(c *enforcement.Case) bool {
	item, ok := c.Due(m.DueID)
	return ok && item.IsOpen() && item.Computed == m.To
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// recordMoves keeps moves of case c made by calendar change seq; after is
// c with the moves applied. A move already kept is left as it is, so
// recording the same moves again (before and after the case update, or on
// a retried change) keeps one row each.
func (d *Desk) recordMoves(ctx context.Context, seq int64, after *enforcement.Case, moves []enforcement.Move) error {
	now := d.Now().Unix()
	for _, m := range moves {
		item, _ := after.Due(m.DueID)
		if _, err := d.DB.Exec(ctx, `INSERT INTO server_due_moves (court, calendar_seq, case_id, item_id, judge_id, case_number, title,
			from_date, to_date, definite, provisional, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			after.Court, seq, after.ID, m.DueID, after.JudgeID, after.Number.String(), m.Title, m.Old.String(), m.New.String(),
			boolInt(m.Definite), boolInt(item.Provisional && !item.IsOverridden()), now); err != nil {
			return fmt.Errorf("record due moves of case %s: %w", after.ID, err)
		}
	}
	return nil
}

// recordPlannedMoves keeps the moves that recalculating c on the new
// calendar will make, before the case update applies them, so that a
// crash between the two loses none; a move whose update then fails is
// never in force and is dropped when read (see DueMove.inForce).
func (d *Desk) recordPlannedMoves(ctx context.Context, seq int64, c *enforcement.Case, next *deadline.Calendar, reason string) error {
	rules, prov := d.RulesOf(c.Court)
	moves, err := enforcement.Recalculate(c, rules, next, prov, reason)
	if err != nil || len(moves) == 0 {
		return err
	}
	after := c.Clone()
	if _, err := after.ApplyMoves(moves, "calendar", d.Now()); err != nil {
		return err
	}
	return d.recordMoves(ctx, seq, after, moves)
}

const moveColumns = `calendar_seq, case_id, item_id, judge_id, case_number, title, from_date, to_date, definite, provisional, created_at, told_at`

// queryMoves reads the moves of court that match where (with ?-args),
// oldest first.
func (d *Desk) queryMoves(ctx context.Context, court, where string, args ...any) ([]DueMove, error) {
	rows, err := d.DB.Query(ctx, `SELECT `+moveColumns+` FROM server_due_moves WHERE court = ? AND `+where+
		` ORDER BY created_at, case_number, item_id, calendar_seq`, append([]any{court}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("read due moves: %w", err)
	}
	defer rows.Close()
	var out []DueMove
	for rows.Next() {
		m := DueMove{court: court}
		var from, to string
		var definite, provisional int
		var created int64
		var told sql.NullInt64
		if err := rows.Scan(&m.seq, &m.CaseID, &m.DueID, &m.JudgeID, &m.Number, &m.Title, &from, &to, &definite, &provisional, &created, &told); err != nil {
			return nil, err
		}
		if m.From, err = deadline.ParseDate(from); err != nil {
			return nil, fmt.Errorf("due move %s/%s: %w", m.CaseID, m.DueID, err)
		}
		if m.To, err = deadline.ParseDate(to); err != nil {
			return nil, fmt.Errorf("due move %s/%s: %w", m.CaseID, m.DueID, err)
		}
		m.Definite, m.Provisional = definite != 0, provisional != 0
		m.CreatedAt = time.Unix(created, 0).In(deadline.China)
		if told.Valid {
			at := time.Unix(told.Int64, 0).In(deadline.China)
			m.ToldAt = &at
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// UntoldMoves returns the moves of court's cases not yet told, in force,
// by the judge of their case. Moves no longer in force (their case update
// failed, or a later change superseded them) are forgotten.
func (d *Desk) UntoldMoves(ctx context.Context, court string) (map[string][]DueMove, error) {
	ms, err := d.queryMoves(ctx, court, `told_at IS NULL`)
	if err != nil || len(ms) == 0 {
		return nil, err
	}
	cases := map[string]*enforcement.Case{}
	out := map[string][]DueMove{}
	for _, m := range ms {
		c, ok := cases[m.CaseID]
		if !ok {
			if c, err = d.Store.Get(ctx, m.CaseID); err != nil && !errors.Is(err, enforcement.ErrNotFound) {
				return nil, err
			}
			cases[m.CaseID] = c
		}
		if c == nil || !m.inForce(c) {
			if _, err := d.DB.Exec(ctx, `DELETE FROM server_due_moves WHERE court = ? AND calendar_seq = ? AND case_id = ? AND item_id = ? AND told_at IS NULL`,
				court, m.seq, m.CaseID, m.DueID); err != nil {
				return nil, err
			}
			continue
		}
		m.JudgeID = c.JudgeID
		out[m.JudgeID] = append(out[m.JudgeID], m)
	}
	return out, nil
}

// DigestMoves lists ms for the digest, one per item (a move recorded twice,
// before and after its case update of a retried change, is told once).
func DigestMoves(ms []DueMove) []notify.DigestMove {
	var out []notify.DigestMove
	seen := map[string]bool{}
	for _, m := range ms {
		if k := m.CaseID + "\x00" + m.DueID; !seen[k] {
			seen[k] = true
			out = append(out, m.digestMove())
		}
	}
	return out
}

// MarkMovesTold records that ms were told at at, in a digest queued in the
// outbox.
func (d *Desk) MarkMovesTold(ctx context.Context, ms []DueMove, at time.Time) error {
	for _, m := range ms {
		if _, err := d.DB.Exec(ctx, `UPDATE server_due_moves SET told_at = ? WHERE court = ? AND calendar_seq = ? AND case_id = ? AND item_id = ? AND told_at IS NULL`,
			at.Unix(), m.court, m.seq, m.CaseID, m.DueID); err != nil {
			return fmt.Errorf("mark due moves told: %w", err)
		}
	}
	return nil
}

// MovesToldOn reports whether judge of court was told of moves on day,
// that is, got the day's digest with its moves.
func (d *Desk) MovesToldOn(ctx context.Context, court, judge string, day deadline.Date) (bool, error) {
	var n int
	err := d.DB.QueryRow(ctx, `SELECT COUNT(*) FROM server_due_moves WHERE court = ? AND judge_id = ? AND told_at >= ? AND told_at < ?`,
		court, judge, day.Start().Unix(), day.AddDays(1).Start().Unix()).Scan(&n)
	return n > 0, err
}

// JudgeMoves returns judge's due dates moved by calendar changes in the
// last 30 days, and those not yet told, that are still in force, newest
// first. A judge sees their own; the chief anyone's.
func (d *Desk) JudgeMoves(ctx context.Context, p *Principal, judge string) ([]DueMove, error) {
	if err := d.CheckJudge(p, judge); err != nil {
		return nil, err
	}
	court := d.CourtFor(p)
	ms, err := d.queryMoves(ctx, court, `(created_at >= ? OR told_at IS NULL)`, d.Now().Add(-recentMoves).Unix())
	if err != nil || len(ms) == 0 {
		return []DueMove{}, err
	}
	cs, err := d.Store.Find(ctx, enforcement.CaseFilter{Court: court, JudgeID: judge})
	if err != nil {
		return nil, err
	}
	byID := map[string]*enforcement.Case{}
	for _, c := range cs {
		byID[c.ID] = c
	}
	out := []DueMove{}
	seen := map[string]bool{}
	for _, m := range slices.Backward(ms) {
		c, ok := byID[m.CaseID]
		k := m.CaseID + "\x00" + m.DueID
		if !ok || seen[k] || !m.inForce(c) {
			continue
		}
		seen[k] = true
		m.JudgeID = c.JudgeID
		out = append(out, m)
	}
	return out, nil
}

// Text describes the move in Chinese for a page, e.g. 改为 2027-02-09（原暂定
// 2027-02-06）.
func (m DueMove) Text() string {
	var b strings.Builder
	switch {
	case m.Definite && m.From == m.To:
		fmt.Fprintf(&b, "%s 已确定（原为暂定）", m.To)
	case m.Definite:
		fmt.Fprintf(&b, "改为 %s（原暂定 %s）", m.To, m.From)
	case m.Provisional:
		fmt.Fprintf(&b, "改为 %s（暂定；原 %s）", m.To, m.From)
	default:
		fmt.Fprintf(&b, "改为 %s（原 %s）", m.To, m.From)
	}
	return b.String()
}
