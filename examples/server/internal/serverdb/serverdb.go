// Package serverdb holds the example server's own tables, beside the
// library's in the same database: users, sessions, field trips, inbound
// replies, the relay's cursor, the calendar changes and the due dates they
// moved. Their schema is a list of numbered migrations per dialect (SQLite,
// PostgreSQL, MariaDB), applied by the library store's runner when the
// database is opened.
package serverdb

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/courtkit/zhixing/adapters/sqlstore"
)

//go:embed migrations
var migrations embed.FS

// ErrSchemaTooNew is returned by Open when the database was migrated by a
// newer version of the server than this one.
var ErrSchemaTooNew = errors.New("serverdb: database schema is newer than this server")

// versionTable records the applied migrations.
const versionTable = "server_migrations"

// DB is the server's tables on the store's database, with ?-placeholders
// rewritten for the dialect.
type DB struct {
	db      *sql.DB
	dialect sqlstore.Dialect
}

// Open applies the pending migrations to the database of s (with
// [sqlstore.Migrate], recorded in server_migrations) and returns its
// tables. A database whose schema is newer than this code is refused with
// ErrSchemaTooNew.
func Open(ctx context.Context, s *sqlstore.Store) (*DB, error) {
	files, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, fmt.Errorf("serverdb: read migrations: %w", err)
	}
	if err := sqlstore.Migrate(ctx, s.DB(), s.Dialect(), files, versionTable); err != nil {
		if errors.Is(err, sqlstore.ErrSchemaTooNew) {
			return nil, fmt.Errorf("serverdb: %w: %w", ErrSchemaTooNew, err)
		}
		return nil, fmt.Errorf("serverdb: %w", err)
	}
	return &DB{db: s.DB(), dialect: s.Dialect()}, nil
}

// SQL returns the underlying database.
func (d *DB) SQL() *sql.DB { return d.db }

// Dialect returns the database's SQL dialect.
func (d *DB) Dialect() sqlstore.Dialect { return d.dialect }

// SchemaVersion is the newest schema version this code knows for dialect.
func SchemaVersion(dialect sqlstore.Dialect) int {
	entries, _ := fs.ReadDir(migrations, path.Join("migrations", dialect.String()))
	v := 0
	for _, e := range entries {
		prefix, _, _ := strings.Cut(e.Name(), "_")
		n, _ := strconv.Atoi(prefix)
		v = max(v, n)
	}
	return v
}

// Version returns the schema version recorded in the database.
func (d *DB) Version(ctx context.Context) (int, error) {
	var v int
	err := d.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM `+versionTable).Scan(&v)
	return v, err
}

// q rewrites ? placeholders to $n for PostgreSQL.
func (d *DB) q(query string) string {
	if d.dialect != sqlstore.Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Exec runs a statement with ?-placeholders.
func (d *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return d.db.ExecContext(ctx, d.q(query), args...)
}

// Query runs a query with ?-placeholders.
func (d *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return d.db.QueryContext(ctx, d.q(query), args...)
}

// QueryRow runs a one-row query with ?-placeholders.
func (d *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return d.db.QueryRowContext(ctx, d.q(query), args...)
}

// IsNoRows reports whether err is a query's "no rows".
func IsNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
