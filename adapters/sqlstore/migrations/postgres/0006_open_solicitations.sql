-- Opinion solicitations (征询) not yet answered, so that matching an
-- applicant's SMS reply reads only the cases that await one
-- (CaseFilter.OpenSolicitations) instead of the whole court. Every write
-- (Create, Update, Import) sets the column; the UPDATE below fills it for
-- the rows written before this step by counting, in the stored document
-- ({"Case": {"Solicitations": [...]}}), the solicitations whose Answer is
-- null or missing. The LIKE skips, without parsing it, every document with
-- no solicitation: json.Marshal writes a non-empty list as
-- "Solicitations":[{ and those rows keep the default 0.
ALTER TABLE cases ADD COLUMN open_solicitations BIGINT NOT NULL DEFAULT 0;
UPDATE cases SET open_solicitations = (
    SELECT COUNT(*) FROM jsonb_array_elements(
        CASE WHEN jsonb_typeof(cases.doc::jsonb -> 'Case' -> 'Solicitations') = 'array'
            THEN cases.doc::jsonb -> 'Case' -> 'Solicitations' ELSE '[]'::jsonb END) AS s (value)
    WHERE jsonb_typeof(s.value) = 'object' AND COALESCE(jsonb_typeof(s.value -> 'Answer'), 'null') = 'null'
) WHERE doc LIKE '%"Solicitations":[{%';
CREATE INDEX cases_court_solicitations ON cases (court, open_solicitations);
