//! Accounts at the door: the permission guard, login and logout, the login rate limit
//! and the one-time link that creates the first administrator.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use domain::{Code, Role};
use maud::{html, Markup};
use rand::RngCore;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use store::audit::{Action, AuditEvent, Entity};
use store::{Actor, WardId};
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
    /// A ward account's ward; `None` for a city account (which chooses one).
    pub ward: Option<WardId>,
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

/// The session key holding the password stamp the session was opened with.
pub const STAMP_KEY: &str = "pw";

/// A short fingerprint of a password hash: a session opened before the password changed
/// carries another one and ends at its next request.
pub fn password_stamp(password_hash: &str) -> String {
    hex::encode(&Sha256::digest(password_hash.as_bytes())[..12])
}

/// Opens a logged-in session for `user_id`: a new session id (defeats fixation), the
/// password stamp, and a new anti-forgery token (one seen before is useless after).
pub async fn open_session(session: &Session, user_id: i64, stamp: &str) -> Result<()> {
    session.cycle_id().await?;
    session.insert(USER_KEY, user_id).await?;
    session.insert(STAMP_KEY, stamp).await?;
    csrf::rotate(session).await?;
    Ok(())
}

async fn current_user(state: &AppState, session: &Session) -> Result<Option<CurrentUser>> {
    let Some(id) = session.get::<i64>(USER_KEY).await? else {
        return Ok(None);
    };
    // The account and its password in one query: the password the session was opened
    // with must still be the account's.
    let (user, stamp) = match state.store.credentials_by_id(id).await? {
        Some(c) => (Some(c.user), Some(password_stamp(&c.password_hash))),
        None => (None, None),
    };
    let opened_with = session.get::<String>(STAMP_KEY).await?;
    match user {
        Some(u) if !u.disabled && stamp.is_some() && stamp == opened_with => {
            Ok(Some(CurrentUser {
                id: u.id,
                username: u.username,
                display_name: u.display_name,
                role: u.role,
                ward: u.ward,
            }))
        }
        _ => {
            // Disabled, removed, or its password changed since: the session ends here.
            session.flush().await?;
            Ok(None)
        }
    }
}

/// The session key holding the ward a city account chose to look at.
pub const WARD_KEY: &str = "ward";

/// The ward a logged-in request acts on: a ward account's own; for a city account the
/// ward it chose (`/wards`), if that ward still exists, else the first ward.
async fn request_ward(state: &AppState, session: &Session, user: &CurrentUser) -> Result<WardId> {
    if let Some(w) = user.ward {
        return Ok(w);
    }
    if let Some(id) = session.get::<i64>(WARD_KEY).await? {
        match state.store.ward(WardId(id)).await {
            Ok(_) => return Ok(WardId(id)),
            Err(store::StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(state.ward)
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
    let ward = match request_ward(&state, &session, &user).await {
        Ok(w) => w,
        Err(e) => return e.into_response(),
    };
    req.extensions_mut().insert(crate::RequestWard(ward));
    req.extensions_mut().insert(user);
    let mut res = next.run(req).await;
    // Pages and downloads behind the login stay out of every cache: on a shared office
    // PC the next person must not find them in the browser's.
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

// ------------------------------------------------------------------ rate limit

/// Throttles failed logins, in memory (a restart forgets them, acceptable for one
/// office PC or one city server process):
///
/// - per (account, address): the first [`FREE_TRIES`] failures cost nothing; after
///   that each try must wait a delay that doubles from [`FIRST_DELAY`] up to
///   [`MAX_DELAY`]. A right password from another address is not affected, and a few
///   typos never lock anyone out.
/// - per address, over all accounts: after [`ADDR_FREE`] failures within [`WINDOW`],
///   one try per [`ADDR_GAP`] (a few a minute), so that a brute force spraying names
///   from one address stays slow, while an office of twenty behind one router making
///   the odd typo never reaches it.
///
/// A success clears the (account, address) entry.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    state: Mutex<LimiterState>,
}

#[derive(Debug, Default)]
struct LimiterState {
    pairs: HashMap<(String, String), Failures>,
    addrs: HashMap<String, VecDeque<Instant>>,
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

pub const WINDOW: Duration = Duration::from_secs(15 * 60);
pub const FREE_TRIES: u32 = 3;
pub const FIRST_DELAY: Duration = Duration::from_secs(5);
pub const MAX_DELAY: Duration = Duration::from_secs(15 * 60);
pub const ADDR_FREE: usize = 30;
pub const ADDR_GAP: Duration = Duration::from_secs(20);

/// The wait after `count` failures of one account from one address.
fn pair_delay(count: u32) -> Duration {
    if count < FREE_TRIES {
        return Duration::ZERO;
    }
    let doublings = (count - FREE_TRIES).min(16);
    FIRST_DELAY.saturating_mul(1 << doublings).min(MAX_DELAY)
}

impl LoginLimiter {
    fn pair_key(username: &str, addr: &str) -> (String, String) {
        (username.to_lowercase(), addr.to_string())
    }

    /// How long this try must still wait; `None` when it may go ahead.
    pub fn wait(&self, username: &str, addr: &str) -> Option<Duration> {
        self.wait_at(username, addr, Instant::now())
    }

    fn wait_at(&self, username: &str, addr: &str, now: Instant) -> Option<Duration> {
        let Ok(mut st) = self.state.lock() else {
            return None;
        };
        let pair = st
            .pairs
            .get(&Self::pair_key(username, addr))
            .map(|f| (f.last + pair_delay(f.count)).saturating_duration_since(now))
            .unwrap_or_default();
        let addr_wait = st
            .addrs
            .get_mut(addr)
            .map(|q| {
                while q.front().is_some_and(|t| now.duration_since(*t) > WINDOW) {
                    q.pop_front();
                }
                match q.back() {
                    Some(last) if q.len() >= ADDR_FREE => {
                        (*last + ADDR_GAP).saturating_duration_since(now)
                    }
                    _ => Duration::ZERO,
                }
            })
            .unwrap_or_default();
        let wait = pair.max(addr_wait);
        (!wait.is_zero()).then_some(wait)
    }

    pub fn failed(&self, username: &str, addr: &str) {
        self.failed_at(username, addr, Instant::now());
    }

    fn failed_at(&self, username: &str, addr: &str, now: Instant) {
        let Ok(mut st) = self.state.lock() else {
            return;
        };
        if st.pairs.len() > 10_000 || st.addrs.len() > 10_000 {
            // Bounded memory under a spray of names or addresses: drop stale entries.
            st.pairs
                .retain(|_, f| now.duration_since(f.last) <= MAX_DELAY.max(WINDOW));
            st.addrs
                .retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) <= WINDOW));
        }
        let entry = st
            .pairs
            .entry(Self::pair_key(username, addr))
            .or_insert(Failures {
                count: 0,
                last: now,
            });
        // A pair quiet for longer than the window starts again from nothing.
        if now.duration_since(entry.last) > WINDOW.max(pair_delay(entry.count)) {
            entry.count = 0;
        }
        entry.count += 1;
        entry.last = now;
        st.addrs.entry(addr.to_string()).or_default().push_back(now);
    }

    pub fn succeeded(&self, username: &str, addr: &str) {
        if let Ok(mut st) = self.state.lock() {
            st.pairs.remove(&Self::pair_key(username, addr));
        }
    }
}

/// Whole seconds, rounded up.
fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// "30 giây", "2 phút": how long to wait, rounded up.
fn wait_text(d: Duration) -> String {
    let secs = ceil_secs(d);
    if secs < 60 {
        format!("{secs} giây")
    } else {
        format!("{} phút", secs.div_ceil(60))
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

/// Only a path on this site, so that `next` cannot send the user elsewhere: it starts
/// with exactly one `/`, has no `\\` anywhere (browsers read it as `/`), and no control
/// character or whitespace (browsers drop tabs and newlines, so `/\t/evil.com` would
/// become `//evil.com`; a CR/LF would break the `Location` header). Anything else
/// gives `/`.
pub fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next[1..].starts_with('/')
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control() || c.is_whitespace());
    if local {
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
    if let Some(wait) = state.limiter.wait(&username, &client) {
        let msg = format!(
            "Đăng nhập sai nhiều lần. Vui lòng thử lại sau {}.",
            wait_text(wait)
        );
        let mut res = (
            StatusCode::TOO_MANY_REQUESTS,
            login_page(&ctx, &username, &next, Some(&msg)),
        )
            .into_response();
        if let Ok(v) = HeaderValue::from_str(&ceil_secs(wait).to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(res);
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
    // A disabled account gets the same answer as a wrong password, so that the answer
    // never tells that the password was right.
    let (user, stamp) = match creds {
        Some(c) if matches && !c.user.disabled => (c.user, password_stamp(&c.password_hash)),
        _ => {
            state.limiter.failed(&username, &client);
            return Ok((
                StatusCode::UNAUTHORIZED,
                login_page(&ctx, &username, &next, Some(BAD_LOGIN)),
            )
                .into_response());
        }
    };
    state.limiter.succeeded(&username, &client);
    open_session(&session, user.id, &stamp).await?;
    state
        .store
        .audit_event(
            user.ward.unwrap_or(state.ward),
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
    open_session(&session, id, &password_stamp(&hash)).await?;
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
pub fn role_options(keep: impl Fn(Role) -> bool) -> Vec<(&'static str, &'static str)> {
    Role::ALL
        .iter()
        .filter(|r| keep(**r))
        .map(|r| (r.code(), r.label()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_typos_cost_nothing_then_the_wait_doubles() {
        let l = LoginLimiter::default();
        let t0 = Instant::now();
        for i in 0..FREE_TRIES {
            assert_eq!(l.wait_at("thuky", "10.0.0.1", t0), None, "try {i}");
            l.failed_at("thuky", "10.0.0.1", t0);
        }
        assert_eq!(l.wait_at("thuky", "10.0.0.1", t0), Some(FIRST_DELAY));
        // The same account from another address, and another account, go ahead.
        assert_eq!(l.wait_at("thuky", "10.0.0.2", t0), None);
        assert_eq!(l.wait_at("phobithu", "10.0.0.1", t0), None);
        let t1 = t0 + FIRST_DELAY;
        assert_eq!(l.wait_at("thuky", "10.0.0.1", t1), None);
        l.failed_at("thuky", "10.0.0.1", t1);
        assert_eq!(l.wait_at("thuky", "10.0.0.1", t1), Some(FIRST_DELAY * 2));
        assert_eq!(pair_delay(40), MAX_DELAY);
        l.succeeded("thuky", "10.0.0.1");
        assert_eq!(l.wait_at("thuky", "10.0.0.1", t1), None);
    }

    #[test]
    fn an_office_behind_one_address_is_not_locked_but_a_spray_is_slowed() {
        let l = LoginLimiter::default();
        let t0 = Instant::now();
        // Twenty colleagues, one typo each.
        for i in 0..20 {
            l.failed_at(&format!("user{i}"), "office", t0);
        }
        assert_eq!(l.wait_at("user3", "office", t0), None);
        // A spray of names from one address: after ADDR_FREE failures, one try per gap.
        for i in 20..ADDR_FREE {
            l.failed_at(&format!("user{i}"), "office", t0);
        }
        assert_eq!(l.wait_at("someone", "office", t0), Some(ADDR_GAP));
        assert_eq!(l.wait_at("someone", "elsewhere", t0), None);
        let later = t0 + ADDR_GAP;
        assert_eq!(l.wait_at("someone", "office", later), None);
        // Tries per minute stay at 60 / ADDR_GAP.
        assert!(60 / ADDR_GAP.as_secs() <= 3);
        // After the window, the address starts afresh.
        assert_eq!(l.wait_at("someone", "office", t0 + WINDOW + ADDR_GAP), None);
    }

    #[test]
    fn waits_read_in_vietnamese() {
        assert_eq!(wait_text(Duration::from_millis(4200)), "5 giây");
        assert_eq!(wait_text(Duration::from_secs(61)), "2 phút");
    }

    #[test]
    fn next_is_a_path_on_this_site_or_the_home_page() {
        for ok in [
            "/",
            "/conferences",
            "/conferences/12?year=2018&q=a%20b",
            "/reports",
        ] {
            assert_eq!(safe_next(ok), ok);
        }
        for bad in [
            "",
            "//evil.com",
            "/\\evil.com",
            "/\t/evil.com",
            "/\n/evil.com",
            "/a\r\nSet-Cookie: x=1",
            "/ /evil.com",
            "/x\\y",
            "http://evil.com",
            "evil.com",
            "\u{7f}/x",
            "/\u{2028}/evil.com",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad:?}");
        }
    }
}
