-- Devices get an id, so staff can list and revoke them one by one; submissions keep a
-- digest of the payload as sent, so a replay is recognised although the stored payload
-- is redacted (health data is kept only in its scenario's own record).
CREATE TABLE devices_v6 (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT    NOT NULL UNIQUE,
    device      TEXT    NOT NULL,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    created_at  INTEGER NOT NULL
);
INSERT INTO devices_v6 (token_hash, device, unit_id, created_at)
    SELECT token_hash, device, unit_id, created_at FROM devices;
DROP TABLE devices;
ALTER TABLE devices_v6 RENAME TO devices;
CREATE INDEX devices_unit ON devices (unit_id);

ALTER TABLE submissions ADD COLUMN payload_digest TEXT;
CREATE INDEX submissions_unit ON submissions (unit_id);
