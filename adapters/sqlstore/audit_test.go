package sqlstore_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/adapters/storetest"
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

// Even SQL cannot rewrite the audit log: the database refuses UPDATE,
// DELETE and (on PostgreSQL) TRUNCATE of audit_log.
func TestAudit_AppendOnlyInSQL(t *testing.T) {
	t.Parallel()
	for name, open := range map[string]func(testing.TB) *sqlstore.Store{"SQLite": openSQLite, "Postgres": openPG} {
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
