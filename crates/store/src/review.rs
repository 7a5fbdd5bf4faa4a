//! Review drafts: the saved meta and written sections of a "báo cáo tổng kết". Only
//! what the committee types is stored; the figures are composed from the records each
//! time, so a draft cannot drift from the report. Every change is audited in the same
//! transaction, as for records.

use domain::review::ReviewDraft;
use domain::Input;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::audit::{Action, AuditEvent, Entity};
use crate::bind::{bind_all, numbered, Bind};
use crate::error::{Result, StoreError};
use crate::stored::{Meta, Stored};
use crate::{now, Actor, Store, WardId};

/// Draft field (as in `ReviewDraft::to_input`) → column. `from`/`to` are renamed
/// because they are SQL keywords.
const COLS: &[(&str, &str)] = &[
    ("kind", "kind"),
    ("title", "title"),
    ("number", "number"),
    ("date", "date"),
    ("place", "place"),
    ("on_behalf", "on_behalf"),
    ("signer_title", "signer_title"),
    ("signer_name", "signer_name"),
    ("from", "range_from"),
    ("to", "range_to"),
    ("limitations", "limitations"),
    ("causes", "causes"),
    ("lessons", "lessons"),
    ("directions", "directions"),
    ("recommendations", "recommendations"),
    ("recipients", "recipients"),
];

/// The meta columns as [`Meta::read`] reads them; drafts are never imported.
const META: &str = "created_at, created_by, updated_at, updated_by, deleted_at, deleted_by, NULL";

fn select_list() -> String {
    COLS.iter().map(|(_, c)| *c).collect::<Vec<_>>().join(", ")
}

/// Canonical text to binds; empty optional fields are stored as NULL.
fn binds(input: &Input) -> Vec<Bind> {
    COLS.iter()
        .map(|(f, _)| match input.get(f) {
            "" => Bind::NullText,
            v => Bind::Text(v.to_string()),
        })
        .collect()
}

fn read_input(row: &AnyRow, at: usize) -> Result<Input> {
    let mut input = Input::new();
    for (i, (field, _)) in COLS.iter().enumerate() {
        let v: Option<String> = row.try_get(at + i)?;
        input.set(field, v.unwrap_or_default());
    }
    Ok(input)
}

fn from_row(row: &AnyRow) -> Result<Stored<ReviewDraft>> {
    let id: i64 = row.try_get(0)?;
    let input = read_input(row, 1)?;
    let at = 1 + COLS.len();
    let meta = Meta::read(row, at)?;
    let ward: i64 = row.try_get(at + 7)?;
    let record = ReviewDraft::parse(&input).map_err(|e| {
        StoreError::Invariant(format!("stored review draft {id} fails validation: {e}"))
    })?;
    Ok(Stored {
        id,
        parent_id: None,
        ward: WardId(ward),
        record,
        meta,
    })
}

async fn live_input(conn: &mut AnyConnection, ward: WardId, id: i64) -> Result<Input> {
    let sql = format!(
        "SELECT {} FROM review_drafts WHERE ward_id = ? AND id = ? AND deleted_at IS NULL",
        select_list()
    );
    let row = sqlx::query(&numbered(sql))
        .bind(ward.0)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    read_input(&row, 0)
}

impl Store {
    /// Saves a new draft; returns its id.
    pub async fn create_review_draft(
        &self,
        ward: WardId,
        actor: &Actor,
        draft: &ReviewDraft,
    ) -> Result<i64> {
        let input = draft.to_input();
        let mut b = vec![Bind::Int(ward.0)];
        b.extend(binds(&input));
        let at = now();
        for _ in 0..2 {
            b.push(Bind::Text(at.clone()));
            b.push(Bind::Text(actor.username.clone()));
        }
        let sql = format!(
            "INSERT INTO review_drafts (ward_id, {}, created_at, created_by, updated_at, updated_by) VALUES ({}) RETURNING id",
            select_list(),
            vec!["?"; 1 + COLS.len() + 4].join(", ")
        );
        let mut tx = self.begin_write().await?;
        let id = bind_all(sqlx::query(&numbered(sql)), &b)
            .fetch_one(&mut *tx)
            .await?
            .try_get::<i64, _>(0)?;
        tx.commit_with(
            AuditEvent::new(Entity::ReviewDrafts, Some(id), Action::Create).after(&input),
            ward,
            actor,
        )
        .await?;
        Ok(id)
    }

    /// A draft by id, deleted or not (check `meta.deleted_at`).
    pub async fn review_draft(&self, ward: WardId, id: i64) -> Result<Stored<ReviewDraft>> {
        let sql = format!(
            "SELECT id, {}, {META}, ward_id FROM review_drafts WHERE ward_id = ? AND id = ?",
            select_list()
        );
        let row = crate::bind::row_by_id(&self.read, &sql, ward, id).await?;
        from_row(&row)
    }

    /// The ward's live drafts, the latest report date first.
    pub async fn review_drafts(&self, ward: WardId) -> Result<Vec<Stored<ReviewDraft>>> {
        let sql = format!(
            "SELECT id, {}, {META}, ward_id FROM review_drafts WHERE ward_id = ? AND deleted_at IS NULL ORDER BY date DESC, id DESC",
            select_list()
        );
        let rows = sqlx::query(&numbered(sql))
            .bind(ward.0)
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// Replaces a live draft's fields; the audit entry keeps before and after.
    pub async fn update_review_draft(
        &self,
        ward: WardId,
        actor: &Actor,
        id: i64,
        draft: &ReviewDraft,
    ) -> Result<()> {
        let after = draft.to_input();
        let mut b = binds(&after);
        b.push(Bind::Text(now()));
        b.push(Bind::Text(actor.username.clone()));
        b.push(Bind::Int(ward.0));
        b.push(Bind::Int(id));
        let sets: Vec<String> = COLS.iter().map(|(_, c)| format!("{c} = ?")).collect();
        let sql = format!(
            "UPDATE review_drafts SET {}, updated_at = ?, updated_by = ? WHERE ward_id = ? AND id = ? AND deleted_at IS NULL",
            sets.join(", ")
        );
        let mut tx = self.begin_write().await?;
        let before = live_input(&mut tx, ward, id).await?;
        bind_all(sqlx::query(&numbered(sql)), &b)
            .execute(&mut *tx)
            .await?;
        let event = AuditEvent::updated(Entity::ReviewDrafts, id, &before, &after);
        tx.commit_with(event, ward, actor).await
    }
}
