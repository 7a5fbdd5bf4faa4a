//! Assembly: the facts read through each indicator's measure into a table of
//! indicators × periods, the [`Report`] every output reads its figures from.

use chrono::NaiveDate;

use super::facts::Facts;
use super::id::IndicatorId;
use super::indicator::{indicators, ConsultationFigure, Indicator, Measure};
use super::period::{Grouping, Period, TOTAL};

/// A figure: a whole number, or a percentage that may be undefined (nothing raised),
/// held in tenths of a percent as [`crate::fmt::rate_tenths`] rounds it (313 = 31,3%),
/// so that every output shows the same digit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Count(i64),
    Percent(Option<i64>),
}

impl Value {
    /// Plain text for CSV: `15135`, `66.7`, or empty when undefined.
    pub fn plain(&self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Percent(Some(t)) => crate::fmt::tenths(*t, '.'),
            Value::Percent(None) => String::new(),
        }
    }
    /// Vietnamese for pages: `15.135`, `66,7%`, `—`.
    pub fn vn(&self) -> String {
        match self {
            Value::Count(n) => crate::fmt::thousands(*n),
            Value::Percent(Some(t)) => format!("{}%", crate::fmt::tenths(*t, ',')),
            Value::Percent(None) => "—".into(),
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Count(n) => Some(*n as f64),
            Value::Percent(t) => t.map(|t| t as f64 / 10.0),
        }
    }
    pub fn count(&self) -> i64 {
        match self {
            Value::Count(n) => *n,
            Value::Percent(t) => t.map(|t| (t + 5).div_euclid(10)).unwrap_or(0),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    pub indicator: &'static Indicator,
    /// One value per period of [`Report::periods`].
    pub values: Vec<Value>,
    pub total: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub grouping: Grouping,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub periods: Vec<Period>,
    pub rows: Vec<ReportRow>,
    /// What a reader must know about what the figures count (a former ward counted in
    /// part); shown on the page, in the CSV's `note` column and in the review text.
    pub notes: Vec<String>,
    /// The figures count the former wards that passed into the ward only in part.
    pub include_part: bool,
}

impl Report {
    /// The whole range as a period, labelled `total`.
    pub fn total_period(&self) -> Period {
        Period {
            label: TOTAL.into(),
            start: self.from,
            end: self.to,
        }
    }
    pub fn row(&self, id: IndicatorId) -> Option<&ReportRow> {
        self.rows.iter().find(|r| r.indicator.id == id)
    }
    /// The row of a stable code, for codes read from outside.
    pub fn row_by_code(&self, code: &str) -> Option<&ReportRow> {
        self.rows.iter().find(|r| r.indicator.code == code)
    }
    /// The total of an indicator as a whole number (0 if absent).
    pub fn total_of(&self, id: IndicatorId) -> i64 {
        self.row(id).map(|r| r.total.count()).unwrap_or(0)
    }
}

fn value_of(m: &Measure, f: &Facts, p: usize) -> Value {
    let sum = |it: &mut dyn Iterator<Item = i64>| it.sum::<i64>();
    match m {
        Measure::Conferences { kind, attendees } => Value::Count(sum(&mut f
            .conferences
            .iter()
            .filter(|c| c.period == p && kind.is_none_or(|k| k == c.kind))
            .map(|c| if *attendees { c.attendees } else { c.count }))),
        Measure::Publicity { channels, topics } => Value::Count(sum(&mut f
            .publicity
            .iter()
            .filter(|x| {
                x.period == p
                    && (channels.is_empty() || channels.contains(&x.channel))
                    && (topics.is_empty() || topics.contains(&x.topic))
            })
            .map(|x| x.count))),
        Measure::Dialogues { participants } => {
            Value::Count(sum(&mut f.dialogues.iter().filter(|d| d.period == p).map(
                |d| {
                    if *participants {
                        d.participants
                    } else {
                        d.count
                    }
                },
            )))
        }
        Measure::OpinionsRaised => Value::Count(sum(&mut f
            .opinions
            .iter()
            .filter(|o| o.period == p)
            .map(|o| o.raised))),
        Measure::OpinionsResolved => Value::Count(sum(&mut f
            .opinions
            .iter()
            .filter(|o| o.period == p)
            .map(|o| o.resolved_by_end))),
        Measure::OpinionsResolvedDuring => Value::Count(sum(&mut f
            .opinions_resolved
            .iter()
            .filter(|o| o.period == p)
            .map(|o| o.count))),
        Measure::OpinionsOpenAtEnd => Value::Count(sum(&mut f
            .opinions
            .iter()
            .filter(|o| o.period == p)
            .map(|o| o.raised - o.resolved_by_end))),
        Measure::OpinionsResolutionRate => {
            let raised: i64 = f
                .opinions
                .iter()
                .filter(|o| o.period == p)
                .map(|o| o.raised)
                .sum();
            let resolved: i64 = f
                .opinions
                .iter()
                .filter(|o| o.period == p)
                .map(|o| o.resolved_by_end)
                .sum();
            Value::Percent(crate::fmt::rate_tenths(resolved, raised))
        }
        Measure::Documents { kind } => Value::Count(sum(&mut f
            .documents
            .iter()
            .filter(|d| d.period == p && kind.is_none_or(|k| k == d.kind))
            .map(|d| d.count))),
        Measure::Inspections { kind } => Value::Count(sum(&mut f
            .inspections
            .iter()
            .filter(|d| d.period == p && kind.is_none_or(|k| k == d.kind))
            .map(|d| d.count))),
        Measure::Commendations { level, recipient } => Value::Count(sum(&mut f
            .commendations
            .iter()
            .filter(|c| {
                c.period == p
                    && level.is_none_or(|l| l == c.level)
                    && recipient.is_none_or(|r| r == c.recipient)
            })
            .map(|c| c.count))),
        Measure::GroupsActive => Value::Count(sum(&mut f
            .groups_active
            .iter()
            .filter(|g| g.0 == p)
            .map(|g| g.1))),
        Measure::HotSpotsOpened => Value::Count(sum(&mut f
            .hot_spots
            .iter()
            .filter(|h| h.period == p)
            .map(|h| h.opened))),
        Measure::HotSpotsOpenAtEnd => Value::Count(sum(&mut f
            .hot_spots
            .iter()
            .filter(|h| h.period == p)
            .map(|h| h.open_at_end))),
        Measure::Decisions { form, passed } => Value::Count(sum(&mut f
            .law
            .decisions
            .iter()
            .filter(|d| d.period == p && form.is_none_or(|x| x == d.form))
            .map(|d| if *passed { d.passed } else { d.count }))),
        Measure::Consultations(figure) => Value::Count(sum(&mut f
            .law
            .consultations
            .iter()
            .filter(|c| c.period == p)
            .map(|c| match figure {
                ConsultationFigure::Count => c.count,
                ConsultationFigure::Responses => c.responses,
                ConsultationFigure::TakenUp => c.taken_up,
            }))),
        Measure::InspectionBoard { kind } => Value::Count(sum(&mut f
            .law
            .inspection_board
            .iter()
            .filter(|a| a.period == p && kind.is_none_or(|k| k == a.kind))
            .map(|a| a.count))),
        Measure::SupervisionBoards => Value::Count(sum(&mut f
            .law
            .supervision_boards
            .iter()
            .filter(|c| c.period == p)
            .map(|c| c.count))),
        Measure::SupervisionActivities => Value::Count(sum(&mut f
            .law
            .supervision_activities
            .iter()
            .filter(|c| c.period == p)
            .map(|c| c.count))),
        Measure::ShortPostings => Value::Count(sum(&mut f
            .law
            .short_postings
            .iter()
            .filter(|c| c.period == p)
            .map(|c| c.count))),
        Measure::ShortBroadcasts => Value::Count(sum(&mut f
            .law
            .short_broadcasts
            .iter()
            .filter(|c| c.period == p)
            .map(|c| c.count))),
    }
}

/// Builds the table from the facts aggregated over [`query_grid`]`(periods, from, to)`.
pub fn assemble(
    grouping: Grouping,
    from: NaiveDate,
    to: NaiveDate,
    periods: Vec<Period>,
    facts: &Facts,
) -> Report {
    let n = periods.len();
    let rows = indicators()
        .iter()
        .map(|i| ReportRow {
            indicator: i,
            values: (0..n).map(|p| value_of(&i.measure, facts, p)).collect(),
            total: value_of(&i.measure, facts, n),
        })
        .collect();
    Report {
        grouping,
        from,
        to,
        periods,
        rows,
        notes: Vec::new(),
        include_part: false,
    }
}

/// Relative change from `before` to `after` in percent, when `before` is not zero.
pub fn change_percent(before: i64, after: i64) -> Option<f64> {
    rate_change_percent(before as f64, after as f64)
}

/// [`change_percent`] for rates such as yearly averages over periods of unequal length.
pub fn rate_change_percent(before: f64, after: f64) -> Option<f64> {
    (before != 0.0 && before.is_finite() && after.is_finite())
        .then(|| (after - before) * 100.0 / before)
}
