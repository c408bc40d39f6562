-- Each court's revision: raised in the transaction of every change to the
-- court's cases, due items or plans (Store.Revision), so that a server can
-- keep views computed from them and check with one primary-key read that
-- nothing has changed. A counter row rather than MAX(events.seq): a sequence
-- number is taken at insert, not at commit, so on PostgreSQL a change with a
-- lower number can commit after a higher one has been read; the row lock
-- orders the increments by commit. Import writes no events and raises it too.
CREATE TABLE court_revisions (
    court TEXT   NOT NULL PRIMARY KEY,
    rev   BIGINT NOT NULL
);
