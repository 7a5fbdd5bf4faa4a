//! The aggregates of the 2022 law's registers (migration 0008), one query per family
//! like the others, written in SQL that PostgreSQL reads the same way: `CASE` inside
//! `SUM` rather than a boolean sum, sums cast to BIGINT.

use domain::report::{ConsultationFact, CountFact, DecisionFact, KindFact, LawFacts};
use sqlx::Row;

use super::{idx, live, Codes, FactsQuery};
use crate::error::Result;

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
        Ok(law)
    }
}
