-- A judge's case list (enforcement.CaseLister): the next due date of each
-- case (the earliest date in force of its open due items, NULL when none
-- is open) to sort and filter by, and the folded case number and party
-- names to search in (enforcement.Case.SearchText). Every write (Create,
-- Update, Import) sets both; the rows written before this step have a NULL
-- search_text until Open fills them from their documents, so the step
-- needs no JSON functions of its own.
ALTER TABLE cases ADD COLUMN next_due TEXT;
ALTER TABLE cases ADD COLUMN search_text TEXT;
CREATE INDEX cases_court_judge_next ON cases (court, judge_id, next_due, id);
