-- A party's right (enforcement.DueItem.IsRight) is nobody's overdue work:
-- due_items marks it, so the chief's report lists tasks only and counts
-- rights apart; with the title, a key case's tasks are read from the
-- columns, not decoded. Rows written before this step are filled from
-- their document (the title under its old name Title in unversioned ones).
-- MariaDB has no partial index: key cases' tasks are read through
-- due_items_court_key_open.
ALTER TABLE due_items ADD COLUMN is_right BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE due_items ADD COLUMN title VARCHAR(255) NOT NULL DEFAULT '';
UPDATE due_items SET is_right = COALESCE(JSON_VALUE(doc, '$.right'), '') <> '', title = COALESCE(JSON_VALUE(doc, '$.title'), JSON_VALUE(doc, '$.Title'), '');
-- The most urgent open tasks of a court, in the order the report lists
-- them: date in force, then case and item ID (utf8mb4_nopad_bin, byte by
-- byte), so a listing with a limit reads only the rows it returns.
CREATE INDEX due_items_court_tasks ON due_items (court, is_open, is_right, due_on, case_id, due_id);
-- The open due items counted per court, judge, date in force, owner and
-- kind, kept in the transaction that writes due_items: the report's counts
-- read a few thousand rows instead of every open item.
CREATE TABLE due_tallies (
    court    VARCHAR(128) NOT NULL,
    judge_id VARCHAR(128) NOT NULL,
    due_on   VARCHAR(32)  NOT NULL,
    owner    VARCHAR(64)  NOT NULL,
    is_right BOOLEAN      NOT NULL,
    n        BIGINT       NOT NULL,
    PRIMARY KEY (court, judge_id, due_on, owner, is_right)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
INSERT INTO due_tallies (court, judge_id, due_on, owner, is_right, n) SELECT court, judge_id, due_on, owner, is_right, COUNT(*) FROM due_items WHERE is_open GROUP BY court, judge_id, due_on, owner, is_right;
