//! The tables of the 2022 law's registers (migration 0008), beside the others' in
//! `tables.rs`.

use domain::Kind;

use crate::tables::Col::*;
use crate::tables::TableDef;

pub(crate) static COMMUNITY_DECISIONS: TableDef = TableDef {
    kind: Kind::CommunityDecisions,
    table: "community_decisions",
    cols: &[
        ("date", "date", Text),
        ("residential_group", "residential_group_id", GroupRef),
        ("matter", "matter", Text),
        ("form", "form", Text),
        ("households", "households", Int),
        ("represented", "represented", Int),
        ("in_favour", "in_favour", Int),
        ("title", "title", Text),
        ("notes", "notes", Text),
        ("source", "source", Text),
    ],
    parent_link: None,
    order: "t.date DESC, t.id DESC",
    sum_col: None,
    search: &["title", "notes"],
};

pub(crate) static CONSULTATIONS: TableDef = TableDef {
    kind: Kind::Consultations,
    table: "consultations",
    cols: &[
        ("consulted_from", "consulted_from", Text),
        ("consulted_until", "consulted_until", Text),
        ("subject", "subject", Text),
        ("form", "form", Text),
        ("title", "title", Text),
        ("responses", "responses", Int),
        ("taken_up", "taken_up", Int),
        ("result_channel", "result_channel", Text),
        ("result_published_on", "result_published_on", Text),
        ("residential_group", "residential_group_id", GroupRef),
        ("notes", "notes", Text),
        ("source", "source", Text),
    ],
    parent_link: None,
    order: "t.consulted_from DESC, t.id DESC",
    sum_col: Some("responses"),
    search: &["title", "notes"],
};

pub(crate) static INSPECTION_BOARD_TERMS: TableDef = TableDef {
    kind: Kind::InspectionBoardTerms,
    table: "inspection_board_terms",
    cols: &[
        ("recognised_on", "recognised_on", Text),
        ("decision_number", "decision_number", Text),
        ("term", "term", Text),
        ("members", "members", Int),
        ("head", "head", Text),
        ("member_names", "member_names", Text),
        ("until", "until", Text),
        ("notes", "notes", Text),
    ],
    parent_link: None,
    order: "t.recognised_on DESC, t.id DESC",
    sum_col: None,
    search: &["term", "head", "member_names", "decision_number"],
};

pub(crate) static INSPECTION_BOARD_ACTIVITIES: TableDef = TableDef {
    kind: Kind::InspectionBoardActivities,
    table: "inspection_board_activities",
    cols: &[
        ("date", "date", Text),
        ("kind", "kind", Text),
        ("subject", "subject", Text),
        ("findings", "findings", Text),
        ("recommendations", "recommendations", Text),
        ("follow_up", "follow_up", Text),
        ("residential_group", "residential_group_id", GroupRef),
        ("source", "source", Text),
    ],
    parent_link: None,
    order: "t.date DESC, t.id DESC",
    sum_col: None,
    search: &["subject", "findings", "recommendations"],
};

pub(crate) static SUPERVISION_BOARDS: TableDef = TableDef {
    kind: Kind::SupervisionBoards,
    table: "supervision_boards",
    cols: &[
        ("established", "established", Text),
        ("project", "project", Text),
        ("members", "members", Int),
        ("decision_number", "decision_number", Text),
        ("residential_group", "residential_group_id", GroupRef),
        ("dissolved", "dissolved", Text),
        ("notes", "notes", Text),
    ],
    parent_link: None,
    order: "t.established DESC, t.id DESC",
    sum_col: Some("members"),
    search: &["project", "notes", "decision_number"],
};

pub(crate) static SUPERVISION_ACTIVITIES: TableDef = TableDef {
    kind: Kind::SupervisionActivities,
    table: "supervision_activities",
    cols: &[
        ("date", "date", Text),
        ("project", "project", Text),
        ("content", "content", Text),
        ("findings", "findings", Text),
        ("recommendations", "recommendations", Text),
        ("follow_up", "follow_up", Text),
        ("source", "source", Text),
    ],
    parent_link: None,
    order: "t.date DESC, t.id DESC",
    sum_col: None,
    search: &["project", "content", "findings", "recommendations"],
};
