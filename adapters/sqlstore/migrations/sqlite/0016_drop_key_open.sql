-- due_items_court_key_open (court, key_case, is_open, case_id, pos) served
-- the key cases' tasks until the partial index due_items_court_key_tasks
-- (migration 0009) took them over: no query reads it any more, while
-- every due item written updates it.
DROP INDEX IF EXISTS due_items_court_key_open;
