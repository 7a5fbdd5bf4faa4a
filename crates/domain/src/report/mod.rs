//! The summary report: indicator definitions, the period grid, and the assembly of
//! aggregate facts (computed by the store, one query per family) into a table of
//! indicators × periods. Every consumer — the page, the CSV and XLSX exports, the CLI,
//! the dashboard and the review draft — reads figures from a [`Report`] built here.
//!
//! - [`period`]: groupings and the period grid;
//! - [`id`]: [`IndicatorId`], the compile-time checked names of indicators;
//! - [`indicator`]: what each indicator measures and the records behind a figure;
//! - [`facts`]: the aggregates the store computes;
//! - [`assemble`](mod@assemble): facts → [`Report`].

pub mod assemble;
pub mod facts;
pub mod id;
pub mod indicator;
pub mod period;

pub use assemble::{assemble, change_percent, rate_change_percent, Report, ReportRow, Value};
pub use facts::{
    CommendationFact, ConferenceFact, ConsultationFact, CountFact, DecisionFact, DialogueFact,
    Facts, HotSpotFact, KindFact, LawFacts, OpinionFact, PublicityFact, ResolvedFact,
};
pub use id::IndicatorId;
pub use indicator::{
    indicator, indicator_by_code, indicators, ConsultationFigure, Indicator, Measure,
};
pub use period::{check_range, period_grid, query_grid, tiles, Grouping, Period, TOTAL};

#[cfg(test)]
mod tests;
