//! The aggregates of the 2022 law's registers (migration 0008), one query per family
//! like the others, written in SQL that PostgreSQL reads the same way: `CASE` inside
//! `SUM` rather than a boolean sum, sums cast to BIGINT.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::report::{ConsultationFact, CountFact, DecisionFact, KindFact, LawFacts};
use domain::{dates, PublicityItem};
use sqlx::Row;

use super::{idx, live, Codes, FactsQuery};
use crate::error::{Result, StoreError};

/// A community decision passes, whatever its form, when more than half of all the
/// group's households are in favour (`domain::records::more_than_half`; the domain
/// test `passed_is_exactly_more_than_half_in_favour_whatever_the_form` shows the two
/// agree, the store test `law_registers_are_counted_by_the_laws_rule` checks it here).
pub(crate) fn passed(alias: &str) -> String {
    format!("{alias}.in_favour * 2 > {alias}.households")
}

impl FactsQuery<'_> {
    /// Every family of the law's registers over the additive part of the grid.
    pub(super) async fn law(&self) -> Result<LawFacts> {
        let mut law = LawFacts::default();
        let decisions = format!(
            "SELECT p.i, x.form, COUNT(*), CAST(SUM(CASE WHEN {} THEN 1 ELSE 0 END) AS BIGINT) \
             FROM p JOIN community_decisions x ON {} GROUP BY p.i, x.form",
            passed("x"),
            live("x", "date")
        );
        for r in self.sums(&decisions).await? {
            law.decisions.push(DecisionFact {
                period: idx(&r)?,
                form: Codes::get(&r, 1)?,
                count: r.try_get(2)?,
                passed: r.try_get(3)?,
            });
        }
        let consultations = format!(
            "SELECT p.i, COUNT(*), CAST(SUM(x.responses) AS BIGINT), CAST(SUM(x.taken_up) AS BIGINT) \
             FROM p JOIN consultations x ON {} GROUP BY p.i",
            live("x", "consulted_from")
        );
        for r in self.sums(&consultations).await? {
            law.consultations.push(ConsultationFact {
                period: idx(&r)?,
                count: r.try_get(1)?,
                responses: r.try_get(2)?,
                taken_up: r.try_get(3)?,
            });
        }
        let board = format!(
            "SELECT p.i, x.kind, COUNT(*) FROM p JOIN inspection_board_activities x ON {} \
             GROUP BY p.i, x.kind",
            live("x", "date")
        );
        for r in self.sums(&board).await? {
            law.inspection_board.push(KindFact {
                period: idx(&r)?,
                kind: Codes::get(&r, 1)?,
                count: r.try_get(2)?,
            });
        }
        for (table, date, into) in [
            (
                "supervision_boards",
                "established",
                &mut law.supervision_boards,
            ),
            (
                "supervision_activities",
                "date",
                &mut law.supervision_activities,
            ),
        ] {
            let sql = format!(
                "SELECT p.i, COUNT(*) FROM p JOIN {table} x ON {} GROUP BY p.i",
                live("x", date)
            );
            for r in self.sums(&sql).await? {
                into.push(CountFact {
                    period: idx(&r)?,
                    count: r.try_get(1)?,
                });
            }
        }
        self.short_publicity(&mut law).await?;
        Ok(law)
    }

    /// Postings shorter than the ward's minimum and broadcasts the law asks for on
    /// fewer days: the rows are read (few: postings and some radio items) and judged by
    /// the domain, since counting days between two dates has no common SQL.
    async fn short_publicity(&self, law: &mut LawFacts) -> Result<()> {
        let m = &self.minimums;
        let mut postings: BTreeMap<usize, i64> = BTreeMap::new();
        let sql = format!(
            "SELECT p.i, x.date, x.channel, x.topic, x.count, x.posted_from, x.posted_until FROM p \
             JOIN publicity x ON {} AND ((x.channel = 'posting' AND x.posted_from IS NOT NULL \
             AND x.posted_until IS NOT NULL) OR (x.channel = 'radio' AND x.date >= '{}'))",
            live("x", "date"),
            // a constant of the code, not user text
            dates::iso(domain::LAW_IN_FORCE)
        );
        let mut broadcasts: BTreeMap<usize, i64> = BTreeMap::new();
        for r in self.sums(&sql).await? {
            let day = |i: usize| -> Result<Option<NaiveDate>> {
                let s: Option<String> = r.try_get(i)?;
                s.map(|s| dates::parse_date(&s).map_err(|_| StoreError::bad_stored_date(&s)))
                    .transpose()
            };
            let count: i64 = r.try_get(4)?;
            // Built from its stored fields (already validated when written), without
            // the text the judgement does not read.
            let item = PublicityItem {
                date: day(1)?.unwrap_or_default(),
                channel: Codes::get(&r, 2)?,
                topic: Codes::get(&r, 3)?,
                title: None,
                count: u32::try_from(count).map_err(|e| StoreError::Invariant(e.to_string()))?,
                posted_from: day(5)?,
                posted_until: day(6)?,
                residential_group: None,
                notes: None,
                source: None,
            };
            let period = idx(&r)?;
            if item.posting_too_short(i64::from(m.posting_days)) {
                *postings.entry(period).or_default() += 1;
            }
            if item.broadcast_too_short(m.broadcast_days) {
                *broadcasts.entry(period).or_default() += 1;
            }
        }
        let facts = |m: BTreeMap<usize, i64>| {
            m.into_iter()
                .map(|(period, count)| CountFact { period, count })
                .collect()
        };
        law.short_postings = facts(postings);
        law.short_broadcasts = facts(broadcasts);
        Ok(())
    }
}
