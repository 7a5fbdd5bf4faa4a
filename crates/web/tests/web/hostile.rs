//! Faults and misuse found by probing the server as a hostile user would (issue 10):
//! each test here failed before its fix.

use axum::http::StatusCode;
use domain::Role;
use web::{AppState, Config};

use crate::helpers::*;

crate::engine_test!(login_next_only_leads_to_a_path_on_this_site);
async fn login_next_only_leads_to_a_path_on_this_site() {
    let app = spawn_app().await;
    for (next, expected) in [
        ("/%09/evil.com", "/"),
        ("/%0a/evil.com", "/"),
        ("/%0d%0aSet-Cookie:%20x=1", "/"),
        ("//evil.com", "/"),
        ("/%5Cevil.com", "/"),
        ("https://evil.com", "/"),
        ("/conferences%3Fyear%3D2018", "/conferences?year=2018"),
    ] {
        let c = app.client();
        let page = c.get(&format!("/login?next={next}")).await;
        assert_eq!(page.status, StatusCode::OK, "{next}");
        let token = extract_csrf(&page.body).expect("token");
        let raw_next = serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("n={next}"))
            .expect("decode")[0]
            .1
            .clone();
        let r = c
            .post_raw(
                "/login",
                &pairs(&[
                    ("username", "thuky"),
                    ("password", PASSWORD),
                    ("next", &raw_next),
                    ("csrf", &token),
                ]),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{next}: {}", r.body);
        assert_eq!(r.location(), expected, "{next}");
        // The form does not carry a foreign target on to the next step either.
        if expected == "/" {
            assert!(!page.body.contains("evil.com"), "{next}");
        }
    }
}

crate::engine_test!(a_disabled_account_answers_as_a_wrong_password);
async fn a_disabled_account_answers_as_a_wrong_password() {
    let app = spawn_app().await;
    let admin = app.logged_in(Role::Admin).await;
    let id = app
        .store
        .credentials("nguoixem")
        .await
        .expect("query")
        .expect("user")
        .user
        .id;
    admin.post(&format!("/admin/users/{id}/disable"), &[]).await;
    let right = app.client().login("nguoixem", PASSWORD).await;
    let wrong = app.client().login("nguoixem", "sai-mat-khau-123").await;
    assert_eq!(right.status, wrong.status);
    assert_eq!(right.status, StatusCode::UNAUTHORIZED);
    let message = |b: &str| {
        b.split("role=\"alert\"")
            .nth(1)
            .and_then(|s| s.split('<').next().map(str::to_string))
    };
    assert_eq!(message(&right.body), message(&wrong.body));
}

crate::engine_test!(pages_and_downloads_behind_the_login_are_not_cached);
async fn pages_and_downloads_behind_the_login_are_not_cached() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Deputy).await;
    for path in [
        "/",
        "/conferences",
        "/reports/summary",
        "/reports/summary.csv",
        "/reports/summary.xlsx",
        "/conferences.csv",
        "/admin/audit",
    ] {
        let r = c.get(path).await;
        if r.status == StatusCode::FORBIDDEN {
            continue;
        }
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(
            r.headers.get("cache-control").and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "{path}"
        );
    }
    let docx = c.get("/reports/review.docx").await;
    if docx.status == StatusCode::OK {
        assert_eq!(
            docx.headers
                .get("cache-control")
                .and_then(|v| v.to_str().ok()),
            Some("no-store")
        );
    }
}

crate::engine_test!(hsts_only_when_served_over_https);
async fn hsts_only_when_served_over_https() {
    let app = spawn_app().await;
    let r = app.client().get("/login").await;
    assert!(r.headers.get("strict-transport-security").is_none());
    let secure = web::router(AppState::new(
        app.store.clone(),
        app.ward,
        Config {
            secure_cookies: true,
        },
    ));
    let c = Client::over(secure);
    let r = c.get("/login").await;
    assert_eq!(
        r.headers
            .get("strict-transport-security")
            .and_then(|v| v.to_str().ok()),
        Some("max-age=31536000")
    );
}

crate::engine_test!(anonymous_traffic_writes_no_session);
async fn anonymous_traffic_writes_no_session() {
    let app = spawn_app().await;
    for _ in 0..200 {
        let c = app.client();
        let r = c.get("/login").await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(c.cookie(), None, "no session cookie for the login form");
    }
    // The login form still works, by its signed token.
    let c = app.client();
    assert_eq!(
        c.login("thuky", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    // Only the one logged-in session exists.
    let rows = app.store.sessions_purge(i64::MAX).await.expect("purge");
    assert_eq!(rows, 1);
}

crate::engine_test!(a_login_token_is_bound_to_its_cookie_and_the_server);
async fn a_login_token_is_bound_to_its_cookie_and_the_server() {
    let app = spawn_app().await;
    let a = app.client();
    let token = extract_csrf(&a.get("/login").await.body).expect("token");
    // Another browser (another cookie) cannot use it.
    let b = app.client();
    b.get("/login").await;
    let r = b
        .post_raw(
            "/login",
            &pairs(&[
                ("username", "thuky"),
                ("password", PASSWORD),
                ("csrf", &token),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Nor can a browser without the cookie.
    let c = app.client();
    let r = c
        .post_raw(
            "/login",
            &pairs(&[
                ("username", "thuky"),
                ("password", PASSWORD),
                ("csrf", &token),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A restarted server (a new key) does not accept it either.
    let restarted = Client::over(web::router(AppState::new(
        app.store.clone(),
        app.ward,
        Config::default(),
    )));
    for cookie in a.cookies() {
        let (k, v) = cookie.split_once('=').expect("pair");
        restarted.set_cookie(Some(format!("{k}={v}")));
    }
    let r = restarted
        .post_raw(
            "/login",
            &pairs(&[
                ("username", "thuky"),
                ("password", PASSWORD),
                ("csrf", &token),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Its own browser can.
    let r = a
        .post_raw(
            "/login",
            &pairs(&[
                ("username", "thuky"),
                ("password", PASSWORD),
                ("csrf", &token),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

crate::engine_test!(anonymous_uploads_are_refused_before_their_body_is_read);
async fn anonymous_uploads_are_refused_before_their_body_is_read() {
    use axum::body::Body;
    use axum::http::Request;
    let app = spawn_app().await;
    let c = app.client();
    c.get("/login").await;
    // A body that would fail if read: the refusal must come before it is polled.
    let stream = futures_util::stream::once(async {
        Err::<bytes::Bytes, std::io::Error>(std::io::Error::other("body was read"))
    });
    let r = c
        .send(
            Request::post("/import")
                .header("content-type", "multipart/form-data; boundary=X")
                .body(Body::from_stream(stream))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

async fn user_id(app: &TestApp, username: &str) -> i64 {
    app.store
        .credentials(username)
        .await
        .expect("query")
        .expect("user")
        .user
        .id
}

crate::engine_test!(a_password_reset_by_an_admin_ends_the_users_sessions);
async fn a_password_reset_by_an_admin_ends_the_users_sessions() {
    let app = spawn_app().await;
    let open = app.logged_in(Role::Secretary).await;
    assert_eq!(open.get("/conferences").await.status, StatusCode::OK);
    let admin = app.logged_in(Role::Admin).await;
    let id = user_id(&app, "thuky").await;
    let r = admin
        .post(
            &format!("/admin/users/{id}/password"),
            &[("password", "mat-khau-moi-dai-du")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The old cookie no longer works, and the session is gone on the server.
    let r = open.get("/conferences").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"));
    // The administrator's own session goes on; the new password works.
    assert_eq!(admin.get("/admin/users").await.status, StatusCode::OK);
    assert_eq!(
        app.client()
            .login("thuky", "mat-khau-moi-dai-du")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // An administrator resetting their own password stays logged in.
    let own = user_id(&app, "quantri").await;
    admin
        .post(
            &format!("/admin/users/{own}/password"),
            &[("password", "quan-tri-moi-dai-du")],
        )
        .await;
    assert_eq!(admin.get("/admin/users").await.status, StatusCode::OK);
}

crate::engine_test!(users_change_their_own_password_and_end_their_other_sessions);
async fn users_change_their_own_password_and_end_their_other_sessions() {
    let app = spawn_app().await;
    let here = app.logged_in(Role::Viewer).await;
    let elsewhere = app.logged_in(Role::Viewer).await;
    let page = here.get("/account/password").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Mật khẩu hiện tại"));
    assert!(page.body.contains("for=\"f-current\""));
    // Wrong current password, too short, not confirmed: errors next to their fields.
    let wrong = here
        .post(
            "/account/password",
            &[
                ("current", "khong-phai-mat-khau"),
                ("new", "mat-khau-moi-dai-du"),
                ("confirm", "mat-khau-moi-dai-du"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("id=\"e-current\""));
    assert!(wrong.body.contains("Mật khẩu hiện tại không đúng."));
    let short = here
        .post(
            "/account/password",
            &[("current", PASSWORD), ("new", "ngan"), ("confirm", "ngan")],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("id=\"e-new\""));
    let mismatch = here
        .post(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("new", "mat-khau-moi-dai-du"),
                ("confirm", "mat-khau-moi-khac"),
            ],
        )
        .await;
    assert!(mismatch.body.contains("id=\"e-confirm\""));
    // Nothing changed so far.
    assert_eq!(elsewhere.get("/").await.status, StatusCode::OK);
    let before = here.cookie();
    let ok = here
        .post(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("new", "mat-khau-moi-dai-du"),
                ("confirm", "mat-khau-moi-dai-du"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_ne!(here.cookie(), before, "a new session id");
    let home = here.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Đã đổi mật khẩu"));
    // The other session ended; the old password no longer works, the new one does.
    assert_eq!(elsewhere.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.client().login("nguoixem", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.client()
            .login("nguoixem", "mat-khau-moi-dai-du")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

fn confirm_token(body: &str) -> String {
    body.split("name=\"token\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("token")
        .to_string()
}

async fn documents_total(app: &TestApp) -> u64 {
    app.store
        .list::<domain::Document>(app.ward, &Default::default())
        .await
        .expect("list")
        .total
}

crate::engine_test!(the_same_file_twice_is_refused_unless_confirmed_and_any_import_can_be_undone);
async fn the_same_file_twice_is_refused_unless_confirmed_and_any_import_can_be_undone() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let token = extract_csrf(&c.get("/import").await.body).expect("csrf");
    let file = "date,number,issuer,kind,title\n2018-02-01,1-QĐ/ĐU,party_committee,plan,Kế hoạch một\n2018-03-01,2-KH/ĐU,party_committee,plan,Kế hoạch hai\n";
    let upload = || {
        let (ct, body) = crate::reports::multipart(&token, "documents", file.as_bytes());
        axum::http::Request::post("/import")
            .header("content-type", ct)
            .body(axum::body::Body::from(body))
            .expect("request")
    };
    let first = c.send(upload()).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(!first.body.contains("đã được nhập trước đây"));
    let r = c
        .post("/import/confirm", &[("token", &confirm_token(&first.body))])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(documents_total(&app).await, 2);

    // The same file again: the preview says so and lists the identical rows.
    let second = c.send(upload()).await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(
        second.body.contains("Tệp này đã được nhập trước đây"),
        "{}",
        second.body
    );
    assert!(second
        .body
        .contains("2 dòng giống hệt bản ghi đã có: dòng 1–2"));
    assert!(second.body.contains("name=\"again\""));
    // Confirmed without the box: refused, nothing doubled.
    let r = c
        .post(
            "/import/confirm",
            &[("token", &confirm_token(&second.body))],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(documents_total(&app).await, 2);
    // With the box: imported once more.
    let third = c.send(upload()).await;
    let r = c
        .post(
            "/import/confirm",
            &[("token", &confirm_token(&third.body)), ("again", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(documents_total(&app).await, 4);

    // The history lists both imports; undoing the second brings the figures back.
    let history = c.get("/import/history").await;
    assert_eq!(history.status, StatusCode::OK);
    let imports = app.store.imports(app.ward).await.expect("imports");
    assert_eq!(imports.len(), 2);
    let newest = imports[0].id;
    assert!(history
        .body
        .contains(&format!("action=\"/import/{newest}/undo\"")));
    // A viewer sees the history but cannot undo.
    let viewer = app.logged_in(Role::Viewer).await;
    assert_eq!(viewer.get("/import/history").await.status, StatusCode::OK);
    assert_eq!(
        viewer
            .post(&format!("/import/{newest}/undo"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = c.post(&format!("/import/{newest}/undo"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(documents_total(&app).await, 2);
    let again = c.post(&format!("/import/{newest}/undo"), &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let after = c.get("/import/history").await;
    assert!(after.body.contains("Đã hoàn tác"));
    // The audit log says who undid it.
    let audit = app.logged_in(Role::Admin).await.get("/admin/audit").await;
    assert!(audit.body.contains("Hoàn tác lần nhập"), "audit");
}

crate::engine_test!(bidirectional_controls_are_refused_in_forms_and_imports);
async fn bidirectional_controls_are_refused_in_forms_and_imports() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let spoof = "Hội nghị \u{202E}gnol\u{202C} tổng kết";
    let r = c
        .post(
            "/conferences",
            &as_refs(&conference("2018-06-28", spoof, "10")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("ký tự ẩn đổi chiều chữ"), "{}", r.body);
    let token = extract_csrf(&c.get("/import").await.body).expect("csrf");
    let file = format!("date,kind,title,attendees\n2018-03-01,dissemination,{spoof},40\n");
    let (ct, body) = crate::reports::multipart(&token, "conferences", file.as_bytes());
    let r = c
        .send(
            axum::http::Request::post("/import")
                .header("content-type", ct)
                .body(axum::body::Body::from(body))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("ký tự ẩn đổi chiều chữ"), "{}", r.body);
    assert_eq!(
        app.store
            .list::<domain::Conference>(app.ward, &Default::default())
            .await
            .expect("list")
            .total,
        0
    );
}

crate::engine_test!(a_role_that_may_not_import_is_refused_before_its_upload_is_read);
async fn a_role_that_may_not_import_is_refused_before_its_upload_is_read() {
    use axum::body::Body;
    use axum::http::Request;
    let app = spawn_app().await;
    let viewer = app.logged_in(Role::Viewer).await;
    let stream = futures_util::stream::once(async {
        Err::<bytes::Bytes, std::io::Error>(std::io::Error::other("body was read"))
    });
    let r = viewer
        .send(
            Request::post("/import")
                .header("content-type", "multipart/form-data; boundary=X")
                .body(Body::from_stream(stream))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
