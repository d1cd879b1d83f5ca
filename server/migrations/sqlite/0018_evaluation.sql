-- Public evaluation (issue 14): per-day totals of anonymous use per service, the
-- one-tap ratings (with the household only when the resident agreed to be contacted),
-- the "你说我改" notes staff publish, and which sends were received: a keyed hash of
-- the sending token with its bucket (one day's counts per phone and day, one rating
-- per phone, service and period), so neither a resend nor a flood adds twice. The raw
-- token is never stored, so the hash cannot be traced to a device without the phone.
-- No device, token or household is stored with a count.

CREATE TABLE evaluation_use (
    day        TEXT    NOT NULL,              -- YYYY-MM-DD, the deployment's calendar day
    service    TEXT    NOT NULL CHECK (service IN ('notices', 'meals', 'voting', 'feedback', 'forms')),
    visits     INTEGER NOT NULL DEFAULT 0,
    started    INTEGER NOT NULL DEFAULT 0,
    completed  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, service)
);

CREATE TABLE evaluation_received (
    digest  TEXT    PRIMARY KEY,              -- HMAC of the sending token and the bucket (a day's counts; a service's rating period)
    sent    TEXT    NOT NULL,                 -- HMAC of the envelope id: a resend of it is answered as before
    day     TEXT    NOT NULL                  -- kept while a resend may come (then deleted)
);
CREATE INDEX evaluation_received_day ON evaluation_received (day);

CREATE TABLE evaluation_ratings (
    id          INTEGER PRIMARY KEY,
    service     TEXT    NOT NULL CHECK (service IN ('notices', 'meals', 'voting', 'feedback', 'forms')),
    day         TEXT    NOT NULL,
    score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment     TEXT    NOT NULL DEFAULT '',
    unit_id     INTEGER REFERENCES units(id), -- only when the resident ticked "you may contact me"
    handled_at  INTEGER,
    handled_by  TEXT
);
CREATE INDEX evaluation_ratings_day ON evaluation_ratings (service, day);
CREATE INDEX evaluation_ratings_unit ON evaluation_ratings (unit_id);

CREATE TABLE evaluation_changes (
    id       INTEGER PRIMARY KEY,
    service  TEXT    NOT NULL CHECK (service IN ('notices', 'meals', 'voting', 'feedback', 'forms')),
    day      TEXT    NOT NULL,
    text     TEXT    NOT NULL,
    by_name  TEXT    NOT NULL,
    at       INTEGER NOT NULL,
    withdrawn_at  INTEGER,                   -- a note staff took back (kept for the audit trail)
    withdrawn_by  TEXT
);
CREATE INDEX evaluation_changes_service ON evaluation_changes (service, id);
