-- Parties sign in as themselves: the key their query codes are derived
-- from (generated once, unless configured), their one-time codes (only a
-- keyed hash of each), and until when a party's session may act for it.
CREATE TABLE IF NOT EXISTS server_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS server_otps (
    case_id TEXT NOT NULL,
    party_id TEXT NOT NULL,
    session_hash TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    tries INTEGER NOT NULL,
    sent_at BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    window_sends INTEGER NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (case_id, party_id)
);
ALTER TABLE server_sessions ADD COLUMN acting_until BIGINT NOT NULL DEFAULT 0;
