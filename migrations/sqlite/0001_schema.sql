-- QCDC tracker schema. Append-only: never edit a migration once it has landed.
-- Dates are calendar dates as ISO text (YYYY-MM-DD), so that text order is date order.
-- Every record belongs to a ward, keeps who created and last changed it, and is
-- soft-deleted (deleted_at). Report indexes are partial on live rows and cover the
-- summed value, so that a report scans an index range and never touches the table.

CREATE TABLE wards (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    district      TEXT,
    province      TEXT,
    posting_days  INTEGER NOT NULL DEFAULT 30 CHECK (posting_days > 0),
    created_at    TEXT NOT NULL
);

-- District and superior Party body valid from a date (names change over the years).
CREATE TABLE ward_names (
    id            INTEGER PRIMARY KEY,
    ward_id       INTEGER NOT NULL REFERENCES wards(id),
    valid_from    TEXT NOT NULL,
    district      TEXT,
    superior_body TEXT,
    UNIQUE (ward_id, valid_from)
);

CREATE TABLE ward_terms (
    id      INTEGER PRIMARY KEY,
    ward_id INTEGER NOT NULL REFERENCES wards(id),
    name    TEXT NOT NULL,
    start   TEXT NOT NULL,
    UNIQUE (ward_id, start),
    UNIQUE (ward_id, name)
);

CREATE TABLE review_periods (
    id      INTEGER PRIMARY KEY,
    ward_id INTEGER NOT NULL REFERENCES wards(id),
    name    TEXT NOT NULL,
    start   TEXT NOT NULL,
    "end"   TEXT NOT NULL,
    CHECK ("end" >= start),
    UNIQUE (ward_id, name)
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL COLLATE NOCASE UNIQUE,
    display_name  TEXT,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'secretary', 'deputy', 'viewer')),
    ward_id       INTEGER REFERENCES wards(id),
    disabled_at   TEXT,
    created_at    TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);

-- One-time links to create the first administrator; only the hash is kept.
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    used_at    TEXT
);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY NOT NULL,
    data        BLOB NOT NULL,
    expiry_date INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry_date);

CREATE TABLE imports (
    id        INTEGER PRIMARY KEY,
    ward_id   INTEGER NOT NULL REFERENCES wards(id),
    kind      TEXT NOT NULL,
    file_name TEXT,
    rows      INTEGER NOT NULL,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL
);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    ward_id   INTEGER,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id INTEGER,
    action    TEXT NOT NULL,
    before    TEXT,
    after     TEXT,
    note      TEXT
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_ward_at ON audit_log (ward_id, id);

CREATE TABLE residential_groups (
    id          INTEGER PRIMARY KEY,
    ward_id     INTEGER NOT NULL REFERENCES wards(id),
    number      INTEGER NOT NULL CHECK (number > 0),
    name        TEXT NOT NULL,
    leader      TEXT,
    deputy      TEXT,
    front_head  TEXT,
    households  INTEGER CHECK (households >= 0),
    residents   INTEGER CHECK (residents >= 0),
    established TEXT,
    dissolved   TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
    deleted_at TEXT, deleted_by TEXT, import_id INTEGER REFERENCES imports(id),
    CHECK (dissolved IS NULL OR established IS NULL OR dissolved > established)
);
CREATE UNIQUE INDEX residential_groups_number ON residential_groups (ward_id, number) WHERE deleted_at IS NULL;

CREATE TABLE party_cells (
    id           INTEGER PRIMARY KEY,
    ward_id      INTEGER NOT NULL REFERENCES wards(id),
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    secretary    TEXT,
    members      INTEGER CHECK (members >= 0),
    active_from  TEXT,
    active_until TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
    deleted_at TEXT, deleted_by TEXT, import_id INTEGER REFERENCES imports(id)
);
CREATE UNIQUE INDEX party_cells_name ON party_cells (ward_id, name) WHERE deleted_at IS NULL;

CREATE TABLE party_cell_groups (
    party_cell_id        INTEGER NOT NULL REFERENCES party_cells(id) ON DELETE CASCADE,
    residential_group_id INTEGER NOT NULL REFERENCES residential_groups(id),
    PRIMARY KEY (party_cell_id, residential_group_id)
);

CREATE TABLE committee_members (
    id              INTEGER PRIMARY KEY,
    ward_id         INTEGER NOT NULL REFERENCES wards(id),
    decision_date   TEXT NOT NULL,
    decision_number TEXT NOT NULL,
    name            TEXT NOT NULL,
    position        TEXT NOT NULL,
    office          TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
    deleted_at TEXT, deleted_by TEXT, import_id INTEGER REFERENCES imports(id)
);
CREATE INDEX committee_members_version ON committee_members (ward_id, decision_date, decision_number);

CREATE TABLE conferences (
    id                   INTEGER PRIMARY KEY,
    ward_id              INTEGER NOT NULL REFERENCES wards(id),
    date                 TEXT NOT NULL,
    kind                 TEXT NOT NULL,
    title                TEXT NOT NULL,
    attendees            INTEGER NOT NULL CHECK (attendees >= 0),
    organiser            TEXT,
    topics               TEXT,
    residential_group_id INTEGER REFERENCES residential_groups(id),
    party_cell_id        INTEGER REFERENCES party_cells(id),
    notes                TEXT,
    source               TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
    deleted_at TEXT, deleted_by TEXT, import_id INTEGER REFERENCES imports(id)
);
CREATE INDEX conferences_report ON conferences (ward_id, date, kind, attendees) WHERE deleted_at IS NULL;
CREATE INDEX conferences_group ON conferences (residential_group_id);

CREATE TABLE publicity (
    id                   INTEGER PRIMARY KEY,
    ward_id              INTEGER NOT NULL REFERENCES wards(id),
    date                 TEXT NOT NULL,
    channel              TEXT NOT NULL,
    topic                TEXT NOT NULL,
    title                TEXT,
    count                INTEGER NOT NULL DEFAULT 1 CHECK (count >= 1),
    posted_from          TEXT,
    posted_until         TEXT,
    residential_group_id INTEGER REFERENCES residential_groups(id),
    notes                TEXT,
    source               TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
    deleted_at TEXT, deleted_by TEXT, import_id INTEGER REFERENCES imports(id),
    CHECK (posted_until IS NULL OR posted_from IS NULL OR posted_until >= posted_from)
);
CREATE INDEX publicity_report ON publicity (ward_id, date, channel, topic, count) WHERE deleted_at IS NULL;

CREATE TABLE dialogues (
    id                   INTEGER PRIMARY KEY,
    ward_id              INTEGER NOT NULL REFERENCES wards(id),
    ref                  TEXT,
    date                 TEXT NOT NULL,
    host                 TEXT NOT NULL,
    counterpart          TEXT NOT NULL,
    participants         INTEGER NOT NULL CHECK (participants >= 0),
    residential_group_id INTEGER REFERENCES residential_groups(id),
    notes                TEXT,
    source               TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
    deleted_at TEXT, deleted_by TEXT, import_id INTEGER REFERENCES imports(id)
);
CREATE INDEX dialogues_report ON dialogues (ward_id, date, participants) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX dialogues_ref ON dialogues (ward_id, ref) WHERE ref IS NOT NULL AND deleted_at IS NULL;

CREATE TABLE opinions (
    id          INTEGER PRIMARY KEY,
    ward_id     INTEGER NOT NULL REFERENCES wards(id),
    dialogue_id INTEGER NOT NULL REFERENCES dialogues(id),
    content     TEXT NOT NULL,
    field       TEXT,
    response    TEXT NOT NULL,
    status      TEXT NOT NULL,
    resolved_on TEXT,
    answer      TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
    deleted_at TEXT, deleted_by TEXT, import_id INTEGER REFERENCES imports(id),
    CHECK ((status = 'resolved') = (resolved_on IS NOT NULL))
);
CREATE INDEX opinions_report ON opinions (dialogue_id, status, resolved_on) WHERE deleted_at IS NULL;
CREATE INDEX opinions_open ON opinions (ward_id, status) WHERE deleted_at IS NULL;

CREATE TABLE documents (
    id         INTEGER PRIMARY KEY,
    ward_id    INTEGER NOT NULL REFERENCES wards(id),
    date       TEXT NOT NULL,
    number     TEXT NOT NULL,
    issuer     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    source     TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
    deleted_at TEXT, deleted_by TEXT, import_id INTEGER REFERENCES imports(id)
);
CREATE INDEX documents_report ON documents (ward_id, date, kind) WHERE deleted_at IS NULL;

CREATE TABLE inspections (
    id          INTEGER PRIMARY KEY,
    ward_id     INTEGER NOT NULL REFERENCES wards(id),
    date        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target      TEXT NOT NULL,
    inspector   TEXT NOT NULL,
    findings    TEXT,
    source      TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
    deleted_at TEXT, deleted_by TEXT, import_id INTEGER REFERENCES imports(id)
);
CREATE INDEX inspections_report ON inspections (ward_id, date, kind, target_kind) WHERE deleted_at IS NULL;

CREATE TABLE commendations (
    id              INTEGER PRIMARY KEY,
    ward_id         INTEGER NOT NULL REFERENCES wards(id),
    date            TEXT NOT NULL,
    decision_number TEXT,
    level           TEXT NOT NULL,
    recipient_kind  TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    reason          TEXT,
    source          TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
    deleted_at TEXT, deleted_by TEXT, import_id INTEGER REFERENCES imports(id)
);
CREATE INDEX commendations_report ON commendations (ward_id, date, level, recipient_kind) WHERE deleted_at IS NULL;

CREATE TABLE hot_spots (
    id                   INTEGER PRIMARY KEY,
    ward_id              INTEGER NOT NULL REFERENCES wards(id),
    opened               TEXT NOT NULL,
    place                TEXT NOT NULL,
    description          TEXT NOT NULL,
    residential_group_id INTEGER REFERENCES residential_groups(id),
    status               TEXT NOT NULL,
    resolved_on          TEXT,
    notes                TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
    deleted_at TEXT, deleted_by TEXT, import_id INTEGER REFERENCES imports(id)
);
CREATE INDEX hot_spots_opened ON hot_spots (ward_id, opened) WHERE deleted_at IS NULL;
