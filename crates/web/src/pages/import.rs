//! `/import`: upload a CSV file of one kind, see a preview (rows read, records per
//! year, the first rows as they will be stored) or every row error in Vietnamese, then
//! confirm. Same code path as `qcdc import` (`app::import`).

use axum::extract::Multipart;
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
use crate::St;
use crate::{AppError, Result};
use app::import::{self as importer, ImportError, Plan};
use app::reimport::{self, Repeat};

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
                    dd { @for (i, c) in k.columns().iter().enumerate() { @if i > 0 { ", " } @if c.required { strong { (c.label) } } @else { (c.label) } " (" code { (c.name) } ")" } }
                }
            }
            p { "Cột in đậm là bắt buộc. Dòng tiêu đề ghi tên cột hoặc mã cột (không phân biệt hoa thường, có dấu hay không dấu). Ngày nhập dạng dd/mm/yyyy hoặc yyyy-mm-dd; giá trị liệt kê nhập nhãn tiếng Việt hoặc mã. Tệp tải về từ các trang danh sách nhập lại được ngay." }
        }
    }
}

pub async fn page(ctx: Ctx) -> Result<Response> {
    let body = html! {
        p { "Nhập hồ sơ cũ từ bảng tính đã lưu dạng CSV. Mọi dòng được kiểm tra trước; nếu có lỗi, không dòng nào được lưu. Các lần nhập trước và nút hoàn tác ở " a href="/import/history" { "lịch sử nhập" } "." }
        (upload_form(&ctx, None))
    };
    Ok(layout::page(&ctx, "Nhập dữ liệu từ tệp CSV", body).into_response())
}

fn preview(plan: &Plan) -> Markup {
    let cols = plan.kind.columns();
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
            thead { tr { @for c in cols { th { (c.label) } } } }
            tbody {
                @for row in plan.preview(10) {
                    tr { @for c in cols { td { @if c.name == "dialogue_ref" { (row.dialogue_ref.clone().unwrap_or_default()) } @else { (c.for_people(row.input.get(c.name))) } } } }
                }
            }
        }
    }
}

pub async fn upload(
    ctx: Ctx,
    user: CurrentUser,
    St(st): St,
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
    let planned = match importer::plan(&st.store, st.ward, kind, &bytes).await {
        Ok(plan) => reimport::examine(&st.store, st.ward, &plan, &bytes)
            .await
            .map(|repeat| (plan, repeat)),
        Err(e) => Err(e),
    };
    match planned {
        Ok((plan, repeat)) => {
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
                (repeat_notice(&repeat))
                (preview(&plan))
                form method="post" action="/import/confirm" {
                    (ctx.csrf_field())
                    input type="hidden" name="token" value=(token);
                    @if !repeat.previous.is_empty() {
                        div.field {
                            input type="checkbox" id="i-again" name="again" value="1";
                            " "
                            label for="i-again" style="display:inline" { "Tôi biết tệp này đã được nhập; vẫn nhập lại" }
                        }
                    }
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
                (problem_table(kind, &problems))
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

/// The problems of a refused file, located as a spreadsheet shows the file: its line
/// (the header is line 1), the column by its label, the value as written.
fn problem_table(kind: Kind, problems: &[importer::Problem]) -> Markup {
    html! {
        table {
            thead { tr { th { "Dòng" } th { "Cột" } th { "Giá trị" } th { "Lỗi" } } }
            tbody {
                @for p in problems {
                    tr {
                        td.num {
                            @if p.line == 1 { "1 (tiêu đề)" }
                            @else if p.line > 0 { (p.line) }
                            @else { "dòng dữ liệu " (p.row) }
                        }
                        td { (kind.column(&p.column).map(|c| c.label).unwrap_or(&p.column)) }
                        td { @if let Some(v) = &p.value { "«" (v) "»" } }
                        td { (p.message) }
                    }
                }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct Confirm {
    token: String,
    #[serde(default)]
    again: Option<String>,
}

/// What the file shares with what is stored: an earlier import of the same file, rows
/// identical to live records.
fn repeat_notice(repeat: &Repeat) -> Markup {
    html! {
        @if !repeat.previous.is_empty() {
            div.alert role="alert" {
                p { strong { "Tệp này đã được nhập trước đây" } ":" }
                ul {
                    @for p in &repeat.previous {
                        li { "lần nhập số " (p.id) ", " (layout::timestamp(&p.at)) ", " (p.actor) ", " (layout::num(p.rows)) " bản ghi" }
                    }
                }
                p { "Nhập lại sẽ làm các số liệu bị tính hai lần. Chỉ nhập lại nếu chắc chắn (đánh dấu ô bên dưới); có thể hoàn tác một lần nhập ở " a href="/import/history" { "lịch sử nhập" } "." }
            }
        }
        @if !repeat.identical.is_empty() {
            p.flash role="status" {
                (layout::num(repeat.identical.len() as i64)) " dòng giống hệt bản ghi đã có: dòng " (reimport::ranges(&repeat.identical)) "."
            }
        }
    }
}

pub async fn confirm(
    user: CurrentUser,
    session: Session,
    St(st): St,
    Form(c): Form<Confirm>,
) -> Result<Response> {
    let up = st.pending.take(&c.token, &user.username).ok_or_else(|| {
        AppError::Conflict("Phiên nhập đã hết hạn hoặc đã được lưu; hãy gửi lại tệp.".into())
    })?;
    let options = reimport::Options {
        dry_run: false,
        again: c.again.is_some(),
    };
    let source = reimport::Source {
        kind: up.kind,
        file_name: Some(&up.file_name),
        bytes: &up.bytes,
    };
    match reimport::run_checked(&st.store, st.ward, &user.actor(), source, options).await {
        Ok(checked) if !checked.written => Err(AppError::Conflict(
            "Tệp này đã được nhập trước đây nên chưa lưu gì. Muốn nhập lại, hãy gửi lại tệp và đánh dấu ô «vẫn nhập lại»."
                .into(),
        )),
        Ok(checked) => {
            let plan = checked.plan;
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
            "Dữ liệu đã thay đổi từ lúc kiểm tra; {} dòng không còn hợp lệ ({}). Hãy gửi lại tệp.",
            p.len(),
            p.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; ")
        ))),
        Err(ImportError::File(m)) => Err(AppError::BadRequest(m)),
        Err(ImportError::Internal(e)) => Err(AppError::Internal(e)),
    }
}

/// `/import/history`: every import of the ward, newest first, each with its undo.
pub async fn history(ctx: Ctx, St(st): St) -> Result<Markup> {
    let imports = st.store.imports(st.ward).await?;
    let can_undo = ctx.can(crate::perms::Perm::Write);
    Ok(layout::page(
        &ctx,
        "Lịch sử nhập dữ liệu",
        html! {
            p { "Mỗi lần nhập một tệp CSV. Hoàn tác một lần nhập sẽ xóa (xóa mềm, khôi phục được từng bản ghi) mọi bản ghi của lần nhập đó còn đang dùng." }
            table {
                thead { tr { th { "Số" } th { "Loại" } th { "Tệp" } th { "Số dòng" } th { "Còn dùng" } th { "Lúc" } th { "Người nhập" } th { "Trạng thái" } } }
                tbody {
                    @for i in &imports {
                        tr.deleted[i.undone_at.is_some()] {
                            td.num { (i.id) }
                            td { (i.kind.label()) }
                            td { (i.file_name.as_deref().unwrap_or("")) }
                            td.num { (layout::num(i.rows)) }
                            td.num { (layout::num(i.live)) }
                            td { (layout::timestamp(&i.at)) }
                            td { (i.actor) }
                            td {
                                @if let Some(at) = &i.undone_at {
                                    "Đã hoàn tác " (layout::timestamp(at)) " (" (i.undone_by.as_deref().unwrap_or("")) ")"
                                } @else if can_undo && i.live > 0 {
                                    form method="post" action={"/import/" (i.id) "/undo"} {
                                        (ctx.csrf_field())
                                        button type="submit" { "Hoàn tác (xóa " (layout::num(i.live)) " bản ghi)" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// `POST /import/{id}/undo`.
pub async fn undo(
    user: CurrentUser,
    session: Session,
    St(st): St,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<Response> {
    let deleted = st.store.undo_import(st.ward, &user.actor(), id).await?;
    flash(
        &session,
        &format!(
            "Đã hoàn tác lần nhập số {id}: xóa {} bản ghi.",
            layout::num(deleted as i64)
        ),
    )
    .await?;
    Ok(Redirect::to("/import/history").into_response())
}
