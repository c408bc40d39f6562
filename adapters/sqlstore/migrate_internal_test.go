package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
)

// A migration's Go step runs once, after its SQL and in its transaction:
// when it fails, neither its SQL nor the step is recorded, and the next
// run applies both; a Go step for a version without a file is refused.
func TestMigrate_GoStep(t *testing.T) {
	t.Parallel()
	s, err := Open(t.Context(), "sqlite", filepath.Join(t.TempDir(), "z.db"))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	ctx := t.Context()
	files := fstest.MapFS{
		"sqlite/0001_a.sql": {Data: []byte("CREATE TABLE gostep_a (n INTEGER NOT NULL);\n")},
		"sqlite/0002_b.sql": {Data: []byte("CREATE TABLE gostep_b (n INTEGER NOT NULL);\n")},
	}
	runs := 0
	fail := errors.New("the step's documents do not decode")
	step := func(ctx context.Context, tx *sql.Tx, ds *dialectSQL) error {
		runs++
		if _, err := tx.ExecContext(ctx, ds.rebind(`INSERT INTO gostep_b (n) VALUES (?)`), runs); err != nil {
			return err
		}
		if runs == 1 {
			return fail
		}
		return nil
	}
	err = migrate(ctx, s.DB(), SQLite, files, "gostep_migrations", map[int]goStep{2: step})
	require.ErrorIs(t, err, fail)
	var tables int
	require.NoError(t, s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name = 'gostep_b'`).Scan(&tables))
	require.Zero(t, tables, "the failed step's SQL is rolled back with it")

	require.NoError(t, migrate(ctx, s.DB(), SQLite, files, "gostep_migrations", map[int]goStep{2: step}))
	require.NoError(t, migrate(ctx, s.DB(), SQLite, files, "gostep_migrations", map[int]goStep{2: step}))
	require.Equal(t, 2, runs, "applied once, then never again")
	var n int
	require.NoError(t, s.DB().QueryRowContext(ctx, `SELECT n FROM gostep_b`).Scan(&n))
	require.Equal(t, 2, n)

	err = migrate(ctx, s.DB(), SQLite, files, "gostep_migrations", map[int]goStep{3: step})
	require.ErrorContains(t, err, "a Go step for version 3")
}
