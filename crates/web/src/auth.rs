//! Accounts at the door: the permission guard, login and logout, the login rate limit
//! and the one-time link that creates the first administrator.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::{Code, Role};
use maud::{html, Markup};
use rand::RngCore;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use store::audit::{Action, AuditEvent, Entity};
use store::Actor;
use tower_sessions::Session;

use crate::views::layout::{self, Ctx};
use crate::{csrf, perms, AppError, AppState, Result};

const USER_KEY: &str = "uid";

/// The logged-in account, checked against the database on every request so that a
/// disabled account or a changed role takes effect at once.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub display_name: Option<String>,
    pub role: Role,
}

impl CurrentUser {
    pub fn actor(&self) -> Actor {
        Actor::new(self.username.clone())
    }
    pub fn can(&self, perm: perms::Perm) -> bool {
        perm.allows(self.role)
    }
}

/// Handlers behind the guard take `CurrentUser`; it is always there for them.
impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or(AppError::Unauthorized)
    }
}

async fn current_user(state: &AppState, session: &Session) -> Result<Option<CurrentUser>> {
    let Some(id) = session.get::<i64>(USER_KEY).await? else {
        return Ok(None);
    };
    match state.store.user(id).await {
        Ok(u) if !u.disabled => Ok(Some(CurrentUser {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            role: u.role,
        })),
        Ok(_) | Err(store::StoreError::NotFound) => {
            // Disabled or removed: the session ends here.
            session.flush().await?;
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// The permission guard: looks the matched route up in `perms::rules()`.
pub async fn guard(
    State(state): State<AppState>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    let Some(perm) = perms::rule_for(req.method(), &path) else {
        if perms::path_known(&path) {
            return StatusCode::METHOD_NOT_ALLOWED.into_response();
        }
        tracing::error!(%path, method = %req.method(), "route without a permission rule; refused");
        return AppError::Forbidden.into_response();
    };
    if perm == perms::Perm::Public {
        return next.run(req).await;
    }
    let user = match current_user(&state, &session).await {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    let Some(user) = user else {
        if req.method() == Method::GET || req.method() == Method::HEAD {
            let next_url = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let q = serde_urlencoded::to_string([("next", next_url)]).unwrap_or_default();
            return Redirect::to(&format!("/login?{q}")).into_response();
        }
        return AppError::Unauthorized.into_response();
    };
    if !perm.allows(user.role) {
        return AppError::Forbidden.into_response();
    }
    req.extensions_mut().insert(user);
    next.run(req).await
}

// ------------------------------------------------------------------ rate limit

/// Failed logins per username and per client address in a sliding window, in memory:
/// a restart forgets them, which is acceptable for one office PC.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

pub const WINDOW: Duration = Duration::from_secs(15 * 60);
pub const MAX_PER_USER: usize = 5;
/// Higher than per user: a whole office may share one address.
pub const MAX_PER_ADDR: usize = 20;

impl LoginLimiter {
    fn keys(username: &str, addr: &str) -> [(String, usize); 2] {
        [
            (format!("u:{}", username.to_lowercase()), MAX_PER_USER),
            (format!("a:{addr}"), MAX_PER_ADDR),
        ]
    }

    pub fn blocked(&self, username: &str, addr: &str) -> bool {
        let now = Instant::now();
        let Ok(mut map) = self.failures.lock() else {
            return false;
        };
        Self::keys(username, addr).iter().any(|(k, max)| {
            map.get_mut(k).is_some_and(|q| {
                while q.front().is_some_and(|t| now.duration_since(*t) > WINDOW) {
                    q.pop_front();
                }
                q.len() >= *max
            })
        })
    }

    pub fn failed(&self, username: &str, addr: &str) {
        let now = Instant::now();
        if let Ok(mut map) = self.failures.lock() {
            if map.len() > 10_000 {
                // Bounded memory under a spray of usernames: drop stale entries.
                map.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) <= WINDOW));
            }
            for (k, _) in Self::keys(username, addr) {
                map.entry(k).or_default().push_back(now);
            }
        }
    }

    pub fn succeeded(&self, username: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&format!("u:{}", username.to_lowercase()));
        }
    }
}

// ------------------------------------------------------------------ login

/// The client's address for the rate limit; "local" when the server was not started
/// with connect info (tests driving the router directly).
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(a)| a.ip().to_string())
                .unwrap_or_else(|| "local".into()),
        ))
    }
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

/// Only local paths, so that `next` cannot send the user to another site.
fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next
    } else {
        "/"
    }
}

fn login_page(ctx: &Ctx, username: &str, next: &str, error: Option<&str>) -> Markup {
    layout::page(
        ctx,
        "Đăng nhập",
        html! {
            form.narrow method="post" action="/login" {
                (ctx.csrf_field())
                input type="hidden" name="next" value=(next);
                @if let Some(e) = error {
                    p.alert role="alert" id="login-error" { (e) }
                }
                div.field {
                    label for="username" { "Tên đăng nhập" }
                    input #username type="text" name="username" value=(username) autocomplete="username" required autofocus aria-describedby=[error.map(|_| "login-error")];
                }
                div.field {
                    label for="password" { "Mật khẩu" }
                    input #password type="password" name="password" autocomplete="current-password" required;
                }
                button type="submit" { "Đăng nhập" }
            }
        },
    )
}

pub async fn login_form(ctx: Ctx, Query(q): Query<NextQuery>) -> Result<Response> {
    if ctx.user.is_some() {
        return Ok(Redirect::to(safe_next(&q.next)).into_response());
    }
    Ok(login_page(&ctx, "", safe_next(&q.next), None).into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

const BAD_LOGIN: &str = "Tên đăng nhập hoặc mật khẩu không đúng.";

pub async fn login(
    State(state): State<AppState>,
    session: Session,
    ctx: Ctx,
    ClientAddr(client): ClientAddr,
    Form(f): Form<LoginForm>,
) -> Result<Response> {
    let username = f.username.trim().to_string();
    let next = safe_next(&f.next).to_string();
    if state.limiter.blocked(&username, &client) {
        let msg = "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.";
        return Ok((
            StatusCode::TOO_MANY_REQUESTS,
            login_page(&ctx, &username, &next, Some(msg)),
        )
            .into_response());
    }
    let creds = state.store.credentials(&username).await?;
    // Verify against a dummy hash for unknown users so timing does not tell who exists.
    let hash = creds
        .as_ref()
        .map(|c| c.password_hash.clone())
        .unwrap_or_else(|| app::passwords::dummy_hash().to_string());
    let password = f.password;
    let matches =
        tokio::task::spawn_blocking(move || app::passwords::verify(&password, &hash)).await?;
    let user = match creds {
        Some(c) if matches => c.user,
        _ => {
            state.limiter.failed(&username, &client);
            return Ok((
                StatusCode::UNAUTHORIZED,
                login_page(&ctx, &username, &next, Some(BAD_LOGIN)),
            )
                .into_response());
        }
    };
    if user.disabled {
        return Ok((
            StatusCode::FORBIDDEN,
            login_page(
                &ctx,
                &username,
                &next,
                Some("Tài khoản này đã bị khóa. Liên hệ quản trị viên."),
            ),
        )
            .into_response());
    }
    state.limiter.succeeded(&username);
    // A new session id at login defeats session fixation; a new CSRF token too.
    session.cycle_id().await?;
    session.insert(USER_KEY, user.id).await?;
    csrf::rotate(&session).await?;
    state
        .store
        .audit_event(
            state.ward,
            &Actor::new(user.username.clone()),
            AuditEvent::new(Entity::User, Some(user.id), Action::Login),
        )
        .await?;
    Ok(Redirect::to(&next).into_response())
}

pub async fn logout(session: Session) -> Result<Response> {
    session.flush().await?;
    Ok(Redirect::to("/login").into_response())
}

// ------------------------------------------------------------------ first admin

pub fn new_token() -> String {
    let mut b = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// Only the hash is stored: a copy of the database does not reveal a usable link.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn setup_page(ctx: &Ctx, token: &str, username: &str, error: Option<&str>) -> Markup {
    layout::page(
        ctx,
        "Tạo tài khoản quản trị đầu tiên",
        html! {
            form.narrow method="post" action={"/setup/" (token)} {
                (ctx.csrf_field())
                @if let Some(e) = error { p.alert role="alert" id="setup-error" { (e) } }
                div.field {
                    label for="username" { "Tên đăng nhập" }
                    input #username type="text" name="username" value=(username) required;
                }
                div.field {
                    label for="password" { "Mật khẩu (ít nhất " (app::passwords::MIN_LEN) " ký tự)" }
                    input #password type="password" name="password" autocomplete="new-password" required aria-describedby=[error.map(|_| "setup-error")];
                }
                button type="submit" { "Tạo quản trị viên" }
            }
        },
    )
}

pub async fn setup_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response> {
    if !state.store.setup_token_valid(&token_hash(&token)).await? {
        return Err(AppError::NotFound);
    }
    Ok(setup_page(&ctx, &token, "", None).into_response())
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

pub async fn setup(
    State(state): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(token): Path<String>,
    Form(f): Form<SetupForm>,
) -> Result<Response> {
    let hash_of_token = token_hash(&token);
    if !state.store.setup_token_valid(&hash_of_token).await? {
        return Err(AppError::NotFound);
    }
    let username = f.username.trim().to_string();
    let problem = if !app::accounts::valid_username(&username) {
        Some("Tên đăng nhập dài 3–40 ký tự, gồm chữ không dấu, số, '.', '-' hoặc '_'.".to_string())
    } else {
        app::passwords::check_rules(&f.password, &username).err()
    };
    if let Some(p) = problem {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            setup_page(&ctx, &token, &username, Some(&p)),
        )
            .into_response());
    }
    let password = f.password;
    let hash = tokio::task::spawn_blocking(move || app::passwords::hash(&password)).await??;
    let id = state
        .store
        .create_first_admin(&hash_of_token, &username, &hash)
        .await?;
    session.cycle_id().await?;
    session.insert(USER_KEY, id).await?;
    csrf::rotate(&session).await?;
    Ok(Redirect::to("/admin/users").into_response())
}

/// Session helpers for flash messages shown once on the next page.
pub async fn flash(session: &Session, message: &str) -> Result<()> {
    session.insert("flash", message).await?;
    Ok(())
}

/// `Ctx` without the permission guard's user (public pages) still gets the user if
/// the session has one, for the menu.
pub async fn optional_user(state: &AppState, session: &Session) -> Result<Option<CurrentUser>> {
    current_user(state, session).await
}

/// The role names for selects.
pub fn role_options() -> Vec<(&'static str, &'static str)> {
    Role::ALL.iter().map(|r| (r.code(), r.label())).collect()
}
