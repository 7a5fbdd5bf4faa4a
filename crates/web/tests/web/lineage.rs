//! Wards across the 2025 reorganisation through the router: the city admin records a
//! merger on `/wards/merge`; the former ward then takes no record after its last day
//! (the message names its successor, next to the date); the successor's report counts
//! the former wards (whole always, part when asked) with the breakdown by former ward,
//! and its lists show their records, marked, read only.

use axum::http::StatusCode;
use domain::ward::WardCode;
use domain::Role;

use crate::helpers::*;

crate::engine_test!(a_lone_wards_admin_finds_the_merger_form);
/// In a database of one ward and no city accounts, its admin may record the merger that
/// formed it: the ward page links to the form; a secretary is neither offered nor let in.
async fn a_lone_wards_admin_finds_the_merger_form() {
    let app = spawn_app().await;
    let admin = app.logged_in(Role::Admin).await;
    let page = admin.get("/ward").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("href=\"/wards/merge\""), "{}", page.body);
    assert_eq!(admin.get("/wards/merge").await.status, StatusCode::OK);
    let secretary = app.logged_in(Role::Secretary).await;
    let page = secretary.get("/ward").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("href=\"/wards/merge\""));
    assert_eq!(
        secretary.get("/wards/merge").await.status,
        StatusCode::FORBIDDEN
    );
}

crate::engine_test!(a_merger_through_the_pages);
async fn a_merger_through_the_pages() {
    let app = spawn_app().await;
    let bo_de = app.add_ward("bo-de", "Phường Bồ Đề").await;
    for (name, role, ward) in [
        ("thuky-bode", Role::Secretary, Some(bo_de)),
        ("thanhpho-qt", Role::CityAdmin, None),
    ] {
        app.add_account(name, role, ward).await;
    }
    let first = app.logged_in(Role::Secretary).await;
    let r = first
        .post(
            "/conferences",
            &as_refs(&conference("10/03/2024", "Hội nghị cũ", "70")),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let old = r.location().to_string();
    let second = app.client();
    assert_eq!(
        second.login("thuky-bode", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let r = second
        .post(
            "/conferences",
            &as_refs(&conference("11/04/2024", "Hội nghị Bồ Đề", "30")),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // nobody but an administrator is offered or allowed the merger
    assert_eq!(
        first.get("/wards/merge").await.status,
        StatusCode::FORBIDDEN
    );
    // a ward admin in a city's database (it has city accounts) is refused too, and its
    // ward page does not offer the form
    let admin = app.logged_in(Role::Admin).await;
    assert_eq!(
        admin.get("/wards/merge").await.status,
        StatusCode::FORBIDDEN
    );
    assert!(!admin
        .get("/ward")
        .await
        .body
        .contains("href=\"/wards/merge\""));

    let city = app.client();
    assert_eq!(
        city.login("thanhpho-qt", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(city
        .get("/wards")
        .await
        .body
        .contains("href=\"/wards/merge\""));
    let form = city.get("/wards/merge").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Mã phường nhận"));
    // a bad date and no former ward: refused, said next to the fields
    let bad = city
        .post(
            "/wards/merge",
            &[
                ("into", "moi"),
                ("name", "Phường Mới"),
                ("on", "31/02/2025"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("Chọn ít nhất một phường cũ."),
        "{}",
        bad.body
    );
    let done = city
        .post(
            "/wards/merge",
            &[
                ("into", "moi"),
                ("name", "Phường Mới"),
                ("on", "01/07/2025"),
                ("from", "ngoc-thuy"),
                ("from", "bo-de"),
                ("part", "bo-de"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let wards = city.get("/wards").await.body;
    assert!(
        wards.contains("Phường Mới (toàn bộ)") || wards.contains("Phường Mới"),
        "{wards}"
    );
    assert!(wards.contains("đến hết 30/06/2025"), "{wards}");
    // the same again: refused with the reason
    let again = city
        .post(
            "/wards/merge",
            &[("into", "moi"), ("on", "01/07/2025"), ("from", "ngoc-thuy")],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again
            .body
            .contains("đã sáp nhập vào Phường Mới từ ngày 01/07/2025"),
        "{}",
        again.body
    );

    // the city's completeness asks nothing of a ward that ended before the year
    let ended = city.get("/reports/city/completeness?year=2026").await.body;
    let row = |w: &str| format!("<th scope=\"row\">{w}<br>");
    assert!(ended.contains(&row("Phường Mới")), "{ended}");
    assert!(!ended.contains(&row("Phường Ngọc Thụy")), "{ended}");
    assert!(!ended.contains(&row("Phường Bồ Đề")), "{ended}");
    let before = city.get("/reports/city/completeness?year=2025").await.body;
    assert!(before.contains(&row("Phường Ngọc Thụy")), "{before}");

    // the former ward takes no record after its last day, and says where to enter it
    let late = first
        .post(
            "/conferences",
            &as_refs(&conference("02/07/2025", "Sau sáp nhập", "5")),
        )
        .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        late.body.contains("hãy ghi vào Phường Mới"),
        "{}",
        late.body
    );
    assert!(
        late.body.contains("id=\"f-date-err\"") || late.body.contains("aria-invalid=\"true\""),
        "{}",
        late.body
    );
    let last_day = first
        .post(
            "/conferences",
            &as_refs(&conference("30/06/2025", "Ngày cuối", "5")),
        )
        .await;
    assert_eq!(last_day.status, StatusCode::SEE_OTHER, "{}", last_day.body);

    // the city admin looks at the new ward
    let moi = app
        .store
        .ward_by_code(&WardCode::parse("moi").expect("code"))
        .await
        .expect("read")
        .expect("made");
    let moi_id = moi.0.to_string();
    let chose = city
        .post("/wards/choose", &[("ward", moi_id.as_str())])
        .await;
    assert_eq!(chose.status, StatusCode::SEE_OTHER);
    let report = city
        .get("/reports/summary?from=01/01/2024&to=31/12/2025&by=total")
        .await
        .body;
    assert!(report.contains("Theo phường cũ"), "{report}");
    assert!(report.contains("Tính cả phường cũ sáp nhập một phần"));
    // whole: 70 + 5 attendances of Ngọc Thụy; Bồ Đề (part) left out
    assert!(report.contains(">75<"), "{report}");
    let with_part = city
        .get("/reports/summary?from=01/01/2024&to=31/12/2025&by=total&include_part=1")
        .await
        .body;
    assert!(with_part.contains(">105<"), "{with_part}");
    assert!(with_part.contains("chỉ sáp nhập một phần: Phường Bồ Đề (đến 30/06/2025)"));
    assert!(with_part.contains("include_part=1"));
    let csv = city
        .get("/reports/summary.csv?from=01/01/2024&to=31/12/2025&by=total&include_part=1&headers=codes")
        .await
        .body;
    assert!(csv.contains(",note\r\n"), "{csv}");

    // the drill-down list shows the former ward's records, marked, and their page
    let list = city
        .get("/conferences?from=2024-01-01&to=2025-12-31")
        .await
        .body;
    assert!(
        list.contains("Hội nghị cũ") && list.contains("Phường cũ: Phường Ngọc Thụy"),
        "{list}"
    );
    assert!(!list.contains("Hội nghị Bồ Đề"));
    let list = city
        .get("/conferences?from=2024-01-01&to=2025-12-31&include_part=1")
        .await
        .body;
    assert!(
        list.contains("Hội nghị Bồ Đề") && list.contains("Phường cũ: Phường Bồ Đề"),
        "{list}"
    );
    let show = city.get(&old).await;
    assert_eq!(show.status, StatusCode::OK, "{}", show.body);
    assert!(show.body.contains("phường cũ, đã sáp nhập"));
    assert!(!show.body.contains(&format!("{old}/edit")));
    // and no one changes it from here (city accounts change no record at all)
    assert_eq!(
        city.get(&format!("{old}/edit")).await.status,
        StatusCode::FORBIDDEN
    );
}
