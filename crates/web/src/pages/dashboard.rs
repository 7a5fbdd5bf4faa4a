//! The dashboard: this year's key figures beside last year's, open opinions, postings
//! still up or too short, and the latest changes. The figures are read from a
//! [`Report`] by year built by `app::report::build`, as every figure in any output is,
//! and each links to the records behind it (the report's drill-down); the opinions
//! resolved as of today are the difference of two reports ending today.

use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use domain::report::{Grouping, IndicatorId, Report};
use domain::{dates, Channel, Code, Kind, Opinion, PublicityItem, Record, RecordFilter};
use maud::{html, Markup};
use store::audit::{AuditEntry, AuditFilter};
use store::{Page, Stored};

use crate::clock::{today, OVERDUE_DAYS};
use crate::perms::Perm;
use crate::views::audit::audit_table;
use crate::views::layout::{self, num, Ctx};
use crate::views::report::drill_href;
use crate::St;
use crate::{AppError, AppState, Result};

/// The key figures, in order: a label and the indicator it reads.
const FIGURES: &[(&str, IndicatorId)] = &[
    ("Hội nghị", IndicatorId::ConferencesCount),
    ("Lượt người dự hội nghị", IndicatorId::ConferencesAttendees),
    (
        "Lượt tin bài, thông báo, công khai",
        IndicatorId::PublicityTotal,
    ),
    ("Buổi tiếp xúc, đối thoại", IndicatorId::DialoguesCount),
    ("Ý kiến, kiến nghị nêu ra", IndicatorId::OpinionsCount),
    ("Ý kiến đã giải quyết", IndicatorId::OpinionsResolved),
    ("Khen thưởng", IndicatorId::CommendationsCount),
];

/// The report by year over last year and this year (its two periods, in that order),
/// and the opinions of each year resolved as of today.
struct KeyFigures {
    this: i32,
    last: i32,
    report: Report,
    /// Per period of `report`: its opinions resolved as of today (see [`resolved_since`]).
    resolved: Vec<i64>,
}

/// This year beside last year; a ward whose records stop earlier (a back-filled
/// archive, the demo) sees its latest recorded year instead of two empty columns.
async fn key_figures(st: &AppState, today: NaiveDate) -> Result<KeyFigures> {
    let latest = st
        .store
        .history_span(st.ward)
        .await?
        .map(|(_, last)| last.year());
    let this = match latest {
        Some(y) if y < today.year() => y,
        _ => today.year(),
    };
    let last = this - 1;
    let year_start = |y: i32| {
        dates::ymd(y, 1, 1)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("year {y} out of range")))
    };
    let (from, next) = (year_start(last)?, year_start(this + 1)?);
    let to = next.pred_opt().unwrap_or(next);
    let report =
        app::report::build(&st.store, st.ward, Some(from), Some(to), Grouping::Year).await?;
    // The dashboard counts an opinion resolved as of today, where the report counts it
    // resolved by its period's end: a year's figure is the difference of two reports
    // that both end today (or later).
    let end = today.max(to);
    let mut resolved = Vec::new();
    for y in [last, this] {
        let a = resolved_since(st, year_start(y)?, end).await?;
        let b = resolved_since(st, year_start(y + 1)?, end).await?;
        resolved.push(a - b);
    }
    Ok(KeyFigures {
        this,
        last,
        report,
        resolved,
    })
}

/// Opinions raised from `from` to `end` and resolved by `end`, from the report over
/// that range (0 for an empty range).
async fn resolved_since(st: &AppState, from: NaiveDate, end: NaiveDate) -> Result<i64> {
    if from > end {
        return Ok(0);
    }
    let r = app::report::build(&st.store, st.ward, Some(from), Some(end), Grouping::Total).await?;
    Ok(r.total_of(IndicatorId::OpinionsResolved))
}

/// A figure of column `i` (a period of the report) and the link to its records.
fn cell(k: &KeyFigures, id: IndicatorId, i: usize) -> Option<(i64, Option<String>)> {
    let period = k.report.periods.get(i)?;
    if id == IndicatorId::OpinionsResolved {
        // Resolved as of today: the year's opinions whose status is resolved.
        let filter = RecordFilter {
            year: Some(period.start.year()),
            eq: vec![("status".into(), "resolved".into())],
            ..RecordFilter::default()
        };
        let query = serde_urlencoded::to_string(filter.to_query()).ok();
        let href = query.map(|q| format!("/{}?{q}", Kind::Opinions.slug()));
        return Some((*k.resolved.get(i)?, href));
    }
    let row = k.report.row(id)?;
    Some((
        row.values.get(i)?.count(),
        drill_href(row.indicator, period),
    ))
}

fn figures_table(k: &KeyFigures, today: NaiveDate) -> Markup {
    // One column per year of the report, this year first.
    let columns: Vec<usize> = (0..k.report.periods.len()).rev().collect();
    html! {
        section aria-labelledby="figures" {
            h2 #figures { "Số liệu chính" }
            table {
                thead { tr { th { "Chỉ tiêu" } th { "Năm " (k.this) @if k.this != today.year() { " (năm gần nhất có số liệu)" } } th { "Năm " (k.last) } } }
                tbody {
                    @for (label, id) in FIGURES {
                        tr {
                            th scope="row" { (label) }
                            @for i in &columns {
                                td.num {
                                    @match cell(k, *id, *i) {
                                        Some((v, Some(href))) => a href=(href) { (num(v)) },
                                        Some((v, None)) => (num(v)),
                                        None => "—",
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Open opinions with their age in days, oldest first.
struct OpenOpinions {
    aged: Vec<(Stored<Opinion>, i64)>,
    overdue: usize,
}

async fn open_opinions(st: &AppState, today: NaiveDate) -> Result<OpenOpinions> {
    let open = st
        .store
        .list::<Opinion>(
            st.ward,
            &RecordFilter {
                eq: vec![("status".into(), "open".into())],
                per_page: 0,
                ..Default::default()
            },
        )
        .await?;
    let mut aged: Vec<(Stored<Opinion>, i64)> = crate::clock::with_age(st, open.items, today)
        .await?
        .into_iter()
        .map(|(o, _, age)| (o, age))
        .collect();
    aged.sort_by_key(|a| std::cmp::Reverse(a.1));
    let overdue = aged.iter().filter(|a| a.1 > OVERDUE_DAYS).count();
    Ok(OpenOpinions { aged, overdue })
}

fn open_opinions_section(o: &OpenOpinions) -> Markup {
    html! {
        section aria-labelledby="open" {
            h2 #open { "Ý kiến chưa giải quyết" }
            p {
                a href="/opinions/open" { (num(o.aged.len() as i64)) " ý kiến đang giải quyết" }
                ", trong đó " (num(o.overdue as i64)) " quá " (OVERDUE_DAYS) " ngày."
            }
            @if !o.aged.is_empty() {
                ul {
                    @for (o, age) in o.aged.iter().take(5) {
                        li.overdue[*age > OVERDUE_DAYS] { a href={"/opinions/" (o.id)} { (o.record.summary()) } " — " (num(*age)) " ngày" }
                    }
                }
            }
        }
    }
}

/// Postings of the last year: still up, or up for less than the required period.
struct Postings {
    required: i64,
    running: Vec<Stored<PublicityItem>>,
    short: Vec<Stored<PublicityItem>>,
    /// Broadcasts the 2022 law asks for, on fewer days than the ward's minimum.
    broadcast_days: u32,
    short_broadcasts: Vec<Stored<PublicityItem>>,
}

async fn postings(st: &AppState, today: NaiveDate) -> Result<Postings> {
    let minimums = st.store.publicity_minimums(st.ward).await?;
    let required = i64::from(minimums.posting_days);
    let postings = st
        .store
        .list::<PublicityItem>(
            st.ward,
            &RecordFilter {
                eq: vec![("channel".into(), Channel::Posting.code().into())],
                from: today.checked_sub_days(chrono::Days::new(366)),
                per_page: 0,
                ..Default::default()
            },
        )
        .await?;
    let running = postings
        .items
        .iter()
        .filter(|p| p.record.posted_until.is_some_and(|u| u >= today))
        .cloned()
        .collect();
    let short = postings
        .items
        .iter()
        .filter(|p| p.record.posting_too_short(required))
        .cloned()
        .collect();
    let radio = st
        .store
        .list::<PublicityItem>(
            st.ward,
            &RecordFilter {
                eq: vec![("channel".into(), Channel::Radio.code().into())],
                from: today.checked_sub_days(chrono::Days::new(366)),
                per_page: 0,
                ..Default::default()
            },
        )
        .await?;
    let short_broadcasts = radio
        .items
        .into_iter()
        .filter(|p| p.record.broadcast_too_short(minimums.broadcast_days))
        .collect();
    Ok(Postings {
        required,
        running,
        short,
        broadcast_days: minimums.broadcast_days,
        short_broadcasts,
    })
}

fn postings_section(p: &Postings) -> Markup {
    html! {
        section aria-labelledby="postings" {
            h2 #postings { "Niêm yết công khai" }
            p { "Thời gian niêm yết tối thiểu: " (p.required) " ngày." }
            h3 { "Đang niêm yết (" (p.running.len()) ")" }
            @if p.running.is_empty() { p { "Không có." } } @else {
                ul { @for p in &p.running { li { a href={"/publicity/" (p.id)} { (p.record.summary()) } " — đến " (p.record.posted_until.map(dates::vn).unwrap_or_default()) } } }
            }
            h3 { "Niêm yết chưa đủ thời gian (" (p.short.len()) ")" }
            @if p.short.is_empty() { p { "Không có." } } @else {
                ul { @for p in &p.short { li.overdue { a href={"/publicity/" (p.id)} { (p.record.summary()) } " — " (p.record.posting_days().unwrap_or(0)) " ngày" } } }
            }
            h3 { "Tin phát trên Đài truyền thanh chưa đủ " (p.broadcast_days) " ngày liên tục (" (p.short_broadcasts.len()) ")" }
            @if p.short_broadcasts.is_empty() { p { "Không có." } } @else {
                ul { @for b in &p.short_broadcasts { li.overdue { a href={"/publicity/" (b.id)} { (b.record.summary()) } " — " (b.record.count) " lượt" } } }
            }
        }
    }
}

/// The latest ten changes, for those who may read the history.
async fn recent(ctx: &Ctx, st: &AppState) -> Result<Option<Page<AuditEntry>>> {
    if !ctx.can(Perm::History) {
        return Ok(None);
    }
    let filter = AuditFilter {
        page: 1,
        per_page: 10,
        ..Default::default()
    };
    Ok(Some(st.store.audit(st.ward, &filter).await?))
}

fn recent_section(entries: &[AuditEntry]) -> Markup {
    html! {
        section aria-labelledby="recent" {
            h2 #recent { "Thay đổi gần đây" }
            (audit_table(entries, true))
        }
    }
}

pub async fn dashboard(ctx: Ctx, St(st): St) -> Result<Response> {
    let today = today();
    let figures = key_figures(&st, today).await?;
    let open = open_opinions(&st, today).await?;
    let postings = postings(&st, today).await?;
    let recent = recent(&ctx, &st).await?;
    let body = html! {
        (figures_table(&figures, today))
        (open_opinions_section(&open))
        (postings_section(&postings))
        @if let Some(recent) = &recent { (recent_section(&recent.items)) }
    };
    Ok(layout::page(&ctx, "Tổng quan", body).into_response())
}
