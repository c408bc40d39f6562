-- The due dates a calendar change (a holiday notice loaded, a closure day
-- entered or removed) moved or made definite, one row per item and change,
-- until the judge is told in the daily digest (told_at, unix seconds; NULL
-- until then). from_date and to_date are the item's computed dates before
-- and after; definite: it was provisional and is definite now; provisional:
-- the new date is still provisional.
CREATE TABLE IF NOT EXISTS server_due_moves (
    court TEXT NOT NULL,
    calendar_seq BIGINT NOT NULL,
    case_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    judge_id TEXT NOT NULL,
    case_number TEXT NOT NULL,
    title TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    definite INTEGER NOT NULL,
    provisional INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    told_at BIGINT,
    PRIMARY KEY (court, calendar_seq, case_id, item_id)
);
CREATE INDEX IF NOT EXISTS server_due_moves_judge ON server_due_moves (court, judge_id, told_at);
