//! Accounts (admin) and the audit log (admin, deputy).

use axum::extract::{Path, RawQuery};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::{Code, FieldErrors, Kind, Role};
use maud::{html, Markup};
use serde::Deserialize;
use store::audit::AuditFilter;
use tower_sessions::Session;

use crate::auth::{flash, role_options, CurrentUser};
use crate::views::audit::{audit_table, entity_label};
use crate::views::layout::{self, num, Ctx};
use crate::St;
use crate::{AppError, AppState, Result};

// ------------------------------------------------------------------ users

/// The accounts an administrator manages: a ward's admin, its ward's; the city
/// admin, every account.
async fn accounts_in_view(
    st: &AppState,
    user: Option<&CurrentUser>,
) -> Result<Vec<store::users::User>> {
    Ok(match user.and_then(|u| u.ward) {
        Some(w) => st.store.users_of(w).await?,
        None => st.store.users().await?,
    })
}

/// The account `id`, if `user` manages it: another ward's account is not found.
async fn managed(st: &AppState, user: &CurrentUser, id: i64) -> Result<store::users::User> {
    let target = st.store.user(id).await?;
    match user.ward {
        Some(w) if target.ward != Some(w) => Err(AppError::NotFound),
        _ => Ok(target),
    }
}

async fn users_page(
    ctx: &Ctx,
    st: &AppState,
    form: &AddUser,
    errors: &FieldErrors,
) -> Result<Markup> {
    let users = accounts_in_view(st, ctx.user.as_ref()).await?;
    let city_admin = ctx.user.as_ref().is_some_and(|u| u.role == Role::CityAdmin);
    let err = |f: &str| errors.get(f);
    // After a failed submit the cursor goes to the first field in error.
    let first = ["username", "display_name", "role", "password"]
        .into_iter()
        .find(|f| errors.get(f).is_some());
    let field = |name: &str, label: &str, ty: &str, value: &str| {
        let id = format!("f-{name}");
        let eid = format!("e-{name}");
        let e = err(name);
        html! {
            div.field {
                label for=(id) { (label) }
                input #(id) type=(ty) name=(name) value=(value) autofocus[first == Some(name)] aria-invalid=[e.map(|_| "true")] aria-describedby=[e.map(|_| eid.clone())];
                @if let Some(m) = e { p.error id=(eid) { (m) } }
            }
        }
    };
    Ok(layout::page(
        ctx,
        "Tài khoản",
        html! {
            table {
                thead { tr { th { "Tên đăng nhập" } th { "Họ tên" } th { "Vai trò" } th { "Trạng thái" } th { "Đổi vai trò" } th { "Đặt lại mật khẩu" } th { "Khóa / mở" } } }
                tbody {
                    @for u in &users {
                        tr.deleted[u.disabled] {
                            td { (u.username) }
                            td { (u.display_name.as_deref().unwrap_or("")) }
                            td { (u.role.label()) }
                            td { @if u.disabled { "Đã khóa" } @else { "Đang hoạt động" } }
                            td {
                                form method="post" action={"/admin/users/" (u.id) "/role"} {
                                    (ctx.csrf_field())
                                    label.visually-hidden for={"role-" (u.id)} { "Vai trò của " (u.username) }
                                    select id={"role-" (u.id)} name="role" {
                                        @for (c, l) in role_options(|r| r.is_city() == u.role.is_city()) { option value=(c) selected[c == u.role.code()] { (l) } }
                                    }
                                    " " button type="submit" { "Đổi" }
                                }
                            }
                            td {
                                form method="post" action={"/admin/users/" (u.id) "/password"} {
                                    (ctx.csrf_field())
                                    label.visually-hidden for={"pw-" (u.id)} { "Mật khẩu mới cho " (u.username) }
                                    input id={"pw-" (u.id)} type="password" name="password" autocomplete="new-password" placeholder="Mật khẩu mới";
                                    " " button type="submit" { "Đặt lại" }
                                }
                            }
                            td {
                                @if ctx.user.as_ref().is_some_and(|me| me.id == u.id) {
                                    "(bạn)"
                                } @else if u.disabled {
                                    form method="post" action={"/admin/users/" (u.id) "/enable"} { (ctx.csrf_field()) button type="submit" { "Mở khóa" } }
                                } @else {
                                    form method="post" action={"/admin/users/" (u.id) "/disable"} { (ctx.csrf_field()) button type="submit" { "Khóa" } }
                                }
                            }
                        }
                    }
                }
            }
            h2 { "Thêm tài khoản" }
            form.narrow method="post" action="/admin/users" novalidate {
                (ctx.csrf_field())
                (field("username", "Tên đăng nhập", "text", &form.username))
                (field("display_name", "Họ tên", "text", &form.display_name))
                div.field {
                    label for="f-role" { "Vai trò" }
                    select #f-role name="role" autofocus[first == Some("role")] aria-invalid=[err("role").map(|_| "true")] aria-describedby=[err("role").map(|_| "e-role")] {
                        @for (c, l) in role_options(|r| city_admin || !r.is_city()) { option value=(c) selected[c == form.role] { (l) } }
                    }
                    @if let Some(m) = err("role") { p.error #e-role { (m) } }
                }
                (field("password", &format!("Mật khẩu (ít nhất {} ký tự)", app::passwords::MIN_LEN), "password", ""))
                button type="submit" { "Thêm tài khoản" }
            }
        },
    ))
}

pub async fn users(ctx: Ctx, St(st): St) -> Result<Response> {
    let form = AddUser {
        role: "secretary".into(),
        ..Default::default()
    };
    Ok(users_page(&ctx, &st, &form, &FieldErrors::new())
        .await?
        .into_response())
}

#[derive(Deserialize, Default)]
pub struct AddUser {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
}

async fn hash(password: String) -> Result<String> {
    Ok(tokio::task::spawn_blocking(move || app::passwords::hash(&password)).await??)
}

pub async fn add_user(
    ctx: Ctx,
    St(st): St,
    user: CurrentUser,
    session: Session,
    Form(mut f): Form<AddUser>,
) -> Result<Response> {
    f.username = f.username.trim().to_string();
    // Every problem at once, each next to its field.
    let mut errors = FieldErrors::new();
    if !app::accounts::valid_username(&f.username) {
        errors.add(
            "username",
            "Tên đăng nhập dài 3–40 ký tự, gồm chữ không dấu, số, '.', '-' hoặc '_'.",
        );
    }
    match Role::parse(&f.role) {
        None => errors.add("role", "Chọn một vai trò."),
        Some(r) if r.is_city() && user.ward.is_some() => errors.add(
            "role",
            "Chỉ quản trị cấp thành phố mới tạo được tài khoản cấp thành phố.",
        ),
        Some(_) => {}
    }
    if let Err(m) = app::passwords::check_rules(&f.password, &f.username) {
        errors.add("password", m);
    }
    if !errors.is_empty() {
        let page = users_page(&ctx, &st, &f, &errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let role =
        Role::parse(&f.role).ok_or_else(|| AppError::BadRequest("Vai trò không hợp lệ.".into()))?;
    let h = hash(f.password.clone()).await?;
    let display = Some(f.display_name.trim()).filter(|s| !s.is_empty());
    match st
        .store
        .create_user_in(
            &user.actor(),
            (!role.is_city()).then_some(st.ward),
            &f.username,
            display,
            role,
            &h,
        )
        .await
    {
        Ok(_) => {
            flash(&session, &format!("Đã thêm tài khoản {}.", f.username)).await?;
            Ok(Redirect::to("/admin/users").into_response())
        }
        Err(store::StoreError::Invalid(e)) => {
            // The store names its fields (username, display_name); anything else is
            // shown on the username.
            let mut errors = FieldErrors::new();
            for e in e.iter() {
                let field = match e.field.as_str() {
                    "display_name" | "role" | "password" => e.field.as_str(),
                    _ => "username",
                };
                errors.add(field, e.message.clone());
            }
            let page = users_page(&ctx, &st, &f, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

pub async fn reset_password(
    St(st): St,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    Form(f): Form<PasswordForm>,
) -> Result<Response> {
    let target = managed(&st, &user, id).await?;
    if let Err(m) = app::passwords::check_rules(&f.password, &target.username) {
        flash(
            &session,
            &format!("Chưa đặt lại mật khẩu cho {}: {m}", target.username),
        )
        .await?;
        return Ok(Redirect::to("/admin/users").into_response());
    }
    let h = hash(f.password).await?;
    st.store.set_password(&user.actor(), id, &h).await?;
    // The account's open sessions end (their password stamp no longer matches); an
    // administrator resetting their own password keeps this session.
    if id == user.id {
        crate::auth::open_session(&session, id, &crate::auth::password_stamp(&h)).await?;
    }
    flash(
        &session,
        &format!("Đã đặt lại mật khẩu cho {}.", target.username),
    )
    .await?;
    Ok(Redirect::to("/admin/users").into_response())
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

pub async fn change_role(
    St(st): St,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
    Form(f): Form<RoleForm>,
) -> Result<Response> {
    let role =
        Role::parse(&f.role).ok_or_else(|| AppError::BadRequest("Vai trò không hợp lệ.".into()))?;
    let target = managed(&st, &user, id).await?;
    if role.is_city() != target.role.is_city() {
        // A ward account belongs to its ward, a city account to none: a new account.
        flash(
            &session,
            "Không đổi được giữa vai trò của phường và vai trò cấp thành phố; hãy tạo tài khoản mới.",
        )
        .await?;
        return Ok(Redirect::to("/admin/users").into_response());
    }
    if id == user.id && role != user.role {
        // Keeps at least the acting administrator able to manage accounts.
        flash(&session, "Không tự bỏ quyền quản trị của chính mình.").await?;
        return Ok(Redirect::to("/admin/users").into_response());
    }
    st.store.set_user_role(&user.actor(), id, role).await?;
    flash(
        &session,
        &format!("{} nay là {}.", target.username, role.label()),
    )
    .await?;
    Ok(Redirect::to("/admin/users").into_response())
}

async fn set_disabled(
    st: &AppState,
    user: &CurrentUser,
    session: &Session,
    id: i64,
    disabled: bool,
) -> Result<Response> {
    if id == user.id {
        flash(session, "Không tự khóa tài khoản của chính mình.").await?;
        return Ok(Redirect::to("/admin/users").into_response());
    }
    let target = managed(st, user, id).await?;
    st.store
        .set_user_disabled(&user.actor(), id, disabled)
        .await?;
    let what = if disabled {
        "Đã khóa"
    } else {
        "Đã mở khóa"
    };
    flash(session, &format!("{what} tài khoản {}.", target.username)).await?;
    Ok(Redirect::to("/admin/users").into_response())
}

pub async fn disable(
    St(st): St,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response> {
    set_disabled(&st, &user, &session, id, true).await
}

pub async fn enable(
    St(st): St,
    user: CurrentUser,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response> {
    set_disabled(&st, &user, &session, id, false).await
}

// ------------------------------------------------------------------ audit

pub async fn audit(ctx: Ctx, St(st): St, RawQuery(q): RawQuery) -> Result<Response> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q.as_deref().unwrap_or(""))
        .map_err(|_| AppError::BadRequest("Tham số trên địa chỉ không đọc được.".into()))?;
    let mut f = AuditFilter {
        page: 1,
        per_page: 50,
        ..Default::default()
    };
    for (k, v) in &pairs {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        match k.as_str() {
            "entity" => f.entity = Some(v.to_string()),
            "id" => {
                f.entity_id =
                    Some(v.parse().map_err(|_| {
                        AppError::BadRequest(format!("Mã bản ghi không hợp lệ «{v}»."))
                    })?)
            }
            "actor" => f.actor = Some(v.to_string()),
            "page" => {
                f.page =
                    v.parse().ok().filter(|p| *p >= 1).ok_or_else(|| {
                        AppError::BadRequest(format!("Số trang không hợp lệ «{v}»."))
                    })?
            }
            other => {
                return Err(AppError::BadRequest(format!(
                    "Không lọc nhật ký theo «{other}»."
                )))
            }
        }
    }
    let page = st.store.audit(st.ward, &f).await?;
    let users = accounts_in_view(&st, ctx.user.as_ref()).await?;
    let get = |k: &str| crate::views::lists::param(&pairs, k);
    let mut entities: Vec<(String, String)> = Kind::ALL
        .iter()
        .map(|k| (k.code().to_string(), k.label().to_string()))
        .collect();
    for e in [
        "user",
        "ward",
        "ward_names",
        "ward_terms",
        "review_periods",
        "import",
    ] {
        entities.push((e.to_string(), entity_label(e)));
    }
    let pages = page.pages();
    let link = |n: u32| crate::views::lists::page_link("/admin/audit", &pairs, n);
    let body = html! {
        form.filters method="get" action="/admin/audit" role="search" {
            div {
                label for="entity" { "Loại" }
                select #entity name="entity" {
                    option value="" { "Tất cả" }
                    @for (c, l) in &entities { option value=(c) selected[c == get("entity")] { (l) } }
                }
            }
            div { label for="id" { "Mã bản ghi" } input #id type="text" name="id" value=(get("id")) inputmode="numeric" size="6"; }
            div {
                label for="actor" { "Người thực hiện" }
                select #actor name="actor" {
                    option value="" { "Tất cả" }
                    option value="system" selected[get("actor") == "system"] { "system" }
                    @for u in &users { option value=(u.username) selected[u.username == get("actor")] { (u.username) } }
                }
            }
            div { button type="submit" { "Lọc" } }
        }
        p.count { "Tìm thấy " (num(page.total as i64)) " thay đổi" }
        (audit_table(&page.items, true))
        @if pages > 1 {
            nav aria-label="Phân trang" {
                @if page.page > 1 { a href=(link(page.page - 1)) { "← Trang trước" } " " }
                "Trang " (num(page.page)) " / " (num(pages))
                @if page.page < pages { " " a href=(link(page.page + 1)) { "Trang sau →" } }
            }
        }
    };
    Ok(layout::page(&ctx, "Nhật ký thay đổi", body).into_response())
}
