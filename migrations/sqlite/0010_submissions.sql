-- Submitted periods (issue 14): a ward's report for a range of dates, frozen as the
-- long summary CSV (code headers, by year) with who submitted it and when. While a
-- submission's status is 'submitted', records dated inside its range cannot change;
-- a reopening (with its reason) lifts the lock and keeps the row, so that the figures
-- can be compared with what was sent. Timestamps are UTC text like the meta columns.
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    ward_id INTEGER NOT NULL REFERENCES wards(id),
    date_from TEXT NOT NULL,
    date_to TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    submitted_by TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'reopened')),
    reopened_at TEXT,
    reopened_by TEXT,
    reopen_reason TEXT,
    CHECK (date_to >= date_from)
);
CREATE INDEX submissions_ward ON submissions (ward_id, status, date_from);
