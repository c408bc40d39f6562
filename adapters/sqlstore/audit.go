package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/courtkit/zhixing/enforcement"
)

// Audit is the audit log in table audit_log. The table is append-only in
// the database itself: triggers refuse UPDATE and DELETE (and, on
// PostgreSQL, TRUNCATE, with the privileges revoked from other roles).
type Audit struct{ s *Store }

var _ enforcement.AuditLog = (*Audit)(nil)

// Audit returns the store's audit log.
func (s *Store) Audit() *Audit { return &Audit{s: s} }

// Append implements [enforcement.AuditLog].
func (a *Audit) Append(ctx context.Context, entries ...enforcement.AuditEntry) error {
	var errs []error
	for _, e := range entries {
		errs = append(errs, e.Validate())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sqlstore: append audit: %w", err)
	}
	err := a.s.inTx(ctx, func(tx *sql.Tx) error {
		for _, e := range entries {
			_, err := tx.ExecContext(ctx, a.s.q(`INSERT INTO audit_log (at, court, user_id, user_name, role, addr, action, case_id, target, before_json, after_json, detail)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
				timeKey(e.At), e.Court, e.UserID, e.UserName, e.Role, e.Addr, e.Action, e.CaseID, e.Target, string(e.Before), string(e.After), e.Detail)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlstore: append audit: %w", interpret(err))
	}
	return nil
}

// List implements [enforcement.AuditLog].
func (a *Audit) List(ctx context.Context, f enforcement.AuditFilter) ([]enforcement.AuditEntry, error) {
	where := []string{"court = ?"}
	args := []any{f.Court}
	for _, c := range []struct{ col, v string }{{"user_id", f.UserID}, {"case_id", f.CaseID}, {"action", f.Action}} {
		if c.v != "" {
			where = append(where, c.col+" = ?")
			args = append(args, c.v)
		}
	}
	if !f.From.IsZero() {
		where, args = append(where, "at >= ?"), append(args, timeKey(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, "at < ?"), append(args, timeKey(f.To))
	}
	q := `SELECT seq, at, court, user_id, user_name, role, addr, action, case_id, target, before_json, after_json, detail
		FROM audit_log WHERE ` + strings.Join(where, " AND ") + ` ORDER BY seq DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	} else if f.Offset > 0 {
		q += a.s.sql.noLimit
	}
	if f.Offset > 0 {
		q += fmt.Sprintf(" OFFSET %d", f.Offset)
	}
	rows, err := a.s.db.QueryContext(ctx, a.s.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list audit: %w", interpret(err))
	}
	defer rows.Close()
	var out []enforcement.AuditEntry
	for rows.Next() {
		var e enforcement.AuditEntry
		var at, before, after string
		if err := rows.Scan(&e.Seq, &at, &e.Court, &e.UserID, &e.UserName, &e.Role, &e.Addr, &e.Action, &e.CaseID, &e.Target, &before, &after, &e.Detail); err != nil {
			return nil, fmt.Errorf("sqlstore: list audit: %w", err)
		}
		t, err := time.Parse(time.RFC3339Nano, at)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: audit entry %d: at: %w", e.Seq, err)
		}
		e.At = t
		if before != "" {
			e.Before = json.RawMessage(before)
		}
		if after != "" {
			e.After = json.RawMessage(after)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: list audit: %w", err)
	}
	return out, nil
}
