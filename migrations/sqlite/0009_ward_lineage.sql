-- Wards across reorganisations (on 1/7/2025 most of Hà Nội's wards were merged): a ward
-- made by a merger keeps the day it was established; each former ward passes into its
-- successor on a date, wholly or in part, and ends the day before. A ward split in
-- parts has one row per successor.
ALTER TABLE wards ADD COLUMN established TEXT;

CREATE TABLE ward_successions (
    id             INTEGER PRIMARY KEY,
    predecessor_id INTEGER NOT NULL REFERENCES wards(id),
    successor_id   INTEGER NOT NULL REFERENCES wards(id),
    on_date        TEXT NOT NULL,
    share          TEXT NOT NULL CHECK (share IN ('whole', 'part')),
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    CHECK (predecessor_id <> successor_id),
    UNIQUE (predecessor_id, successor_id)
);
CREATE INDEX ward_successions_successor ON ward_successions (successor_id);
