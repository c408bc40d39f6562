-- The unanswered party requests and supervision orders in case_tallies,
-- kept in the transaction that writes the case like its other figures,
-- so that a high court's overview counts every court's open requests and
-- orders from the summary rows instead of reading each court's cases that
-- carry one. open_requests is filled here from cases.open_requests;
-- open_orders by the step's Go part (fillOpenOrders), which reads the
-- orders of the cases that have one from their sup_doc.
ALTER TABLE case_tallies ADD COLUMN open_requests INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_tallies ADD COLUMN open_orders INTEGER NOT NULL DEFAULT 0;
UPDATE case_tallies SET open_requests = (SELECT COALESCE(SUM(c.open_requests), 0) FROM cases c
    WHERE c.court = case_tallies.court AND c.judge_id = case_tallies.judge_id AND c.status = case_tallies.status AND c.key_case = case_tallies.key_case);
