//! The ward's own details: name, names over time, Party-committee terms and named
//! review periods.

use chrono::NaiveDate;
use domain::ward::{NameFrom, PublicityMinimums, ReviewPeriod, Term, Ward, WardCode};
use domain::{dates, Input};
use sqlx::Row;

use crate::audit::{Action, AuditEvent, Entity};
use crate::error::{Result, SetupError, StoreError};
use crate::{now, Actor, Store, WardId};

fn date(s: &str) -> Result<NaiveDate> {
    dates::parse_date(s).map_err(|_| StoreError::bad_stored_date(s))
}

/// A ward of the database with its id and code.
#[derive(Debug, Clone, PartialEq)]
pub struct WardEntry {
    pub id: WardId,
    pub code: WardCode,
    pub ward: Ward,
}

/// Refuses, inside the write, a ward code the database already holds.
pub(crate) async fn refuse_taken_code(tx: &mut crate::WriteTx, code: &WardCode) -> Result<()> {
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM wards WHERE code = $1")
        .bind(code.as_str())
        .fetch_optional(&mut **tx)
        .await?;
    match taken {
        Some(_) => Err(StoreError::Conflict(format!(
            "Mã phường «{code}» đã có trong cơ sở dữ liệu này."
        ))),
        None => Ok(()),
    }
}

async fn insert_ward(
    mut tx: crate::WriteTx,
    actor: &Actor,
    code: &WardCode,
    ward: &Ward,
) -> Result<WardId> {
    let id = sqlx::query(
        "INSERT INTO wards (code, name, district, province, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(code.as_str())
    .bind(&ward.name)
    .bind(&ward.district)
    .bind(&ward.province)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?
    .try_get::<i64, _>(0)?;
    let mut after = ward_input(ward);
    after.set("code", code.to_string());
    tx.commit_with(
        AuditEvent::new(Entity::Ward, Some(id), Action::Create).after(&after),
        WardId(id),
        actor,
    )
    .await?;
    Ok(WardId(id))
}

fn ward_input(w: &Ward) -> Input {
    let mut i = Input::new();
    i.set("name", w.name.clone());
    i.set("district", w.district.clone().unwrap_or_default());
    i.set("province", w.province.clone().unwrap_or_default());
    i
}

impl Store {
    /// Creates the ward of a new database; refuses if one exists. Its code is made
    /// from its name unless given.
    pub async fn init_ward(&self, actor: &Actor, ward: &Ward) -> Result<WardId> {
        self.init_ward_coded(actor, ward, None).await
    }

    /// [`Store::init_ward`] with the code given (`qcdc init --code`).
    pub async fn init_ward_coded(
        &self,
        actor: &Actor,
        ward: &Ward,
        code: Option<&WardCode>,
    ) -> Result<WardId> {
        let mut tx = self.begin_write().await?;
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM wards")
            .fetch_one(&mut *tx)
            .await?;
        if n > 0 {
            return Err(SetupError::WardExists.into());
        }
        let code = code
            .cloned()
            .unwrap_or_else(|| WardCode::from_name(&ward.name));
        insert_ward(tx, actor, &code, ward).await
    }

    /// Adds a ward to a database that holds several (a city's); refuses a code taken.
    pub async fn add_ward(&self, actor: &Actor, code: &WardCode, ward: &Ward) -> Result<WardId> {
        let mut tx = self.begin_write().await?;
        refuse_taken_code(&mut tx, code).await?;
        insert_ward(tx, actor, code, ward).await
    }

    /// Every ward, by code.
    pub async fn wards(&self) -> Result<Vec<WardEntry>> {
        type Row = (i64, Option<String>, String, Option<String>, Option<String>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, code, name, district, province FROM wards ORDER BY code, id",
        )
        .fetch_all(&self.read)
        .await?;
        rows.into_iter()
            .map(|(id, code, name, district, province)| {
                let code = code.unwrap_or_else(|| WardCode::from_name(&name).to_string());
                Ok(WardEntry {
                    id: WardId(id),
                    code: WardCode::parse(&code).map_err(StoreError::Invariant)?,
                    ward: Ward {
                        name,
                        district,
                        province,
                    },
                })
            })
            .collect()
    }

    /// The ward with this code.
    pub async fn ward_by_code(&self, code: &WardCode) -> Result<Option<WardId>> {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM wards WHERE code = $1")
            .bind(code.as_str())
            .fetch_optional(&self.read)
            .await?;
        Ok(id.map(WardId))
    }

    /// Gives every ward without a code (made before migration 0007) one made from its
    /// name, made unique with a number; in one write, only when some ward lacks one.
    pub(crate) async fn fill_ward_codes(&self) -> Result<()> {
        let missing: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM wards WHERE code IS NULL ORDER BY id")
                .fetch_all(&self.read)
                .await?;
        if missing.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for (id, name) in missing {
            let base = WardCode::from_name(&name).to_string();
            let mut code = base.clone();
            let mut n = 1;
            loop {
                let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM wards WHERE code = $1")
                    .bind(&code)
                    .fetch_optional(&mut *tx)
                    .await?;
                if taken.is_none() {
                    break;
                }
                n += 1;
                code = format!("{}-{n}", &base[..base.len().min(36)]);
            }
            sqlx::query("UPDATE wards SET code = $1 WHERE id = $2")
                .bind(&code)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    }

    /// The first ward, if the database has been initialised.
    pub async fn default_ward(&self) -> Result<Option<WardId>> {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM wards ORDER BY id LIMIT 1")
            .fetch_optional(&self.read)
            .await?;
        Ok(id.map(WardId))
    }

    pub async fn ward(&self, ward: WardId) -> Result<Ward> {
        let (name, district, province): (String, Option<String>, Option<String>) =
            sqlx::query_as("SELECT name, district, province FROM wards WHERE id = $1")
                .bind(ward.0)
                .fetch_optional(&self.read)
                .await?
                .ok_or(StoreError::NotFound)?;
        Ok(Ward {
            name,
            district,
            province,
        })
    }

    pub async fn update_ward(&self, ward: WardId, actor: &Actor, w: &Ward) -> Result<()> {
        let before = self.ward(ward).await?;
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE wards SET name = $1, district = $2, province = $3 WHERE id = $4")
            .bind(&w.name)
            .bind(&w.district)
            .bind(&w.province)
            .bind(ward.0)
            .execute(&mut *tx)
            .await?;
        tx.commit_with(
            AuditEvent::new(Entity::Ward, Some(ward.0), Action::Update)
                .before(&ward_input(&before))
                .after(&ward_input(w)),
            ward,
            actor,
        )
        .await?;
        Ok(())
    }

    /// Days a posting must stay up (DOMAIN §3; configurable per ward).
    pub async fn posting_days(&self, ward: WardId) -> Result<i64> {
        Ok(i64::from(self.publicity_minimums(ward).await?.posting_days))
    }

    /// How long publicity must last in this ward (the defaults when unknown).
    pub async fn publicity_minimums(&self, ward: WardId) -> Result<PublicityMinimums> {
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT posting_days, broadcast_days FROM wards WHERE id = $1")
                .bind(ward.0)
                .fetch_optional(&self.read)
                .await?;
        let days = |v: i64| u32::try_from(v).map_err(|e| StoreError::Invariant(e.to_string()));
        Ok(match row {
            Some((posting, broadcast)) => PublicityMinimums {
                posting_days: days(posting)?,
                broadcast_days: days(broadcast)?,
            },
            None => PublicityMinimums::default(),
        })
    }

    /// Sets the ward's publicity minimums, audited with before and after.
    pub async fn set_publicity_minimums(
        &self,
        ward: WardId,
        actor: &Actor,
        m: &PublicityMinimums,
    ) -> Result<()> {
        let before = self.publicity_minimums(ward).await?;
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE wards SET posting_days = $1, broadcast_days = $2 WHERE id = $3")
            .bind(i64::from(m.posting_days))
            .bind(i64::from(m.broadcast_days))
            .bind(ward.0)
            .execute(&mut *tx)
            .await?;
        tx.commit_with(
            AuditEvent::new(Entity::Ward, Some(ward.0), Action::Update)
                .before(&before.to_input())
                .after(&m.to_input()),
            ward,
            actor,
        )
        .await
    }

    pub async fn ward_names(&self, ward: WardId) -> Result<Vec<NameFrom>> {
        let rows: Vec<(String, Option<String>, Option<String>)> =
            sqlx::query_as("SELECT valid_from, district, superior_body FROM ward_names WHERE ward_id = $1 ORDER BY valid_from").bind(ward.0).fetch_all(&self.read).await?;
        rows.into_iter()
            .map(|(f, district, superior_body)| {
                Ok(NameFrom {
                    from: date(&f)?,
                    district,
                    superior_body,
                })
            })
            .collect()
    }

    pub async fn set_ward_name_from(
        &self,
        ward: WardId,
        actor: &Actor,
        n: &NameFrom,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO ward_names (ward_id, valid_from, district, superior_body) VALUES ($1, $2, $3, $4) ON CONFLICT(ward_id, valid_from) DO UPDATE SET district = excluded.district, superior_body = excluded.superior_body")
            .bind(ward.0)
            .bind(dates::iso(n.from))
            .bind(&n.district)
            .bind(&n.superior_body)
            .execute(&mut *tx)
            .await?;
        let after: Input = [
            ("valid_from", dates::iso(n.from)),
            ("district", n.district.clone().unwrap_or_default()),
            ("superior_body", n.superior_body.clone().unwrap_or_default()),
        ]
        .into_iter()
        .collect();
        tx.commit_with(
            AuditEvent::new(Entity::WardNames, None, Action::Set).after(&after),
            ward,
            actor,
        )
        .await?;
        Ok(())
    }

    /// The ward's terms in order; the defaults of domain when none are configured.
    pub async fn terms(&self, ward: WardId) -> Result<Vec<Term>> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT name, start FROM ward_terms WHERE ward_id = $1 ORDER BY start")
                .bind(ward.0)
                .fetch_all(&self.read)
                .await?;
        if rows.is_empty() {
            return Ok(domain::ward::default_terms());
        }
        rows.into_iter()
            .map(|(name, s)| {
                Ok(Term {
                    name,
                    start: date(&s)?,
                })
            })
            .collect()
    }

    /// Replaces the ward's terms (an empty list returns to the defaults).
    pub async fn set_terms(&self, ward: WardId, actor: &Actor, terms: &[Term]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM ward_terms WHERE ward_id = $1")
            .bind(ward.0)
            .execute(&mut *tx)
            .await?;
        for t in terms {
            sqlx::query("INSERT INTO ward_terms (ward_id, name, start) VALUES ($1, $2, $3)")
                .bind(ward.0)
                .bind(&t.name)
                .bind(dates::iso(t.start))
                .execute(&mut *tx)
                .await
                .map_err(|_| {
                    StoreError::field("terms", "Tên hoặc ngày bắt đầu nhiệm kỳ bị trùng.")
                })?;
        }
        let note = terms
            .iter()
            .map(|t| format!("{} từ {}", t.name, dates::vn(t.start)))
            .collect::<Vec<_>>()
            .join("; ");
        tx.commit_with(
            AuditEvent::new(Entity::WardTerms, None, Action::Set).note(&note),
            ward,
            actor,
        )
        .await?;
        Ok(())
    }

    pub async fn review_periods(&self, ward: WardId) -> Result<Vec<ReviewPeriod>> {
        let rows: Vec<(String, String, String)> = sqlx::query_as("SELECT name, start, \"end\" FROM review_periods WHERE ward_id = $1 ORDER BY start, name").bind(ward.0).fetch_all(&self.read).await?;
        rows.into_iter()
            .map(|(name, s, e)| {
                Ok(ReviewPeriod {
                    name,
                    start: date(&s)?,
                    end: date(&e)?,
                })
            })
            .collect()
    }

    pub async fn set_review_periods(
        &self,
        ward: WardId,
        actor: &Actor,
        periods: &[ReviewPeriod],
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM review_periods WHERE ward_id = $1")
            .bind(ward.0)
            .execute(&mut *tx)
            .await?;
        for p in periods {
            sqlx::query(
                "INSERT INTO review_periods (ward_id, name, start, \"end\") VALUES ($1, $2, $3, $4)",
            )
            .bind(ward.0)
            .bind(&p.name)
            .bind(dates::iso(p.start))
            .bind(dates::iso(p.end))
            .execute(&mut *tx)
            .await
            .map_err(|_| StoreError::field("periods", "Tên giai đoạn bị trùng."))?;
        }
        let note = periods
            .iter()
            .map(|p| format!("{}: {}–{}", p.name, dates::vn(p.start), dates::vn(p.end)))
            .collect::<Vec<_>>()
            .join("; ");
        tx.commit_with(
            AuditEvent::new(Entity::ReviewPeriods, None, Action::Set).note(&note),
            ward,
            actor,
        )
        .await?;
        Ok(())
    }

    /// The first and last dates of any live activity, for "the whole history".
    pub async fn history_span(&self, ward: WardId) -> Result<Option<(NaiveDate, NaiveDate)>> {
        let row: (Option<String>, Option<String>) = sqlx::query_as(
            "SELECT MIN(d), MAX(d) FROM (
                SELECT MIN(date) AS d FROM conferences WHERE ward_id = $1 AND deleted_at IS NULL UNION ALL SELECT MAX(date) FROM conferences WHERE ward_id = $1 AND deleted_at IS NULL
                UNION ALL SELECT MIN(date) FROM publicity WHERE ward_id = $1 AND deleted_at IS NULL UNION ALL SELECT MAX(date) FROM publicity WHERE ward_id = $1 AND deleted_at IS NULL
                UNION ALL SELECT MIN(date) FROM dialogues WHERE ward_id = $1 AND deleted_at IS NULL UNION ALL SELECT MAX(date) FROM dialogues WHERE ward_id = $1 AND deleted_at IS NULL
                UNION ALL SELECT MIN(date) FROM documents WHERE ward_id = $1 AND deleted_at IS NULL UNION ALL SELECT MAX(date) FROM documents WHERE ward_id = $1 AND deleted_at IS NULL
                UNION ALL SELECT MIN(date) FROM inspections WHERE ward_id = $1 AND deleted_at IS NULL UNION ALL SELECT MAX(date) FROM inspections WHERE ward_id = $1 AND deleted_at IS NULL
                UNION ALL SELECT MIN(date) FROM commendations WHERE ward_id = $1 AND deleted_at IS NULL UNION ALL SELECT MAX(date) FROM commendations WHERE ward_id = $1 AND deleted_at IS NULL
            ) AS spans WHERE d IS NOT NULL",
        )
        .bind(ward.0)
        .fetch_one(&self.read)
        .await?;
        match row {
            (Some(a), Some(b)) => Ok(Some((date(&a)?, date(&b)?))),
            _ => Ok(None),
        }
    }
}
