-- What the server took over once from a deployment's files (issue 10): one row per
-- import, so it never runs twice, whichever instance starts first. The first is
-- 'config.notices', the notices a config.json carried before the console had them.
CREATE TABLE imports (
    name  TEXT    PRIMARY KEY,
    at    INTEGER NOT NULL
);
