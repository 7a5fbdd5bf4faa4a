//! The counts behind "completeness at a glance" (`domain::completeness` shapes them): a
//! ward's records per residential group, year and activity; its back-filled records
//! with and without a source, per kind and year; and a city's records entered and
//! periods submitted and reopened, per ward and month (Vietnam time).

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::completeness::{Activity, Group, Month, MonthCounts, SourceShare};
use domain::submission::Submission;
use domain::{dates, Kind};
use sqlx::Row;

use crate::bind::{bind_all, numbered, Bind};
use crate::error::{Result, StoreError};
use crate::tables::def;
use crate::{Store, WardId};

/// `2026-03` → the first instant of the month in Vietnam (UTC+7), as stored timestamps
/// are written: `2026-02-28T17:00:00Z`.
fn vietnam_month_start(first: NaiveDate) -> String {
    let before = first.pred_opt().unwrap_or(first);
    format!("{}T17:00:00Z", dates::iso(before))
}

/// A year read from `SUBSTR(date, 1, 4)`.
fn year(s: &str) -> Result<i32> {
    s.parse()
        .map_err(|_| StoreError::Invariant(format!("bad stored year {s:?}")))
}

impl Store {
    /// The ward's live residential groups.
    pub async fn groups_for_completeness(&self, ward: WardId) -> Result<Vec<Group>> {
        type GroupRow = (i64, i64, String, Option<String>, Option<String>);
        let rows: Vec<GroupRow> = sqlx::query_as(
            "SELECT id, number, name, established, dissolved FROM residential_groups WHERE ward_id = $1 AND deleted_at IS NULL ORDER BY number",
        )
        .bind(ward.0)
        .fetch_all(&self.read)
        .await?;
        let day = |s: Option<String>| s.and_then(|s| dates::parse_date(&s).ok());
        Ok(rows
            .into_iter()
            .map(|(id, number, name, established, dissolved)| Group {
                id,
                number: number as u32,
                name,
                established: day(established),
                dissolved: day(dissolved),
            })
            .collect())
    }

    /// Live records naming a group, by (group id, year, activity), dated `from`–`to`.
    pub async fn group_activity(
        &self,
        ward: WardId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<HashMap<(i64, i32, Activity), i64>> {
        let mut out = HashMap::new();
        for a in Activity::ALL {
            let sql = format!(
                "SELECT residential_group_id, SUBSTR(date, 1, 4), COUNT(*) FROM {} \
                 WHERE ward_id = $1 AND deleted_at IS NULL AND residential_group_id IS NOT NULL \
                 AND date BETWEEN $2 AND $3 GROUP BY residential_group_id, SUBSTR(date, 1, 4)",
                def(a.kind()).table
            );
            let rows: Vec<(i64, String, i64)> = sqlx::query_as(&sql)
                .bind(ward.0)
                .bind(dates::iso(from))
                .bind(dates::iso(to))
                .fetch_all(&self.read)
                .await?;
            for (group, y, n) in rows {
                out.insert((group, year(&y)?, a), n);
            }
        }
        Ok(out)
    }

    /// Per kind with a source and year (dated `from`–`to`): live records entered after
    /// their year ended (Vietnam time: `created_at` from 31/12 17:00 UTC of the record's
    /// year on), and how many of them name a source.
    pub async fn source_shares(
        &self,
        ward: WardId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SourceShare>> {
        let mut out = Vec::new();
        for kind in domain::completeness::sourced_kinds() {
            let Some(date) = kind.date_column() else {
                continue;
            };
            let d = def(kind);
            let (col, _) = d
                .column(date)
                .ok_or_else(|| StoreError::Invariant(format!("{} has no {date}", d.table)))?;
            let sql = format!(
                "SELECT SUBSTR({col}, 1, 4), COUNT(*), \
                 CAST(SUM(CASE WHEN source IS NOT NULL AND TRIM(source) <> '' THEN 1 ELSE 0 END) AS BIGINT) \
                 FROM {} WHERE ward_id = $1 AND deleted_at IS NULL AND {col} BETWEEN $2 AND $3 \
                 AND created_at >= SUBSTR({col}, 1, 4) || '-12-31T17:00:00Z' \
                 GROUP BY SUBSTR({col}, 1, 4) ORDER BY SUBSTR({col}, 1, 4)",
                d.table
            );
            let rows: Vec<(String, i64, i64)> = sqlx::query_as(&sql)
                .bind(ward.0)
                .bind(dates::iso(from))
                .bind(dates::iso(to))
                .fetch_all(&self.read)
                .await?;
            for (y, backfilled, documented) in rows {
                out.push(SourceShare {
                    kind,
                    year: year(&y)?,
                    backfilled,
                    documented,
                });
            }
        }
        Ok(out)
    }

    /// Per ward and month (index into `months`, each to the next's start or, for the
    /// last, the month after it): records entered (every kind, deleted since or not),
    /// periods submitted, periods reopened.
    pub async fn city_months(
        &self,
        months: &[Month],
    ) -> Result<HashMap<(WardId, usize), MonthCounts>> {
        let mut out: HashMap<(WardId, usize), MonthCounts> = HashMap::new();
        if months.is_empty() {
            return Ok(out);
        }
        let mut binds = Vec::with_capacity(months.len() * 3);
        for (i, m) in months.iter().enumerate() {
            let next = m
                .first
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(m.first);
            binds.push(Bind::Int(i as i64));
            binds.push(Bind::Text(vietnam_month_start(m.first)));
            binds.push(Bind::Text(vietnam_month_start(next)));
        }
        let cte = format!(
            "WITH m(i, s, e) AS (VALUES {})",
            vec!["(?, ?, ?)"; months.len()].join(", ")
        );
        let tables: Vec<String> = Kind::ALL
            .iter()
            .map(|k| format!("SELECT ward_id, created_at FROM {}", def(*k).table))
            .collect();
        let sql = format!(
            "{cte} SELECT t.ward_id, m.i, COUNT(*) FROM m JOIN ({}) t \
             ON t.created_at >= m.s AND t.created_at < m.e GROUP BY t.ward_id, m.i",
            tables.join(" UNION ALL ")
        );
        for r in bind_all(sqlx::query(&numbered(sql)), &binds)
            .fetch_all(&self.read)
            .await?
        {
            let (w, i, n): (i64, i64, i64) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            out.entry((WardId(w), i as usize)).or_default().entered = n;
        }
        let sql = format!(
            "{cte} SELECT s.ward_id, m.i, \
             CAST(SUM(CASE WHEN s.submitted_at >= m.s AND s.submitted_at < m.e THEN 1 ELSE 0 END) AS BIGINT), \
             CAST(SUM(CASE WHEN s.reopened_at >= m.s AND s.reopened_at < m.e THEN 1 ELSE 0 END) AS BIGINT) \
             FROM m CROSS JOIN submissions s GROUP BY s.ward_id, m.i"
        );
        for r in bind_all(sqlx::query(&numbered(sql)), &binds)
            .fetch_all(&self.read)
            .await?
        {
            let (w, i): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
            let (submitted, reopened): (i64, i64) = (r.try_get(2)?, r.try_get(3)?);
            if submitted > 0 || reopened > 0 {
                let c = out.entry((WardId(w), i as usize)).or_default();
                c.submitted = submitted;
                c.reopened = reopened;
            }
        }
        Ok(out)
    }

    /// Every ward's submissions (for who is late).
    pub async fn all_submissions(&self) -> Result<Vec<(WardId, Submission)>> {
        let mut out = Vec::new();
        for w in self.wards().await? {
            for s in self.submissions(w.id).await? {
                out.push((w.id, s));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vietnam_month_starts_at_17_utc_the_day_before() {
        let first = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
        assert_eq!(vietnam_month_start(first), "2026-02-28T17:00:00Z");
    }
}
