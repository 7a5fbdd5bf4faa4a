//! Inserting record rows, one (a form) or tens of thousands (an import): each row's
//! values are resolved and checked in memory against [`Refs`], then written with
//! multi-row `INSERT`s of up to [`BATCH_ROWS`] rows, and a party cell's groups linked
//! with multi-row inserts too. No audit here: the caller writes it in the same
//! transaction.

use std::collections::HashMap;

use domain::{FieldErrors, Input};
use sqlx::{AnyConnection, Row};

use super::refs::Refs;
use crate::bind::{bind_all, many_marks, Bind};
use crate::error::{Result, StoreError};
use crate::tables::{Col, TableDef};
use crate::{Actor, WardId};

/// Rows per `INSERT` statement: large enough that the per-statement cost (a round trip,
/// on SQLite a hop to sqlx's worker thread) is spread thin, small enough that the
/// statement stays far below the engines' limits on bound parameters
/// ([`MAX_BINDS`]).
pub(crate) const BATCH_ROWS: usize = 250;

/// At most this many parameters in one statement: SQLite allows 32,766 (since 3.32),
/// PostgreSQL 65,535.
const MAX_BINDS: usize = 30_000;

/// Who writes and when, the same for every row of one write.
pub(crate) struct Stamp<'a> {
    pub at: String,
    pub actor: &'a Actor,
    pub import_id: Option<i64>,
}

/// One row ready to insert: its values in [`columns`] order, and for a party cell its
/// name and the ids of the groups it covers.
#[derive(Debug)]
pub(crate) struct NewRow {
    binds: Vec<Bind>,
    key: Option<String>,
    groups: Vec<i64>,
}

/// The columns every insert into `d.table` writes, in order.
fn columns(d: &TableDef) -> Vec<&'static str> {
    let mut cols = vec!["ward_id"];
    cols.extend(d.parent_link);
    cols.extend(
        d.cols
            .iter()
            .filter(|(_, _, ty)| *ty != Col::GroupList)
            .map(|(_, col, _)| *col),
    );
    cols.extend([
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "import_id",
        "search_text",
    ]);
    cols
}

/// The key column by which inserted party cells are told apart (their name, unique
/// among a ward's live cells), to link each to its groups.
fn link_key(d: &TableDef) -> Option<&'static str> {
    if !d.links_groups() {
        return None;
    }
    d.kind
        .key()
        .and_then(|k| d.column(k.column))
        .map(|(col, _)| col)
}

/// Resolves and checks one row: every field's reference (all bad ones reported
/// together), then its group on its date, then a party cell's groups.
pub(crate) fn new_row(
    d: &TableDef,
    refs: &Refs,
    ward: WardId,
    stamp: &Stamp<'_>,
    parent: Option<i64>,
    input: &Input,
) -> Result<NewRow> {
    let mut binds = Vec::with_capacity(d.cols.len() + 8);
    binds.push(Bind::Int(ward.0));
    if d.parent_link.is_some() {
        binds.push(parent.map(Bind::Int).unwrap_or(Bind::NullInt));
    }
    let mut errors = FieldErrors::new();
    for (field, _, ty) in d.cols {
        if *ty == Col::GroupList {
            continue;
        }
        match refs.value_bind(field, *ty, input.get(field)) {
            Ok(b) => binds.push(b),
            Err(StoreError::Invalid(e)) => errors.extend(e),
            Err(other) => return Err(other),
        }
    }
    errors.into_result().map_err(StoreError::Invalid)?;
    refs.check_registers_on_date(d, input)?;
    let (key, groups) = match link_key(d) {
        Some(_) => {
            let mut groups = refs.group_ids(input.get("residential_groups"))?;
            groups.sort_unstable();
            groups.dedup();
            let key = d.kind.key().map(|k| input.get(k.column).to_string());
            (key, groups)
        }
        None => (None, Vec::new()),
    };
    for v in [
        &stamp.at,
        &stamp.actor.username,
        &stamp.at,
        &stamp.actor.username,
    ] {
        binds.push(Bind::Text(v.clone()));
    }
    binds.push(stamp.import_id.map(Bind::Int).unwrap_or(Bind::NullInt));
    binds.push(Bind::Text(crate::search::of_input(d, input)));
    Ok(NewRow { binds, key, groups })
}

/// How many rows of `d` one statement carries.
pub(crate) fn batch_rows(d: &TableDef) -> usize {
    BATCH_ROWS.min(MAX_BINDS / columns(d).len()).max(1)
}

/// Inserts `rows` (at most [`batch_rows`]) with one statement and links party cells
/// to their groups. Returns the new ids in no particular order (neither engine
/// promises that `RETURNING` follows the order of `VALUES`): one row's id is its own;
/// a party cell's links go by its name. A unique key already taken is the key's field
/// error ([`StoreError::Invalid`]).
pub(crate) async fn insert_rows(
    conn: &mut AnyConnection,
    d: &TableDef,
    rows: &[NewRow],
) -> Result<Vec<i64>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let cols = columns(d);
    let one = format!("({})", vec!["?"; cols.len()].join(", "));
    let key = link_key(d);
    let sql = format!(
        "INSERT INTO {} ({}) VALUES {} RETURNING id{}",
        d.table,
        cols.join(", "),
        vec![one.as_str(); rows.len()].join(", "),
        key.map(|k| format!(", {k}")).unwrap_or_default()
    );
    let sql = many_marks(conn, sql);
    let returned = bind_all(sqlx::query(&sql), rows.iter().flat_map(|r| &r.binds))
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| super::write::unique_to_field(d, e))?;
    let mut ids = Vec::with_capacity(returned.len());
    let mut by_key = HashMap::new();
    for row in &returned {
        let id: i64 = row.try_get(0)?;
        ids.push(id);
        if key.is_some() {
            by_key.insert(row.try_get::<String, _>(1)?, id);
        }
    }
    if ids.len() != rows.len() {
        return Err(StoreError::Invariant(format!(
            "{} rows inserted into {}, {} ids returned",
            rows.len(),
            d.table,
            ids.len()
        )));
    }
    if key.is_some() {
        let mut links = Vec::new();
        for r in rows {
            let cell =
                r.key.as_ref().and_then(|k| by_key.get(k)).ok_or_else(|| {
                    StoreError::Invariant("inserted party cell not returned".into())
                })?;
            links.extend(r.groups.iter().map(|g| (*cell, *g)));
        }
        link_groups(conn, &links).await?;
    }
    Ok(ids)
}

/// Writes (party cell id, group id) pairs, several hundred per statement.
pub(crate) async fn link_groups(conn: &mut AnyConnection, links: &[(i64, i64)]) -> Result<()> {
    for chunk in links.chunks(BATCH_ROWS * 2) {
        let sql = format!(
            "INSERT INTO party_cell_groups (party_cell_id, residential_group_id) VALUES {} ON CONFLICT DO NOTHING",
            vec!["(?, ?)"; chunk.len()].join(", ")
        );
        let binds: Vec<Bind> = chunk
            .iter()
            .flat_map(|(c, g)| [Bind::Int(*c), Bind::Int(*g)])
            .collect();
        let sql = many_marks(conn, sql);
        bind_all(sqlx::query(&sql), &binds)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::def;
    use crate::testing::TestDb;
    use crate::{Engine, Store};
    use domain::Kind;

    /// What the engines do with `RETURNING` after a multi-row `VALUES`: today both
    /// return the rows in the order of `VALUES`, with ascending ids. Neither documents
    /// it, so [`insert_rows`] does not rely on it (it links party cells by name); this
    /// test only tells when an engine changes.
    #[tokio::test]
    async fn returning_follows_values_today() {
        for engine in [Engine::Sqlite, Engine::Postgres] {
            let Some(db) = TestDb::new(engine).await else {
                continue;
            };
            let s = Store::open(&db.location).await.expect("open");
            let ward = domain::ward::Ward {
                name: "P".into(),
                district: None,
                province: None,
            };
            let w = s.init_ward(&Actor::system(), &ward).await.expect("ward");
            let d = def(Kind::ResidentialGroups);
            let mut tx = s.begin_write().await.expect("begin");
            let refs = Refs::load(&mut tx, w, d).await.expect("refs");
            let actor = Actor::system();
            let stamp = Stamp {
                at: crate::now(),
                actor: &actor,
                import_id: None,
            };
            // Numbers out of order, so that neither key nor id order can pass for it.
            let numbers: Vec<i64> = (0..BATCH_ROWS as i64)
                .map(|i| 1 + (i * 7919) % 1000)
                .collect();
            let rows: Vec<NewRow> = numbers
                .iter()
                .map(|n| {
                    let input = Input::new()
                        .with("number", n.to_string())
                        .with("name", format!("Tổ {n}"));
                    new_row(d, &refs, w, &stamp, None, &input).expect("row")
                })
                .collect();
            let cols = columns(d);
            let one = format!("({})", vec!["?"; cols.len()].join(", "));
            let sql = format!(
                "INSERT INTO {} ({}) VALUES {} RETURNING id, number",
                d.table,
                cols.join(", "),
                vec![one.as_str(); rows.len()].join(", ")
            );
            let binds: Vec<Bind> = rows.iter().flat_map(|r| r.binds.iter().cloned()).collect();
            let sql = many_marks(&tx, sql);
            let returned: Vec<(i64, i64)> = bind_all(sqlx::query(&sql), &binds)
                .fetch_all(&mut *tx)
                .await
                .expect("insert")
                .iter()
                .map(|r| (r.try_get(0).expect("id"), r.try_get(1).expect("number")))
                .collect();
            let got: Vec<i64> = returned.iter().map(|(_, n)| *n).collect();
            assert_eq!(got, numbers, "{engine:?}");
            assert!(returned.windows(2).all(|p| p[0].0 < p[1].0), "{engine:?}");
        }
    }
}
