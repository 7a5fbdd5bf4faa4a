//! Wards across reorganisations (on 1/7/2025 most of Hà Nội's wards were merged): a
//! ward passes into a successor on a date, wholly or in part, and ends the day before.
//! A successor's report counts, for the days before it existed, the records of its
//! whole predecessors (and of its part predecessors only when asked), each up to the
//! predecessor's last day.

use chrono::NaiveDate;

pub use crate::codes::Share;
use crate::dates;
use crate::report::{Facts, Period};

/// One ward passing into another on `on` (its last day is the day before).
#[derive(Debug, Clone, PartialEq)]
pub struct Succession<W> {
    pub predecessor: W,
    pub successor: W,
    pub on: NaiveDate,
    pub share: Share,
}

impl<W> Succession<W> {
    /// The predecessor's last day: the day before it passed into its successor.
    pub fn last_day(&self) -> NaiveDate {
        self.on.pred_opt().unwrap_or(self.on)
    }
}

/// A ward whose records a report counts: the ward itself (no last day), or one of its
/// predecessors, directly or through another, up to its last day.
#[derive(Debug, Clone, PartialEq)]
pub struct Counted<W> {
    pub ward: W,
    /// `None` for the ward itself.
    pub last_day: Option<NaiveDate>,
    /// `Part` when the ward, or a ward between it and the report's ward, passed only in
    /// part.
    pub share: Option<Share>,
}

/// The wards `ward`'s report counts: itself first, then every predecessor reached
/// through whole successions (and part ones when `include_part`), nearest first. A
/// predecessor's last day is the earliest last day on its path (a ward that ended before
/// its successor ended keeps its own). Cycles (impossible data) are cut.
pub fn counted_wards<W: Copy + PartialEq>(
    ward: W,
    successions: &[Succession<W>],
    include_part: bool,
) -> Vec<Counted<W>> {
    let mut out = vec![Counted {
        ward,
        last_day: None,
        share: None,
    }];
    let mut i = 0;
    while i < out.len() {
        let (current, cap, path_share) = (out[i].ward, out[i].last_day, out[i].share);
        for s in successions.iter().filter(|s| s.successor == current) {
            if s.share == Share::Part && !include_part {
                continue;
            }
            if out.iter().any(|c| c.ward == s.predecessor) {
                continue;
            }
            let last = cap.map_or(s.last_day(), |c| c.min(s.last_day()));
            let share = if s.share == Share::Part || path_share == Some(Share::Part) {
                Share::Part
            } else {
                Share::Whole
            };
            out.push(Counted {
                ward: s.predecessor,
                last_day: Some(last),
                share: Some(share),
            });
        }
        i += 1;
    }
    out
}

/// Checks a new merger: the successor differs from each predecessor, a predecessor is
/// named once, a ward that already passed wholly into another cannot pass again, and a
/// merger cannot make a ward its own predecessor.
pub fn check_merger<W: Copy + PartialEq>(
    successor: W,
    on: NaiveDate,
    from: &[(W, Share)],
    existing: &[Succession<W>],
    name: impl Fn(W) -> String,
) -> Result<(), String> {
    if from.is_empty() {
        return Err("cần ít nhất một phường cũ (--from)".into());
    }
    // a ward that has itself ended takes no former ward from its end on
    if let Some(s) = existing
        .iter()
        .filter(|s| s.predecessor == successor && s.on <= on)
        .min_by_key(|s| s.on)
    {
        return Err(format!(
            "{} đã sáp nhập vào {} từ ngày {}: không nhận phường cũ từ ngày {}",
            name(successor),
            name(s.successor),
            dates::vn(s.on),
            dates::vn(on)
        ));
    }
    for (i, (p, share)) in from.iter().enumerate() {
        if *p == successor {
            return Err(format!("{} không thể là phường cũ của chính nó", name(*p)));
        }
        if from[..i].iter().any(|(q, _)| q == p) {
            return Err(format!("{} được nêu hai lần", name(*p)));
        }
        for s in existing.iter().filter(|s| s.predecessor == *p) {
            if s.share == Share::Whole || *share == Share::Whole {
                return Err(format!(
                    "{} đã sáp nhập vào {} từ ngày {}",
                    name(*p),
                    name(s.successor),
                    dates::vn(s.on)
                ));
            }
        }
        // the successor must not already count `p`'s successor chain back to itself
        let before = counted_wards(*p, existing, true);
        if before.iter().any(|c| c.ward == successor) {
            return Err(format!(
                "{} đã là phường cũ của {}: không thể sáp nhập ngược lại",
                name(successor),
                name(*p)
            ));
        }
    }
    Ok(())
}

/// Whether a ward that ended on `last_day` (passing into `successor_name`) may hold a
/// record dated `date`: not after its last day.
pub fn record_allowed(
    ward_name: &str,
    ended: Option<(NaiveDate, &str)>,
    date: NaiveDate,
) -> Result<(), String> {
    match ended {
        Some((last, successor)) if date > last => Err(format!(
            "{ward_name} đã sáp nhập vào {successor} từ ngày {}: không thể ghi bản ghi ngày {} cho phường cũ; hãy ghi vào {successor}.",
            dates::vn(last.succ_opt().unwrap_or(last)),
            dates::vn(date)
        )),
        _ => Ok(()),
    }
}

/// A predecessor's query grid: each period cut at its last day (a period wholly after
/// it becomes empty), and which periods end after it (where its registers no longer
/// count: the successor's own registers stand then).
pub fn clip_grid(grid: &[Period], last_day: NaiveDate) -> (Vec<Period>, Vec<bool>) {
    let clipped = grid
        .iter()
        .map(|p| Period {
            label: p.label.clone(),
            start: p.start,
            // an end before the start selects nothing
            end: if p.start > last_day {
                p.start.pred_opt().unwrap_or(p.start)
            } else {
                p.end.min(last_day)
            },
        })
        .collect();
    let after = grid.iter().map(|p| p.end > last_day).collect();
    (clipped, after)
}

impl Facts {
    /// Drops the register counts (residential groups, hot spots still open) of the
    /// periods marked in `after`: a predecessor's registers count only at period ends
    /// on or before its last day.
    pub fn drop_stocks(&mut self, after: &[bool]) {
        let ended = |i: usize| after.get(i).copied().unwrap_or(false);
        self.groups_active.retain(|(i, _)| !ended(*i));
        for h in &mut self.hot_spots {
            if ended(h.period) {
                h.open_at_end = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }
    fn s(p: u8, to: u8, on: NaiveDate, share: Share) -> Succession<u8> {
        Succession {
            predecessor: p,
            successor: to,
            on,
            share,
        }
    }

    #[test]
    fn whole_predecessors_count_part_ones_only_when_asked() {
        let on = d(2025, 7, 1);
        let all = [
            s(1, 9, on, Share::Whole),
            s(2, 9, on, Share::Whole),
            s(3, 9, on, Share::Part),
            s(3, 8, on, Share::Part),
        ];
        let wards: Vec<u8> = counted_wards(9, &all, false)
            .iter()
            .map(|c| c.ward)
            .collect();
        assert_eq!(wards, vec![9, 1, 2]);
        let with_part = counted_wards(9, &all, true);
        assert_eq!(with_part.len(), 4);
        assert_eq!(with_part[3].ward, 3);
        assert_eq!(with_part[3].share, Some(Share::Part));
        assert_eq!(with_part[3].last_day, Some(d(2025, 6, 30)));
        assert_eq!(with_part[0].last_day, None);
    }

    #[test]
    fn chains_keep_the_earliest_last_day_and_the_part_share() {
        let all = [
            s(1, 2, d(2008, 8, 1), Share::Whole),
            s(2, 3, d(2025, 7, 1), Share::Part),
            s(4, 2, d(2030, 1, 1), Share::Whole), // impossible order: capped by 2's end
        ];
        let c = counted_wards(3, &all, true);
        assert_eq!(c[1].ward, 2);
        let one = c.iter().find(|c| c.ward == 1).expect("1");
        assert_eq!(one.last_day, Some(d(2008, 7, 31)));
        assert_eq!(one.share, Some(Share::Part));
        let four = c.iter().find(|c| c.ward == 4).expect("4");
        assert_eq!(four.last_day, Some(d(2025, 6, 30)));
        assert_eq!(counted_wards(3, &all, false).len(), 1);
    }

    #[test]
    fn cycles_are_cut() {
        let on = d(2025, 7, 1);
        let all = [s(1, 2, on, Share::Whole), s(2, 1, on, Share::Whole)];
        assert_eq!(counted_wards(1, &all, false).len(), 2);
    }

    #[test]
    fn mergers_are_checked() {
        let on = d(2025, 7, 1);
        let later = d(2026, 1, 1);
        let name = |w: u8| format!("P{w}");
        let existing = [s(1, 9, on, Share::Whole), s(3, 9, on, Share::Part)];
        let check = |to: u8, day: NaiveDate, from: &[(u8, Share)]| {
            check_merger(to, day, from, &existing, name)
        };
        assert!(check(8, on, &[(2, Share::Whole)]).is_ok());
        assert!(check(8, on, &[]).is_err());
        assert!(check(8, on, &[(8, Share::Whole)]).is_err());
        assert!(check(8, on, &[(2, Share::Whole), (2, Share::Part)]).is_err());
        let e = check(8, on, &[(1, Share::Whole)]).expect_err("ended");
        assert!(
            e.contains("P1 đã sáp nhập vào P9 từ ngày 01/07/2025"),
            "{e}"
        );
        // a ward split in parts may pass in part again, not wholly
        assert!(check(8, on, &[(3, Share::Part)]).is_ok());
        assert!(check(8, on, &[(3, Share::Whole)]).is_err());
        // no ward becomes its own predecessor
        assert!(check(1, d(2020, 1, 1), &[(9, Share::Whole)]).is_err());
        // a ward that ended takes no former ward from its end on; before it, it may
        let e = check(1, later, &[(2, Share::Whole)]).expect_err("successor ended");
        assert!(
            e.contains("P1 đã sáp nhập vào P9 từ ngày 01/07/2025: không nhận phường cũ"),
            "{e}"
        );
        assert!(check(1, d(2020, 1, 1), &[(2, Share::Whole)]).is_ok());
    }

    #[test]
    fn records_stop_on_the_day_of_the_merger() {
        let last = d(2025, 6, 30);
        let ended = Some((last, "Phường Mới"));
        assert!(record_allowed("Phường Cũ", ended, last).is_ok());
        let e = record_allowed("Phường Cũ", ended, d(2025, 7, 1)).expect_err("after");
        assert!(
            e.contains("đã sáp nhập vào Phường Mới từ ngày 01/07/2025"),
            "{e}"
        );
        assert!(e.contains("ngày 01/07/2025 cho phường cũ"), "{e}");
        assert!(record_allowed("Phường Cũ", None, d(2030, 1, 1)).is_ok());
    }

    #[test]
    fn grids_are_cut_at_the_last_day() {
        let p = |a: NaiveDate, b: NaiveDate| Period {
            label: "x".into(),
            start: a,
            end: b,
        };
        let grid = [
            p(d(2024, 1, 1), d(2024, 12, 31)),
            p(d(2025, 1, 1), d(2025, 12, 31)),
            p(d(2026, 1, 1), d(2026, 12, 31)),
        ];
        let (c, after) = clip_grid(&grid, d(2025, 6, 30));
        assert_eq!(c[0].end, d(2024, 12, 31));
        assert_eq!(c[1].end, d(2025, 6, 30));
        assert!(c[2].end < c[2].start);
        assert_eq!(after, vec![false, true, true]);
        let mut f = Facts {
            groups_active: vec![(0, 10), (1, 10), (2, 10)],
            ..Facts::default()
        };
        f.drop_stocks(&after);
        assert_eq!(f.groups_active, vec![(0, 10)]);
    }
}
