-- The server's own tables beside the library's (MariaDB 10.6 or later):
-- users, sessions, field trips, inbound replies awaiting a person, the
-- relay's cursor and the calendar changes loaded at run time. As in the
-- library's MariaDB tables, every table is utf8mb4 with the
-- utf8mb4_nopad_bin collation, so keys compare exactly as on SQLite and
-- PostgreSQL; keyed text columns are VARCHAR, documents LONGTEXT. IF NOT
-- EXISTS: MariaDB commits DDL on its own, so a step that failed half-way
-- can be run again.
CREATE TABLE IF NOT EXISTS server_users (
    id            VARCHAR(255) NOT NULL PRIMARY KEY,
    court         VARCHAR(128) NOT NULL,
    role          VARCHAR(64)  NOT NULL,
    name          VARCHAR(255) NOT NULL,
    mobile        VARCHAR(64)  NOT NULL DEFAULT '',
    password_hash TEXT         NOT NULL,
    created_at    VARCHAR(40)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE IF NOT EXISTS server_sessions (
    token_hash VARCHAR(255) NOT NULL PRIMARY KEY,
    kind       VARCHAR(64)  NOT NULL,
    user_id    VARCHAR(255) NOT NULL DEFAULT '',
    case_id    VARCHAR(128) NOT NULL DEFAULT '',
    party_id   VARCHAR(128) NOT NULL DEFAULT '',
    csrf       VARCHAR(255) NOT NULL,
    expires_at BIGINT       NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE IF NOT EXISTS server_trips (
    id       VARCHAR(255) NOT NULL PRIMARY KEY,
    court    VARCHAR(128) NOT NULL,
    judge_id VARCHAR(128) NOT NULL,
    start_at BIGINT       NOT NULL,
    end_at   BIGINT       NOT NULL,
    doc      LONGTEXT     NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE IF NOT EXISTS server_replies (
    id          VARCHAR(255) NOT NULL PRIMARY KEY,
    court       VARCHAR(128) NOT NULL,
    status      VARCHAR(64)  NOT NULL,
    doc         LONGTEXT     NOT NULL,
    received_at BIGINT       NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE IF NOT EXISTS server_cursor (
    name VARCHAR(128) NOT NULL PRIMARY KEY,
    seq  BIGINT       NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE IF NOT EXISTS server_calendar (
    seq   BIGINT       NOT NULL,
    court VARCHAR(128) NOT NULL,
    kind  VARCHAR(64)  NOT NULL,
    body  LONGTEXT     NOT NULL,
    PRIMARY KEY (court, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
