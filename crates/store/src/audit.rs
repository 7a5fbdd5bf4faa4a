//! The audit log: who changed what and when, with before/after values, written in the
//! same transaction as the change it records.

use domain::{Input, Kind};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::bind::{bind_all, numbered, Bind};
use crate::error::Result;
use crate::stored::Page;
use crate::{now, Actor, Store, WardId};

#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    /// An [`Entity`] code: a record kind's (`conferences`), or `user`, `ward`...
    pub entity: String,
    pub entity_id: Option<i64>,
    /// An [`Action`] code: create, update, delete, restore, import...
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

fn entry_from_row(r: &AnyRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.try_get(0)?,
        at: r.try_get(1)?,
        actor: r.try_get(2)?,
        entity: r.try_get(3)?,
        entity_id: r.try_get(4)?,
        action: r.try_get(5)?,
        before: from_json(r.try_get(6)?),
        after: from_json(r.try_get(7)?),
        note: r.try_get(8)?,
    })
}

/// What an audit entry is about: a record kind, or one of the ward's and the
/// application's own objects. The codes are those stored in `audit_log.entity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    /// A record of a kind; stored as the kind's code (`conferences`).
    Record(Kind),
    User,
    Ward,
    WardNames,
    WardTerms,
    ReviewPeriods,
    ReviewDrafts,
    /// A submitted period (`submissions`).
    Submissions,
}

impl Entity {
    pub fn code(self) -> &'static str {
        match self {
            Entity::Record(kind) => kind.code(),
            Entity::User => "user",
            Entity::Ward => "ward",
            Entity::WardNames => "ward_names",
            Entity::WardTerms => "ward_terms",
            Entity::ReviewPeriods => "review_periods",
            Entity::ReviewDrafts => "review_drafts",
            Entity::Submissions => "submissions",
        }
    }
}

/// What was done. The codes are those stored in `audit_log.action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Delete,
    Restore,
    /// A batch of records from a file (one entry per import).
    Import,
    /// An import undone: its records soft-deleted together.
    UndoImport,
    /// A generated sample ward (`qcdc generate`).
    Generate,
    /// A ward setting replaced as a whole (names, terms, review periods).
    Set,
    /// A ward copied in from another database (`qcdc transfer`).
    Transfer,
    /// Wards passed into a successor (`qcdc ward merge`).
    Merge,
    /// A period's report submitted (frozen).
    Submit,
    /// A submitted period reopened, with its reason.
    Reopen,
    Login,
    Password,
    Role,
    Disable,
    Enable,
}

impl Action {
    pub fn code(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::Restore => "restore",
            Action::Import => "import",
            Action::UndoImport => "undo_import",
            Action::Generate => "generate",
            Action::Set => "set",
            Action::Transfer => "transfer",
            Action::Merge => "merge",
            Action::Submit => "submit",
            Action::Reopen => "reopen",
            Action::Login => "login",
            Action::Password => "password",
            Action::Role => "role",
            Action::Disable => "disable",
            Action::Enable => "enable",
        }
    }
}

/// One entry to write: what, which one, what was done, and the values before and after.
/// Built with [`AuditEvent::new`] and the setters, then written with
/// [`AuditEvent::write`] inside the transaction of the change it records (or by
/// [`Store::audit_event`] for events that change nothing else).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AuditEvent<'a> {
    pub entity: Entity,
    pub entity_id: Option<i64>,
    pub action: Action,
    pub before: Option<&'a Input>,
    pub after: Option<&'a Input>,
    pub note: Option<&'a str>,
}

impl<'a> AuditEvent<'a> {
    pub fn new(entity: Entity, entity_id: Option<i64>, action: Action) -> Self {
        AuditEvent {
            entity,
            entity_id,
            action,
            before: None,
            after: None,
            note: None,
        }
    }

    /// An update of `id`, with its values before and after.
    pub fn updated(entity: Entity, id: i64, before: &'a Input, after: &'a Input) -> Self {
        Self::new(entity, Some(id), Action::Update)
            .before(before)
            .after(after)
    }

    pub fn before(mut self, before: impl Into<Option<&'a Input>>) -> Self {
        self.before = before.into();
        self
    }

    pub fn after(mut self, after: impl Into<Option<&'a Input>>) -> Self {
        self.after = after.into();
        self
    }

    pub fn note(mut self, note: &'a str) -> Self {
        self.note = Some(note);
        self
    }

    /// Writes the entry on `conn`: the caller's transaction, so that the entry and the
    /// change stand or fall together. `ward` is `None` for a change of the city's (a
    /// city account), which every ward's log shows.
    pub(crate) async fn write(
        &self,
        conn: &mut AnyConnection,
        ward: Option<WardId>,
        actor: &Actor,
    ) -> Result<()> {
        sqlx::query("INSERT INTO audit_log (ward_id, at, actor, entity, entity_id, action, before, after, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(ward.map(|w| w.0))
            .bind(now())
            .bind(&actor.username)
            .bind(self.entity.code())
            .bind(self.entity_id)
            .bind(self.action.code())
            .bind(to_json(self.before))
            .bind(to_json(self.after))
            .bind(self.note)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
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
            sqlx::query(&numbered(format!(
                "SELECT COUNT(*) FROM audit_log WHERE {wsql}"
            ))),
            &b,
        )
        .try_map(|r: AnyRow| r.try_get(0))
        .fetch_one(&self.read)
        .await?;
        let per_page = if f.per_page == 0 { 50 } else { f.per_page };
        let page = f.page.max(1);
        let sql = format!(
            "SELECT id, at, actor, entity, entity_id, action, before, after, note FROM audit_log WHERE {wsql} ORDER BY id DESC LIMIT {per_page} OFFSET {}",
            (page as i64 - 1) * per_page as i64
        );
        let rows = bind_all(sqlx::query(&numbered(sql)), &b)
            .fetch_all(&self.read)
            .await?;
        let items = rows
            .iter()
            .map(entry_from_row)
            .collect::<Result<Vec<_>>>()?;
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
        event: AuditEvent<'_>,
    ) -> Result<()> {
        let mut conn = self.write.acquire().await?;
        event.write(&mut conn, Some(ward), actor).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stored codes are data: changing one would split the log's history.
    #[test]
    fn codes_are_those_already_stored() {
        let actions = [
            (Action::Create, "create"),
            (Action::Update, "update"),
            (Action::Delete, "delete"),
            (Action::Restore, "restore"),
            (Action::Import, "import"),
            (Action::UndoImport, "undo_import"),
            (Action::Generate, "generate"),
            (Action::Set, "set"),
            (Action::Transfer, "transfer"),
            (Action::Merge, "merge"),
            (Action::Login, "login"),
            (Action::Password, "password"),
            (Action::Role, "role"),
            (Action::Disable, "disable"),
            (Action::Enable, "enable"),
        ];
        for (a, code) in actions {
            assert_eq!(a.code(), code);
        }
        let entities = [
            (Entity::Record(Kind::Conferences), "conferences"),
            (Entity::Record(Kind::HotSpots), "hot_spots"),
            (Entity::User, "user"),
            (Entity::Ward, "ward"),
            (Entity::WardNames, "ward_names"),
            (Entity::WardTerms, "ward_terms"),
            (Entity::ReviewPeriods, "review_periods"),
            (Entity::ReviewDrafts, "review_drafts"),
        ];
        for (e, code) in entities {
            assert_eq!(e.code(), code);
        }
    }
}
