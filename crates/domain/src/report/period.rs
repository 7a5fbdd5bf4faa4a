//! The report's columns: how they are cut ([`Grouping`]), the [`Period`] grid over a
//! range, and the grid the store aggregates over.

use chrono::{Datelike, NaiveDate};

use crate::dates;
use crate::error::FieldErrors;
use crate::ward::{ReviewPeriod, Term};

/// How the report's columns are cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    Year,
    Term,
    Period,
    Total,
}

impl Grouping {
    pub const ALL: &'static [Grouping] = &[
        Grouping::Year,
        Grouping::Term,
        Grouping::Period,
        Grouping::Total,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Grouping::Year => "year",
            Grouping::Term => "term",
            Grouping::Period => "period",
            Grouping::Total => "total",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Grouping::Year => "Theo năm",
            Grouping::Term => "Theo nhiệm kỳ",
            Grouping::Period => "Theo giai đoạn",
            Grouping::Total => "Tổng cộng",
        }
    }
    pub fn parse(s: &str) -> Option<Grouping> {
        Grouping::ALL.iter().copied().find(|g| g.code() == s.trim())
    }
}

/// One column: a label (`2014`, `2015-2020`, `2014-nay`, `total`) and its inclusive dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// The label of the total column in CSV files.
pub const TOTAL: &str = "total";

/// Checks a requested range: `from` not after `to`.
pub fn check_range(from: NaiveDate, to: NaiveDate) -> Result<(), FieldErrors> {
    if to < from {
        return Err(FieldErrors::single(
            "to",
            format!(
                "Ngày kết thúc phải từ ngày bắt đầu ({}) trở đi.",
                dates::vn(from)
            ),
        ));
    }
    Ok(())
}

/// The columns for `grouping` over `from..=to`, each clipped to the range. Years are
/// calendar years; a term runs from its start to the day before the next term's start
/// (the last one for five years); named periods are taken as defined. Periods that do
/// not meet the range are left out.
pub fn period_grid(
    grouping: Grouping,
    from: NaiveDate,
    to: NaiveDate,
    terms: &[Term],
    periods: &[ReviewPeriod],
) -> Vec<Period> {
    let clip = |label: String, s: NaiveDate, e: NaiveDate| -> Option<Period> {
        let (s, e) = (s.max(from), e.min(to));
        (s <= e).then_some(Period {
            label,
            start: s,
            end: e,
        })
    };
    match grouping {
        Grouping::Total => Vec::new(),
        Grouping::Year => (from.year()..=to.year())
            .filter_map(|y| {
                let s = NaiveDate::from_ymd_opt(y, 1, 1)?;
                let e = NaiveDate::from_ymd_opt(y, 12, 31)?;
                clip(y.to_string(), s, e)
            })
            .collect(),
        Grouping::Term => {
            let mut sorted: Vec<&Term> = terms.iter().collect();
            sorted.sort_by_key(|t| t.start);
            sorted
                .iter()
                .enumerate()
                .filter_map(|(i, t)| {
                    let end = match sorted.get(i + 1) {
                        Some(next) => next.start.pred_opt()?,
                        None => t.start.with_year(t.start.year() + 5)?.pred_opt()?,
                    };
                    clip(t.name.clone(), t.start, end)
                })
                .collect()
        }
        Grouping::Period => {
            let mut sorted: Vec<&ReviewPeriod> = periods.iter().collect();
            sorted.sort_by_key(|p| (p.start, p.end));
            sorted
                .iter()
                .filter_map(|p| clip(p.name.clone(), p.start, p.end))
                .collect()
        }
    }
}

/// Whether the periods cover `from..=to` exactly, in order, without gap or overlap (as
/// years always do): then additive totals can be added up from the periods.
pub fn tiles(periods: &[Period], from: NaiveDate, to: NaiveDate) -> bool {
    let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
        return false;
    };
    first.start == from
        && last.end == to
        && periods
            .windows(2)
            .all(|w| w[0].end.succ_opt() == Some(w[1].start))
}

/// The grid the store aggregates over: the report's periods, then the total.
pub fn query_grid(periods: &[Period], from: NaiveDate, to: NaiveDate) -> Vec<Period> {
    let mut g = periods.to_vec();
    g.push(Period {
        label: TOTAL.into(),
        start: from,
        end: to,
    });
    g
}
