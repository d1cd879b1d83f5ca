-- Forms by social organisations (issue 15): each form with the definition being edited
-- (JSON, `linli_core::forms::form`, format 1) and its state; every published version
-- kept whole, so answers are read against the version they were given to; and the
-- answers, once per outbox submission (the primary key), as the validator kept them
-- (hidden fields have none), with the household that sent them for its own download,
-- its erasure and a respondent's deletion on request.

CREATE TABLE forms (
    id          INTEGER PRIMARY KEY,
    form_key    TEXT    NOT NULL UNIQUE,       -- the definition's `id`, stable across versions
    draft       TEXT    NOT NULL,              -- the definition being edited
    state       TEXT    NOT NULL CHECK (state IN ('draft', 'open', 'closed')),
    published   INTEGER NOT NULL DEFAULT 0,    -- the newest published version (0: none yet)
    created_by  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE form_versions (
    form_id       INTEGER NOT NULL REFERENCES forms(id),
    version       INTEGER NOT NULL CHECK (version >= 1),
    definition    TEXT    NOT NULL,            -- the definition as published (its `version` is this number)
    published_at  INTEGER NOT NULL,
    published_by  TEXT    NOT NULL,
    PRIMARY KEY (form_id, version)
);

CREATE TABLE form_answers (
    submission_id  TEXT    PRIMARY KEY,        -- the outbox's UUID: stored once
    form_id        INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    unit_id        INTEGER NOT NULL REFERENCES units(id),
    answers        TEXT    NOT NULL,           -- JSON, as `linli_core::forms::answers::clean` kept them
    received_at    INTEGER NOT NULL,
    FOREIGN KEY (form_id, version) REFERENCES form_versions (form_id, version)
);
CREATE INDEX form_answers_form ON form_answers (form_id, received_at);
CREATE INDEX form_answers_unit ON form_answers (unit_id);
