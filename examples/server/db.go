package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/courtkit/zhixing/adapters/sqlstore"
)

// serverSchema is the server's own tables, beside the library's: users,
// sessions, field trips, inbound replies awaiting a person, and the calendar
// changes loaded at run time. The statements are portable between SQLite and
// PostgreSQL.
var serverSchema = []string{
	`CREATE TABLE IF NOT EXISTS server_users (
		id TEXT PRIMARY KEY,
		court TEXT NOT NULL,
		role TEXT NOT NULL,
		name TEXT NOT NULL,
		mobile TEXT NOT NULL DEFAULT '',
		password_hash TEXT NOT NULL,
		created_at TEXT NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS server_sessions (
		token_hash TEXT PRIMARY KEY,
		kind TEXT NOT NULL,
		user_id TEXT NOT NULL DEFAULT '',
		case_id TEXT NOT NULL DEFAULT '',
		party_id TEXT NOT NULL DEFAULT '',
		csrf TEXT NOT NULL,
		expires_at BIGINT NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS server_trips (
		id TEXT PRIMARY KEY,
		court TEXT NOT NULL,
		judge_id TEXT NOT NULL,
		start_at BIGINT NOT NULL,
		end_at BIGINT NOT NULL,
		doc TEXT NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS server_replies (
		id TEXT PRIMARY KEY,
		court TEXT NOT NULL,
		status TEXT NOT NULL,
		doc TEXT NOT NULL,
		received_at BIGINT NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS server_cursor (
		name TEXT PRIMARY KEY,
		seq BIGINT NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS server_calendar (
		seq INTEGER NOT NULL,
		court TEXT NOT NULL,
		kind TEXT NOT NULL,
		body TEXT NOT NULL,
		PRIMARY KEY (court, seq)
	)`,
}

// sqldb wraps the store's database with placeholder rewriting.
type sqldb struct {
	db      *sql.DB
	dialect sqlstore.Dialect
}

func newSQLDB(ctx context.Context, s *sqlstore.Store) (*sqldb, error) {
	d := &sqldb{db: s.DB(), dialect: s.Dialect()}
	for _, stmt := range serverSchema {
		if _, err := d.db.ExecContext(ctx, stmt); err != nil {
			return nil, fmt.Errorf("server schema: %w", err)
		}
	}
	return d, nil
}

// q rewrites ? placeholders to $n for PostgreSQL.
func (d *sqldb) q(query string) string {
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

func (d *sqldb) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return d.db.ExecContext(ctx, d.q(query), args...)
}

func (d *sqldb) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return d.db.QueryContext(ctx, d.q(query), args...)
}

func (d *sqldb) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return d.db.QueryRowContext(ctx, d.q(query), args...)
}

var errNoRows = sql.ErrNoRows

func isNoRows(err error) bool { return errors.Is(err, errNoRows) }
