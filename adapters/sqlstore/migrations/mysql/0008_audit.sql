-- The audit log (enforcement.AuditLog): append-only. Triggers refuse every
-- UPDATE and DELETE, so history cannot be rewritten even in SQL.
CREATE TABLE audit_log (
    seq         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    at          VARCHAR(40)  NOT NULL,
    court       VARCHAR(64)  NOT NULL,
    user_id     VARCHAR(128) NOT NULL,
    user_name   VARCHAR(255) NOT NULL,
    role        VARCHAR(32)  NOT NULL,
    addr        VARCHAR(64)  NOT NULL,
    action      VARCHAR(64)  NOT NULL,
    case_id     VARCHAR(128) NOT NULL,
    target      VARCHAR(255) NOT NULL,
    before_json LONGTEXT     NOT NULL,
    after_json  LONGTEXT     NOT NULL,
    detail      LONGTEXT     NOT NULL,
    KEY audit_log_court (court, seq),
    KEY audit_log_case (court, case_id, seq),
    KEY audit_log_user (court, user_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only';
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only';
-- An override is in force only once approved (enforcement.Override.Status):
-- index the items written before this step, whose overrides carry no
-- status and are pending, by their computed date.
UPDATE due_items SET due_on = JSON_VALUE(doc, '$.computed') WHERE JSON_VALUE(doc, '$.override.date') IS NOT NULL AND COALESCE(JSON_VALUE(doc, '$.override.status'), '') <> 'approved';
