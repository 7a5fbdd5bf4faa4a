//! Test databases on either engine, for this crate's tests and those above it
//! (feature `testing`, enabled only as a dev-dependency).
//!
//! SQLite: a file in a temporary folder. PostgreSQL: a fresh database on the server
//! named by `QCDC_TEST_POSTGRES` (e.g. `postgres://postgres@127.0.0.1:5432/postgres`),
//! created for one test and dropped when its guard is dropped. Without the variable the
//! PostgreSQL variants of the tests are skipped, saying so.

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;

use crate::{Engine, Location};

/// The variable naming the PostgreSQL server the tests may create databases on.
pub const POSTGRES_VAR: &str = "QCDC_TEST_POSTGRES";

/// A database for one test; dropped (PostgreSQL) or deleted (SQLite) with the guard.
pub struct TestDb {
    pub location: Location,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

impl TestDb {
    /// A new empty database on `engine`, or `None` (after printing why) when the
    /// engine is PostgreSQL and no test server is configured.
    pub async fn new(engine: Engine) -> Option<TestDb> {
        match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let path = dir.path().join("data").join("t.db");
                Some(TestDb {
                    location: Location::Sqlite(path),
                    _dir: Some(dir),
                    postgres: None,
                })
            }
            Engine::Postgres => {
                let Ok(server) = std::env::var(POSTGRES_VAR) else {
                    eprintln!("{POSTGRES_VAR} is not set: PostgreSQL test skipped");
                    return None;
                };
                static N: AtomicU32 = AtomicU32::new(0);
                let name = format!(
                    "qcdc_test_{}_{}_{}",
                    std::process::id(),
                    N.fetch_add(1, Ordering::Relaxed),
                    chrono::Utc::now().timestamp_subsec_nanos()
                );
                let mut admin = sqlx::PgConnection::connect(&server)
                    .await
                    .unwrap_or_else(|e| panic!("{POSTGRES_VAR}={server}: {e}"));
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                Some(TestDb {
                    location: Location::Postgres(with_database(&server, &name)),
                    _dir: None,
                    postgres: Some((server, name)),
                })
            }
        }
    }

    /// The SQLite file's folder (for tests that put more files beside it).
    pub fn dir(&self) -> Option<&std::path::Path> {
        self._dir.as_ref().map(|d| d.path())
    }
}

/// `url` with its database (the path) replaced by `name`, query kept.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_end = base[scheme_end..]
        .find('/')
        .map(|i| scheme_end + i)
        .unwrap_or(base.len());
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs inside the test's runtime: a thread with its own runtime does the
        // asynchronous work and is waited for.
        let done = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&server).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut admin)
                        .await;
                    let _ = admin.close().await;
                }
            });
        });
        let _ = done.join();
    }
}

/// Runs each named `async fn name(engine: Engine)` of a test file as two tests,
/// `name::sqlite` and `name::postgres` (which returns early, skipped, without a server).
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name(store::Engine::Sqlite).await
            }
            #[tokio::test]
            async fn postgres() {
                super::$name(store::Engine::Postgres).await
            }
        }
    )*};
}

/// A new database on `engine` with one ward, "Phường Mẫu"; `None` when the engine is
/// not available.
pub async fn store_with_ward(engine: Engine) -> Option<(TestDb, crate::Store, crate::WardId)> {
    let db = TestDb::new(engine).await?;
    let s = crate::Store::open(&db.location).await.expect("open");
    let ward = domain::ward::Ward {
        name: "Phường Mẫu".into(),
        district: None,
        province: None,
    };
    let w = s
        .init_ward(&crate::Actor::system(), &ward)
        .await
        .expect("ward");
    Some((db, s, w))
}

impl crate::Store {
    /// Adds a ward (no district, no province) with `code` and `name`.
    pub async fn add_test_ward(&self, code: &str, name: &str) -> crate::WardId {
        self.add_ward(
            &crate::Actor::system(),
            &domain::ward::WardCode::parse(code).expect("code"),
            &domain::ward::Ward {
                name: name.into(),
                district: None,
                province: None,
            },
        )
        .await
        .expect("ward")
    }

    /// One integer from the writer and one from a reader (a SQLite `PRAGMA`, say).
    pub async fn scalar_for_tests(&self, sql: &str) -> (i64, i64) {
        let w: i64 = sqlx::query_scalar(sql)
            .fetch_one(&self.write)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        let r: i64 = sqlx::query_scalar(sql)
            .fetch_one(&self.read)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        (w, r)
    }

    /// Runs one statement on the writer, outside the store's rules (to make a
    /// database look older or damaged in a test).
    pub async fn execute_for_tests(&self, sql: &str) {
        sqlx::query(sql)
            .execute(&self.write)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_test_database_replaces_the_url_path() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            with_database("postgres://u@h?sslmode=disable", "t1"),
            "postgres://u@h/t1?sslmode=disable"
        );
    }
}
