-- The head of each due item: its document without the explanation, so that
-- the supervision report decodes a few hundred bytes per flagged item.
-- Readers fall back to doc (COALESCE(head, doc)) for rows without one.
ALTER TABLE due_items ADD COLUMN head LONGTEXT COLLATE utf8mb4_nopad_bin;
