-- The unanswered party requests and supervision orders in case_tallies,
-- kept in the transaction that writes the case like its other figures,
-- so that a high court's overview counts every court's open requests and
-- orders from the summary rows instead of reading each court's cases that
-- carry one. open_requests is filled here from cases.open_requests;
-- open_orders by the step's Go part (fillOpenOrders), which reads the
-- orders of the cases that have one from their sup_doc.
ALTER TABLE case_tallies ADD COLUMN open_requests BIGINT NOT NULL DEFAULT 0, ADD COLUMN open_orders BIGINT NOT NULL DEFAULT 0;
UPDATE case_tallies t JOIN (SELECT court, judge_id, status, key_case, SUM(open_requests) AS n FROM cases GROUP BY court, judge_id, status, key_case) c
    ON c.court = t.court AND c.judge_id = t.judge_id AND c.status = t.status AND c.key_case = t.key_case
    SET t.open_requests = c.n;
