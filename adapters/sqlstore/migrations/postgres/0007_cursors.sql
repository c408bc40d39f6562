-- Consumers' places in the event log (notify.Relay): the last sequence
-- number whose events were fully handled, per consumer name.
CREATE TABLE cursors (
    name TEXT PRIMARY KEY,
    seq  BIGINT NOT NULL
);
