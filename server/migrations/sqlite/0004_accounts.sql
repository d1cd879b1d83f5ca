-- Staff accounts as a sub-district runs them: the handler role, disabling, a second
-- factor (TOTP, RFC 6238), when the password last changed. Sessions end on logout,
-- after 30 minutes idle or 12 hours in all, carry their CSRF token, and may be half
-- signed in (password given, second factor still to come). Everyone signs in again
-- after this upgrade.

DELETE FROM sessions;
DROP TABLE sessions;

CREATE TABLE staff_v4 (
    id                   INTEGER PRIMARY KEY,
    username             TEXT    NOT NULL UNIQUE,
    password_hash        TEXT    NOT NULL,           -- argon2id PHC string
    role                 TEXT    NOT NULL CHECK (role IN ('admin', 'staff', 'kitchen', 'organisation', 'handler', 'auditor')),
    created_at           INTEGER NOT NULL,
    password_changed_at  INTEGER NOT NULL,
    disabled_at          INTEGER,
    totp_secret          TEXT,                       -- masked with a key from the server key file
    totp_enabled_at      INTEGER,
    totp_last_step       INTEGER NOT NULL DEFAULT 0  -- a code is accepted once
);
INSERT INTO staff_v4 (id, username, password_hash, role, created_at, password_changed_at)
    SELECT id, username, password_hash, role, created_at, created_at FROM staff;
DROP TABLE staff;
ALTER TABLE staff_v4 RENAME TO staff;

CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    stage       TEXT    NOT NULL CHECK (stage IN ('full', 'second_factor', 'enrol')),
    csrf_token  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_staff ON sessions (staff_id);
