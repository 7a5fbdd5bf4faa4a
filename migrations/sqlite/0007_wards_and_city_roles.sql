-- Several wards in one database (a city's server): each ward has a code, unique, by
-- which commands name it (`--ward`); the store fills it from the name for wards made
-- before this migration. Accounts gain the city roles, which belong to no ward
-- (ward_id NULL): SQLite cannot change a CHECK constraint, so the users table is
-- rebuilt with the same columns and rows.
ALTER TABLE wards ADD COLUMN code TEXT;
CREATE UNIQUE INDEX wards_code ON wards (code);

CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL COLLATE NOCASE UNIQUE,
    display_name  TEXT,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'secretary', 'deputy', 'viewer', 'city_admin', 'city_viewer')),
    ward_id       INTEGER REFERENCES wards(id),
    disabled_at   TEXT,
    created_at    TEXT NOT NULL,
    password_changed_at TEXT NOT NULL,
    CHECK ((role IN ('city_admin', 'city_viewer')) = (ward_id IS NULL))
);
INSERT INTO users_new (id, username, display_name, password_hash, role, ward_id, disabled_at, created_at, password_changed_at)
    SELECT id, username, display_name, password_hash, role, COALESCE(ward_id, (SELECT MIN(id) FROM wards)), disabled_at, created_at, password_changed_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_ward ON users (ward_id);
