//! Submitted periods: `/reports/submit` (the ward's submissions and, for the deputy
//! and the admin, the form that submits a period), `/reports/submissions/{id}` (what was
//! submitted next to the figures of its range today, differing cells marked; the
//! reopening form for whoever may reopen). The work is `app::periods`'.

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::submission::{may_reopen, Status};
use domain::{dates, FieldErrors};
use maud::{html, Markup};
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::{flash, CurrentUser};
use crate::perms::Perm;
use crate::views::layout::{self, Ctx};
use crate::views::report as report_views;
use crate::St;
use crate::{AppError, AppState, Result};

#[derive(Debug, Default, Deserialize)]
pub struct RangeForm {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

fn date_field(name: &str, label: &str, value: &str, errors: &FieldErrors, first: bool) -> Markup {
    let err = errors.get(name);
    let id = format!("s-{name}");
    html! {
        div.field {
            label for=(id) { (label) }
            input type="text" id=(id) name=(name) value=(value) placeholder="dd/mm/yyyy" required
                autofocus[first && err.is_some()]
                aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| format!("{id}-err"))];
            @if let Some(m) = err { p.error id=(format!("{id}-err")) { (m) } }
        }
    }
}

/// The submissions page: the form (for who may submit) and the list.
async fn render(
    ctx: &Ctx,
    st: &AppState,
    form: &RangeForm,
    errors: &FieldErrors,
) -> Result<Markup> {
    let subs = st.store.submissions(st.ward).await?;
    let first_error = errors.get("from").is_some();
    Ok(layout::page(
        ctx,
        "Kỳ báo cáo đã nộp",
        html! {
            p.hint {
                "Khi nộp báo cáo một kỳ, số liệu của kỳ (theo năm) được lưu lại đúng như lúc nộp, kèm người nộp và thời điểm nộp. "
                "Trong khi kỳ ở trạng thái «Đã nộp», không thể thêm, sửa, xóa, khôi phục hay nhập bản ghi có ngày trong kỳ "
                "(trừ danh sách tổ dân phố, chi bộ và Ban chỉ đạo). Muốn sửa, quản trị cấp thành phố mở lại kỳ, ghi rõ lý do."
            }
            @if ctx.can(Perm::Submit) {
                section {
                    h2 { "Nộp báo cáo một kỳ" }
                    form method="post" action="/reports/submit" novalidate {
                        (ctx.csrf_field())
                        @if let Some(m) = errors.get("range") { p.error role="alert" { (m) } }
                        (date_field("from", "Từ ngày", &form.from, errors, first_error))
                        (date_field("to", "Đến ngày", &form.to, errors, !first_error))
                        div.actions { button type="submit" { "Nộp báo cáo" } }
                    }
                }
            }
            h2 { "Các kỳ đã nộp" }
            @if subs.is_empty() {
                p { "Chưa nộp báo cáo kỳ nào." }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { "Số" }
                        th scope="col" { "Kỳ" }
                        th scope="col" { "Nộp lúc" }
                        th scope="col" { "Người nộp" }
                        th scope="col" { "Tình trạng" }
                    } }
                    tbody {
                        @for s in &subs {
                            tr {
                                td.num { a href=(format!("/reports/submissions/{}", s.id)) { (s.id) } }
                                td { a href=(format!("/reports/submissions/{}", s.id)) { (s.range_vn()) } }
                                td { (layout::timestamp(&s.submitted_at)) }
                                td { (s.submitted_by) }
                                td { (s.status_vn()) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// `GET /reports/submit[?from=&to=]`.
pub async fn page(ctx: Ctx, St(st): St, Query(q): Query<RangeForm>) -> Result<Markup> {
    render(&ctx, &st, &q, &FieldErrors::new()).await
}

/// `POST /reports/submit`: the range's figures frozen; an overlap or a bad date is said
/// next to the form's fields.
pub async fn submit(
    ctx: Ctx,
    St(st): St,
    user: CurrentUser,
    session: Session,
    Form(f): Form<RangeForm>,
) -> Result<Response> {
    let (from, to) = match app::periods::parse_range(&f.from, &f.to) {
        Ok(r) => r,
        Err(e) => return refused(&ctx, &st, &f, e).await,
    };
    match app::periods::submit(&st.store, st.ward, &user.actor(), from, to).await {
        Ok(id) => {
            flash(
                &session,
                &format!(
                    "Đã nộp báo cáo kỳ {}–{} (số {id}).",
                    dates::vn(from),
                    dates::vn(to)
                ),
            )
            .await?;
            Ok(Redirect::to(&format!("/reports/submissions/{id}")).into_response())
        }
        Err(app::report::ReportError::Invalid(e)) => refused(&ctx, &st, &f, e).await,
        Err(app::report::ReportError::Store(store::StoreError::Conflict(m))) => {
            refused(&ctx, &st, &f, FieldErrors::single("range", m)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The form again with its errors, 422.
async fn refused(ctx: &Ctx, st: &AppState, f: &RangeForm, errors: FieldErrors) -> Result<Response> {
    let page = render(ctx, st, f, &errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Whether this account may reopen the ward's submissions.
async fn can_reopen(st: &AppState, ctx: &Ctx) -> Result<bool> {
    let Some(user) = &ctx.user else {
        return Ok(false);
    };
    if !user.can(Perm::Admin) {
        return Ok(false);
    }
    let wards = st.store.wards().await?.len();
    Ok(may_reopen(user.role, wards))
}

async fn show_page(
    ctx: &Ctx,
    st: &AppState,
    id: i64,
    reason: &str,
    errors: &FieldErrors,
) -> Result<Markup> {
    let c = app::periods::compare(&st.store, st.ward, id).await?;
    let s = &c.submission;
    let reopen = s.status == Status::Submitted && can_reopen(st, ctx).await?;
    let err = errors.get("reason");
    Ok(layout::page(
        ctx,
        &format!("Kỳ đã nộp số {}: {}", s.id, s.range_vn()),
        html! {
            dl {
                dt { "Kỳ" } dd { (s.range_vn()) }
                dt { "Nộp lúc" } dd { (layout::timestamp(&s.submitted_at)) " — " (s.submitted_by) }
                dt { "Tình trạng" } dd { (s.status_vn()) }
                @if let (Some(at), Some(by)) = (&s.reopened_at, &s.reopened_by) {
                    dt { "Mở lại lúc" } dd { (layout::timestamp(at)) " — " (by) }
                }
            }
            @if s.status == Status::Submitted {
                p { "Các bản ghi có ngày trong kỳ đang bị khóa: không thể thêm, sửa, xóa, khôi phục hay nhập." }
            }
            (report_views::submission_notice(s, &c.differences))
            @if reopen {
                section {
                    h2 { "Mở lại kỳ này" }
                    form method="post" action=(format!("/reports/submissions/{}/reopen", s.id)) novalidate {
                        (ctx.csrf_field())
                        div.field {
                            label for="reason" { "Lý do mở lại" }
                            textarea id="reason" name="reason" required autofocus[err.is_some()]
                                aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| "reason-err")] { (reason) }
                            @if let Some(m) = err { p.error id="reason-err" { (m) } }
                        }
                        div.actions { button type="submit" { "Mở lại kỳ đã nộp" } }
                    }
                }
            }
            h2 { "Số liệu hiện nay so với số liệu đã nộp (theo năm)" }
            p.hint { "Ô được đánh dấu: số liệu hiện nay khác với số đã nộp; ghi cả hai." }
            (report_views::table_marked(&c.report, Some(&c.differences)))
        },
    ))
}

/// `GET /reports/submissions/{id}`.
pub async fn show(ctx: Ctx, St(st): St, Path(id): Path<i64>) -> Result<Markup> {
    show_page(&ctx, &st, id, "", &FieldErrors::new()).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ReopenForm {
    #[serde(default)]
    pub reason: String,
}

/// `POST /reports/submissions/{id}/reopen`: a city admin, or the ward's admin in a
/// database of one ward; the reason is required.
pub async fn reopen(
    ctx: Ctx,
    St(st): St,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    Form(f): Form<ReopenForm>,
) -> Result<Response> {
    // another ward's submission is not found, whoever asks
    st.store.submission(st.ward, id).await?;
    if !can_reopen(&st, &ctx).await? {
        return Err(AppError::Forbidden);
    }
    match app::periods::reopen(&st.store, st.ward, &user.actor(), id, &f.reason).await {
        Ok(()) => {
            flash(&session, &format!("Đã mở lại kỳ đã nộp số {id}.")).await?;
            Ok(Redirect::to(&format!("/reports/submissions/{id}")).into_response())
        }
        Err(app::report::ReportError::Invalid(e)) => {
            let page = show_page(&ctx, &st, id, &f.reason, &e).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
