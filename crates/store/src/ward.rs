//! The ward's own details: name, names over time, Party-committee terms and named
//! review periods.

use chrono::NaiveDate;
use domain::ward::{NameFrom, PublicityMinimums, ReviewPeriod, Term, Ward};
use domain::{dates, Input};

use crate::audit::{Action, AuditEvent, Entity};
use crate::error::{Result, SetupError, StoreError};
use crate::{now, Actor, Store, WardId};

fn date(s: &str) -> Result<NaiveDate> {
    dates::parse_date(s).map_err(|_| StoreError::bad_stored_date(s))
}

fn ward_input(w: &Ward) -> Input {
    let mut i = Input::new();
    i.set("name", w.name.clone());
    i.set("district", w.district.clone().unwrap_or_default());
    i.set("province", w.province.clone().unwrap_or_default());
    i
}

impl Store {
    /// Creates the ward of a new database; refuses if one exists.
    pub async fn init_ward(&self, actor: &Actor, ward: &Ward) -> Result<WardId> {
        let mut tx = self.begin_write().await?;
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM wards")
            .fetch_one(&mut *tx)
            .await?;
        if n > 0 {
            return Err(SetupError::WardExists.into());
        }
        let id = sqlx::query(
            "INSERT INTO wards (name, district, province, created_at) VALUES (?, ?, ?, ?)",
        )
        .bind(&ward.name)
        .bind(&ward.district)
        .bind(&ward.province)
        .bind(now())
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
        tx.commit_with(
            AuditEvent::new(Entity::Ward, Some(id), Action::Create).after(&ward_input(ward)),
            WardId(id),
            actor,
        )
        .await?;
        Ok(WardId(id))
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
            sqlx::query_as("SELECT name, district, province FROM wards WHERE id = ?")
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
        sqlx::query("UPDATE wards SET name = ?, district = ?, province = ? WHERE id = ?")
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
            sqlx::query_as("SELECT posting_days, broadcast_days FROM wards WHERE id = ?")
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
        sqlx::query("UPDATE wards SET posting_days = ?, broadcast_days = ? WHERE id = ?")
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
            sqlx::query_as("SELECT valid_from, district, superior_body FROM ward_names WHERE ward_id = ? ORDER BY valid_from").bind(ward.0).fetch_all(&self.read).await?;
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
        sqlx::query("INSERT INTO ward_names (ward_id, valid_from, district, superior_body) VALUES (?, ?, ?, ?) ON CONFLICT(ward_id, valid_from) DO UPDATE SET district = excluded.district, superior_body = excluded.superior_body")
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
            sqlx::query_as("SELECT name, start FROM ward_terms WHERE ward_id = ? ORDER BY start")
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
        sqlx::query("DELETE FROM ward_terms WHERE ward_id = ?")
            .bind(ward.0)
            .execute(&mut *tx)
            .await?;
        for t in terms {
            sqlx::query("INSERT INTO ward_terms (ward_id, name, start) VALUES (?, ?, ?)")
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
        let rows: Vec<(String, String, String)> = sqlx::query_as("SELECT name, start, \"end\" FROM review_periods WHERE ward_id = ? ORDER BY start, name").bind(ward.0).fetch_all(&self.read).await?;
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
        sqlx::query("DELETE FROM review_periods WHERE ward_id = ?")
            .bind(ward.0)
            .execute(&mut *tx)
            .await?;
        for p in periods {
            sqlx::query(
                "INSERT INTO review_periods (ward_id, name, start, \"end\") VALUES (?, ?, ?, ?)",
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
                SELECT MIN(date) AS d FROM conferences WHERE ward_id = ?1 AND deleted_at IS NULL UNION ALL SELECT MAX(date) FROM conferences WHERE ward_id = ?1 AND deleted_at IS NULL
                UNION ALL SELECT MIN(date) FROM publicity WHERE ward_id = ?1 AND deleted_at IS NULL UNION ALL SELECT MAX(date) FROM publicity WHERE ward_id = ?1 AND deleted_at IS NULL
                UNION ALL SELECT MIN(date) FROM dialogues WHERE ward_id = ?1 AND deleted_at IS NULL UNION ALL SELECT MAX(date) FROM dialogues WHERE ward_id = ?1 AND deleted_at IS NULL
                UNION ALL SELECT MIN(date) FROM documents WHERE ward_id = ?1 AND deleted_at IS NULL UNION ALL SELECT MAX(date) FROM documents WHERE ward_id = ?1 AND deleted_at IS NULL
                UNION ALL SELECT MIN(date) FROM inspections WHERE ward_id = ?1 AND deleted_at IS NULL UNION ALL SELECT MAX(date) FROM inspections WHERE ward_id = ?1 AND deleted_at IS NULL
                UNION ALL SELECT MIN(date) FROM commendations WHERE ward_id = ?1 AND deleted_at IS NULL UNION ALL SELECT MAX(date) FROM commendations WHERE ward_id = ?1 AND deleted_at IS NULL
            ) WHERE d IS NOT NULL",
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
