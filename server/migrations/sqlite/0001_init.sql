-- linli server schema, version 1. Portable SQL where possible (SQLite now, PostgreSQL
-- later): integer milliseconds for time, text for ids and hashes.

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    label       TEXT    NOT NULL UNIQUE,   -- "3幢2单元401"
    building    TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

-- Household codes (户码): one live code per unit, stored hashed, exchanged once.
CREATE TABLE household_codes (
    code_hash   TEXT    PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    created_at  INTEGER NOT NULL,
    used_at     INTEGER
);

-- Device tokens, bound to a unit, stored hashed.
CREATE TABLE devices (
    token_hash  TEXT    PRIMARY KEY,
    device      TEXT    NOT NULL,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    created_at  INTEGER NOT NULL
);

CREATE TABLE staff (
    id             INTEGER PRIMARY KEY,
    username       TEXT    NOT NULL UNIQUE,
    password_hash  TEXT    NOT NULL,           -- argon2id PHC string
    role           TEXT    NOT NULL CHECK (role IN ('admin', 'staff', 'kitchen', 'organisation', 'auditor')),
    created_at     INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);

-- Submissions: the client's id is unique, so a replay finds the first row.
CREATE TABLE submissions (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT    NOT NULL UNIQUE,
    kind         TEXT    NOT NULL,
    payload      TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    device       TEXT    NOT NULL,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    received_at  INTEGER NOT NULL
);

-- Append-only, hash-chained: hash = sha256(prev_hash, seq, at, actor, role, action, subject).
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    at         INTEGER NOT NULL,
    actor      TEXT    NOT NULL,
    role       TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    prev_hash  TEXT    NOT NULL,
    hash       TEXT    NOT NULL
);
