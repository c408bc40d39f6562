package sqlstore_test

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/adapters/storetest"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

func TestAuditConformance_SQLite(t *testing.T) {
	t.Parallel()
	storetest.RunAudit(t, func(t *testing.T) enforcement.AuditLog { return openSQLite(t).Audit() })
}

func TestAuditConformance_Postgres(t *testing.T) {
	t.Parallel()
	storetest.RunAudit(t, func(t *testing.T) enforcement.AuditLog { return openPG(t).Audit() })
}

func TestAuditConformance_MySQL(t *testing.T) {
	t.Parallel()
	storetest.RunAudit(t, func(t *testing.T) enforcement.AuditLog { return openMySQL(t).Audit() })
}

// Even SQL cannot rewrite the audit log: the database refuses UPDATE,
// DELETE and (on PostgreSQL) TRUNCATE of audit_log.
func TestAudit_AppendOnlyInSQL(t *testing.T) {
	t.Parallel()
	for name, open := range map[string]func(testing.TB) *sqlstore.Store{"SQLite": openSQLite, "Postgres": openPG, "MySQL": openMySQL} {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			ctx := t.Context()
			e := enforcement.AuditEntry{At: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC), Court: "沪01", UserID: "j1", Action: "due.override",
				CaseID: "c1", Before: json.RawMessage(`{"date":"2026-12-10"}`), After: json.RawMessage(`{"date":"9999-12-31"}`)}
			require.NoError(t, s.Audit().Append(ctx, e))
			stmts := []string{
				`UPDATE audit_log SET after_json = '{"date":"2026-12-11"}'`,
				`DELETE FROM audit_log`,
			}
			if s.Dialect() == sqlstore.Postgres {
				stmts = append(stmts, `TRUNCATE audit_log`)
			}
			for _, q := range stmts {
				_, err := s.DB().ExecContext(ctx, q)
				require.Error(t, err, q)
			}
			got, err := s.Audit().List(ctx, enforcement.AuditFilter{Court: "沪01"})
			require.NoError(t, err)
			require.Len(t, got, 1)
			require.JSONEq(t, `{"date":"9999-12-31"}`, string(got[0].After))
		})
	}
}

// Overrides written before migration 0008 carry no status and are pending:
// the migration indexes their items by the computed date, and keeps an
// approved override's date.
func TestAudit_MigrationIndexesPendingOverridesByComputedDate(t *testing.T) {
	t.Parallel()
	for name, dsn := range map[string]func(t *testing.T) (string, string){
		"SQLite":   func(t *testing.T) (string, string) { return "sqlite", filepath.Join(t.TempDir(), "z.db") },
		"Postgres": func(t *testing.T) (string, string) { return "pgx", pgDSN(t) },
	} {
		t.Run(name, func(t *testing.T) {
			driver, dsn := dsn(t)
			ctx := t.Context()
			s, err := sqlstore.Open(ctx, driver, dsn)
			require.NoError(t, err)
			c := storetest.NewCase("c1", "沪01", "j1", 1)
			c.DueItems[0].Override = &enforcement.Override{Date: deadline.MustParseDate("2025-04-30"), Reason: "等待鉴定结论", By: "j1"}
			c.DueItems[1].Override = &enforcement.Override{Date: deadline.MustParseDate("2025-10-30"), Reason: "院长批准延长", By: "j1", Status: enforcement.OverrideApproved, DecidedBy: "chief"}
			require.NoError(t, s.Create(ctx, c, nil))
			dueOn := func(s *sqlstore.Store, id string) string {
				var d string
				require.NoError(t, s.DB().QueryRowContext(ctx, dollar(s, `SELECT due_on FROM due_items WHERE case_id = ? AND due_id = ?`), "c1", id).Scan(&d))
				return d
			}
			require.Equal(t, "2025-03-13", dueOn(s, "notice@filing"), "the write path indexes a pending override by the computed date")
			require.Equal(t, "2025-10-30", dueOn(s, "limit@filing"))

			// Before this step the index held the override's date.
			stmts := []string{`UPDATE due_items SET due_on = '2025-04-30' WHERE due_id = 'notice@filing'`, `DROP TABLE audit_log`,
				`DELETE FROM zhixing_migrations WHERE name = '0008_audit.sql'`}
			if s.Dialect() == sqlstore.Postgres {
				stmts = append(stmts, `DROP FUNCTION audit_log_refuse()`)
			}
			for _, q := range stmts {
				_, err := s.DB().ExecContext(ctx, q)
				require.NoError(t, err, q)
			}
			require.NoError(t, s.Close())
			s, err = sqlstore.Open(ctx, driver, dsn)
			require.NoError(t, err)
			t.Cleanup(func() { s.Close() })
			require.Equal(t, "2025-03-13", dueOn(s, "notice@filing"))
			require.Equal(t, "2025-10-30", dueOn(s, "limit@filing"))
		})
	}
}
