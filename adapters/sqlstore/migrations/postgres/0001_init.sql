-- Cases, their due-item index and the event log.
CREATE TABLE cases (
    id         TEXT    NOT NULL PRIMARY KEY,
    court      TEXT    NOT NULL,
    number     TEXT    NOT NULL,
    judge_id   TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    key_case   BOOLEAN NOT NULL,
    filed_on   TEXT    NOT NULL,
    version    BIGINT  NOT NULL,
    applied    BIGINT  NOT NULL, -- fen (0.01 yuan), for sums in SQL
    recovered  BIGINT  NOT NULL,
    -- Party requests not yet answered, requests answered after their
    -- resolve-by date, and supervision orders (answered or not): the
    -- chief's view reads only the cases these point at.
    open_requests BIGINT NOT NULL,
    late_answers  BIGINT NOT NULL,
    orders        BIGINT NOT NULL,
    -- The case's requests and orders alone, for those lists.
    sup_doc       TEXT   NOT NULL,
    updated_at TEXT    NOT NULL,
    doc        TEXT    NOT NULL,
    UNIQUE (court, number)
);
CREATE INDEX cases_court_figures ON cases (court, judge_id, status, key_case, applied, recovered, late_answers, filed_on);
CREATE INDEX cases_court_status ON cases (court, status, key_case, filed_on);
CREATE INDEX cases_court_key ON cases (court, key_case);
CREATE INDEX cases_court_requests ON cases (court, open_requests);
CREATE INDEX cases_court_orders ON cases (court, orders);

CREATE TABLE due_items (
    case_id  TEXT    NOT NULL,
    due_id   TEXT    NOT NULL,
    court    TEXT    NOT NULL,
    judge_id TEXT    NOT NULL,
    key_case BOOLEAN NOT NULL,
    is_open  BOOLEAN NOT NULL,
    due_on   TEXT    NOT NULL,
    pos      BIGINT  NOT NULL, -- the item's place in the case's list
    owner    TEXT    NOT NULL,
    warn_on  TEXT,            -- the earliest reminder date; NULL if none
    doc      TEXT    NOT NULL,
    PRIMARY KEY (case_id, due_id)
);
CREATE INDEX due_items_court_open ON due_items (court, is_open, due_on, case_id, due_id, judge_id, owner, warn_on);
CREATE INDEX due_items_court_key_open ON due_items (court, key_case, is_open, case_id, pos);
CREATE INDEX due_items_court_judge_open ON due_items (court, judge_id, is_open, due_on, case_id, due_id, warn_on);

CREATE TABLE events (
    seq     BIGSERIAL NOT NULL PRIMARY KEY,
    id      TEXT    NOT NULL UNIQUE,
    case_id TEXT    NOT NULL,
    court   TEXT    NOT NULL,
    kind    TEXT    NOT NULL,
    at      TEXT    NOT NULL,
    doc     TEXT    NOT NULL
);
