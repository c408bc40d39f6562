-- Per-judge summary rows for the figures that cross cases, kept in the
-- transaction that writes the case: a court's case counts and sums
-- (case_tallies: per court, judge, status and key flag) and its open due
-- items per judge, owner and kind whatever their date (due_totals). The
-- chief's report and the high court's overview read these few rows per
-- judge instead of every case or every open item; the items due soon are
-- read by date from the index due_tallies_court_due.
CREATE TABLE case_tallies (
    court        TEXT    NOT NULL,
    judge_id     TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    key_case     BOOLEAN NOT NULL,
    n            INTEGER NOT NULL,
    applied      INTEGER NOT NULL, -- fen, as cases.applied
    recovered    INTEGER NOT NULL,
    late_answers INTEGER NOT NULL,
    PRIMARY KEY (court, judge_id, status, key_case)
);
INSERT INTO case_tallies (court, judge_id, status, key_case, n, applied, recovered, late_answers)
    SELECT court, judge_id, status, key_case, COUNT(*), SUM(applied), SUM(recovered), SUM(late_answers) FROM cases GROUP BY court, judge_id, status, key_case;
CREATE TABLE due_totals (
    court    TEXT    NOT NULL,
    judge_id TEXT    NOT NULL,
    owner    TEXT    NOT NULL,
    is_right BOOLEAN NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (court, judge_id, owner, is_right)
);
INSERT INTO due_totals (court, judge_id, owner, is_right, n)
    SELECT court, judge_id, owner, is_right, SUM(n) FROM due_tallies GROUP BY court, judge_id, owner, is_right;
CREATE INDEX due_tallies_court_due ON due_tallies (court, due_on, judge_id, owner, is_right, n);
