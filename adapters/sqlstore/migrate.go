package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/courtkit/zhixing/enforcement"
)

// storeVersionTable records the store's own migrations.
const storeVersionTable = "zhixing_migrations"

// versionTableName is what Migrate accepts as a version table's name: it
// is written into the SQL, so it must be a plain identifier.
var versionTableName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Migrate applies to db, a database of dialect d, every migration in files
// that versionTable does not record as applied, in version order, each in
// its own transaction, and records it there. files holds one folder per
// dialect (sqlite, postgres, mysql) of files named NNNN_name.sql, with
// statements ending in a semicolon at the end of a line; lines starting
// with -- are comments. A step is applied when its version is not in the
// table, not only when it is above the highest recorded version, so a step
// merged later with a lower number, or removed from the table by hand to
// run it again, is applied. A database that records a version above the
// highest in files was migrated by newer code and is refused with
// [ErrSchemaTooNew]; nothing is applied then.
//
// Processes migrating one database at once apply each step once: on
// PostgreSQL each step's transaction first takes an advisory lock
// (pg_advisory_xact_lock) derived from versionTable and then reads the
// applied versions; on MariaDB, whose DDL commits on its own, one
// connection holds GET_LOCK(versionTable) around all the steps; on SQLite
// each transaction takes the write lock when it begins, which needs
// _txlock=immediate in the DSN (as [Open] sets). A MariaDB step that fails
// half-way is not rolled back (see the package doc).
//
// [Open] and [New] run it with the store's own migrations; a program that
// keeps tables of its own beside the store's runs it with its own files
// and version table.
func Migrate(ctx context.Context, db *sql.DB, d Dialect, files fs.FS, versionTable string) error {
	return migrate(ctx, db, d, files, versionTable, nil)
}

// goStep is the part of a migration that SQL cannot say in every dialect
// (reading the stored documents), run after the step's SQL in its
// transaction.
type goStep func(ctx context.Context, tx *sql.Tx, ds *dialectSQL) error

// migrate is Migrate with goSteps, run after the SQL of their version.
func migrate(ctx context.Context, db *sql.DB, d Dialect, files fs.FS, versionTable string, goSteps map[int]goStep) error {
	ds, ok := dialects[d]
	if !ok {
		return fmt.Errorf("sqlstore: migrate: unknown dialect %d", int(d))
	}
	if !versionTableName.MatchString(versionTable) {
		return fmt.Errorf("sqlstore: migrate: version table %q is not a lower-case identifier", versionTable)
	}
	ms, err := readMigrations(files, ds.name)
	if err != nil {
		return fmt.Errorf("sqlstore: migrate %s: %w", versionTable, err)
	}
	if len(ms) == 0 {
		return fmt.Errorf("sqlstore: migrate %s: no migrations for %s", versionTable, d)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqlstore: migrate %s: %w", versionTable, err)
	}
	defer conn.Close()
	for v := range goSteps {
		if !slices.ContainsFunc(ms, func(m migration) bool { return m.version == v }) {
			return fmt.Errorf("sqlstore: migrate %s: a Go step for version %d, which has no SQL file for %s", versionTable, v, ds.name)
		}
	}
	r := &migrator{ds: ds, table: versionTable, ms: ms, goSteps: goSteps}
	if d == MySQL {
		var got sql.NullInt64
		if err := conn.QueryRowContext(ctx, `SELECT GET_LOCK(?, 600)`, versionTable).Scan(&got); err != nil || got.Int64 != 1 {
			return fmt.Errorf("sqlstore: migrate %s: lock (%v): %w", versionTable, got, errors.Join(err, enforcement.ErrConflict))
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT RELEASE_LOCK(?)`, versionTable)
	}
	if d == Postgres {
		r.lock = migrationLockKey(versionTable)
	}
	for {
		done, err := r.step(ctx, conn)
		if errors.Is(err, ErrSchemaTooNew) {
			return fmt.Errorf("sqlstore: migrate %s: %w", versionTable, err)
		}
		if err != nil {
			return fmt.Errorf("sqlstore: migrate %s: %w", versionTable, interpret(err))
		}
		if done {
			return nil
		}
	}
}

// migrationLockKey is the PostgreSQL advisory lock key of the migrations
// recorded in versionTable: the store's and a program's own tables migrate
// under different locks.
func migrationLockKey(versionTable string) int64 {
	h := fnv.New64a()
	h.Write([]byte("zhixing migrations " + versionTable))
	return int64(h.Sum64())
}

// migration is one schema step read from a migrations folder.
type migration struct {
	version int
	name    string
	sql     string
}

// readMigrations lists the migrations in folder dir of files in version
// order.
func readMigrations(files fs.FS, dir string) ([]migration, error) {
	entries, err := fs.ReadDir(files, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	seen := map[int]string{}
	for _, e := range entries {
		name := e.Name()
		prefix, _, _ := strings.Cut(name, "_")
		v, err := strconv.Atoi(prefix)
		if err != nil || v <= 0 || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("bad migration name %s (want NNNN_name.sql)", name)
		}
		if other, ok := seen[v]; ok {
			return nil, fmt.Errorf("migrations %s and %s have one version", other, name)
		}
		seen[v] = name
		b, err := fs.ReadFile(files, dir+"/"+name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// migrator applies one list of migrations.
type migrator struct {
	ds    *dialectSQL
	table string
	ms    []migration
	// lock is the PostgreSQL advisory lock key each step takes; 0 for
	// none.
	lock int64
	// goSteps run after the SQL of their version, in its transaction.
	goSteps map[int]goStep
}

// step applies the first migration not recorded, in one transaction, and
// reports whether none was left.
func (r *migrator) step(ctx context.Context, conn *sql.Conn) (done bool, err error) {
	err = inTxOn(ctx, conn, r.ds.txOptions, func(tx *sql.Tx) error {
		if r.lock != 0 {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, r.lock); err != nil {
				return fmt.Errorf("lock: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+r.table+` (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
			return fmt.Errorf("create %s: %w", r.table, err)
		}
		applied, current, err := r.applied(ctx, tx)
		if err != nil {
			return err
		}
		if known := r.ms[len(r.ms)-1].version; current > known {
			return fmt.Errorf("schema version %d, code knows up to %d: %w", current, known, ErrSchemaTooNew)
		}
		var next *migration
		for i := range r.ms {
			if !applied[r.ms[i].version] {
				next = &r.ms[i]
				break
			}
		}
		if next == nil {
			done = true
			return nil
		}
		for _, stmt := range splitSQL(next.sql) {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("%s: %w", next.name, err)
			}
		}
		if run := r.goSteps[next.version]; run != nil {
			if err := run(ctx, tx, r.ds); err != nil {
				return fmt.Errorf("%s: %w", next.name, err)
			}
		}
		_, err = tx.ExecContext(ctx, r.ds.rebind(`INSERT INTO `+r.table+` (version, name, applied_at) VALUES (?, ?, ?)`),
			next.version, next.name, time.Now().UTC().Format(time.RFC3339Nano))
		if err != nil {
			return fmt.Errorf("record %s: %w", next.name, err)
		}
		return nil
	})
	return done, err
}

// applied returns the versions recorded in the version table and the
// highest of them.
func (r *migrator) applied(ctx context.Context, tx *sql.Tx) (map[int]bool, int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT version FROM `+r.table)
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
