//! Dialogue sessions and their opinions: adding an opinion from a dialogue's page
//! (whose opinions section is `crate::records_view::opinions_section`), and the
//! follow-up list of open opinions with their age.

use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::{dates, Kind, Opinion, OpinionStatus, Record};
use maud::html;
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::{flash, CurrentUser};
use crate::clock::{today, OVERDUE_DAYS};
use crate::perms::Perm;
use crate::records_view;
use crate::views::forms;
use crate::views::layout::{self, num, Ctx};
use crate::St;
use crate::{AppError, Result};

pub async fn add_opinion(
    ctx: Ctx,
    St(st): St,
    user: CurrentUser,
    session: Session,
    Path(dialogue_id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let input = forms::input_from_pairs(&pairs);
    let result = match Opinion::parse(&input) {
        Ok(o) => {
            st.store
                .create_opinion(st.ward, &user.actor(), dialogue_id, &o)
                .await
        }
        Err(e) => Err(store::StoreError::Invalid(e)),
    };
    match result {
        Ok(_) => {
            flash(&session, "Đã thêm ý kiến.").await?;
            Ok(Redirect::to(&format!("/dialogues/{dialogue_id}#opinions")).into_response())
        }
        Err(store::StoreError::Invalid(errors)) => {
            let page = records_view::show_page(
                Kind::Dialogues,
                ctx,
                st,
                dialogue_id,
                Some((input, errors)),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Open opinions across all dialogues, oldest first, with their age in days.
pub async fn open_opinions(ctx: Ctx, St(st): St, RawQuery(q): RawQuery) -> Result<Response> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q.as_deref().unwrap_or(""))
        .map_err(|_| AppError::BadRequest("Tham số trên địa chỉ không đọc được.".into()))?;
    let mut overdue_only = false;
    let q_value = pairs
        .iter()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let mut filter_pairs = vec![("status".to_string(), "open".to_string())];
    for (k, v) in pairs {
        match k.as_str() {
            "overdue" => overdue_only = v == "1",
            "status" => {}
            _ => filter_pairs.push((k, v)),
        }
    }
    let mut filter =
        records_view::list_filter(Kind::Opinions, &filter_pairs).map_err(AppError::BadRequest)?;
    filter.per_page = 0;
    let page = st
        .store
        .list::<Opinion>(st.ward, &filter)
        .await
        .map_err(|e| match e {
            store::StoreError::Invalid(f) => AppError::BadRequest(f.to_string()),
            o => o.into(),
        })?;
    let today = today();
    let mut rows: Vec<_> = crate::clock::with_age(&st, page.items, today)
        .await?
        .into_iter()
        .filter(|(_, _, age)| !overdue_only || *age > OVERDUE_DAYS)
        .map(|(o, raised, age)| {
            let did = o.parent_id.unwrap_or_default();
            (o, did, raised, age)
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.3));
    let overdue = rows.iter().filter(|r| r.3 > OVERDUE_DAYS).count();
    let body = html! {
        form.filters method="get" action="/opinions/open" role="search" {
            div { label for="q" { "Tìm" } input #q type="text" name="q" value=(q_value); }
            div { label { input type="checkbox" name="overdue" value="1" checked[overdue_only]; " Chỉ ý kiến quá hạn (trên " (OVERDUE_DAYS) " ngày)" } }
            div { button type="submit" { "Lọc" } }
        }
        p.count { (num(rows.len() as i64)) " ý kiến chưa giải quyết, trong đó " (num(overdue as i64)) " quá " (OVERDUE_DAYS) " ngày." }
        @if !rows.is_empty() {
            table {
                thead { tr { th { "Nội dung" } th { "Ngày đối thoại" } th { "Số ngày" } th { "Lĩnh vực" } @if ctx.can(Perm::Write) { th { "Ghi nhận kết quả" } } } }
                tbody {
                    @for (o, did, raised, age) in &rows {
                        tr.overdue[*age > OVERDUE_DAYS] {
                            td { a href={"/opinions/" (o.id)} { (o.record.summary()) } }
                            td { a href={"/dialogues/" (did)} { (dates::vn(*raised)) } }
                            td.num { (num(*age)) @if *age > OVERDUE_DAYS { " (quá hạn)" } }
                            td { (o.record.field.as_deref().unwrap_or("")) }
                            @if ctx.can(Perm::Write) {
                                td {
                                    form method="post" action={"/opinions/" (o.id) "/resolve"} {
                                        (ctx.csrf_field())
                                        label for={"d" (o.id)} { "Ngày giải quyết" }
                                        " "
                                        input id={"d" (o.id)} type="text" name="resolved_on" value=(dates::vn(today)) inputmode="numeric" size="10";
                                        " "
                                        label for={"a" (o.id)} { "Kết quả" }
                                        " "
                                        input id={"a" (o.id)} type="text" name="answer";
                                        " "
                                        button type="submit" { "Đã giải quyết" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(&ctx, "Ý kiến, kiến nghị chưa giải quyết", body).into_response())
}

#[derive(Deserialize)]
pub struct ResolveForm {
    #[serde(default)]
    resolved_on: String,
    #[serde(default)]
    answer: String,
}

/// Marks an opinion resolved on a date with its answer; the domain checks the date.
pub async fn resolve(
    St(st): St,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    Form(f): Form<ResolveForm>,
) -> Result<Response> {
    let stored = st.store.get::<Opinion>(st.ward, id).await?;
    if stored.meta.deleted_at.is_some() {
        return Err(AppError::Conflict("Ý kiến này đã bị xóa.".into()));
    }
    let mut input = stored.record.to_input();
    input.set("status", domain::Code::code(OpinionStatus::Resolved));
    input.set("resolved_on", f.resolved_on);
    if !f.answer.trim().is_empty() {
        input.set("answer", f.answer);
    }
    let result = match Opinion::parse(&input) {
        Ok(o) => st.store.update(st.ward, &user.actor(), id, &o).await,
        Err(e) => Err(store::StoreError::Invalid(e)),
    };
    match result {
        Ok(()) => flash(&session, "Đã ghi nhận ý kiến đã giải quyết.").await?,
        Err(store::StoreError::Invalid(e)) => {
            let msg = e
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join(" ");
            flash(&session, &format!("Chưa ghi nhận được: {msg}")).await?
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to("/opinions/open").into_response())
}
