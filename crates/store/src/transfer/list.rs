//! The tables a ward owns, in copy order: one entry per table with its columns, their
//! types and the tables they reference. [`super`] builds every statement from this list.

use domain::Kind;

/// A copied column's type: what is read and bound, and how it is remapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ty {
    Text,
    Int,
    /// The id of a row of the named table, copied before: written as that row's new id.
    Ref(&'static str),
    /// `audit_log.entity_id`: the id of a row of the table its `entity` names, remapped
    /// when that table was copied, kept otherwise.
    EntityId,
}

use Ty::*;

/// Which rows of a table belong to the ward.
#[derive(Debug, Clone, Copy)]
pub(super) enum Owner {
    /// The `wards` row itself (`id = ?`).
    Itself,
    /// Rows with `ward_id = ?`; the column is written as the ward's new id.
    Ward,
    /// Rows whose `column` names a row of `table` of the ward (no `ward_id` of their
    /// own: the party cells' group lists).
    Via {
        column: &'static str,
        table: &'static str,
    },
}

/// One table to copy.
#[derive(Debug)]
pub(super) struct TableCopy {
    pub table: &'static str,
    pub owner: Owner,
    /// Whether rows have an `id` (new ids are then taken, and kept for references).
    pub has_id: bool,
    /// The copied columns, besides `id` and `ward_id`, in groups (shared meta columns).
    pub cols: &'static [&'static [(&'static str, Ty)]],
}

/// The meta columns of every record table.
const RECORD_META: &[(&str, Ty)] = &[
    ("created_at", Text),
    ("created_by", Text),
    ("updated_at", Text),
    ("updated_by", Text),
    ("deleted_at", Text),
    ("deleted_by", Text),
    ("import_id", Ref("imports")),
    ("search_text", Text),
];

/// Review drafts keep who made and changed them, but are never imported or searched.
const DRAFT_META: &[(&str, Ty)] = &[
    ("created_at", Text),
    ("created_by", Text),
    ("updated_at", Text),
    ("updated_by", Text),
    ("deleted_at", Text),
    ("deleted_by", Text),
];

/// Every table a ward owns, referenced tables first.
pub(super) static TABLES: &[TableCopy] = &[
    TableCopy {
        table: "wards",
        owner: Owner::Itself,
        has_id: true,
        cols: &[&[
            ("code", Text),
            ("name", Text),
            ("district", Text),
            ("province", Text),
            ("posting_days", Int),
            ("broadcast_days", Int),
            ("created_at", Text),
            ("established", Text),
        ]],
    },
    TableCopy {
        table: "ward_names",
        owner: Owner::Ward,
        has_id: true,
        cols: &[&[
            ("valid_from", Text),
            ("district", Text),
            ("superior_body", Text),
        ]],
    },
    TableCopy {
        table: "ward_terms",
        owner: Owner::Ward,
        has_id: true,
        cols: &[&[("name", Text), ("start", Text)]],
    },
    TableCopy {
        table: "review_periods",
        owner: Owner::Ward,
        has_id: true,
        cols: &[&[("name", Text), ("start", Text), ("end", Text)]],
    },
    TableCopy {
        table: "users",
        owner: Owner::Ward,
        has_id: true,
        cols: &[&[
            ("username", Text),
            ("display_name", Text),
            ("password_hash", Text),
            ("role", Text),
            ("disabled_at", Text),
            ("created_at", Text),
            ("password_changed_at", Text),
        ]],
    },
    TableCopy {
        table: "imports",
        owner: Owner::Ward,
        has_id: true,
        cols: &[&[
            ("kind", Text),
            ("file_name", Text),
            ("rows", Int),
            ("at", Text),
            ("actor", Text),
            ("content_hash", Text),
            ("undone_at", Text),
            ("undone_by", Text),
        ]],
    },
    TableCopy {
        table: "residential_groups",
        owner: Owner::Ward,
        has_id: true,
        cols: &[
            &[
                ("number", Int),
                ("name", Text),
                ("leader", Text),
                ("deputy", Text),
                ("front_head", Text),
                ("households", Int),
                ("residents", Int),
                ("established", Text),
                ("dissolved", Text),
            ],
            RECORD_META,
        ],
    },
    TableCopy {
        table: "party_cells",
        owner: Owner::Ward,
        has_id: true,
        cols: &[
            &[
                ("name", Text),
                ("kind", Text),
                ("secretary", Text),
                ("members", Int),
                ("active_from", Text),
                ("active_until", Text),
            ],
            RECORD_META,
        ],
    },
    TableCopy {
        table: "party_cell_groups",
        owner: Owner::Via {
            column: "party_cell_id",
            table: "party_cells",
        },
        has_id: false,
        cols: &[&[
            ("party_cell_id", Ref("party_cells")),
            ("residential_group_id", Ref("residential_groups")),
        ]],
    },
    TableCopy {
        table: "committee_members",
        owner: Owner::Ward,
        has_id: true,
        cols: &[
            &[
                ("decision_date", Text),
                ("decision_number", Text),
                ("name", Text),
                ("position", Text),
                ("office", Text),
            ],
            RECORD_META,
        ],
    },
    TableCopy {
        table: "conferences",
        owner: Owner::Ward,
        has_id: true,
        cols: &[
            &[
                ("date", Text),
                ("kind", Text),
                ("title", Text),
                ("attendees", Int),
                ("organiser", Text),
                ("topics", Text),
                ("residential_group_id", Ref("residential_groups")),
                ("party_cell_id", Ref("party_cells")),
                ("notes", Text),
                ("source", Text),
            ],
            RECORD_META,
        ],
    },
    TableCopy {
        table: "publicity",
        owner: Owner::Ward,
        has_id: true,
        cols: &[
            &[
                ("date", Text),
                ("channel", Text),
                ("topic", Text),
                ("title", Text),
                ("count", Int),
                ("posted_from", Text),
                ("posted_until", Text),
                ("residential_group_id", Ref("residential_groups")),
                ("notes", Text),
                ("source", Text),
            ],
            RECORD_META,
        ],
    },
    TableCopy {
        table: "dialogues",
        owner: Owner::Ward,
        has_id: true,
        cols: &[
            &[
                ("ref", Text),
                ("date", Text),
                ("host", Text),
                ("counterpart", Text),
                ("participants", Int),
                ("residential_group_id", Ref("residential_groups")),
                ("notes", Text),
                ("source", Text),
            ],
            RECORD_META,
        ],
    },
    TableCopy {
        table: "opinions",
        owner: Owner::Ward,
        has_id: true,
        cols: &[
            &[
                ("dialogue_id", Ref("dialogues")),
                ("content", Text),
                ("field", Text),
                ("response", Text),
                ("status", Text),
                ("resolved_on", Text),
                ("answer", Text),
            ],
            RECORD_META,
        ],
    },
    TableCopy {
        table: "documents",
        owner: Owner::Ward,
        has_id: true,
        cols: &[
            &[
                ("date", Text),
                ("number", Text),
                ("issuer", Text),
                ("kind", Text),
                ("title", Text),
                ("source", Text),
            ],
            RECORD_META,
        ],
    },
    TableCopy {
        table: "inspections",
        owner: Owner::Ward,
        has_id: true,
        cols: &[
            &[
                ("date", Text),
                ("kind", Text),
                ("target_kind", Text),
                ("target", Text),
                ("inspector", Text),
                ("findings", Text),
                ("source", Text),
            ],
            RECORD_META,
        ],
    },
    TableCopy {
        table: "commendations",
        owner: Owner::Ward,
        has_id: true,
        cols: &[
            &[
                ("date", Text),
                ("decision_number", Text),
                ("level", Text),
                ("recipient_kind", Text),
                ("recipient", Text),
                ("reason", Text),
                ("source", Text),
            ],
            RECORD_META,
        ],
    },
    TableCopy {
        table: "hot_spots",
        owner: Owner::Ward,
        has_id: true,
        cols: &[
            &[
                ("opened", Text),
                ("place", Text),
                ("description", Text),
                ("residential_group_id", Ref("residential_groups")),
                ("status", Text),
                ("resolved_on", Text),
                ("notes", Text),
            ],
            RECORD_META,
        ],
    },
    TableCopy {
        table: "community_decisions",
        owner: Owner::Ward,
        has_id: true,
        cols: &[
            &[
                ("date", Text),
                ("residential_group_id", Ref("residential_groups")),
                ("matter", Text),
                ("form", Text),
                ("households", Int),
                ("represented", Int),
                ("in_favour", Int),
                ("title", Text),
                ("notes", Text),
                ("source", Text),
            ],
            RECORD_META,
        ],
    },
    TableCopy {
        table: "consultations",
        owner: Owner::Ward,
        has_id: true,
        cols: &[
            &[
                ("consulted_from", Text),
                ("consulted_until", Text),
                ("subject", Text),
                ("form", Text),
                ("title", Text),
                ("responses", Int),
                ("taken_up", Int),
                ("result_channel", Text),
                ("result_published_on", Text),
                ("residential_group_id", Ref("residential_groups")),
                ("notes", Text),
                ("source", Text),
            ],
            RECORD_META,
        ],
    },
    TableCopy {
        table: "inspection_board_terms",
        owner: Owner::Ward,
        has_id: true,
        cols: &[
            &[
                ("recognised_on", Text),
                ("decision_number", Text),
                ("term", Text),
                ("members", Int),
                ("head", Text),
                ("member_names", Text),
                ("until", Text),
                ("notes", Text),
            ],
            RECORD_META,
        ],
    },
    TableCopy {
        table: "inspection_board_activities",
        owner: Owner::Ward,
        has_id: true,
        cols: &[
            &[
                ("date", Text),
                ("kind", Text),
                ("subject", Text),
                ("findings", Text),
                ("recommendations", Text),
                ("follow_up", Text),
                ("residential_group_id", Ref("residential_groups")),
                ("source", Text),
            ],
            RECORD_META,
        ],
    },
    TableCopy {
        table: "supervision_boards",
        owner: Owner::Ward,
        has_id: true,
        cols: &[
            &[
                ("established", Text),
                ("project", Text),
                ("members", Int),
                ("decision_number", Text),
                ("residential_group_id", Ref("residential_groups")),
                ("dissolved", Text),
                ("notes", Text),
            ],
            RECORD_META,
        ],
    },
    TableCopy {
        table: "supervision_activities",
        owner: Owner::Ward,
        has_id: true,
        cols: &[
            &[
                ("date", Text),
                ("project", Text),
                ("content", Text),
                ("findings", Text),
                ("recommendations", Text),
                ("follow_up", Text),
                ("source", Text),
            ],
            RECORD_META,
        ],
    },
    TableCopy {
        table: "review_drafts",
        owner: Owner::Ward,
        has_id: true,
        cols: &[
            &[
                ("title", Text),
                ("number", Text),
                ("date", Text),
                ("place", Text),
                ("on_behalf", Text),
                ("signer_title", Text),
                ("signer_name", Text),
                ("range_from", Text),
                ("range_to", Text),
                ("limitations", Text),
                ("causes", Text),
                ("lessons", Text),
                ("directions", Text),
                ("recommendations", Text),
                ("recipients", Text),
                ("kind", Text),
            ],
            DRAFT_META,
        ],
    },
    TableCopy {
        table: "submissions",
        owner: Owner::Ward,
        has_id: true,
        cols: &[&[
            ("date_from", Text),
            ("date_to", Text),
            ("submitted_at", Text),
            ("submitted_by", Text),
            ("snapshot", Text),
            ("status", Text),
            ("reopened_at", Text),
            ("reopened_by", Text),
            ("reopen_reason", Text),
        ]],
    },
    // Last: its entries name rows of every table above.
    TableCopy {
        table: "audit_log",
        owner: Owner::Ward,
        has_id: true,
        cols: &[&[
            ("at", Text),
            ("actor", Text),
            ("entity", Text),
            ("entity_id", EntityId),
            ("action", Text),
            ("before", Text),
            ("after", Text),
            ("note", Text),
        ]],
    },
];

/// The table whose ids an audit entity code names: a record kind's, or the ward's own
/// objects that have ids.
pub(super) fn entity_table(entity: &str) -> Option<&'static str> {
    if let Some(kind) = Kind::parse(entity) {
        return Some(crate::tables::def(kind).table);
    }
    match entity {
        "user" => Some("users"),
        "ward" => Some("wards"),
        "review_drafts" => Some("review_drafts"),
        "submissions" => Some("submissions"),
        _ => None,
    }
}

/// The columns of a table's SELECT and INSERT, flattened.
pub(super) fn columns(t: &TableCopy) -> Vec<(&'static str, Ty)> {
    t.cols.iter().flat_map(|g| g.iter().copied()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    #[test]
    fn referenced_tables_come_first() {
        for (i, t) in TABLES.iter().enumerate() {
            let earlier: Vec<&str> = TABLES[..i].iter().map(|t| t.table).collect();
            for (c, ty) in columns(t) {
                if let Ref(table) = ty {
                    assert!(earlier.contains(&table), "{}.{c} → {table}", t.table);
                }
            }
            if let Owner::Via { table, .. } = t.owner {
                assert!(earlier.contains(&table), "{}", t.table);
            }
        }
        for kind in Kind::ALL {
            let table = crate::tables::def(*kind).table;
            assert!(TABLES.iter().any(|t| t.table == table), "{table}");
            assert_eq!(entity_table(kind.code()), Some(table));
        }
    }

    /// Every table with a `ward_id` is copied, with every column it has: a migration
    /// adding a ward's table or column must add it to [`TABLES`].
    #[tokio::test]
    async fn the_list_covers_the_schema() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path().join("t.db")).await.expect("open");
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'",
        )
        .fetch_all(&store.read)
        .await
        .expect("tables");
        for table in tables {
            let cols: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_table_info($1) ORDER BY cid")
                    .bind(&table)
                    .fetch_all(&store.read)
                    .await
                    .expect("columns");
            let listed = TABLES.iter().find(|t| t.table == table);
            let owned = cols.iter().any(|c| c == "ward_id") || table == "wards";
            let Some(t) = listed else {
                assert!(!owned, "{table} belongs to a ward but is not transferred");
                continue;
            };
            let copied: Vec<&str> = columns(t).iter().map(|(c, _)| *c).collect();
            for c in &cols {
                let implicit =
                    (c == "id" && t.has_id) || (c == "ward_id" && matches!(t.owner, Owner::Ward));
                assert!(
                    implicit || copied.contains(&c.as_str()),
                    "{table}.{c} is not transferred"
                );
            }
            assert_eq!(
                copied.len() + usize::from(t.has_id) + usize::from(matches!(t.owner, Owner::Ward)),
                cols.len(),
                "{table}"
            );
        }
        store.close().await;
    }
}
