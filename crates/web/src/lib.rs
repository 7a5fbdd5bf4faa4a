//! The web application: router, state, middleware order and the server loop.
//!
//! Request path: trace → security headers → session → CSRF/body limit → routing →
//! permission guard (one table, `perms.rs`) → handler. Handlers (`pages/`) parse forms
//! into domain values, call the store or the `app` crate and render maud views
//! (`views/`); SQL lives in `store` only, and handlers never call each other.
#![forbid(unsafe_code)]

pub mod auth;
pub mod clock;
pub mod csrf;
pub mod error;
pub mod extract;
pub mod pages;
pub mod perms;
pub mod records_view;
pub mod session_store;
pub mod uploads;
pub mod views;

use pages::{
    account, admin, committee, completeness, dashboard, dialogues, export, import, law, periods,
    records, reports, review, ward, wards,
};
use std::net::SocketAddr;
use std::sync::Arc;
use views::layout;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, on, MethodFilter, MethodRouter};
use axum::Router;
use domain::Kind;
use store::{Store, WardId};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub use error::{AppError, Result};

/// Settings fixed at start-up.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Mark the session cookie `Secure` (only when served over HTTPS).
    pub secure_cookies: bool,
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// The ward a request acts on. In the router's state, the database's first ward;
    /// handlers take [`St`], whose copy holds the request's ward (a ward account's own,
    /// or the one a city account chose), so that every query is scoped to it.
    pub ward: WardId,
    pub limiter: Arc<auth::LoginLimiter>,
    pub config: Arc<Config>,
    /// CSV uploads previewed and waiting for confirmation.
    pub pending: Arc<uploads::Pending>,
    /// Signs anonymous visitors' form tokens (`csrf`), random per start.
    pub form_key: Arc<[u8; 32]>,
}

/// The ward a request acts on, set by the permission guard (`auth::guard`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestWard(pub WardId);

/// The application state as one request sees it: [`AppState`] with `ward` set to the
/// request's ward ([`RequestWard`]); the router's default ward on public pages.
pub struct St(pub AppState);

impl axum::extract::FromRequestParts<AppState> for St {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> std::result::Result<Self, Self::Rejection> {
        let mut st = state.clone();
        if let Some(RequestWard(w)) = parts.extensions.get::<RequestWard>() {
            st.ward = *w;
        }
        Ok(St(st))
    }
}

impl std::ops::Deref for St {
    type Target = AppState;
    fn deref(&self) -> &AppState {
        &self.0
    }
}

impl AppState {
    pub fn new(store: Store, ward: WardId, config: Config) -> Self {
        Self {
            store,
            ward,
            limiter: Arc::new(auth::LoginLimiter::default()),
            config: Arc::new(config),
            pending: Arc::new(uploads::Pending::default()),
            form_key: csrf::new_key(),
        }
    }
}

/// Collects routes and remembers each (method, path) so that a test can check that
/// every route has a permission rule in `perms::rules()` and vice versa.
pub struct Routes {
    router: Router<AppState>,
    pub registered: Vec<(Method, String)>,
}

impl Routes {
    fn new() -> Self {
        Self {
            router: Router::new(),
            registered: Vec::new(),
        }
    }

    /// Adds `handler` for `method` on `path`. Several methods on one path may be added
    /// by separate calls; they are merged.
    pub fn add(mut self, method: Method, path: &str, handler: MethodRouter<AppState>) -> Self {
        self.registered.push((method, path.to_string()));
        self.router = self.router.route(path, handler);
        self
    }

    pub fn get<H, T>(self, path: &str, h: H) -> Self
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::GET, path, get(h))
    }

    pub fn post<H, T>(self, path: &str, h: H) -> Self
    where
        H: axum::handler::Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::POST, path, on(MethodFilter::POST, h))
    }
}

/// `ok`, or 503 with the reason while the database cannot be written (a full disk).
async fn health(
    axum::extract::State(st): axum::extract::State<AppState>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match st.store.writer_healthy().await {
        Ok(()) => "ok".into_response(),
        Err(e) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            format!("writer unavailable: {e}"),
        )
            .into_response(),
    }
}

/// Every route of the application, without middleware or state.
pub fn routes() -> Routes {
    let r = Routes::new()
        .get("/healthz", health)
        .get("/static/app.css", layout::stylesheet)
        .get("/login", auth::login_form)
        .post("/login", auth::login)
        .post("/logout", auth::logout)
        .get("/setup/{token}", auth::setup_form)
        .post("/setup/{token}", auth::setup)
        .get("/", dashboard::dashboard)
        .get("/law", law::page)
        .get("/ward", ward::page)
        .post("/ward", ward::save_details)
        .post("/ward/names", ward::save_name)
        .post("/ward/terms", ward::save_terms)
        .post("/ward/periods", ward::save_periods)
        .post("/ward/publicity", ward::save_publicity)
        .get("/steering-committee", committee::page)
        .post("/steering-committee", committee::add_version)
        .get("/opinions/open", dialogues::open_opinions)
        .post("/opinions/{id}/resolve", dialogues::resolve)
        .post("/dialogues/{id}/opinions", dialogues::add_opinion)
        .get("/wards", wards::page)
        .get("/reports/city", pages::city::page)
        .get("/reports/city.csv", pages::city::csv)
        .get("/reports/city/open", pages::city::open)
        .get("/reports/city.xlsx", pages::city::xlsx)
        .post("/wards/choose", wards::choose)
        .get("/wards/merge", pages::merge::page)
        .post("/wards/merge", pages::merge::merge)
        .get("/account/password", account::form)
        .post("/account/password", account::change)
        .get("/admin/users", admin::users)
        .post("/admin/users", admin::add_user)
        .post("/admin/users/{id}/password", admin::reset_password)
        .post("/admin/users/{id}/role", admin::change_role)
        .post("/admin/users/{id}/disable", admin::disable)
        .post("/admin/users/{id}/enable", admin::enable)
        .get("/admin/audit", admin::audit)
        .get("/reports/summary", reports::summary)
        .get("/reports/summary.csv", reports::summary_csv)
        .get("/reports/summary.xlsx", reports::summary_xlsx)
        .get("/reports/completeness", completeness::ward_page)
        .get("/reports/completeness.csv", completeness::ward_csv)
        .get("/reports/city/completeness", completeness::city_page)
        .get("/reports/city/completeness.csv", completeness::city_csv)
        .get("/reports/submit", periods::page)
        .post("/reports/submit", periods::submit)
        .get("/reports/submissions/{id}", periods::show)
        .post("/reports/submissions/{id}/reopen", periods::reopen)
        .get("/reports/review", review::page)
        .post("/reports/review", review::create)
        .post("/reports/review/{id}", review::update)
        .get("/reports/review.docx", review::docx)
        .get("/import", import::page)
        .post("/import", import::upload)
        .post("/import/confirm", import::confirm)
        .get("/import/history", import::history)
        .post("/import/{id}/undo", import::undo);
    let r = Kind::ALL.iter().fold(r, |r, kind| {
        let kind = *kind;
        r.get(
            &format!("/{}.csv", kind.slug()),
            move |axum::extract::State(st): axum::extract::State<AppState>,
                  axum::extract::RawQuery(q): axum::extract::RawQuery| {
                export::records_csv(st, kind, q)
            },
        )
    });
    records::add_routes(r)
}

/// The application with all its middleware.
pub fn router(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(session_store::cached(state.store.clone()))
        .with_name("qcdc_session")
        .with_secure(state.config.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(8)));

    let secure = state.config.secure_cookies;
    let app = routes()
        .router
        // CSRF check and per-route body limits in one place, for every POST; inside the
        // permission guard, so that a request the role may not make (or an anonymous
        // one) is refused before its body is read.
        .route_layer(from_fn_with_state(state.clone(), csrf::guard))
        .route_layer(from_fn_with_state(state.clone(), auth::guard))
        .fallback(error::not_found)
        .layer(axum::middleware::map_response(error::humanise))
        .layer(sessions)
        // The CSRF guard buffers bodies with the per-route limit of `csrf::body_limit`.
        .layer(DefaultBodyLimit::disable())
        .layer(header_layer(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
        ))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(header::REFERRER_POLICY, "same-origin"))
        .layer(TraceLayer::new_for_http());
    // Served over HTTPS: browsers must not fall back to plain HTTP for a year.
    let app = if secure {
        app.layer(header_layer(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000",
        ))
    } else {
        app
    };
    app.with_state(state)
}

/// The headers every response carries: no framing, no sniffing, no inline script.
fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
}

/// Opens (creating and migrating) the database, makes sure it has a ward, and on a
/// database without accounts prints a one-time link to create the first administrator.
pub async fn prepare(db: &store::Location, addr: &str) -> anyhow::Result<(Store, WardId)> {
    let store = Store::open(db).await?;
    let ward = match store.default_ward().await? {
        Some(w) => w,
        None => {
            let w = domain::ward::Ward {
                name: "Phường mới".into(),
                district: None,
                province: None,
            };
            let id = store.init_ward(&store::Actor::system(), &w).await?;
            println!("Đã tạo phường mới; sửa tên tại http://{addr}/ward");
            id
        }
    };
    if store.user_count().await? == 0 {
        let token = auth::new_token();
        store.add_setup_token(&auth::token_hash(&token)).await?;
        println!(
            "Chưa có tài khoản nào. Mở liên kết sau (dùng được một lần) để tạo quản trị viên:"
        );
        println!("  http://{addr}/setup/{token}");
    }
    Ok((store, ward))
}

/// Serves on `listener` until `shutdown` resolves, purging expired sessions hourly.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let purge_store = state.store.clone();
    let purge = tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            if let Err(e) = purge_store.sessions_purge(now).await {
                tracing::warn!("session purge failed: {e}");
            }
        }
    });
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    purge.abort();
    Ok(result?)
}

/// Opens the address to listen on, before anything else is done, with a Vietnamese
/// message that says what to do when it cannot be had.
pub async fn bind(addr: &str) -> anyhow::Result<tokio::net::TcpListener> {
    use std::io::ErrorKind;
    if addr.parse::<SocketAddr>().is_err() && !addr.contains(':') {
        anyhow::bail!("Địa chỉ «{addr}» không hợp lệ; hãy ghi dạng 127.0.0.1:8080.");
    }
    tokio::net::TcpListener::bind(addr).await.map_err(|e| match e.kind() {
        ErrorKind::AddrInUse => anyhow::anyhow!(
            "Cổng của địa chỉ {addr} đang được một chương trình khác dùng (có thể QCDC đang chạy rồi). Hãy dừng chương trình đó, hoặc chọn cổng khác, ví dụ: --addr 127.0.0.1:8081"
        ),
        ErrorKind::PermissionDenied => anyhow::anyhow!(
            "Không được phép mở địa chỉ {addr} (cổng dưới 1024 cần quyền quản trị). Hãy chọn cổng khác, ví dụ: --addr 127.0.0.1:8080"
        ),
        ErrorKind::AddrNotAvailable => anyhow::anyhow!(
            "Máy này không có địa chỉ {addr}. Hãy dùng 127.0.0.1 (chỉ máy này) hoặc 0.0.0.0 (mọi máy trong mạng), ví dụ: --addr 127.0.0.1:8080"
        ),
        _ => anyhow::anyhow!("Không mở được địa chỉ {addr}: {e}"),
    })
}

/// `qcdc serve`: prepare the database and serve on `listener` (from [`bind`]) until
/// Ctrl-C or SIGTERM.
pub async fn serve(
    db: &store::Location,
    listener: tokio::net::TcpListener,
    config: Config,
) -> anyhow::Result<()> {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .try_init();
    let local = listener.local_addr()?.to_string();
    let (store, ward) = prepare(db, &local).await?;
    println!("QCDC đang chạy tại http://{local}/ (Ctrl-C để dừng)");
    let state = AppState::new(store.clone(), ward, config);
    serve_on(listener, state, shutdown_signal()).await?;
    store.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
