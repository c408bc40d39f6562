-- The case number on each due item, written with the row: the judge's
-- reminders and the chief's report list due items with their case's
-- number, and reading it here spares a lookup of the case per item. A
-- case's rows are rewritten whenever the case is, so the copy cannot go
-- stale. Rows written before this step are filled from their case.
ALTER TABLE due_items ADD COLUMN number VARCHAR(128) NOT NULL DEFAULT '';
UPDATE due_items d JOIN cases c ON c.id = d.case_id SET d.number = c.number;
