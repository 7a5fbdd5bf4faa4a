//! The user's own account: changing one's password (the current one required). The
//! change ends the user's other sessions; this one continues with a new id.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::{flash, open_session, password_stamp, ClientAddr, CurrentUser};
use crate::views::layout::{self, Ctx};
use crate::Result;
use crate::St;

#[derive(Deserialize, Default)]
pub struct PasswordChange {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

/// A field's error, shown under it.
type FieldError = (&'static str, String);

fn page(ctx: &Ctx, errors: &[FieldError]) -> Markup {
    let first = errors.first().map(|(f, _)| *f);
    let field = |name: &'static str, label: &str, autocomplete: &str| {
        let id = format!("f-{name}");
        let eid = format!("e-{name}");
        let e = errors
            .iter()
            .find(|(f, _)| *f == name)
            .map(|(_, m)| m.as_str());
        html! {
            div.field {
                label for=(id) { (label) }
                input #(id) type="password" name=(name) autocomplete=(autocomplete) required autofocus[first == Some(name)]
                    aria-invalid=[e.map(|_| "true")] aria-describedby=[e.map(|_| eid.clone())];
                @if let Some(m) = e { p.error id=(eid) { (m) } }
            }
        }
    };
    layout::page(
        ctx,
        "Đổi mật khẩu",
        html! {
            form.narrow method="post" action="/account/password" {
                (ctx.csrf_field())
                (field("current", "Mật khẩu hiện tại", "current-password"))
                (field("new", "Mật khẩu mới (ít nhất 10 ký tự)", "new-password"))
                (field("confirm", "Nhập lại mật khẩu mới", "new-password"))
                p.hint { "Sau khi đổi, các phiên đăng nhập khác của tài khoản này (trên máy khác, trình duyệt khác) sẽ kết thúc." }
                button type="submit" { "Đổi mật khẩu" }
            }
        },
    )
}

pub async fn form(ctx: Ctx) -> Result<Markup> {
    Ok(page(&ctx, &[]))
}

pub async fn change(
    St(st): St,
    ctx: Ctx,
    user: CurrentUser,
    session: Session,
    ClientAddr(client): ClientAddr,
    Form(f): Form<PasswordChange>,
) -> Result<Response> {
    let refuse = |errors: Vec<FieldError>| {
        Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&ctx, &errors)).into_response())
    };
    if st.limiter.wait(&user.username, &client).is_some() {
        return refuse(vec![(
            "current",
            "Nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau ít phút.".into(),
        )]);
    }
    let Some(creds) = st.store.credentials(&user.username).await? else {
        return Err(crate::AppError::NotFound);
    };
    let current = f.current;
    let hash = creds.password_hash;
    let right =
        tokio::task::spawn_blocking(move || app::passwords::verify(&current, &hash)).await?;
    // Every problem at once, in the form's order.
    let mut errors = Vec::new();
    if !right {
        st.limiter.failed(&user.username, &client);
        errors.push(("current", "Mật khẩu hiện tại không đúng.".into()));
    }
    if let Err(m) = app::passwords::check_rules(&f.new, &user.username) {
        errors.push(("new", m));
    }
    if f.new != f.confirm {
        errors.push((
            "confirm",
            "Hai lần nhập mật khẩu mới không giống nhau.".into(),
        ));
    }
    if !errors.is_empty() {
        return refuse(errors);
    }
    let new = f.new;
    let h = tokio::task::spawn_blocking(move || app::passwords::hash(&new)).await??;
    st.store.set_password(&user.actor(), user.id, &h).await?;
    open_session(&session, user.id, &password_stamp(&h)).await?;
    flash(
        &session,
        "Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã kết thúc.",
    )
    .await?;
    Ok(Redirect::to("/").into_response())
}
