//! Submitted periods: a ward's report for a range of dates, kept as the snapshot that
//! was sent, with who and when; reopened with a reason. The rules are
//! `domain::submission`'s; the lock they put on records is checked by every write
//! (`records::DateLocks`).
//!
//! A submission is written in two steps, so that its snapshot is the figures the lock
//! then protects: [`Store::begin_submission`] takes the writer (no record can change
//! until it is done) and checks the range; the caller builds the report from the
//! database as it stands and hands its CSV to [`PendingSubmission::finish`].

use chrono::NaiveDate;
use domain::submission::{check_new, Status, Submission};
use domain::{dates, Code, Input};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::audit::{Action, AuditEvent, Entity};
use crate::bind::{bind_all, numbered, Bind};
use crate::error::{Result, StoreError};
use crate::writer::WriteTx;
use crate::{now, Actor, Store, WardId};

const COLUMNS: &str = "id, date_from, date_to, submitted_at, submitted_by, status, reopened_at, reopened_by, reopen_reason";

fn from_row(r: &AnyRow) -> Result<Submission> {
    let day = |col: &str| -> Result<NaiveDate> {
        let s: String = r.try_get(col)?;
        dates::parse_date(&s).map_err(|_| StoreError::bad_stored_date(&s))
    };
    let status: String = r.try_get("status")?;
    Ok(Submission {
        id: r.try_get("id")?,
        from: day("date_from")?,
        to: day("date_to")?,
        submitted_at: r.try_get("submitted_at")?,
        submitted_by: r.try_get("submitted_by")?,
        status: Status::parse(&status)
            .ok_or_else(|| StoreError::Invariant(format!("unknown submission status {status}")))?,
        reopened_at: r.try_get("reopened_at")?,
        reopened_by: r.try_get("reopened_by")?,
        reopen_reason: r.try_get("reopen_reason")?,
    })
}

/// The ward's submissions that still lock records, read on `conn` (a write transaction).
pub(crate) async fn locking(conn: &mut AnyConnection, ward: WardId) -> Result<Vec<Submission>> {
    // A successor's report counts its whole former wards' records: its submissions lock
    // them as well.
    let wards = crate::lineage::counted_by(conn, ward).await?;
    let marks = vec!["?"; wards.len()].join(", ");
    let sql = format!(
        "SELECT {COLUMNS} FROM submissions WHERE ward_id IN ({marks}) AND status = 'submitted' ORDER BY id"
    );
    let binds: Vec<Bind> = wards.iter().map(|w| Bind::Int(w.0)).collect();
    let rows = bind_all(sqlx::query(&numbered(sql)), &binds)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// A submission under way: the writer is held, the range checked; no record can change
/// until it is finished or dropped (dropping writes nothing).
pub struct PendingSubmission {
    tx: WriteTx,
    ward: WardId,
    from: NaiveDate,
    to: NaiveDate,
}

impl PendingSubmission {
    pub fn from(&self) -> NaiveDate {
        self.from
    }
    pub fn to(&self) -> NaiveDate {
        self.to
    }

    /// Writes the submission with its snapshot and its audit entry; returns its id.
    pub async fn finish(mut self, actor: &Actor, snapshot: &str) -> Result<i64> {
        let id: i64 = sqlx::query("INSERT INTO submissions (ward_id, date_from, date_to, submitted_at, submitted_by, snapshot, status) VALUES ($1, $2, $3, $4, $5, $6, 'submitted') RETURNING id")
            .bind(self.ward.0)
            .bind(dates::iso(self.from))
            .bind(dates::iso(self.to))
            .bind(now())
            .bind(&actor.username)
            .bind(snapshot)
            .fetch_one(&mut *self.tx)
            .await?
            .try_get(0)?;
        let after = Input::new()
            .with("from", dates::iso(self.from))
            .with("to", dates::iso(self.to));
        self.tx
            .commit_with(
                AuditEvent::new(Entity::Submissions, Some(id), Action::Submit).after(&after),
                self.ward,
                actor,
            )
            .await?;
        Ok(id)
    }
}

impl Store {
    /// Starts submitting the ward's period `from`–`to`: refused (a conflict naming the
    /// submission) when it overlaps a period still submitted.
    pub async fn begin_submission(
        &self,
        ward: WardId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<PendingSubmission> {
        let mut tx = self.begin_write().await?;
        let existing = locking(&mut tx, ward).await?;
        check_new(&existing, from, to).map_err(StoreError::Conflict)?;
        Ok(PendingSubmission { tx, ward, from, to })
    }

    /// The ward's submissions, newest first.
    pub async fn submissions(&self, ward: WardId) -> Result<Vec<Submission>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM submissions WHERE ward_id = $1 ORDER BY id DESC"
        ))
        .bind(ward.0)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// One submission of the ward with its snapshot as stored.
    pub async fn submission(&self, ward: WardId, id: i64) -> Result<(Submission, String)> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS}, snapshot FROM submissions WHERE ward_id = $1 AND id = $2"
        ))
        .bind(ward.0)
        .bind(id)
        .fetch_optional(&self.read)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok((from_row(&row)?, row.try_get("snapshot")?))
    }

    /// The ward a submission belongs to, whichever it is (the command line names a
    /// submission by its id alone).
    pub async fn submission_ward(&self, id: i64) -> Result<WardId> {
        let ward: Option<i64> = sqlx::query_scalar("SELECT ward_id FROM submissions WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.read)
            .await?;
        ward.map(WardId).ok_or(StoreError::NotFound)
    }

    /// Reopens a submitted period with a reason (already checked by
    /// `domain::submission::parse_reason`): its records may change again. The audit
    /// entry keeps the reason.
    pub async fn reopen_submission(
        &self,
        ward: WardId,
        actor: &Actor,
        id: i64,
        reason: &str,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let status: Option<String> =
            sqlx::query_scalar("SELECT status FROM submissions WHERE ward_id = $1 AND id = $2")
                .bind(ward.0)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        match status.as_deref() {
            None => return Err(StoreError::NotFound),
            Some("submitted") => {}
            Some(_) => {
                return Err(StoreError::Conflict(format!(
                    "Kỳ đã nộp số {id} đã được mở lại trước đó."
                )))
            }
        }
        sqlx::query("UPDATE submissions SET status = 'reopened', reopened_at = $1, reopened_by = $2, reopen_reason = $3 WHERE ward_id = $4 AND id = $5 AND status = 'submitted'")
            .bind(now())
            .bind(&actor.username)
            .bind(reason)
            .bind(ward.0)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let note = format!("mở lại kỳ đã nộp số {id}: {reason}");
        tx.commit_with(
            AuditEvent::new(Entity::Submissions, Some(id), Action::Reopen).note(&note),
            ward,
            actor,
        )
        .await
    }
}
