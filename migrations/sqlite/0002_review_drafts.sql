-- Review drafts (báo cáo tổng kết): the meta and the sections the committee writes; the
-- figures are never stored, they are composed from the records each time the draft is
-- shown, so a draft always agrees with the report. Append-only, like every migration.

CREATE TABLE review_drafts (
    id              INTEGER PRIMARY KEY,
    ward_id         INTEGER NOT NULL REFERENCES wards(id),
    title           TEXT NOT NULL,
    number          TEXT,
    date            TEXT NOT NULL,
    place           TEXT,
    on_behalf       TEXT NOT NULL,
    signer_title    TEXT NOT NULL,
    signer_name     TEXT,
    range_from      TEXT NOT NULL,
    range_to        TEXT NOT NULL,
    limitations     TEXT,
    causes          TEXT,
    lessons         TEXT,
    directions      TEXT,
    recommendations TEXT,
    recipients      TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
    deleted_at TEXT, deleted_by TEXT,
    CHECK (range_to >= range_from)
);
CREATE INDEX review_drafts_ward ON review_drafts (ward_id, date) WHERE deleted_at IS NULL;
