-- Calendar subscriptions (日历订阅): a judge's secret feed URL
-- /feeds/{token}.ics. The token is the row's id (public, the key) followed
-- by a secret; only a SHA-256 hash of the secret is kept. One token per
-- user: rotating replaces the row, revoking deletes it.
CREATE TABLE IF NOT EXISTS server_feed_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL UNIQUE,
    court TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
