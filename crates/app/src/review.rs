//! The review draft's inputs: fetching what `domain::review::compose` needs
//! ([`compose_for`]) through the one report path. The document is laid out as HTML by
//! the web's views and as a Word file by [`crate::formats::docx`]; both lay out the same
//! [`ReviewDocument`], so the page, the print-out and the .docx say the same thing.

use domain::dates;
use domain::report::{self, Grouping};
use domain::review::lineage::{former_wards_paragraph, FormerWard};
use domain::review::{self, ReviewDocument, ReviewDraft};
use domain::ward::names_on;
use store::{Store, WardId};

/// Everything `compose` reads, through the one report path ([`crate::report::build`]).
///
/// The by-period report starts at the earliest named review period that begins on or
/// before the draft's range (or at the range itself), so that the draft's last period can
/// be compared with the previous ones and the appendix shows them side by side; the body's
/// figures all come from the total report over exactly the draft's range.
pub async fn compose_for(
    store: &Store,
    ward: WardId,
    draft: &ReviewDraft,
) -> anyhow::Result<ReviewDocument> {
    let w = store.ward(ward).await?;
    let names = store.ward_names(ward).await?;
    let built = crate::report::build_with(
        store,
        ward,
        Some(draft.from),
        Some(draft.to),
        Grouping::Total,
        false,
    )
    .await?;
    let total = &built.report;
    let start = store
        .review_periods(ward)
        .await?
        .iter()
        .map(|p| p.start)
        .filter(|s| *s <= draft.from)
        .min()
        .unwrap_or(draft.from);
    let by_period =
        crate::report::build(store, ward, Some(start), Some(draft.to), Grouping::Period).await?;
    let estimated =
        estimated_in(store, ward, &report::query_grid(&[], draft.from, draft.to)).await?;
    let mut doc = review::compose(
        draft,
        &w,
        names_on(&names, draft.date),
        total,
        &by_period,
        &estimated,
    );
    // A ward formed by a merger says whose records its figures count before it existed.
    let formers: Vec<FormerWard<'_>> = built
        .former
        .iter()
        .map(|f| FormerWard {
            name: &f.ward.ward.name,
            share: f.share,
            last_day: f.last_day,
            report: &f.report,
        })
        .collect();
    if let Some(p) = former_wards_paragraph(&formers, &total.notes) {
        doc.intro.push(p);
    }
    Ok(doc)
}

/// Records marked as estimated over `grid`: the ward's, and those of the former wards
/// its figures count (whole ones, each up to its last day), so that a footnote counts
/// the same records as the figure it annotates.
async fn estimated_in(
    store: &Store,
    ward: WardId,
    grid: &[report::Period],
) -> anyhow::Result<Vec<(domain::Kind, usize, i64)>> {
    let mut out = Vec::new();
    for c in crate::report::counted(store, ward, false).await? {
        let counts = match c.last_day {
            None => store.estimated_counts(c.ward, grid).await?,
            Some(last) => {
                let (clipped, _) = domain::lineage::clip_grid(grid, last);
                store.estimated_counts(c.ward, &clipped).await?
            }
        };
        out.extend(counts);
    }
    Ok(out)
}

/// The suggested draft's fields for a range, as form pairs (for tests and scripts).
pub fn suggested_pairs(from: &str, to: &str) -> Vec<(String, String)> {
    match (dates::parse_date(from), dates::parse_date(to)) {
        (Ok(f), Ok(t)) => ReviewDraft::suggested(f, t, t)
            .to_input()
            .0
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}
