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
// knows is an error ([ErrSchemaTooNew]). [Migrate], the runner that
// applies them, also applies a program's own migrations for the tables it
// keeps beside the store's.
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
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib" // also registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

//go:embed migrations
var migrations embed.FS

// storeGoSteps are the parts of the store's migrations that read stored
// documents, by version, run after the SQL of that version.
var storeGoSteps = map[int]goStep{17: fillOpenOrders, 18: fillBriefs}

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

// poolSize is how many connections Open keeps, open and idle. Idle ones
// are kept as many as open ones: database/sql keeps two by default, so
// under concurrent reads the others would be closed after each query and
// opened again, each time with a new connection handshake and, on
// PostgreSQL, without the statements pgx has prepared on them.
const poolSize = 20

// Open opens the database and applies any pending migrations. driver is
// "sqlite" (dsn a file path, or a "file:" URI), "pgx"/"postgres" (dsn a
// PostgreSQL URL or keyword string) or "mysql"/"mariadb" (dsn in
// github.com/go-sql-driver/mysql's form, such as
// "user:password@tcp(127.0.0.1:3306)/court"; see the package doc). On
// PostgreSQL the sessions run without parallel query unless dsn sets
// max_parallel_workers_per_gather (see openPostgres).
func Open(ctx context.Context, driver, dsn string) (*Store, error) {
	var d Dialect
	var db *sql.DB
	var err error
	switch driver {
	case "sqlite", "sqlite3":
		d = SQLite
		db, err = sql.Open("sqlite", sqliteDSN(dsn))
		if err == nil {
			db.SetMaxIdleConns(poolSize)
		}
	case "pgx", "postgres", "postgresql":
		d = Postgres
		db, err = openPostgres(dsn)
		if err == nil {
			db.SetMaxOpenConns(poolSize)
			db.SetMaxIdleConns(poolSize)
		}
	case "mysql", "mariadb":
		d = MySQL
		db, err = sql.Open("mysql", dsn)
		if err == nil {
			db.SetMaxOpenConns(poolSize)
			db.SetMaxIdleConns(poolSize)
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

// openPostgres opens dsn through pgx with parallel query off for the
// store's sessions (max_parallel_workers_per_gather = 0) unless dsn sets
// it. Every query of the store reads one court's bounded rows through an
// index; PostgreSQL plans a parallel scan for some of them anyway (the
// chief's listing of the most urgent items, which stops after a few
// hundred rows), and starting its workers costs more than the query, and
// takes cores from the requests running beside it.
func openPostgres(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	if _, ok := cfg.RuntimeParams["max_parallel_workers_per_gather"]; !ok {
		cfg.RuntimeParams["max_parallel_workers_per_gather"] = "0"
	}
	return stdlib.OpenDB(*cfg), nil
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

// SchemaVersion is the newest schema version this code knows.
func (s *Store) SchemaVersion() int {
	ms, _ := readMigrations(migrations, path.Join("migrations", s.sql.name))
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrate applies the store's pending migrations (see [Migrate]).
func (s *Store) migrate(ctx context.Context) error {
	files, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("sqlstore: read migrations: %w", err)
	}
	return migrate(ctx, s.db, s.dialect, files, storeVersionTable, storeGoSteps)
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
