package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/courtkit/zhixing/enforcement"
)

// This file keeps the import as it was before the rows were encoded
// without reflection, the due-item rows sorted, the tallies copied and the
// SQLite page cache raised: the import benchmark's baseline, run beside
// Import. It encodes with the reflecting encoders that Create uses
// (MarshalCase, encodeDue, encodeHead).

// ImportPrevious is [Store.Import] as it was: one transaction, COPY on
// PostgreSQL, prepared 500-row INSERTs elsewhere, secondary indexes built
// after the rows into empty tables, due_tallies by INSERT … ON CONFLICT.
func (s *Store) ImportPrevious(ctx context.Context, cases []*enforcement.Case) error {
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
	err := s.prevImportCases(ctx, cases, courts, stamp)
	if err != nil {
		for i, c := range cases {
			c.Version = versions[i]
		}
		return fmt.Errorf("sqlstore: import %d cases: %w", len(cases), interpret(err))
	}
	return nil
}

func (s *Store) prevImportCases(ctx context.Context, cases []*enforcement.Case, courts []string, stamp string) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	write := s.prevInsertPrepared
	copying := s.dialect == Postgres && prevIsPgx(conn)
	if copying {
		write = func(ctx context.Context, _ *sql.Tx, table, columns string, next prevRowSource) error {
			return prevCopyRows(ctx, conn, table, columns, next)
		}
	}
	return inTxOn(ctx, conn, s.sql.txOptions, func(tx *sql.Tx) error {
		rebuild := func() error { return nil }
		if copying || s.dialect == SQLite {
			var err error
			if rebuild, err = prevDropIndexesIfEmpty(ctx, tx, s.dialect, "cases", "due_items"); err != nil {
				return err
			}
		}
		counts := tallies{}
		for _, t := range []struct {
			table, columns string
			rowsOf         func(*enforcement.Case, tallies) ([][]any, error)
		}{
			{"cases", caseColumns, prevCaseRows(stamp)},
			{"due_items", dueColumns, dueRows},
		} {
			next, stop := prevParallelSource(cases, t.rowsOf, counts)
			err := write(ctx, tx, t.table, t.columns, next)
			stop()
			if err != nil {
				return fmt.Errorf("%s: %w", t.table, err)
			}
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

// prevDropIndexesIfEmpty drops, in tx, the secondary indexes of tables if
// they hold no rows, and returns the function that builds them again.
// Building an index over the loaded rows is several times faster than
// maintaining it row by row; keys and unique constraints stay, so a
// duplicate still fails the import. On PostgreSQL the tables are locked
// exclusively until commit (they were empty: no reader misses anything);
// a SQLite transaction of the store holds the database's write lock
// already. DDL is transactional in both, so a failed import leaves the
// indexes as they were. (Not on MariaDB, where DDL commits on its own.)
func prevDropIndexesIfEmpty(ctx context.Context, tx *sql.Tx, d Dialect, tables ...string) (rebuild func() error, err error) {
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
	// The indexes that are not keys or unique constraints, with the
	// statement that creates each.
	list := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`
	if d == Postgres {
		if _, err := tx.ExecContext(ctx, `LOCK TABLE `+strings.Join(tables, ", ")+` IN ACCESS EXCLUSIVE MODE`); err != nil {
			return nothing, err
		}
		if ok, err := empty(); err != nil || !ok { // a writer came first
			return nothing, err
		}
		list = `SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
			WHERE i.indrelid = $1::regclass AND NOT i.indisprimary
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`
	}
	var names, defs []string
	for _, t := range tables {
		rows, err := tx.QueryContext(ctx, list, t)
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
		if d == Postgres {
			if _, err := tx.ExecContext(ctx, `SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
				return err
			}
		}
		for _, def := range defs {
			if _, err := tx.ExecContext(ctx, def); err != nil {
				return fmt.Errorf("build index: %s: %w", def, err)
			}
		}
		return nil
	}, nil
}

// prevRowSource returns the next row to write, or nil after the last (the
// contract of pgx.CopyFromFunc).
type prevRowSource func() ([]any, error)

// prevCaseRows returns the row of each case, built by caseRow as
// [Store.Create] builds it.
func prevCaseRows(stamp string) func(*enforcement.Case, tallies) ([][]any, error) {
	return func(c *enforcement.Case, _ tallies) ([][]any, error) {
		doc, err := encodeCase(c)
		if err != nil {
			return nil, err
		}
		row, err := caseRow(c, stamp, doc)
		if err != nil {
			return nil, err
		}
		return [][]any{row}, nil
	}
}

// prevImportChunk is how many cases one goroutine of a prevParallelSource
// encodes at a time.
const prevImportChunk = 128

// prevParallelSource yields the rows rowsOf builds for each of cases, in
// order, and adds to counts what rowsOf counts for the rows read.
// Encoding the documents is about half the work of an import, so it runs
// on GOMAXPROCS goroutines, a few chunks ahead of the reader, while the
// database takes the rows already built; each chunk counts apart, and the
// reader adds a chunk's counts when it reads the chunk. stop ends the
// goroutines and must be called once reading ends, whether or not every
// row was read.
func prevParallelSource(cases []*enforcement.Case, rowsOf func(*enforcement.Case, tallies) ([][]any, error), counts tallies) (next prevRowSource, stop func()) {
	type chunk struct {
		rows   [][]any
		counts tallies
		err    error
	}
	workers := runtime.GOMAXPROCS(0)
	order := make(chan chan chunk, 2*workers)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(order)
		slots := make(chan struct{}, workers)
		for start := 0; start < len(cases); start += prevImportChunk {
			out := make(chan chunk, 1)
			select {
			case order <- out:
			case <-done:
				return
			}
			select {
			case slots <- struct{}{}:
			case <-done:
				return
			}
			part := cases[start:min(start+prevImportChunk, len(cases))]
			wg.Go(func() {
				defer func() { <-slots }()
				c := chunk{counts: tallies{}}
				for _, cs := range part {
					rows, err := rowsOf(cs, c.counts)
					if err != nil {
						c.err = err
						break
					}
					c.rows = append(c.rows, rows...)
				}
				out <- c
			})
		}
	})
	var pending [][]any
	next = func() ([]any, error) {
		for len(pending) == 0 {
			out, ok := <-order
			if !ok {
				return nil, nil
			}
			c := <-out
			if c.err != nil {
				return nil, c.err
			}
			for k, n := range c.counts {
				counts[k] += n
			}
			pending = c.rows
		}
		r := pending[0]
		pending = pending[1:]
		return r, nil
	}
	stop = func() {
		close(done)
		for range order { // let the producer see done
		}
		wg.Wait()
	}
	return next, stop
}

// prevIsPgx reports whether conn is a pgx connection, which has COPY.
func prevIsPgx(conn *sql.Conn) bool {
	ok := false
	conn.Raw(func(dc any) error {
		_, ok = dc.(*stdlib.Conn)
		return nil
	})
	return ok
}

// prevCopyRows sends the rows of next into table with COPY, on conn while the
// import's transaction is open on it, so the rows are part of it.
func prevCopyRows(ctx context.Context, conn *sql.Conn, table, columns string, next prevRowSource) error {
	return conn.Raw(func(dc any) error {
		_, err := dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{table}, strings.Split(columns, ", "), pgx.CopyFromFunc(next))
		return err
	})
}

// prevInsertPrepared inserts the rows of next into table with INSERTs of up
// to 500 rows each: one statement prepared once and run for every full
// set, and one more for the rest.
func (s *Store) prevInsertPrepared(ctx context.Context, tx *sql.Tx, table, columns string, next prevRowSource) error {
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
