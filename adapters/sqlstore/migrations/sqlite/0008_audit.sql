-- The audit log (enforcement.AuditLog): append-only. Triggers refuse every
-- UPDATE and DELETE, so history cannot be rewritten even in SQL.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
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
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- An override is in force only once approved (enforcement.Override.Status):
-- index the items written before this step, whose overrides carry no
-- status and are pending, by their computed date.
UPDATE due_items SET due_on = json_extract(doc, '$.computed') WHERE json_extract(doc, '$.override.date') IS NOT NULL AND COALESCE(json_extract(doc, '$.override.status'), '') <> 'approved';
