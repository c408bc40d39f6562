-- due_items_court_key_open (court, key_case, is_open, case_id, pos) served
-- the key cases' tasks until the partial index due_items_court_key_tasks
-- (migration 0009) took them over: no query reads it any more (no scan in
-- the province load test), while every due item written updates it and
-- an import into an empty database spent 0.84 s of its 6.5 s building it
-- (200,000 items). At 1M cases it holds 588 MB.
DROP INDEX IF EXISTS due_items_court_key_open;
