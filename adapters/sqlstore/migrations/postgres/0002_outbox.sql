-- The notification outbox and delivery receipts that came before their send.
CREATE TABLE outbox (
    id          TEXT   NOT NULL PRIMARY KEY,
    idem_key    TEXT   NOT NULL UNIQUE,
    court       TEXT   NOT NULL,
    case_id     TEXT   NOT NULL,
    event_id    TEXT   NOT NULL,
    state       TEXT   NOT NULL,
    due_at      TEXT   NOT NULL,
    created_at  TEXT   NOT NULL,
    mobile      TEXT   NOT NULL,
    provider_id TEXT   NOT NULL,
    doc         TEXT   NOT NULL
);
CREATE INDEX outbox_claim ON outbox (state, due_at);
CREATE INDEX outbox_case ON outbox (court, case_id, created_at);
CREATE INDEX outbox_provider ON outbox (provider_id);

CREATE TABLE outbox_receipts (
    id          BIGSERIAL NOT NULL PRIMARY KEY,
    provider_id TEXT    NOT NULL,
    idem_key    TEXT    NOT NULL,
    doc         TEXT    NOT NULL UNIQUE
);
CREATE INDEX outbox_receipts_provider ON outbox_receipts (provider_id);
CREATE INDEX outbox_receipts_key ON outbox_receipts (idem_key);
