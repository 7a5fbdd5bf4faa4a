//! Wards across reorganisations: mergers (`qcdc ward merge`), the successions they
//! record, and what a write needs to know of them (a former ward takes no record dated
//! after its last day). The rules are `domain::lineage`'s; this module reads and writes.

use chrono::NaiveDate;
use domain::lineage::{self, Share, Succession};
use domain::ward::{Ward, WardCode};
use domain::{dates, Code, Input, Kind};
use sqlx::{AnyConnection, Row};

use crate::audit::{Action, AuditEvent, Entity};
use crate::error::{Result, StoreError};
use crate::{now, Actor, Store, WardId};

/// The ward a merger passes wards into: one of the database, or a new one.
#[derive(Debug, Clone)]
pub enum MergeInto {
    Existing(WardId),
    New { code: WardCode, ward: Ward },
}

/// A ward's place in the lineage, for `qcdc ward list` and the ward pages.
#[derive(Debug, Clone, PartialEq)]
pub struct WardLife {
    pub ward: WardId,
    /// The day a merger established it (empty for wards that were there before).
    pub established: Option<NaiveDate>,
    /// Its last day, when it passed into successors.
    pub until: Option<NaiveDate>,
    /// Where it went, and how much of it.
    pub successors: Vec<(WardId, Share)>,
}

fn day(s: &str) -> Result<NaiveDate> {
    dates::parse_date(s).map_err(|_| StoreError::bad_stored_date(s))
}

async fn read_successions(conn: &mut AnyConnection) -> Result<Vec<Succession<WardId>>> {
    let rows = sqlx::query(
        "SELECT predecessor_id, successor_id, on_date, share FROM ward_successions ORDER BY on_date, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let share: String = r.try_get(3)?;
            Ok(Succession {
                predecessor: WardId(r.try_get(0)?),
                successor: WardId(r.try_get(1)?),
                on: day(&r.try_get::<String, _>(2)?)?,
                share: Share::parse(&share).ok_or_else(|| {
                    StoreError::Invariant(format!("unknown stored share {share:?}"))
                })?,
            })
        })
        .collect()
}

/// Whether `ward` ended, as a write sees it: its last day and its successors' names.
pub(crate) async fn ended(
    conn: &mut AnyConnection,
    ward: WardId,
) -> Result<Option<(NaiveDate, String, String)>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT s.on_date, w.name, p.name FROM ward_successions s JOIN wards w ON w.id = s.successor_id \
         JOIN wards p ON p.id = s.predecessor_id WHERE s.predecessor_id = $1 ORDER BY w.name",
    )
    .bind(ward.0)
    .fetch_all(&mut *conn)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let on = rows
        .iter()
        .map(|r| day(&r.0))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .min()
        .unwrap_or(day(&first.0)?);
    let names: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    Ok(Some((
        on.pred_opt().unwrap_or(on),
        first.2.clone(),
        names.join(" và "),
    )))
}

/// The wards whose reports count `ward`'s records (itself, then its successors through
/// whole successions): their submissions lock its records too.
pub(crate) async fn counted_by(conn: &mut AnyConnection, ward: WardId) -> Result<Vec<WardId>> {
    let all = read_successions(conn).await?;
    let mut out = vec![ward];
    let mut i = 0;
    while i < out.len() {
        let current = out[i];
        for s in all
            .iter()
            .filter(|s| s.predecessor == current && s.share == Share::Whole)
        {
            if !out.contains(&s.successor) {
                out.push(s.successor);
            }
        }
        i += 1;
    }
    Ok(out)
}

impl Store {
    /// Every succession of the database (a city has a few hundred at most).
    pub async fn successions(&self) -> Result<Vec<Succession<WardId>>> {
        let mut conn = self.read.acquire().await?;
        read_successions(&mut conn).await
    }

    /// Each ward's dates and successors, by ward id.
    pub async fn ward_lives(&self) -> Result<Vec<WardLife>> {
        let successions = self.successions().await?;
        let rows: Vec<(i64, Option<String>)> =
            sqlx::query_as("SELECT id, established FROM wards ORDER BY id")
                .fetch_all(&self.read)
                .await?;
        rows.into_iter()
            .map(|(id, established)| {
                let ward = WardId(id);
                let out: Vec<&Succession<WardId>> = successions
                    .iter()
                    .filter(|s| s.predecessor == ward)
                    .collect();
                Ok(WardLife {
                    ward,
                    established: established.as_deref().map(day).transpose()?,
                    until: out.iter().map(|s| s.last_day()).min(),
                    successors: out.iter().map(|s| (s.successor, s.share)).collect(),
                })
            })
            .collect()
    }

    /// Records that the wards `from` passed into `into` on `on` (each ending the day
    /// before), wholly or in part, creating `into` when new (established on `on`). One
    /// write: refused, nothing written, when the merger contradicts the recorded ones
    /// (`domain::lineage::check_merger`), when a new code is taken, or when a former
    /// ward still holds live records dated on or after `on` (they would count nowhere).
    pub async fn merge_wards(
        &self,
        actor: &Actor,
        into: &MergeInto,
        on: NaiveDate,
        from: &[(WardId, Share)],
    ) -> Result<WardId> {
        let mut tx = self.begin_write().await?;
        let names: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM wards")
            .fetch_all(&mut *tx)
            .await?;
        let new_name = match into {
            MergeInto::New { ward, .. } => ward.name.clone(),
            MergeInto::Existing(_) => String::new(),
        };
        // a new ward has no id until written: 0 stands for it
        let name = |w: WardId| {
            names
                .iter()
                .find(|(id, _)| *id == w.0)
                .map_or_else(|| new_name.clone(), |(_, n)| n.clone())
        };
        for (w, _) in from {
            if !names.iter().any(|(id, _)| *id == w.0) {
                return Err(StoreError::NotFound);
            }
        }
        let existing = read_successions(&mut tx).await?;
        let successor = match into {
            MergeInto::Existing(w) => {
                if !names.iter().any(|(id, _)| *id == w.0) {
                    return Err(StoreError::NotFound);
                }
                *w
            }
            MergeInto::New { code, .. } => {
                crate::ward::refuse_taken_code(&mut tx, code).await?;
                WardId(0)
            }
        };
        lineage::check_merger(successor, on, from, &existing, name)
            .map_err(StoreError::Conflict)?;
        for (w, _) in from {
            let late = live_records_from(&mut tx, *w, on).await?;
            if late > 0 {
                return Err(StoreError::Conflict(format!(
                    "{} còn {late} bản ghi từ ngày {} trở đi: sau khi sáp nhập chúng không được tính ở đâu. Hãy chuyển các bản ghi này sang phường mới hoặc chọn lại ngày sáp nhập.",
                    name(*w),
                    dates::vn(on)
                )));
            }
        }
        let successor = match into {
            MergeInto::Existing(w) => *w,
            MergeInto::New { code, ward } => {
                let id: i64 = sqlx::query(
                    "INSERT INTO wards (code, name, district, province, established, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(code.as_str())
                .bind(&ward.name)
                .bind(&ward.district)
                .bind(&ward.province)
                .bind(dates::iso(on))
                .bind(now())
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
                let after = Input::new()
                    .with("code", code.to_string())
                    .with("name", ward.name.clone())
                    .with("established", dates::iso(on));
                AuditEvent::new(Entity::Ward, Some(id), Action::Create)
                    .after(&after)
                    .write(&mut tx, Some(WardId(id)), actor)
                    .await?;
                WardId(id)
            }
        };
        for (w, share) in from {
            sqlx::query(
                "INSERT INTO ward_successions (predecessor_id, successor_id, on_date, share, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(w.0)
            .bind(successor.0)
            .bind(dates::iso(on))
            .bind(share.code())
            .bind(now())
            .bind(&actor.username)
            .execute(&mut *tx)
            .await?;
            let note = format!(
                "{} sáp nhập ({}) vào {} từ ngày {}",
                name(*w),
                share.label(),
                if matches!(into, MergeInto::New { .. }) {
                    new_name.clone()
                } else {
                    name(successor)
                },
                dates::vn(on)
            );
            AuditEvent::new(Entity::Ward, Some(w.0), Action::Merge)
                .note(&note)
                .write(&mut tx, Some(*w), actor)
                .await?;
        }
        tx.commit().await?;
        Ok(successor)
    }
}

/// Live records of `ward` dated on or after `on`, over every dated kind.
async fn live_records_from(conn: &mut AnyConnection, ward: WardId, on: NaiveDate) -> Result<i64> {
    let mut n = 0;
    for kind in Kind::ALL {
        let Some(field) = kind.date_column() else {
            continue;
        };
        let d = crate::tables::def(*kind);
        let Some((col, _)) = d.column(field) else {
            continue;
        };
        let sql = format!(
            "SELECT COUNT(*) FROM {} WHERE ward_id = $1 AND deleted_at IS NULL AND {col} >= $2",
            d.table
        );
        let c: i64 = sqlx::query_scalar(&sql)
            .bind(ward.0)
            .bind(dates::iso(on))
            .fetch_one(&mut *conn)
            .await?;
        n += c;
    }
    Ok(n)
}
