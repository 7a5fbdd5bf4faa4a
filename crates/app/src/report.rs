//! Building the summary report (range → period grid → store aggregates → table). The web page, the exports, the CLI and the review draft all go
//! through [`build`], so their figures cannot differ.

use chrono::NaiveDate;
use domain::lineage::{self, Counted, Share};
use domain::report::{self, Facts, Grouping, Report};
use domain::FieldErrors;
use futures_util::stream::{self, StreamExt};
use store::ward::WardEntry;
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
/// since); today on a ward without records. A ward's records include those of the
/// former wards its report counts.
pub async fn resolve_range(
    store: &Store,
    ward: WardId,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<(NaiveDate, NaiveDate), ReportError> {
    let counted = counted(store, ward, false).await?;
    resolve_range_of(store, &counted, from, to).await
}

async fn resolve_range_of(
    store: &Store,
    counted: &[Counted<WardId>],
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<(NaiveDate, NaiveDate), ReportError> {
    let today = chrono::Local::now().date_naive();
    let mut span: Option<(NaiveDate, NaiveDate)> = None;
    if from.is_none() || to.is_none() {
        for c in counted {
            if let Some((a, b)) = store.history_span(c.ward).await? {
                let b = c.last_day.map_or(b, |l| b.min(l));
                span = Some(span.map_or((a, b), |(x, y)| (x.min(a), y.max(b))));
            }
        }
    }
    let from = from.unwrap_or_else(|| {
        span.and_then(|(a, _)| NaiveDate::from_ymd_opt(chrono::Datelike::year(&a), 1, 1))
            .unwrap_or(today)
    });
    let to = to.unwrap_or_else(|| span.map(|(_, b)| b).unwrap_or(today).max(from));
    report::check_range(from, to).map_err(ReportError::Invalid)?;
    Ok((from, to))
}

/// The wards whose records `ward`'s report counts: itself, then its former wards
/// (`domain::lineage::counted_wards`): whole ones always, part ones when asked.
pub async fn counted(
    store: &Store,
    ward: WardId,
    include_part: bool,
) -> store::Result<Vec<Counted<WardId>>> {
    let successions = store.successions().await?;
    Ok(lineage::counted_wards(ward, &successions, include_part))
}

/// The wards whose records `ward`'s lists show (a report's drill-down): itself, then its
/// former wards up to their last days, as [`build_with`] counts them.
pub async fn list_scope(
    store: &Store,
    ward: WardId,
    include_part: bool,
) -> store::Result<Vec<(WardId, Option<NaiveDate>)>> {
    Ok(counted(store, ward, include_part)
        .await?
        .into_iter()
        .map(|c| (c.ward, c.last_day))
        .collect())
}

/// A former ward's share of a report: the ward, how it passed, and its own figures up
/// to its last day.
#[derive(Debug, Clone)]
pub struct Former {
    pub ward: WardEntry,
    pub share: Share,
    pub last_day: NaiveDate,
    pub report: Report,
}

/// A ward's report with the former wards it counts (empty when it has none), each with
/// its own figures; `own` is the ward's own records' part.
#[derive(Debug, Clone)]
pub struct Built {
    pub report: Report,
    pub own: Option<Report>,
    pub former: Vec<Former>,
}

/// The summary report of `ward` (with its whole former wards; see [`build_with`]).
pub async fn build(
    store: &Store,
    ward: WardId,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    grouping: Grouping,
) -> Result<Report, ReportError> {
    Ok(build_with(store, ward, from, to, grouping, false)
        .await?
        .report)
}

/// The one path from a range and grouping to a ward's report. For days before the ward
/// existed it counts the records of its whole former wards (and of its part ones when
/// `include_part`, then noted in `Report::notes`), each only up to its last day and its
/// registers only at period ends before then.
pub async fn build_with(
    store: &Store,
    ward: WardId,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    grouping: Grouping,
    include_part: bool,
) -> Result<Built, ReportError> {
    let counted = counted(store, ward, include_part).await?;
    let (from, to) = resolve_range_of(store, &counted, from, to).await?;
    let terms = store.terms(ward).await?;
    let periods = store.review_periods(ward).await?;
    let grid = report::period_grid(grouping, from, to, &terms, &periods);
    // When the periods tile the range (years always do), additive totals are the sum of
    // the periods and need no second pass over the records.
    let tiled = report::tiles(&grid, from, to);
    let additive = if tiled { grid.len() } else { grid.len() + 1 };
    let query_grid = report::query_grid(&grid, from, to);
    let each = facts_of(
        store,
        &counted,
        &query_grid,
        additive,
        tiled.then_some(grid.len()),
    )
    .await?;
    let mut all = Facts::default();
    let mut parts = Vec::with_capacity(counted.len());
    for facts in each {
        if counted.len() > 1 {
            parts.push(report::assemble(grouping, from, to, grid.clone(), &facts));
        }
        all.absorb(facts);
    }
    let mut report = report::assemble(grouping, from, to, grid, &all);
    report.include_part = include_part;
    if counted.len() == 1 {
        return Ok(Built {
            report,
            own: None,
            former: Vec::new(),
        });
    }
    let wards = store.wards().await?;
    let entry = |w: WardId| {
        wards
            .iter()
            .find(|e| e.id == w)
            .cloned()
            .ok_or(ReportError::Store(store::StoreError::NotFound))
    };
    let mut parts = parts.into_iter();
    let own = parts.next();
    let mut former = Vec::new();
    for (c, r) in counted.iter().skip(1).zip(parts) {
        let (Some(share), Some(last_day)) = (c.share, c.last_day) else {
            continue;
        };
        former.push(Former {
            ward: entry(c.ward)?,
            share,
            last_day,
            report: r,
        });
    }
    let part: Vec<String> = former
        .iter()
        .filter(|f| f.share == Share::Part)
        .map(|f| {
            format!(
                "{} (đến {})",
                f.ward.ward.name,
                domain::dates::vn(f.last_day)
            )
        })
        .collect();
    if !part.is_empty() {
        report.notes.push(format!(
            "Số liệu gồm cả bản ghi của phường cũ chỉ sáp nhập một phần: {}.",
            part.join(", ")
        ));
    }
    Ok(Built {
        report,
        own,
        former,
    })
}

/// The facts of each counted ward over `query_grid`: a former ward's up to its last
/// day, its registers only at period ends before then; additive totals derived from the
/// periods when they tile the range (`derive`: the number of periods).
async fn facts_of(
    store: &Store,
    counted: &[Counted<WardId>],
    query_grid: &[domain::report::Period],
    additive: usize,
    derive: Option<usize>,
) -> Result<Vec<Facts>, ReportError> {
    let mut out = Vec::with_capacity(counted.len());
    for c in counted {
        let mut facts = match c.last_day {
            None => store.report_facts(c.ward, query_grid, additive).await?,
            Some(last) => {
                let (clipped, after) = lineage::clip_grid(query_grid, last);
                let mut f = store.report_facts(c.ward, &clipped, additive).await?;
                f.drop_stocks(&after);
                f
            }
        };
        if let Some(n) = derive {
            facts.derive_additive_totals(n);
        }
        out.push(facts);
    }
    Ok(out)
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
    // The wards' spans only when a bound is absent (each is a query per ward).
    let mut spans = Vec::new();
    if from.is_none() || to.is_none() {
        for w in &wards {
            if let Some(span) = store.history_span(w.id).await? {
                spans.push(span);
            }
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
    let successions = store.successions().await?;
    // Each ward as its own report gives it (with its whole former wards); the total
    // counts each ward's own records once. The wards' aggregates run side by side, a
    // few at a time (`Store::parallel_reads`), and come back in the wards' order.
    let each_ward = |w: WardEntry| {
        let (successions, query_grid, grid) = (&successions, &query_grid, &grid);
        async move {
            let counted = lineage::counted_wards(w.id, successions, false);
            let mut each = facts_of(
                store,
                &counted,
                query_grid,
                additive,
                tiled.then_some(grid.len()),
            )
            .await?
            .into_iter();
            let mut facts = each.next().unwrap_or_default();
            let own = facts.clone();
            for f in each {
                facts.absorb(f);
            }
            let r = report::assemble(grouping, from, to, grid.clone(), &facts);
            Ok::<_, ReportError>((w, r, own))
        }
    };
    let built: Vec<Result<_, ReportError>> = stream::iter(wards.into_iter().map(each_ward))
        .buffered(store.parallel_reads())
        .collect()
        .await;
    let mut all = domain::report::Facts::default();
    let mut out = Vec::with_capacity(built.len());
    for b in built {
        let (w, r, own) = b?;
        all.absorb(own);
        out.push((w, r));
    }
    let total = report::assemble(grouping, from, to, grid, &all);
    Ok(CityReport { wards: out, total })
}
