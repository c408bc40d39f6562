package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// Outbox is the [notify.Outbox] in the same database as the cases, so that
// messages drafted for a change are written in its transaction (see
// [Store.Draft]).
type Outbox struct{ s *Store }

var (
	_ notify.Outbox       = (*Outbox)(nil)
	_ notify.LeaseRenewer = (*Outbox)(nil)
)

// Outbox returns the store's outbox.
func (s *Store) Outbox() *Outbox { return &Outbox{s: s} }

// DraftFunc drafts the messages for a change of case c with events; the
// store writes them to the outbox in the transaction that writes the change.
type DraftFunc func(c *enforcement.Case, events []enforcement.Event) ([]notify.Message, error)

// timeKey formats t as fixed-width UTC text that sorts as time does.
func timeKey(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

func dueAt(m *notify.Message) time.Time {
	if m.State == notify.StateSending {
		return m.LeaseUntil
	}
	if m.NextAttemptAt.After(m.NotBefore) {
		return m.NextAttemptAt
	}
	return m.NotBefore
}

func (s *Store) forUpdate() string {
	if s.dialect == Postgres {
		return " FOR UPDATE"
	}
	return "" // SQLite transactions are immediate: the writer lock is held
}

// putMessages inserts messages in tx, skipping idempotency keys already
// stored.
func (s *Store) putMessages(ctx context.Context, tx *sql.Tx, msgs []notify.Message) error {
	for i := range msgs {
		m := &msgs[i]
		if err := m.Validate(); err != nil {
			return err
		}
		doc, err := encodeMessage(m)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.q(`INSERT INTO outbox (id, idem_key, court, case_id, event_id, state, due_at, created_at, mobile, provider_id, doc)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idem_key) DO NOTHING`),
			m.ID, m.IdempotencyKey, m.Court, m.CaseID, m.EventID, string(m.State), timeKey(dueAt(m)), timeKey(m.CreatedAt), m.Recipient.Mobile, m.ProviderID, string(doc))
		if err != nil {
			if errors.Is(interpret(err), enforcement.ErrConflict) {
				return fmt.Errorf("message %s: id taken by another key: %w", m.ID, notify.ErrConflict)
			}
			return err
		}
		_ = res
	}
	return nil
}

func (s *Store) writeMessage(ctx context.Context, tx *sql.Tx, m *notify.Message) error {
	doc, err := encodeMessage(m)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, s.q(`UPDATE outbox SET state = ?, due_at = ?, provider_id = ?, mobile = ?, doc = ? WHERE id = ?`),
		string(m.State), timeKey(dueAt(m)), m.ProviderID, m.Recipient.Mobile, string(doc), m.ID)
	return err
}

func scanMessage(doc string) (notify.Message, error) {
	m, err := decodeMessage([]byte(doc))
	if err != nil {
		return m, fmt.Errorf("sqlstore: decode message: %w", err)
	}
	return m, nil
}

func (o *Outbox) get(ctx context.Context, tx *sql.Tx, id string) (notify.Message, error) {
	var doc string
	err := tx.QueryRowContext(ctx, o.s.q(`SELECT doc FROM outbox WHERE id = ?`+o.s.forUpdate()), id).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return notify.Message{}, fmt.Errorf("sqlstore: message %s: %w", id, notify.ErrNotFound)
	}
	if err != nil {
		return notify.Message{}, err
	}
	return scanMessage(doc)
}

// Put implements [notify.Outbox].
func (o *Outbox) Put(ctx context.Context, msgs ...notify.Message) error {
	err := o.s.inTx(ctx, func(tx *sql.Tx) error { return o.s.putMessages(ctx, tx, msgs) })
	if err != nil {
		return fmt.Errorf("sqlstore: put messages: %w", err)
	}
	return nil
}

// Claim implements [notify.Queue]. On PostgreSQL, rows are locked with FOR
// UPDATE SKIP LOCKED, so concurrent dispatchers claim disjoint messages; on
// SQLite the immediate transaction serialises claims.
func (o *Outbox) Claim(ctx context.Context, now time.Time, limit int, lease time.Duration) ([]notify.Message, error) {
	if limit <= 0 {
		limit = 100
	}
	lock := ""
	if o.s.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var out []notify.Message
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, o.s.q(`SELECT doc FROM outbox WHERE state IN ('queued', 'sending') AND due_at <= ? ORDER BY due_at, created_at, id LIMIT ?`+lock), timeKey(now), limit)
		if err != nil {
			return err
		}
		var msgs []notify.Message
		for rows.Next() {
			var doc string
			if err := rows.Scan(&doc); err != nil {
				rows.Close()
				return err
			}
			m, err := scanMessage(doc)
			if err != nil {
				rows.Close()
				return err
			}
			msgs = append(msgs, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range msgs {
			if !msgs[i].IsDue(now) {
				continue
			}
			if err := msgs[i].Claim(now, lease); err != nil {
				return err
			}
			if err := o.s.writeMessage(ctx, tx, &msgs[i]); err != nil {
				return err
			}
			out = append(out, msgs[i])
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: claim messages: %w", interpretOutbox(err))
	}
	if out == nil {
		out = []notify.Message{}
	}
	return out, nil
}

// Complete implements [notify.Queue].
func (o *Outbox) Complete(ctx context.Context, id, lease string, oc notify.SendResult) error {
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		// One round trip loads the message and says whether receipts came
		// before its send, so the common case reads no receipt rows.
		lock := ""
		if o.s.dialect == Postgres {
			lock = " FOR UPDATE OF o"
		}
		var doc string
		var kept bool
		err := tx.QueryRowContext(ctx, o.s.q(`SELECT o.doc, EXISTS (SELECT 1 FROM outbox_receipts r WHERE r.idem_key = o.idem_key OR (r.provider_id <> '' AND r.provider_id = ?))
			FROM outbox o WHERE o.id = ?`+lock), oc.Receipt.ProviderID, id).Scan(&doc, &kept)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("sqlstore: message %s: %w", id, notify.ErrNotFound)
		}
		if err != nil {
			return err
		}
		m, err := scanMessage(doc)
		if err != nil {
			return err
		}
		if err := m.ApplyOutcome(lease, oc); err != nil {
			return err
		}
		if oc.Kind == notify.ResultSent && kept {
			if err := o.applyKept(ctx, tx, &m); err != nil {
				return err
			}
		}
		return o.s.writeMessage(ctx, tx, &m)
	})
	if err != nil {
		return fmt.Errorf("sqlstore: complete message %s: %w", id, interpretOutbox(err))
	}
	return nil
}

// Renew implements [notify.LeaseRenewer]. The row is locked (PostgreSQL)
// or the writer lock held (SQLite) from the check to the write, so a
// concurrent Claim either sees the new expiry or has already taken the
// lease.
func (o *Outbox) Renew(ctx context.Context, id, lease string, until time.Time) error {
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		m, err := o.get(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := m.RenewLease(lease, until); err != nil {
			return err
		}
		return o.s.writeMessage(ctx, tx, &m)
	})
	if err != nil {
		return fmt.Errorf("sqlstore: renew lease of message %s: %w", id, interpretOutbox(err))
	}
	return nil
}

// applyKept applies and forgets the receipts that came before m was sent.
func (o *Outbox) applyKept(ctx context.Context, tx *sql.Tx, m *notify.Message) error {
	rows, err := tx.QueryContext(ctx, o.s.q(`SELECT id, doc FROM outbox_receipts WHERE (provider_id <> '' AND provider_id = ?) OR (idem_key <> '' AND idem_key = ?) ORDER BY id`), m.ProviderID, m.IdempotencyKey)
	if err != nil {
		return err
	}
	var ids []int64
	var rs []notify.DeliveryReceipt
	for rows.Next() {
		var id int64
		var doc string
		if err := rows.Scan(&id, &doc); err != nil {
			rows.Close()
			return err
		}
		r, err := decodeReceipt([]byte(doc))
		if err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
		rs = append(rs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i, r := range rs {
		if !r.Matches(m) {
			continue
		}
		m.ApplyReceipt(r)
		if _, err := tx.ExecContext(ctx, o.s.q(`DELETE FROM outbox_receipts WHERE id = ?`), ids[i]); err != nil {
			return err
		}
	}
	return nil
}

// Receipt implements [notify.Outbox].
func (o *Outbox) Receipt(ctx context.Context, r notify.DeliveryReceipt) (bool, error) {
	matched := false
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		matched = false
		var doc string
		var err error
		if r.ProviderID != "" {
			err = tx.QueryRowContext(ctx, o.s.q(`SELECT doc FROM outbox WHERE provider_id = ?`+o.s.forUpdate()), r.ProviderID).Scan(&doc)
		} else {
			err = tx.QueryRowContext(ctx, o.s.q(`SELECT doc FROM outbox WHERE idem_key = ? AND provider_id <> ''`+o.s.forUpdate()), r.Key).Scan(&doc)
		}
		switch {
		case errors.Is(err, sql.ErrNoRows):
			b, err := encodeReceipt(r)
			if err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, o.s.q(`INSERT INTO outbox_receipts (provider_id, idem_key, doc) VALUES (?, ?, ?) ON CONFLICT (doc) DO NOTHING`), r.ProviderID, r.Key, string(b))
			return err
		case err != nil:
			return err
		}
		m, err := scanMessage(doc)
		if err != nil {
			return err
		}
		matched = true
		if m.ApplyReceipt(r) {
			return o.s.writeMessage(ctx, tx, &m)
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("sqlstore: receipt: %w", interpretOutbox(err))
	}
	return matched, nil
}

// Get implements [notify.Outbox].
func (o *Outbox) Get(ctx context.Context, id string) (notify.Message, error) {
	var doc string
	err := o.s.db.QueryRowContext(ctx, o.s.q(`SELECT doc FROM outbox WHERE id = ?`), id).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return notify.Message{}, fmt.Errorf("sqlstore: message %s: %w", id, notify.ErrNotFound)
	}
	if err != nil {
		return notify.Message{}, fmt.Errorf("sqlstore: get message %s: %w", id, err)
	}
	return scanMessage(doc)
}

// List implements [notify.Outbox].
func (o *Outbox) List(ctx context.Context, f notify.Filter) ([]notify.Message, error) {
	var where []string
	var args []any
	add := func(cond string, v any) { where = append(where, cond); args = append(args, v) }
	if f.Court != "" {
		add("court = ?", f.Court)
	}
	if f.CaseID != "" {
		add("case_id = ?", f.CaseID)
	}
	if f.EventID != "" {
		add("event_id = ?", f.EventID)
	}
	if f.Mobile != "" {
		add("mobile = ?", f.Mobile)
	}
	if len(f.States) > 0 {
		ph := make([]string, len(f.States))
		for i, st := range f.States {
			ph[i] = "?"
			args = append(args, string(st))
		}
		where = append(where, "state IN ("+strings.Join(ph, ", ")+")")
	}
	query := `SELECT doc FROM outbox`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY created_at, id"
	if f.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := o.s.db.QueryContext(ctx, o.s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: list messages: %w", err)
	}
	defer rows.Close()
	out := []notify.Message{}
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		m, err := scanMessage(doc)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Update implements [notify.Outbox].
func (o *Outbox) Update(ctx context.Context, id string, fn func(*notify.Message) error) error {
	var fnErr error
	err := o.s.inTx(ctx, func(tx *sql.Tx) error {
		m, err := o.get(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := fn(&m); err != nil {
			fnErr = err
			return err
		}
		return o.s.writeMessage(ctx, tx, &m)
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("sqlstore: update message %s: %w", id, interpretOutbox(err))
	}
	return nil
}

// interpretOutbox maps driver errors for outbox callers: concurrency
// conflicts become notify.ErrConflict.
func interpretOutbox(err error) error {
	e := interpret(err)
	if errors.Is(e, enforcement.ErrConflict) && !errors.Is(e, notify.ErrConflict) {
		return fmt.Errorf("%w: %w", notify.ErrConflict, e)
	}
	return e
}
