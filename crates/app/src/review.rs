//! The review draft's inputs: fetching what `domain::review::compose` needs
//! ([`compose_for`]) through the one report path. The document is laid out as HTML by
//! the web's views and as a Word file by [`crate::formats::docx`]; both lay out the same
//! [`ReviewDocument`], so the page, the print-out and the .docx say the same thing.

use domain::dates;
use domain::report::{self, Grouping};
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
    let total = crate::report::build(
        store,
        ward,
        Some(draft.from),
        Some(draft.to),
        Grouping::Total,
    )
    .await?;
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
    let estimated = store
        .estimated_counts(ward, &report::query_grid(&[], draft.from, draft.to))
        .await?;
    Ok(review::compose(
        draft,
        &w,
        names_on(&names, draft.date),
        &total,
        &by_period,
        &estimated,
    ))
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
