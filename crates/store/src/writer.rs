//! The write transaction: `BEGIN IMMEDIATE` on the single writer connection, and a
//! commit that is the only acknowledgement of a write.
//!
//! sqlx's own `Transaction` keeps a transaction depth on the connection; when a COMMIT
//! fails (a full disk), that depth goes wrong and every later `begin`/`commit` on the
//! same pooled connection only moves savepoints inside a transaction that never ends:
//! writes are acknowledged and then lost. Here the transaction is plain SQL on a pooled
//! connection that is closed — never returned to the pool — unless its transaction
//! ended cleanly: after a failed BEGIN, COMMIT or ROLLBACK, and when a transaction is
//! dropped without commit (closing a SQLite connection rolls its transaction back).
//! The pool then opens a fresh writer for the next write.

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, Ordering};

use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection};

use crate::error::Result;
use crate::Store;

/// Set when SQLite reports a full disk or a disk I/O error (in `StoreError::from`),
/// cleared when a write commits: whether the writer is failing, for `/healthz`. One
/// per process, as there is one database per process.
pub(crate) static WRITE_FAULT: AtomicBool = AtomicBool::new(false);

/// A write transaction on the writer connection. Deref gives the connection for
/// queries; [`WriteTx::commit`] ends it.
pub struct WriteTx {
    conn: Option<PoolConnection<Any>>,
}

impl Store {
    /// Begins a write transaction (on SQLite `BEGIN IMMEDIATE`: the write lock is taken
    /// now, so a writer in another process makes this wait, not fail half-way).
    pub(crate) async fn begin_write(&self) -> Result<WriteTx> {
        let mut conn = self.write.acquire().await?;
        let begin = match self.engine() {
            crate::Engine::Sqlite => "BEGIN IMMEDIATE",
            crate::Engine::Postgres => "BEGIN",
        };
        if let Err(e) = sqlx::query(begin).execute(&mut *conn).await {
            discard(conn);
            return Err(e.into());
        }
        Ok(WriteTx { conn: Some(conn) })
    }

    /// Whether the writer can write: after a write failed for want of disk (or for a
    /// disk I/O error), a small real write (a ward row rewritten as it is) tells when
    /// space is back; otherwise nothing is written.
    pub async fn writer_healthy(&self) -> Result<()> {
        if !WRITE_FAULT.load(Ordering::Relaxed) {
            return Ok(());
        }
        // Nearly no room left: failing still, without trying (a small write may fit in
        // space SQLite holds already while the next record would not).
        if self.free_space().is_some_and(|free| free < MIN_FREE_SPACE) {
            return Err(crate::StoreError::System(
                crate::Fault::DiskFull,
                sqlx::Error::Protocol("less than 1 MB free on the database's disk".into()),
            ));
        }
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE wards SET name = name WHERE id = (SELECT MIN(id) FROM wards)")
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }
}

/// Below this much free space the writer is reported failing until space is back.
const MIN_FREE_SPACE: u64 = 1024 * 1024;

impl Store {
    /// Free bytes on the disk holding the database, where the system tells it.
    fn free_space(&self) -> Option<u64> {
        #[cfg(unix)]
        {
            let dir = self
                .path()?
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            rustix::fs::statvfs(dir)
                .ok()
                .map(|s| s.f_bavail.saturating_mul(s.f_frsize))
        }
        #[cfg(not(unix))]
        {
            None
        }
    }
}

impl WriteTx {
    /// Writes the change's audit entry, then commits both.
    pub(crate) async fn commit_with(
        self,
        event: crate::audit::AuditEvent<'_>,
        ward: crate::WardId,
        actor: &crate::Actor,
    ) -> Result<()> {
        self.commit_audited(event, Some(ward), actor).await
    }

    /// [`WriteTx::commit_with`] for a change of a ward or of the city (`None`).
    pub(crate) async fn commit_audited(
        mut self,
        event: crate::audit::AuditEvent<'_>,
        ward: Option<crate::WardId>,
        actor: &crate::Actor,
    ) -> Result<()> {
        event.write(&mut self, ward, actor).await?;
        self.commit().await
    }

    /// Commits. `Ok` means the change is on disk; on any error nothing of it is, and
    /// the connection is closed rather than reused.
    pub async fn commit(mut self) -> Result<()> {
        let Some(mut conn) = self.conn.take() else {
            return Ok(());
        };
        match sqlx::query("COMMIT").execute(&mut *conn).await {
            Ok(_) => {
                WRITE_FAULT.store(false, Ordering::Relaxed);
                Ok(())
            }
            Err(e) => {
                discard(conn);
                Err(e.into())
            }
        }
    }
}

impl Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        // `conn` is only taken by `commit`, which consumes the transaction.
        self.conn
            .as_deref()
            .unwrap_or_else(|| unreachable!("used after commit"))
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        self.conn
            .as_deref_mut()
            .unwrap_or_else(|| unreachable!("used after commit"))
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        // Not committed (an error, a refusal): closing the connection rolls back.
        if let Some(conn) = self.conn.take() {
            discard(conn);
        }
    }
}

/// Takes the connection out of the pool and closes it; the pool opens a new one.
fn discard(conn: PoolConnection<Any>) {
    drop(conn.detach());
}
