//! Session records for the web layer's session store: opaque bytes by id with an
//! expiry (unix seconds). The web crate implements tower-sessions' trait on top.

use crate::error::Result;
use crate::Store;

impl Store {
    /// Inserts only if the id is new; false when the id is taken (caller retries).
    pub async fn session_create(&self, id: &str, data: &[u8], expiry: i64) -> Result<bool> {
        let n =
            sqlx::query("INSERT INTO sessions (id, data, expiry_date) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(data)
                .bind(expiry)
                .execute(&self.write)
                .await?
                .rows_affected();
        Ok(n == 1)
    }

    pub async fn session_save(&self, id: &str, data: &[u8], expiry: i64) -> Result<()> {
        sqlx::query("INSERT INTO sessions (id, data, expiry_date) VALUES ($1, $2, $3) ON CONFLICT(id) DO UPDATE SET data = excluded.data, expiry_date = excluded.expiry_date")
            .bind(id)
            .bind(data)
            .bind(expiry)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    pub async fn session_load(&self, id: &str, now: i64) -> Result<Option<Vec<u8>>> {
        Ok(
            sqlx::query_scalar("SELECT data FROM sessions WHERE id = $1 AND expiry_date > $2")
                .bind(id)
                .bind(now)
                .fetch_optional(&self.read)
                .await?,
        )
    }

    pub async fn session_delete(&self, id: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id)
            .execute(&self.write)
            .await?;
        Ok(())
    }

    pub async fn sessions_purge(&self, now: i64) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM sessions WHERE expiry_date <= $1")
            .bind(now)
            .execute(&self.write)
            .await?
            .rows_affected())
    }
}
