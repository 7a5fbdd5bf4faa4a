//! What is missing at a glance (issue 14): for a ward, its residential groups × years
//! × activity (a group active in a year without any conference or publicity item stands
//! out) and how many back-filled records say where they came from; for a city, its
//! wards × months (records entered, periods submitted and reopened), the wards that are
//! late or empty first. Pure: the store counts, this shapes and judges.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use crate::submission::Submission;
use crate::{dates, Kind};

/// The activities a group's year is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Activity {
    Conferences,
    Publicity,
}

impl Activity {
    pub const ALL: [Activity; 2] = [Activity::Conferences, Activity::Publicity];
    pub fn kind(self) -> Kind {
        match self {
            Activity::Conferences => Kind::Conferences,
            Activity::Publicity => Kind::Publicity,
        }
    }
}

/// A live residential group as the grid needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: i64,
    pub number: u32,
    pub name: String,
    pub established: Option<NaiveDate>,
    pub dissolved: Option<NaiveDate>,
}

impl Group {
    /// Whether the group existed on some day of `year` (the register's rule,
    /// `records::group_exists_on`: from its establishment, until the day before its
    /// dissolution).
    pub fn active_in(&self, year: i32) -> bool {
        let (Some(first), Some(last)) = (dates::ymd(year, 1, 1), dates::ymd(year, 12, 31)) else {
            return false;
        };
        self.established.is_none_or(|e| e <= last) && self.dissolved.is_none_or(|d| d > first)
    }
}

/// One group's row: per year, per activity (in [`Activity::ALL`] order), its records —
/// `None` when the group was not active that year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRow {
    pub number: u32,
    pub name: String,
    pub cells: Vec<[Option<i64>; 2]>,
}

/// Groups × years × activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupGrid {
    pub years: Vec<i32>,
    pub rows: Vec<GroupRow>,
}

impl GroupGrid {
    /// Cells of an active group's year with no record of the activity.
    pub fn gaps(&self) -> usize {
        self.rows
            .iter()
            .flat_map(|r| r.cells.iter().flatten())
            .filter(|c| **c == Some(0))
            .count()
    }
}

/// The grid from the groups and the counts by (group id, year, activity).
pub fn group_grid(
    groups: &[Group],
    years: &[i32],
    counts: &HashMap<(i64, i32, Activity), i64>,
) -> GroupGrid {
    let mut groups: Vec<&Group> = groups.iter().collect();
    groups.sort_by_key(|g| g.number);
    let rows = groups
        .into_iter()
        .filter(|g| years.iter().any(|y| g.active_in(*y)))
        .map(|g| GroupRow {
            number: g.number,
            name: g.name.clone(),
            cells: years
                .iter()
                .map(|y| {
                    Activity::ALL.map(|a| {
                        g.active_in(*y)
                            .then(|| counts.get(&(g.id, *y, a)).copied().unwrap_or(0))
                    })
                })
                .collect(),
        })
        .collect();
    GroupGrid {
        years: years.to_vec(),
        rows,
    }
}

/// The years a range touches, in order.
pub fn years_of(from: NaiveDate, to: NaiveDate) -> Vec<i32> {
    (from.year()..=to.year()).collect()
}

/// Back-filled records of one kind and year: how many, and how many name a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceShare {
    pub kind: Kind,
    pub year: i32,
    pub backfilled: i64,
    pub documented: i64,
}

impl SourceShare {
    pub fn undocumented(&self) -> i64 {
        self.backfilled - self.documented
    }
    /// The documented share in tenths of a percent (`None` with nothing back-filled).
    pub fn share_tenths(&self) -> Option<i64> {
        crate::fmt::rate_tenths(self.documented, self.backfilled)
    }
}

/// The kinds whose back-filled records are counted: those with a date of their own and
/// a `source` column.
pub fn sourced_kinds() -> Vec<Kind> {
    Kind::ALL
        .iter()
        .copied()
        .filter(|k| k.date_column().is_some() && k.column("source").is_some())
        .collect()
}

/// A calendar month of a city's grid: its label `2026-03` and first day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    pub label: String,
    pub first: NaiveDate,
}

/// The months of `year` up to `today`'s (all twelve for a past year).
pub fn months_of(year: i32, today: NaiveDate) -> Vec<Month> {
    let last = if year == today.year() {
        today.month()
    } else if year < today.year() {
        12
    } else {
        0
    };
    (1..=last)
        .filter_map(|m| {
            dates::ymd(year, m, 1).map(|first| Month {
                label: format!("{year}-{m:02}"),
                first,
            })
        })
        .collect()
}

/// The last calendar year and the last quarter that have ended before `today`.
pub fn last_finished(today: NaiveDate) -> [(NaiveDate, NaiveDate); 2] {
    let y = today.year();
    let year = (
        dates::ymd(y - 1, 1, 1).unwrap_or(today),
        dates::ymd(y - 1, 12, 31).unwrap_or(today),
    );
    let q = (today.month0() / 3) as i32; // the current quarter, from 0
    let (qy, qn) = if q == 0 { (y - 1, 3) } else { (y, q - 1) };
    let start = dates::ymd(qy, qn as u32 * 3 + 1, 1).unwrap_or(today);
    let end = dates::ymd(qy, qn as u32 * 3 + 3, 1)
        .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
        .and_then(|d| d.pred_opt())
        .unwrap_or(today);
    [year, (start, end)]
}

/// Whether the submissions in force (not reopened) cover every day of `from`–`to`,
/// alone or together.
pub fn covered(subs: &[Submission], from: NaiveDate, to: NaiveDate) -> bool {
    let mut ranges: Vec<(NaiveDate, NaiveDate)> = subs
        .iter()
        .filter(|s| s.is_locking())
        .map(|s| (s.from, s.to))
        .collect();
    ranges.sort();
    let mut next = from;
    for (a, b) in ranges {
        if a > next {
            break;
        }
        if b >= next {
            match b.succ_opt() {
                Some(d) => next = d,
                None => return true,
            }
        }
        if next > to {
            return true;
        }
    }
    next > to
}

/// A ward is late when neither the last finished year nor the last finished quarter is
/// covered by its submissions in force (a ward may report by year or by quarter).
pub fn is_late(subs: &[Submission], today: NaiveDate) -> bool {
    !last_finished(today)
        .iter()
        .any(|(from, to)| covered(subs, *from, *to))
}

/// One ward's month: records entered, periods submitted, periods reopened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MonthCounts {
    pub entered: i64,
    pub submitted: i64,
    pub reopened: i64,
}

/// One ward of the city's grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CityRow<W> {
    pub ward: W,
    pub months: Vec<MonthCounts>,
    pub late: bool,
    /// No record entered in any month shown.
    pub empty: bool,
}

/// The wards that are late or empty first (late and empty, late, empty, the others),
/// in their given order within each.
pub fn order_city<W>(rows: &mut [CityRow<W>]) {
    rows.sort_by_key(|r| match (r.late, r.empty) {
        (true, true) => 0,
        (true, false) => 1,
        (false, true) => 2,
        (false, false) => 3,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::submission::Status;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn group(id: i64, est: Option<NaiveDate>, dis: Option<NaiveDate>) -> Group {
        Group {
            id,
            number: id as u32,
            name: format!("Tổ {id}"),
            established: est,
            dissolved: dis,
        }
    }

    #[test]
    fn only_groups_active_in_a_year_count() {
        let groups = [
            group(1, None, None),
            group(2, Some(day(2019, 12, 31)), None),
            group(3, None, Some(day(2019, 1, 1))),
            group(4, None, Some(day(2019, 1, 2))),
        ];
        let mut counts = HashMap::new();
        counts.insert((1, 2019, Activity::Conferences), 3);
        counts.insert((4, 2019, Activity::Publicity), 1);
        let g = group_grid(&groups, &[2018, 2019], &counts);
        // group 3 is dissolved on 1/1/2019: active in 2018 only.
        let row = |n: u32| g.rows.iter().find(|r| r.number == n).expect("row");
        assert_eq!(row(1).cells, [[Some(0), Some(0)], [Some(3), Some(0)]]);
        assert_eq!(row(2).cells, [[None, None], [Some(0), Some(0)]]);
        assert_eq!(row(3).cells, [[Some(0), Some(0)], [None, None]]);
        assert_eq!(row(4).cells, [[Some(0), Some(0)], [Some(0), Some(1)]]);
        assert_eq!(g.gaps(), 3 + 2 + 2 + 3);
    }

    fn sub(from: NaiveDate, to: NaiveDate, status: Status) -> Submission {
        Submission {
            id: 1,
            from,
            to,
            submitted_at: "2026-01-05T02:00:00Z".into(),
            submitted_by: "x".into(),
            status,
            reopened_at: None,
            reopened_by: None,
            reopen_reason: None,
        }
    }

    #[test]
    fn the_last_finished_year_and_quarter() {
        assert_eq!(
            last_finished(day(2026, 11, 29)),
            [
                (day(2025, 1, 1), day(2025, 12, 31)),
                (day(2026, 7, 1), day(2026, 9, 30))
            ]
        );
        assert_eq!(
            last_finished(day(2026, 2, 1))[1],
            (day(2025, 10, 1), day(2025, 12, 31))
        );
    }

    #[test]
    fn late_unless_the_last_year_or_quarter_is_covered() {
        let today = day(2026, 11, 29);
        assert!(is_late(&[], today));
        let year = sub(day(2025, 1, 1), day(2025, 12, 31), Status::Submitted);
        assert!(!is_late(std::slice::from_ref(&year), today));
        let reopened = sub(day(2025, 1, 1), day(2025, 12, 31), Status::Reopened);
        assert!(is_late(&[reopened], today));
        // Two halves of the quarter together cover it; one alone does not.
        let a = sub(day(2026, 7, 1), day(2026, 8, 15), Status::Submitted);
        let b = sub(day(2026, 8, 16), day(2026, 9, 30), Status::Submitted);
        assert!(is_late(std::slice::from_ref(&a), today));
        assert!(!is_late(&[b, a], today));
    }

    #[test]
    fn months_stop_at_today() {
        let m = months_of(2026, day(2026, 3, 10));
        assert_eq!(
            m.iter().map(|m| m.label.as_str()).collect::<Vec<_>>(),
            ["2026-01", "2026-02", "2026-03"]
        );
        assert_eq!(months_of(2025, day(2026, 3, 10)).len(), 12);
        assert!(months_of(2027, day(2026, 3, 10)).is_empty());
    }

    #[test]
    fn late_and_empty_wards_come_first() {
        let row = |w: &'static str, late, empty| CityRow {
            ward: w,
            months: vec![],
            late,
            empty,
        };
        let mut rows = vec![
            row("a", false, false),
            row("b", false, true),
            row("c", true, false),
            row("d", true, true),
        ];
        order_city(&mut rows);
        assert_eq!(
            rows.iter().map(|r| r.ward).collect::<Vec<_>>(),
            ["d", "c", "b", "a"]
        );
    }

    #[test]
    fn sourced_kinds_have_a_date_and_a_source() {
        let k = sourced_kinds();
        assert!(k.contains(&Kind::Conferences) && k.contains(&Kind::Publicity));
        assert!(!k.contains(&Kind::ResidentialGroups) && !k.contains(&Kind::Opinions));
    }
}
