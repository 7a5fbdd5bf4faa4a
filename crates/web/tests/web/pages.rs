use axum::http::StatusCode;
use chrono::Datelike;
use domain::Role;

use crate::helpers::*;

crate::engine_test!(the_dashboard_compares_this_year_with_last_year);
async fn the_dashboard_compares_this_year_with_last_year() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let year = chrono::Local::now().year();
    for (date, n) in [
        (format!("02/01/{year}"), "1200"),
        (format!("03/01/{year}"), "300"),
        (format!("03/01/{}", year - 1), "7"),
    ] {
        let r = c
            .post("/conferences", &as_refs(&conference(&date, "HN", n)))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    let today = chrono::Local::now().date_naive();
    let from = domain::dates::vn(today - chrono::Days::new(5));
    let until = domain::dates::vn(today + chrono::Days::new(5));
    let r = c
        .post(
            "/publicity",
            &[
                ("date", from.as_str()),
                ("channel", "posting"),
                ("topic", "budget"),
                ("title", "Dự toán ngân sách"),
                ("posted_from", from.as_str()),
                ("posted_until", until.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let d = c.get("/").await;
    assert_eq!(d.status, StatusCode::OK);
    let b = d.body;
    assert!(b.contains(&format!("Năm {year}")) && b.contains(&format!("Năm {}", year - 1)));
    assert!(b.contains(">1.500<"), "this year's attendances");
    assert!(b.contains(&format!(
        "href=\"/conferences?from={year}-01-01&amp;to={year}-12-31&amp;indicator=conferences.count\">2<"
    )));
    assert!(b.contains("Đang niêm yết (1)") && b.contains("Dự toán ngân sách"));
    assert!(b.contains("Niêm yết chưa đủ thời gian (1)"), "11 days < 30");
    assert!(b.contains("Thay đổi gần đây"));
    assert!(b.contains("href=\"/reports/summary\">Báo cáo<"));
    assert!(b.contains("href=\"/import\">Nhập dữ liệu<"));
}

crate::engine_test!(the_ward_page_edits_details_terms_and_periods);
async fn the_ward_page_edits_details_terms_and_periods() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let page = c.get("/ward").await.body;
    assert!(page.contains("Phường Ngọc Thụy"));
    assert!(page.contains("2015-2020"), "default terms shown");
    let r = c
        .post("/ward", &[("name", ""), ("district", "Quận Long Biên")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="e-name""#));
    let r = c
        .post(
            "/ward",
            &[
                ("name", "Phường Ngọc Thụy"),
                ("district", "Quận Long Biên"),
                ("province", "Thành phố Hà Nội"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = c
        .post(
            "/ward/names",
            &[
                ("from", "01/01/2004"),
                ("district", "Quận Long Biên"),
                ("superior_body", "ĐẢNG BỘ QUẬN LONG BIÊN"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = c
        .post(
            "/ward/terms",
            &[
                ("name_1", "2015-2020"),
                ("start_1", "15/07/2015"),
                ("name_2", "2020-2025"),
                ("start_2", "ngày mai"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="e-start_2""#));
    let r = c
        .post(
            "/ward/terms",
            &[
                ("name_1", "2015-2020"),
                ("start_1", "15/07/2015"),
                ("name_2", "2020-2025"),
                ("start_2", "01/08/2020"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = c
        .post(
            "/ward/periods",
            &[
                ("name_1", "2014-2018"),
                ("start_1", "01/01/2014"),
                ("end_1", "28/06/2018"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let terms = app.store.terms(app.ward).await.expect("terms");
    assert_eq!(terms.len(), 2);
    let periods = app.store.review_periods(app.ward).await.expect("periods");
    assert_eq!(periods[0].name, "2014-2018");
    let page = c.get("/ward").await.body;
    assert!(
        page.contains("ĐẢNG BỘ QUẬN LONG BIÊN")
            && page.contains("01/08/2020")
            && page.contains("28/06/2018")
    );
}

crate::engine_test!(steering_committee_versions_cite_their_decisions);
async fn steering_committee_versions_cite_their_decisions() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    let r = c
        .post(
            "/steering-committee",
            &[
                ("decision_number", "9-QĐ/ĐU"),
                ("decision_date", "01/02/2016"),
                ("name_1", "Nguyễn Văn A"),
                ("position_1", "head"),
                ("office_1", "Bí thư Đảng ủy"),
                ("name_2", "Trần Thị B"),
                ("position_2", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"id="e-position_2""#));
    assert!(r.body.contains("Nguyễn Văn A"), "rows kept");
    let r = c
        .post(
            "/steering-committee",
            &[
                ("decision_number", "9-QĐ/ĐU"),
                ("decision_date", "01/02/2016"),
                ("name_1", "Nguyễn Văn A"),
                ("position_1", "head"),
                ("name_2", "Trần Thị B"),
                ("position_2", "member"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = c
        .post(
            "/steering-committee",
            &[
                ("decision_number", "25-QĐ/ĐU"),
                ("decision_date", "10/03/2018"),
                ("name_1", "Lê Văn C"),
                ("position_1", "head"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get("/steering-committee").await.body;
    let newer = page
        .find("Quyết định số 25-QĐ/ĐU ngày 10/03/2018 (hiện hành)")
        .expect("newest");
    let older = page
        .find("Quyết định số 9-QĐ/ĐU ngày 01/02/2016")
        .expect("older");
    assert!(newer < older);
    assert!(page.contains("Trưởng ban") && page.contains("Ủy viên"));
}

crate::engine_test!(admins_manage_accounts_with_password_rules);
async fn admins_manage_accounts_with_password_rules() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Admin).await;
    let page = c.get("/admin/users").await.body;
    assert!(page.contains("thuky") && page.contains("Phó Bí thư thường trực"));
    let r = c
        .post(
            "/admin/users",
            &[
                ("username", "moi"),
                ("role", "viewer"),
                ("password", "ngan"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .body
        .contains(r#"<p class="error" id="e-password">Mật khẩu phải có ít nhất 10 ký tự."#));
    assert!(r.body.contains(r#"value="moi""#));
    let r = c
        .post(
            "/admin/users",
            &[
                ("username", "thuky"),
                ("role", "viewer"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Tên đăng nhập này đã có."));
    let r = c
        .post(
            "/admin/users",
            &[
                ("username", "moi"),
                ("display_name", "Người mới"),
                ("role", "viewer"),
                ("password", "mot-mat-khau-dai"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let newbie = app.client();
    assert_eq!(
        newbie.login("moi", "mot-mat-khau-dai").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        newbie.get("/conferences/new").await.status,
        StatusCode::FORBIDDEN
    );
    let id = app
        .store
        .credentials("moi")
        .await
        .expect("q")
        .expect("u")
        .user
        .id;
    c.post(&format!("/admin/users/{id}/role"), &[("role", "secretary")])
        .await;
    assert_eq!(
        newbie.get("/conferences/new").await.status,
        StatusCode::OK,
        "role change applies at once"
    );
    let r = c
        .post(
            &format!("/admin/users/{id}/password"),
            &[("password", "doi-mat-khau-2026")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.client().login("moi", "mot-mat-khau-dai").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.client().login("moi", "doi-mat-khau-2026").await.status,
        StatusCode::SEE_OTHER
    );
    let audit = c.get("/admin/audit?entity=user").await.body;
    assert!(audit.contains("Đặt lại mật khẩu") && audit.contains("Đổi vai trò"));
    assert_eq!(
        c.get("/admin/audit?nope=1").await.status,
        StatusCode::BAD_REQUEST
    );
}

crate::engine_test!(unknown_pages_are_a_vietnamese_404);
async fn unknown_pages_are_a_vietnamese_404() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Viewer).await;
    let r = c.get("/conferences/424242").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Không tìm thấy"));
    let r = c.get("/khong-co").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = c.get("/conferences/abc").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("Yêu cầu không hợp lệ"),
        "extractor rejections in Vietnamese"
    );
    let r = c.get("/logout").await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.body.contains("Không hỗ trợ"));
}

/// How many elements of `html` carry `autofocus`, and the `id` of the first.
fn autofocused(html: &str) -> (usize, Option<String>) {
    let n = html.matches(" autofocus").count();
    let first = html.find(" autofocus").map(|i| {
        let tag = &html[html[..i].rfind('<').unwrap_or(0)..i];
        tag.split(" id=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or("")
            .to_string()
    });
    (n, first)
}

crate::engine_test!(a_failed_form_shows_every_error_and_focuses_the_first);
async fn a_failed_form_shows_every_error_and_focuses_the_first() {
    let app = spawn_app().await;
    let admin = app.logged_in(Role::Admin).await;
    // Account creation: every problem at once, the cursor on the first.
    let r = admin
        .post(
            "/admin/users",
            &[("username", "x"), ("role", "chief"), ("password", "ngan")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for id in ["e-username", "e-role", "e-password"] {
        assert!(r.body.contains(&format!("id=\"{id}\"")), "{id}\n{}", r.body);
    }
    assert_eq!(autofocused(&r.body), (1, Some("f-username".into())));
    let r = admin
        .post(
            "/admin/users",
            &[
                ("username", "hople"),
                ("role", "viewer"),
                ("password", "ngan"),
            ],
        )
        .await;
    assert_eq!(autofocused(&r.body), (1, Some("f-password".into())));

    // A record form: the first field in the form's order, not in the order found.
    let sec = app.logged_in(Role::Secretary).await;
    let r = sec
        .post(
            "/conferences",
            &[("date", "31/02/2018"), ("kind", ""), ("attendees", "-3")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"e-date\"") && r.body.contains("id=\"e-attendees\""));
    assert_eq!(autofocused(&r.body), (1, Some("f-date".into())));
    let r = sec
        .post(
            "/conferences",
            &as_refs(&conference("28/02/2018", "", "150")),
        )
        .await;
    assert_eq!(autofocused(&r.body), (1, Some("f-title".into())));
    // A page that did not fail takes no focus.
    assert_eq!(autofocused(&sec.get("/conferences/new").await.body).0, 0);

    // The password change: a wrong current password does not hide the other problems.
    let r = sec
        .post(
            "/account/password",
            &[("current", "sai"), ("new", "ngan"), ("confirm", "khac")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for id in ["e-current", "e-new", "e-confirm"] {
        assert!(r.body.contains(&format!("id=\"{id}\"")), "{id}\n{}", r.body);
    }
    assert_eq!(autofocused(&r.body), (1, Some("f-current".into())));

    // The ward's multi-row forms: the first cell in error.
    let r = sec
        .post(
            "/ward/terms",
            &[
                ("name_1", "Nhiệm kỳ 2015–2020"),
                ("start_1", "01/10/2015"),
                ("name_2", "Nhiệm kỳ 2020–2025"),
                ("start_2", "32/13/2020"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(autofocused(&r.body), (1, Some("f-start_2".into())));
}

crate::engine_test!(date_fields_take_typed_dd_mm_yyyy);
async fn date_fields_take_typed_dd_mm_yyyy() {
    let app = spawn_app().await;
    let sec = app.logged_in(Role::Secretary).await;
    let form = sec.get("/conferences/new").await.body;
    let date = form
        .split("<input id=\"f-date\"")
        .nth(1)
        .and_then(|s| s.split('>').next())
        .unwrap_or_else(|| panic!("no date input\n{form}"));
    // A text input with the Vietnamese hint (a native date input holds only ISO
    // values and shows the browser's own order), and a keyboard that has '/'.
    assert!(date.contains("type=\"text\""), "{date}");
    assert!(date.contains("placeholder=\"dd/mm/yyyy\""), "{date}");
    assert!(date.contains("pattern="), "{date}");
    assert!(!date.contains("inputmode=\"numeric\""), "{date}");
    // Both forms are accepted, and a bad date comes back as typed.
    for typed in ["28/02/2018", "2018-02-28", "1/3/2018"] {
        let r = sec
            .post(
                "/conferences",
                &as_refs(&conference(typed, "Hội nghị", "10")),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{typed}: {}", r.body);
    }
    let r = sec
        .post(
            "/conferences",
            &as_refs(&conference("31/02/2018", "Hội nghị", "10")),
        )
        .await;
    assert!(r.body.contains("value=\"31/02/2018\""));
}

/// The whole tag of the element whose markup contains `needle`.
fn tag_with<'a>(body: &'a str, needle: &str) -> &'a str {
    let at = body.find(needle).unwrap_or(0);
    let start = body[..at].rfind('<').unwrap_or(0);
    let end = body[at..].find('>').map(|e| at + e).unwrap_or(body.len());
    &body[start..end]
}

crate::engine_test!(the_report_range_and_committee_forms_focus_their_first_error);
async fn the_report_range_and_committee_forms_focus_their_first_error() {
    let app = spawn_app().await;
    let deputy = app.logged_in(Role::Deputy).await;
    let r = deputy
        .get("/reports/summary?from=31/02/2018&to=2018-12-31")
        .await;
    assert!(
        tag_with(&r.body, "id=\"r-from\"").contains("autofocus"),
        "{}",
        r.body
    );
    assert!(!tag_with(&r.body, "id=\"r-to\"").contains("autofocus"));
    let secretary = app.logged_in(Role::Secretary).await;
    let r = secretary
        .post(
            "/steering-committee",
            &[
                ("decision_number", "12-QĐ/ĐU"),
                ("decision_date", "xx"),
                ("name_1", "Nguyễn Văn A"),
                ("position_1", "head"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.body.matches("autofocus").count(), 1, "{}", r.body);
    assert!(tag_with(&r.body, "name=\"decision_date\"").contains("autofocus"));
}

crate::engine_test!(a_drill_down_list_shows_its_filters_and_keeps_them);
async fn a_drill_down_list_shows_its_filters_and_keeps_them() {
    let app = spawn_app().await;
    let c = app.logged_in(Role::Secretary).await;
    for (date, topic) in [
        ("2018-03-01", "ordinance34"),
        ("2017-03-01", "ordinance34"),
        ("2018-04-01", "qcdc"),
    ] {
        let r = c
            .post(
                "/publicity",
                &[
                    ("date", date),
                    ("channel", "radio"),
                    ("topic", topic),
                    ("count", "2"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let report = c
        .get("/reports/summary?from=01/01/2018&to=31/12/2018&by=total")
        .await;
    let href = report
        .body
        .split("href=\"")
        .map(|s| s.split('"').next().unwrap_or(""))
        .find(|h| h.starts_with("/publicity?") && h.contains("ordinance34"))
        .expect("a drill-down link for the ordinance figure")
        .replace("&amp;", "&");
    let list = c.get(&href).await;
    assert_eq!(list.status, StatusCode::OK, "{href}");
    let b = &list.body;
    assert!(b.contains("Đang lọc theo:"), "{b}");
    assert!(
        b.contains("từ ngày 01/01/2018") && b.contains("đến ngày 31/12/2018"),
        "{b}"
    );
    assert!(b.contains("nội dung: Pháp lệnh 34"), "{b}");
    assert!(b.contains("chỉ tiêu: Tuyên truyền về Pháp lệnh 34"), "{b}");
    assert!(b.contains("Tìm thấy 1 bản ghi"), "{b}");
    // The filter form carries them: submitting it (a search box left empty) keeps the range.
    assert!(
        b.contains("type=\"hidden\" name=\"from\" value=\"2018-01-01\""),
        "{b}"
    );
    let resubmitted = c.get(&format!("{href}&q=&year=")).await;
    assert!(resubmitted.body.contains("Tìm thấy 1 bản ghi"));
    // Each filter can be removed on its own.
    assert!(
        b.contains("href=\"/publicity?from=2018-01-01&amp;to=2018-12-31&amp;indicator=publicity.ordinance34\" title=\"Bỏ điều kiện này\""),
        "{b}"
    );
}
