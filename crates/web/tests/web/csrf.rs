use axum::http::StatusCode;
use domain::Role;

use crate::helpers::*;

crate::engine_test!(posts_without_or_with_a_wrong_token_are_refused);
async fn posts_without_or_with_a_wrong_token_are_refused() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let form = conference("28/06/2018", "Hội nghị", "10");
    let mut f: Vec<(String, String)> = form
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let none = c.post_raw("/conferences", &f).await;
    assert_eq!(none.status, StatusCode::FORBIDDEN);
    assert!(none.body.contains("Biểu mẫu không hợp lệ hoặc đã hết hạn"));
    f.push(("csrf".into(), "0".repeat(64)));
    assert_eq!(
        c.post_raw("/conferences", &f).await.status,
        StatusCode::FORBIDDEN
    );
    let ok = c.post("/conferences", &as_refs(&form)).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let list = app
        .store
        .list::<domain::Conference>(app.ward, &store::RecordFilter::default())
        .await
        .expect("list");
    assert_eq!(list.total, 1, "only the POST with the token did anything");
}

crate::engine_test!(the_login_form_needs_its_token_too);
async fn the_login_form_needs_its_token_too() {
    let app = spawn_app().await;
    let c = app.client();
    c.get("/login").await;
    let r = c
        .post_raw(
            "/login",
            &pairs(&[("username", "thuky"), ("password", PASSWORD)]),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

crate::engine_test!(a_token_from_another_session_does_not_work);
async fn a_token_from_another_session_does_not_work() {
    let app = spawn_app().await;
    let a = app.logged_in(Role::Secretary).await;
    let b = app.logged_in(Role::Secretary).await;
    let token_b = b.csrf().await;
    let mut f = pairs(&[("title", "x")]);
    f.push(("csrf".into(), token_b));
    assert_eq!(
        a.post_raw("/conferences", &f).await.status,
        StatusCode::FORBIDDEN
    );
}

crate::engine_test!(oversized_bodies_are_refused);
async fn oversized_bodies_are_refused() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let big = "x".repeat(3 * 1024 * 1024);
    let r = c.post("/conferences", &[("notes", big.as_str())]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
}
