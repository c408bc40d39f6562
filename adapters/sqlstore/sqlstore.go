// Package sqlstore implements zhixing's storage ports on database/sql, with
// SQLite (modernc.org/sqlite, pure Go, the embedded default), PostgreSQL
// (github.com/jackc/pgx/v5/stdlib) and MariaDB (github.com/go-sql-driver/mysql).
//
// [Open] opens a database by driver name and DSN; [New] takes a *sql.DB the
// caller already has, with its [Dialect].
//
// # MariaDB and MySQL
//
// The [MySQL] dialect targets MariaDB 10.6 or later: it relies on FOR
// UPDATE SKIP LOCKED (10.6) and on UNIQUE keys over long text columns
// (10.4). MySQL itself is not supported (it has neither the long unique
// keys nor the utf8mb4_nopad_bin collation the migrations use). Tables use
// utf8mb4 with the utf8mb4_nopad_bin collation, so IDs and keys compare
// exactly, case and trailing spaces included, as on SQLite and PostgreSQL.
// The DSN needs no special settings: times are stored as text, so
// parseTime is not needed, and migrations are sent one statement at a
// time, so multiStatements is not needed either (leave it off). Each
// transaction runs at READ COMMITTED whatever the server's default. DDL
// commits on its own in MariaDB, so a migration step that fails half-way
// is not rolled back: the next Open reports the error until the step is
// repaired by hand; concurrent Opens are serialised by GET_LOCK.
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

	"github.com/go-sql-driver/mysql"
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
	// MySQL is MariaDB 10.6 or later (see the package doc).
	MySQL
)

// String returns the dialect's name: sqlite, postgres or mysql.
func (d Dialect) String() string {
	if ds, ok := dialects[d]; ok {
		return ds.name
	}
	return "Dialect(" + strconv.Itoa(int(d)) + ")"
}

// Store implements the enforcement storage ports on a SQL database.
type Store struct {
	db      *sql.DB
	dialect Dialect
	sql     *dialectSQL
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
// "sqlite" (dsn a file path, or a "file:" URI), "pgx"/"postgres" (dsn a
// PostgreSQL URL or keyword string) or "mysql"/"mariadb" (dsn in
// github.com/go-sql-driver/mysql's form, such as
// "user:password@tcp(127.0.0.1:3306)/court"; see the package doc).
func Open(ctx context.Context, driver, dsn string) (*Store, error) {
	var d Dialect
	var db *sql.DB
	var err error
	switch driver {
	case "sqlite", "sqlite3":
		d = SQLite
		db, err = sql.Open("sqlite", sqliteDSN(dsn))
	case "pgx", "postgres", "postgresql":
		d = Postgres
		db, err = sql.Open("pgx", dsn)
		if err == nil {
			db.SetMaxOpenConns(20)
		}
	case "mysql", "mariadb":
		d = MySQL
		db, err = sql.Open("mysql", dsn)
		if err == nil {
			db.SetMaxOpenConns(20)
		}
	default:
		return nil, fmt.Errorf("sqlstore: unknown driver %q (want sqlite, pgx or mysql)", driver)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open %s: %w", d, err)
	}
	s, err := New(ctx, db, d)
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// New returns a store on db, a database of dialect d that the caller opened
// (with its own driver settings and pool), and applies any pending
// migrations. Store.Close closes db. A SQLite db needs WAL, a busy timeout
// and immediate transactions (_txlock=immediate), which [Open] adds to the
// DSN.
func New(ctx context.Context, db *sql.DB, d Dialect) (*Store, error) {
	ds, ok := dialects[d]
	if !ok {
		return nil, fmt.Errorf("sqlstore: unknown dialect %d", int(d))
	}
	s := &Store{db: db, dialect: d, sql: ds}
	if err := s.db.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("sqlstore: connect %s: %w", d, err)
	}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	if err := s.fillCaseList(ctx); err != nil {
		return nil, err
	}
	return s, nil
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

// migration is one embedded schema step.
type migration struct {
	version int
	name    string
	sql     string
}

func (s *Store) migrationsFor() ([]migration, error) {
	dir := path.Join("migrations", s.sql.name)
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

// migrate applies pending migrations, each in its own transaction, and
// records them in zhixing_migrations. On PostgreSQL each transaction first
// takes migrationLock and then reads the version, so a migration another
// process applied meanwhile is seen and skipped; SQLite transactions take
// the write lock when they begin (see sqliteDSN), which serialises them the
// same way. MariaDB commits DDL on its own, so there one connection holds
// a GET_LOCK lock around all the steps.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := s.migrationsFor()
	if err != nil {
		return fmt.Errorf("sqlstore: read migrations: %w", err)
	}
	known := ms[len(ms)-1].version
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	defer conn.Close()
	if s.sql.unlockMigrations != "" {
		var got sql.NullInt64
		if err := conn.QueryRowContext(ctx, s.sql.lockMigrations).Scan(&got); err != nil || got.Int64 != 1 {
			return fmt.Errorf("sqlstore: migrate: lock (%v): %w", got, errors.Join(err, enforcement.ErrConflict))
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), s.sql.unlockMigrations)
	}
	for {
		var next *migration
		err := inTxOn(ctx, conn, s.sql.txOptions, func(tx *sql.Tx) error {
			if s.sql.lockMigrations != "" && s.sql.unlockMigrations == "" {
				if _, err := tx.ExecContext(ctx, s.sql.lockMigrations); err != nil {
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
	return inTxOn(ctx, s.db, s.sql.txOptions, fn)
}

// inTxOn runs fn in a transaction of db (a pool or one connection).
func inTxOn(ctx context.Context, db interface {
	BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
}, opts *sql.TxOptions, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, opts)
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
// concurrent writer won) and lost lock races on PostgreSQL and MariaDB.
func interpret(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %w", enforcement.ErrNotFound, err)
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return interpretMySQL(err, me)
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
