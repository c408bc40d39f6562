-- The head of each due item: its document without the explanation (Steps,
-- CalcBasis) and the other fields no list shows, so that the supervision
-- report decodes a few hundred bytes per flagged item instead of the whole
-- document. Rows written before this step have none; readers fall back to
-- doc (COALESCE(head, doc)), which holds the same fields.
ALTER TABLE due_items ADD COLUMN head TEXT;
