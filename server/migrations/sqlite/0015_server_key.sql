-- Which key file the database is written with (issue 11): a fingerprint of the key
-- (an HMAC of a fixed text under it, not the key), stored by the first server to open
-- the database. A server started with another key file — a wrong copy on a second
-- instance, or a new key made beside an existing database — is refused before it
-- appends to the audit chain under a key no one can verify.
CREATE TABLE server_key (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint  TEXT    NOT NULL
);
