-- The open cases of each judge by filing day, for the median age in the
-- chief's report (Store.TallyCases). MariaDB has no partial index: this
-- one puts the status before the judge, so the count reads the range of
-- the open statuses, not the court's closed cases.
CREATE INDEX cases_court_open_filed ON cases (court, status, judge_id, filed_on);
