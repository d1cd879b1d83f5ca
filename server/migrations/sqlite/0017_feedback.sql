-- Residents' feedback with the 12345 closed loop (issue 13): cases (诉求), every step
-- of their handling with who, role, when and a note (全程溯源), corrections of
-- category and place kept as history (越用越准), photos, which handler accounts
-- belong to which department or grid, and Open311 API keys issued to machine clients.

CREATE TABLE feedback_cases (
    id                 INTEGER PRIMARY KEY,            -- 受理编号, the Open311 service_request_id
    submission         TEXT    UNIQUE,                 -- the report's envelope id (residents)
    unit_id            INTEGER REFERENCES units(id),   -- the reporting household (residents)
    source             TEXT    NOT NULL CHECK (source IN ('resident', 'open311', 'staff')),
    reported_category  TEXT    NOT NULL,
    reported_place     TEXT    NOT NULL,
    category           TEXT    NOT NULL,               -- after corrections
    place              TEXT    NOT NULL,               -- after corrections
    description        TEXT    NOT NULL,
    phone              TEXT,                           -- personal: the assigned handler sees it
    contact_name       TEXT,                           -- personal (Open311 first/last name)
    email              TEXT,                           -- personal (Open311)
    lat                REAL,
    lon                REAL,
    address            TEXT,
    state              TEXT    NOT NULL CHECK (state IN ('submitted', 'dispatched', 'in_progress', 'replied', 'closed', 'visited', 'rated')),
    handler            TEXT,
    reopened           INTEGER NOT NULL DEFAULT 0,
    returned           INTEGER NOT NULL DEFAULT 0,
    rating             TEXT CHECK (rating IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
    reply              TEXT    NOT NULL DEFAULT '',
    recorded_at        INTEGER NOT NULL,               -- the limits run from here (受理; a reopening restarts them)
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    closed_at          INTEGER,
    api_key_id         INTEGER
);
CREATE INDEX feedback_cases_state ON feedback_cases (state, recorded_at);
CREATE INDEX feedback_cases_handler ON feedback_cases (handler, state);
CREATE INDEX feedback_cases_unit ON feedback_cases (unit_id, id);
CREATE INDEX feedback_cases_updated ON feedback_cases (updated_at);

CREATE TABLE feedback_steps (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES feedback_cases(id),
    action       TEXT    NOT NULL,     -- report, dispatch, accept, return, reply, close, visit, rate, reopen, correct
    state        TEXT    NOT NULL,     -- after the step
    actor_kind   TEXT    NOT NULL CHECK (actor_kind IN ('resident', 'staff', 'handler', 'open311')),
    actor        TEXT    NOT NULL,     -- a staff username, a handler id, 'household', a client's name
    role         TEXT    NOT NULL,
    handler      TEXT,                 -- dispatched to
    suggested    TEXT,                 -- the handler the knowledge base suggested at dispatch
    rating       TEXT,
    note         TEXT    NOT NULL DEFAULT '',
    public       INTEGER NOT NULL DEFAULT 1,   -- shown on the resident's timeline
    at           INTEGER NOT NULL
);
CREATE INDEX feedback_steps_case ON feedback_steps (case_id, id);

CREATE TABLE feedback_corrections (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES feedback_cases(id),
    field        TEXT    NOT NULL CHECK (field IN ('category', 'place')),
    before_value TEXT    NOT NULL,
    after_value  TEXT    NOT NULL,
    reason       TEXT    NOT NULL,
    by_name      TEXT    NOT NULL,
    at           INTEGER NOT NULL
);
CREATE INDEX feedback_corrections_case ON feedback_corrections (case_id, id);

CREATE TABLE feedback_photos (
    id        INTEGER PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES feedback_cases(id),
    n         INTEGER NOT NULL,
    bytes     BLOB    NOT NULL,       -- a JPEG this server drew again (no EXIF)
    UNIQUE (case_id, n)
);

CREATE TABLE feedback_members (
    staff_id  INTEGER PRIMARY KEY REFERENCES staff(id),
    handler   TEXT    NOT NULL,
    by_name   TEXT    NOT NULL,
    at        INTEGER NOT NULL
);

CREATE TABLE open311_keys (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    key_hash    TEXT    NOT NULL UNIQUE,   -- SHA-256 of the key; the key is shown once
    created_by  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);
