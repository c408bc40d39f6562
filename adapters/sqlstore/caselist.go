package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/courtkit/zhixing/enforcement"
)

var _ enforcement.CaseLister = (*Store)(nil)

// nextDue is the value of a case's next_due column: its next due date, or
// NULL when no due item is open.
func nextDue(c *enforcement.Case) any {
	if d, ok := c.NextDue(); ok {
		return d.String()
	}
	return nil
}

// likeEscape escapes s for a LIKE pattern with ESCAPE '!': '!' is the
// escape character on every dialect, where a backslash would mean
// different things on MariaDB and the others.
func likeEscape(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s)
}

// ListCases implements [enforcement.CaseLister] on the columns next_due and
// search_text and the index cases_court_judge_next (migration 0010); held
// messages are counted in the outbox table.
func (s *Store) ListCases(ctx context.Context, f enforcement.CaseListFilter) (enforcement.CaseListPage, error) {
	where := []string{"court = ?"}
	args := []any{f.Court}
	add := func(cond string, v ...any) { where = append(where, cond); args = append(args, v...) }
	if f.JudgeID != "" {
		add("judge_id = ?", f.JudgeID)
	}
	if f.Status != "" {
		add("status = ?", string(f.Status))
	}
	if q := enforcement.SearchTerm(f.Query); q != "" {
		add("search_text LIKE ? ESCAPE '!'", "%"+likeEscape(q)+"%")
	}
	if !f.DueFrom.IsZero() || !f.DueTo.IsZero() {
		add("next_due IS NOT NULL")
	}
	if !f.DueFrom.IsZero() {
		add("next_due >= ?", f.DueFrom.String())
	}
	if !f.DueTo.IsZero() {
		add("next_due <= ?", f.DueTo.String())
	}
	if f.AwaitingOpinion {
		add("open_solicitations > 0")
	}
	if f.OpenRequests {
		add("open_requests > 0")
	}
	const held = `FROM outbox o WHERE o.court = cases.court AND o.case_id = cases.id AND o.state = 'held'`
	if f.Held {
		add("EXISTS (SELECT 1 " + held + ")")
	}
	cond := strings.Join(where, " AND ")
	var page enforcement.CaseListPage
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM cases WHERE `+cond), args...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("sqlstore: list cases: %w", interpret(err))
	}
	query := `SELECT doc, version, (SELECT COUNT(*) ` + held + `) FROM cases WHERE ` + cond +
		` ORDER BY CASE WHEN next_due IS NULL THEN 1 ELSE 0 END, next_due, id` + s.paging(f.Limit, f.Offset)
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return page, fmt.Errorf("sqlstore: list cases: %w", interpret(err))
	}
	defer rows.Close()
	page.Rows = []enforcement.CaseListRow{}
	for rows.Next() {
		var doc string
		var r enforcement.CaseListRow
		var version int64
		if err := rows.Scan(&doc, &version, &r.Held); err != nil {
			return page, fmt.Errorf("sqlstore: list cases: %w", err)
		}
		if r.Case, err = decodeCase(doc); err != nil {
			return page, err
		}
		r.Case.Version = version
		page.Rows = append(page.Rows, r)
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("sqlstore: list cases: %w", interpret(err))
	}
	return page, nil
}

// fillCaseList sets next_due and search_text on the rows written before
// migration 0010 (search_text NULL), from their documents, in batches. A
// row changed meanwhile already has both and is left alone.
func (s *Store) fillCaseList(ctx context.Context) error {
	const batch = 500
	after := ""
	for {
		type todo struct {
			id           string
			next, search any
		}
		var todos []todo
		rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, doc FROM cases WHERE search_text IS NULL AND id > ? ORDER BY id LIMIT ?`), after, batch)
		if err != nil {
			return fmt.Errorf("sqlstore: fill case list: %w", interpret(err))
		}
		for rows.Next() {
			var id, doc string
			if err := rows.Scan(&id, &doc); err != nil {
				rows.Close()
				return fmt.Errorf("sqlstore: fill case list: %w", err)
			}
			c, err := decodeCase(doc)
			if err != nil {
				rows.Close()
				return fmt.Errorf("sqlstore: fill case list: %w", err)
			}
			todos = append(todos, todo{id, nextDue(c), c.SearchText()})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("sqlstore: fill case list: %w", interpret(err))
		}
		if len(todos) == 0 {
			return nil
		}
		err = s.inTx(ctx, func(tx *sql.Tx) error {
			for _, t := range todos {
				if _, err := tx.ExecContext(ctx, s.q(`UPDATE cases SET next_due = ?, search_text = ? WHERE id = ? AND search_text IS NULL`), t.next, t.search, t.id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("sqlstore: fill case list: %w", interpret(err))
		}
		after = todos[len(todos)-1].id
	}
}
