-- Consumers' places in the event log (notify.Relay): the last sequence
-- number whose events were fully handled, per consumer name.
CREATE TABLE cursors (
    name VARCHAR(255) NOT NULL PRIMARY KEY,
    seq  BIGINT       NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
