//! Building the summary report (range → period grid → store aggregates → table). The web page, the exports, the CLI and the review draft all go
//! through [`build`], so their figures cannot differ.

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
/// recorded year to the last record (not to today: no empty columns for the years
/// since); today on a ward without records.
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
    let to = to.unwrap_or_else(|| span.map(|(_, b)| b).unwrap_or(today).max(from));
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
