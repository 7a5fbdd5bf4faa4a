//! The periods side by side: the last named period against the one before it, and the
//! appendix table of indicators × periods.

use crate::dates;
use crate::fmt;
use crate::report::{self, IndicatorId, Period};

use super::document::{Appendix, AppendixRow, Figure, Paragraph, Section, Span};
use super::wording::short_decimal;
use super::writer::Writer;

/// Length of a period in years (365.25 days), for yearly averages.
fn years(p: &Period) -> f64 {
    ((p.end - p.start).num_days() + 1) as f64 / 365.25
}

/// The last period of the by-period report against the one before it. Periods of
/// unequal length (a 6-year and a 4½-year period) are compared by their yearly average,
/// which is what the comparison means; equal ones by their totals.
pub(super) fn comparison(w: &mut Writer<'_>) -> Option<Section> {
    use IndicatorId as I;
    let n = w.by_period.periods.len();
    if n < 2 {
        return None;
    }
    let (prev, last) = (n - 2, n - 1);
    let (pp, lp) = (
        w.by_period.periods[prev].clone(),
        w.by_period.periods[last].clone(),
    );
    let (yp, yl) = (years(&pp), years(&lp));
    let equal = (pp.end - pp.start) == (lp.end - lp.start);
    let mut out = vec![Paragraph {
        spans: vec![Span::Text(format!(
            "So với giai đoạn {} ({} – {}), trong giai đoạn {} ({} – {}){}:",
            pp.label,
            dates::vn(pp.start),
            dates::vn(pp.end),
            lp.label,
            dates::vn(lp.start),
            dates::vn(lp.end),
            if equal {
                ""
            } else {
                ", tính bình quân mỗi năm"
            }
        ))],
    }];
    for (id, what, unit) in [
        (I::ConferencesCount, "số hội nghị", "hội nghị"),
        (
            I::ConferencesAttendees,
            "số lượt người dự hội nghị",
            "lượt người",
        ),
        (
            I::PublicityTotal,
            "số lượt tin, bài, thông báo, công khai",
            "lượt",
        ),
        (I::DialoguesCount, "số buổi tiếp xúc, đối thoại", "buổi"),
        (I::OpinionsCount, "số ý kiến, kiến nghị được nêu", "ý kiến"),
        (I::InspectionsCount, "số cuộc kiểm tra, giám sát", "cuộc"),
        (
            I::CommendationsPartyCells,
            "số lượt chi bộ được biểu dương, khen thưởng",
            "lượt",
        ),
    ] {
        let (Some(a), Some(b)) = (w.figure(id, Some(prev)), w.figure(id, Some(last))) else {
            continue;
        };
        let (va, vb) = (a.value.count(), b.value.count());
        let (ra, rb) = if equal {
            (va as f64, vb as f64)
        } else {
            (va as f64 / yp, vb as f64 / yl)
        };
        let change = match report::rate_change_percent(ra, rb) {
            None if rb == 0.0 => "không thay đổi".to_string(),
            None => "phát sinh mới".to_string(),
            Some(c) if c.abs() < 0.05 => "tương đương".to_string(),
            Some(c) if c > 0.0 => format!("tăng {}%", short_decimal(c)),
            Some(c) => format!("giảm {}%", short_decimal(-c)),
        };
        let mut p = Paragraph {
            spans: vec![Span::Text(format!("- {what}: "))],
        };
        p.spans.push(Span::Figure(b));
        if equal {
            p.spans.push(Span::Text(format!(
                " {unit}, {change} so với giai đoạn trước ("
            )));
            p.spans.push(Span::Figure(a));
            p.spans.push(Span::Text(format!(" {unit});")));
        } else {
            p.spans.push(Span::Text(format!(
                " {unit} (bình quân {} {unit}/năm), {change} so với giai đoạn trước (",
                fmt::decimal(rb, 1)
            )));
            p.spans.push(Span::Figure(a));
            p.spans.push(Span::Text(format!(
                " {unit}, bình quân {} {unit}/năm);",
                fmt::decimal(ra, 1)
            )));
        }
        out.push(p);
    }
    // The last item ends the list.
    if let Some(Span::Text(t)) = out.last_mut().and_then(|p| p.spans.last_mut()) {
        if let Some(s) = t.strip_suffix(';') {
            *t = format!("{s}.");
        }
    }
    Some(Section {
        level: 2,
        heading: "7. So sánh với giai đoạn trước".into(),
        paragraphs: out,
    })
}

/// Indicators × periods: the design's main indicators and the resolution rate, one
/// column per period of the by-period report, and the draft's range unless one of those
/// periods is exactly it.
pub(super) fn appendix(w: &Writer<'_>) -> Appendix {
    let range = w.total.total_period();
    let same = w
        .by_period
        .periods
        .iter()
        .any(|p| p.start == range.start && p.end == range.end);
    let mut columns: Vec<String> = w
        .by_period
        .periods
        .iter()
        .map(|p| format!("Giai đoạn {}", p.label))
        .collect();
    if !same {
        columns.push(format!(
            "Từ {} đến {}",
            dates::vn(range.start),
            dates::vn(range.end)
        ));
    }
    let codes = report::indicators()
        .iter()
        .filter(|i| i.main || i.id == IndicatorId::OpinionsResolutionRate);
    let rows = codes
        .enumerate()
        .map(|(n, i)| {
            let mut cells: Vec<Figure> = (0..w.by_period.periods.len())
                .filter_map(|p| w.figure(i.id, Some(p)))
                .collect();
            if !same {
                cells.extend(w.figure(i.id, None));
            }
            AppendixRow {
                number: n + 1,
                name: i.name.clone(),
                unit: i.unit.to_string(),
                cells,
            }
        })
        .collect();
    Appendix {
        title: "PHỤ LỤC: SỐ LIỆU THỰC HIỆN QUY CHẾ DÂN CHỦ Ở CƠ SỞ QUA CÁC GIAI ĐOẠN".into(),
        columns,
        rows,
    }
}
