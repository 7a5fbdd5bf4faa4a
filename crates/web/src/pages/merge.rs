//! `/wards/merge`: recording that former wards passed into a ward on a date (the 2025
//! reorganisation), as `qcdc ward merge` does. For the city admin; and for a ward admin
//! in a ward's own database (no city accounts) into its own ward, after it brought its
//! former wards in with `qcdc transfer`.

use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::lineage::Share;
use domain::{dates, Code, FieldErrors, Role};
use maud::{html, Markup};
use store::ward::WardEntry;
use tower_sessions::Session;

use crate::auth::{flash, CurrentUser};
use crate::views::layout::{self, Ctx};
use crate::{AppError, AppState, Result, St};

/// Where the user may merge into (`app::wards::merge_scope`); None: not here.
async fn allowed_into(st: &AppState, user: &CurrentUser) -> Result<Option<Option<String>>> {
    Ok(app::wards::merge_scope(&st.store, user.role, st.ward).await?)
}

fn form(
    ctx: &Ctx,
    wards: &[WardEntry],
    fixed_into: Option<&str>,
    values: &[(String, String)],
    errors: &FieldErrors,
) -> Markup {
    let get = |k: &str| {
        values
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let has = |k: &str, v: &str| values.iter().any(|(n, x)| n == k && x == v);
    let field = |name: &str, label: &str, hint: &str| {
        let id = format!("m-{name}");
        let err = errors.get(name);
        html! {
            div.field {
                label for=(id) { (label) }
                input type="text" id=(id) name=(name) value=(get(name))
                    aria-invalid=[err.map(|_| "true")] aria-describedby=(format!("{id}-hint"));
                p.hint id=(format!("{id}-hint")) { (hint) }
                @if let Some(m) = err { p.error { (m) } }
            }
        }
    };
    html! {
        form method="post" action="/wards/merge" {
            (ctx.csrf_field())
            @if let Some(code) = fixed_into {
                input type="hidden" name="into" value=(code);
                p { "Phường nhận: " strong { (code) } }
            } @else {
                (field("into", "Mã phường nhận", "Mã phường đã có, hoặc mã mới để lập phường mới (chữ không dấu, số, '-')."))
                (field("name", "Tên phường mới", "Chỉ khi lập phường mới, ví dụ Phường Sông Xanh."))
            }
            (field("on", "Ngày sáp nhập (ngày đầu tiên của phường nhận)", "dd/mm/yyyy; mỗi phường cũ kết thúc vào ngày hôm trước."))
            fieldset {
                legend { "Các phường cũ" }
                @if let Some(m) = errors.get("from") { p.error { (m) } }
                @for w in wards {
                    @if fixed_into != Some(w.code.as_str()) {
                        div.field.check {
                            input type="checkbox" id=(format!("m-from-{}", w.id.0)) name="from" value=(w.code) checked[has("from", w.code.as_str())];
                            label for=(format!("m-from-{}", w.id.0)) { (w.ward.name) " (" (w.code) ")" }
                            " "
                            input type="checkbox" id=(format!("m-part-{}", w.id.0)) name="part" value=(w.code) checked[has("part", w.code.as_str())];
                            label for=(format!("m-part-{}", w.id.0)) { "chỉ một phần" }
                        }
                    }
                }
            }
            button type="submit" { "Ghi nhận sáp nhập" }
        }
    }
}

/// `GET /wards/merge`.
pub async fn page(ctx: Ctx, user: CurrentUser, St(st): St) -> Result<Response> {
    let Some(into) = allowed_into(&st, &user).await? else {
        return Err(AppError::Forbidden);
    };
    let wards = st.store.wards().await?;
    let body = html! {
        p { "Ghi nhận các phường cũ đã sáp nhập (toàn bộ hoặc một phần) vào một phường từ một ngày. Sau ngày đó, phường cũ không nhận thêm bản ghi; báo cáo của phường nhận tính bản ghi của các phường cũ toàn bộ cho thời gian trước ngày sáp nhập." }
        (form(&ctx, &wards, into.as_deref(), &[], &FieldErrors::new()))
    };
    Ok(layout::page(&ctx, "Sáp nhập phường", body).into_response())
}

/// `POST /wards/merge`.
pub async fn merge(
    ctx: Ctx,
    user: CurrentUser,
    St(st): St,
    session: Session,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let Some(fixed) = allowed_into(&st, &user).await? else {
        return Err(AppError::Forbidden);
    };
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let into = fixed.clone().unwrap_or_else(|| get("into"));
    let name = get("name");
    let mut errors = FieldErrors::new();
    let on = match dates::parse_date(&get("on")) {
        Ok(d) => Some(d),
        Err(_) => {
            errors.add("on", domain::error::msg::BAD_DATE);
            None
        }
    };
    let wards = st.store.wards().await?;
    let mut from = Vec::new();
    for (_, code) in pairs.iter().filter(|(k, _)| k == "from") {
        if let Some(w) = wards.iter().find(|w| w.code.as_str() == code) {
            let part = pairs.iter().any(|(k, v)| k == "part" && v == code);
            from.push((w.id, if part { Share::Part } else { Share::Whole }));
        }
    }
    if from.is_empty() {
        errors.add("from", "Chọn ít nhất một phường cũ.");
    }
    if into.is_empty() {
        errors.add("into", "Ghi mã phường nhận.");
    }
    let result = match (errors.is_empty(), on) {
        (true, Some(on)) => Some(
            app::wards::merge(
                &st.store,
                &user.actor(),
                &into,
                Some(name.as_str()).filter(|n| !n.is_empty()),
                on,
                &from,
            )
            .await,
        ),
        _ => None,
    };
    match result {
        Some(Ok(_)) => {
            let shares: Vec<String> = from
                .iter()
                .filter_map(|(id, s)| {
                    wards
                        .iter()
                        .find(|w| w.id == *id)
                        .map(|w| format!("{} ({})", w.ward.name, s.label()))
                })
                .collect();
            flash(
                &session,
                &format!("Đã ghi nhận: {} sáp nhập vào «{into}».", shares.join(", ")),
            )
            .await?;
            let to = if user.role == Role::CityAdmin {
                "/wards"
            } else {
                "/ward"
            };
            Ok(Redirect::to(to).into_response())
        }
        Some(Err(e)) => match e.downcast::<store::StoreError>() {
            // what the user can act on goes next to the wards; a failing machine is an
            // error page
            Ok(store::StoreError::Conflict(m)) => {
                errors.add("from", m);
                render_error(&ctx, &wards, fixed.as_deref(), &pairs, &errors)
            }
            Ok(store::StoreError::Invalid(e)) => {
                errors.extend(e);
                render_error(&ctx, &wards, fixed.as_deref(), &pairs, &errors)
            }
            Ok(other) => Err(other.into()),
            Err(e) => {
                errors.add("into", e.to_string());
                render_error(&ctx, &wards, fixed.as_deref(), &pairs, &errors)
            }
        },
        None => render_error(&ctx, &wards, fixed.as_deref(), &pairs, &errors),
    }
}

fn render_error(
    ctx: &Ctx,
    wards: &[WardEntry],
    fixed: Option<&str>,
    pairs: &[(String, String)],
    errors: &FieldErrors,
) -> Result<Response> {
    let body = html! {
        p.alert role="alert" { "Chưa ghi nhận được; xem các lỗi bên dưới." }
        (form(ctx, wards, fixed, pairs, errors))
    };
    Ok((
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        layout::page(ctx, "Sáp nhập phường", body),
    )
        .into_response())
}
