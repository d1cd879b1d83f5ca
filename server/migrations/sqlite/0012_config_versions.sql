-- The deployment's configuration as the console keeps it (issue 10): every save is a
-- new version with who, when and a note; publishing points residents' apps at one
-- version (a rollback publishes an earlier one). Each save and publication is also in
-- the audit chain. Config text is a whole config.json, checked by the core rules
-- before it is stored.
CREATE TABLE config_versions (
    version  INTEGER PRIMARY KEY,
    body     TEXT    NOT NULL,
    note     TEXT    NOT NULL,
    actor    TEXT    NOT NULL,
    at       INTEGER NOT NULL
);

-- One row per publication, newest last: the current config is the last row's version.
CREATE TABLE config_publications (
    seq      INTEGER PRIMARY KEY,
    version  INTEGER NOT NULL REFERENCES config_versions (version),
    actor    TEXT    NOT NULL,
    at       INTEGER NOT NULL
);

-- Files the console uploaded or made (a logo, the icons drawn from it), by the path
-- the app reads them at; the path carries a hash of the content, so a path never
-- changes its bytes.
CREATE TABLE assets (
    path     TEXT    PRIMARY KEY,
    mime     TEXT    NOT NULL,
    bytes    BLOB    NOT NULL,
    at       INTEGER NOT NULL
);
