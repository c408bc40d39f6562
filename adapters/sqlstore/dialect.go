package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"

	"github.com/courtkit/zhixing/enforcement"
)

// dialectSQL is everything the store writes differently per database; the
// rest of its SQL is common to the three.
type dialectSQL struct {
	// name names the migrations folder.
	name string
	// numbered placeholders ($1, $2 …) instead of ?.
	numbered bool
	// noLimit is the LIMIT clause of an OFFSET without a limit.
	noLimit string
	// forUpdate locks the rows a read-then-write transaction reads; empty
	// where the transaction holds the database's writer lock (SQLite).
	forUpdate string
	// forUpdateOutbox locks only the outbox row of a join with its
	// receipts (PostgreSQL's FOR UPDATE OF; MariaDB has no OF).
	forUpdateOutbox string
	// skipLocked locks the claimed rows and skips rows other claimers hold.
	skipLocked string
	// lockEvents takes the lock, held until commit, that serialises
	// appends to the event log; empty where transactions are serial.
	lockEvents string
	// upsert is the clause of an INSERT that updates the row with the same
	// key (conflict names the key columns) with set.
	upsert func(conflict, set string) string
	// excluded names the value an upsert tried to insert into column.
	excluded func(column string) string
	// onConflictDoNothing: the INSERT … ON CONFLICT (key) DO NOTHING
	// clause exists. Without it (MySQL) the plain insert runs and a
	// duplicate-key error is taken as the skip (see insertOrSkip).
	onConflictDoNothing bool
	// returning: INSERT … RETURNING exists (SQLite ≥ 3.35, PostgreSQL,
	// MariaDB ≥ 10.5, not MySQL); without it the sequence number is the
	// driver's LastInsertId.
	returning bool
	// txOptions are the options of every transaction.
	txOptions *sql.TxOptions
	// bytewise is the COLLATE clause that orders text byte by byte, as Go
	// compares strings; empty where the columns already do (SQLite's
	// BINARY, MySQL's utf8mb4_nopad_bin).
	bytewise string
}

// eventLogLock is the PostgreSQL advisory lock key that serialises appends
// to the event log.
const eventLogLock int64 = 0x7a68_6576_656e_7473 // "zhevents"

func conflictUpsert(conflict, set string) string {
	return " ON CONFLICT (" + conflict + ") DO UPDATE SET " + set
}

var dialects = map[Dialect]*dialectSQL{
	SQLite: {
		name:                "sqlite",
		noLimit:             " LIMIT -1",
		upsert:              conflictUpsert,
		excluded:            func(c string) string { return "excluded." + c },
		onConflictDoNothing: true,
		returning:           true,
	},
	Postgres: {
		name:                "postgres",
		numbered:            true,
		noLimit:             " LIMIT ALL",
		forUpdate:           " FOR UPDATE",
		forUpdateOutbox:     " FOR UPDATE OF o",
		skipLocked:          " FOR UPDATE SKIP LOCKED",
		lockEvents:          "SELECT pg_advisory_xact_lock(" + strconv.FormatInt(eventLogLock, 10) + ")",
		upsert:              conflictUpsert,
		excluded:            func(c string) string { return "excluded." + c },
		onConflictDoNothing: true,
		returning:           true,
		bytewise:            ` COLLATE "C"`,
	},
	MySQL: {
		name:            "mysql",
		noLimit:         " LIMIT 18446744073709551615",
		forUpdate:       " FOR UPDATE",
		forUpdateOutbox: " FOR UPDATE",
		skipLocked:      " FOR UPDATE SKIP LOCKED",
		// GET_LOCK is held by the session, not the transaction, so the
		// event log's lock is a row lock on a row of zhixing_locks, which
		// commit and rollback release.
		lockEvents: "SELECT name FROM zhixing_locks WHERE name = 'events' FOR UPDATE",
		upsert:     func(_, set string) string { return " ON DUPLICATE KEY UPDATE " + set },
		excluded:   func(c string) string { return "VALUES(" + c + ")" },
		// READ COMMITTED as on PostgreSQL: a read-then-write transaction
		// sees what committed while it waited for a lock, and no gap locks
		// turn concurrent inserts into deadlocks.
		txOptions: &sql.TxOptions{Isolation: sql.LevelReadCommitted},
	},
}

// q rewrites ?-placeholders for the store's dialect.
func (s *Store) q(query string) string { return s.sql.rebind(query) }

// rebind rewrites ?-placeholders for the dialect.
func (ds *dialectSQL) rebind(query string) string {
	if !ds.numbered {
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

// insertOrSkip runs insert (an INSERT without a conflict clause) and
// reports whether it wrote the row; a row whose key column already holds
// the value (exists, a query with the value as its one argument, tells) is
// skipped, as ON CONFLICT (key) DO NOTHING does. MySQL has no such clause,
// and INSERT IGNORE would also hide truncation and other errors, so there
// the plain insert runs and a duplicate-key error on that key is the skip:
// a failed statement does not abort a MySQL transaction. A duplicate on
// another unique key is returned as an error.
func (s *Store) insertOrSkip(ctx context.Context, tx *sql.Tx, insert, key string, args []any, exists string, value any) (sql.Result, bool, error) {
	if s.sql.onConflictDoNothing {
		res, err := tx.ExecContext(ctx, s.q(insert+" ON CONFLICT ("+key+") DO NOTHING"), args...)
		if err != nil {
			return nil, false, err
		}
		n, err := res.RowsAffected()
		return res, n == 1, err
	}
	res, err := tx.ExecContext(ctx, s.q(insert), args...)
	if err == nil {
		return res, true, nil
	}
	if !isDuplicate(err) {
		return nil, false, err
	}
	var n int
	if err2 := tx.QueryRowContext(ctx, s.q(exists), value).Scan(&n); err2 != nil {
		return nil, false, errors.Join(err, err2)
	}
	if n == 0 {
		return nil, false, err
	}
	return nil, false, nil
}

// MySQL and MariaDB server error numbers.
const (
	mysqlDupEntry        = 1062
	mysqlLockWaitTimeout = 1205
	mysqlDeadlock        = 1213
	mysqlRecordChanged   = 1020 // MariaDB's innodb_snapshot_isolation
)

func isDuplicate(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && me.Number == mysqlDupEntry
}

// interpretMySQL maps a MySQL/MariaDB error: a duplicate key and a lost
// race for a lock (deadlock, lock wait timeout) are conflicts the caller
// may retry.
func interpretMySQL(err error, me *mysql.MySQLError) error {
	switch me.Number {
	case mysqlDupEntry, mysqlLockWaitTimeout, mysqlDeadlock, mysqlRecordChanged:
		return fmt.Errorf("%w: %w", enforcement.ErrConflict, err)
	}
	return err
}
