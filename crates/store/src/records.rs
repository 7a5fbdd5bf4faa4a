//! The generic repository: create, get, list with filters and pagination, update,
//! soft delete and restore for every record kind, each change written together with
//! its audit entry in one transaction.

use chrono::{Datelike, NaiveDate};
use domain::{dates, FieldErrors, Input, Kind, Opinion, Record};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Row, Sqlite, SqliteConnection};

use crate::error::{is_unique_violation, Result, StoreError};
use crate::tables::{def, Col, TableDef};
use crate::{audit, now, Actor, Store, WardId};

/// Who created and last changed a record, and whether it is deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    pub created_at: String,
    pub created_by: String,
    pub updated_at: String,
    pub updated_by: String,
    pub deleted_at: Option<String>,
    pub deleted_by: Option<String>,
    pub import_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stored<T> {
    pub id: i64,
    /// The dialogue an opinion belongs to; `None` for other kinds.
    pub parent_id: Option<i64>,
    pub record: T,
    pub meta: Meta,
}

#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many rows the filter matched, over all pages.
    pub total: u64,
    /// The sum of the kind's measure (attendances, lượt, participants) over the match.
    pub sum: Option<i64>,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u32 {
        if self.per_page == 0 {
            1
        } else {
            (self.total.div_ceil(self.per_page as u64)).max(1) as u32
        }
    }
}

/// A list filter. Field names are those of the kind's columns; a name the kind does
/// not store is refused, never interpolated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListFilter {
    /// Inclusive date range on the kind's date (an opinion's is its dialogue's).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub year: Option<i32>,
    /// field = value, e.g. ("kind", "review").
    pub eq: Vec<(String, String)>,
    /// field IN (values), e.g. ("topic", ["land_certificate", "site_clearance"]).
    pub any_of: Vec<(String, Vec<String>)>,
    pub group: Option<u32>,
    pub party_cell: Option<String>,
    /// Free text, matched with LIKE on the kind's text columns.
    pub q: Option<String>,
    /// Show deleted records instead of live ones.
    pub deleted: bool,
    /// Opinions of one dialogue.
    pub parent: Option<i64>,
    /// Opinions resolved on or before this day.
    pub resolved_by: Option<NaiveDate>,
    /// Opinions or hot spots not yet resolved at the end of this day.
    pub open_at: Option<NaiveDate>,
    /// Residential groups active on this day.
    pub active_on: Option<NaiveDate>,
    /// Records whose `source` says they are estimated ("ước tính").
    pub estimated: bool,
    /// 1-based page; `per_page` 0 means all rows.
    pub page: u32,
    pub per_page: u32,
}

#[derive(Debug, Clone)]
pub(crate) enum Bind {
    Text(String),
    Int(i64),
    Null,
}

pub(crate) fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, Sqlite, SqliteArguments<'q>>,
    binds: &'q [Bind],
) -> sqlx::query::Query<'q, Sqlite, SqliteArguments<'q>> {
    for b in binds {
        q = match b {
            Bind::Text(s) => q.bind(s.as_str()),
            Bind::Int(i) => q.bind(*i),
            Bind::Null => q.bind(None::<String>),
        };
    }
    q
}

const META_COLS: &str = "t.created_at, t.created_by, t.updated_at, t.updated_by, t.deleted_at, t.deleted_by, t.import_id";

fn read_meta(row: &SqliteRow, at: usize) -> Result<Meta> {
    Ok(Meta {
        created_at: row.try_get(at)?,
        created_by: row.try_get(at + 1)?,
        updated_at: row.try_get(at + 2)?,
        updated_by: row.try_get(at + 3)?,
        deleted_at: row.try_get(at + 4)?,
        deleted_by: row.try_get(at + 5)?,
        import_id: row.try_get(at + 6)?,
    })
}

/// Reads the fields of `d.cols` starting at column `at` into an Input.
pub(crate) fn read_input(d: &TableDef, row: &SqliteRow, at: usize) -> Result<Input> {
    let mut input = Input::new();
    for (i, (field, _, _)) in d.cols.iter().enumerate() {
        let v: Option<String> = row.try_get(at + i)?;
        input.set(field, v.unwrap_or_default());
    }
    Ok(input)
}

fn decode<T: Record>(input: &Input) -> Result<T> {
    T::parse(input).map_err(|e| {
        StoreError::Internal(format!("stored {} fails validation: {e}", T::KIND.code()))
    })
}

impl Store {
    /// Creates a record; returns its id.
    pub async fn create<T: Record>(&self, ward: WardId, actor: &Actor, record: &T) -> Result<i64> {
        if T::KIND.has_parent() {
            return Err(StoreError::State(
                "opinions are created with create_opinion".into(),
            ));
        }
        let mut tx = self.write.begin().await?;
        let input = record.to_input();
        let id = insert_row(&mut tx, def(T::KIND), ward, actor, None, &input, None).await?;
        audit::write(
            &mut tx,
            ward,
            actor,
            T::KIND.code(),
            Some(id),
            "create",
            None,
            Some(&input),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Adds an opinion to a live dialogue of the ward.
    pub async fn create_opinion(
        &self,
        ward: WardId,
        actor: &Actor,
        dialogue_id: i64,
        opinion: &Opinion,
    ) -> Result<i64> {
        let mut tx = self.write.begin().await?;
        let date = dialogue_date(&mut tx, ward, dialogue_id).await?;
        opinion.check_against(date).map_err(StoreError::Invalid)?;
        let input = opinion.to_input();
        let id = insert_row(
            &mut tx,
            def(Kind::Opinions),
            ward,
            actor,
            Some(dialogue_id),
            &input,
            None,
        )
        .await?;
        audit::write(
            &mut tx,
            ward,
            actor,
            Kind::Opinions.code(),
            Some(id),
            "create",
            None,
            Some(&input),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A record by id, deleted or not (check `meta.deleted_at`).
    pub async fn get<T: Record>(&self, ward: WardId, id: i64) -> Result<Stored<T>> {
        let d = def(T::KIND);
        let parent = d.parent_id_expr();
        let sql = format!(
            "SELECT t.id, {parent}, {}, {META_COLS} FROM {} t WHERE t.ward_id = ? AND t.id = ?",
            d.select_list(),
            d.table
        );
        let row = sqlx::query(&sql)
            .bind(ward.0)
            .bind(id)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound)?;
        stored_from_row(d, &row)
    }

    pub async fn list<T: Record>(
        &self,
        ward: WardId,
        filter: &ListFilter,
    ) -> Result<Page<Stored<T>>> {
        let d = def(T::KIND);
        let (where_sql, binds) = where_clause(d, ward, filter)?;
        let sum = match d.sum_col {
            Some(c) => format!("SUM(t.{c})"),
            None => "NULL".to_string(),
        };
        let count_sql = format!(
            "SELECT COUNT(*), {sum} FROM {} t WHERE {where_sql}",
            d.table
        );
        let (total, sum): (i64, Option<i64>) = bind_all(sqlx::query(&count_sql), &binds)
            .try_map(|r: SqliteRow| Ok((r.try_get(0)?, r.try_get(1)?)))
            .fetch_one(&self.read)
            .await?;
        let page = filter.page.max(1);
        let limit = if filter.per_page == 0 {
            -1
        } else {
            filter.per_page as i64
        };
        let offset = if filter.per_page == 0 {
            0
        } else {
            (page as i64 - 1) * filter.per_page as i64
        };
        let parent = d.parent_id_expr();
        let sql = format!(
            "SELECT t.id, {parent}, {}, {META_COLS} FROM {} t WHERE {where_sql} ORDER BY {} LIMIT {limit} OFFSET {offset}",
            d.select_list(),
            d.table,
            d.order
        );
        let rows = bind_all(sqlx::query(&sql), &binds)
            .fetch_all(&self.read)
            .await?;
        let items = rows
            .iter()
            .map(|r| stored_from_row(d, r))
            .collect::<Result<Vec<_>>>()?;
        Ok(Page {
            items,
            total: total as u64,
            sum: d.sum_col.map(|_| sum.unwrap_or(0)),
            page,
            per_page: filter.per_page,
        })
    }

    /// Replaces a live record's fields; the audit entry keeps before and after.
    pub async fn update<T: Record>(
        &self,
        ward: WardId,
        actor: &Actor,
        id: i64,
        record: &T,
    ) -> Result<()> {
        let d = def(T::KIND);
        let mut tx = self.write.begin().await?;
        let before = read_row_input(&mut tx, d, ward, id, true).await?;
        if T::KIND.has_parent() {
            let dialogue: i64 = sqlx::query_scalar("SELECT dialogue_id FROM opinions WHERE id = ?")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
            let date = dialogue_date(&mut tx, ward, dialogue).await?;
            let parsed = Opinion::parse(&record.to_input()).map_err(StoreError::Invalid)?;
            parsed.check_against(date).map_err(StoreError::Invalid)?;
        }
        let after = record.to_input();
        let mut sets = Vec::new();
        let mut binds = Vec::new();
        for (field, col, ty) in d.cols {
            if *ty == Col::GroupList {
                continue;
            }
            sets.push(format!("{col} = ?"));
            binds.push(value_bind(&mut tx, ward, field, *ty, after.get(field)).await?);
        }
        sets.push("updated_at = ?".into());
        sets.push("updated_by = ?".into());
        binds.push(Bind::Text(now()));
        binds.push(Bind::Text(actor.username.clone()));
        binds.push(Bind::Int(ward.0));
        binds.push(Bind::Int(id));
        let sql = format!(
            "UPDATE {} SET {} WHERE ward_id = ? AND id = ? AND deleted_at IS NULL",
            d.table,
            sets.join(", ")
        );
        bind_all(sqlx::query(&sql), &binds)
            .execute(&mut *tx)
            .await
            .map_err(|e| unique_to_field(d, e))?;
        if d.column("residential_groups").is_some() {
            sqlx::query("DELETE FROM party_cell_groups WHERE party_cell_id = ?")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            link_groups(&mut tx, ward, id, after.get("residential_groups")).await?;
        }
        audit::write(
            &mut tx,
            ward,
            actor,
            T::KIND.code(),
            Some(id),
            "update",
            Some(&before),
            Some(&after),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Soft delete: the record stays, marked deleted, and stops counting anywhere.
    pub async fn delete<T: Record>(&self, ward: WardId, actor: &Actor, id: i64) -> Result<()> {
        self.set_deleted(T::KIND, ward, actor, id, true).await
    }

    pub async fn restore<T: Record>(&self, ward: WardId, actor: &Actor, id: i64) -> Result<()> {
        self.set_deleted(T::KIND, ward, actor, id, false).await
    }

    async fn set_deleted(
        &self,
        kind: Kind,
        ward: WardId,
        actor: &Actor,
        id: i64,
        delete: bool,
    ) -> Result<()> {
        let d = def(kind);
        let mut tx = self.write.begin().await?;
        let input = read_row_input(&mut tx, d, ward, id, false).await?;
        let (sql, action) = if delete {
            (format!("UPDATE {} SET deleted_at = ?, deleted_by = ? WHERE ward_id = ? AND id = ? AND deleted_at IS NULL", d.table), "delete")
        } else {
            (format!("UPDATE {} SET deleted_at = NULL, deleted_by = NULL, updated_at = ?, updated_by = ? WHERE ward_id = ? AND id = ? AND deleted_at IS NOT NULL", d.table), "restore")
        };
        let done = sqlx::query(&sql)
            .bind(now())
            .bind(&actor.username)
            .bind(ward.0)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(|e| unique_to_field(d, e))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::State(if delete {
                "Bản ghi đã bị xóa trước đó.".into()
            } else {
                "Bản ghi chưa bị xóa.".into()
            }));
        }
        let (before, after) = if delete {
            (Some(&input), None)
        } else {
            (None, Some(&input))
        };
        audit::write(
            &mut tx,
            ward,
            actor,
            kind.code(),
            Some(id),
            action,
            before,
            after,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every live row of a kind in the import format, streamed through a bounded
    /// channel so that memory stays flat whatever the size. Opinions carry their
    /// dialogue's `ref` (or `id-N` when it has none, as dialogues are exported).
    pub fn export(&self, ward: WardId, kind: Kind) -> tokio::sync::mpsc::Receiver<Result<Input>> {
        let (tx, rx) = tokio::sync::mpsc::channel(512);
        let pool = self.read.clone();
        tokio::spawn(async move {
            if let Err(e) = export_batches(&pool, ward, kind, &tx).await {
                let _ = tx.send(Err(e)).await;
            }
        });
        rx
    }
}

/// Rows read in keyset batches inside one read transaction: one consistent snapshot,
/// and never more than a batch in memory (a single streaming query lets the SQLite
/// worker run ahead of a slow consumer and buffer the whole table).
async fn export_batches(
    pool: &sqlx::SqlitePool,
    ward: WardId,
    kind: Kind,
    tx: &tokio::sync::mpsc::Sender<Result<Input>>,
) -> Result<()> {
    const BATCH: i64 = 2000;
    let d = def(kind);
    let select = d.export_select();
    let parent = d.parent_ref_expr();
    let sql = format!(
        "SELECT t.id, {parent}, {select} FROM {} t WHERE t.ward_id = ? AND t.deleted_at IS NULL AND t.id > ? ORDER BY t.id LIMIT {BATCH}",
        d.table
    );
    let mut snapshot = pool.begin().await?;
    let mut after = 0_i64;
    loop {
        let rows = sqlx::query(&sql)
            .bind(ward.0)
            .bind(after)
            .fetch_all(&mut *snapshot)
            .await?;
        let n = rows.len();
        for row in rows {
            after = row.try_get(0)?;
            let mut input = read_input(d, &row, 2)?;
            if let Some(col) = kind.parent_column() {
                let r: Option<String> = row.try_get(1)?;
                input.set(col.name, r.unwrap_or_default());
            }
            if tx.send(Ok(input)).await.is_err() {
                return Ok(()); // the reader went away
            }
        }
        if (n as i64) < BATCH {
            break;
        }
    }
    snapshot.commit().await?;
    Ok(())
}

fn stored_from_row<T: Record>(d: &TableDef, row: &SqliteRow) -> Result<Stored<T>> {
    let id: i64 = row.try_get(0)?;
    let parent_id: Option<i64> = row.try_get(1)?;
    let input = read_input(d, row, 2)?;
    let meta = read_meta(row, 2 + d.cols.len())?;
    Ok(Stored {
        id,
        parent_id,
        record: decode(&input)?,
        meta,
    })
}

async fn dialogue_date(
    conn: &mut SqliteConnection,
    ward: WardId,
    dialogue_id: i64,
) -> Result<NaiveDate> {
    let date: String = sqlx::query_scalar(
        "SELECT date FROM dialogues WHERE ward_id = ? AND id = ? AND deleted_at IS NULL",
    )
    .bind(ward.0)
    .bind(dialogue_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    dates::parse_date(&date).map_err(|_| StoreError::Internal(format!("bad stored date {date}")))
}

/// A row's fields as text, for audit before/after values; `live_only` refuses deleted rows.
async fn read_row_input(
    conn: &mut SqliteConnection,
    d: &TableDef,
    ward: WardId,
    id: i64,
    live_only: bool,
) -> Result<Input> {
    let live = if live_only {
        " AND t.deleted_at IS NULL"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {} FROM {} t WHERE t.ward_id = ? AND t.id = ?{live}",
        d.select_list(),
        d.table
    );
    let row = sqlx::query(&sql)
        .bind(ward.0)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    read_input(d, &row, 0)
}

/// The bind for one field's canonical text, resolving references.
async fn value_bind(
    conn: &mut SqliteConnection,
    ward: WardId,
    field: &str,
    ty: Col,
    value: &str,
) -> Result<Bind> {
    if value.is_empty() {
        return Ok(Bind::Null);
    }
    Ok(match ty {
        Col::Text => Bind::Text(value.to_string()),
        Col::Int => Bind::Int(
            value
                .parse()
                .map_err(|_| StoreError::field(field, domain::error::msg::BAD_WHOLE))?,
        ),
        Col::GroupRef => Bind::Int(group_id(conn, ward, field, value).await?),
        Col::CellRef => {
            let id: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM party_cells WHERE ward_id = ? AND name = ? AND deleted_at IS NULL",
            )
            .bind(ward.0)
            .bind(value)
            .fetch_optional(&mut *conn)
            .await?;
            Bind::Int(id.ok_or_else(|| {
                StoreError::field(
                    field,
                    format!("Không có chi bộ «{value}» trong danh sách chi bộ."),
                )
            })?)
        }
        Col::GroupList => Bind::Null,
    })
}

async fn group_id(
    conn: &mut SqliteConnection,
    ward: WardId,
    field: &str,
    number: &str,
) -> Result<i64> {
    let n: i64 = number
        .parse()
        .map_err(|_| StoreError::field(field, format!("«{number}» không phải số tổ dân phố.")))?;
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM residential_groups WHERE ward_id = ? AND number = ? AND deleted_at IS NULL",
    )
    .bind(ward.0)
    .bind(n)
    .fetch_optional(&mut *conn)
    .await?;
    id.ok_or_else(|| {
        StoreError::field(
            field,
            format!("Không có tổ dân phố số {n} trong danh sách tổ dân phố."),
        )
    })
}

async fn link_groups(
    conn: &mut SqliteConnection,
    ward: WardId,
    cell_id: i64,
    numbers: &str,
) -> Result<()> {
    for n in numbers.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let gid = group_id(conn, ward, "residential_groups", n).await?;
        sqlx::query("INSERT OR IGNORE INTO party_cell_groups (party_cell_id, residential_group_id) VALUES (?, ?)")
            .bind(cell_id)
            .bind(gid)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

fn unique_to_field(d: &TableDef, e: sqlx::Error) -> StoreError {
    if !is_unique_violation(&e) {
        return e.into();
    }
    let (field, msg) = match d.kind.key() {
        Some(key) => (key.column, key.taken),
        None => ("id", "Bản ghi trùng với bản ghi đã có."),
    };
    StoreError::field(field, msg)
}

/// Inserts one row (without audit); used by create and by imports.
pub(crate) async fn insert_row(
    conn: &mut SqliteConnection,
    d: &TableDef,
    ward: WardId,
    actor: &Actor,
    parent: Option<i64>,
    input: &Input,
    import_id: Option<i64>,
) -> Result<i64> {
    let mut cols = vec!["ward_id".to_string()];
    let mut binds = vec![Bind::Int(ward.0)];
    if let Some(link) = d.parent_link {
        cols.push(link.into());
        binds.push(parent.map(Bind::Int).unwrap_or(Bind::Null));
    }
    let mut errors = FieldErrors::new();
    for (field, col, ty) in d.cols {
        if *ty == Col::GroupList {
            continue;
        }
        match value_bind(conn, ward, field, *ty, input.get(field)).await {
            Ok(b) => {
                cols.push(col.to_string());
                binds.push(b);
            }
            Err(StoreError::Invalid(e)) => errors.extend(e),
            Err(other) => return Err(other),
        }
    }
    errors.into_result().map_err(StoreError::Invalid)?;
    let at = now();
    for (c, v) in [
        ("created_at", &at),
        ("created_by", &actor.username),
        ("updated_at", &at),
        ("updated_by", &actor.username),
    ] {
        cols.push(c.into());
        binds.push(Bind::Text(v.clone()));
    }
    cols.push("import_id".into());
    binds.push(import_id.map(Bind::Int).unwrap_or(Bind::Null));
    let marks = vec!["?"; cols.len()].join(", ");
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({marks})",
        d.table,
        cols.join(", ")
    );
    let done = bind_all(sqlx::query(&sql), &binds)
        .execute(&mut *conn)
        .await
        .map_err(|e| unique_to_field(d, e))?;
    let id = done.last_insert_rowid();
    if d.column("residential_groups").is_some() {
        link_groups(conn, ward, id, input.get("residential_groups")).await?;
    }
    Ok(id)
}

fn where_clause(d: &TableDef, ward: WardId, f: &ListFilter) -> Result<(String, Vec<Bind>)> {
    let mut w = vec!["t.ward_id = ?".to_string()];
    let mut b = vec![Bind::Int(ward.0)];
    w.push(
        if f.deleted {
            "t.deleted_at IS NOT NULL"
        } else {
            "t.deleted_at IS NULL"
        }
        .into(),
    );
    let date = d.date_expr();
    if let Some(expr) = date {
        if let Some(from) = f.from {
            w.push(format!("{expr} >= ?"));
            b.push(Bind::Text(dates::iso(from)));
        }
        if let Some(to) = f.to {
            w.push(format!("{expr} <= ?"));
            b.push(Bind::Text(dates::iso(to)));
        }
        if let Some(y) = f.year {
            let (s, e) = (
                NaiveDate::from_ymd_opt(y, 1, 1),
                NaiveDate::from_ymd_opt(y, 12, 31),
            );
            if let (Some(s), Some(e)) = (s, e) {
                w.push(format!("{expr} BETWEEN ? AND ?"));
                b.push(Bind::Text(dates::iso(s)));
                b.push(Bind::Text(dates::iso(e)));
            }
        }
    } else if f.from.is_some() || f.to.is_some() || f.year.is_some() {
        return Err(StoreError::field(
            "year",
            "Danh sách này không lọc theo ngày.",
        ));
    }
    let column = |field: &str| -> Result<&'static str> {
        match d.column(field) {
            Some((c, Col::Text | Col::Int)) => Ok(c),
            _ => Err(StoreError::field(field, "Không lọc được theo trường này.")),
        }
    };
    for (field, value) in &f.eq {
        w.push(format!("t.{} = ?", column(field)?));
        b.push(Bind::Text(value.clone()));
    }
    for (field, values) in &f.any_of {
        let c = column(field)?;
        if values.is_empty() {
            w.push("0".into());
            continue;
        }
        w.push(format!("t.{c} IN ({})", vec!["?"; values.len()].join(", ")));
        b.extend(values.iter().cloned().map(Bind::Text));
    }
    if let Some(g) = f.group {
        match d.column("residential_group") {
            Some((c, Col::GroupRef)) => {
                w.push(format!(
                    "t.{c} IN (SELECT id FROM residential_groups WHERE ward_id = ? AND number = ?)"
                ));
                b.push(Bind::Int(ward.0));
                b.push(Bind::Int(g as i64));
            }
            _ if d.is_group_register() => {
                w.push("t.number = ?".into());
                b.push(Bind::Int(g as i64));
            }
            _ if d.links_groups() => {
                w.push("t.id IN (SELECT l.party_cell_id FROM party_cell_groups l JOIN residential_groups g ON g.id = l.residential_group_id WHERE g.number = ? AND g.ward_id = ?)".into());
                b.push(Bind::Int(g as i64));
                b.push(Bind::Int(ward.0));
            }
            _ => {
                return Err(StoreError::field(
                    "group",
                    "Danh sách này không lọc theo tổ dân phố.",
                ))
            }
        }
    }
    if let Some(cell) = &f.party_cell {
        match d.column("party_cell") {
            Some((c, Col::CellRef)) => {
                w.push(format!(
                    "t.{c} IN (SELECT id FROM party_cells WHERE ward_id = ? AND name = ?)"
                ));
                b.push(Bind::Int(ward.0));
                b.push(Bind::Text(cell.clone()));
            }
            _ => {
                return Err(StoreError::field(
                    "party_cell",
                    "Danh sách này không lọc theo chi bộ.",
                ))
            }
        }
    }
    if let Some(q) = f.q.as_ref().map(|q| q.trim()).filter(|q| !q.is_empty()) {
        let like = format!(
            "%{}%",
            q.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let ors: Vec<String> = d
            .search
            .iter()
            .map(|c| format!("t.{c} LIKE ? ESCAPE '\\'"))
            .collect();
        w.push(format!("({})", ors.join(" OR ")));
        b.extend(d.search.iter().map(|_| Bind::Text(like.clone())));
    }
    if let Some(p) = f.parent {
        if !d.kind.has_parent() {
            return Err(StoreError::field(
                "dialogue",
                "Chỉ ý kiến mới lọc theo buổi đối thoại.",
            ));
        }
        w.push("t.dialogue_id = ?".into());
        b.push(Bind::Int(p));
    }
    if d.kind.has_parent() {
        // An opinion counts only while its dialogue is live, as in the report.
        w.push("t.dialogue_id IN (SELECT id FROM dialogues WHERE deleted_at IS NULL)".into());
    }
    if let Some(day) = f.resolved_by {
        d.column("resolved_on").ok_or_else(|| {
            StoreError::field("resolved_by", "Không lọc được theo ngày giải quyết.")
        })?;
        w.push("t.status = 'resolved' AND t.resolved_on <= ?".into());
        b.push(Bind::Text(dates::iso(day)));
    }
    if let Some(day) = f.open_at {
        d.column("resolved_on")
            .ok_or_else(|| StoreError::field("open_at", "Không lọc được theo tình trạng."))?;
        w.push("(t.resolved_on IS NULL OR t.resolved_on > ?)".into());
        b.push(Bind::Text(dates::iso(day)));
    }
    if let Some(day) = f.active_on {
        if !d.is_group_register() {
            return Err(StoreError::field(
                "active_on",
                "Chỉ tổ dân phố mới lọc theo ngày hoạt động.",
            ));
        }
        w.push("(t.established IS NULL OR t.established <= ?) AND (t.dissolved IS NULL OR t.dissolved > ?)".into());
        b.push(Bind::Text(dates::iso(day)));
        b.push(Bind::Text(dates::iso(day)));
    }
    if f.estimated {
        if d.column("source").is_none() {
            return Err(StoreError::field(
                "estimated",
                "Danh sách này không có nguồn số liệu.",
            ));
        }
        w.push("t.source LIKE '%ước tính%'".into());
    }
    Ok((w.join(" AND "), b))
}

/// Years in which a kind has live records, newest first (for year filters).
impl Store {
    pub async fn years(&self, ward: WardId, kind: Kind) -> Result<Vec<i32>> {
        let d = def(kind);
        let Some(expr) = d.date_expr() else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT DISTINCT CAST(substr({expr}, 1, 4) AS INTEGER) AS y FROM {} t WHERE t.ward_id = ? AND t.deleted_at IS NULL ORDER BY y DESC",
            d.table
        );
        let ys: Vec<Option<i64>> = sqlx::query_scalar(&sql)
            .bind(ward.0)
            .fetch_all(&self.read)
            .await?;
        Ok(ys.into_iter().flatten().map(|y| y as i32).collect())
    }

    /// Residential groups active on `day`, in natural order (for selects).
    pub async fn group_numbers(&self, ward: WardId) -> Result<Vec<(u32, String)>> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT number, name FROM residential_groups WHERE ward_id = ? AND deleted_at IS NULL ORDER BY number")
                .bind(ward.0)
                .fetch_all(&self.read)
                .await?;
        Ok(rows.into_iter().map(|(n, s)| (n as u32, s)).collect())
    }

    pub async fn party_cell_names(&self, ward: WardId) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT name FROM party_cells WHERE ward_id = ? AND deleted_at IS NULL ORDER BY name",
        )
        .bind(ward.0)
        .fetch_all(&self.read)
        .await?)
    }
}

/// The year of a date, for callers building year filters.
pub fn year_of(d: NaiveDate) -> i32 {
    d.year()
}
