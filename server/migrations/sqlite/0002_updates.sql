-- Status changes of submissions, per unit, in server order: what a device pulls with
-- GET /api/v1/updates?since=<seq>. Storing a submission appends 'received'; staff
-- actions of later scenarios (dispatched, delivered, …) append theirs.
CREATE TABLE submission_events (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    submission_id  TEXT    NOT NULL REFERENCES submissions(id),
    unit_id        INTEGER NOT NULL REFERENCES units(id),
    status         TEXT    NOT NULL,
    note           TEXT    NOT NULL DEFAULT '',
    at             INTEGER NOT NULL
);
CREATE INDEX submission_events_unit ON submission_events (unit_id, seq);
