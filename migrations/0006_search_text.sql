-- Search without diacritics: each record row keeps the folded text of its kind's
-- searched columns (lower case, no tone or vowel marks, `đ` as `d`; see
-- `domain::text::fold`), written by the store on insert and update, so that the list
-- filter `q` matches `hoa giai` and `hòa giải` alike with one LIKE. NULL means "not yet
-- computed": the store fills such rows when it opens the database.
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
