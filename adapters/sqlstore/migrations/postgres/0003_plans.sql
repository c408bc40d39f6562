-- Weekly work plans (周工作计划), one per judge and ISO week, stored as JSON
-- documents; the chief's view lists a court's plans of a week.
CREATE TABLE plans (
    judge_id   TEXT   NOT NULL,
    week       TEXT   NOT NULL,
    court      TEXT   NOT NULL,
    version    BIGINT NOT NULL,
    updated_at TEXT   NOT NULL,
    doc        TEXT   NOT NULL,
    PRIMARY KEY (judge_id, week)
);
CREATE INDEX plans_court_week ON plans (court, week);
