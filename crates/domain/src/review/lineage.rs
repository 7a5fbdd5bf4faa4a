//! The review's paragraph on a ward formed by a merger: which former wards its figures
//! count before it existed, how much of each, and what each contributed.

use chrono::NaiveDate;

use super::document::{Paragraph, Span};
use crate::codes::{Code, Share};
use crate::dates;
use crate::report::{IndicatorId, Report};

/// A former ward as the review names it, with its own figures over the draft's range.
pub struct FormerWard<'a> {
    pub name: &'a str,
    pub share: Share,
    pub last_day: NaiveDate,
    pub report: &'a Report,
}

/// "Số liệu trước ngày … gồm bản ghi của các phường cũ: Phường A (toàn bộ, đến
/// 30/06/2025: 142 hội nghị, 15.135 lượt người dự; …)". None without former wards.
pub fn former_wards_paragraph(formers: &[FormerWard<'_>], notes: &[String]) -> Option<Paragraph> {
    let first = formers.first()?;
    let figure = |r: &Report, id| {
        r.row(id)
            .map(|row| row.total.vn())
            .unwrap_or_else(|| "0".into())
    };
    let parts: Vec<String> = formers
        .iter()
        .map(|f| {
            format!(
                "{} ({}, đến ngày {}: {} hội nghị, {} lượt người dự; {} lượt tin bài, thông báo; {} buổi tiếp xúc, đối thoại)",
                f.name,
                f.share.label(),
                dates::vn(f.last_day),
                figure(f.report, IndicatorId::ConferencesCount),
                figure(f.report, IndicatorId::ConferencesAttendees),
                figure(f.report, IndicatorId::PublicityTotal),
                figure(f.report, IndicatorId::DialoguesCount),
            )
        })
        .collect();
    let mut text = format!(
        "Số liệu trong báo cáo cho thời gian trước ngày {} gồm bản ghi của các phường cũ đã sáp nhập vào phường: {}.",
        dates::vn(first.last_day.succ_opt().unwrap_or(first.last_day)),
        parts.join("; ")
    );
    for n in notes {
        text.push(' ');
        text.push_str(n);
    }
    Some(Paragraph {
        spans: vec![Span::Text(text)],
    })
}
