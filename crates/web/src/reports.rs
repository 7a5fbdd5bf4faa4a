//! Building the summary report (range → period grid → store aggregates → table) and
//! writing it as CSV. The web page, the exports, the CLI and the review draft all go
//! through [`build`], so their figures cannot differ.

use std::io::Write;

use chrono::NaiveDate;
use domain::report::{self, Grouping, Report};
use domain::FieldErrors;
use store::{Store, WardId};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{0}")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

/// The range a report covers when bounds are absent: from 1 January of the first
/// recorded year to the last record or today, whichever is later.
pub async fn resolve_range(
    store: &Store,
    ward: WardId,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<(NaiveDate, NaiveDate), ReportError> {
    let today = chrono::Local::now().date_naive();
    let span = if from.is_none() || to.is_none() {
        store.history_span(ward).await?
    } else {
        None
    };
    let from = from.unwrap_or_else(|| {
        span.and_then(|(a, _)| NaiveDate::from_ymd_opt(chrono::Datelike::year(&a), 1, 1))
            .unwrap_or(today)
    });
    let to = to.unwrap_or_else(|| span.map(|(_, b)| b.max(today)).unwrap_or(today).max(from));
    report::check_range(from, to).map_err(ReportError::Invalid)?;
    Ok((from, to))
}

pub async fn build(
    store: &Store,
    ward: WardId,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    grouping: Grouping,
) -> Result<Report, ReportError> {
    let (from, to) = resolve_range(store, ward, from, to).await?;
    let terms = store.terms(ward).await?;
    let periods = store.review_periods(ward).await?;
    let grid = report::period_grid(grouping, from, to, &terms, &periods);
    // When the periods tile the range (years always do), additive totals are the sum of
    // the periods and need no second pass over the records.
    let tiled = report::tiles(&grid, from, to);
    let additive = if tiled { grid.len() } else { grid.len() + 1 };
    let mut facts = store
        .report_facts(ward, &report::query_grid(&grid, from, to), additive)
        .await?;
    if tiled {
        facts.derive_additive_totals(grid.len());
    }
    Ok(report::assemble(grouping, from, to, grid, &facts))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Long,
    Wide,
}

impl Shape {
    pub fn parse(s: &str) -> Option<Shape> {
        match s.trim() {
            "long" => Some(Shape::Long),
            "wide" => Some(Shape::Wide),
            _ => None,
        }
    }
}

/// Writes the report as CSV (DESIGN §5) with CRLF line ends; returns the number of
/// data rows. An undefined figure (a rate with nothing to divide) is an empty cell in
/// the wide shape and no row in the long one. `bom` adds the UTF-8 BOM that Excel needs to show Vietnamese.
pub fn write_csv<W: Write>(out: W, r: &Report, shape: Shape, bom: bool) -> std::io::Result<usize> {
    let mut out = out;
    if bom {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let mut rows = 0;
    match shape {
        Shape::Long => {
            w.write_record(["indicator", "name", "unit", "period", "value"])?;
            for row in &r.rows {
                let i = row.indicator;
                // A rate over no opinions has no value: its row is left out rather than
                // written with an empty cell, so every value in a long file is a number.
                let cells = r
                    .periods
                    .iter()
                    .map(|p| p.label.as_str())
                    .zip(&row.values)
                    .chain([(report::TOTAL, &row.total)]);
                for (label, v) in cells.filter(|(_, v)| v.as_f64().is_some()) {
                    w.write_record([i.code.as_str(), &i.name, i.unit, label, &v.plain()])?;
                    rows += 1;
                }
            }
        }
        Shape::Wide => {
            let mut header = vec!["indicator".to_string(), "name".into(), "unit".into()];
            header.extend(r.periods.iter().map(|p| p.label.clone()));
            header.push(report::TOTAL.into());
            w.write_record(&header)?;
            for row in &r.rows {
                let i = row.indicator;
                let mut rec = vec![i.code.clone(), i.name.clone(), i.unit.to_string()];
                rec.extend(row.values.iter().map(|v| v.plain()));
                rec.push(row.total.plain());
                w.write_record(&rec)?;
                rows += 1;
            }
        }
    }
    w.flush()?;
    Ok(rows)
}
