//! The review draft (báo cáo tổng kết) written from the data: the meta and free-text
//! sections the committee edits ([`ReviewDraft`]), and [`compose`], which turns a draft
//! and the figures of two [`Report`](crate::report::Report)s into a structured document
//! in the Party document format (Guidance 36-HD/VPTW). Renderers (HTML, .docx) only lay
//! out a [`ReviewDocument`]; every sentence and figure is decided here.
//!
//! Every figure in the text is a [`Figure`] that carries the indicator, the period and
//! the [`Value`](crate::report::Value) it was read from, so that a page can link it to
//! its records and a test can check it against the CSV export. No figure is computed any
//! other way: derived numbers (yearly averages, changes between periods) are computed
//! from those values.
//!
//! - [`draft`]: what the committee saves and edits;
//! - [`document`]: the structured document renderers lay out;
//! - `wording`: how names and codes read in a sentence, the header;
//! - `writer`: figures read by [`IndicatorId`](crate::report::IndicatorId), footnotes;
//! - [`compose`](mod@compose): one function per section;
//! - `compare`: the last period against the one before, and the appendix;
//! - `law`: the 2022 law's review, its sections by the law's pillars.

mod compare;
pub mod compose;
pub mod document;
pub mod draft;
mod law;
pub mod lineage;
mod wording;
mod writer;

pub use compose::compose;
pub use document::{
    Appendix, AppendixRow, DocHeader, Figure, Paragraph, ReviewDocument, Section, Signature, Span,
};
pub use draft::{
    law_review_range, ReviewDraft, DEFAULT_ON_BEHALF, DEFAULT_SIGNER_TITLE, DEFAULT_TITLE, FIELDS,
    LAW_TITLE, SECTION_MAX, TITLE_MAX,
};

#[cfg(test)]
mod law_tests;
#[cfg(test)]
mod tests;
