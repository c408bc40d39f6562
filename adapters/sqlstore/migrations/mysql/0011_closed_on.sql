-- The day a closed case was closed (结案日期) and how (its closure mode),
-- for the figures of a period (index cases_court_period). Every write sets
-- them. The SQLite and PostgreSQL steps also fill them for rows written
-- before the step; a MariaDB database gets all steps at its first Open,
-- before any case is written, so it has no such rows.
ALTER TABLE cases ADD COLUMN closed_on VARCHAR(32) NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN closure_mode VARCHAR(32) NOT NULL DEFAULT '';
CREATE INDEX cases_court_period ON cases (court, judge_id, filed_on, closed_on, closure_mode, applied, recovered);
CREATE INDEX cases_court_key_period ON cases (court, key_case, filed_on, closed_on);
