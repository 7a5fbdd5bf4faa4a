//! The audit log: who changed what and when, with before/after values, written in the
//! same transaction as the change it records.

use domain::Input;
use sqlx::SqliteConnection;

use crate::error::Result;
use crate::records::{bind_all, Bind, Page};
use crate::{now, Actor, Store, WardId};

#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    /// The record kind code (`conferences`), or `user`, `ward`, `import`...
    pub entity: String,
    pub entity_id: Option<i64>,
    /// create, update, delete, restore, import, ...
    pub action: String,
    pub before: Option<Input>,
    pub after: Option<Input>,
    pub note: Option<String>,
}

fn to_json(i: Option<&Input>) -> Option<String> {
    i.map(|i| serde_json::to_string(&i.0).unwrap_or_default())
}

fn from_json(s: Option<String>) -> Option<Input> {
    s.and_then(|s| serde_json::from_str(&s).ok()).map(Input)
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn write(
    conn: &mut SqliteConnection,
    ward: crate::WardId,
    actor: &Actor,
    entity: &str,
    entity_id: Option<i64>,
    action: &str,
    before: Option<&Input>,
    after: Option<&Input>,
    note: Option<&str>,
) -> Result<()> {
    sqlx::query("INSERT INTO audit_log (ward_id, at, actor, entity, entity_id, action, before, after, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(ward.0)
        .bind(now())
        .bind(&actor.username)
        .bind(entity)
        .bind(entity_id)
        .bind(action)
        .bind(to_json(before))
        .bind(to_json(after))
        .bind(note)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub actor: Option<String>,
    pub page: u32,
    pub per_page: u32,
}

impl Store {
    pub async fn audit(&self, ward: WardId, f: &AuditFilter) -> Result<Page<AuditEntry>> {
        let mut w = vec!["(ward_id = ? OR ward_id IS NULL)".to_string()];
        let mut b = vec![Bind::Int(ward.0)];
        if let Some(e) = &f.entity {
            w.push("entity = ?".into());
            b.push(Bind::Text(e.clone()));
        }
        if let Some(id) = f.entity_id {
            w.push("entity_id = ?".into());
            b.push(Bind::Int(id));
        }
        if let Some(a) = &f.actor {
            w.push("actor = ?".into());
            b.push(Bind::Text(a.clone()));
        }
        let wsql = w.join(" AND ");
        let total: i64 = bind_all(
            sqlx::query(&format!("SELECT COUNT(*) FROM audit_log WHERE {wsql}")),
            &b,
        )
        .try_map(|r: sqlx::sqlite::SqliteRow| sqlx::Row::try_get(&r, 0))
        .fetch_one(&self.read)
        .await?;
        let per_page = if f.per_page == 0 { 50 } else { f.per_page };
        let page = f.page.max(1);
        let sql = format!(
            "SELECT id, at, actor, entity, entity_id, action, before, after, note FROM audit_log WHERE {wsql} ORDER BY id DESC LIMIT {per_page} OFFSET {}",
            (page as i64 - 1) * per_page as i64
        );
        type Row = (
            i64,
            String,
            String,
            String,
            Option<i64>,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Row> = {
            let mut q = sqlx::query_as::<_, Row>(&sql);
            for x in &b {
                q = match x {
                    Bind::Text(s) => q.bind(s.clone()),
                    Bind::Int(i) => q.bind(*i),
                    Bind::Null => q.bind(None::<String>),
                };
            }
            q.fetch_all(&self.read).await?
        };
        let items = rows
            .into_iter()
            .map(
                |(id, at, actor, entity, entity_id, action, before, after, note)| AuditEntry {
                    id,
                    at,
                    actor,
                    entity,
                    entity_id,
                    action,
                    before: from_json(before),
                    after: from_json(after),
                    note,
                },
            )
            .collect();
        Ok(Page {
            items,
            total: total as u64,
            sum: None,
            page,
            per_page,
        })
    }

    /// Records an event that is not a record change (login, account change, export).
    pub async fn audit_event(
        &self,
        ward: WardId,
        actor: &Actor,
        entity: &str,
        entity_id: Option<i64>,
        action: &str,
        note: Option<&str>,
    ) -> Result<()> {
        let mut conn = self.write.acquire().await?;
        write(
            &mut conn, ward, actor, entity, entity_id, action, None, None, note,
        )
        .await
    }
}
