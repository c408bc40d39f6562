-- The server's own tables beside the library's: users, sessions, field
-- trips, inbound replies awaiting a person, the relay's cursor and the
-- calendar changes loaded at run time. IF NOT EXISTS: databases created
-- before these migrations already hold the tables, without a version row.
CREATE TABLE IF NOT EXISTS server_users (
    id TEXT PRIMARY KEY,
    court TEXT NOT NULL,
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    mobile TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS server_sessions (
    token_hash TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    user_id TEXT NOT NULL DEFAULT '',
    case_id TEXT NOT NULL DEFAULT '',
    party_id TEXT NOT NULL DEFAULT '',
    csrf TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS server_trips (
    id TEXT PRIMARY KEY,
    court TEXT NOT NULL,
    judge_id TEXT NOT NULL,
    start_at BIGINT NOT NULL,
    end_at BIGINT NOT NULL,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS server_replies (
    id TEXT PRIMARY KEY,
    court TEXT NOT NULL,
    status TEXT NOT NULL,
    doc TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS server_cursor (
    name TEXT PRIMARY KEY,
    seq BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS server_calendar (
    seq INTEGER NOT NULL,
    court TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (court, seq)
);
