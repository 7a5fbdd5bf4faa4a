//! Batch import: all rows of a file in one transaction, audited as one import.
//! Parsing and row-level validation happen before (in the importer of the web crate,
//! against [`Registers`]); this only writes.

use sqlx::Row;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use domain::{dates, FieldErrors, Input, Kind};

use crate::audit::{Action, AuditEvent, Entity};
use crate::error::{Result, StoreError};
use crate::tables::{def, TableDef};
use crate::writer::WriteTx;
use crate::{now, records, Actor, Store, WardId};

/// What rows may refer to: live group numbers, party cell names, dialogue refs with
/// their dates, and the live names/numbers that must stay unique.
#[derive(Debug, Clone, Default)]
pub struct Registers {
    pub groups: HashSet<u32>,
    pub party_cells: HashSet<String>,
    pub dialogue_refs: HashMap<String, NaiveDate>,
    /// The periods still submitted, whose dates are locked (checked again, inside
    /// the write transaction, by the import itself).
    pub locks: domain::submission::Locks,
    /// When a merger ended the ward: its last day, its name and its successors'
    /// (checked again inside the write transaction).
    pub ended: Option<(NaiveDate, String, String)>,
}

/// One row to write; `dialogue_ref` only for opinions.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub input: Input,
    pub dialogue_ref: Option<String>,
}

/// A row's problems, numbered from 1 over the data rows.
#[derive(Debug, Clone)]
pub struct RowErrors {
    pub row: usize,
    pub errors: FieldErrors,
}

impl Store {
    pub async fn registers(&self, ward: WardId) -> Result<Registers> {
        let groups: Vec<i64> = sqlx::query_scalar(
            "SELECT number FROM residential_groups WHERE ward_id = $1 AND deleted_at IS NULL",
        )
        .bind(ward.0)
        .fetch_all(&self.read)
        .await?;
        let party_cells: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM party_cells WHERE ward_id = $1 AND deleted_at IS NULL",
        )
        .bind(ward.0)
        .fetch_all(&self.read)
        .await?;
        let refs: Vec<(String, String)> = sqlx::query_as("SELECT ref, date FROM dialogues WHERE ward_id = $1 AND deleted_at IS NULL AND ref IS NOT NULL").bind(ward.0).fetch_all(&self.read).await?;
        let mut dialogue_refs = HashMap::new();
        for (r, d) in refs {
            let d = dates::parse_date(&d).map_err(|_| StoreError::bad_stored_date(&d))?;
            dialogue_refs.insert(r, d);
        }
        let mut conn = self.read.acquire().await?;
        let locks =
            domain::submission::Locks::new(crate::submissions::locking(&mut conn, ward).await?);
        let ended = crate::lineage::ended(&mut conn, ward).await?;
        Ok(Registers {
            groups: groups.into_iter().map(|n| n as u32).collect(),
            party_cells: party_cells.into_iter().collect(),
            dialogue_refs,
            locks,
            ended,
        })
    }

    /// Writes every row or none. Returns the import's id. A row the database refuses
    /// (which validation should have caught) fails the whole import with its number.
    pub async fn import(
        &self,
        ward: WardId,
        actor: &Actor,
        kind: Kind,
        file_name: Option<&str>,
        content_hash: Option<&str>,
        rows: &[ImportRow],
    ) -> Result<i64, ImportFailure> {
        let d = def(kind);
        let mut tx = self.begin_write().await?;
        let import_id = sqlx::query("INSERT INTO imports (ward_id, kind, file_name, content_hash, rows, at, actor) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(ward.0)
            .bind(kind.code())
            .bind(file_name)
            .bind(content_hash)
            .bind(rows.len() as i64)
            .bind(now())
            .bind(&actor.username)
            .fetch_one(&mut *tx)
            .await
            .and_then(|row| row.try_get::<i64, _>(0))
            .map_err(StoreError::from)?;
        // A dialogue's id and date by its ref, for opinions.
        let mut refs_by_ref: HashMap<String, (i64, String)> = HashMap::new();
        if kind.has_parent() {
            let all: Vec<(String, i64, String)> = sqlx::query_as("SELECT ref, id, date FROM dialogues WHERE ward_id = $1 AND deleted_at IS NULL AND ref IS NOT NULL")
                .bind(ward.0)
                .fetch_all(&mut *tx)
                .await
                .map_err(StoreError::from)?;
            refs_by_ref = all
                .into_iter()
                .map(|(r, id, date)| (r, (id, date)))
                .collect();
        }
        let date_locks = records::DateLocks::load(&mut tx, ward).await?;
        // Every row resolved and checked first (all bad rows reported together), then
        // written in multi-row INSERTs.
        let refs = records::Refs::load(&mut tx, ward, d).await?;
        let stamp = records::Stamp {
            at: now(),
            actor,
            import_id: Some(import_id),
        };
        let mut failures = Vec::new();
        let mut new_rows = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let parent = match (&row.dialogue_ref, kind.has_parent()) {
                (Some(r), true) => match refs_by_ref.get(r) {
                    Some((id, date)) => {
                        let date = dates::parse_date(date)
                            .map_err(|_| StoreError::bad_stored_date(date))?;
                        if let Err(StoreError::Invalid(errors)) =
                            date_locks.check(kind, records::PARENT_FIELD, date)
                        {
                            failures.push(RowErrors { row: i + 1, errors });
                            continue;
                        }
                        Some(*id)
                    }
                    None => {
                        failures.push(RowErrors {
                            row: i + 1,
                            errors: FieldErrors::single(
                                "dialogue_ref",
                                format!("Không có buổi đối thoại mã «{r}»."),
                            ),
                        });
                        continue;
                    }
                },
                _ => None,
            };
            if let Err(e) = date_locks.check_input(kind, &row.input) {
                match e {
                    StoreError::Invalid(errors) => failures.push(RowErrors { row: i + 1, errors }),
                    other => return Err(ImportFailure::Store(other)),
                }
                continue;
            }
            match records::new_row(d, &refs, ward, &stamp, parent, &row.input) {
                Ok(r) => new_rows.push(r),
                Err(StoreError::Invalid(errors)) => failures.push(RowErrors { row: i + 1, errors }),
                Err(other) => return Err(ImportFailure::Store(other)),
            }
        }
        if failures.is_empty() {
            failures = write_batches(&mut tx, d, &new_rows).await?;
        }
        if !failures.is_empty() {
            // Dropping the transaction rolls everything back.
            return Err(ImportFailure::Rows(failures));
        }
        let note = format!(
            "{} dòng{}",
            rows.len(),
            file_name
                .map(|f| format!(" từ tệp {f}"))
                .unwrap_or_default()
        );
        AuditEvent::new(Entity::Record(kind), None, Action::Import)
            .note(&note)
            .write(&mut tx, Some(ward), actor)
            .await
            .map_err(ImportFailure::Store)?;
        tx.commit().await?;
        Ok(import_id)
    }
}

/// Writes the rows in multi-row INSERTs, each inside a savepoint. A statement the
/// database refuses for a unique key (which the import's check should have caught; a
/// write in between can still take a key) is undone and its rows written one by one,
/// to name each refused row; the rows refused, numbered from 1.
async fn write_batches(
    tx: &mut WriteTx,
    d: &TableDef,
    rows: &[records::NewRow],
) -> Result<Vec<RowErrors>> {
    let mut failures = Vec::new();
    let size = records::batch_rows(d);
    for (b, chunk) in rows.chunks(size).enumerate() {
        match in_savepoint(tx, d, chunk).await? {
            Ok(()) => {}
            Err(_) => {
                for (i, row) in chunk.iter().enumerate() {
                    if let Err(errors) = in_savepoint(tx, d, std::slice::from_ref(row)).await? {
                        failures.push(RowErrors {
                            row: b * size + i + 1,
                            errors,
                        });
                    }
                }
            }
        }
    }
    Ok(failures)
}

/// Inserts rows inside a savepoint: `Ok(Err(errors))` when a unique key refused them
/// (the savepoint rolled back, the transaction usable again, on PostgreSQL too).
async fn in_savepoint(
    tx: &mut WriteTx,
    d: &TableDef,
    rows: &[records::NewRow],
) -> Result<std::result::Result<(), FieldErrors>> {
    sqlx::query("SAVEPOINT import_rows")
        .execute(&mut **tx)
        .await?;
    match records::insert_rows(tx, d, rows).await {
        Ok(_) => {
            sqlx::query("RELEASE SAVEPOINT import_rows")
                .execute(&mut **tx)
                .await?;
            Ok(Ok(()))
        }
        Err(StoreError::Invalid(errors)) => {
            sqlx::query("ROLLBACK TO SAVEPOINT import_rows")
                .execute(&mut **tx)
                .await?;
            sqlx::query("RELEASE SAVEPOINT import_rows")
                .execute(&mut **tx)
                .await?;
            Ok(Err(errors))
        }
        Err(other) => Err(other),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportFailure {
    #[error("{} rows refused", .0.len())]
    Rows(Vec<RowErrors>),
    #[error(transparent)]
    Store(#[from] StoreError),
}
