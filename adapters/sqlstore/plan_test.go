package sqlstore_test

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// supervisionQueries are the queries behind the chief's view, with
// parameters, in ? form (rewritten to $n for PostgreSQL), {C} standing for
// the dialect's byte-order collation clause.
var supervisionQueries = []struct {
	name  string
	query string
	args  []any
	index string // the index the plan reads; "a|b" for either
}{
	{"due items of a court by level",
		`SELECT d.case_id, c.number, d.judge_id, d.key_case, d.doc FROM due_items d JOIN cases c ON c.id = d.case_id WHERE d.court = ? AND d.is_open = ? AND d.due_on <= ? ORDER BY d.due_on, d.case_id, d.due_id LIMIT 200`,
		[]any{"沪01", true, "2026-06-18"}, "due_items_court_open"},
	{"due items of a judge",
		`SELECT d.case_id, c.number, d.judge_id, d.key_case, d.doc FROM due_items d JOIN cases c ON c.id = d.case_id WHERE d.court = ? AND d.judge_id = ? AND d.is_open = ? AND d.due_on <= ? ORDER BY d.due_on, d.case_id, d.due_id`,
		[]any{"沪01", "j01", true, "2026-06-18"}, "due_items_court_judge_open"},
	{"cases of a judge",
		`SELECT doc, version FROM cases WHERE court = ? AND judge_id = ? ORDER BY filed_on, id`,
		[]any{"沪01", "j01"}, "cases_court_"}, // the figures' index or the case list's serves
	{"a judge's case list by next due date",
		`SELECT doc, version FROM cases WHERE court = ? AND judge_id = ? AND status = ? ORDER BY CASE WHEN next_due IS NULL THEN 1 ELSE 0 END, next_due, id LIMIT 50`,
		[]any{"沪01", "j01", "open"}, "cases_court_"},
	{"key cases of a court",
		`SELECT doc, version FROM cases WHERE court = ? AND status = ? AND key_case = ? ORDER BY filed_on, id`,
		[]any{"沪01", "open", true}, "cases_court_status"},
	{"the most urgent open tasks of a court, their heads",
		`SELECT d.case_id, c.number, d.judge_id, d.key_case, COALESCE(d.head, d.doc) FROM due_items d JOIN cases c ON c.id = d.case_id WHERE d.court = ? AND d.is_open = ? AND d.is_right = ? AND d.due_on >= ? AND d.due_on <= ? ORDER BY d.due_on, d.case_id{C}, d.due_id{C} LIMIT ?`,
		[]any{"沪01", true, false, "0000-00-00", "2026-06-18", 500}, "due_items_court_tasks"},
	{"open tasks of a court between two dates, their heads",
		`SELECT d.case_id, c.number, d.judge_id, d.key_case, COALESCE(d.head, d.doc) FROM due_items d JOIN cases c ON c.id = d.case_id WHERE d.court = ? AND d.is_open = ? AND d.is_right = ? AND d.due_on >= ? AND d.due_on <= ?`,
		[]any{"沪01", true, false, "2026-06-10", "2026-06-18"}, "due_items_court"}, // either index of the court's items serves
	{"open tasks of key cases",
		`SELECT case_id, due_id, due_on, title, owner FROM due_items WHERE court = ? AND key_case AND is_open AND NOT is_right ORDER BY case_id, pos`,
		[]any{"沪01"}, "due_items_court_key"}, // due_items_court_key_tasks once the table is large
	{"due items counted per due date and after it",
		`SELECT CASE WHEN due_on <= ? THEN due_on ELSE '' END, judge_id, owner, is_right, SUM(n) FROM due_tallies WHERE court = ? GROUP BY 1, 2, 3, 4 HAVING SUM(n) > 0`,
		[]any{"2026-07-30", "沪01"}, "due_tallies"},
	{"cases awaiting a reply to a solicitation",
		`SELECT doc, version FROM cases WHERE court = ? AND open_solicitations > ? ORDER BY filed_on, id`,
		// Either index is read: with sorts discouraged on a small table,
		// PostgreSQL may read the period index in filing order instead.
		[]any{"沪01", 0}, "cases_court_solicitations|cases_court_period"},
	{"outbox claim",
		`SELECT doc FROM outbox WHERE state IN ('queued', 'sending') AND due_at <= ? ORDER BY due_at, created_at, id LIMIT 100`,
		[]any{"2026-06-15T00:00:00.000000000Z"}, "outbox_claim"},
}

func explain(t *testing.T, db *sql.DB, prefix string, query string, args ...any) string {
	t.Helper()
	rows, err := db.Query(prefix+query, args...)
	require.NoError(t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(t, err)
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		var parts []string
		for _, v := range vals {
			switch x := v.(type) {
			case []byte:
				parts = append(parts, string(x))
			case string:
				parts = append(parts, x)
			}
		}
		out = append(out, strings.Join(parts, " "))
	}
	require.NoError(t, rows.Err())
	return strings.Join(out, "\n")
}

// TestQueryPlans_SQLite shows that every supervision query reads an index.
func TestQueryPlans_SQLite(t *testing.T) {
	t.Parallel()
	s := openSQLite(t)
	require.NoError(t, s.Import(t.Context(), genCases(300)))
	_, err := s.DB().Exec(`ANALYZE`)
	require.NoError(t, err)
	for _, q := range supervisionQueries {
		plan := explain(t, s.DB(), "EXPLAIN QUERY PLAN ", strings.ReplaceAll(q.query, "{C}", ""), q.args...)
		t.Logf("%s:\n%s", q.name, plan)
		requireIndex(t, plan, q.index, q.name)
		require.NotRegexp(t, `SCAN (d|due_items|outbox|due_tallies)\b`, plan, "%s scans a whole table", q.name)
		if q.index == "due_items_court_tasks" {
			require.NotContains(t, plan, "TEMP B-TREE FOR ORDER BY", "%s sorts instead of reading in order", q.name)
		}
	}
}

// TestQueryPlans_Postgres shows the same on PostgreSQL (with sequential
// scans and sorts discouraged, as a small test table would otherwise be
// read whole and sorted).
func TestQueryPlans_Postgres(t *testing.T) {
	t.Parallel()
	s := openPG(t)
	require.NoError(t, s.Import(t.Context(), genCases(300)))
	_, err := s.DB().Exec(`ANALYZE`)
	require.NoError(t, err)
	conn, err := s.DB().Conn(t.Context())
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.ExecContext(t.Context(), `SET enable_seqscan = off`)
	require.NoError(t, err)
	_, err = conn.ExecContext(t.Context(), `SET enable_sort = off`)
	require.NoError(t, err)
	for _, q := range supervisionQueries {
		n := 0
		pgq := ""
		for _, r := range strings.ReplaceAll(q.query, "{C}", ` COLLATE "C"`) {
			if r == '?' {
				n++
				pgq += "$" + string(rune('0'+n))
				continue
			}
			pgq += string(r)
		}
		rows, err := conn.QueryContext(t.Context(), "EXPLAIN "+pgq, q.args...)
		require.NoError(t, err)
		var lines []string
		for rows.Next() {
			var l string
			require.NoError(t, rows.Scan(&l))
			lines = append(lines, l)
		}
		rows.Close()
		plan := strings.Join(lines, "\n")
		t.Logf("%s:\n%s", q.name, plan)
		requireIndex(t, plan, q.index, q.name)
		require.NotContains(t, plan, "Seq Scan on due_items", q.name)
		require.NotContains(t, plan, "Seq Scan on due_tallies", q.name)
		if q.index == "due_items_court_tasks" {
			require.NotContains(t, plan, "Sort Key", "%s sorts instead of reading in order", q.name)
		}
		require.NotContains(t, plan, "Seq Scan on outbox", q.name)
	}
}

// requireIndex requires plan to read one of the indexes of want ("a|b").
func requireIndex(t *testing.T, plan, want, name string) {
	t.Helper()
	for _, idx := range strings.Split(want, "|") {
		if strings.Contains(plan, idx) {
			return
		}
	}
	t.Errorf("%s: the plan reads none of %s:\n%s", name, want, plan)
}
