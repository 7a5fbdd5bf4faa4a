//! `/import`: upload a CSV file of one kind, see a preview (rows read, records per
//! year, the first rows as they will be stored) or every row error in Vietnamese, then
//! confirm. Same code path as `qcdc import` (`app::import`).

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::Kind;
use maud::{html, Markup};
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::{flash, CurrentUser};
use crate::uploads::SpoolError;
use crate::views::layout::{self, Ctx};
use crate::{AppError, AppState, Result};
use app::import::{self as importer, ImportError, Plan};

fn kind_select(selected: Option<Kind>) -> Markup {
    html! {
        div.field {
            label for="i-kind" { "Loại dữ liệu" }
            select id="i-kind" name="kind" required {
                @for k in Kind::ALL {
                    option value=(k.code()) selected[selected == Some(*k)] { (k.label()) " (" (k.code()) ")" }
                }
            }
        }
    }
}

fn upload_form(ctx: &Ctx, selected: Option<Kind>) -> Markup {
    html! {
        form method="post" action="/import" enctype="multipart/form-data" {
            (ctx.csrf_field())
            (kind_select(selected))
            div.field {
                label for="i-file" { "Tệp CSV (UTF-8)" }
                input type="file" id="i-file" name="file" accept=".csv,text/csv" required;
            }
            button type="submit" { "Kiểm tra tệp" }
        }
        details {
            summary { "Các cột của từng loại" }
            dl {
                @for k in Kind::ALL {
                    dt { (k.label()) " — " code { (k.code()) } }
                    dd { @for (i, c) in k.columns().iter().enumerate() { @if i > 0 { ", " } @if c.required { strong { (c.name) } } @else { (c.name) } } }
                }
            }
            p { "Cột in đậm là bắt buộc. Ngày nhập dạng yyyy-mm-dd hoặc dd/mm/yyyy; giá trị liệt kê nhập mã hoặc nhãn tiếng Việt." }
        }
    }
}

pub async fn page(ctx: Ctx) -> Result<Response> {
    let body = html! {
        p { "Nhập hồ sơ cũ từ bảng tính đã lưu dạng CSV. Mọi dòng được kiểm tra trước; nếu có lỗi, không dòng nào được lưu." }
        (upload_form(&ctx, None))
    };
    Ok(layout::page(&ctx, "Nhập dữ liệu từ tệp CSV", body).into_response())
}

fn preview(plan: &Plan) -> Markup {
    let cols: Vec<&str> = plan.kind.columns().iter().map(|c| c.name).collect();
    html! {
        p { "Đọc được " strong { (layout::num(plan.rows.len() as i64)) } " dòng hợp lệ loại " (plan.kind.label()) "." }
        @if plan.per_year.keys().any(|y| *y > 0) {
            table {
                caption { "Số bản ghi theo năm" }
                thead { tr { th { "Năm" } th { "Số bản ghi" } } }
                tbody { @for (y, n) in &plan.per_year { @if *y > 0 { tr { td { (y) } td.num { (layout::num(*n as i64)) } } } } }
            }
        }
        table {
            caption { "Các dòng đầu tiên, như sẽ được lưu" }
            thead { tr { @for c in &cols { th { (c) } } } }
            tbody {
                @for row in plan.preview(10) {
                    tr { @for c in &cols { td { @if *c == "dialogue_ref" { (row.dialogue_ref.clone().unwrap_or_default()) } @else { (row.input.get(c)) } } } }
                }
            }
        }
    }
}

pub async fn upload(
    ctx: Ctx,
    user: CurrentUser,
    State(st): State<AppState>,
    mut mp: Multipart,
) -> Result<Response> {
    let mut kind = None;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(format!("Không đọc được dữ liệu gửi lên: {e}")))?
    {
        match field.name() {
            Some("kind") => {
                let v = field
                    .text()
                    .await
                    .map_err(|e| AppError::BadRequest(e.to_string()))?;
                kind = Kind::parse(&v);
            }
            Some("file") => {
                let name = field.file_name().unwrap_or("tep.csv").to_string();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| AppError::BadRequest(format!("Không đọc được tệp: {e}")))?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let kind = kind.ok_or_else(|| AppError::BadRequest("Chọn loại dữ liệu cần nhập.".into()))?;
    let (file_name, bytes) = file
        .filter(|(_, b)| !b.is_empty())
        .ok_or_else(|| AppError::BadRequest("Chọn tệp CSV cần nhập.".into()))?;
    let title = format!("Nhập {}: {}", kind.label().to_lowercase(), file_name);
    match importer::plan(&st.store, st.ward, kind, &bytes).await {
        Ok(plan) => {
            let rows = plan.rows.len();
            let token = st
                .pending
                .put(&user.username, kind, &file_name, &bytes)
                .map_err(|e| match e {
                    SpoolError::Full => AppError::TooManyRequests(
                        "Máy chủ đang giữ quá nhiều tệp chờ xác nhận; hãy thử lại sau ít phút."
                            .into(),
                    ),
                    SpoolError::Io(e) => AppError::Internal(e.into()),
                })?;
            let body = html! {
                (preview(&plan))
                form method="post" action="/import/confirm" {
                    (ctx.csrf_field())
                    input type="hidden" name="token" value=(token);
                    button type="submit" { "Xác nhận lưu " (layout::num(rows as i64)) " bản ghi" }
                    " "
                    a href="/import" { "Hủy" }
                }
            };
            Ok(layout::page(&ctx, &title, body).into_response())
        }
        Err(ImportError::Rows(problems)) => {
            let body = html! {
                div.alert role="alert" {
                    p { "Tệp có " strong { (problems.len()) } " lỗi; chưa có dòng nào được lưu. Sửa tệp rồi gửi lại." }
                }
                table {
                    thead { tr { th { "Dòng" } th { "Cột" } th { "Lỗi" } } }
                    tbody { @for p in &problems { tr { td.num { @if p.row == 0 { "tiêu đề" } @else { (p.row) } } td { code { (p.column) } } td { (p.message) } } } }
                }
                (upload_form(&ctx, Some(kind)))
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                layout::page(&ctx, &title, body),
            )
                .into_response())
        }
        Err(ImportError::File(message)) => {
            let body = html! { div.alert role="alert" { p { (message) } } (upload_form(&ctx, Some(kind))) };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                layout::page(&ctx, &title, body),
            )
                .into_response())
        }
        Err(ImportError::Internal(e)) => Err(AppError::Internal(e)),
    }
}

#[derive(Deserialize)]
pub struct Confirm {
    token: String,
}

pub async fn confirm(
    user: CurrentUser,
    session: Session,
    State(st): State<AppState>,
    Form(c): Form<Confirm>,
) -> Result<Response> {
    let up = st.pending.take(&c.token, &user.username).ok_or_else(|| {
        AppError::Conflict("Phiên nhập đã hết hạn hoặc đã được lưu; hãy gửi lại tệp.".into())
    })?;
    match importer::run(
        &st.store,
        st.ward,
        &user.actor(),
        up.kind,
        Some(&up.file_name),
        &up.bytes,
        false,
    )
    .await
    {
        Ok(plan) => {
            flash(
                &session,
                &format!(
                    "Đã nhập {} bản ghi {} từ tệp {}.",
                    layout::num(plan.rows.len() as i64),
                    up.kind.label().to_lowercase(),
                    up.file_name
                ),
            )
            .await?;
            Ok(Redirect::to(&format!("/{}", up.kind.slug())).into_response())
        }
        // The registers may have changed since the preview: say so rather than half-import.
        Err(ImportError::Rows(p)) => Err(AppError::Conflict(format!(
            "Dữ liệu đã thay đổi từ lúc kiểm tra; {} dòng không còn hợp lệ. Hãy gửi lại tệp.",
            p.len()
        ))),
        Err(ImportError::File(m)) => Err(AppError::BadRequest(m)),
        Err(ImportError::Internal(e)) => Err(AppError::Internal(e)),
    }
}
