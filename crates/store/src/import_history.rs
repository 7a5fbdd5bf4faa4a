//! The history of imports: which files were imported (with their SHA-256, so that the
//! same file again is noticed), and undoing an import — its live records soft-deleted
//! together, in one transaction with its audit entry.

use crate::bind::numbered;
use crate::records;
use domain::{dates, Kind};
use sqlx::Row;

use crate::audit::{Action, AuditEvent, Entity};
use crate::error::{Result, StoreError};
use crate::tables::def;
use crate::{now, Actor, Store, WardId};

/// One import as the history shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportInfo {
    pub id: i64,
    pub kind: Kind,
    pub file_name: Option<String>,
    /// Rows written by the import.
    pub rows: i64,
    /// Of those, records still live (not deleted since, one by one or by an undo).
    pub live: i64,
    pub at: String,
    pub actor: String,
    pub undone_at: Option<String>,
    pub undone_by: Option<String>,
}

const COLUMNS: &str = "id, kind, file_name, rows, at, actor, undone_at, undone_by";

impl Store {
    /// The ward's imports, newest first.
    pub async fn imports(&self, ward: WardId) -> Result<Vec<ImportInfo>> {
        let rows = sqlx::query(&numbered(format!(
            "SELECT {COLUMNS} FROM imports WHERE ward_id = ? ORDER BY id DESC"
        )))
        .bind(ward.0)
        .fetch_all(&self.read)
        .await?;
        self.import_infos(ward, &rows).await
    }

    /// One import of the ward.
    pub async fn import_info_by_id(&self, ward: WardId, id: i64) -> Result<ImportInfo> {
        let row = sqlx::query(&numbered(format!(
            "SELECT {COLUMNS} FROM imports WHERE ward_id = ? AND id = ?"
        )))
        .bind(ward.0)
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        self.import_info(ward, &row).await
    }

    /// Imports of this very file (same kind and SHA-256) that were not undone.
    pub async fn imports_of_file(
        &self,
        ward: WardId,
        kind: Kind,
        content_hash: &str,
    ) -> Result<Vec<ImportInfo>> {
        let rows = sqlx::query(&numbered(format!(
            "SELECT {COLUMNS} FROM imports WHERE ward_id = ? AND kind = ? AND content_hash = ? AND undone_at IS NULL ORDER BY id"
        )))
        .bind(ward.0)
        .bind(kind.code())
        .bind(content_hash)
        .fetch_all(&self.read)
        .await?;
        self.import_infos(ward, &rows).await
    }

    async fn import_infos(
        &self,
        ward: WardId,
        rows: &[sqlx::any::AnyRow],
    ) -> Result<Vec<ImportInfo>> {
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(self.import_info(ward, r).await?);
        }
        Ok(out)
    }

    async fn import_info(&self, ward: WardId, r: &sqlx::any::AnyRow) -> Result<ImportInfo> {
        let code: String = r.try_get("kind")?;
        let kind = Kind::parse(&code)
            .ok_or_else(|| StoreError::Invariant(format!("unknown import kind {code}")))?;
        let id: i64 = r.try_get("id")?;
        let live: i64 = sqlx::query_scalar(&numbered(format!(
            "SELECT COUNT(*) FROM {} WHERE ward_id = ? AND import_id = ? AND deleted_at IS NULL",
            def(kind).table
        )))
        .bind(ward.0)
        .bind(id)
        .fetch_one(&self.read)
        .await?;
        Ok(ImportInfo {
            id,
            kind,
            file_name: r.try_get("file_name")?,
            rows: r.try_get("rows")?,
            live,
            at: r.try_get("at")?,
            actor: r.try_get("actor")?,
            undone_at: r.try_get("undone_at")?,
            undone_by: r.try_get("undone_by")?,
        })
    }

    /// Undoes an import: every record it wrote that is still live is soft-deleted (each
    /// with its audit entry, so each can be restored), the import is marked undone, and
    /// one audit entry records the undo — all or nothing. Returns the records deleted.
    pub async fn undo_import(&self, ward: WardId, actor: &Actor, id: i64) -> Result<u64> {
        let info = self.import_info_by_id(ward, id).await?;
        if info.undone_at.is_some() {
            return Err(StoreError::Conflict(format!(
                "Lần nhập số {id} đã được hoàn tác trước đó."
            )));
        }
        let d = def(info.kind);
        let mut tx = self.begin_write().await?;
        // Each live record with its date (an opinion's: its dialogue's).
        let sql = match (info.kind.date_column(), info.kind.has_parent()) {
            (Some(col), _) => format!(
                "SELECT id, {col} FROM {} WHERE ward_id = ? AND import_id = ? AND deleted_at IS NULL ORDER BY id",
                d.table
            ),
            (None, true) => format!(
                "SELECT o.id, p.date FROM {} o JOIN dialogues p ON p.id = o.dialogue_id WHERE o.ward_id = ? AND o.import_id = ? AND o.deleted_at IS NULL ORDER BY o.id",
                d.table
            ),
            (None, false) => format!(
                "SELECT id, CAST(NULL AS TEXT) FROM {} WHERE ward_id = ? AND import_id = ? AND deleted_at IS NULL ORDER BY id",
                d.table
            ),
        };
        let rows: Vec<(i64, Option<String>)> = sqlx::query_as(&numbered(sql))
            .bind(ward.0)
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        // No record of a submitted period is deleted by an undo: refused as a whole.
        let date_locks = records::DateLocks::load(&mut tx, ward).await?;
        for date in rows.iter().filter_map(|(_, d)| d.as_deref()) {
            if let Ok(date) = dates::parse_date(date) {
                date_locks
                    .check(info.kind, records::PARENT_FIELD, date)
                    .map_err(StoreError::into_conflict)?;
            }
        }
        let ids: Vec<i64> = rows.into_iter().map(|(id, _)| id).collect();
        let at = now();
        for rid in &ids {
            sqlx::query(&numbered(format!(
                "UPDATE {} SET deleted_at = ?, deleted_by = ? WHERE ward_id = ? AND id = ?",
                d.table
            )))
            .bind(&at)
            .bind(&actor.username)
            .bind(ward.0)
            .bind(rid)
            .execute(&mut *tx)
            .await?;
            AuditEvent::new(Entity::Record(info.kind), Some(*rid), Action::Delete)
                .note(&format!("hoàn tác lần nhập số {id}"))
                .write(&mut tx, Some(ward), actor)
                .await?;
        }
        let marked = sqlx::query(
            "UPDATE imports SET undone_at = $1, undone_by = $2 WHERE ward_id = $3 AND id = $4 AND undone_at IS NULL",
        )
        .bind(&at)
        .bind(&actor.username)
        .bind(ward.0)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if marked.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "Lần nhập số {id} đã được hoàn tác trước đó."
            )));
        }
        let note = format!(
            "hoàn tác lần nhập số {id}{}: {} bản ghi",
            info.file_name
                .as_deref()
                .map(|f| format!(" (tệp {f})"))
                .unwrap_or_default(),
            ids.len()
        );
        tx.commit_with(
            AuditEvent::new(Entity::Record(info.kind), None, Action::UndoImport).note(&note),
            ward,
            actor,
        )
        .await?;
        Ok(ids.len() as u64)
    }
}
