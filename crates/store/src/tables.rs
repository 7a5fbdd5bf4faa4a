//! How each record kind maps to its table: which input field is which column and how
//! references are resolved. The generic repository in `records.rs` builds its SQL from
//! these static definitions only; no user text ever becomes part of an SQL string.

use domain::kinds::Dating;
use domain::{ColumnType, Kind};

use crate::tables_law as law;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Col {
    Text,
    Int,
    /// `residential_group` (a number) ↔ `residential_group_id`.
    GroupRef,
    /// `party_cell` (a name) ↔ `party_cell_id`.
    CellRef,
    /// `residential_groups` (numbers `;`) ↔ rows of `party_cell_groups`.
    GroupList,
}

#[derive(Debug)]
pub(crate) struct TableDef {
    pub kind: Kind,
    pub table: &'static str,
    /// (input field, column, type). Fields not listed (e.g. `dialogue_ref`) are not
    /// stored on the row.
    pub cols: &'static [(&'static str, &'static str, Col)],
    /// The column linking a row to its parent's row (`dialogue_id` for opinions), for
    /// kinds that have a parent.
    pub parent_link: Option<&'static str>,
    /// ORDER BY for lists.
    pub order: &'static str,
    /// The summed measure shown under a list (attendances, lượt), if any.
    pub sum_col: Option<&'static str>,
    /// Columns searched by the free-text filter.
    pub search: &'static [&'static str],
}

use Col::*;

static RESIDENTIAL_GROUPS: TableDef = TableDef {
    kind: Kind::ResidentialGroups,
    table: "residential_groups",
    cols: &[
        ("number", "number", Int),
        ("name", "name", Text),
        ("leader", "leader", Text),
        ("deputy", "deputy", Text),
        ("front_head", "front_head", Text),
        ("households", "households", Int),
        ("residents", "residents", Int),
        ("established", "established", Text),
        ("dissolved", "dissolved", Text),
    ],
    parent_link: None,
    order: "t.number, t.id",
    sum_col: Some("residents"),
    search: &["name", "leader", "deputy", "front_head"],
};

static PARTY_CELLS: TableDef = TableDef {
    kind: Kind::PartyCells,
    table: "party_cells",
    cols: &[
        ("name", "name", Text),
        ("kind", "kind", Text),
        ("secretary", "secretary", Text),
        ("members", "members", Int),
        ("residential_groups", "", GroupList),
        ("active_from", "active_from", Text),
        ("active_until", "active_until", Text),
    ],
    parent_link: None,
    order: "t.name, t.id",
    sum_col: Some("members"),
    search: &["name", "secretary"],
};

static COMMITTEE_MEMBERS: TableDef = TableDef {
    kind: Kind::CommitteeMembers,
    table: "committee_members",
    cols: &[
        ("decision_date", "decision_date", Text),
        ("decision_number", "decision_number", Text),
        ("name", "name", Text),
        ("position", "position", Text),
        ("office", "office", Text),
    ],
    parent_link: None,
    order: "t.decision_date DESC, t.decision_number, CASE t.position WHEN 'head' THEN 0 WHEN 'deputy_head' THEN 1 WHEN 'member' THEN 2 ELSE 3 END, t.id",
    sum_col: None,
    search: &["name", "office", "decision_number"],
};

static CONFERENCES: TableDef = TableDef {
    kind: Kind::Conferences,
    table: "conferences",
    cols: &[
        ("date", "date", Text),
        ("kind", "kind", Text),
        ("title", "title", Text),
        ("attendees", "attendees", Int),
        ("organiser", "organiser", Text),
        ("topics", "topics", Text),
        ("residential_group", "residential_group_id", GroupRef),
        ("party_cell", "party_cell_id", CellRef),
        ("notes", "notes", Text),
        ("source", "source", Text),
    ],
    parent_link: None,
    order: "t.date DESC, t.id DESC",
    sum_col: Some("attendees"),
    search: &["title", "notes"],
};

static PUBLICITY: TableDef = TableDef {
    kind: Kind::Publicity,
    table: "publicity",
    cols: &[
        ("date", "date", Text),
        ("channel", "channel", Text),
        ("topic", "topic", Text),
        ("title", "title", Text),
        ("count", "count", Int),
        ("posted_from", "posted_from", Text),
        ("posted_until", "posted_until", Text),
        ("residential_group", "residential_group_id", GroupRef),
        ("notes", "notes", Text),
        ("source", "source", Text),
    ],
    parent_link: None,
    order: "t.date DESC, t.id DESC",
    sum_col: Some("count"),
    search: &["title", "notes"],
};

static DIALOGUES: TableDef = TableDef {
    kind: Kind::Dialogues,
    table: "dialogues",
    cols: &[
        ("ref", "ref", Text),
        ("date", "date", Text),
        ("host", "host", Text),
        ("counterpart", "counterpart", Text),
        ("participants", "participants", Int),
        ("residential_group", "residential_group_id", GroupRef),
        ("notes", "notes", Text),
        ("source", "source", Text),
    ],
    parent_link: None,
    order: "t.date DESC, t.id DESC",
    sum_col: Some("participants"),
    search: &["ref", "notes"],
};

static OPINIONS: TableDef = TableDef {
    kind: Kind::Opinions,
    table: "opinions",
    cols: &[
        ("content", "content", Text),
        ("field", "field", Text),
        ("response", "response", Text),
        ("status", "status", Text),
        ("resolved_on", "resolved_on", Text),
        ("answer", "answer", Text),
    ],
    parent_link: Some("dialogue_id"),
    order: "t.dialogue_id DESC, t.id",
    sum_col: None,
    search: &["content", "field", "answer"],
};

static DOCUMENTS: TableDef = TableDef {
    kind: Kind::Documents,
    table: "documents",
    cols: &[
        ("date", "date", Text),
        ("number", "number", Text),
        ("issuer", "issuer", Text),
        ("kind", "kind", Text),
        ("title", "title", Text),
        ("source", "source", Text),
    ],
    parent_link: None,
    order: "t.date DESC, t.id DESC",
    sum_col: None,
    search: &["number", "title"],
};

static INSPECTIONS: TableDef = TableDef {
    kind: Kind::Inspections,
    table: "inspections",
    cols: &[
        ("date", "date", Text),
        ("kind", "kind", Text),
        ("target_kind", "target_kind", Text),
        ("target", "target", Text),
        ("by", "inspector", Text),
        ("findings", "findings", Text),
        ("source", "source", Text),
    ],
    parent_link: None,
    order: "t.date DESC, t.id DESC",
    sum_col: None,
    search: &["target", "findings"],
};

static COMMENDATIONS: TableDef = TableDef {
    kind: Kind::Commendations,
    table: "commendations",
    cols: &[
        ("date", "date", Text),
        ("decision_number", "decision_number", Text),
        ("level", "level", Text),
        ("recipient_kind", "recipient_kind", Text),
        ("recipient", "recipient", Text),
        ("reason", "reason", Text),
        ("source", "source", Text),
    ],
    parent_link: None,
    order: "t.date DESC, t.id DESC",
    sum_col: None,
    search: &["recipient", "reason", "decision_number"],
};

static HOT_SPOTS: TableDef = TableDef {
    kind: Kind::HotSpots,
    table: "hot_spots",
    cols: &[
        ("opened", "opened", Text),
        ("place", "place", Text),
        ("description", "description", Text),
        ("residential_group", "residential_group_id", GroupRef),
        ("status", "status", Text),
        ("resolved_on", "resolved_on", Text),
        ("notes", "notes", Text),
    ],
    parent_link: None,
    order: "t.opened DESC, t.id DESC",
    sum_col: None,
    search: &["place", "description", "notes"],
};

/// The table of a kind.
pub(crate) fn def(kind: Kind) -> &'static TableDef {
    match kind {
        Kind::ResidentialGroups => &RESIDENTIAL_GROUPS,
        Kind::PartyCells => &PARTY_CELLS,
        Kind::CommitteeMembers => &COMMITTEE_MEMBERS,
        Kind::Conferences => &CONFERENCES,
        Kind::Publicity => &PUBLICITY,
        Kind::Dialogues => &DIALOGUES,
        Kind::Opinions => &OPINIONS,
        Kind::Documents => &DOCUMENTS,
        Kind::Inspections => &INSPECTIONS,
        Kind::Commendations => &COMMENDATIONS,
        Kind::HotSpots => &HOT_SPOTS,
        Kind::CommunityDecisions => &law::COMMUNITY_DECISIONS,
        Kind::Consultations => &law::CONSULTATIONS,
        Kind::InspectionBoardTerms => &law::INSPECTION_BOARD_TERMS,
        Kind::InspectionBoardActivities => &law::INSPECTION_BOARD_ACTIVITIES,
        Kind::SupervisionBoards => &law::SUPERVISION_BOARDS,
        Kind::SupervisionActivities => &law::SUPERVISION_ACTIVITIES,
    }
}

impl TableDef {
    /// The SQL expression dating a row (for year and range filters), from the kind's
    /// [`Dating`]: its own date column, or its parent's (an opinion belongs to the
    /// period of the dialogue that raised it); `None` for registers.
    pub fn date_expr(&self) -> Option<String> {
        match self.kind.dating() {
            Dating::Column(field) => self.column(field).map(|(c, _)| format!("t.{c}")),
            Dating::Parent => {
                let parent = def(self.kind.parent()?);
                let Dating::Column(field) = parent.kind.dating() else {
                    return None;
                };
                let (date, _) = parent.column(field)?;
                Some(format!(
                    "(SELECT p.{date} FROM {} p WHERE p.id = t.{})",
                    parent.table, self.parent_link?
                ))
            }
            Dating::Register(_) => None,
        }
    }

    /// The SELECT expression of a row's parent id (`NULL` for kinds without a parent).
    pub fn parent_id_expr(&self) -> String {
        match self.parent_link {
            Some(link) => format!("t.{link}"),
            None => "NULL".into(),
        }
    }

    /// How the import format names a row of `alias` that other rows belong to: its key
    /// (a dialogue's `ref`), or `id-N` when it has none.
    fn ref_expr(&self, alias: &str) -> Option<String> {
        let (key, _) = self.column(self.kind.key()?.column)?;
        Some(format!("COALESCE({alias}.{key}, 'id-' || {alias}.id)"))
    }

    /// The SELECT list of an export: [`Self::select_list`], with the key of a kind that
    /// has children never empty, so that the children's rows can name it.
    pub fn export_select(&self) -> String {
        let select = self.select_list();
        match (
            self.kind.has_children(),
            self.kind.key(),
            self.ref_expr("t"),
        ) {
            (true, Some(key), Some(expr)) => match self.column(key.column) {
                Some((col, _)) => select.replacen(&format!("CAST(t.{col} AS TEXT)"), &expr, 1),
                None => select,
            },
            _ => select,
        }
    }

    /// The SELECT expression of how an exported row names its parent (an opinion's
    /// `dialogue_ref`); `NULL` for kinds without a parent.
    pub fn parent_ref_expr(&self) -> String {
        let parent = self.kind.parent().map(def);
        match (parent, self.parent_link) {
            (Some(p), Some(link)) => match p.ref_expr("p") {
                Some(r) => format!("(SELECT {r} FROM {} p WHERE p.id = t.{link})", p.table),
                None => "NULL".into(),
            },
            _ => "NULL".into(),
        }
    }

    /// The party cell register itself: its rows are linked to the groups they cover.
    pub fn links_groups(&self) -> bool {
        self.cols.iter().any(|(_, _, ty)| *ty == GroupList)
    }

    /// The residential group register itself: a group filter is on its own number.
    pub fn is_group_register(&self) -> bool {
        ColumnType::Group.references() == Some(self.kind)
    }

    /// The condition, on two binds of the same day, that a register's row is active on
    /// that day, as `domain::Lifespan` counts it: a group from its establishment to the
    /// day before its dissolution, a cell from `active_from` to `active_until`, both
    /// included; `None` for kinds whose rows do not start and end.
    pub fn active_on_sql(&self) -> Option<&'static str> {
        match self.kind {
            Kind::ResidentialGroups => Some("(t.established IS NULL OR t.established <= ?) AND (t.dissolved IS NULL OR t.dissolved > ?)"),
            Kind::PartyCells => Some("(t.active_from IS NULL OR t.active_from <= ?) AND (t.active_until IS NULL OR t.active_until >= ?)"),
            _ => None,
        }
    }

    /// The column for an input field, if the field is stored on the row.
    pub fn column(&self, field: &str) -> Option<(&'static str, Col)> {
        self.cols
            .iter()
            .find(|(f, _, _)| *f == field)
            .map(|(_, c, t)| (*c, *t))
    }

    /// The SELECT list yielding every field as text, in `cols` order, after `t.id`.
    pub fn select_list(&self) -> String {
        let mut parts = Vec::with_capacity(self.cols.len());
        for (_, col, ty) in self.cols {
            parts.push(match ty {
                Text | Int => format!("CAST(t.{col} AS TEXT)"),
                GroupRef => format!("(SELECT CAST(g.number AS TEXT) FROM residential_groups g WHERE g.id = t.{col})"),
                CellRef => format!("(SELECT c.name FROM party_cells c WHERE c.id = t.{col})"),
                GroupList => "(SELECT string_agg(CAST(g.number AS TEXT), ';' ORDER BY g.number) FROM party_cell_groups l JOIN residential_groups g ON g.id = l.residential_group_id WHERE l.party_cell_id = t.id)".to_string(),
            });
        }
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_table_covering_its_columns() {
        for kind in Kind::ALL {
            let d = def(*kind);
            assert_eq!(d.kind, *kind);
            let parent = kind.parent_column().map(|c| c.name);
            for c in kind.columns() {
                let stored = d.column(c.name);
                assert!(
                    stored.is_some() || Some(c.name) == parent,
                    "{kind:?}.{} not stored",
                    c.name
                );
                let expected = match c.ty {
                    ColumnType::Whole => Some(Int),
                    ColumnType::Group => Some(GroupRef),
                    ColumnType::PartyCell => Some(CellRef),
                    ColumnType::Groups => Some(GroupList),
                    ColumnType::DialogueRef => None,
                    _ => Some(Text),
                };
                assert_eq!(stored.map(|(_, ty)| ty), expected, "{kind:?}.{}", c.name);
            }
            assert_eq!(
                d.cols.len(),
                kind.columns()
                    .iter()
                    .filter(|c| Some(c.name) != parent)
                    .count(),
                "{kind:?}"
            );
            assert_eq!(d.parent_link.is_some(), kind.has_parent(), "{kind:?}");
            assert_eq!(d.date_expr().is_some(), kind.is_dated(), "{kind:?}");
        }
    }

    #[test]
    fn dates_and_references_follow_the_kinds() {
        assert_eq!(def(Kind::HotSpots).date_expr().as_deref(), Some("t.opened"));
        assert_eq!(
            def(Kind::Opinions).date_expr().as_deref(),
            Some("(SELECT p.date FROM dialogues p WHERE p.id = t.dialogue_id)")
        );
        assert_eq!(
            def(Kind::Opinions).parent_ref_expr(),
            "(SELECT COALESCE(p.ref, 'id-' || p.id) FROM dialogues p WHERE p.id = t.dialogue_id)"
        );
        assert_eq!(def(Kind::Conferences).parent_ref_expr(), "NULL");
        assert!(def(Kind::Dialogues)
            .export_select()
            .starts_with("COALESCE(t.ref, 'id-' || t.id), CAST(t.date AS TEXT)"));
        assert!(def(Kind::ResidentialGroups).is_group_register());
        assert!(def(Kind::PartyCells).links_groups());
        assert!(!def(Kind::Conferences).links_groups());
    }
}
