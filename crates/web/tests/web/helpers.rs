//! A fresh application per test: a new database with a ward and one account per role,
//! driven in-process with `tower::ServiceExt::oneshot`, with a tiny cookie jar.
//!
//! Every test runs twice (`engine_test!`): on a SQLite file in a temp folder and on a
//! fresh PostgreSQL database (skipped, saying so, without `QCDC_TEST_POSTGRES`).

use std::collections::BTreeMap;
use std::sync::Mutex;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use domain::Role;
use http_body_util::BodyExt;
use store::testing::TestDb;
use store::{Actor, Engine, Store, WardId};
use tower::ServiceExt;
use web::{AppState, Config};

pub const SESSION_COOKIE: &str = "qcdc_session";

pub const PASSWORD: &str = "mat-khau-dai-du-1";

pub fn username(role: Role) -> &'static str {
    match role {
        Role::Admin => "quantri",
        Role::Secretary => "thuky",
        Role::Deputy => "phobithu",
        Role::Viewer => "nguoixem",
        Role::CityAdmin => "thanhpho-qt",
        Role::CityViewer => "thanhpho-xem",
    }
}

pub const ROLES: [Role; 4] = [Role::Admin, Role::Secretary, Role::Deputy, Role::Viewer];

tokio::task_local! {
    /// The engine the running test uses, set by `engine_test!`.
    pub static ENGINE: Engine;
}

/// Declares `async fn name()` (written without `#[tokio::test]`) as two tests,
/// `name::sqlite` and `name::postgres`; helpers read the engine from [`ENGINE`].
#[macro_export]
macro_rules! engine_test {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                $crate::helpers::ENGINE
                    .scope(store::Engine::Sqlite, super::$name())
                    .await
            }
            #[tokio::test]
            async fn postgres() {
                if std::env::var(store::testing::POSTGRES_VAR).is_err() {
                    eprintln!(
                        "{} is not set: PostgreSQL test skipped",
                        store::testing::POSTGRES_VAR
                    );
                    return;
                }
                $crate::helpers::ENGINE
                    .scope(store::Engine::Postgres, super::$name())
                    .await
            }
        }
    };
}

/// A new empty database on the running test's engine (SQLite outside `engine_test!`).
pub async fn test_db() -> TestDb {
    // the server's error log, shown with a failing test's output
    let _ = tracing_subscriber::fmt()
        .with_env_filter("warn")
        .with_test_writer()
        .try_init();
    let engine = ENGINE.try_with(|e| *e).unwrap_or(Engine::Sqlite);
    TestDb::new(engine)
        .await
        .expect("the test's engine is available")
}

pub struct TestApp {
    pub router: Router,
    pub store: Store,
    pub ward: WardId,
    _db: TestDb,
}

pub async fn spawn_app() -> TestApp {
    let db = test_db().await;
    let store = Store::open(&db.location).await.expect("open store");
    let ward = store
        .init_ward(
            &Actor::system(),
            &domain::ward::Ward {
                name: "Phường Ngọc Thụy".into(),
                district: Some("Quận Long Biên".into()),
                province: Some("Hà Nội".into()),
            },
        )
        .await
        .expect("ward");
    for role in ROLES {
        store
            .create_user(
                &Actor::system(),
                username(role),
                None,
                role,
                password_hash(),
            )
            .await
            .expect("user");
    }
    let state = AppState::new(store.clone(), ward, Config::default());
    TestApp {
        router: web::router(state),
        store,
        ward,
        _db: db,
    }
}

impl TestApp {
    /// An app over an existing store (for tests that need other starting data).
    pub fn from_parts(store: Store, ward: WardId, db: TestDb) -> TestApp {
        let state = AppState::new(store.clone(), ward, Config::default());
        TestApp {
            router: web::router(state),
            store,
            ward,
            _db: db,
        }
    }

    /// A browser with its own cookies.
    pub fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookie: Mutex::new(BTreeMap::new()),
            addr: Mutex::new(None),
        }
    }

    /// A client logged in with `role`.
    pub async fn logged_in(&self, role: Role) -> Client {
        let c = self.client();
        let r = c.login(username(role), PASSWORD).await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "login as {role:?}: {}",
            r.body
        );
        c
    }
}

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

pub struct Client {
    router: Router,
    /// The cookie jar: name → value.
    cookie: Mutex<BTreeMap<String, String>>,
    /// The client's address as the server sees it (none: "local").
    addr: Mutex<Option<std::net::SocketAddr>>,
}

pub fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

impl Client {
    /// A browser on a router built by the test itself.
    pub fn over(router: Router) -> Client {
        Client {
            router,
            cookie: Mutex::new(BTreeMap::new()),
            addr: Mutex::new(None),
        }
    }

    /// The session cookie as `qcdc_session=value`.
    pub fn cookie(&self) -> Option<String> {
        self.cookie
            .lock()
            .expect("lock")
            .get(SESSION_COOKIE)
            .map(|v| format!("{SESSION_COOKIE}={v}"))
    }

    /// Sends the session `cookie` (`name=value`) from now on, as a replaying attacker
    /// would; `None` drops it.
    pub fn set_cookie(&self, cookie: Option<String>) {
        let mut jar = self.cookie.lock().expect("lock");
        match cookie.as_deref().and_then(|c| c.split_once('=')) {
            Some((k, v)) => {
                jar.insert(k.to_string(), v.to_string());
            }
            None => {
                jar.remove(SESSION_COOKIE);
            }
        }
    }

    /// Every cookie the server set, as `name=value` pairs.
    pub fn cookies(&self) -> Vec<String> {
        self.cookie
            .lock()
            .expect("lock")
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect()
    }

    /// Sends from `ip` from now on.
    pub fn set_addr(&self, ip: &str) {
        *self.addr.lock().expect("lock") = Some(format!("{ip}:40000").parse().expect("address"));
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let mut req = req;
        if let Some(a) = *self.addr.lock().expect("lock") {
            req.extensions_mut().insert(axum::extract::ConnectInfo(a));
        }
        let header_value = self.cookies().join("; ");
        if !header_value.is_empty() {
            req.headers_mut()
                .insert(header::COOKIE, header_value.parse().expect("cookie header"));
        }
        let res = self.router.clone().oneshot(req).await.expect("response");
        for v in res.headers().get_all(header::SET_COOKIE) {
            let v = v.to_str().expect("ascii cookie");
            let pair = v.split(';').next().unwrap_or("");
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            let mut jar = self.cookie.lock().expect("lock");
            if v.contains("Max-Age=0") || value.is_empty() {
                jar.remove(name);
            } else {
                jar.insert(name.to_string(), value.to_string());
            }
        }
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, uri: &str) -> Resp {
        self.send(Request::get(uri).body(Body::empty()).expect("request"))
            .await
    }

    /// POST a form exactly as given (no token added).
    pub async fn post_raw(&self, uri: &str, form: &[(String, String)]) -> Resp {
        let body = serde_urlencoded::to_string(form).expect("encode");
        self.send(
            Request::post(uri)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .expect("request"),
        )
        .await
    }

    /// POST a form with the session's anti-forgery token, as a browser would.
    pub async fn post(&self, uri: &str, form: &[(&str, &str)]) -> Resp {
        let token = self.csrf().await;
        let mut f = pairs(form);
        f.push(("csrf".into(), token));
        self.post_raw(uri, &f).await
    }

    /// The token from a page's hidden field.
    pub async fn csrf(&self) -> String {
        let mut r = self.get("/login").await;
        if r.status == StatusCode::SEE_OTHER {
            r = self.get("/ward").await;
        }
        extract_csrf(&r.body).expect("a csrf field on the page")
    }

    pub async fn login(&self, user: &str, password: &str) -> Resp {
        self.post("/login", &[("username", user), ("password", password)])
            .await
    }
}

pub fn extract_csrf(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    Some(html[at..].split('"').next()?.to_string())
}

/// The id at the end of a `/kind/ID` redirect.
pub fn id_from_location(loc: &str) -> i64 {
    loc.rsplit('/')
        .next()
        .and_then(|s| s.split(['?', '#']).next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no id in {loc:?}"))
}

pub fn conference(date: &str, title: &str, attendees: &str) -> Vec<(&'static str, String)> {
    vec![
        ("date", date.to_string()),
        ("kind", "dissemination".to_string()),
        ("title", title.to_string()),
        ("attendees", attendees.to_string()),
        ("organiser", "steering_committee".to_string()),
    ]
}

pub fn as_refs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'a str, &'a str)> {
    v.iter().map(|(k, s)| (*k, s.as_str())).collect()
}

/// The code and name of the second ward of [`city_app`].
pub const WARD_B: (&str, &str) = ("bo-de", "Phường Bồ Đề");

/// The username of `role`'s account in the second ward of [`city_app`].
pub fn username_b(role: Role) -> String {
    format!("{}-b", username(role))
}

/// [`spawn_app`] with a second ward ([`WARD_B`]) holding one account per ward role
/// ([`username_b`]), and the two city accounts (`username(Role::CityAdmin)`, …), all
/// with [`PASSWORD`]. Returns the app and the second ward.
pub async fn city_app() -> (TestApp, WardId) {
    let app = spawn_app().await;
    let me = Actor::system();
    let second = app
        .store
        .add_ward(
            &me,
            &domain::ward::WardCode::parse(WARD_B.0).expect("code"),
            &domain::ward::Ward {
                name: WARD_B.1.into(),
                district: Some("Quận Long Biên".into()),
                province: Some("Hà Nội".into()),
            },
        )
        .await
        .expect("second ward");
    for role in ROLES {
        app.add_account(&username_b(role), role, Some(second)).await;
    }
    for role in [Role::CityAdmin, Role::CityViewer] {
        app.add_account(username(role), role, None).await;
    }
    (app, second)
}

/// [`PASSWORD`]'s hash, made once (argon2 is slow on purpose): the accounts the tests
/// add share it.
fn password_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| app::passwords::hash(PASSWORD).expect("hash"))
}

impl TestApp {
    /// Adds a ward (no district, no province) to the app's database.
    pub async fn add_ward(&self, code: &str, name: &str) -> WardId {
        self.store.add_test_ward(code, name).await
    }

    /// Adds an account with [`PASSWORD`]: of `ward`, or of the city when `None`.
    pub async fn add_account(&self, username: &str, role: Role, ward: Option<WardId>) {
        self.store
            .create_user_in(
                &Actor::system(),
                ward,
                username,
                None,
                role,
                password_hash(),
            )
            .await
            .expect("account");
    }

    /// A client logged in as `username` (with [`PASSWORD`]).
    pub async fn logged_in_as(&self, username: &str) -> Client {
        let c = self.client();
        let r = c.login(username, PASSWORD).await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "login as {username}: {}",
            r.body
        );
        c
    }
}
