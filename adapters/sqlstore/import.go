package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/courtkit/zhixing/enforcement"
)

// Import writes many new cases at once, with their due-item index, in one
// transaction: all of them, or on any error none. The rows are those
// [Store.Create] writes; events are not logged and no messages are drafted
// (use it to migrate existing cases or to load test data), but the
// revision of every court imported into is raised ([Store.Revision]). A
// case whose ID or number exists already, in the database or twice among
// cases, fails the import with an error matching enforcement.ErrConflict.
//
// On PostgreSQL through pgx (as [Open] connects) the rows go in with COPY,
// and into empty tables the secondary indexes are built after the rows
// (the tables are locked until commit); elsewhere the rows go in with
// prepared multi-row INSERTs. Each case's Version is set to
// 1, and restored if the import fails.
func (s *Store) Import(ctx context.Context, cases []*enforcement.Case) error {
	if len(cases) == 0 {
		return nil
	}
	versions := make([]int64, len(cases))
	courts := make([]string, len(cases))
	for i, c := range cases {
		versions[i], courts[i] = c.Version, c.Court
		c.Version = 1
	}
	stamp := s.now().UTC().Format(time.RFC3339Nano)
	err := s.importCases(ctx, cases, courts, stamp)
	if err != nil {
		for i, c := range cases {
			c.Version = versions[i]
		}
		return fmt.Errorf("sqlstore: import %d cases: %w", len(cases), interpret(err))
	}
	return nil
}

func (s *Store) importCases(ctx context.Context, cases []*enforcement.Case, courts []string, stamp string) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	write := s.insertPrepared
	copying := s.dialect == Postgres && isPgx(conn)
	if copying {
		write = func(ctx context.Context, _ *sql.Tx, table, columns string, next rowSource) error {
			return copyRows(ctx, conn, table, columns, next)
		}
	}
	return inTxOn(ctx, conn, s.sql.txOptions, func(tx *sql.Tx) error {
		rebuild := func() error { return nil }
		if copying {
			var err error
			if rebuild, err = dropIndexesIfEmpty(ctx, tx, "cases", "due_items"); err != nil {
				return err
			}
		}
		if err := write(ctx, tx, "cases", caseColumns, caseSource(cases, stamp)); err != nil {
			return fmt.Errorf("cases: %w", err)
		}
		counts := tallies{}
		if err := write(ctx, tx, "due_items", dueColumns, dueSource(cases, counts)); err != nil {
			return fmt.Errorf("due items: %w", err)
		}
		if err := rebuild(); err != nil {
			return err
		}
		if err := s.applyTallies(ctx, tx, counts); err != nil {
			return fmt.Errorf("due tallies: %w", err)
		}
		return s.bump(ctx, tx, courts...)
	})
}

// dropIndexesIfEmpty drops, in tx on PostgreSQL, the secondary indexes of
// tables if they hold no rows, and returns the function that builds them
// again. Building an index over the loaded rows is several times faster
// than maintaining it row by row; keys and unique constraints stay, so a
// duplicate still fails the import. The tables are locked exclusively
// until commit (they were empty: no reader misses anything), and since
// DDL is transactional in PostgreSQL a failed import leaves the indexes as
// they were.
func dropIndexesIfEmpty(ctx context.Context, tx *sql.Tx, tables ...string) (rebuild func() error, err error) {
	nothing := func() error { return nil }
	empty := func() (bool, error) {
		for _, t := range tables {
			var rows bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+t+`)`).Scan(&rows); err != nil || rows {
				return false, err
			}
		}
		return true, nil
	}
	if ok, err := empty(); err != nil || !ok {
		return nothing, err
	}
	if _, err := tx.ExecContext(ctx, `LOCK TABLE `+strings.Join(tables, ", ")+` IN ACCESS EXCLUSIVE MODE`); err != nil {
		return nothing, err
	}
	if ok, err := empty(); err != nil || !ok { // a writer came first
		return nothing, err
	}
	var names, defs []string
	for _, t := range tables {
		rows, err := tx.QueryContext(ctx, `SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
			WHERE i.indrelid = $1::regclass AND NOT i.indisprimary
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`, t)
		if err != nil {
			return nothing, err
		}
		for rows.Next() {
			var name, def string
			if err := rows.Scan(&name, &def); err != nil {
				rows.Close()
				return nothing, err
			}
			names, defs = append(names, name), append(defs, def)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nothing, err
		}
	}
	for _, name := range names {
		if _, err := tx.ExecContext(ctx, `DROP INDEX `+name); err != nil {
			return nothing, fmt.Errorf("drop index %s: %w", name, err)
		}
	}
	return func() error {
		// Sorting for an index build uses maintenance_work_mem (64 MB by
		// default): more keeps the sort of a large import in memory.
		if _, err := tx.ExecContext(ctx, `SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
			return err
		}
		for _, def := range defs {
			if _, err := tx.ExecContext(ctx, def); err != nil {
				return fmt.Errorf("build index: %s: %w", def, err)
			}
		}
		return nil
	}, nil
}

// rowSource returns the next row to write, or nil after the last (the
// contract of pgx.CopyFromFunc).
type rowSource func() ([]any, error)

// caseSource yields the case rows of cases, built by caseRow as
// [Store.Create] builds them.
func caseSource(cases []*enforcement.Case, stamp string) rowSource {
	i := 0
	return func() ([]any, error) {
		if i == len(cases) {
			return nil, nil
		}
		c := cases[i]
		i++
		doc, err := encodeCase(c)
		if err != nil {
			return nil, err
		}
		return caseRow(c, stamp, doc)
	}
}

// dueSource yields the due-item rows of cases, built by dueRows as
// [Store.Create] builds them, and adds their open items to counts.
func dueSource(cases []*enforcement.Case, counts tallies) rowSource {
	i := 0
	var pending [][]any
	return func() ([]any, error) {
		for len(pending) == 0 {
			if i == len(cases) {
				return nil, nil
			}
			rows, err := dueRows(cases[i], counts)
			if err != nil {
				return nil, err
			}
			i++
			pending = rows
		}
		r := pending[0]
		pending = pending[1:]
		return r, nil
	}
}

// isPgx reports whether conn is a pgx connection, which has COPY.
func isPgx(conn *sql.Conn) bool {
	ok := false
	conn.Raw(func(dc any) error {
		_, ok = dc.(*stdlib.Conn)
		return nil
	})
	return ok
}

// copyRows sends the rows of next into table with COPY, on conn while the
// import's transaction is open on it, so the rows are part of it.
func copyRows(ctx context.Context, conn *sql.Conn, table, columns string, next rowSource) error {
	return conn.Raw(func(dc any) error {
		_, err := dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{table}, strings.Split(columns, ", "), pgx.CopyFromFunc(next))
		return err
	})
}

// insertPrepared inserts the rows of next into table with INSERTs of up
// to 500 rows each: one statement prepared once and run for every full
// set, and one more for the rest.
func (s *Store) insertPrepared(ctx context.Context, tx *sql.Tx, table, columns string, next rowSource) error {
	width := strings.Count(columns, ",") + 1
	// 500 rows keep a statement of case documents within MariaDB's
	// max_allowed_packet; 30,000 parameters within SQLite's 32,766.
	per := min(500, 30000/width)
	statement := func(rows int) string {
		tuple := "(" + placeholders(width) + ")"
		return s.q("INSERT INTO " + table + " (" + columns + ") VALUES " + strings.TrimSuffix(strings.Repeat(tuple+", ", rows), ", "))
	}
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, per*width)
	for {
		row, err := next()
		if err != nil {
			return err
		}
		if row == nil {
			break
		}
		args = append(args, row...)
		if len(args) < per*width {
			continue
		}
		if full == nil {
			if full, err = tx.PrepareContext(ctx, statement(per)); err != nil {
				return err
			}
		}
		if _, err := full.ExecContext(ctx, args...); err != nil {
			return err
		}
		args = args[:0]
	}
	if len(args) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, statement(len(args)/width), args...)
	return err
}
