//! How each record kind maps to its table: which input field is which column and how
//! references are resolved. The generic repository in `records.rs` builds its SQL from
//! these static definitions only; no user text ever becomes part of an SQL string.

use domain::Kind;

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
    /// The SQL expression dating a row (for year and range filters), if any.
    pub date_expr: Option<&'static str>,
    /// ORDER BY for lists.
    pub order: &'static str,
    /// The summed measure shown under a list (attendances, lượt), if any.
    pub sum_col: Option<&'static str>,
    /// Columns searched by the free-text filter.
    pub search: &'static [&'static str],
}

use Col::*;

static DEFS: &[TableDef] = &[
    TableDef {
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
        date_expr: None,
        order: "t.number, t.id",
        sum_col: Some("residents"),
        search: &["name", "leader", "deputy", "front_head"],
    },
    TableDef {
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
        date_expr: None,
        order: "t.name, t.id",
        sum_col: Some("members"),
        search: &["name", "secretary"],
    },
    TableDef {
        kind: Kind::CommitteeMembers,
        table: "committee_members",
        cols: &[
            ("decision_date", "decision_date", Text),
            ("decision_number", "decision_number", Text),
            ("name", "name", Text),
            ("position", "position", Text),
            ("office", "office", Text),
        ],
        date_expr: Some("t.decision_date"),
        order: "t.decision_date DESC, t.decision_number, CASE t.position WHEN 'head' THEN 0 WHEN 'deputy_head' THEN 1 WHEN 'member' THEN 2 ELSE 3 END, t.id",
        sum_col: None,
        search: &["name", "office", "decision_number"],
    },
    TableDef {
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
        date_expr: Some("t.date"),
        order: "t.date DESC, t.id DESC",
        sum_col: Some("attendees"),
        search: &["title", "notes"],
    },
    TableDef {
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
        date_expr: Some("t.date"),
        order: "t.date DESC, t.id DESC",
        sum_col: Some("count"),
        search: &["title", "notes"],
    },
    TableDef {
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
        date_expr: Some("t.date"),
        order: "t.date DESC, t.id DESC",
        sum_col: Some("participants"),
        search: &["ref", "notes"],
    },
    TableDef {
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
        // An opinion belongs to the period of the dialogue that raised it.
        date_expr: Some("(SELECT d.date FROM dialogues d WHERE d.id = t.dialogue_id)"),
        order: "t.dialogue_id DESC, t.id",
        sum_col: None,
        search: &["content", "field", "answer"],
    },
    TableDef {
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
        date_expr: Some("t.date"),
        order: "t.date DESC, t.id DESC",
        sum_col: None,
        search: &["number", "title"],
    },
    TableDef {
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
        date_expr: Some("t.date"),
        order: "t.date DESC, t.id DESC",
        sum_col: None,
        search: &["target", "findings"],
    },
    TableDef {
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
        date_expr: Some("t.date"),
        order: "t.date DESC, t.id DESC",
        sum_col: None,
        search: &["recipient", "reason", "decision_number"],
    },
    TableDef {
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
        date_expr: Some("t.opened"),
        order: "t.opened DESC, t.id DESC",
        sum_col: None,
        search: &["place", "description", "notes"],
    },
];

pub(crate) fn def(kind: Kind) -> &'static TableDef {
    DEFS.iter().find(|d| d.kind == kind).unwrap_or(&DEFS[0])
}

impl TableDef {
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
                GroupList => "(SELECT group_concat(number, ';') FROM (SELECT g.number FROM party_cell_groups l JOIN residential_groups g ON g.id = l.residential_group_id WHERE l.party_cell_id = t.id ORDER BY g.number))".to_string(),
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
            for c in kind.columns() {
                let stored = d.column(c.name).is_some();
                assert!(
                    stored || c.name == "dialogue_ref",
                    "{kind:?}.{} not stored",
                    c.name
                );
            }
            assert_eq!(
                d.cols.len(),
                kind.columns()
                    .iter()
                    .filter(|c| c.name != "dialogue_ref")
                    .count(),
                "{kind:?}"
            );
        }
    }
}
