// Package sqlstore implements zhixing's storage ports on database/sql, with
// SQLite (modernc.org/sqlite, pure Go, the embedded default) and PostgreSQL
// (github.com/jackc/pgx/v5/stdlib).
//
// The schema is portable SQL keyed by court, so it also runs on
// PostgreSQL-compatible distributed databases. Migrations are embedded and
// applied on [Open]; opening a database whose schema is newer than this code
// knows is an error ([ErrSchemaTooNew]).
//
// A case is stored as a JSON document with the columns the queries filter
// on (court, judge, status, key-case flag) beside it; its due items are
// indexed in their own table so that the chief's supervision queries read an
// index, not every case. Identity numbers are stored in full: the domain's
// masking applies to display, not to storage.
//
// Stored documents have a form of their own, declared in this package with
// snake_case names and a format version, not the JSON of the domain's Go
// structs, so renaming a domain field does not change what is stored; rows
// written before the documents were versioned are still read. [MarshalCase]
// and [UnmarshalCase] give a case's stored form to stores of other kinds.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

//go:embed migrations
var migrations embed.FS

// ErrSchemaTooNew is returned by Open when the database schema has a version
// this code does not know.
var ErrSchemaTooNew = errors.New("sqlstore: database schema is newer than this code")

// Dialect is the SQL dialect of a database.
type Dialect int

// Dialects.
const (
	SQLite Dialect = iota + 1
	Postgres
)

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// Store implements the enforcement storage ports on a SQL database.
type Store struct {
	db      *sql.DB
	dialect Dialect
	// Now returns the current time; it defaults to time.Now.
	Now func() time.Time
	// Draft, when set, drafts the notification messages for every case
	// change; they are written to the outbox in the same transaction as
	// the change, so a notice is never lost nor sent for a change that was
	// rolled back.
	Draft DraftFunc
}

var (
	_ enforcement.CaseStore = (*Store)(nil)
	_ enforcement.EventLog  = (*Store)(nil)
	_ enforcement.DueIndex  = (*Store)(nil)
	_ enforcement.Revisions = (*Store)(nil)
	_ notify.Cursor         = (*Store)(nil)
)

// Open opens the database and applies any pending migrations. driver is
// "sqlite" (dsn a file path, or a "file:" URI) or "pgx"/"postgres" (dsn a
// PostgreSQL URL or keyword string).
func Open(ctx context.Context, driver, dsn string) (*Store, error) {
	var s Store
	switch driver {
	case "sqlite", "sqlite3":
		s.dialect = SQLite
		db, err := sql.Open("sqlite", sqliteDSN(dsn))
		if err != nil {
			return nil, fmt.Errorf("sqlstore: open sqlite: %w", err)
		}
		s.db = db
	case "pgx", "postgres", "postgresql":
		s.dialect = Postgres
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: open postgres: %w", err)
		}
		db.SetMaxOpenConns(20)
		s.db = db
	default:
		return nil, fmt.Errorf("sqlstore: unknown driver %q (want sqlite or pgx)", driver)
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("sqlstore: connect %s: %w", s.dialect, err)
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	return &s, nil
}

// sqliteDSN adds the pragmas the store relies on: WAL so readers do not block
// the writer, a busy timeout so concurrent writers wait instead of failing,
// immediate transactions so a read-then-write transaction takes the write
// lock up front (no deadlock on lock upgrade), and foreign keys.
func sqliteDSN(dsn string) string {
	if !strings.HasPrefix(dsn, "file:") {
		dsn = "file:" + dsn
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DB returns the underlying database, for adapters that share it.
func (s *Store) DB() *sql.DB { return s.db }

// Dialect returns the store's SQL dialect.
func (s *Store) Dialect() Dialect { return s.dialect }

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// q rewrites ?-placeholders for the store's dialect.
func (s *Store) q(query string) string {
	if s.dialect != Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// migration is one embedded schema step.
type migration struct {
	version int
	name    string
	sql     string
}

func (s *Store) migrationsFor() ([]migration, error) {
	dir := path.Join("migrations", s.dialect.String())
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		v, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("sqlstore: bad migration name %s", name)
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

// SchemaVersion is the newest schema version this code knows.
func (s *Store) SchemaVersion() int {
	ms, _ := s.migrationsFor()
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrationLock is the PostgreSQL advisory lock every migration step
// takes (pg_advisory_xact_lock), so that processes opening one database at
// once apply each migration once.
const migrationLock = 0x7a78_7374_6f72 // "zxstor"

// migrate applies pending migrations, each in its own transaction, and
// records them in zhixing_migrations. On PostgreSQL each transaction first
// takes migrationLock and then reads the version, so a migration another
// process applied meanwhile is seen and skipped; SQLite transactions take
// the write lock when they begin (see sqliteDSN), which serialises them the
// same way.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := s.migrationsFor()
	if err != nil {
		return fmt.Errorf("sqlstore: read migrations: %w", err)
	}
	known := ms[len(ms)-1].version
	for {
		var next *migration
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			if s.dialect == Postgres {
				if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
					return fmt.Errorf("lock: %w", err)
				}
			}
			if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS zhixing_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
				return fmt.Errorf("create migrations table: %w", err)
			}
			applied, current, err := appliedMigrations(ctx, tx)
			if err != nil {
				return err
			}
			if current > known {
				return fmt.Errorf("schema version %d, code knows up to %d: %w", current, known, ErrSchemaTooNew)
			}
			// The first step not recorded is next, not the first above the
			// highest recorded: a step removed from the table by hand (to
			// redo a backfill) runs again.
			for i := range ms {
				if !applied[ms[i].version] {
					next = &ms[i]
					break
				}
			}
			if next == nil {
				return nil
			}
			for _, stmt := range splitSQL(next.sql) {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("%s: %w", next.name, err)
				}
			}
			_, err = tx.ExecContext(ctx, s.q(`INSERT INTO zhixing_migrations (version, name, applied_at) VALUES (?, ?, ?)`), next.version, next.name, s.now().UTC().Format(time.RFC3339Nano))
			return err
		})
		if errors.Is(err, ErrSchemaTooNew) {
			return fmt.Errorf("sqlstore: %w", err)
		}
		if err != nil {
			return fmt.Errorf("sqlstore: migrate: %w", interpret(err))
		}
		if next == nil {
			return nil
		}
	}
}

// appliedMigrations returns the versions recorded in the migrations table
// and the highest of them.
func appliedMigrations(ctx context.Context, tx *sql.Tx) (map[int]bool, int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT version FROM zhixing_migrations`)
	if err != nil {
		return nil, 0, fmt.Errorf("read schema version: %w", err)
	}
	defer rows.Close()
	applied, current := map[int]bool{}, 0
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, 0, fmt.Errorf("read schema version: %w", err)
		}
		applied[v], current = true, max(current, v)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("read schema version: %w", err)
	}
	return applied, current, nil
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

// inTx runs fn in a transaction, committing if it returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// interpret maps driver errors to the domain's sentinels: unique violations
// become enforcement.ErrConflict, as do SQLite busy/locked errors (a
// concurrent writer won).
func interpret(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %w", enforcement.ErrNotFound, err)
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505", "40001", "40P01": // unique_violation, serialization_failure, deadlock_detected
			return fmt.Errorf("%w: %w", enforcement.ErrConflict, err)
		}
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %w", enforcement.ErrConflict, err)
		}
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return fmt.Errorf("%w: %w", enforcement.ErrConflict, err)
		}
	}
	return err
}

func uniq(xs []string) []string {
	slices.Sort(xs)
	return slices.Compact(xs)
}
