//! Changing records: create, update, soft delete and restore, each with its audit
//! entry in the same transaction, and the row insert shared with imports.

use chrono::NaiveDate;
use domain::{dates, FieldErrors, Input, Kind, Opinion, Record};
use sqlx::AnyConnection;
use sqlx::Row;

use super::read::read_input;
use crate::audit::{Action, AuditEvent, Entity};
use crate::bind::{bind_all, numbered, Bind};
use crate::error::{is_unique_violation, Result, StoreError};
use crate::tables::{def, Col, TableDef};
use crate::{now, Actor, Store, WardId};

impl Store {
    /// Creates a record; returns its id.
    pub async fn create<T: Record>(&self, ward: WardId, actor: &Actor, record: &T) -> Result<i64> {
        if T::KIND.has_parent() {
            return Err(StoreError::Invariant(
                "opinions are created with create_opinion".into(),
            ));
        }
        let mut tx = self.begin_write().await?;
        let input = record.to_input();
        let id = insert_row(&mut tx, def(T::KIND), ward, actor, None, &input, None).await?;
        tx.commit_with(
            AuditEvent::new(Entity::Record(T::KIND), Some(id), Action::Create).after(&input),
            ward,
            actor,
        )
        .await?;
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
        let mut tx = self.begin_write().await?;
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
        tx.commit_with(
            AuditEvent::new(Entity::Record(Kind::Opinions), Some(id), Action::Create).after(&input),
            ward,
            actor,
        )
        .await?;
        Ok(id)
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
        let mut tx = self.begin_write().await?;
        let before = read_row_input(&mut tx, d, ward, id, true).await?;
        if T::KIND.has_parent() {
            let dialogue: i64 =
                sqlx::query_scalar("SELECT dialogue_id FROM opinions WHERE id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            let date = dialogue_date(&mut tx, ward, dialogue).await?;
            let parsed = Opinion::parse(&record.to_input()).map_err(StoreError::Invalid)?;
            parsed.check_against(date).map_err(StoreError::Invalid)?;
        }
        let after = record.to_input();
        check_registers_on_date(&mut tx, ward, d, &after).await?;
        let mut sets = Vec::new();
        let mut binds = Vec::new();
        for (field, col, ty) in d.cols {
            if *ty == Col::GroupList {
                continue;
            }
            sets.push(format!("{col} = ?"));
            binds.push(value_bind(&mut tx, ward, field, *ty, after.get(field)).await?);
        }
        sets.push("search_text = ?".into());
        binds.push(Bind::Text(crate::search::of_input(d, &after)));
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
        bind_all(sqlx::query(&numbered(sql)), &binds)
            .execute(&mut *tx)
            .await
            .map_err(|e| unique_to_field(d, e))?;
        if d.column("residential_groups").is_some() {
            sqlx::query("DELETE FROM party_cell_groups WHERE party_cell_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            link_groups(&mut tx, ward, id, after.get("residential_groups")).await?;
        }
        let event = AuditEvent::updated(Entity::Record(T::KIND), id, &before, &after);
        tx.commit_with(event, ward, actor).await
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
        let mut tx = self.begin_write().await?;
        let input = read_row_input(&mut tx, d, ward, id, false).await?;
        let (sql, action) = if delete {
            (format!("UPDATE {} SET deleted_at = ?, deleted_by = ? WHERE ward_id = ? AND id = ? AND deleted_at IS NULL", d.table), Action::Delete)
        } else {
            (format!("UPDATE {} SET deleted_at = NULL, deleted_by = NULL, updated_at = ?, updated_by = ? WHERE ward_id = ? AND id = ? AND deleted_at IS NOT NULL", d.table), Action::Restore)
        };
        let done = sqlx::query(&numbered(sql))
            .bind(now())
            .bind(&actor.username)
            .bind(ward.0)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(|e| unique_to_field(d, e))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(if delete {
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
        tx.commit_with(
            AuditEvent::new(Entity::Record(kind), Some(id), action)
                .before(before)
                .after(after),
            ward,
            actor,
        )
        .await?;
        Ok(())
    }
}

async fn dialogue_date(
    conn: &mut AnyConnection,
    ward: WardId,
    dialogue_id: i64,
) -> Result<NaiveDate> {
    let date: String = sqlx::query_scalar(
        "SELECT date FROM dialogues WHERE ward_id = $1 AND id = $2 AND deleted_at IS NULL",
    )
    .bind(ward.0)
    .bind(dialogue_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    dates::parse_date(&date).map_err(|_| StoreError::bad_stored_date(&date))
}

/// A row's fields as text, for audit before/after values; `live_only` refuses deleted rows.
async fn read_row_input(
    conn: &mut AnyConnection,
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
    let row = crate::bind::row_by_id(&mut *conn, &sql, ward, id).await?;
    read_input(d, &row, 0)
}

/// The bind for one field's canonical text, resolving references.
async fn value_bind(
    conn: &mut AnyConnection,
    ward: WardId,
    field: &str,
    ty: Col,
    value: &str,
) -> Result<Bind> {
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
        Col::GroupRef => Bind::Int(group_id(conn, ward, field, value).await?),
        Col::CellRef => {
            let id: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM party_cells WHERE ward_id = $1 AND name = $2 AND deleted_at IS NULL",
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
        Col::GroupList => Bind::NullText,
    })
}

/// A dated record's residential group and party cell must exist on the record's date
/// (`domain::records::group_exists_on`, `cell_exists_on`); the store only reads their
/// dates.
async fn check_registers_on_date(
    conn: &mut AnyConnection,
    ward: WardId,
    d: &TableDef,
    input: &Input,
) -> Result<()> {
    let Some(date_col) = d.kind.date_column() else {
        return Ok(());
    };
    let Ok(date) = dates::parse_date(input.get(date_col)) else {
        return Ok(()); // the record's own validation reports a bad date
    };
    let day = |s: Option<String>| s.and_then(|s| dates::parse_date(&s).ok());
    let mut errors = FieldErrors::new();
    for (field, _, ty) in d.cols {
        let value = input.get(field);
        let exists = match ty {
            Col::GroupRef => {
                let Ok(number) = value.parse::<i64>() else {
                    continue;
                };
                let span: Option<(Option<String>, Option<String>)> = sqlx::query_as(
                    "SELECT established, dissolved FROM residential_groups WHERE ward_id = $1 AND number = $2 AND deleted_at IS NULL",
                )
                .bind(ward.0)
                .bind(number)
                .fetch_optional(&mut *conn)
                .await?;
                // an unknown group is reported by its reference
                span.map(|(established, dissolved)| {
                    domain::records::group_exists_on(
                        number as u32,
                        day(established),
                        day(dissolved),
                        date,
                    )
                })
            }
            Col::CellRef if !value.is_empty() => {
                let span: Option<(Option<String>, Option<String>)> = sqlx::query_as(
                    "SELECT active_from, active_until FROM party_cells WHERE ward_id = $1 AND name = $2 AND deleted_at IS NULL",
                )
                .bind(ward.0)
                .bind(value)
                .fetch_optional(&mut *conn)
                .await?;
                span.map(|(from, until)| {
                    domain::records::cell_exists_on(value, day(from), day(until), date)
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

async fn group_id(
    conn: &mut AnyConnection,
    ward: WardId,
    field: &str,
    number: &str,
) -> Result<i64> {
    let n: i64 = number
        .parse()
        .map_err(|_| StoreError::field(field, format!("«{number}» không phải số tổ dân phố.")))?;
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM residential_groups WHERE ward_id = $1 AND number = $2 AND deleted_at IS NULL",
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
    conn: &mut AnyConnection,
    ward: WardId,
    cell_id: i64,
    numbers: &str,
) -> Result<()> {
    for n in numbers.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let gid = group_id(conn, ward, "residential_groups", n).await?;
        sqlx::query("INSERT INTO party_cell_groups (party_cell_id, residential_group_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
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
    conn: &mut AnyConnection,
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
        binds.push(parent.map(Bind::Int).unwrap_or(Bind::NullInt));
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
    check_registers_on_date(conn, ward, d, input).await?;
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
    binds.push(import_id.map(Bind::Int).unwrap_or(Bind::NullInt));
    cols.push("search_text".into());
    binds.push(Bind::Text(crate::search::of_input(d, input)));
    let marks = vec!["?"; cols.len()].join(", ");
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({marks}) RETURNING id",
        d.table,
        cols.join(", ")
    );
    let done = bind_all(sqlx::query(&numbered(sql)), &binds)
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| unique_to_field(d, e))?;
    let id = done.try_get::<i64, _>(0)?;
    if d.column("residential_groups").is_some() {
        link_groups(conn, ward, id, input.get("residential_groups")).await?;
    }
    Ok(id)
}
