//! `/reports/review`: the review draft ("Báo cáo tổng kết") written from the data, its
//! saved versions with the committee's own text, the A4 print view and the .docx.
//! Composition lives in `domain::review`; fetching in `app::review`, rendering in `crate::views::review` and `app::formats::docx`.

use axum::extract::{Path, Query};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::review::ReviewDraft;
use domain::{dates, Code, FieldErrors, Input, ReviewKind};
use maud::{html, Markup};
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::CurrentUser;
use crate::extract::{parse, ReportQuery};
use crate::perms::Perm;
use crate::views::layout::{self, Ctx};
use crate::views::review as render;
use crate::St;
use crate::{AppError, AppState, Result};

#[derive(Debug, Default, Deserialize)]
pub struct ReviewQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub draft: Option<i64>,
    /// `directive30` (the default) or `law2022`.
    pub kind: Option<String>,
}

/// The review kind a query asks for (Directive 30's when absent); an unknown one is
/// the client's mistake.
fn kind_of(q: &ReviewQuery) -> Result<ReviewKind> {
    match q.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => Ok(ReviewKind::Directive30),
        Some(k) => ReviewKind::parse(k)
            .ok_or_else(|| AppError::BadRequest(format!("Loại báo cáo không hợp lệ «{k}»."))),
    }
}

/// The draft a request is about: a saved one, or a suggestion for the range asked.
async fn draft_for(st: &AppState, q: &ReviewQuery) -> Result<(Option<i64>, ReviewDraft)> {
    if let Some(id) = q.draft {
        let stored = st.store.review_draft(st.ward, id).await?;
        if stored.meta.deleted_at.is_some() {
            return Err(AppError::NotFound);
        }
        return Ok((Some(id), stored.record));
    }
    // The range is read exactly as the summary report reads it.
    let range = ReportQuery {
        from: q.from.clone(),
        to: q.to.clone(),
        ..Default::default()
    };
    let params = parse(&range).map_err(AppError::Invalid)?;
    let kind = kind_of(q)?;
    let (mut from, mut to) = (params.from, params.to);
    if kind == ReviewKind::Law2022 {
        // The law's three-year review, unless another range is asked.
        let (f, t) = domain::review::law_review_range();
        from = from.or(Some(f));
        to = to.or(Some(t));
    }
    let (from, to) = app::report::resolve_range(&st.store, st.ward, from, to).await?;
    Ok((None, ReviewDraft::suggested_for(kind, from, to, to)))
}

async fn render_page(
    ctx: &Ctx,
    st: &AppState,
    id: Option<i64>,
    draft: &ReviewDraft,
    input: &Input,
    errors: &FieldErrors,
) -> Result<Markup> {
    let doc = app::review::compose_for(&st.store, st.ward, draft).await?;
    let drafts = st.store.review_drafts(st.ward).await?;
    let docx = match id {
        Some(id) => format!("/reports/review.docx?draft={id}"),
        None => format!(
            "/reports/review.docx?from={}&to={}&kind={}",
            dates::iso(draft.from),
            dates::iso(draft.to),
            draft.kind.code()
        ),
    };
    let action = match id {
        Some(id) => format!("/reports/review/{id}"),
        None => "/reports/review".to_string(),
    };
    Ok(layout::page(
        ctx,
        match draft.kind {
            ReviewKind::Directive30 => "Dự thảo báo cáo tổng kết",
            ReviewKind::Law2022 => "Dự thảo báo cáo sơ kết thi hành Luật Thực hiện dân chủ ở cơ sở",
        },
        html! {
            div.no-print {
                @if !drafts.is_empty() {
                    p { "Các bản dự thảo đã lưu: "
                        @for (i, d) in drafts.iter().enumerate() {
                            @if i > 0 { " · " }
                            a href=(format!("/reports/review?draft={}", d.id)) { (d.record.summary()) }
                        }
                    }
                }
                p.actions {
                    @if ctx.can(Perm::Export) { a href=(docx) { "Tải về .docx (mở bằng Word)" } }
                    span { "In trên khổ A4: dùng lệnh In của trình duyệt (Ctrl+P); menu và biểu mẫu không được in." }
                }
                p.hint { "Mọi số liệu được tính trực tiếp từ hồ sơ; bấm vào một số liệu để xem các bản ghi tạo nên nó." }
                @if id.is_none() { (render::kind_chooser(draft.kind)) }
            }
            (render::render_html(&doc))
            @if ctx.can(Perm::Draft) {
                section.no-print {
                    h2 { @if id.is_some() { "Sửa bản dự thảo" } @else { "Lưu thành bản dự thảo" } }
                    p { "Số liệu không nhập tay: chỉ sửa thông tin văn bản và các phần do Đảng ủy tự viết." }
                    (render::render_form(&action, ctx.csrf_field(), input, errors))
                }
            }
        },
    ))
}

pub async fn page(ctx: Ctx, St(st): St, Query(q): Query<ReviewQuery>) -> Result<Response> {
    let (id, draft) = draft_for(&st, &q).await?;
    Ok(render_page(
        &ctx,
        &st,
        id,
        &draft,
        &draft.to_input(),
        &FieldErrors::new(),
    )
    .await?
    .into_response())
}

async fn save(
    ctx: Ctx,
    user: CurrentUser,
    session: Session,
    st: AppState,
    id: Option<i64>,
    pairs: Vec<(String, String)>,
) -> Result<Response> {
    let input = crate::views::forms::input_from_pairs(&pairs);
    match ReviewDraft::parse(&input) {
        Ok(draft) => {
            let id = match id {
                Some(id) => {
                    st.store
                        .update_review_draft(st.ward, &user.actor(), id, &draft)
                        .await?;
                    id
                }
                None => {
                    st.store
                        .create_review_draft(st.ward, &user.actor(), &draft)
                        .await?
                }
            };
            crate::auth::flash(&session, "Đã lưu bản dự thảo.").await?;
            Ok(Redirect::to(&format!("/reports/review?draft={id}")).into_response())
        }
        Err(errors) => {
            // Show the document as it was, with the form as typed and its errors.
            let shown = match id {
                Some(id) => st.store.review_draft(st.ward, id).await?.record,
                None => draft_for(&st, &ReviewQuery::default()).await?.1,
            };
            let page = render_page(&ctx, &st, id, &shown, &input, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub async fn create(
    ctx: Ctx,
    user: CurrentUser,
    session: Session,
    St(st): St,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    save(ctx, user, session, st, None, pairs).await
}

pub async fn update(
    ctx: Ctx,
    user: CurrentUser,
    session: Session,
    St(st): St,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    save(ctx, user, session, st, Some(id), pairs).await
}

pub async fn docx(St(st): St, Query(q): Query<ReviewQuery>) -> Result<Response> {
    let (_, draft) = draft_for(&st, &q).await?;
    let doc = app::review::compose_for(&st.store, st.ward, &draft).await?;
    let ward = st.store.ward(st.ward).await?;
    let props = app::formats::docx::Properties {
        author: ward.name,
        created: chrono::Utc::now(),
    };
    let bytes = app::formats::docx::render_docx(&doc, &props)?;
    let name = format!(
        "{}_{}_{}.docx",
        match draft.kind {
            ReviewKind::Directive30 => "du-thao-bao-cao-tong-ket",
            ReviewKind::Law2022 => "du-thao-bao-cao-so-ket-luat-dan-chu",
        },
        dates::iso(draft.from),
        dates::iso(draft.to)
    );
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                ),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
