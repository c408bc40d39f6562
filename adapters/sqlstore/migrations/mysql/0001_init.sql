-- Cases, their due-item index and the event log (MariaDB 10.6 or later).
-- Every table is utf8mb4 with the utf8mb4_nopad_bin collation, so IDs and
-- keys compare exactly (case and trailing spaces count) and sort by code
-- point, as on SQLite and PostgreSQL; MariaDB's default collation ignores
-- case. Keyed text columns are VARCHAR (an index key holds at most 3072
-- bytes, 4 per character); documents are LONGTEXT.
CREATE TABLE cases (
    id         VARCHAR(128) NOT NULL PRIMARY KEY,
    court      VARCHAR(128) NOT NULL,
    number     VARCHAR(128) NOT NULL,
    judge_id   VARCHAR(128) NOT NULL,
    status     VARCHAR(32)  NOT NULL,
    key_case   BOOLEAN      NOT NULL,
    filed_on   VARCHAR(32)  NOT NULL,
    version    BIGINT       NOT NULL,
    applied    BIGINT       NOT NULL, -- fen (0.01 yuan), for sums in SQL
    recovered  BIGINT       NOT NULL,
    -- Party requests not yet answered, requests answered after their
    -- resolve-by date, and supervision orders (answered or not): the
    -- chief's view reads only the cases these point at.
    open_requests BIGINT NOT NULL,
    late_answers  BIGINT NOT NULL,
    orders        BIGINT NOT NULL,
    -- The case's requests and orders alone, for those lists.
    sup_doc       LONGTEXT NOT NULL,
    updated_at VARCHAR(40) NOT NULL,
    doc        LONGTEXT    NOT NULL,
    UNIQUE KEY cases_court_number (court, number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX cases_court_figures ON cases (court, judge_id, status, key_case, applied, recovered, late_answers, filed_on);
CREATE INDEX cases_court_status ON cases (court, status, key_case, filed_on);
CREATE INDEX cases_court_key ON cases (court, key_case);
CREATE INDEX cases_court_requests ON cases (court, open_requests);
CREATE INDEX cases_court_orders ON cases (court, orders);

CREATE TABLE due_items (
    case_id  VARCHAR(128) NOT NULL,
    due_id   VARCHAR(128) NOT NULL,
    court    VARCHAR(128) NOT NULL,
    judge_id VARCHAR(128) NOT NULL,
    key_case BOOLEAN      NOT NULL,
    is_open  BOOLEAN      NOT NULL,
    due_on   VARCHAR(32)  NOT NULL,
    pos      BIGINT       NOT NULL, -- the item's place in the case's list
    owner    VARCHAR(64)  NOT NULL,
    warn_on  VARCHAR(32),           -- the earliest reminder date; NULL if none
    doc      LONGTEXT     NOT NULL,
    PRIMARY KEY (case_id, due_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX due_items_court_open ON due_items (court, is_open, due_on, case_id, due_id, judge_id, owner, warn_on);
CREATE INDEX due_items_court_key_open ON due_items (court, key_case, is_open, case_id, pos);
CREATE INDEX due_items_court_judge_open ON due_items (court, judge_id, is_open, due_on, case_id, due_id, warn_on);

CREATE TABLE events (
    seq     BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    id      VARCHAR(255) NOT NULL UNIQUE,
    case_id VARCHAR(128) NOT NULL,
    court   VARCHAR(128) NOT NULL,
    kind    VARCHAR(64)  NOT NULL,
    at      VARCHAR(40)  NOT NULL,
    doc     LONGTEXT     NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

-- Appends to the event log lock the row 'events' (SELECT … FOR UPDATE)
-- until commit: AUTO_INCREMENT hands out numbers at insert, so without it a
-- change could commit seq 11 while seq 10 is still open.
CREATE TABLE zhixing_locks (
    name VARCHAR(64) NOT NULL PRIMARY KEY
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
INSERT INTO zhixing_locks (name) VALUES ('events');
