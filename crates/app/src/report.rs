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

/// The city roll-up: each ward's report over one common grid, and the city's total
/// (additive figures summed, rates recomputed from the summed parts, residential groups
/// summed).
pub struct CityReport {
    pub wards: Vec<(store::ward::WardEntry, Report)>,
    pub total: Report,
}

/// Builds the roll-up of `wards` from `from` to `to` (absent: the earliest and latest
/// record of any of them) by year or as one total; terms and review periods are each
/// ward's own, so they do not group a city.
pub async fn build_city(
    store: &Store,
    wards: Vec<store::ward::WardEntry>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    grouping: Grouping,
) -> Result<CityReport, ReportError> {
    if !matches!(grouping, Grouping::Year | Grouping::Total) {
        return Err(ReportError::Invalid(FieldErrors::single(
            "by",
            "báo cáo nhiều phường chỉ theo năm (year) hoặc cả kỳ (total)",
        )));
    }
    let mut spans = Vec::new();
    for w in &wards {
        if let Some(span) = store.history_span(w.id).await? {
            spans.push(span);
        }
    }
    let from = from
        .or_else(|| spans.iter().map(|s| s.0).min())
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let to = to
        .or_else(|| spans.iter().map(|s| s.1).max())
        .unwrap_or(from)
        .max(from);
    let grid = report::period_grid(grouping, from, to, &[], &[]);
    let tiled = report::tiles(&grid, from, to);
    let additive = if tiled { grid.len() } else { grid.len() + 1 };
    let query_grid = report::query_grid(&grid, from, to);
    let mut all = domain::report::Facts::default();
    let mut out = Vec::with_capacity(wards.len());
    for w in wards {
        let mut facts = store.report_facts(w.id, &query_grid, additive).await?;
        if tiled {
            facts.derive_additive_totals(grid.len());
        }
        let r = report::assemble(grouping, from, to, grid.clone(), &facts);
        all.absorb(facts);
        out.push((w, r));
    }
    let total = report::assemble(grouping, from, to, grid, &all);
    Ok(CityReport { wards: out, total })
}
