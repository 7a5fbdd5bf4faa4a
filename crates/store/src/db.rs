use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};

use crate::error::{Result, SetupError};

/// Where a database is: a SQLite file (the embedded default, one ward's office PC) or
/// a PostgreSQL server (a city's wards on one server), written `postgres://…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Location {
    pub fn engine(&self) -> Engine {
        match self {
            Location::Sqlite(_) => Engine::Sqlite,
            Location::Postgres(_) => Engine::Postgres,
        }
    }
}

impl FromStr for Location {
    type Err = std::convert::Infallible;
    /// `postgres://…` or `postgresql://…` is a server; anything else a file path.
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        Ok(
            if s.starts_with("postgres://") || s.starts_with("postgresql://") {
                Location::Postgres(s.to_string())
            } else {
                Location::Sqlite(PathBuf::from(s))
            },
        )
    }
}

impl From<&Path> for Location {
    fn from(p: &Path) -> Self {
        Location::Sqlite(p.to_path_buf())
    }
}

impl From<&PathBuf> for Location {
    fn from(p: &PathBuf) -> Self {
        Location::Sqlite(p.clone())
    }
}

impl From<PathBuf> for Location {
    fn from(p: PathBuf) -> Self {
        Location::Sqlite(p)
    }
}

impl From<&Location> for Location {
    fn from(l: &Location) -> Self {
        l.clone()
    }
}

/// Shown in messages: the path, or the URL without its password.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(p) => write!(f, "{}", p.display()),
            Location::Postgres(url) => f.write_str(&without_password(url)),
        }
    }
}

fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((user, host)) if user.contains(':') => {
            let name = user.split(':').next().unwrap_or_default();
            format!("{scheme}://{name}:***@{host}")
        }
        _ => url.to_string(),
    }
}

/// The two engines behind one store. Almost all SQL is common to both (ISO dates as
/// text, `$n` parameters, `RETURNING id`, `ON CONFLICT`); the few statements that
/// differ ask `Store::engine`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The database: a pool of readers and a single writer connection.
///
/// SQLite allows one writer at a time. Funnelling every write of this process through
/// one connection means writers queue in the pool instead of failing with "database is
/// locked"; the busy timeout covers writers in other processes (the CLI, a backup).
/// PostgreSQL keeps the same single writer: the store's checks before a write (a
/// number already taken, a group that did not exist on the date) then see every
/// earlier write of this process, as on SQLite.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) read: AnyPool,
    pub(crate) write: AnyPool,
    location: Location,
}

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

/// Per-connection SQLite settings beyond sqlx's (which turns foreign keys on). They
/// read nothing from the file, so they cannot fail on a full disk: an error in this
/// hook would make the pool retry until its timeout instead of reporting the fault.
/// `synchronous` stays SQLite's default, FULL: WAL + NORMAL is durable against process
/// crashes (what kill -9 tests); FULL adds an fsync per commit for power loss, which a
/// ward office PC deserves.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 10000; PRAGMA temp_store = MEMORY;";

/// The read connections also map the file into memory (up to 1 GiB): a page is then
/// read where the operating system already holds it instead of being copied into each
/// connection's own cache by a system call (docs/PERFORMANCE.md, the city roll-up).
const SQLITE_READ_PRAGMAS: &str =
    "PRAGMA busy_timeout = 10000; PRAGMA temp_store = MEMORY; PRAGMA mmap_size = 1073741824;";

impl Store {
    /// Opens (creating the SQLite file and its folder, if needed) and migrates.
    pub async fn open(db: impl Into<Location>) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let location = db.into();
        let (write, read) = match &location {
            Location::Sqlite(path) => Self::sqlite_pools(path).await?,
            Location::Postgres(url) => {
                let pool = |n| {
                    AnyPoolOptions::new()
                        .max_connections(n)
                        .acquire_timeout(Duration::from_secs(30))
                        .connect(url)
                };
                let write = pool(1).await?;
                POSTGRES_MIGRATOR.run(&write).await?;
                (write, pool(8).await?)
            }
        };
        let store = Store {
            read,
            write,
            location,
        };
        store.backfill_search().await?;
        store.fill_ward_codes().await?;
        Ok(store)
    }

    async fn sqlite_pools(path: &Path) -> Result<(AnyPool, AnyPool)> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| SetupError::CreateFolder {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let url = |mode: &str| {
            format!(
                "sqlite://{}?mode={mode}",
                path.display().to_string().replace('?', "%3F")
            )
        };
        let options = |n, pragmas: &'static str| {
            AnyPoolOptions::new()
                .max_connections(n)
                .acquire_timeout(Duration::from_secs(30))
                .after_connect(move |conn, _| {
                    Box::pin(async move {
                        conn.execute(pragmas).await?;
                        Ok(())
                    })
                })
        };
        let write = options(1, SQLITE_PRAGMAS)
            .connect(&url("rwc"))
            .await
            .map_err(|source| match source {
                sqlx::Error::Configuration(_) => SetupError::BadPath {
                    path: path.to_path_buf(),
                    source,
                }
                .into(),
                other => crate::StoreError::from(other),
            })?;
        sqlx::query("PRAGMA journal_mode = WAL")
            .execute(&write)
            .await?;
        SQLITE_MIGRATOR.run(&write).await?;
        let read = options(8, SQLITE_READ_PRAGMAS).connect(&url("ro")).await?;
        Ok((write, read))
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

    /// Opens a database that must already exist (a SQLite file on disk; a PostgreSQL
    /// database is created by its server's administrator, so it is only connected to).
    pub async fn open_existing(db: impl Into<Location>) -> Result<Store> {
        let location = db.into();
        if let Location::Sqlite(path) = &location {
            if !path.exists() {
                return Err(SetupError::NoDatabase(path.clone()).into());
            }
        }
        Self::open(location).await
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    pub fn engine(&self) -> Engine {
        self.location.engine()
    }

    /// How many independent reads (e.g. the reports of a city's wards) are worth
    /// running side by side: one per core of this machine, at most half the read pool
    /// so that pages keep connections while a roll-up runs. A report holds one read
    /// connection at a time (`report_facts`), so side-by-side reports cannot starve
    /// each other of a second.
    pub fn parallel_reads(&self) -> usize {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let pool = self.read.options().get_max_connections() as usize;
        cores.min(pool / 2).max(1)
    }

    /// The SQLite file, when the database is one.
    pub fn path(&self) -> Option<&Path> {
        match &self.location {
            Location::Sqlite(p) => Some(p),
            Location::Postgres(_) => None,
        }
    }

    /// A consistent copy of the whole database into `out` (which must not exist), taken
    /// while other connections keep writing: `VACUUM INTO` reads one snapshot. For
    /// PostgreSQL the server's own `pg_dump` does this (or `qcdc transfer` into a file).
    pub async fn backup(&self, out: &Path) -> Result<()> {
        if self.engine() == Engine::Postgres {
            return Err(SetupError::NotForPostgres("backup").into());
        }
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
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.read)
            .await?;
        Ok(())
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    pub async fn integrity_check(&self) -> Result<String> {
        if self.engine() == Engine::Postgres {
            return Err(SetupError::NotForPostgres("integrity_check").into());
        }
        let rows: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check")
            .fetch_all(&self.read)
            .await?;
        Ok(rows.into_iter().map(|r| r.0).collect::<Vec<_>>().join("\n"))
    }

    /// Closes every connection; for SQLite, first checkpoints the WAL into the main
    /// file, so that the file alone is the whole database afterwards (it can be copied
    /// or renamed).
    pub async fn close(&self) {
        // Readers first: a checkpoint cannot complete past a reader's snapshot.
        self.read.close().await;
        if self.engine() == Engine::Sqlite {
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.write)
                .await
            {
                tracing::warn!("checkpoint at close failed: {e}");
            }
        }
        self.write.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_location_is_a_server_url_or_a_file() {
        assert_eq!(
            "postgres://u@h/db".parse::<Location>().map(|l| l.engine()),
            Ok(Engine::Postgres)
        );
        assert_eq!(
            "ward.db".parse::<Location>(),
            Ok(Location::Sqlite(PathBuf::from("ward.db")))
        );
        let shown = Location::Postgres("postgres://city:secret@host/qcdc".into()).to_string();
        assert_eq!(shown, "postgres://city:***@host/qcdc");
    }
}
