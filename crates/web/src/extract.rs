//! Query parameters shared by pages: the report range (`from`, `to`, `by`, `shape`)
//! read the same way by the summary report, its exports and the review draft.

use app::formats::csv::Shape;
use chrono::NaiveDate;
use domain::report::Grouping;
use domain::{dates, FieldErrors};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub by: Option<String>,
    pub shape: Option<String>,
    /// A checkbox: count the former wards that passed only in part.
    pub include_part: Option<String>,
}

/// The parsed query: range bounds (absent = whole history), grouping, CSV shape.
pub struct Params {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub by: Grouping,
    pub shape: Shape,
    pub include_part: bool,
}

pub fn parse(q: &ReportQuery) -> Result<Params, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut date = |field: &str, v: &Option<String>| match v
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => match dates::parse_date(s) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.add(field, domain::error::msg::BAD_DATE);
                None
            }
        },
    };
    let from = date("from", &q.from);
    let to = date("to", &q.to);
    let by = match q.by.as_deref().filter(|s| !s.is_empty()) {
        None => Grouping::Year,
        Some(s) => Grouping::parse(s).unwrap_or_else(|| {
            errors.add("by", "Chọn theo năm, nhiệm kỳ, giai đoạn hoặc tổng cộng.");
            Grouping::Year
        }),
    };
    let shape = match q.shape.as_deref().filter(|s| !s.is_empty()) {
        None => Shape::Long,
        Some(s) => Shape::parse(s).unwrap_or_else(|| {
            errors.add("shape", "Dạng bảng là long hoặc wide.");
            Shape::Long
        }),
    };
    if let (Some(f), Some(t)) = (from, to) {
        if let Err(e) = domain::report::check_range(f, t) {
            errors.extend(e);
        }
    }
    let include_part = q
        .include_part
        .as_deref()
        .is_some_and(|v| !v.is_empty() && v != "0");
    errors.into_result().map(|_| Params {
        from,
        to,
        by,
        shape,
        include_part,
    })
}
