-- Opinion solicitations (征询) not yet answered
-- (CaseFilter.OpenSolicitations). Every write sets the column. The SQLite
-- and PostgreSQL steps also fill it for rows written before the step; a
-- MariaDB database gets all steps at its first Open, before any case is
-- written, so it has no such rows.
ALTER TABLE cases ADD COLUMN open_solicitations BIGINT NOT NULL DEFAULT 0;
CREATE INDEX cases_court_solicitations ON cases (court, open_solicitations);
