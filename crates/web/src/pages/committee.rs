//! The steering committee over time: members grouped into versions by the decision
//! that appointed them, newest first, and a form to add a version.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::{dates, Code, CommitteeMember, FieldErrors, Input, Kind, Record};
use maud::{html, Markup};
use store::RecordFilter;
use tower_sessions::Session;

use crate::auth::{flash, CurrentUser};
use crate::perms::Perm;
use crate::views::forms::{self, Choices};
use crate::views::layout::{self, Ctx};
use crate::St;
use crate::{AppState, Result};

/// Member rows on the "new version" form.
const ROWS: usize = 10;

async fn render(ctx: &Ctx, st: &AppState, input: &Input, errors: &FieldErrors) -> Result<Markup> {
    // The cursor lands on the first field in error, in the form's order.
    let first: Option<String> = ["decision_number", "decision_date"]
        .into_iter()
        .map(str::to_string)
        .chain((1..=ROWS).flat_map(|i| ["name", "position", "office"].map(|n| format!("{n}_{i}"))))
        .find(|f| errors.get(f).is_some());
    let members = st
        .store
        .list::<CommitteeMember>(
            st.ward,
            &RecordFilter {
                per_page: 0,
                ..Default::default()
            },
        )
        .await?;
    // The store orders by decision date (newest first), then number and position.
    let mut versions: Vec<(
        String,
        chrono::NaiveDate,
        Vec<store::Stored<CommitteeMember>>,
    )> = Vec::new();
    for m in members.items {
        let key = (m.record.decision_number.clone(), m.record.decision_date);
        match versions.last_mut() {
            Some(v) if v.0 == key.0 && v.1 == key.1 => v.2.push(m),
            _ => versions.push((key.0, key.1, vec![m])),
        }
    }
    let cols = Kind::CommitteeMembers.columns();
    let col = |n: &str| Kind::CommitteeMembers.column(n);
    let none = Choices::default();
    Ok(layout::page(
        ctx,
        "Ban chỉ đạo thực hiện QCDC",
        html! {
            @if versions.is_empty() { p { "Chưa có quyết định thành lập, kiện toàn Ban chỉ đạo nào." } }
            @for (i, (number, date, ms)) in versions.iter().enumerate() {
                section {
                    h2 {
                        "Theo Quyết định số " (number) " ngày " (dates::vn(*date))
                        @if i == 0 { " (hiện hành)" }
                    }
                    table {
                        thead { tr { th { "Họ và tên" } th { "Chức danh trong BCĐ" } th { "Chức vụ công tác" } } }
                        tbody {
                            @for m in ms {
                                tr {
                                    td { a href={"/committee-members/" (m.id)} { (m.record.name) } }
                                    td { (m.record.position.label()) }
                                    td { (m.record.office.as_deref().unwrap_or("")) }
                                }
                            }
                        }
                    }
                }
            }
            @if ctx.can(Perm::Write) {
                h2 #new { "Thêm thành phần Ban chỉ đạo theo quyết định mới" }
                (forms::errors_above(cols, errors))
                form method="post" action="/steering-committee" novalidate {
                    (ctx.csrf_field())
                    @if let (Some(n), Some(d)) = (col("decision_number"), col("decision_date")) {
                        (forms::field_focus("decision_number", n, input.get("decision_number"), errors.get("decision_number"), &none, first.as_deref() == Some("decision_number")))
                        (forms::field_focus("decision_date", d, input.get("decision_date"), errors.get("decision_date"), &none, first.as_deref() == Some("decision_date")))
                    }
                    table {
                        thead { tr { th { "#" } th { "Họ và tên" } th { "Chức danh" } th { "Chức vụ công tác" } } }
                        tbody {
                            @for i in 1..=ROWS {
                                tr {
                                    td { (i) }
                                    @for name in ["name", "position", "office"] {
                                        @let f = format!("{name}_{i}");
                                        td {
                                            @if let Some(c) = col(name) {
                                                (forms::field_focus(&f, c, input.get(&f), errors.get(&f), &none, first.as_deref() == Some(f.as_str())))
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    button type="submit" { "Lưu thành phần mới" }
                }
            }
        },
    ))
}

pub async fn page(ctx: Ctx, St(st): St) -> Result<Response> {
    Ok(render(&ctx, &st, &Input::new(), &FieldErrors::new())
        .await?
        .into_response())
}

/// Validates every filled row with the decision's number and date, then saves them
/// all; nothing is saved if any row is wrong.
pub async fn add_version(
    ctx: Ctx,
    St(st): St,
    user: CurrentUser,
    session: Session,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let input = forms::input_from_pairs(&pairs);
    let mut errors = FieldErrors::new();
    let mut members = Vec::new();
    for i in 1..=ROWS {
        let f = |n: &str| input.get(&format!("{n}_{i}")).to_string();
        if f("name").trim().is_empty() && f("position").is_empty() && f("office").trim().is_empty()
        {
            continue;
        }
        let row = Input::new()
            .with("decision_number", input.get("decision_number"))
            .with("decision_date", input.get("decision_date"))
            .with("name", f("name"))
            .with("position", f("position"))
            .with("office", f("office"));
        match CommitteeMember::parse(&row) {
            Ok(m) => members.push(m),
            Err(e) => {
                for err in e.iter() {
                    let field = if err.field.starts_with("decision_") {
                        err.field.clone()
                    } else {
                        format!("{}_{i}", err.field)
                    };
                    if errors.get(&field).is_none() {
                        errors.add(&field, err.message.clone());
                    }
                }
            }
        }
    }
    if members.is_empty() && errors.is_empty() {
        errors.add("name_1", "Nhập ít nhất một thành viên.");
    }
    if !errors.is_empty() {
        let page = render(&ctx, &st, &input, &errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    for m in &members {
        st.store.create(st.ward, &user.actor(), m).await?;
    }
    let summary = members.first().map(|m| m.summary()).unwrap_or_default();
    flash(
        &session,
        &format!("Đã lưu {} thành viên ({summary}…).", members.len()),
    )
    .await?;
    Ok(Redirect::to("/steering-committee").into_response())
}
