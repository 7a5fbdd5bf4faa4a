use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::error::{Result, SetupError};

/// The database: a pool of readers and a single writer connection.
///
/// SQLite allows one writer at a time. Funnelling every write of this process through
/// one connection means writers queue in the pool instead of failing with "database is
/// locked"; the busy timeout covers writers in other processes (the CLI, a backup).
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) read: SqlitePool,
    pub(crate) write: SqlitePool,
    path: PathBuf,
}

pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

impl Store {
    /// Opens (creating the file and its folder if needed) and migrates.
    pub async fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| SetupError::CreateFolder {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let opts = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
            .map_err(|source| SetupError::BadPath {
                path: path.to_path_buf(),
                source,
            })?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // WAL + NORMAL is durable against process crashes (what kill -9 tests); FULL
            // adds an fsync per commit for power loss, which a ward office PC deserves.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("temp_store", "memory");
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts.clone())
            .await?;
        MIGRATOR.run(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(opts.read_only(true))
            .await?;
        let store = Store {
            read,
            write,
            path: path.to_path_buf(),
        };
        store.backfill_search().await?;
        Ok(store)
    }

    /// Fills the search text of rows that have none (written before migration 0006, or
    /// by the generator), in one write transaction; no transaction is begun when none
    /// lacks it.
    async fn backfill_search(&self) -> Result<()> {
        if !crate::search::any_missing(&mut *self.read.acquire().await?).await? {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        let filled = crate::search::backfill(&mut tx).await?;
        if filled > 0 {
            tracing::info!("search text filled for {filled} rows");
        }
        tx.commit().await
    }

    /// Opens a database that must already exist.
    pub async fn open_existing(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(SetupError::NoDatabase(path.to_path_buf()).into());
        }
        Self::open(path).await
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A consistent copy of the whole database into `out` (which must not exist), taken
    /// while other connections keep writing: `VACUUM INTO` reads one snapshot.
    pub async fn backup(&self, out: &Path) -> Result<()> {
        if out.exists() {
            return Err(SetupError::FileExists(out.to_path_buf()).into());
        }
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| SetupError::CreateFolder {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let target = out.to_string_lossy().to_string();
        sqlx::query("VACUUM INTO ?")
            .bind(target)
            .execute(&self.read)
            .await?;
        Ok(())
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    pub async fn integrity_check(&self) -> Result<String> {
        let rows: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check")
            .fetch_all(&self.read)
            .await?;
        Ok(rows.into_iter().map(|r| r.0).collect::<Vec<_>>().join("\n"))
    }

    /// Checkpoints the WAL into the main file and closes every connection, so that the
    /// file alone is the whole database afterwards (it can be copied or renamed).
    pub async fn close(&self) {
        // Readers first: a checkpoint cannot complete past a reader's snapshot.
        self.read.close().await;
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.write)
            .await
        {
            tracing::warn!("checkpoint at close failed: {e}");
        }
        self.write.close().await;
    }
}
