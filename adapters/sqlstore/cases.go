package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

func encodeCase(c *enforcement.Case) (string, error) {
	b, err := MarshalCase(c)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

func decodeCase(s string) (*enforcement.Case, error) { return UnmarshalCase([]byte(s)) }

// Create implements [enforcement.CaseStore].
func (s *Store) Create(ctx context.Context, c *enforcement.Case, events []enforcement.Event) error {
	c.Version = 1
	doc, err := encodeCase(c)
	if err != nil {
		return err
	}
	row, err := caseRow(c, s.now().UTC().Format(time.RFC3339Nano), doc)
	if err != nil {
		c.Version = 0
		return err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO cases (`+caseColumns+`) VALUES (`+placeholders(len(row))+`)`), row...)
		if err != nil {
			return err
		}
		if err := s.writeDue(ctx, tx, c, tallies{}); err != nil {
			return err
		}
		figures := caseTallies{}
		figures.addCase(c, 1)
		if err := s.applyCaseTallies(ctx, tx, figures); err != nil {
			return err
		}
		if _, err = s.writeEvents(ctx, tx, events); err != nil {
			return err
		}
		if err := s.draft(ctx, tx, c, events); err != nil {
			return err
		}
		return s.bump(ctx, tx, c.Court)
	})
	if err != nil {
		c.Version = 0
		return fmt.Errorf("sqlstore: create case %s: %w", c.ID, interpret(err))
	}
	return nil
}

// Get implements [enforcement.CaseStore].
func (s *Store) Get(ctx context.Context, id string) (*enforcement.Case, error) {
	c, _, err := s.get(ctx, s.db, id)
	return c, err
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Store) get(ctx context.Context, q querier, id string) (*enforcement.Case, int64, error) {
	var doc string
	var version int64
	err := q.QueryRowContext(ctx, s.q(`SELECT doc, version FROM cases WHERE id = ?`), id).Scan(&doc, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, fmt.Errorf("sqlstore: case %s: %w", id, enforcement.ErrNotFound)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("sqlstore: get case %s: %w", id, interpret(err))
	}
	c, err := decodeCase(doc)
	if err != nil {
		return nil, 0, err
	}
	c.Version = version
	return c, version, nil
}

// Update implements [enforcement.CaseStore]. The case is read and written in
// one transaction; the write succeeds only if the version is unchanged.
func (s *Store) Update(ctx context.Context, id string, fn enforcement.UpdateFunc) (*enforcement.Case, []enforcement.Event, error) {
	var out *enforcement.Case
	var stored []enforcement.Event
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		c, version, err := s.get(ctx, tx, id)
		if err != nil {
			return err
		}
		court := c.Court
		figures := caseTallies{}
		figures.addCase(c, -1)
		events, err := fn(c)
		if err != nil {
			return err
		}
		if c.ID != id {
			return fmt.Errorf("update function changed the case ID: %w", enforcement.ErrConflict)
		}
		c.Version = version + 1
		doc, err := encodeCase(c)
		if err != nil {
			return err
		}
		row, err := caseRow(c, s.now().UTC().Format(time.RFC3339Nano), doc)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.q(`UPDATE cases SET `+caseAssignments+` WHERE id = ? AND version = ?`),
			append(row, id, version)...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return fmt.Errorf("version %d changed: %w", version, enforcement.ErrConflict)
		}
		counts := tallies{}
		if err := s.removeStored(ctx, tx, counts, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM due_items WHERE case_id = ?`), id); err != nil {
			return err
		}
		if err := s.writeDue(ctx, tx, c, counts); err != nil {
			return err
		}
		figures.addCase(c, 1)
		if err := s.applyCaseTallies(ctx, tx, figures); err != nil {
			return err
		}
		stored, err = s.writeEvents(ctx, tx, events)
		if err != nil {
			return err
		}
		out = c
		if err := s.draft(ctx, tx, c, stored); err != nil {
			return err
		}
		return s.bump(ctx, tx, court, c.Court)
	})
	if err != nil {
		var ve *enforcement.ValidationError
		if errors.As(err, &ve) || errors.Is(err, enforcement.ErrNotAllowed) || errors.Is(err, enforcement.ErrNotFound) {
			return nil, nil, err
		}
		return nil, nil, fmt.Errorf("sqlstore: update case %s: %w", id, interpret(err))
	}
	return out, stored, nil
}

// writeDue writes the due-item rows of case c and its items' counts, with
// the changes already in counts (the rows it replaces).
func (s *Store) writeDue(ctx context.Context, tx *sql.Tx, c *enforcement.Case, counts tallies) error {
	rows, err := dueRows(c, counts)
	if err != nil {
		return err
	}
	if err := s.insertRows(ctx, tx, "due_items ("+dueColumns+")", rows); err != nil {
		return err
	}
	return s.applyTallies(ctx, tx, counts)
}

// dueRows returns the due-item rows of case c, and adds its open items to
// counts: every writer of due_items goes through it (the import through
// importDueRows, which does the same), so the rows and the counts agree.
func dueRows(c *enforcement.Case, counts tallies) ([][]any, error) {
	rows := make([][]any, 0, len(c.DueItems))
	for i, d := range c.DueItems {
		r, err := dueRow(c, i, d)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	counts.addCase(c, 1)
	return rows, nil
}

// caseColumns are the columns of a case row, in the order of caseRow.
const caseColumns = "id, court, number, judge_id, status, key_case, filed_on, version, applied, recovered, open_requests, late_answers, orders, open_solicitations, sup_doc, updated_at, doc" +
	", next_due, search_text, closed_on, closure_mode"

// caseAssignments sets every column of caseColumns to a placeholder, in
// its order: "id = ?, court = ?, …" (MariaDB has no SET (a, b) = (…)).
var caseAssignments = strings.Join(strings.Split(caseColumns, ", "), " = ?, ") + " = ?"

// caseRow returns the values of c's row: the document and the columns the
// queries filter and sum on.
func caseRow(c *enforcement.Case, stamp, doc string) ([]any, error) {
	sup, err := encodeSup(c)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: encode case %s: %w", c.ID, err)
	}
	open, awaiting := unanswered(c.Requests), 0
	late := lateAnswers(c)
	for _, s := range c.Solicitations {
		if s.Answer == nil {
			awaiting++
		}
	}
	closedOn, mode := "", ""
	if c.Status == enforcement.StatusClosed && c.Closure != nil {
		closedOn, mode = c.Closure.On.String(), string(c.Closure.Mode)
	}
	return []any{c.ID, c.Court, c.Number.String(), c.JudgeID, string(c.Status), c.Key, c.FiledOn.String(), c.Version,
		fen(c.AmountApplied), fen(c.AmountRecovered), open, late, len(c.Orders), awaiting, sup, stamp, doc,
		nextDue(c), c.SearchText(), closedOn, mode}, nil
}

// dueColumns are the columns of a due-item row, in the order of dueRow.
const dueColumns = "case_id, due_id, court, judge_id, key_case, is_open, is_right, due_on, pos, owner, title, warn_on, doc, head, number, brief"

// dueRow returns the index row of due item d, at place pos in case c's
// list.
func dueRow(c *enforcement.Case, pos int, d enforcement.DueItem) ([]any, error) {
	b, err := encodeDue(d)
	if err != nil {
		return nil, err
	}
	h, err := encodeHead(d)
	if err != nil {
		return nil, err
	}
	br, err := encodeBrief(d)
	if err != nil {
		return nil, err
	}
	return dueRowOf(c, pos, d, string(b), string(br), string(h)), nil
}

// dueRowOf returns the index row of due item d, at place pos in case c's
// list, with its document, brief and head encoded already. warn_on is the
// earliest reminder date, NULL without one.
func dueRowOf(c *enforcement.Case, pos int, d enforcement.DueItem, doc, brief, head string) []any {
	var warn any
	var first deadline.Date
	for i, w := range d.Warnings {
		if i == 0 || w.Before(first) {
			first = w
		}
	}
	if len(d.Warnings) > 0 {
		warn = first.String()
	}
	return []any{c.ID, d.ID, c.Court, c.JudgeID, c.Key, d.IsOpen(), d.IsRight(), d.Due().String(), pos, d.Owner, d.Title, warn, doc, head, c.Number.String(), brief}
}

// fillBriefs is the Go part of migration 0018: it writes the brief of
// every open due item written before it, from the item's document, so
// that the reminders, which list open items only, read briefs at once
// instead of as their cases are next written. Closed items keep none and
// are read from their document. A document that does not decode is left
// without a brief, to fail where it is read, as it did before the step.
// The items are read by key, 1,000 at a time, each batch from where the
// last ended (case_id >= ? leads, so every dialect reads a range of the
// key).
func fillBriefs(ctx context.Context, tx *sql.Tx, ds *dialectSQL) error {
	const batch = 1000
	type fill struct{ caseID, dueID, brief string }
	var afterCase, afterDue string
	for {
		rows, err := tx.QueryContext(ctx, ds.rebind(`SELECT case_id, due_id, doc FROM due_items
			WHERE case_id >= ? AND (case_id > ? OR due_id > ?) AND is_open = ? AND brief IS NULL
			ORDER BY case_id, due_id LIMIT `+strconv.Itoa(batch)), afterCase, afterCase, afterDue, true)
		if err != nil {
			return fmt.Errorf("write briefs: %w", err)
		}
		var fills []fill
		n := 0
		for rows.Next() {
			var f fill
			var doc sql.RawBytes
			if err := rows.Scan(&f.caseID, &f.dueID, &doc); err != nil {
				rows.Close()
				return fmt.Errorf("write briefs: %w", err)
			}
			n++
			afterCase, afterDue = f.caseID, f.dueID
			x, err := decodeDue(doc)
			if err != nil {
				continue
			}
			b, err := encodeBrief(x)
			if err != nil {
				continue
			}
			f.brief = string(b)
			fills = append(fills, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("write briefs: %w", err)
		}
		if len(fills) > 0 {
			args := make([]any, 0, 3*len(fills))
			for _, f := range fills {
				args = append(args, f.caseID, f.dueID, f.brief)
			}
			if _, err := tx.ExecContext(ctx, ds.rebind(setBriefs(ds, len(fills))), args...); err != nil {
				return fmt.Errorf("write briefs: %w", err)
			}
		}
		if n < batch {
			return nil
		}
	}
}

// setBriefs returns the statement that sets the brief of n due items in
// one round trip, its arguments each item's case ID, due ID and brief.
func setBriefs(ds *dialectSQL, n int) string {
	if ds.name == "mysql" {
		rows := "SELECT ? AS c, ? AS i, ? AS b" + strings.Repeat(" UNION ALL SELECT ?, ?, ?", n-1)
		return `UPDATE due_items d JOIN (` + rows + `) v ON d.case_id = v.c AND d.due_id = v.i SET d.brief = v.b`
	}
	rows := "(?, ?, ?)" + strings.Repeat(", (?, ?, ?)", n-1)
	return `UPDATE due_items SET brief = v.b FROM (SELECT column1 AS c, column2 AS i, column3 AS b FROM (VALUES ` + rows + `) AS x) AS v
		WHERE due_items.case_id = v.c AND due_items.due_id = v.i`
}

// placeholders returns n comma-separated placeholders.
func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// writeEvents appends events to the log, skipping IDs already there, and
// returns the ones written with their sequence numbers.
func (s *Store) writeEvents(ctx context.Context, tx *sql.Tx, events []enforcement.Event) ([]enforcement.Event, error) {
	if len(events) == 0 {
		return nil, nil
	}
	// PostgreSQL and MariaDB hand out sequence numbers before commit, so
	// without this lock a change could commit seq 11 while another's seq
	// 10 is still open, and a reader of the log that has passed 11 would
	// never see 10. Held until commit, the lock makes Seq order commit
	// order (the enforcement.EventLog contract). SQLite writes one
	// transaction at a time already.
	if s.sql.lockEvents != "" {
		if _, err := tx.ExecContext(ctx, s.sql.lockEvents); err != nil {
			return nil, fmt.Errorf("lock event log: %w", err)
		}
	}
	var out []enforcement.Event
	for _, e := range events {
		e.Seq = 0
		b, err := encodeEvent(e)
		if err != nil {
			return nil, err
		}
		seq, ok, err := s.insertEvent(ctx, tx, e, b)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue // already logged
		}
		e.Seq = seq
		out = append(out, e)
	}
	return out, nil
}

// insertEvent logs e (its document b) unless its ID is logged already, and
// returns its sequence number and whether it was logged now.
func (s *Store) insertEvent(ctx context.Context, tx *sql.Tx, e enforcement.Event, b []byte) (int64, bool, error) {
	const insert = `INSERT INTO events (id, case_id, court, kind, at, doc) VALUES (?, ?, ?, ?, ?, ?)`
	args := []any{e.ID, e.CaseID, e.Court, string(e.Kind), e.At.UTC().Format(time.RFC3339Nano), string(b)}
	if s.sql.returning && s.sql.onConflictDoNothing {
		var seq int64
		err := tx.QueryRowContext(ctx, s.q(insert+` ON CONFLICT (id) DO NOTHING RETURNING seq`), args...).Scan(&seq)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, false, nil
		}
		return seq, err == nil, err
	}
	res, ok, err := s.insertOrSkip(ctx, tx, insert, "id", args, `SELECT COUNT(*) FROM events WHERE id = ?`, e.ID)
	if err != nil || !ok {
		return 0, false, err
	}
	seq, err := res.LastInsertId()
	return seq, err == nil, err
}

// draft writes the messages for a change in its transaction. Only events
// newly logged are drafted, so retrying a change drafts nothing twice.
func (s *Store) draft(ctx context.Context, tx *sql.Tx, c *enforcement.Case, events []enforcement.Event) error {
	if s.Draft == nil || len(events) == 0 {
		return nil
	}
	msgs, err := s.Draft(c, events)
	if err != nil {
		return fmt.Errorf("draft messages: %w", err)
	}
	return s.putMessages(ctx, tx, msgs)
}

// Find implements [enforcement.CaseStore].
func (s *Store) Find(ctx context.Context, f enforcement.CaseFilter) ([]*enforcement.Case, error) {
	var where []string
	var args []any
	add := func(cond string, v any) { where = append(where, cond); args = append(args, v) }
	if f.Court != "" {
		add("court = ?", f.Court)
	}
	if f.JudgeID != "" {
		add("judge_id = ?", f.JudgeID)
	}
	if f.Status != "" {
		add("status = ?", string(f.Status))
	}
	if f.Key != nil {
		add("key_case = ?", *f.Key)
	}
	if f.Number != "" {
		add("number = ?", f.Number)
	}
	if f.OpenRequests {
		add("open_requests > ?", 0)
	}
	if f.HasOrders {
		add("orders > ?", 0)
	}
	if f.OpenSolicitations {
		add("open_solicitations > ?", 0)
	}
	query := `SELECT doc, version FROM cases`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY filed_on, id" + s.paging(f.Limit, f.Offset)
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: find cases: %w", interpret(err))
	}
	defer rows.Close()
	var out []*enforcement.Case
	for rows.Next() {
		var doc string
		var version int64
		if err := rows.Scan(&doc, &version); err != nil {
			return nil, fmt.Errorf("sqlstore: find cases: %w", err)
		}
		c, err := decodeCase(doc)
		if err != nil {
			return nil, err
		}
		c.Version = version
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlstore: find cases: %w", interpret(err))
	}
	return out, nil
}

// EventsAfter implements [enforcement.EventLog].
func (s *Store) EventsAfter(ctx context.Context, after int64, limit int) ([]enforcement.Event, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT seq, doc FROM events WHERE seq > ? ORDER BY seq LIMIT ?`), after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: events after %d: %w", after, interpret(err))
	}
	defer rows.Close()
	var out []enforcement.Event
	for rows.Next() {
		var seq int64
		var doc string
		if err := rows.Scan(&seq, &doc); err != nil {
			return nil, err
		}
		e, err := decodeEvent([]byte(doc))
		if err != nil {
			return nil, fmt.Errorf("sqlstore: decode event %d: %w", seq, err)
		}
		e.Seq = seq
		out = append(out, e)
	}
	return out, rows.Err()
}

// dueWhere returns the condition on due_items d of filter f (all but its
// Limit and Brief), with its arguments.
func dueWhere(f enforcement.DueFilter) (string, []any) {
	query := `d.court = ?`
	args := []any{f.Court}
	if f.JudgeID != "" {
		query += ` AND d.judge_id = ?`
		args = append(args, f.JudgeID)
	}
	if f.OpenOnly {
		query += ` AND d.is_open = ?`
		args = append(args, true)
	}
	switch {
	case !f.DueBefore.IsZero() && !f.WarnedBy.IsZero():
		query += ` AND (d.due_on <= ? OR d.warn_on <= ?)`
		args = append(args, f.DueBefore.String(), f.WarnedBy.String())
	case !f.DueBefore.IsZero():
		query += ` AND d.due_on <= ?`
		args = append(args, f.DueBefore.String())
	}
	if !f.DueFrom.IsZero() {
		query += ` AND d.due_on >= ?`
		args = append(args, f.DueFrom.String())
	}
	return query, args
}

// TallyDueItems counts the due items matching f (all but its Limit and
// Brief) per date in force, owner and kind, as TallyDue does, without
// reading them: a judge's reminders count the items they do not list.
func (s *Store) TallyDueItems(ctx context.Context, f enforcement.DueFilter) ([]enforcement.DueTally, error) {
	where, args := dueWhere(f)
	out, err := s.judgeTallies(ctx, f.JudgeID, `SELECT d.due_on, d.owner, d.is_right, COUNT(*) FROM due_items d WHERE `+where+` GROUP BY d.due_on, d.owner, d.is_right`, args)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: tally due items: %w", err)
	}
	return out, nil
}

// judgeTallies runs query, whose rows are a due date, an owner, a kind and
// a count, and returns them as tallies of judge.
func (s *Store) judgeTallies(ctx context.Context, judge, query string, args []any) ([]enforcement.DueTally, error) {
	var out []enforcement.DueTally
	err := s.each(ctx, query, args, func(rows *sql.Rows) error {
		var due string
		t := enforcement.DueTally{JudgeID: judge}
		var n int64
		if err := rows.Scan(&due, &t.Owner, &t.Right, &n); err != nil {
			return err
		}
		d, err := dueDate(due)
		if err != nil {
			return err
		}
		t.Due, t.N = d, int(n)
		out = append(out, t)
		return nil
	})
	return out, err
}

// DueItems implements [enforcement.DueIndex], reading the due-item index
// (due_items_court_open / due_items_court_judge_open); the reminder dates
// of WarnedBy are read from its warn_on column, the earliest of the item's
// Warnings.
func (s *Store) DueItems(ctx context.Context, f enforcement.DueFilter) ([]enforcement.DueRef, error) {
	where, args := dueWhere(f)
	read := "d.doc"
	if f.Brief {
		read = "COALESCE(d.brief, d.doc)" // closed items written before migration 0018 have no brief
	}
	query := `SELECT d.case_id, d.number, d.judge_id, d.key_case, ` + read + ` FROM due_items d WHERE ` + where
	query += ` ORDER BY d.due_on, d.case_id, d.due_id`
	if f.Limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: due items: %w", interpret(err))
	}
	defer rows.Close()
	decode := decodeDue
	if f.Brief {
		decode = decodeBriefDue
	}
	var out []enforcement.DueRef
	// The document is decoded from the driver's buffer (valid until the
	// next row), not copied into a string first: a judge's reminders
	// read some 400 of them a request.
	var doc sql.RawBytes
	for rows.Next() {
		var r enforcement.DueRef
		if err := rows.Scan(&r.CaseID, &r.Number, &r.JudgeID, &r.Key, &doc); err != nil {
			return nil, err
		}
		item, err := decode(doc)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: decode due item: %w", err)
		}
		r.Item = item
		out = append(out, r)
	}
	return out, rows.Err()
}

// fen returns an amount in yuan as whole fen, for the sums of the
// supervision figures; amounts carry at most two decimal places.
func fen(a decimal.Decimal) int64 { return a.Shift(2).Round(0).IntPart() }

// Cursor implements [notify.Cursor].
func (s *Store) Cursor(ctx context.Context, name string) (int64, error) {
	var seq int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT seq FROM cursors WHERE name = ?`), name).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("sqlstore: read cursor %s: %w", name, interpret(err))
	}
	return seq, nil
}

// SetCursor implements [notify.Cursor].
func (s *Store) SetCursor(ctx context.Context, name string, seq int64) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO cursors (name, seq) VALUES (?, ?)`+
		s.sql.upsert("name", `seq = CASE WHEN `+s.sql.excluded("seq")+` > cursors.seq THEN `+s.sql.excluded("seq")+` ELSE cursors.seq END`)), name, seq)
	if err != nil {
		return fmt.Errorf("sqlstore: save cursor %s: %w", name, interpret(err))
	}
	return nil
}

// paging returns the LIMIT and OFFSET clauses of a listing: limit ≤ 0 is
// no limit, offset ≤ 0 no offset.
func (s *Store) paging(limit, offset int) string {
	var b strings.Builder
	if limit > 0 {
		fmt.Fprintf(&b, " LIMIT %d", limit)
	}
	if offset > 0 {
		if limit <= 0 {
			b.WriteString(s.sql.noLimit)
		}
		fmt.Fprintf(&b, " OFFSET %d", offset)
	}
	return b.String()
}
