-- Which key file the database is written with (issue 11), as SQLite's 0015.
CREATE TABLE server_key (
    id           BIGINT  PRIMARY KEY CHECK (id = 1),
    fingerprint  TEXT    NOT NULL
);
