-- Elderly meal ordering (为老送餐). Dishes and order lines are stored as the core JSON
-- the browser and the rules already read; everything else is columns.

-- Elders the canteen serves. Dietary needs and allergies are health data: kept only
-- with a separate consent (单独同意), recorded in consent_at / consent_via, and
-- emptied when it is withdrawn.
CREATE TABLE elders (
    id           TEXT    PRIMARY KEY,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    name         TEXT    NOT NULL,
    address      TEXT    NOT NULL,
    route        TEXT    NOT NULL DEFAULT '',
    tier         TEXT    NOT NULL,
    fulfilment   TEXT    NOT NULL DEFAULT 'delivery',
    needs        TEXT    NOT NULL DEFAULT '[]',
    allergies    TEXT    NOT NULL DEFAULT '[]',
    consent_at   INTEGER,
    consent_via  TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL
);
CREATE INDEX elders_unit ON elders (unit_id);

-- Households that may order for the elders of another household (family, volunteers),
-- linked with the elder's household code or by staff.
CREATE TABLE meal_proxies (
    unit_id        INTEGER NOT NULL REFERENCES units(id),
    proxy_unit_id  INTEGER NOT NULL REFERENCES units(id),
    via            TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (unit_id, proxy_unit_id)
);
CREATE INDEX meal_proxies_proxy ON meal_proxies (proxy_unit_id);

CREATE TABLE meal_menus (
    date        TEXT    NOT NULL,
    slot        TEXT    NOT NULL,
    dishes      TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  TEXT    NOT NULL,
    PRIMARY KEY (date, slot)
);

-- One row per meal_order submission; its status follows the kitchen.
CREATE TABLE meal_orders (
    submission_id  TEXT    PRIMARY KEY REFERENCES submissions(id),
    elder_id       TEXT    NOT NULL REFERENCES elders(id),
    date           TEXT    NOT NULL,
    slot           TEXT    NOT NULL,
    lines          TEXT    NOT NULL,
    fulfilment     TEXT    NOT NULL,
    note           TEXT    NOT NULL,
    placed_by      INTEGER NOT NULL REFERENCES units(id),
    list_fen       INTEGER NOT NULL,
    subsidy_fen    INTEGER NOT NULL,
    pay_fen        INTEGER NOT NULL,
    flags          TEXT    NOT NULL DEFAULT '',
    status         TEXT    NOT NULL DEFAULT 'received',
    updated_at     INTEGER NOT NULL
);
CREATE INDEX meal_orders_meal ON meal_orders (date, slot, status);
CREATE INDEX meal_orders_elder ON meal_orders (elder_id, date);
