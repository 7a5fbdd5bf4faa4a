use axum::http::StatusCode;
use domain::Role;

use crate::helpers::*;

const BAD_LOGIN_TEXT: &str = "Tên đăng nhập hoặc mật khẩu không đúng.";

crate::engine_test!(login_succeeds_and_renews_the_session_id);
async fn login_succeeds_and_renews_the_session_id() {
    let app = spawn_app().await;
    let c = app.client();
    let page = c.get("/login").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Đăng nhập"));
    assert_eq!(
        c.cookie(),
        None,
        "no server-side session for the login form"
    );
    c.set_cookie(Some("qcdc_session=AAAAAAAAAAAAAAAAAAAAAA".into()));
    let r = c.login("thuky", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/");
    let after = c.cookie().expect("session cookie");
    assert_ne!(
        after, "qcdc_session=AAAAAAAAAAAAAAAAAAAAAA",
        "the session id must be the server's own"
    );
    let home = c.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Tổng quan"));
    assert!(home.body.contains("Thư ký BCĐ"));
}

crate::engine_test!(the_session_cookie_is_http_only_and_same_site);
async fn the_session_cookie_is_http_only_and_same_site() {
    let app = spawn_app().await;
    let c = app.client();
    let r = c.login("thuky", PASSWORD).await;
    let cookie = r
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("qcdc_session="))
        .expect("set-cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP by default: {cookie}"
    );
}

crate::engine_test!(wrong_password_and_unknown_user_get_the_same_message);
async fn wrong_password_and_unknown_user_get_the_same_message() {
    let app = spawn_app().await;
    let c = app.client();
    let wrong = c.login("thuky", "sai-mat-khau-123").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong
        .body
        .contains("Tên đăng nhập hoặc mật khẩu không đúng."));
    let unknown = c.login("khongco", "sai-mat-khau-123").await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(unknown
        .body
        .contains("Tên đăng nhập hoặc mật khẩu không đúng."));
    assert_eq!(c.get("/").await.status, StatusCode::SEE_OTHER);
}

crate::engine_test!(logout_ends_the_session);
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Viewer).await;
    assert_eq!(c.get("/").await.status, StatusCode::OK);
    let r = c.post("/logout", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/login");
    let again = c.get("/conferences").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(again.location(), "/login?next=%2Fconferences");
}

crate::engine_test!(sessions_are_read_from_memory_and_kept_in_the_database);
/// A page view reads its session from memory (the server's cache), while the database
/// keeps every session: a restarted server (a new router, its cache empty) knows it,
/// and a logout removes it from both.
async fn sessions_are_read_from_memory_and_kept_in_the_database() {
    let app = spawn_app().await;
    let restart = || {
        web::router(web::AppState::new(
            app.store.clone(),
            app.ward,
            web::Config::default(),
        ))
    };
    let c = app.logged_in(Role::Secretary).await;
    let cookie = c.cookie().expect("session");
    // The session's row is in the database: a restarted server lets the browser in.
    let after_restart = Client::over(restart());
    after_restart.set_cookie(Some(cookie.clone()));
    assert_eq!(
        after_restart.get("/conferences").await.status,
        StatusCode::OK
    );
    // This server no longer needs the database to find it.
    assert_eq!(app.store.sessions_purge(i64::MAX).await.expect("purge"), 1);
    assert_eq!(c.get("/conferences").await.status, StatusCode::OK);
    // A logout ends a session in this server's memory and in the database.
    let c = app.logged_in(Role::Secretary).await;
    let cookie = c.cookie().expect("session");
    assert_eq!(c.post("/logout", &[]).await.status, StatusCode::SEE_OTHER);
    let replay = app.client();
    replay.set_cookie(Some(cookie.clone()));
    assert_eq!(
        replay.get("/conferences").await.status,
        StatusCode::SEE_OTHER
    );
    let fresh = Client::over(restart());
    fresh.set_cookie(Some(cookie));
    let r = fresh.get("/conferences").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"), "{}", r.location());
}

crate::engine_test!(a_disabled_user_cannot_log_in_and_loses_open_sessions);
async fn a_disabled_user_cannot_log_in_and_loses_open_sessions() {
    let app = spawn_app().await;
    let open = app.logged_in(Role::Secretary).await;
    let admin = app.logged_in(Role::Admin).await;
    let id = app
        .store
        .credentials("thuky")
        .await
        .expect("query")
        .expect("user")
        .user
        .id;
    let r = admin.post(&format!("/admin/users/{id}/disable"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The open session stops working at its next request.
    let r = open.get("/").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"));
    let c = app.client();
    // The same answer as a wrong password: nothing tells that the password was right.
    let r = c.login("thuky", PASSWORD).await;
    let wrong = c.login("thuky", "sai-mat-khau-123").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains(BAD_LOGIN_TEXT));
    assert!(!r.body.contains("đã bị khóa"));
    // Enabled again, it works.
    admin.post(&format!("/admin/users/{id}/enable"), &[]).await;
    assert_eq!(
        c.login("thuky", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

crate::engine_test!(login_attempts_are_rate_limited_per_account_and_address);
async fn login_attempts_are_rate_limited_per_account_and_address() {
    let app = spawn_app().await;
    let c = app.client();
    c.set_addr("10.0.0.7");
    for _ in 0..3 {
        assert_eq!(
            c.login("phobithu", "sai-mat-khau-123").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    // From the same address, even the right password waits a little.
    let r = c.login("phobithu", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("Vui lòng thử lại sau 5 giây"), "{}", r.body);
    assert_eq!(
        r.headers.get("retry-after").and_then(|v| v.to_str().ok()),
        Some("5")
    );
    // The same account from another address gets in.
    let other = app.client();
    other.set_addr("10.0.0.8");
    assert_eq!(
        other.login("phobithu", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    // Other accounts from the first address are not locked by it.
    assert_eq!(
        c.login("thuky", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

crate::engine_test!(anonymous_requests_are_sent_to_login_or_refused);
async fn anonymous_requests_are_sent_to_login_or_refused() {
    let app = spawn_app().await;
    let c = app.client();
    let r = c.get("/conferences?year=2018").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/login?next=%2Fconferences%3Fyear%3D2018");
    let r = c.post("/conferences", &[("title", "x")]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(c.get("/healthz").await.status, StatusCode::OK);
}

crate::engine_test!(login_redirects_only_to_local_pages);
async fn login_redirects_only_to_local_pages() {
    let app = spawn_app().await;
    let c = app.client();
    let r = c
        .post(
            "/login",
            &[
                ("username", "thuky"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/");
    let c = app.client();
    let r = c
        .post(
            "/login",
            &[
                ("username", "thuky"),
                ("password", PASSWORD),
                ("next", "/publicity?year=2018"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/publicity?year=2018");
}

crate::engine_test!(pages_carry_the_security_headers);
async fn pages_carry_the_security_headers() {
    let app = spawn_app().await;
    let r = app.client().get("/login").await;
    let h = |n: &str| {
        r.headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    assert!(h("content-security-policy").contains("default-src 'self'"));
    assert!(h("content-security-policy").contains("frame-ancestors 'none'"));
    assert_eq!(h("x-frame-options"), "DENY");
    assert_eq!(h("x-content-type-options"), "nosniff");
    assert_eq!(h("referrer-policy"), "same-origin");
    assert!(!r.body.contains("<script"));
}

crate::engine_test!(the_setup_link_creates_the_first_admin_once);
async fn the_setup_link_creates_the_first_admin_once() {
    let db = crate::helpers::test_db().await;
    let store = store::Store::open(&db.location).await.expect("store");
    let (store, ward) = (
        store.clone(),
        store
            .init_ward(
                &store::Actor::system(),
                &domain::ward::Ward {
                    name: "Phường mới".into(),
                    district: None,
                    province: None,
                },
            )
            .await
            .expect("ward"),
    );
    let token = web::auth::new_token();
    store
        .add_setup_token(&web::auth::token_hash(&token))
        .await
        .expect("token");
    let app = TestApp::from_parts(store.clone(), ward, db);
    let c = app.client();
    let url = format!("/setup/{token}");
    assert_eq!(c.get(&url).await.status, StatusCode::OK);
    let weak = c
        .post(&url, &[("username", "admin"), ("password", "ngan")])
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body.contains("ít nhất 10 ký tự"));
    let r = c
        .post(&url, &[("username", "admin"), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(c.get("/admin/users").await.status, StatusCode::OK);
    // Used: the link no longer works.
    assert_eq!(app.client().get(&url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.client().get("/setup/wrong").await.status,
        StatusCode::NOT_FOUND
    );
}
