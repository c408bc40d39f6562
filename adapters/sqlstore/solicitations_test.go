package sqlstore_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/adapters/storetest"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// solicitationCases returns cases of 沪01 (and one of 沪0115) with no,
// answered and open opinion solicitations, and the number of open ones of
// each.
func solicitationCases() ([]*enforcement.Case, map[string]int64) {
	at := time.Date(2025, 3, 5, 9, 0, 0, 0, deadline.China)
	ask := func(id, code string, answered bool) enforcement.Solicitation {
		s := enforcement.Solicitation{ID: id, PartyID: "a1", ReplyCode: code, Purpose: enforcement.ClosureZhongBen,
			Summary: "拟终结本次执行程序", AskedOn: deadline.MustParseDate("2025-03-05"), At: at, By: "j1", ReplyBy: deadline.MustParseDate("2025-03-12")}
		if answered {
			s.Answer = &enforcement.Opinion{Choice: enforcement.OpinionAgree, Channel: "sms", ReceivedAt: at.Add(time.Hour)}
		}
		return s
	}
	specs := []struct {
		court string
		sols  []enforcement.Solicitation
		open  int64
	}{
		{"沪01", nil, 0},
		{"沪01", []enforcement.Solicitation{ask("s1", "A1B2", false)}, 1},
		{"沪01", []enforcement.Solicitation{ask("s1", "A1B2", true)}, 0},
		{"沪01", []enforcement.Solicitation{ask("s1", "A1B2", true), ask("s2", "C3D4", false), ask("s3", "E5F6", false)}, 2},
		{"沪01", []enforcement.Solicitation{}, 0},
		{"沪0115", []enforcement.Solicitation{ask("s1", "A1B2", false)}, 1},
	}
	var out []*enforcement.Case
	want := map[string]int64{}
	for i, sp := range specs {
		c := storetest.NewCase(fmt.Sprintf("b%d", i), sp.court, "j1", i+1)
		c.Solicitations = sp.sols
		// Text that looks like the list in the document must not count.
		c.Cause = `民间借贷纠纷 "Solicitations":[{"Answer":null}]`
		out = append(out, c)
		want[c.ID] = sp.open
	}
	return out, want
}

// openColumn returns each case's open_solicitations column.
func openColumn(t *testing.T, s *sqlstore.Store) map[string]int64 {
	t.Helper()
	rows, err := s.DB().QueryContext(t.Context(), `SELECT id, open_solicitations FROM cases`)
	require.NoError(t, err)
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var n int64
		require.NoError(t, rows.Scan(&id, &n))
		out[id] = n
	}
	require.NoError(t, rows.Err())
	return out
}

// testBackfill writes cases, turns the database back into one from before
// migration 0006 (no open_solicitations column, the step not recorded),
// and reopens it: the migration's UPDATE must give the old rows the values
// the write path gives them, so that Find with OpenSolicitations sees them.
func testBackfill(t *testing.T, driver, dsn string) {
	ctx := t.Context()
	s, err := sqlstore.Open(ctx, driver, dsn)
	require.NoError(t, err)
	cases, want := solicitationCases()
	for _, c := range cases[:3] {
		require.NoError(t, s.Create(ctx, c, nil))
	}
	require.NoError(t, s.Import(ctx, cases[3:]))
	require.Equal(t, want, openColumn(t, s), "the write paths set the column")

	// Rows from before the step hold the legacy document: the case's JSON
	// under "Case", identity numbers blanked.
	for _, c := range cases {
		cp := c.Clone()
		for i := range cp.Parties {
			cp.Parties[i].IDNumber = enforcement.IDNumber{}
		}
		doc, err := json.Marshal(struct{ Case *enforcement.Case }{cp})
		require.NoError(t, err)
		_, err = s.DB().ExecContext(ctx, dollar(s, `UPDATE cases SET doc = ? WHERE id = ?`), string(doc), c.ID)
		require.NoError(t, err)
	}
	for _, stmt := range []string{
		`DROP INDEX cases_court_solicitations`,
		`ALTER TABLE cases DROP COLUMN open_solicitations`,
		`DELETE FROM zhixing_migrations WHERE name = '0006_open_solicitations.sql'`,
	} {
		_, err := s.DB().ExecContext(ctx, stmt)
		require.NoError(t, err, stmt)
	}
	require.NoError(t, s.Close())

	s, err = sqlstore.Open(ctx, driver, dsn)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	require.Equal(t, want, openColumn(t, s), "the migration fills the column of old rows")
	got, err := s.Find(ctx, enforcement.CaseFilter{Court: "沪01", OpenSolicitations: true})
	require.NoError(t, err)
	var ids []string
	for _, c := range got {
		ids = append(ids, c.ID)
	}
	require.Equal(t, []string{"b1", "b3"}, ids)
}

func TestOpenSolicitationsBackfill_SQLite(t *testing.T) {
	t.Parallel()
	testBackfill(t, "sqlite", filepath.Join(t.TempDir(), "z.db"))
}

func TestOpenSolicitationsBackfill_Postgres(t *testing.T) {
	t.Parallel()
	testBackfill(t, "pgx", pgDSN(t))
}
