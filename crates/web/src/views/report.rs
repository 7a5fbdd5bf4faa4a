//! Views of a [`Report`]: the HTML table with drill-down links and the server-rendered
//! SVG chart. Pure functions of the report, so that the page and every export show the
//! same figures.

use domain::report::{Indicator, IndicatorId, Period, Report, ReportRow, Value, TOTAL};
use domain::submission::{Difference, Differences, Submission};
use domain::{dates, fmt as vnfmt, Code};
use maud::{html, Markup};

/// The record list behind a figure, as a link (`/publicity?from=…&topic=…`).
pub fn drill_href(i: &Indicator, p: &Period) -> Option<String> {
    let (kind, filter) = i.drilldown(p)?;
    let mut pairs = filter.to_query();
    pairs.push((
        crate::records_view::INDICATOR_PARAM.to_string(),
        i.code.clone(),
    ));
    let query = serde_urlencoded::to_string(pairs).ok()?;
    Some(format!("/{}?{query}", kind.slug()))
}

fn cell(v: &Value, href: Option<String>, changed: Option<&Difference>) -> Markup {
    html! {
        td.num.changed[changed.is_some()] {
            @match href {
                Some(h) if v.as_f64().is_some() => a href=(h) title="Xem các bản ghi" { (v.vn()) },
                _ => (v.vn()),
            }
            @if let Some(d) = changed { br; small.was { (d.vn()) } }
        }
    }
}

fn rows_table(
    report: &Report,
    rows: &[&ReportRow],
    caption: &str,
    diffs: Option<&Differences>,
) -> Markup {
    let changed =
        |row: &ReportRow, label: &str| diffs.and_then(|d| d.get(&row.indicator.code, label));
    let total = report.total_period();
    // the lists behind the figures count what the figures count
    let drill_href = |i: &Indicator, p: &Period| {
        drill_href(i, p).map(|h| {
            if report.include_part {
                format!("{h}&include_part=1")
            } else {
                h
            }
        })
    };
    html! {
        table.report {
            caption { (caption) }
            thead {
                tr {
                    th scope="col" { "Chỉ tiêu" }
                    th scope="col" { "Đơn vị" }
                    @for p in &report.periods { th scope="col" .num title=(format!("{} – {}", dates::vn(p.start), dates::vn(p.end))) { (p.label) } }
                    th scope="col" .num { "Tổng cộng" }
                }
            }
            tbody {
                @for row in rows {
                    tr {
                        th scope="row" {
                            (row.indicator.name)
                            br;
                            small.code title=(row.indicator.definition) { (row.indicator.code) }
                        }
                        td { (row.indicator.unit) }
                        @for (p, v) in report.periods.iter().zip(&row.values) { (cell(v, drill_href(row.indicator, p), changed(row, &p.label))) }
                        (cell(&row.total, drill_href(row.indicator, &total), changed(row, TOTAL)))
                    }
                }
            }
        }
    }
}

/// The indicators of the 2022 law's registers, each figure linked to its records.
pub fn law_table(report: &Report) -> Markup {
    let law: Vec<&ReportRow> = report
        .rows
        .iter()
        .filter(|r| r.indicator.is_law())
        .collect();
    law_rows(report, &law, None)
}

fn law_rows(report: &Report, law: &[&ReportRow], diffs: Option<&Differences>) -> Markup {
    rows_table(
        report,
        law,
        "Thực hiện Luật Thực hiện dân chủ ở cơ sở 2022 (từ 01/07/2023)",
        diffs,
    )
}

/// A ward's report by former ward: each main indicator's total for the ward's own
/// records and for each former ward's (up to its last day), then the sum.
pub fn by_former_ward(own_name: &str, built: &app::report::Built) -> Markup {
    let Some(own) = &built.own else {
        return html! {};
    };
    let total = |r: &Report, id| r.row(id).map(|row| row.total.vn()).unwrap_or_default();
    let ids: Vec<IndicatorId> = built
        .report
        .rows
        .iter()
        .filter(|r| r.indicator.main)
        .map(|r| r.indicator.id)
        .collect();
    html! {
        section aria-labelledby="former" {
            h2 #former { "Theo phường cũ" }
            p.hint { "Trước ngày sáp nhập, báo cáo tính bản ghi của các phường cũ (toàn bộ; một phần nếu được chọn), mỗi phường đến ngày cuối cùng của nó." }
            div.scroll {
                table.report {
                    caption { "Tổng cộng cả kỳ theo phường" }
                    thead { tr {
                        th scope="col" { "Chỉ tiêu" }
                        th scope="col" .num { (own_name) }
                        @for f in &built.former {
                            th scope="col" .num {
                                (f.ward.ward.name) br;
                                small { (f.share.label()) ", đến " (dates::vn(f.last_day)) }
                            }
                        }
                        th scope="col" .num { "Cộng" }
                    } }
                    tbody {
                        @for id in &ids {
                            @if let Some(row) = built.report.row(*id) {
                                tr {
                                    th scope="row" { (row.indicator.name) }
                                    td.num { (total(own, *id)) }
                                    @for f in &built.former { td.num { (total(&f.report, *id)) } }
                                    td.num { (row.total.vn()) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The main indicators, then the breakdowns, each figure linked to its records.
pub fn table(report: &Report) -> Markup {
    table_marked(report, None)
}

/// [`table`] with the figures that differ from a submitted snapshot marked, each with
/// what was submitted and what it is now («Đã nộp: 142 → nay: 143»); the breakdowns
/// open when one of theirs differs.
pub fn table_marked(report: &Report, diffs: Option<&Differences>) -> Markup {
    let law: Vec<&ReportRow> = report
        .rows
        .iter()
        .filter(|r| r.indicator.is_law())
        .collect();
    let notes = html! {
        @for n in &report.notes { p.alert role="note" { (n) } }
    };
    let main: Vec<&ReportRow> = report.rows.iter().filter(|r| r.indicator.main).collect();
    let more: Vec<&ReportRow> = report
        .rows
        .iter()
        .filter(|r| !r.indicator.main && !r.indicator.is_law())
        .collect();
    let more_changed = diffs.is_some_and(|d| {
        more.iter().any(|r| {
            report
                .periods
                .iter()
                .map(|p| p.label.as_str())
                .chain([TOTAL])
                .any(|l| d.get(&r.indicator.code, l).is_some())
        })
    });
    html! {
        (notes)
        (rows_table(report, &main, "Các chỉ tiêu chính", diffs))
        (law_rows(report, &law, diffs))
        details open[more_changed] {
            summary { "Chỉ tiêu chi tiết (" (more.len()) ")" }
            (rows_table(report, &more, "Chỉ tiêu chi tiết theo loại, hình thức, nội dung", diffs))
        }
        details {
            summary { "Định nghĩa các chỉ tiêu" }
            dl.definitions {
                @for row in &report.rows {
                    dt { (row.indicator.name) " " code { (row.indicator.code) } }
                    dd { (row.indicator.definition) }
                }
            }
        }
    }
}

/// What a report over a submitted period's range says of the submission: its status,
/// and how many figures differ from what was sent (marked in the table).
pub fn submission_notice(s: &Submission, diffs: &Differences) -> Markup {
    html! {
        div.notice role="status" {
            p {
                a href=(format!("/reports/submissions/{}", s.id)) { (s.describe()) }
                " — " strong { (s.status_vn()) } "."
            }
            @if diffs.is_empty() {
                p { "Số liệu hiện nay trùng với số liệu đã nộp." }
            } @else {
                p { strong { (diffs.len()) " số liệu" } " khác với số liệu đã nộp; các ô đó được đánh dấu, ghi cả số đã nộp và số hiện nay." }
            }
        }
    }
}

/// The indicators drawn in the chart: one small bar chart each, so that counts of a
/// hundred and attendances of fifteen thousand are each readable on their own scale.
pub const CHARTED: &[IndicatorId] = &[
    IndicatorId::ConferencesCount,
    IndicatorId::ConferencesAttendees,
    IndicatorId::PublicityRadioQcdc,
    IndicatorId::PublicityLandSiteClearance,
    IndicatorId::PublicityOrdinance34,
    IndicatorId::DialoguesCount,
    IndicatorId::OpinionsCount,
    IndicatorId::CommendationsPartyCells,
];

/// Small multiples of bar charts across the periods, as inline SVG (presentation
/// attributes only: the page's CSP allows no inline style).
pub fn chart(report: &Report) -> Markup {
    let n = report.periods.len().max(1);
    let (w, h, top, bottom) = (320.0_f64, 150.0_f64, 22.0_f64, 28.0_f64);
    let bar_w = ((w - 20.0) / n as f64).min(40.0);
    html! {
        div.charts role="group" aria-label="Biểu đồ các chỉ tiêu chính theo kỳ" {
            @for id in CHARTED {
                @if let Some(row) = report.row(*id) {
                    @let values: Vec<f64> = if report.periods.is_empty() { vec![row.total.as_f64().unwrap_or(0.0)] } else { row.values.iter().map(|v| v.as_f64().unwrap_or(0.0)).collect() };
                    @let labels: Vec<String> = if report.periods.is_empty() { vec!["Tổng".into()] } else { report.periods.iter().map(|p| p.label.clone()).collect() };
                    @let max = values.iter().cloned().fold(0.0_f64, f64::max).max(1.0);
                    figure {
                        svg xmlns="http://www.w3.org/2000/svg" width=(w) height=(h) viewBox=(format!("0 0 {w} {h}")) role="img" aria-label=(row.indicator.name) {
                            title { (row.indicator.name) }
                            text x="4" y="14" font-size="12" font-weight="bold" fill="#1b1b1b" { (row.indicator.name) }
                            line x1="10" y1=(h - bottom) x2=(w - 10.0) y2=(h - bottom) stroke="#999" {}
                            @for (i, v) in values.iter().enumerate() {
                                @let bh = (v / max) * (h - top - bottom - 12.0);
                                @let x = 10.0 + i as f64 * ((w - 20.0) / values.len() as f64);
                                rect x=(format!("{x:.1}")) y=(format!("{:.1}", h - bottom - bh)) width=(format!("{:.1}", bar_w * 0.8)) height=(format!("{bh:.1}")) fill="#8b0000" {
                                    title { (labels[i]) ": " (vnfmt::thousands(*v as i64)) }
                                }
                                @if values.len() <= 12 {
                                    text x=(format!("{:.1}", x + bar_w * 0.4)) y=(format!("{:.1}", h - bottom - bh - 2.0)) font-size="9" text-anchor="middle" fill="#1b1b1b" { (vnfmt::thousands(*v as i64)) }
                                }
                                @if values.len() <= 12 || i % 2 == 0 {
                                    text x=(format!("{:.1}", x + bar_w * 0.4)) y=(format!("{:.1}", h - bottom + 12.0)) font-size="9" text-anchor="middle" fill="#444" { (labels[i]) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use domain::report::{assemble, period_grid, ConferenceFact, Facts, Grouping};
    use domain::ConferenceKind;

    fn report() -> Report {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).expect("date");
        let grid = period_grid(Grouping::Year, d(2017, 1, 1), d(2018, 12, 31), &[], &[]);
        let facts = Facts {
            conferences: vec![
                ConferenceFact {
                    period: 0,
                    kind: ConferenceKind::Review,
                    count: 2,
                    attendees: 15135,
                },
                ConferenceFact {
                    period: 2,
                    kind: ConferenceKind::Review,
                    count: 2,
                    attendees: 15135,
                },
            ],
            ..Facts::default()
        };
        assemble(Grouping::Year, d(2017, 1, 1), d(2018, 12, 31), grid, &facts)
    }

    #[test]
    fn table_links_figures_and_formats_numbers() {
        let html = table(&report()).into_string();
        assert!(html.contains("15.135"));
        assert!(
            html.contains("/conferences?from=2017-01-01&amp;to=2017-12-31"),
            "{}",
            &html[..400]
        );
        assert!(html.contains(">2017<") && html.contains("Tổng cộng"));
    }

    #[test]
    fn chart_is_svg_without_inline_style() {
        let svg = chart(&report()).into_string();
        assert!(svg.contains("<svg") && svg.contains("<rect"));
        assert!(!svg.contains("style="));
    }
}
