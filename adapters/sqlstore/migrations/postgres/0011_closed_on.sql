-- The day a closed case was closed (结案日期) and how (its closure mode),
-- so that the figures of a period (cases filed, closed, carried over, per
-- judge) are counted from the index cases_court_period instead of from
-- every case document. Empty for a case that is not closed. Every write
-- (Create, Update, Import) sets them; the UPDATE below fills them for the
-- closed rows written before this step from the stored document: the
-- current format ({"v":1, …, "closure": {"mode", "on"}}) or the legacy one
-- ({"Case": {…, "Closure": {"Mode", "On"}}}).
ALTER TABLE cases ADD COLUMN closed_on TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN closure_mode TEXT NOT NULL DEFAULT '';
UPDATE cases SET
    closed_on = COALESCE(doc::jsonb -> 'closure' ->> 'on', doc::jsonb -> 'Case' -> 'Closure' ->> 'On', ''),
    closure_mode = COALESCE(doc::jsonb -> 'closure' ->> 'mode', doc::jsonb -> 'Case' -> 'Closure' ->> 'Mode', '')
WHERE status = 'closed';
CREATE INDEX cases_court_period ON cases (court, judge_id, filed_on, closed_on, closure_mode, applied, recovered);
CREATE INDEX cases_court_key_period ON cases (court, key_case, filed_on, closed_on);
