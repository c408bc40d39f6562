-- A session's court: the signed-in user's, or the court of a party's case.
-- IF NOT EXISTS (MariaDB's): the step can be run again after a failure.
ALTER TABLE server_sessions ADD COLUMN IF NOT EXISTS court VARCHAR(128) NOT NULL DEFAULT '';
