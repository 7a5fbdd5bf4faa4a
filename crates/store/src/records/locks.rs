//! The date checks every write of a dated record passes, inside its write transaction
//! (so that no submission can slip in between the check and the write): a date inside
//! a period still submitted is locked (`domain::submission`). Read once per write
//! transaction; an import checks each of its rows against the same [`DateLocks`].
//!
//! Registers (residential groups, party cells, committee versions) are not locked
//! (`domain::submission::locks_kind`).

use chrono::NaiveDate;
use domain::submission::{locks_kind, Locks};
use domain::{dates, Input, Kind};
use sqlx::AnyConnection;

use crate::error::{Result, StoreError};
use crate::WardId;

/// The ward's date locks, as one write transaction sees them.
#[derive(Debug, Default)]
pub(crate) struct DateLocks {
    submitted: Locks,
}

impl DateLocks {
    /// Reads, inside the write transaction, the ward's submissions still submitted.
    pub(crate) async fn load(conn: &mut AnyConnection, ward: WardId) -> Result<DateLocks> {
        let submitted = crate::submissions::locking(conn, ward).await?;
        Ok(DateLocks {
            submitted: Locks::new(submitted),
        })
    }

    /// Refuses a record of `kind` dated `date` (created, changed from or to it, deleted,
    /// restored or imported) with the field error of `field`, the record's date field.
    pub(crate) fn check(&self, kind: Kind, field: &str, date: NaiveDate) -> Result<()> {
        if !locks_kind(kind) {
            return Ok(());
        }
        self.submitted
            .check(date)
            .map_err(|m| StoreError::field(field, m))
    }

    /// [`DateLocks::check`] of a record by its own date column, as written in `input`
    /// (a date that does not parse is left to the record's own validation). A kind
    /// dated by its parent is checked by the caller with the parent's date.
    pub(crate) fn check_input(&self, kind: Kind, input: &Input) -> Result<()> {
        let Some(col) = kind.date_column() else {
            return Ok(());
        };
        match dates::parse_date(input.get(col)) {
            Ok(date) => self.check(kind, col, date),
            Err(_) => Ok(()),
        }
    }
}

/// The field an opinion's lock error is reported on: its dialogue (an opinion counts on
/// its dialogue's date).
pub(crate) const PARENT_FIELD: &str = "dialogue_ref";

/// The date of a dialogue, deleted or not (an opinion's date for the lock).
pub(crate) async fn parent_date(
    conn: &mut AnyConnection,
    ward: WardId,
    dialogue_id: i64,
) -> Result<Option<NaiveDate>> {
    let date: Option<String> =
        sqlx::query_scalar("SELECT date FROM dialogues WHERE ward_id = $1 AND id = $2")
            .bind(ward.0)
            .bind(dialogue_id)
            .fetch_optional(&mut *conn)
            .await?;
    date.map(|d| dates::parse_date(&d).map_err(|_| StoreError::bad_stored_date(&d)))
        .transpose()
}

/// The date of an opinion: its dialogue's.
pub(crate) async fn opinion_date(
    conn: &mut AnyConnection,
    ward: WardId,
    opinion_id: i64,
) -> Result<Option<NaiveDate>> {
    let dialogue: Option<i64> =
        sqlx::query_scalar("SELECT dialogue_id FROM opinions WHERE ward_id = $1 AND id = $2")
            .bind(ward.0)
            .bind(opinion_id)
            .fetch_optional(&mut *conn)
            .await?;
    match dialogue {
        Some(d) => parent_date(conn, ward, d).await,
        None => Ok(None),
    }
}
