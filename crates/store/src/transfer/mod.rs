//! Moving wards between databases (`qcdc transfer`): every row a ward owns — its
//! details, accounts, imports, registers, records (deleted ones too, meta columns as
//! they are), review drafts and audit log — read from one store in one snapshot and
//! written into another in one write transaction, with new ids and every reference
//! remapped. SQLite ↔ PostgreSQL, either way; all or nothing.
//!
//! The copy is driven by `list::TABLES`, one entry per table (its columns with their
//! types and the tables they reference), in an order where every referenced table comes
//! first. A table added by a later migration is one more entry there; a test in
//! `list.rs` fails while a table with a `ward_id`, or a column, is missing from the list.

use std::collections::HashMap;

use domain::ward::WardCode;
use domain::Kind;
use futures_util::TryStreamExt;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::audit::{Action, AuditEvent, Entity};
use crate::bind::{bind_all, numbered, Bind};
use crate::error::{Result, StoreError};
use crate::{Actor, Engine, Store, WardId};

mod list;

use list::{columns, entity_table, Owner, TableCopy, Ty, TABLES};
use Ty::*;

/// What was copied of one ward.
#[derive(Debug, Clone, PartialEq)]
pub struct Transferred {
    pub code: WardCode,
    pub name: String,
    /// The ward's id in the target.
    pub id: WardId,
    /// Rows copied per table, in copy order.
    pub rows: Vec<(&'static str, u64)>,
}

impl Transferred {
    /// Rows of the record tables (deleted ones included).
    pub fn records(&self) -> u64 {
        let records: Vec<&str> = Kind::ALL
            .iter()
            .map(|k| crate::tables::def(*k).table)
            .collect();
        self.rows
            .iter()
            .filter(|(t, _)| records.contains(t))
            .map(|(_, n)| n)
            .sum()
    }

    pub fn users(&self) -> u64 {
        self.rows_of("users")
    }

    pub fn rows_of(&self, table: &str) -> u64 {
        self.rows
            .iter()
            .find(|(t, _)| *t == table)
            .map_or(0, |(_, n)| *n)
    }
}

/// Old id → new id, per table, for one ward.
type IdMaps = HashMap<&'static str, HashMap<i64, i64>>;

/// `"name"`: every column quoted (`end`, `rows`, `count` are keywords somewhere).
fn quoted(cols: &[(&str, Ty)]) -> Vec<String> {
    cols.iter().map(|(c, _)| format!("\"{c}\"")).collect()
}

fn select_sql(t: &TableCopy) -> String {
    let mut list = quoted(&columns(t));
    if t.has_id {
        list.insert(0, "id".into());
    }
    let filter = match t.owner {
        Owner::Itself => "id = ?".to_string(),
        Owner::Ward => "ward_id = ?".to_string(),
        Owner::Via { column, table } => {
            format!("{column} IN (SELECT id FROM {table} WHERE ward_id = ?)")
        }
    };
    let order = if t.has_id {
        "id".to_string()
    } else {
        list.join(", ")
    };
    numbered(format!(
        "SELECT {} FROM {} WHERE {filter} ORDER BY {order}",
        list.join(", "),
        t.table
    ))
}

/// Rows per INSERT, far below both engines' limits on parameters (SQLite 32,766,
/// PostgreSQL 65,535) at ~30 values a row. PostgreSQL gains from few round trips;
/// sqlx's SQLite binding slows down more than linearly with a statement's parameters,
/// and an in-process database has no round trips to save (measured: a 23,600-record
/// ward took the least time at 10–30 rows per INSERT on SQLite, 50–400 on PostgreSQL).
fn chunk_rows(engine: Engine) -> usize {
    match engine {
        Engine::Sqlite => 20,
        Engine::Postgres => 200,
    }
}

/// `INSERT INTO t (id, ward_id, …) VALUES (…), (…)` for `rows` rows: ids are given
/// (taken by [`new_ids`]) so that each source row's new id is known without relying on
/// the order of a multi-row `RETURNING`.
fn insert_sql(t: &TableCopy, rows: usize) -> String {
    let mut list = quoted(&columns(t));
    if matches!(t.owner, Owner::Ward) {
        list.insert(0, "ward_id".into());
    }
    if t.has_id {
        list.insert(0, "id".into());
    }
    let one = format!("({})", vec!["?"; list.len()].join(", "));
    numbered(format!(
        "INSERT INTO {} ({}) VALUES {}",
        t.table,
        list.join(", "),
        vec![one.as_str(); rows].join(", ")
    ))
}

/// `n` ids for new rows of `table`, in the target's write transaction. SQLite: the
/// next after the largest (what SQLite itself would choose; the write lock is held).
/// PostgreSQL: taken from the column's identity sequence, so that later rows inserted
/// without an id do not collide with them.
async fn new_ids(
    dst: &mut AnyConnection,
    engine: Engine,
    table: &str,
    n: usize,
) -> Result<Vec<i64>> {
    match engine {
        Engine::Sqlite => {
            let max: i64 = sqlx::query_scalar(&format!("SELECT COALESCE(MAX(id), 0) FROM {table}"))
                .fetch_one(&mut *dst)
                .await?;
            Ok((1..=n as i64).map(|i| max + i).collect())
        }
        Engine::Postgres => {
            let mut ids: Vec<i64> = sqlx::query_scalar(&format!(
                "SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, $1)"
            ))
            .bind(n as i64)
            .fetch_all(&mut *dst)
            .await?;
            ids.sort_unstable();
            if ids.len() != n {
                return Err(StoreError::Invariant(format!(
                    "{table}: {} ids for {n} rows",
                    ids.len()
                )));
            }
            Ok(ids)
        }
    }
}

/// Writes one chunk of a table's source rows; returns the new ids (none for tables
/// without ids), in the rows' order.
async fn write_chunk(
    dst: &mut AnyConnection,
    engine: Engine,
    t: &TableCopy,
    cols: &[(&'static str, Ty)],
    rows: &[AnyRow],
    ward: WardId,
    maps: &IdMaps,
) -> Result<Vec<i64>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids = match t.has_id {
        true => new_ids(dst, engine, t.table, rows.len()).await?,
        false => Vec::new(),
    };
    // The ward's own row is written before its id is known to the other tables.
    let ward = match (t.owner, ids.first()) {
        (Owner::Itself, Some(id)) => WardId(*id),
        _ => ward,
    };
    let mut binds = Vec::with_capacity(rows.len() * (cols.len() + 2));
    for (i, row) in rows.iter().enumerate() {
        if let Some(id) = ids.get(i) {
            binds.push(Bind::Int(*id));
        }
        binds.extend(row_binds(t, cols, row, ward, maps)?);
    }
    bind_all(sqlx::query(&insert_sql(t, rows.len())), &binds)
        .persistent(false)
        .execute(&mut *dst)
        .await?;
    Ok(ids)
}

/// The values to insert for one source row: `ward_id` first (for ward-owned tables),
/// then each column, references remapped.
fn row_binds(
    t: &TableCopy,
    cols: &[(&'static str, Ty)],
    row: &AnyRow,
    ward: WardId,
    maps: &IdMaps,
) -> Result<Vec<Bind>> {
    let first = usize::from(t.has_id);
    let mut binds = Vec::with_capacity(cols.len() + 1);
    if matches!(t.owner, Owner::Ward) {
        binds.push(Bind::Int(ward.0));
    }
    for (i, (name, ty)) in cols.iter().enumerate() {
        let at = first + i;
        binds.push(match ty {
            Text => match row.try_get::<Option<String>, _>(at)? {
                Some(s) => Bind::Text(s),
                None => Bind::NullText,
            },
            Int => match row.try_get::<Option<i64>, _>(at)? {
                Some(n) => Bind::Int(n),
                None => Bind::NullInt,
            },
            Ref(table) => match row.try_get::<Option<i64>, _>(at)? {
                Some(old) => Bind::Int(remap(maps, table, old).ok_or_else(|| {
                    StoreError::Invariant(format!(
                        "{}.{name} = {old}: no such row of {table} in the ward",
                        t.table
                    ))
                })?),
                None => Bind::NullInt,
            },
            EntityId => {
                let entity: String = row.try_get(first + entity_column(cols))?;
                match row.try_get::<Option<i64>, _>(at)? {
                    Some(old) => match entity_table(&entity) {
                        // A row of a table copied: its new id (none if it is gone).
                        Some(table) if maps.contains_key(table) => remap(maps, table, old)
                            .map(Bind::Int)
                            .unwrap_or(Bind::NullInt),
                        _ => Bind::Int(old),
                    },
                    None => Bind::NullInt,
                }
            }
        });
    }
    Ok(binds)
}

fn remap(maps: &IdMaps, table: &str, old: i64) -> Option<i64> {
    maps.get(table).and_then(|m| m.get(&old)).copied()
}

/// The position of `entity` among the columns (audit_log only).
fn entity_column(cols: &[(&str, Ty)]) -> usize {
    cols.iter().position(|(c, _)| *c == "entity").unwrap_or(0)
}

/// Copies one ward's rows, table by table, from the source snapshot into the target
/// transaction, in chunks of [`chunk_rows`] rows.
async fn copy_ward(
    src: &mut AnyConnection,
    dst: &mut AnyConnection,
    engine: Engine,
    old: WardId,
) -> Result<(WardId, Vec<(&'static str, u64)>)> {
    let mut maps: IdMaps = HashMap::new();
    let mut counts = Vec::with_capacity(TABLES.len());
    let mut ward = None;
    for t in TABLES {
        let cols = columns(t);
        let select = select_sql(t);
        let mut map = HashMap::new();
        let mut n = 0u64;
        let mut rows = sqlx::query(&select).bind(old.0).fetch(&mut *src);
        let size = chunk_rows(engine);
        let mut chunk = Vec::with_capacity(size);
        loop {
            let row = rows.try_next().await?;
            let last = row.is_none();
            chunk.extend(row);
            if chunk.len() < size && !last {
                continue;
            }
            let target = ward.unwrap_or(WardId(0));
            let ids = write_chunk(dst, engine, t, &cols, &chunk, target, &maps).await?;
            for (row, id) in chunk.iter().zip(&ids) {
                map.insert(row.try_get::<i64, _>(0)?, *id);
            }
            if let (Owner::Itself, Some(id)) = (t.owner, ids.first()) {
                ward = Some(WardId(*id));
            }
            n += chunk.len() as u64;
            chunk.clear();
            if last {
                break;
            }
        }
        drop(rows);
        if t.has_id {
            maps.insert(t.table, map);
        }
        counts.push((t.table, n));
    }
    let ward = ward.ok_or(StoreError::NotFound)?;
    Ok((ward, counts))
}

/// A ward of the source to copy.
struct Source {
    id: WardId,
    code: WardCode,
    name: String,
}

/// Refuses before anything is written: a code the target has, an account name it has.
async fn check_target(dst: &mut AnyConnection, src: &mut AnyConnection, w: &Source) -> Result<()> {
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM wards WHERE code = $1")
        .bind(w.code.as_str())
        .fetch_optional(&mut *dst)
        .await?;
    if taken.is_some() {
        return Err(StoreError::Conflict(format!(
            "Phường mã «{}» đã có trong cơ sở dữ liệu đích.",
            w.code
        )));
    }
    let names: Vec<String> =
        sqlx::query_scalar("SELECT username FROM users WHERE ward_id = $1 ORDER BY username")
            .bind(w.id.0)
            .fetch_all(&mut *src)
            .await?;
    let mut clashes = Vec::new();
    for name in names {
        let found: Option<String> =
            sqlx::query_scalar("SELECT username FROM users WHERE lower(username) = lower($1)")
                .bind(&name)
                .fetch_optional(&mut *dst)
                .await?;
        if found.is_some() {
            clashes.push(name);
        }
    }
    if !clashes.is_empty() {
        return Err(StoreError::Conflict(format!(
            "Tên đăng nhập đã có trong cơ sở dữ liệu đích: {} (phường «{}»). Hãy đổi tên tài khoản ở một bên rồi chạy lại.",
            clashes.join(", "),
            w.code
        )));
    }
    Ok(())
}

impl Store {
    /// Copies wards of `source` into this store: those with the given codes, or every
    /// ward when `codes` is empty. One write transaction on this store: every ward or
    /// none, refused (nothing written) when a code or an account name is already here.
    /// The source is read in one snapshot and not changed.
    pub async fn transfer_from(
        &self,
        source: &Store,
        codes: &[WardCode],
        actor: &Actor,
    ) -> Result<Vec<Transferred>> {
        let wards = source.wards_to_transfer(codes).await?;
        let mut snapshot = source.read.begin().await?;
        if source.engine() == Engine::Postgres {
            // One snapshot for every table (SQLite's read transaction is one already).
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *snapshot)
                .await?;
        }
        let mut tx = self.begin_write().await?;
        let mut done = Vec::with_capacity(wards.len());
        for w in &wards {
            check_target(&mut tx, &mut snapshot, w).await?;
            let (id, rows) = copy_ward(&mut snapshot, &mut tx, self.engine(), w.id).await?;
            let note = format!(
                "Chuyển từ {} (phường «{}», số {} ở đó)",
                source.location(),
                w.code,
                w.id.0
            );
            AuditEvent::new(Entity::Ward, Some(id.0), Action::Transfer)
                .note(&note)
                .write(&mut tx, Some(id), actor)
                .await?;
            done.push(Transferred {
                code: w.code.clone(),
                name: w.name.clone(),
                id,
                rows,
            });
        }
        // The mergers among the wards copied (those with a ward left behind are not: the
        // target records them with `qcdc ward merge` when it holds both).
        let successions: Vec<(i64, i64, String, String, String, String)> = sqlx::query_as(
            "SELECT predecessor_id, successor_id, on_date, share, created_at, created_by FROM ward_successions ORDER BY id",
        )
        .fetch_all(&mut *snapshot)
        .await?;
        let new_id = |old: i64| {
            wards
                .iter()
                .zip(&done)
                .find(|(w, _)| w.id.0 == old)
                .map(|(_, t)| t.id.0)
        };
        for (p, s, on, share, at, by) in successions {
            if let (Some(p), Some(s)) = (new_id(p), new_id(s)) {
                sqlx::query("INSERT INTO ward_successions (predecessor_id, successor_id, on_date, share, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(p)
                    .bind(s)
                    .bind(on)
                    .bind(share)
                    .bind(at)
                    .bind(by)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        snapshot.rollback().await?;
        tx.commit().await?;
        Ok(done)
    }

    /// The wards named (each must exist), or all of them.
    async fn wards_to_transfer(&self, codes: &[WardCode]) -> Result<Vec<Source>> {
        let all = self.wards().await?;
        let pick = |e: &crate::ward::WardEntry| Source {
            id: e.id,
            code: e.code.clone(),
            name: e.ward.name.clone(),
        };
        if codes.is_empty() {
            return Ok(all.iter().map(pick).collect());
        }
        codes
            .iter()
            .map(|c| {
                all.iter().find(|e| &e.code == c).map(pick).ok_or_else(|| {
                    StoreError::Conflict(format!(
                        "Không có phường mã «{c}» trong cơ sở dữ liệu nguồn."
                    ))
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sql_is_built_from_the_list() {
        let groups = TABLES
            .iter()
            .find(|t| t.table == "party_cell_groups")
            .expect("listed");
        assert_eq!(
            select_sql(groups),
            "SELECT \"party_cell_id\", \"residential_group_id\" FROM party_cell_groups WHERE party_cell_id IN (SELECT id FROM party_cells WHERE ward_id = $1) ORDER BY \"party_cell_id\", \"residential_group_id\""
        );
        let terms = TABLES
            .iter()
            .find(|t| t.table == "ward_terms")
            .expect("listed");
        assert_eq!(
            insert_sql(terms, 2),
            "INSERT INTO ward_terms (id, ward_id, \"name\", \"start\") VALUES ($1, $2, $3, $4), ($5, $6, $7, $8)"
        );
    }
}
