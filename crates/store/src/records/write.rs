//! Changing records: create, update, soft delete and restore, each with its audit
//! entry in the same transaction, and the row insert shared with imports.

use chrono::NaiveDate;
use domain::{dates, Input, Kind, Opinion, Record};
use sqlx::AnyConnection;

use super::insert::{insert_rows, link_groups, new_row, Stamp};
use super::locks::{self, DateLocks};
use super::read::read_input;
use super::refs::Refs;
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
        DateLocks::load(&mut tx, ward)
            .await?
            .check_input(T::KIND, &input)?;
        let id = insert_row(&mut tx, def(T::KIND), ward, actor, None, &input).await?;
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
        DateLocks::load(&mut tx, ward)
            .await?
            .check(Kind::Opinions, locks::PARENT_FIELD, date)?;
        opinion.check_against(date).map_err(StoreError::Invalid)?;
        let input = opinion.to_input();
        let id = insert_row(
            &mut tx,
            def(Kind::Opinions),
            ward,
            actor,
            Some(dialogue_id),
            &input,
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
        let after = record.to_input();
        let date_locks = DateLocks::load(&mut tx, ward).await?;
        // Neither the record's old date nor its new one may be locked.
        date_locks.check_input(T::KIND, &before)?;
        date_locks.check_input(T::KIND, &after)?;
        if T::KIND.has_parent() {
            let dialogue: i64 =
                sqlx::query_scalar("SELECT dialogue_id FROM opinions WHERE id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            let date = dialogue_date(&mut tx, ward, dialogue).await?;
            date_locks.check(T::KIND, locks::PARENT_FIELD, date)?;
            let parsed = Opinion::parse(&after).map_err(StoreError::Invalid)?;
            parsed.check_against(date).map_err(StoreError::Invalid)?;
        }
        let refs = Refs::load(&mut tx, ward, d).await?;
        refs.check_registers_on_date(d, &after)?;
        let mut sets = Vec::new();
        let mut binds = Vec::new();
        for (field, col, ty) in d.cols {
            if *ty == Col::GroupList {
                continue;
            }
            sets.push(format!("{col} = ?"));
            binds.push(refs.value_bind(field, *ty, after.get(field))?);
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
            let links: Vec<(i64, i64)> = refs
                .group_ids(after.get("residential_groups"))?
                .into_iter()
                .map(|g| (id, g))
                .collect();
            link_groups(&mut tx, &links).await?;
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
        let date_locks = DateLocks::load(&mut tx, ward).await?;
        let locked = match kind.has_parent() {
            false => date_locks.check_input(kind, &input),
            true => match locks::opinion_date(&mut tx, ward, id).await? {
                Some(date) => date_locks.check(kind, locks::PARENT_FIELD, date),
                None => Ok(()),
            },
        };
        // Refused as a whole: a delete or restore has no form to show the field on.
        locked.map_err(StoreError::into_conflict)?;
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

pub(super) fn unique_to_field(d: &TableDef, e: sqlx::Error) -> StoreError {
    if !is_unique_violation(&e) {
        return e.into();
    }
    let (field, msg) = match d.kind.key() {
        Some(key) => (key.column, key.taken),
        None => ("id", "Bản ghi trùng với bản ghi đã có."),
    };
    StoreError::field(field, msg)
}

/// Inserts one row (without audit); used by create.
pub(crate) async fn insert_row(
    conn: &mut AnyConnection,
    d: &TableDef,
    ward: WardId,
    actor: &Actor,
    parent: Option<i64>,
    input: &Input,
) -> Result<i64> {
    let refs = Refs::load(conn, ward, d).await?;
    let stamp = Stamp {
        at: now(),
        actor,
        import_id: None,
    };
    let row = new_row(d, &refs, ward, &stamp, parent, input)?;
    let ids = insert_rows(conn, d, std::slice::from_ref(&row)).await?;
    ids.first()
        .copied()
        .ok_or_else(|| StoreError::Invariant(format!("no id returned by {}", d.table)))
}
