-- Guessing limits (issue 11): the counts of household-code and sign-in attempts, in
-- the database so that every server instance on it counts the same attempts. A row is
-- one action's (`scope`) count for one subject, named by a keyed hash (no address or
-- username is stored); rows go when they expire.
CREATE TABLE limit_slots (
    scope       TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    count       INTEGER NOT NULL,
    started_at  INTEGER NOT NULL,
    last_at     INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    PRIMARY KEY (scope, subject)
);
CREATE INDEX limit_slots_expiry ON limit_slots (expires_at);
CREATE INDEX limit_slots_recent ON limit_slots (scope, last_at);
