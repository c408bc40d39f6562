-- A session's court: the signed-in user's, or the court of a party's case.
ALTER TABLE server_sessions ADD COLUMN court TEXT NOT NULL DEFAULT '';
