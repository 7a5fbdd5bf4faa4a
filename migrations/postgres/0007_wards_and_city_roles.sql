-- Several wards in one database (a city's server): each ward has a code, unique, by
-- which commands name it (`--ward`); the store fills it from the name for wards made
-- before this migration. Accounts gain the city roles, which belong to no ward.
ALTER TABLE wards ADD COLUMN code TEXT;
CREATE UNIQUE INDEX wards_code ON wards (code);

UPDATE users SET ward_id = (SELECT MIN(id) FROM wards) WHERE ward_id IS NULL;
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'secretary', 'deputy', 'viewer', 'city_admin', 'city_viewer'));
ALTER TABLE users ADD CONSTRAINT users_city_roles_have_no_ward
    CHECK ((role IN ('city_admin', 'city_viewer')) = (ward_id IS NULL));
CREATE INDEX users_ward ON users (ward_id);
