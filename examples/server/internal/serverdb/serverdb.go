// Package serverdb holds the example server's own tables, beside the
// library's in the same database: users, sessions, field trips, inbound
// replies, the relay's cursor, the calendar changes and the due dates they
// moved. Their schema is a list of numbered migrations per dialect, applied
// in order when the database is opened.
package serverdb

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/courtkit/zhixing/adapters/sqlstore"
)

//go:embed migrations
var migrations embed.FS

// ErrSchemaTooNew is returned by Open when the database was migrated by a
// newer version of the server than this one.
var ErrSchemaTooNew = errors.New("serverdb: database schema is newer than this server")

// lockKey is the PostgreSQL advisory lock every migration step takes, so
// that instances starting at once on one database apply each migration
// once. It is fixed and differs from the library store's.
const lockKey = 0x7a78_7365_7276 // "zxserv"

// versionTable records the applied migrations.
const versionTable = "server_migrations"

// DB is the server's tables on the store's database, with ?-placeholders
// rewritten for the dialect.
type DB struct {
	db      *sql.DB
	dialect sqlstore.Dialect
}

// Open applies the pending migrations to the database of s and returns
// its tables. A database whose schema is newer than this code is refused
// with ErrSchemaTooNew.
func Open(ctx context.Context, s *sqlstore.Store) (*DB, error) {
	d := &DB{db: s.DB(), dialect: s.Dialect()}
	if err := d.migrate(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// SQL returns the underlying database.
func (d *DB) SQL() *sql.DB { return d.db }

// Dialect returns the database's SQL dialect.
func (d *DB) Dialect() sqlstore.Dialect { return d.dialect }

// migration is one embedded schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// migrationsFor lists the migrations of dialect in version order.
func migrationsFor(dialect sqlstore.Dialect) ([]migration, error) {
	dir := path.Join("migrations", dialect.String())
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		v, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("serverdb: bad migration name %s", name)
		}
		b, err := fs.ReadFile(migrations, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// SchemaVersion is the newest schema version this code knows for dialect.
func SchemaVersion(dialect sqlstore.Dialect) int {
	ms, _ := migrationsFor(dialect)
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// Version returns the schema version recorded in the database.
func (d *DB) Version(ctx context.Context) (int, error) {
	var v int
	err := d.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM `+versionTable).Scan(&v)
	return v, err
}

// migrate applies the pending migrations one by one. Each runs in its own
// transaction, which on PostgreSQL first takes the advisory lock and then
// reads the version again, so a concurrent instance that applied it first
// is seen and the step skipped. SQLite transactions of the store take the
// write lock when they begin, which serialises them the same way.
func (d *DB) migrate(ctx context.Context) error {
	ms, err := migrationsFor(d.dialect)
	if err != nil {
		return fmt.Errorf("serverdb: read migrations: %w", err)
	}
	known := ms[len(ms)-1].version
	for {
		done, err := d.step(ctx, ms, known)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}

// step applies the first migration newer than the database's version in
// one transaction and reports whether none was left.
func (d *DB) step(ctx context.Context, ms []migration, known int) (done bool, err error) {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("serverdb: migrate: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if d.dialect == sqlstore.Postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(lockKey)); err != nil {
			return false, fmt.Errorf("serverdb: migration lock: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+versionTable+` (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return false, fmt.Errorf("serverdb: create %s: %w", versionTable, err)
	}
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM `+versionTable).Scan(&current); err != nil {
		return false, fmt.Errorf("serverdb: read schema version: %w", err)
	}
	if current > known {
		return false, fmt.Errorf("serverdb: schema version %d, code knows up to %d: %w", current, known, ErrSchemaTooNew)
	}
	var next *migration
	for i := range ms {
		if ms[i].version > current {
			next = &ms[i]
			break
		}
	}
	if next != nil {
		for _, stmt := range splitSQL(next.sql) {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return false, fmt.Errorf("serverdb: migrate %s: %w", next.name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, d.q(`INSERT INTO `+versionTable+` (version, name, applied_at) VALUES (?, ?, ?)`),
			next.version, next.name, time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
			return false, fmt.Errorf("serverdb: record %s: %w", next.name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("serverdb: migrate: %w", err)
	}
	return next == nil, nil
}

// splitSQL splits a migration into statements on semicolons at line ends,
// dropping comment lines.
func splitSQL(src string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(t, ";") {
			out = append(out, strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"))
			cur.Reset()
		}
	}
	if strings.TrimSpace(cur.String()) != "" {
		out = append(out, cur.String())
	}
	return out
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
