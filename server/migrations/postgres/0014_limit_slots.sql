-- Guessing limits (issue 11), as SQLite's 0014: every instance counts the same
-- attempts.
CREATE TABLE limit_slots (
    scope       TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    count       BIGINT  NOT NULL,
    started_at  BIGINT  NOT NULL,
    last_at     BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    PRIMARY KEY (scope, subject)
);
CREATE INDEX limit_slots_expiry ON limit_slots (expires_at);
CREATE INDEX limit_slots_recent ON limit_slots (scope, last_at);
