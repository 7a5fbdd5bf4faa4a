//! tower-sessions' store on top of `store`'s session table, so that the web crate
//! needs no sqlx of its own (records are JSON bytes with a unix-seconds expiry), and
//! the server's store: an in-memory cache in front of it ([`cached`]).

use async_trait::async_trait;
use store::Store;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};
use tower_sessions::CachingSessionStore;
use tower_sessions_moka_store::MokaStore;

/// Sessions kept in memory at most; beyond, the least used are read again from the
/// database when they come back.
const CACHED_SESSIONS: u64 = 10_000;

/// The server's session store: sessions are read from memory (moka, each entry
/// expiring with its session) and only on a miss from the database, which stays the
/// source of truth: creating, saving and deleting (logout, a new id at login) write
/// both, so a restart finds every session and a logout ends it at once. This assumes
/// one server process per database (as the login throttle does): a session ended by
/// another process sharing the database stays in this one's memory until it expires.
/// The checks that end other sessions (account disabled, password changed) read the
/// account on every request and do not depend on the cache.
pub type CachedSessionStore = CachingSessionStore<MokaStore, DbSessionStore>;

/// The database session store with its in-memory cache.
pub fn cached(store: Store) -> CachedSessionStore {
    CachingSessionStore::new(
        MokaStore::new(Some(CACHED_SESSIONS)),
        DbSessionStore::new(store),
    )
}

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    store: Store,
}

impl DbSessionStore {
    pub fn new(store: Store) -> Self {
        Self { store }
    }
}

fn backend(e: store::StoreError) -> Error {
    Error::Backend(e.to_string())
}

fn encode(r: &Record) -> Result<Vec<u8>> {
    serde_json::to_vec(r).map_err(|e| Error::Encode(e.to_string()))
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // A fresh random id colliding is next to impossible; retrying is still cheap.
        loop {
            let data = encode(record)?;
            let created = self
                .store
                .session_create(
                    &record.id.to_string(),
                    &data,
                    record.expiry_date.unix_timestamp(),
                )
                .await
                .map_err(backend)?;
            if created {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let data = encode(record)?;
        match self
            .store
            .session_save(
                &record.id.to_string(),
                &data,
                record.expiry_date.unix_timestamp(),
            )
            .await
        {
            // An existing session's small changes (a flash shown, its expiry moved on)
            // are not worth failing a page that has been answered already when the disk
            // is full: the page is shown, the change is kept for later. Creating a
            // session (a login) still fails.
            Err(store::StoreError::System(fault, source)) => {
                tracing::warn!(?fault, error = %source, "session not updated");
                Ok(())
            }
            other => other.map_err(backend),
        }
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        match self
            .store
            .session_load(&id.to_string(), now)
            .await
            .map_err(backend)?
        {
            Some(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| Error::Decode(e.to_string())),
            None => Ok(None),
        }
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        self.store
            .session_delete(&id.to_string())
            .await
            .map_err(backend)
    }
}
