//! The dashboard: this year's key figures beside last year's, open opinions, postings
//! still up or too short, and the latest changes. Figures come from the same store
//! list queries as the list pages (counts and sums), so the two never disagree.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use domain::{dates, Channel, Code, Dialogue, Kind, Opinion, PublicityItem, Record};
use maud::html;
use store::audit::AuditFilter;
use store::ListFilter;

use crate::admin;
use crate::dialogues::{today, OVERDUE_DAYS};
use crate::perms::Perm;
use crate::records::ops;
use crate::views::layout::{self, num, Ctx};
use crate::{AppState, Result};

struct Figure {
    label: &'static str,
    kind: Kind,
    /// Extra equality filter.
    eq: Option<(&'static str, &'static str)>,
    /// Show the kind's sum instead of its count.
    sum: bool,
}

const FIGURES: &[Figure] = &[
    Figure {
        label: "Hội nghị",
        kind: Kind::Conferences,
        eq: None,
        sum: false,
    },
    Figure {
        label: "Lượt người dự hội nghị",
        kind: Kind::Conferences,
        eq: None,
        sum: true,
    },
    Figure {
        label: "Lượt tin bài, thông báo, công khai",
        kind: Kind::Publicity,
        eq: None,
        sum: true,
    },
    Figure {
        label: "Buổi tiếp xúc, đối thoại",
        kind: Kind::Dialogues,
        eq: None,
        sum: false,
    },
    Figure {
        label: "Ý kiến, kiến nghị nêu ra",
        kind: Kind::Opinions,
        eq: None,
        sum: false,
    },
    Figure {
        label: "Ý kiến đã giải quyết",
        kind: Kind::Opinions,
        eq: Some(("status", "resolved")),
        sum: false,
    },
    Figure {
        label: "Khen thưởng",
        kind: Kind::Commendations,
        eq: None,
        sum: false,
    },
];

async fn figure(st: &AppState, f: &Figure, year: i32) -> Result<i64> {
    let filter = ListFilter {
        year: Some(year),
        eq: f
            .eq
            .map(|(k, v)| vec![(k.to_string(), v.to_string())])
            .unwrap_or_default(),
        page: 1,
        per_page: 1,
        ..Default::default()
    };
    let p = ops(f.kind).list(st, &filter).await?;
    Ok(if f.sum {
        p.sum.unwrap_or(0)
    } else {
        p.total as i64
    })
}

fn list_link(f: &Figure, year: i32) -> String {
    let mut s = format!("/{}?year={year}", f.kind.slug());
    if let Some((k, v)) = f.eq {
        s.push_str(&format!("&{k}={v}"));
    }
    s
}

pub async fn dashboard(ctx: Ctx, State(st): State<AppState>) -> Result<Response> {
    let today = today();
    // This year beside last year; a ward whose records stop earlier (a back-filled
    // archive, the demo) sees its latest recorded year instead of two empty columns.
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
    let mut figures = Vec::new();
    for f in FIGURES {
        figures.push((f, figure(&st, f, this).await?, figure(&st, f, last).await?));
    }

    // Open opinions, oldest first.
    let open = st
        .store
        .list::<Opinion>(
            st.ward,
            &ListFilter {
                eq: vec![("status".into(), "open".into())],
                per_page: 0,
                ..Default::default()
            },
        )
        .await?;
    let mut dialogue_dates: HashMap<i64, NaiveDate> = HashMap::new();
    let mut aged = Vec::new();
    for o in &open.items {
        let Some(did) = o.parent_id else { continue };
        let raised = match dialogue_dates.get(&did) {
            Some(d) => *d,
            None => {
                let d = st.store.get::<Dialogue>(st.ward, did).await?.record.date;
                dialogue_dates.insert(did, d);
                d
            }
        };
        aged.push((o, o.record.age_days(raised, today)));
    }
    aged.sort_by_key(|a| std::cmp::Reverse(a.1));
    let overdue = aged.iter().filter(|a| a.1 > OVERDUE_DAYS).count();

    // Postings of the last year: still up, or up for less than the required period.
    let required = st.store.posting_days(st.ward).await?;
    let postings = st
        .store
        .list::<PublicityItem>(
            st.ward,
            &ListFilter {
                eq: vec![("channel".into(), Channel::Posting.code().into())],
                from: today.checked_sub_days(chrono::Days::new(366)),
                per_page: 0,
                ..Default::default()
            },
        )
        .await?;
    let running: Vec<_> = postings
        .items
        .iter()
        .filter(|p| p.record.posted_until.is_some_and(|u| u >= today))
        .collect();
    let short: Vec<_> = postings
        .items
        .iter()
        .filter(|p| p.record.posting_too_short(required))
        .collect();

    let recent = if ctx.can(Perm::History) {
        Some(
            st.store
                .audit(
                    st.ward,
                    &AuditFilter {
                        page: 1,
                        per_page: 10,
                        ..Default::default()
                    },
                )
                .await?,
        )
    } else {
        None
    };

    let body = html! {
        section aria-labelledby="figures" {
            h2 #figures { "Số liệu chính" }
            table {
                thead { tr { th { "Chỉ tiêu" } th { "Năm " (this) @if this != today.year() { " (năm gần nhất có số liệu)" } } th { "Năm " (last) } } }
                tbody {
                    @for (f, a, b) in &figures {
                        tr {
                            th scope="row" { (f.label) }
                            td.num { a href=(list_link(f, this)) { (num(*a)) } }
                            td.num { a href=(list_link(f, last)) { (num(*b)) } }
                        }
                    }
                }
            }
        }
        section aria-labelledby="open" {
            h2 #open { "Ý kiến chưa giải quyết" }
            p {
                a href="/opinions/open" { (num(aged.len() as i64)) " ý kiến đang giải quyết" }
                ", trong đó " (num(overdue as i64)) " quá " (OVERDUE_DAYS) " ngày."
            }
            @if !aged.is_empty() {
                ul {
                    @for (o, age) in aged.iter().take(5) {
                        li.overdue[*age > OVERDUE_DAYS] { a href={"/opinions/" (o.id)} { (o.record.summary()) } " — " (num(*age)) " ngày" }
                    }
                }
            }
        }
        section aria-labelledby="postings" {
            h2 #postings { "Niêm yết công khai" }
            p { "Thời gian niêm yết tối thiểu: " (required) " ngày." }
            h3 { "Đang niêm yết (" (running.len()) ")" }
            @if running.is_empty() { p { "Không có." } } @else {
                ul { @for p in &running { li { a href={"/publicity/" (p.id)} { (p.record.summary()) } " — đến " (p.record.posted_until.map(dates::vn).unwrap_or_default()) } } }
            }
            h3 { "Niêm yết chưa đủ thời gian (" (short.len()) ")" }
            @if short.is_empty() { p { "Không có." } } @else {
                ul { @for p in &short { li.overdue { a href={"/publicity/" (p.id)} { (p.record.summary()) } " — " (p.record.posting_days().unwrap_or(0)) " ngày" } } }
            }
        }
        @if let Some(recent) = &recent {
            section aria-labelledby="recent" {
                h2 #recent { "Thay đổi gần đây" }
                (admin::audit_table(&recent.items, true))
            }
        }
    };
    Ok(layout::page(&ctx, "Tổng quan", body).into_response())
}
