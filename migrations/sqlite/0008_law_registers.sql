-- The 2022 law's registers (Law 10/2022/QH15 on Implementing Grassroots Democracy):
-- community decisions, consultations, the People's Inspection Board (terms and
-- activities), community investment supervision boards and their activities.
-- Same shape as the other record tables: ward, meta columns, soft delete, search
-- text, report indexes partial on live rows and covering what the report reads.
-- Written to run unchanged in meaning on PostgreSQL: see
-- migrations/postgres_pending/0008_law_registers.sql.

-- What the households of a residential group decided (Law 10/2022/QH15). The outcome is
-- not stored: it follows from the figures (passed = 2 * in_favour > households).
CREATE TABLE community_decisions (
    id INTEGER PRIMARY KEY,
    ward_id INTEGER NOT NULL REFERENCES wards(id),
    date TEXT NOT NULL,
    residential_group_id INTEGER NOT NULL REFERENCES residential_groups(id),
    matter TEXT NOT NULL,
    form TEXT NOT NULL,
    households INTEGER NOT NULL CHECK (households >= 1),
    represented INTEGER NOT NULL CHECK (represented >= 0),
    in_favour INTEGER NOT NULL CHECK (in_favour >= 0),
    title TEXT,
    notes TEXT,
    source TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
    deleted_at TEXT, deleted_by TEXT, import_id INTEGER REFERENCES imports(id),
    search_text TEXT,
    CHECK (represented <= households),
    CHECK (in_favour <= represented)
);
CREATE INDEX community_decisions_report ON community_decisions (ward_id, date, form, households, in_favour, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX community_decisions_group ON community_decisions (residential_group_id);
CREATE INDEX community_decisions_without_search_text ON community_decisions (id) WHERE search_text IS NULL;

-- What residents were consulted on, dated by the first day of the consultation.
CREATE TABLE consultations (
    id INTEGER PRIMARY KEY,
    ward_id INTEGER NOT NULL REFERENCES wards(id),
    consulted_from TEXT NOT NULL,
    consulted_until TEXT NOT NULL,
    subject TEXT NOT NULL,
    form TEXT NOT NULL,
    title TEXT NOT NULL,
    responses INTEGER NOT NULL CHECK (responses >= 0),
    taken_up INTEGER NOT NULL CHECK (taken_up >= 0),
    result_channel TEXT,
    result_published_on TEXT,
    residential_group_id INTEGER REFERENCES residential_groups(id),
    notes TEXT,
    source TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
    deleted_at TEXT, deleted_by TEXT, import_id INTEGER REFERENCES imports(id),
    search_text TEXT,
    CHECK (consulted_until >= consulted_from),
    CHECK (taken_up <= responses)
);
CREATE INDEX consultations_report ON consultations (ward_id, consulted_from, subject, responses, taken_up, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX consultations_group ON consultations (residential_group_id);
CREATE INDEX consultations_without_search_text ON consultations (id) WHERE search_text IS NULL;

-- The People's Inspection Board, one row per term (5 to 11 members, recognised by the
-- ward Fatherland Front).
CREATE TABLE inspection_board_terms (
    id INTEGER PRIMARY KEY,
    ward_id INTEGER NOT NULL REFERENCES wards(id),
    recognised_on TEXT NOT NULL,
    decision_number TEXT NOT NULL,
    term TEXT NOT NULL,
    members INTEGER NOT NULL CHECK (members BETWEEN 5 AND 11),
    head TEXT NOT NULL,
    member_names TEXT,
    until TEXT,
    notes TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
    deleted_at TEXT, deleted_by TEXT, import_id INTEGER REFERENCES imports(id),
    search_text TEXT,
    CHECK (until IS NULL OR until > recognised_on)
);
CREATE INDEX inspection_board_terms_report ON inspection_board_terms (ward_id, recognised_on, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX inspection_board_terms_without_search_text ON inspection_board_terms (id) WHERE search_text IS NULL;

-- Inspections and supervisions by the People's Inspection Board.
CREATE TABLE inspection_board_activities (
    id INTEGER PRIMARY KEY,
    ward_id INTEGER NOT NULL REFERENCES wards(id),
    date TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    findings TEXT,
    recommendations TEXT,
    follow_up TEXT,
    residential_group_id INTEGER REFERENCES residential_groups(id),
    source TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
    deleted_at TEXT, deleted_by TEXT, import_id INTEGER REFERENCES imports(id),
    search_text TEXT
);
CREATE INDEX inspection_board_activities_report ON inspection_board_activities (ward_id, date, kind, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX inspection_board_activities_group ON inspection_board_activities (residential_group_id);
CREATE INDEX inspection_board_activities_without_search_text ON inspection_board_activities (id) WHERE search_text IS NULL;

-- Community investment supervision boards, one per public project (at least 5 members,
-- dissolved when the project ends).
CREATE TABLE supervision_boards (
    id INTEGER PRIMARY KEY,
    ward_id INTEGER NOT NULL REFERENCES wards(id),
    established TEXT NOT NULL,
    project TEXT NOT NULL,
    members INTEGER NOT NULL CHECK (members >= 5),
    decision_number TEXT,
    residential_group_id INTEGER REFERENCES residential_groups(id),
    dissolved TEXT,
    notes TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
    deleted_at TEXT, deleted_by TEXT, import_id INTEGER REFERENCES imports(id),
    search_text TEXT,
    CHECK (dissolved IS NULL OR dissolved > established)
);
CREATE INDEX supervision_boards_report ON supervision_boards (ward_id, established, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX supervision_boards_group ON supervision_boards (residential_group_id);
CREATE INDEX supervision_boards_without_search_text ON supervision_boards (id) WHERE search_text IS NULL;

-- Supervisions by the community investment supervision boards, of their projects.
CREATE TABLE supervision_activities (
    id INTEGER PRIMARY KEY,
    ward_id INTEGER NOT NULL REFERENCES wards(id),
    date TEXT NOT NULL,
    project TEXT NOT NULL,
    content TEXT NOT NULL,
    findings TEXT,
    recommendations TEXT,
    follow_up TEXT,
    source TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
    deleted_at TEXT, deleted_by TEXT, import_id INTEGER REFERENCES imports(id),
    search_text TEXT
);
CREATE INDEX supervision_activities_report ON supervision_activities (ward_id, date, follow_up, deleted_at) WHERE deleted_at IS NULL;
CREATE INDEX supervision_activities_without_search_text ON supervision_activities (id) WHERE search_text IS NULL;

-- Which review a draft writes: Directive 30's (the drafts saved so far) or the 2022
-- law's three-year review.
ALTER TABLE review_drafts ADD COLUMN kind TEXT NOT NULL DEFAULT 'directive30';

-- Publicity minimums per ward: postings (posting_days, since 0001) and, under the 2022
-- law, broadcasts on consecutive days.
ALTER TABLE wards ADD COLUMN broadcast_days INTEGER NOT NULL DEFAULT 3 CHECK (broadcast_days > 0);
