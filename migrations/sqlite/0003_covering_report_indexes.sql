-- The report indexes of 0001 are partial on `deleted_at IS NULL`, but SQLite still
-- reads the table row to test that term unless the column is in the index itself, so
-- those indexes were not covering. Adding `deleted_at` (always NULL in these partial
-- indexes, one byte per entry) makes every report query an index-only range scan.

DROP INDEX conferences_report;
CREATE INDEX conferences_report ON conferences (ward_id, date, kind, attendees, deleted_at) WHERE deleted_at IS NULL;

DROP INDEX publicity_report;
CREATE INDEX publicity_report ON publicity (ward_id, date, channel, topic, count, deleted_at) WHERE deleted_at IS NULL;

DROP INDEX dialogues_report;
CREATE INDEX dialogues_report ON dialogues (ward_id, date, participants, deleted_at) WHERE deleted_at IS NULL;

DROP INDEX opinions_report;
CREATE INDEX opinions_report ON opinions (dialogue_id, status, resolved_on, deleted_at) WHERE deleted_at IS NULL;

DROP INDEX documents_report;
CREATE INDEX documents_report ON documents (ward_id, date, kind, deleted_at) WHERE deleted_at IS NULL;

DROP INDEX inspections_report;
CREATE INDEX inspections_report ON inspections (ward_id, date, kind, target_kind, deleted_at) WHERE deleted_at IS NULL;

DROP INDEX commendations_report;
CREATE INDEX commendations_report ON commendations (ward_id, date, level, recipient_kind, deleted_at) WHERE deleted_at IS NULL;
