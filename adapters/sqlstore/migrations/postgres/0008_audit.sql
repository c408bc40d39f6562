-- The audit log (enforcement.AuditLog): append-only. UPDATE, DELETE and
-- TRUNCATE are revoked from every role but the owner, and triggers refuse
-- them for the owner too, so history cannot be rewritten even in SQL.
CREATE TABLE audit_log (
    seq         BIGSERIAL PRIMARY KEY,
    at          TEXT NOT NULL,
    court       TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    role        TEXT NOT NULL,
    addr        TEXT NOT NULL,
    action      TEXT NOT NULL,
    case_id     TEXT NOT NULL,
    target      TEXT NOT NULL,
    before_json TEXT NOT NULL,
    after_json  TEXT NOT NULL,
    detail      TEXT NOT NULL
);
CREATE INDEX audit_log_court ON audit_log (court, seq);
CREATE INDEX audit_log_case ON audit_log (court, case_id, seq);
CREATE INDEX audit_log_user ON audit_log (court, user_id, seq);
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
CREATE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = '42501'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse();
-- An override is in force only once approved (enforcement.Override.Status):
-- index the items written before this step, whose overrides carry no
-- status and are pending, by their computed date.
UPDATE due_items SET due_on = (doc::jsonb)->>'computed' WHERE (doc::jsonb)->'override' IS NOT NULL AND COALESCE((doc::jsonb)->'override'->>'status', '') <> 'approved';
