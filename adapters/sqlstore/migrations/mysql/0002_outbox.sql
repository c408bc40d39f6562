-- The notification outbox and delivery receipts that came before their send.
CREATE TABLE outbox (
    id          VARCHAR(255) NOT NULL PRIMARY KEY,
    idem_key    VARCHAR(255) NOT NULL UNIQUE,
    court       VARCHAR(128) NOT NULL,
    case_id     VARCHAR(128) NOT NULL,
    event_id    VARCHAR(255) NOT NULL,
    state       VARCHAR(32)  NOT NULL,
    due_at      VARCHAR(40)  NOT NULL,
    created_at  VARCHAR(40)  NOT NULL,
    mobile      VARCHAR(64)  NOT NULL,
    provider_id VARCHAR(255) NOT NULL,
    doc         LONGTEXT     NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX outbox_claim ON outbox (state, due_at);
CREATE INDEX outbox_case ON outbox (court, case_id, created_at);
CREATE INDEX outbox_provider ON outbox (provider_id);

-- UNIQUE over LONGTEXT is a hash key in MariaDB (10.4 or later).
CREATE TABLE outbox_receipts (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    provider_id VARCHAR(255) NOT NULL,
    idem_key    VARCHAR(255) NOT NULL,
    doc         LONGTEXT     NOT NULL,
    UNIQUE KEY outbox_receipts_doc (doc)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX outbox_receipts_provider ON outbox_receipts (provider_id);
CREATE INDEX outbox_receipts_key ON outbox_receipts (idem_key);
