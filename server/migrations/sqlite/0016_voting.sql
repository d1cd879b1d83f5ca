-- Owners' assembly voting (issue 12, Civil Code art. 278). A vote carries its own
-- roster (frozen with the matter, text and rules when voting opens); one ballot per
-- owner per vote is the primary key of `vote_ballots`, whatever the number of server
-- instances. Areas are in 0.01 m²; times in ms since the epoch.
CREATE TABLE votes (
    id               INTEGER PRIMARY KEY,
    title            TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    matter           INTEGER NOT NULL CHECK (matter BETWEEN 1 AND 9),
    stage            TEXT    NOT NULL CHECK (stage IN ('draft', 'deliberation', 'voting', 'closed', 'published')),
    secret           INTEGER NOT NULL DEFAULT 0,
    changes_allowed  INTEGER NOT NULL DEFAULT 0,
    silent_follow    INTEGER NOT NULL DEFAULT 0,
    grace_ms         INTEGER NOT NULL,
    opens_at         INTEGER NOT NULL,
    closes_at        INTEGER NOT NULL,
    created_by       TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    result           TEXT,
    published_at     INTEGER
);

-- 专有部分 of the vote's roster: owner_key is the owner the unit counts towards
-- (the normalised name, or the developer's units as one owner).
CREATE TABLE vote_roster (
    vote_id          INTEGER NOT NULL REFERENCES votes(id),
    unit             TEXT    NOT NULL,
    owner            TEXT    NOT NULL,
    owner_key        TEXT    NOT NULL,
    area             INTEGER NOT NULL CHECK (area > 0),
    developer_held   INTEGER NOT NULL DEFAULT 0,
    line             INTEGER NOT NULL,
    PRIMARY KEY (vote_id, unit)
);
CREATE INDEX vote_roster_owner ON vote_roster (vote_id, owner_key);

-- Each correction of a unit's area or owner before voting opens: who, when and why.
CREATE TABLE vote_roster_corrections (
    id               INTEGER PRIMARY KEY,
    vote_id          INTEGER NOT NULL REFERENCES votes(id),
    unit             TEXT    NOT NULL,
    field            TEXT    NOT NULL CHECK (field IN ('area', 'owner')),
    before_value     TEXT    NOT NULL,
    after_value      TEXT    NOT NULL,
    reason           TEXT    NOT NULL,
    by_name          TEXT    NOT NULL,
    at               INTEGER NOT NULL
);
CREATE INDEX vote_roster_corrections_vote ON vote_roster_corrections (vote_id, id);

CREATE TABLE vote_ballots (
    vote_id          INTEGER NOT NULL REFERENCES votes(id),
    owner_key        TEXT    NOT NULL,
    unit             TEXT    NOT NULL,
    choice           TEXT    NOT NULL CHECK (choice IN ('agree', 'oppose', 'abstain')),
    source           TEXT    NOT NULL CHECK (source IN ('online', 'paper')),
    receipt          TEXT    NOT NULL,
    made_at          INTEGER NOT NULL,
    received_at      INTEGER NOT NULL,
    late             INTEGER NOT NULL DEFAULT 0,
    submission       TEXT,
    entered_by       TEXT,
    replace_reason   TEXT,
    changes          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (vote_id, owner_key),
    UNIQUE (vote_id, receipt)
);

CREATE TABLE vote_comments (
    id               INTEGER PRIMARY KEY,
    vote_id          INTEGER NOT NULL REFERENCES votes(id),
    unit_id          INTEGER REFERENCES units(id),
    staff            TEXT,
    building         TEXT    NOT NULL,
    text             TEXT    NOT NULL,
    reply_to         INTEGER REFERENCES vote_comments(id),
    created_at       INTEGER NOT NULL
);
CREATE INDEX vote_comments_vote ON vote_comments (vote_id, id);
