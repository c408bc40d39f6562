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

// Import writes many new cases at once, with their due-item index, in one
// transaction: all of them, or on any error none. The rows are those
// [Store.Create] writes; events are not logged and no messages are drafted
// (use it to migrate existing cases or to load test data), but the
// revision of every court imported into is raised ([Store.Revision]). A
// case whose ID or number exists already, in the database or twice among
// cases, fails the import with an error matching enforcement.ErrConflict.
//
// On PostgreSQL through pgx (as [Open] connects) the rows go in with COPY;
// elsewhere with prepared multi-row INSERTs. Into empty tables on
// PostgreSQL and SQLite the secondary indexes are built after the rows
// (on PostgreSQL the tables are locked until commit) and due_tallies'
// counts are written as rows. Each case's Version is set to 1, and
// restored if the import fails.
//
// Where the time goes, on PostgreSQL: about two thirds in building the
// secondary indexes (the sorts of their keys, in the server), the rest in
// COPY and in encoding the case documents (on every core, while the
// server takes the rows already encoded).
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
		empty := false
		if copying || s.dialect == SQLite {
			var err error
			if rebuild, empty, err = dropIndexesIfEmpty(ctx, tx, s.dialect, "cases", "due_items", "due_tallies"); err != nil {
				return err
			}
		}
		counts := tallies{}
		for _, t := range []struct {
			table, columns string
			rowsOf         func(*enforcement.Case, tallies) ([][]any, error)
		}{
			{"cases", caseColumns, caseRows(stamp)},
			{"due_items", dueColumns, importDueRows},
		} {
			next, stop := parallelSource(cases, t.rowsOf, counts)
			err := write(ctx, tx, t.table, t.columns, next)
			stop()
			if err != nil {
				return fmt.Errorf("%s: %w", t.table, err)
			}
		}
		if err := rebuild(); err != nil {
			return err
		}
		tallyTo := s.applyTallies
		if empty {
			// Into an empty table the counts are rows to write, with
			// nothing to add to: they go as the other rows do.
			// due_totals, folded over dates, is a few rows per judge.
			tallyTo = func(ctx context.Context, tx *sql.Tx, t tallies) error {
				if err := write(ctx, tx, "due_tallies", tallyColumns, tallyRows(t)); err != nil {
					return err
				}
				return s.applyDueTotals(ctx, tx, t)
			}
		}
		if err := tallyTo(ctx, tx, counts); err != nil {
			return fmt.Errorf("due tallies: %w", err)
		}
		figures := caseTallies{}
		for _, c := range cases {
			figures.addCase(c, 1)
		}
		if err := s.applyCaseTallies(ctx, tx, figures); err != nil {
			return fmt.Errorf("case tallies: %w", err)
		}
		return s.bump(ctx, tx, courts...)
	})
}

// dropIndexesIfEmpty drops, in tx, the secondary indexes of tables if
// they hold no rows, and returns the function that builds them again and
// whether they were empty.
// Building an index over the loaded rows is several times faster than
// maintaining it row by row; keys and unique constraints stay, so a
// duplicate still fails the import. On PostgreSQL the tables are locked
// exclusively until commit (they were empty: no reader misses anything);
// a SQLite transaction of the store holds the database's write lock
// already. DDL is transactional in both, so a failed import leaves the
// indexes as they were. (Not on MariaDB, where DDL commits on its own.)
func dropIndexesIfEmpty(ctx context.Context, tx *sql.Tx, d Dialect, tables ...string) (rebuild func() error, empty bool, err error) {
	nothing := func() error { return nil }
	isEmpty := func() (bool, error) {
		for _, t := range tables {
			var rows bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+t+`)`).Scan(&rows); err != nil || rows {
				return false, err
			}
		}
		return true, nil
	}
	if ok, err := isEmpty(); err != nil || !ok {
		return nothing, false, err
	}
	// The indexes that are not keys or unique constraints, with the
	// statement that creates each.
	list := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`
	if d == Postgres {
		if _, err := tx.ExecContext(ctx, `LOCK TABLE `+strings.Join(tables, ", ")+` IN ACCESS EXCLUSIVE MODE`); err != nil {
			return nothing, false, err
		}
		if ok, err := isEmpty(); err != nil || !ok { // a writer came first
			return nothing, false, err
		}
		list = `SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
			WHERE i.indrelid = $1::regclass AND NOT i.indisprimary
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`
	}
	var names, defs []string
	for _, t := range tables {
		rows, err := tx.QueryContext(ctx, list, t)
		if err != nil {
			return nothing, false, err
		}
		for rows.Next() {
			var name, def string
			if err := rows.Scan(&name, &def); err != nil {
				rows.Close()
				return nothing, false, err
			}
			names, defs = append(names, name), append(defs, def)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nothing, false, err
		}
	}
	for _, name := range names {
		if _, err := tx.ExecContext(ctx, `DROP INDEX `+name); err != nil {
			return nothing, false, fmt.Errorf("drop index %s: %w", name, err)
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
	}, true, nil
}

// rowSource returns the next row to write, or nil after the last (the
// contract of pgx.CopyFromFunc).
type rowSource func() ([]any, error)

// caseRows returns the row of each case, built by caseRow as
// [Store.Create] builds it, the document encoded as MarshalCase encodes
// it.
func caseRows(stamp string) func(*enforcement.Case, tallies) ([][]any, error) {
	return func(c *enforcement.Case, _ tallies) ([][]any, error) {
		doc, err := encodeCaseForImport(c)
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

// importDueRows returns the rows dueRows returns for case c, and adds its
// open items to counts as dueRows does.
func importDueRows(c *enforcement.Case, counts tallies) ([][]any, error) {
	due, brief, head := encodeDueForImport(c)
	rows := make([][]any, len(c.DueItems))
	for i, d := range c.DueItems {
		rows[i] = dueRowOf(c, i, d, due[i], brief[i], head[i])
	}
	counts.addCase(c, 1)
	return rows, nil
}

// importChunk is how many cases one goroutine of a parallelSource
// encodes at a time.
const importChunk = 128

// parallelSource yields the rows rowsOf builds for each of cases, in
// order, and adds to counts what rowsOf counts for the rows read.
// Encoding the documents is about half the work of an import, so it runs
// on GOMAXPROCS goroutines, a few chunks ahead of the reader, while the
// database takes the rows already built; each chunk counts apart, and the
// reader adds a chunk's counts when it reads the chunk. stop ends the
// goroutines and must be called once reading ends, whether or not every
// row was read.
func parallelSource(cases []*enforcement.Case, rowsOf func(*enforcement.Case, tallies) ([][]any, error), counts tallies) (next rowSource, stop func()) {
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
		for start := 0; start < len(cases); start += importChunk {
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
			part := cases[start:min(start+importChunk, len(cases))]
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
