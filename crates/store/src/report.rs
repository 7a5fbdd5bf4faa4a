//! The aggregate queries behind the summary report: one query per indicator family,
//! grouped by period in SQL over a VALUES grid of the periods' date ranges. Each query
//! is a range scan on a partial covering index (`*_report` in the schema), so the
//! cost grows with the records in range, not with the table.

use domain::report::{
    CommendationFact, ConferenceFact, DialogueFact, Facts, HotSpotFact, KindFact, OpinionFact,
    Period, PublicityFact, ResolvedFact,
};
use domain::{dates, Channel, Code, Kind, Topic};
use sqlx::any::AnyRow;
use sqlx::Row;

pub(crate) mod law;

use crate::bind::{bind_all, numbered, Bind};
use crate::error::{Result, StoreError};
use crate::{Store, WardId};

/// `WITH p(i, s, e) AS (VALUES (?, ?, ?), ...)` and its binds.
fn grid_cte(grid: &[Period]) -> (String, Vec<Bind>) {
    let values = vec!["(?, ?, ?)"; grid.len()].join(", ");
    let mut binds = Vec::with_capacity(grid.len() * 3);
    for (i, p) in grid.iter().enumerate() {
        binds.push(Bind::Int(i as i64));
        binds.push(Bind::Text(dates::iso(p.start)));
        binds.push(Bind::Text(dates::iso(p.end)));
    }
    (format!("WITH p(i, s, e) AS (VALUES {values})"), binds)
}

fn code<T: Code>(s: &str) -> Result<T> {
    T::parse(s).ok_or_else(|| StoreError::Invariant(format!("unknown stored code {s:?}")))
}

/// Reads a code column of a row into its enumeration (an unknown stored code is an
/// internal error); keeps row mapping short.
struct Codes;
impl Codes {
    fn get<T: Code>(row: &AnyRow, i: usize) -> Result<T> {
        let s: String = row.try_get(i)?;
        code(&s)
    }
}

/// A live record of the ward in table alias `t`, dated (by `date`) in the period.
fn live(t: &str, date: &str) -> String {
    format!("{t}.ward_id = ? AND {t}.deleted_at IS NULL AND {t}.{date} BETWEEN p.s AND p.e")
}

/// One report's queries over its grid: `rows` over every period and the total,
/// `sums` over the additive part only (see [`Store::report_facts`]).
///
/// Every statement of one report runs on one connection of the read pool. The pool
/// hands out its idle connections in turn, so statement after statement would land on
/// a connection whose page cache (SQLite's is per connection) holds some other ward's
/// pages; on one connection the ward's index pages read by one family's statement are
/// still cached for the next (docs/PERFORMANCE.md, the city roll-up).
struct FactsQuery<'a> {
    store: &'a Store,
    conn: tokio::sync::Mutex<sqlx::pool::PoolConnection<sqlx::Any>>,
    /// Read before the connection is taken: a report holds one connection at a time,
    /// so that reports running side by side can never wait on each other for a second.
    minimums: domain::ward::PublicityMinimums,
    ward: WardId,
    cte: String,
    binds: Vec<Bind>,
    sum_grid: &'a [Period],
    sum_cte: String,
    sum_binds: Vec<Bind>,
}

impl<'a> FactsQuery<'a> {
    async fn new(
        store: &'a Store,
        ward: WardId,
        grid: &'a [Period],
        additive: usize,
    ) -> Result<FactsQuery<'a>> {
        let minimums = store.publicity_minimums(ward).await?;
        let conn = tokio::sync::Mutex::new(store.read.acquire().await?);
        let (cte, mut binds) = grid_cte(grid);
        binds.push(Bind::Int(ward.0));
        let sum_grid = &grid[..additive.min(grid.len())];
        let (sum_cte, mut sum_binds) = grid_cte(sum_grid);
        sum_binds.push(Bind::Int(ward.0));
        Ok(Self {
            store,
            conn,
            minimums,
            ward,
            cte,
            binds,
            sum_grid,
            sum_cte,
            sum_binds,
        })
    }

    /// Runs one statement on this report's connection.
    async fn fetch(&self, sql: String, binds: &[Bind]) -> Result<Vec<AnyRow>> {
        let mut conn = self.conn.lock().await;
        Ok(bind_all(sqlx::query(&numbered(sql)), binds)
            .fetch_all(&mut **conn)
            .await?)
    }

    async fn rows(&self, select: &str) -> Result<Vec<AnyRow>> {
        self.fetch(format!("{} {}", self.cte, select), &self.binds)
            .await
    }

    async fn sums(&self, select: &str) -> Result<Vec<AnyRow>> {
        if self.sum_grid.is_empty() {
            return Ok(Vec::new());
        }
        self.fetch(format!("{} {}", self.sum_cte, select), &self.sum_binds)
            .await
    }

    /// Publicity: one indexed range sum per (period, channel, topic) rather than a
    /// GROUP BY, which would sort every row in range (see migration 0004).
    async fn publicity(&self) -> Result<Vec<PublicityFact>> {
        let mut out = Vec::new();
        if self.sum_grid.is_empty() {
            return Ok(out);
        }
        let pairs: Vec<(Channel, Topic)> = Channel::ALL
            .iter()
            .flat_map(|c| Topic::ALL.iter().map(move |t| (*c, *t)))
            .collect();
        let (pcte, mut pbinds) = grid_cte(self.sum_grid);
        for (c, t) in &pairs {
            pbinds.push(Bind::Text(c.code().into()));
            pbinds.push(Bind::Text(t.code().into()));
        }
        pbinds.push(Bind::Int(self.ward.0));
        let sql = format!(
            "{pcte}, ct(channel, topic) AS (VALUES {}) \
             SELECT p.i, ct.channel, ct.topic, (SELECT CAST(SUM(x.count) AS BIGINT) FROM publicity x{indexed} \
             WHERE x.ward_id = ? AND x.deleted_at IS NULL AND x.channel = ct.channel AND x.topic = ct.topic AND x.date BETWEEN p.s AND p.e) \
             FROM p CROSS JOIN ct",
            vec!["(?, ?)"; pairs.len()].join(", "),
            // SQLite's planner would otherwise pick `publicity_report` for the date.
            indexed = match self.store.engine() {
                crate::Engine::Sqlite => " INDEXED BY publicity_channel_topic",
                crate::Engine::Postgres => "",
            }
        );
        for r in self.fetch(sql, &pbinds).await? {
            let count: Option<i64> = r.try_get(3)?;
            if let Some(count) = count {
                out.push(PublicityFact {
                    period: idx(&r)?,
                    channel: Codes::get(&r, 1)?,
                    topic: Codes::get(&r, 2)?,
                    count,
                });
            }
        }
        Ok(out)
    }
}

impl Store {
    /// Aggregates every family over `grid` (periods then total, as built by
    /// `domain::report::query_grid`).
    ///
    /// Families whose figures add up over periods (conferences, publicity, dialogues,
    /// documents, inspections, commendations) are aggregated over the first `additive`
    /// periods of the grid only: a caller whose periods tile the range passes
    /// `grid.len() - 1` and derives the total by adding them up
    /// (`Facts::derive_additive_totals`), which halves the work of a report by year.
    pub async fn report_facts(
        &self,
        ward: WardId,
        grid: &[Period],
        additive: usize,
    ) -> Result<Facts> {
        if grid.is_empty() {
            return Ok(Facts::default());
        }
        let q = FactsQuery::new(self, ward, grid, additive).await?;
        let mut facts = Facts::default();
        for r in q.sums(&format!("SELECT p.i, c.kind, COUNT(*), CAST(SUM(c.attendees) AS BIGINT) FROM p JOIN conferences c ON {} GROUP BY p.i, c.kind", live("c", "date"))).await? {
            facts.conferences.push(ConferenceFact { period: idx(&r)?, kind: Codes::get(&r, 1)?, count: r.try_get(2)?, attendees: r.try_get(3)? });
        }
        facts.publicity = q.publicity().await?;
        for r in q.sums(&format!("SELECT p.i, COUNT(*), CAST(SUM(d.participants) AS BIGINT) FROM p JOIN dialogues d ON {} GROUP BY p.i", live("d", "date"))).await? {
            facts.dialogues.push(DialogueFact { period: idx(&r)?, count: r.try_get(1)?, participants: r.try_get(2)? });
        }
        for r in q.rows(&format!("SELECT p.i, COUNT(*), CAST(SUM(CASE WHEN o.status = 'resolved' AND o.resolved_on <= p.e THEN 1 ELSE 0 END) AS BIGINT) FROM p JOIN dialogues d ON {} \
             JOIN opinions o ON o.dialogue_id = d.id AND o.deleted_at IS NULL GROUP BY p.i", live("d", "date"))).await? {
            facts.opinions.push(OpinionFact { period: idx(&r)?, raised: r.try_get(1)?, resolved_by_end: r.try_get(2)? });
        }
        // Resolved in the period whenever raised: over every period and the total.
        for r in q.rows("SELECT p.i, COUNT(*) FROM p JOIN opinions o ON o.deleted_at IS NULL AND o.status = 'resolved' AND o.resolved_on BETWEEN p.s AND p.e \
             JOIN dialogues d ON d.id = o.dialogue_id AND d.ward_id = ? AND d.deleted_at IS NULL GROUP BY p.i").await? {
            facts.opinions_resolved.push(ResolvedFact { period: idx(&r)?, count: r.try_get(1)? });
        }
        for r in q
            .sums(&format!(
                "SELECT p.i, x.kind, COUNT(*) FROM p JOIN documents x ON {} GROUP BY p.i, x.kind",
                live("x", "date")
            ))
            .await?
        {
            facts.documents.push(KindFact {
                period: idx(&r)?,
                kind: Codes::get(&r, 1)?,
                count: r.try_get(2)?,
            });
        }
        for r in q
            .sums(&format!(
                "SELECT p.i, x.kind, COUNT(*) FROM p JOIN inspections x ON {} GROUP BY p.i, x.kind",
                live("x", "date")
            ))
            .await?
        {
            facts.inspections.push(KindFact {
                period: idx(&r)?,
                kind: Codes::get(&r, 1)?,
                count: r.try_get(2)?,
            });
        }
        for r in q.sums(&format!("SELECT p.i, x.level, x.recipient_kind, COUNT(*) FROM p JOIN commendations x ON {} GROUP BY p.i, x.level, x.recipient_kind", live("x", "date"))).await? {
            facts.commendations.push(CommendationFact { period: idx(&r)?, level: Codes::get(&r, 1)?, recipient: Codes::get(&r, 2)?, count: r.try_get(3)? });
        }
        for r in q.rows("SELECT p.i, COUNT(g.id) FROM p JOIN residential_groups g ON g.ward_id = ? AND g.deleted_at IS NULL \
             AND (g.established IS NULL OR g.established <= p.e) AND (g.dissolved IS NULL OR g.dissolved > p.e) GROUP BY p.i").await? {
            facts.groups_active.push((idx(&r)?, r.try_get(1)?));
        }
        for r in q.rows("SELECT p.i, CAST(SUM(CASE WHEN h.opened >= p.s THEN 1 ELSE 0 END) AS BIGINT), CAST(SUM(CASE WHEN h.resolved_on IS NULL OR h.resolved_on > p.e THEN 1 ELSE 0 END) AS BIGINT) FROM p JOIN hot_spots h \
             ON h.ward_id = ? AND h.deleted_at IS NULL AND h.opened <= p.e AND (h.opened >= p.s OR h.resolved_on IS NULL OR h.resolved_on > p.e) GROUP BY p.i").await? {
            facts.hot_spots.push(HotSpotFact { period: idx(&r)?, opened: r.try_get(1)?, open_at_end: r.try_get(2)? });
        }
        facts.law = q.law().await?;
        Ok(facts)
    }

    /// Per family, how many records in each grid period are marked as estimated in
    /// their `source` (for the review draft's footnotes). Slower than the figures (it
    /// reads the rows), so only the draft asks for it.
    pub async fn estimated_counts(
        &self,
        ward: WardId,
        grid: &[Period],
    ) -> Result<Vec<(Kind, usize, i64)>> {
        if grid.is_empty() {
            return Ok(Vec::new());
        }
        let (cte, mut binds) = grid_cte(grid);
        let mut parts = Vec::new();
        for (kind, table) in [
            (Kind::Conferences, "conferences"),
            (Kind::Publicity, "publicity"),
            (Kind::Dialogues, "dialogues"),
            (Kind::Documents, "documents"),
            (Kind::Inspections, "inspections"),
            (Kind::Commendations, "commendations"),
        ] {
            parts.push(format!(
                "SELECT '{}', p.i, COUNT(*) FROM p JOIN {table} x ON x.ward_id = ? AND x.deleted_at IS NULL AND x.date BETWEEN p.s AND p.e \
                 AND x.source LIKE '%ước tính%' GROUP BY p.i",
                kind.code()
            ));
            binds.push(Bind::Int(ward.0));
        }
        let sql = format!("{cte} {}", parts.join(" UNION ALL "));
        let rows = bind_all(sqlx::query(&numbered(sql)), &binds)
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|r| {
                let k: String = r.try_get(0)?;
                let kind = Kind::parse(&k)
                    .ok_or_else(|| StoreError::Invariant(format!("bad kind {k}")))?;
                Ok((kind, idx_at(r, 1)?, r.try_get(2)?))
            })
            .collect::<Result<Vec<_>>>()
            .map(|mut v| {
                v.sort_by_key(|x| (x.0, x.1));
                v
            })
    }
}

fn idx(r: &AnyRow) -> Result<usize> {
    idx_at(r, 0)
}

fn idx_at(r: &AnyRow, col: usize) -> Result<usize> {
    let i: i64 = r.try_get(col)?;
    usize::try_from(i).map_err(|e| StoreError::Invariant(e.to_string()))
}
