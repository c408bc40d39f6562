-- Parties sign in as themselves: the key their query codes are derived
-- from (generated once, unless configured), their one-time codes (only a
-- keyed hash of each), and until when a party's session may act for it.
CREATE TABLE IF NOT EXISTS server_secrets (
    name  VARCHAR(128) NOT NULL PRIMARY KEY,
    value TEXT         NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TABLE IF NOT EXISTS server_otps (
    case_id      VARCHAR(128) NOT NULL,
    party_id     VARCHAR(128) NOT NULL,
    session_hash VARCHAR(255) NOT NULL,
    code_hash    VARCHAR(255) NOT NULL,
    expires_at   BIGINT       NOT NULL,
    tries        INTEGER      NOT NULL,
    sent_at      BIGINT       NOT NULL,
    window_start BIGINT       NOT NULL,
    window_sends INTEGER      NOT NULL,
    seq          BIGINT       NOT NULL,
    PRIMARY KEY (case_id, party_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
-- IF NOT EXISTS (MariaDB's): the step can be run again after a failure.
ALTER TABLE server_sessions ADD COLUMN IF NOT EXISTS acting_until BIGINT NOT NULL DEFAULT 0;
