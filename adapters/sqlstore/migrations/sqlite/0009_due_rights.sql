-- A party's right (enforcement.DueItem.IsRight) is nobody's overdue work:
-- due_items marks it, so the chief's report lists tasks only and counts
-- rights apart; with the title, a key case's tasks are read from the
-- columns, not decoded. Rows written before this step are filled from
-- their document (the title under its old name Title in unversioned ones).
ALTER TABLE due_items ADD COLUMN is_right BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE due_items ADD COLUMN title TEXT NOT NULL DEFAULT '';
UPDATE due_items SET is_right = COALESCE(json_extract(doc, '$.right'), '') <> '', title = COALESCE(json_extract(doc, '$.title'), json_extract(doc, '$.Title'), '');
-- The most urgent open tasks of a court, in the order the report lists
-- them: date in force, then case and item ID (BINARY, byte by byte), so a
-- listing with a limit reads only the rows it returns.
CREATE INDEX due_items_court_tasks ON due_items (court, is_open, is_right, due_on, case_id, due_id);
-- The open tasks of key cases in each case's order, with what the report
-- shows of them, read from the index alone.
CREATE INDEX due_items_court_key_tasks ON due_items (court, case_id, pos, due_id, due_on, title, owner) WHERE key_case AND is_open AND NOT is_right;
-- The open due items counted per court, judge, date in force, owner and
-- kind, kept in the transaction that writes due_items: the report's counts
-- read a few thousand rows instead of every open item.
CREATE TABLE due_tallies (
    court    TEXT    NOT NULL,
    judge_id TEXT    NOT NULL,
    due_on   TEXT    NOT NULL,
    owner    TEXT    NOT NULL,
    is_right BOOLEAN NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (court, judge_id, due_on, owner, is_right)
);
INSERT INTO due_tallies (court, judge_id, due_on, owner, is_right, n) SELECT court, judge_id, due_on, owner, is_right, COUNT(*) FROM due_items WHERE is_open GROUP BY court, judge_id, due_on, owner, is_right;
