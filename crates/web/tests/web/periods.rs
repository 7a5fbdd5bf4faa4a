//! Submitted periods through the router: the submission form (deputy and admin; not the
//! secretary), the lock message next to a form's date field, the import page refusing a
//! locked row, who may reopen (a city admin; a ward admin only in a one-ward database),
//! and the figures that differ from the snapshot marked on the submission page and on
//! the summary of the same range by year.

use axum::http::{header, StatusCode};

use domain::Role;

use crate::helpers::*;

const LOCK: &str = "Kỳ 01/01/2024–31/12/2024 đã nộp báo cáo ngày";

async fn submit_2024(c: &Client) -> i64 {
    let r = c
        .post(
            "/reports/submit",
            &[("from", "01/01/2024"), ("to", "31/12/2024")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    id_from_location(r.location())
}

crate::engine_test!(submit_form_and_who_may_submit);
async fn submit_form_and_who_may_submit() {
    let app = spawn_app().await;
    let secretary = app.logged_in(Role::Secretary).await;
    // The secretary sees the list but no form, and may not post it.
    let page = secretary.get("/reports/submit").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("action=\"/reports/submit\""));
    let r = secretary
        .post(
            "/reports/submit",
            &[("from", "01/01/2024"), ("to", "31/12/2024")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let deputy = app.logged_in(Role::Deputy).await;
    assert!(deputy
        .get("/reports/submit")
        .await
        .body
        .contains("action=\"/reports/submit\""));
    // A missing date is said next to its field.
    let r = deputy
        .post("/reports/submit", &[("from", ""), ("to", "31/12/2024")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"s-from-err\""), "{}", r.body);
    let id = submit_2024(&deputy).await;
    let list = deputy.get("/reports/submit").await.body;
    assert!(list.contains("01/01/2024–31/12/2024") && list.contains("Đã nộp"));
    assert!(list.contains("phobithu"));
    // An overlap is refused with the submission named.
    let r = deputy
        .post(
            "/reports/submit",
            &[("from", "01/12/2024"), ("to", "31/01/2025")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains(&format!("(số {id}, người nộp phobithu)")),
        "{}",
        r.body
    );
    // The submission page shows the snapshot's figures, none differing.
    let show = deputy.get(&format!("/reports/submissions/{id}")).await;
    assert_eq!(show.status, StatusCode::OK);
    assert!(show
        .body
        .contains("Số liệu hiện nay trùng với số liệu đã nộp."));
    assert!(
        !show.body.contains("Mở lại kỳ đã nộp"),
        "the deputy may not reopen"
    );
}

crate::engine_test!(locked_dates_are_refused_next_to_the_date_field_and_on_the_import_page);
async fn locked_dates_are_refused_next_to_the_date_field_and_on_the_import_page() {
    let app = spawn_app().await;
    let secretary = app.logged_in(Role::Secretary).await;
    let r = secretary
        .post(
            "/conferences",
            &as_refs(&conference("2024-03-12", "Một", "40")),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let inside = r.location().to_string();
    submit_2024(&app.logged_in(Role::Deputy).await).await;

    // Create: the message is the date field's.
    let r = secretary
        .post(
            "/conferences",
            &as_refs(&conference("2024-08-19", "Hai", "40")),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains(&format!("<p class=\"error\" id=\"e-date\">{LOCK}")),
        "{}",
        r.body
    );
    assert!(r
        .body
        .contains("bản ghi ngày 19/08/2024. Cần mở lại kỳ này trước."));
    // Edit away from a locked date: refused on the date field too.
    let r = secretary
        .post(&inside, &as_refs(&conference("2025-01-02", "Một", "40")))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"e-date\""), "{}", r.body);
    // Delete: refused with the message.
    let r = secretary.post(&format!("{inside}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains(LOCK), "{}", r.body);

    // The import page: the locked row named, nothing stored.
    let token = extract_csrf(&secretary.get("/import").await.body).expect("csrf");
    let file = "date,kind,title,attendees\n2025-02-01,review,Ba,30\n2024-06-15,review,Bốn,50\n";
    let (ct, body) = crate::reports::multipart(&token, "conferences", file.as_bytes());
    let r = secretary
        .send(
            axum::http::Request::post("/import")
                .header(header::CONTENT_TYPE, ct)
                .body(axum::body::Body::from(body))
                .expect("request"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains(LOCK), "{}", r.body);
    assert!(r.body.contains("bản ghi ngày 15/06/2024"), "{}", r.body);
    assert_eq!(
        app.store
            .list::<domain::Conference>(app.ward, &Default::default())
            .await
            .expect("list")
            .total,
        1
    );
}

crate::engine_test!(reopening_marks_what_changed_since);
async fn reopening_marks_what_changed_since() {
    let app = spawn_app().await;
    let secretary = app.logged_in(Role::Secretary).await;
    for (date, title) in [("2024-03-12", "Một"), ("2024-11-02", "Hai")] {
        let r = secretary
            .post("/conferences", &as_refs(&conference(date, title, "40")))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let id = submit_2024(&app.logged_in(Role::Deputy).await).await;
    // In a one-ward database the ward's admin reopens, with a reason.
    let admin = app.logged_in(Role::Admin).await;
    let page = admin.get(&format!("/reports/submissions/{id}")).await.body;
    assert!(page.contains("Mở lại kỳ đã nộp"));
    let path = format!("/reports/submissions/{id}/reopen");
    let r = admin.post(&path, &[("reason", "  ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"reason-err\""), "{}", r.body);
    let r = admin
        .post(&path, &[("reason", "Bổ sung hội nghị tháng 8")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = admin.get("/reports/submit").await.body;
    assert!(
        list.contains("Đã mở lại (lý do: Bổ sung hội nghị tháng 8)"),
        "{list}"
    );
    // Changes are allowed again: one more conference of 40 attendances.
    let r = secretary
        .post(
            "/conferences",
            &as_refs(&conference("2024-08-19", "Ba", "40")),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The submission page and the summary by year over the same range mark the cells.
    let show = admin.get(&format!("/reports/submissions/{id}")).await.body;
    for marked in ["Đã nộp: 2 → nay: 3", "Đã nộp: 80 → nay: 120"] {
        assert!(show.contains(marked), "{marked}: {show}");
    }
    assert!(show.contains("class=\"num changed\""));
    let summary = admin
        .get("/reports/summary?from=01/01/2024&to=31/12/2024&by=year")
        .await
        .body;
    assert!(summary.contains("Đã nộp: 2 → nay: 3"), "{summary}");
    assert!(summary.contains("khác với số liệu đã nộp"));
    // Another range (or grouping) is not compared.
    let other = admin
        .get("/reports/summary?from=01/01/2024&to=30/12/2024&by=year")
        .await
        .body;
    assert!(!other.contains("Đã nộp: 2 → nay: 3"));
    let total = admin
        .get("/reports/summary?from=01/01/2024&to=31/12/2024&by=total")
        .await
        .body;
    assert!(!total.contains("changed"));
    // The audit log keeps the reason.
    let audit = admin.get("/admin/audit").await.body;
    assert!(audit.contains("Mở lại kỳ đã nộp"), "{audit}");
    assert!(audit.contains("Bổ sung hội nghị tháng 8"));
}

crate::engine_test!(in_a_city_database_only_the_city_admin_reopens);
async fn in_a_city_database_only_the_city_admin_reopens() {
    let app = spawn_app().await;
    app.add_ward("bo-de", "Phường Bồ Đề").await;
    app.add_account("thanhpho-qt", Role::CityAdmin, None).await;
    let id = submit_2024(&app.logged_in(Role::Deputy).await).await;
    let path = format!("/reports/submissions/{id}/reopen");
    let admin = app.logged_in(Role::Admin).await;
    assert!(!admin
        .get(&format!("/reports/submissions/{id}"))
        .await
        .body
        .contains("Mở lại kỳ đã nộp"));
    let r = admin.post(&path, &[("reason", "Sửa số liệu")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let city = app.client();
    let r = city.login("thanhpho-qt", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = city
        .post("/wards/choose", &[("ward", &app.ward.0.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(city
        .get(&format!("/reports/submissions/{id}"))
        .await
        .body
        .contains("Mở lại kỳ đã nộp"));
    let r = city.post(&path, &[("reason", "Sửa số liệu")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (s, _) = app.store.submission(app.ward, id).await.expect("show");
    assert_eq!(s.status, domain::submission::Status::Reopened);
    assert_eq!(s.reopened_by.as_deref(), Some("thanhpho-qt"));
}
