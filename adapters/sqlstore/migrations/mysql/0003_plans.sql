-- Weekly work plans (周工作计划), one per judge and ISO week, stored as JSON
-- documents; the chief's view lists a court's plans of a week.
CREATE TABLE plans (
    judge_id   VARCHAR(128) NOT NULL,
    week       VARCHAR(16)  NOT NULL,
    court      VARCHAR(128) NOT NULL,
    version    BIGINT       NOT NULL,
    updated_at VARCHAR(40)  NOT NULL,
    doc        LONGTEXT     NOT NULL,
    PRIMARY KEY (judge_id, week)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
CREATE INDEX plans_court_week ON plans (court, week);
