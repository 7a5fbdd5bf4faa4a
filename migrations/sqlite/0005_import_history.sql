-- Import history: each import remembers the SHA-256 of its file, so that the same file
-- imported again is noticed (and refused unless the user confirms), and whether it was
-- undone (its records soft-deleted together) and by whom.
ALTER TABLE imports ADD COLUMN content_hash TEXT;
ALTER TABLE imports ADD COLUMN undone_at TEXT;
ALTER TABLE imports ADD COLUMN undone_by TEXT;
CREATE INDEX imports_by_hash ON imports (ward_id, kind, content_hash);
