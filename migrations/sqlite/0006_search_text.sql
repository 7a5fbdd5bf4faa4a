-- Search without diacritics: each record row keeps the folded text of its kind's
-- searched columns (lower case, no tone or vowel marks, `đ` as `d`; see
-- `domain::text::fold`), written by the store on insert and update, so that the list
-- filter `q` matches `hoa giai` and `hòa giải` alike with one LIKE. NULL means "not yet
-- computed": the store fills such rows when it opens the database (and after generating
-- benchmark data); the partial indexes find them without reading every row.
ALTER TABLE residential_groups ADD COLUMN search_text TEXT;
ALTER TABLE party_cells ADD COLUMN search_text TEXT;
ALTER TABLE committee_members ADD COLUMN search_text TEXT;
ALTER TABLE conferences ADD COLUMN search_text TEXT;
ALTER TABLE publicity ADD COLUMN search_text TEXT;
ALTER TABLE dialogues ADD COLUMN search_text TEXT;
ALTER TABLE opinions ADD COLUMN search_text TEXT;
ALTER TABLE documents ADD COLUMN search_text TEXT;
ALTER TABLE inspections ADD COLUMN search_text TEXT;
ALTER TABLE commendations ADD COLUMN search_text TEXT;
ALTER TABLE hot_spots ADD COLUMN search_text TEXT;
CREATE INDEX residential_groups_without_search_text ON residential_groups (id) WHERE search_text IS NULL;
CREATE INDEX party_cells_without_search_text ON party_cells (id) WHERE search_text IS NULL;
CREATE INDEX committee_members_without_search_text ON committee_members (id) WHERE search_text IS NULL;
CREATE INDEX conferences_without_search_text ON conferences (id) WHERE search_text IS NULL;
CREATE INDEX publicity_without_search_text ON publicity (id) WHERE search_text IS NULL;
CREATE INDEX dialogues_without_search_text ON dialogues (id) WHERE search_text IS NULL;
CREATE INDEX opinions_without_search_text ON opinions (id) WHERE search_text IS NULL;
CREATE INDEX documents_without_search_text ON documents (id) WHERE search_text IS NULL;
CREATE INDEX inspections_without_search_text ON inspections (id) WHERE search_text IS NULL;
CREATE INDEX commendations_without_search_text ON commendations (id) WHERE search_text IS NULL;
CREATE INDEX hot_spots_without_search_text ON hot_spots (id) WHERE search_text IS NULL;
