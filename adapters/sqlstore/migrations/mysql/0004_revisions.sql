-- Each court's revision, raised in the transaction of every change to the
-- court's cases, due items or plans (Store.Revision); see the PostgreSQL
-- step for why a counter row and not MAX(events.seq).
CREATE TABLE court_revisions (
    court VARCHAR(128) NOT NULL PRIMARY KEY,
    rev   BIGINT       NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
