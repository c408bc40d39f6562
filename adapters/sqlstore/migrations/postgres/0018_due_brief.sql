-- Each due item's document without its explanation (the steps of its
-- computation and their legal basis), written with the row: a judge's
-- reminders list some 400 items a request and show no explanation, which
-- is about two thirds of a document's bytes and, skipped unread, still a
-- sixth of the request's CPU. The step's Go part (fillBriefs) writes
-- the brief of every open item from its document; closed items, which
-- the reminders do not list, keep none, and readers fall back to doc
-- (COALESCE(brief, doc)) wherever there is none.
ALTER TABLE due_items ADD COLUMN brief TEXT;
