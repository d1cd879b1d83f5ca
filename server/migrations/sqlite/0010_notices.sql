-- Notices (公告) staff publish from the console (issue 10). Times are ms since the
-- epoch; a notice is live from publish_at until expires_at or withdrawn_at
-- (linli_core::notices). Withdrawn notices are kept: the audit log points at them.
CREATE TABLE notices (
    id            TEXT    PRIMARY KEY,
    day           TEXT    NOT NULL,
    title_zh      TEXT    NOT NULL,
    title_en      TEXT,
    body_zh       TEXT    NOT NULL,
    body_en       TEXT,
    publish_at    INTEGER NOT NULL,
    expires_at    INTEGER,
    pinned        INTEGER NOT NULL DEFAULT 0,
    withdrawn_at  INTEGER,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX notices_publish ON notices (publish_at);
