-- Calendar subscriptions (日历订阅): a judge's secret feed URL
-- /feeds/{token}.ics. The token is the row's id (public, the key) followed
-- by a secret; only a SHA-256 hash of the secret is kept. One token per
-- user: rotating replaces the row, revoking deletes it.
CREATE TABLE IF NOT EXISTS server_feed_tokens (
    id          VARCHAR(128) NOT NULL PRIMARY KEY,
    user_id     VARCHAR(128) NOT NULL UNIQUE,
    court       VARCHAR(128)  NOT NULL,
    secret_hash VARCHAR(128) NOT NULL,
    created_at  BIGINT       NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
