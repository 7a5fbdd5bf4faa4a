//! What a write resolves a row's references against: the ward's live residential
//! groups (id and lifespan by number) and party cells (id by name), read once per
//! write transaction, so that resolving a row's group and cell, checking that its
//! group exists on the record's date and finding a party cell's groups cost no query
//! per row (an import writes tens of thousands of rows in one transaction); and whether
//! a merger ended the ward (no record after its last day).

use domain::FieldErrors;
use std::collections::HashMap;

use chrono::NaiveDate;
use domain::{dates, Input};
use sqlx::AnyConnection;

use crate::bind::Bind;
use crate::error::{Result, StoreError};
use crate::tables::{Col, TableDef};
use crate::WardId;

/// A live residential group as references see it.
#[derive(Debug, Clone)]
struct Group {
    id: i64,
    established: Option<NaiveDate>,
    dissolved: Option<NaiveDate>,
}

/// The ward's live groups and cells that a table's columns can refer to (only those
/// its columns need are read).
#[derive(Debug, Default)]
pub(crate) struct Refs {
    groups: HashMap<i64, Group>,
    cells: HashMap<String, i64>,
    /// Each live cell's first and last active days, by name.
    cell_spans: HashMap<String, (Option<NaiveDate>, Option<NaiveDate>)>,
    /// The ward's last day, its name and its successors' when a merger ended it.
    ended: Option<(NaiveDate, String, String)>,
}

impl Refs {
    /// Reads, inside the write transaction, what the rows of `d` may refer to.
    pub(crate) async fn load(conn: &mut AnyConnection, ward: WardId, d: &TableDef) -> Result<Refs> {
        let needs = |wanted: &[Col]| d.cols.iter().any(|(_, _, ty)| wanted.contains(ty));
        let mut refs = Refs::default();
        if d.kind.date_column().is_some() {
            refs.ended = crate::lineage::ended(conn, ward).await?;
        }
        if needs(&[Col::GroupRef, Col::GroupList]) {
            let rows: Vec<(i64, i64, Option<String>, Option<String>)> = sqlx::query_as(
                "SELECT number, id, established, dissolved FROM residential_groups WHERE ward_id = $1 AND deleted_at IS NULL",
            )
            .bind(ward.0)
            .fetch_all(&mut *conn)
            .await?;
            // A stored date that does not parse counts as absent, as it always has.
            let day = |s: Option<String>| s.and_then(|s| dates::parse_date(&s).ok());
            refs.groups = rows
                .into_iter()
                .map(|(number, id, established, dissolved)| {
                    let group = Group {
                        id,
                        established: day(established),
                        dissolved: day(dissolved),
                    };
                    (number, group)
                })
                .collect();
        }
        if needs(&[Col::CellRef]) {
            type CellRow = (String, i64, Option<String>, Option<String>);
            let rows: Vec<CellRow> = sqlx::query_as(
                "SELECT name, id, active_from, active_until FROM party_cells WHERE ward_id = $1 AND deleted_at IS NULL",
            )
            .bind(ward.0)
            .fetch_all(&mut *conn)
            .await?;
            let day = |s: Option<String>| s.and_then(|s| dates::parse_date(&s).ok());
            for (name, id, from, until) in rows {
                refs.cell_spans
                    .insert(name.clone(), (day(from), day(until)));
                refs.cells.insert(name, id);
            }
        }
        Ok(refs)
    }

    /// The bind for one field's canonical text, its reference resolved.
    pub(crate) fn value_bind(&self, field: &str, ty: Col, value: &str) -> Result<Bind> {
        if value.is_empty() {
            return Ok(match ty {
                Col::Text | Col::GroupList => Bind::NullText,
                Col::Int | Col::GroupRef | Col::CellRef => Bind::NullInt,
            });
        }
        Ok(match ty {
            Col::Text => Bind::Text(value.to_string()),
            Col::Int => Bind::Int(
                value
                    .parse()
                    .map_err(|_| StoreError::field(field, domain::error::msg::BAD_WHOLE))?,
            ),
            Col::GroupRef => Bind::Int(self.group_id(field, value)?),
            Col::CellRef => Bind::Int(*self.cells.get(value).ok_or_else(|| {
                StoreError::field(
                    field,
                    format!("Không có chi bộ «{value}» trong danh sách chi bộ."),
                )
            })?),
            Col::GroupList => Bind::NullText,
        })
    }

    /// A dated record's residential group and party cell must exist on the record's
    /// date (`domain::records::group_exists_on`, `cell_exists_on`); every field in
    /// error is reported at once.
    pub(crate) fn check_registers_on_date(&self, d: &TableDef, input: &Input) -> Result<()> {
        let Some(date_col) = d.kind.date_column() else {
            return Ok(());
        };
        let Ok(date) = dates::parse_date(input.get(date_col)) else {
            return Ok(()); // the record's own validation reports a bad date
        };
        let mut errors = FieldErrors::new();
        if let Some((last, name, successor)) = &self.ended {
            if let Err(m) = domain::lineage::record_allowed(name, Some((*last, successor)), date) {
                errors.add(date_col, m);
            }
        }
        for (field, _, ty) in d.cols {
            let value = input.get(field);
            let exists = match ty {
                Col::GroupRef => value.parse::<i64>().ok().and_then(|number| {
                    // an unknown group is reported by its reference
                    self.groups.get(&number).map(|g| {
                        domain::records::group_exists_on(
                            number as u32,
                            g.established,
                            g.dissolved,
                            date,
                        )
                    })
                }),
                Col::CellRef if !value.is_empty() => {
                    self.cell_spans.get(value).map(|(from, until)| {
                        domain::records::cell_exists_on(value, *from, *until, date)
                    })
                }
                _ => None,
            };
            if let Some(Err(m)) = exists {
                errors.add(field, m);
            }
        }
        errors.into_result().map_err(StoreError::Invalid)
    }

    /// The ids of a party cell's groups (`residential_groups`: numbers separated by `;`).
    pub(crate) fn group_ids(&self, numbers: &str) -> Result<Vec<i64>> {
        numbers
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|n| self.group_id("residential_groups", n))
            .collect()
    }

    fn group_id(&self, field: &str, number: &str) -> Result<i64> {
        let n: i64 = number.parse().map_err(|_| {
            StoreError::field(field, format!("«{number}» không phải số tổ dân phố."))
        })?;
        self.groups.get(&n).map(|g| g.id).ok_or_else(|| {
            StoreError::field(
                field,
                format!("Không có tổ dân phố số {n} trong danh sách tổ dân phố."),
            )
        })
    }
}
