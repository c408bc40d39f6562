-- A party's right (enforcement.DueItem.IsRight) is nobody's overdue work:
-- due_items marks it, so the chief's report lists tasks only and counts
-- rights apart. Rows written before this step are marked from their
-- document.
ALTER TABLE due_items ADD COLUMN is_right BOOLEAN NOT NULL DEFAULT 0;
UPDATE due_items SET is_right = 1 WHERE COALESCE(json_extract(doc, '$.right'), '') <> '';
-- The most urgent open tasks of a court, in the order the report lists
-- them: date in force, then case and item ID (BINARY, byte by byte), so a
-- listing with a limit reads only the rows it returns.
CREATE INDEX due_items_court_tasks ON due_items (court, is_open, is_right, due_on, case_id, due_id);
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
